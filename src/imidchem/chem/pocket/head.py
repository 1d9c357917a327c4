"""The head first: a large molecule whose anchored ring carries a group no crystal ligand
shares is placed in two steps, its head alone and then the whole molecule on the head's pose.

A degrader built on a 3-anilino- or 3-aryl-glutarimide has a small head in the pocket (the
glutarimide, the group on its C3, the first ring of that group) and a long tail (linker and
target ligand) that leaves it. Placed whole, the head's orientation (the C3-N torsion, the
ring turned) came out of a search over 15 and more rotatable bonds in which the tail's
contacts with the rim of the 12-A pocket model decided between head basins less than one
energy unit apart and 0.1 apart in pocket score, differently for each seed (docs/pocket.md).
The rim contacts are the least trustworthy part of the model (the rest of cereblon, DDB1 and
the target protein are missing there). So the head is cut off at the first bond that leaves
the first ring system of the C3 group towards a larger group (the cut atom kept as a methyl
cap, as for an attachment point), placed with the full small-molecule search (8 conformers, 3
starts, both ring puckers, the C3 bond searched from 3 grid minima), and the whole molecule is
then embedded and refined with its head atoms held stiffly on the head's pose: the tail finds
room around a head the pocket chose.

>>> mol = Chem.MolFromSmiles("O=C1CC[C@H](Nc2ccc(N3CCN(CCCCCCCC)CC3)cc2)C(=O)N1")
>>> head = cut_head(mol)
>>> Chem.MolToSmiles(head.mol), head.atoms[head.caps[0]]
('Cc1ccc(N[C@H]2CCC(=O)NC2=O)cc1', 10)
>>> cut_head(Chem.MolFromSmiles("O=C1CC[C@H](CCCCCCCCCC)C(=O)N1")) is None  # no ring system
True
"""

from __future__ import annotations

from dataclasses import dataclass

from rdkit import Chem

from ..graph import connected_atoms, ring_system
from .attach import CAP_ELEMENT
from .pose import Anchor, EmbeddingError, find_anchors, place, ring_only
from .structures import PocketStructure

HEAD_FIRST_ATOMS = 25
"""Heavy atoms above which a molecule anchored by its glutarimide ring alone is placed head
first (up to this many the whole molecule gets the small-molecule search already)."""
MAX_LINK = 3  # acyclic atoms between C3 and the first ring system of its group, at most
SMALL_GROUP = 4  # heavy atoms: a group on the head's ring system this small stays on it
MIN_TAIL = 6  # heavy atoms: a tail smaller than this is placed with the head (no cut)

_GLUTARIMIDE_C3 = Chem.MolFromSmarts("O=C1CC[CX4;H1,H0](-[!#1])C(=O)[NH1]1")


@dataclass(frozen=True, eq=False)
class Head:
    """The head of a molecule: ``mol`` (heavy atoms, stereo kept, caps as methyl carbons),
    ``atoms`` the molecule atom of each head atom (a cap: the molecule's first tail atom),
    ``caps`` the head indices of the caps."""

    mol: Chem.Mol
    atoms: tuple[int, ...]
    caps: tuple[int, ...]


def cut_head(mol: Chem.Mol) -> Head | None:
    """The head of ``mol`` (heavy atoms) at its C3-substituted N-H glutarimide: the ring, the
    acyclic atoms (at most :data:`MAX_LINK`) from C3 to the first ring system of its group,
    that ring system, and every group of at most :data:`SMALL_GROUP` heavy atoms on them;
    each larger group is cut at its first atom, kept as a methyl cap. None without such a
    glutarimide, when the C3 group reaches no ring system, or when less than
    :data:`MIN_TAIL` atoms would be cut off."""
    match = mol.GetSubstructMatch(_GLUTARIMIDE_C3)
    if not match:
        return None
    c3, exit_atom = match[4], match[5]
    core = set(match) - {exit_atom}
    # walk from the exit atom through acyclic atoms to the first ring atom
    path, here, prev = [], exit_atom, c3
    system: set[int] = set()
    for _ in range(MAX_LINK + 1):
        atom = mol.GetAtomWithIdx(here)
        if atom.IsInRing():
            system = ring_system(mol, here)
            break
        path.append(here)
        onward = [
            n.GetIdx() for n in atom.GetNeighbors() if n.GetIdx() != prev and n.GetDegree() > 1
        ]
        if len(onward) != 1:  # a branch or the end before any ring: no clear head
            return None
        prev, here = here, onward[0]
    if not system:
        return None
    head = core | set(path) | system
    caps: list[int] = []
    for i in sorted(set(path) | system):
        for nb in mol.GetAtomWithIdx(i).GetNeighbors():
            j = nb.GetIdx()
            if j in head:
                continue
            group = connected_atoms(mol, j, blocked={i})
            if len(group) <= SMALL_GROUP:
                head |= group
            else:
                caps.append(j)
    tail = mol.GetNumAtoms() - len(head)
    if not caps or tail < MIN_TAIL:
        return None
    keep = sorted(head | set(caps))
    try:
        sub = _submol(mol, keep, set(caps))
    except ValueError:  # RDKit could not sanitise the cut (MolSanitizeException)
        return None
    return Head(sub, tuple(keep), tuple(keep.index(c) for c in caps))


def _submol(mol: Chem.Mol, keep: list[int], caps: set[int]) -> Chem.Mol:
    """The atoms ``keep`` of ``mol`` (in that order), those in ``caps`` made methyl carbons."""
    rw = Chem.RWMol(mol)
    for i in caps:
        atom = rw.GetAtomWithIdx(i)
        atom.SetAtomicNum(CAP_ELEMENT)
        atom.SetFormalCharge(0)
        atom.SetIsAromatic(False)
        atom.SetChiralTag(Chem.ChiralType.CHI_UNSPECIFIED)
        atom.SetNoImplicit(False)
        atom.SetNumExplicitHs(0)
    for bond in rw.GetBonds():
        if bond.GetBeginAtomIdx() in caps or bond.GetEndAtomIdx() in caps:
            bond.SetBondType(Chem.BondType.SINGLE)
            bond.SetIsAromatic(False)
    for i in sorted(set(range(mol.GetNumAtoms())) - set(keep), reverse=True):
        rw.RemoveAtom(i)
    out = rw.GetMol()
    for atom in out.GetAtoms():
        if atom.GetIsAromatic() and not atom.IsInRing():
            atom.SetIsAromatic(False)
    Chem.SanitizeMol(out)
    Chem.AssignStereochemistry(out, cleanIt=True, force=True)
    return out


HEAD_ANCHOR = (
    "its head first (the glutarimide and its C3 group's first ring system), the tail grown on it"
)
"""``Anchor.kind`` (and ``PocketFit.anchor``) of a pose placed head first."""


def needs_head_first(
    mol: Chem.Mol, structure: PocketStructure, exclude_templates: tuple[str, ...] = ()
) -> bool:
    """Whether ``mol`` is placed head first: over :data:`HEAD_FIRST_ATOMS` heavy atoms and
    anchored by its glutarimide ring alone whatever its stereo (no crystal ligand shares the
    group on C3: the anchor of the molecule without stereo holds the ring only)."""
    if mol.GetNumHeavyAtoms() <= HEAD_FIRST_ATOMS:
        return False
    flat = Chem.Mol(mol)
    Chem.RemoveStereochemistry(flat)
    anchors = find_anchors(flat, structure, exclude_templates)
    return bool(anchors) and ring_only(anchors[0])


def head_anchor(
    mol: Chem.Mol,
    structure: PocketStructure,
    seed: int,
    deadline: float | None,
    exclude_templates: tuple[str, ...] = (),
) -> Anchor | None:
    """The head of ``mol`` (:func:`cut_head`) placed alone with the small-molecule search,
    as an anchor for the whole molecule: its atoms on the head's lowest-energy pose, held
    stiffly, the caps (the first tail atoms) softly. None when ``mol`` has no head to cut
    or the head cannot be embedded (the whole molecule is then placed as it is)."""
    head = cut_head(mol)
    if head is None:
        return None
    try:
        placed = place(
            head.mol,
            structure,
            seed=seed,
            conformers=8,
            starts=3,
            deadline=deadline,
            exclude_templates=exclude_templates,
        )
    except EmbeddingError:
        return None
    xyz = placed.refined[0][0][: head.mol.GetNumAtoms()]  # heavy atoms come first
    caps = set(head.caps)
    return Anchor(
        HEAD_ANCHOR,
        head.atoms,
        xyz,
        structure.pdb_id,
        tuple(k not in caps for k in range(len(head.atoms))),
    )
