"""Stereoisomers to place: undefined stereocentres enumerated, the cyclic imide's first.

The glutarimide C3-H of thalidomide-like drugs is acidic and racemises in vivo, so marketed
racemates and vendors' files carry no stereo flag there, while every cereblon crystal
structure shows the (S) form. A conformer generator picks a configuration at random for an
undefined centre, so the pose (and its score) would depend on the random seed. Instead each
configuration of the centres in the anchored imide (or lactam) ring is placed and scored, and the
result says which one it reports and how the other fared.

>>> forms = stereo_forms(Chem.MolFromSmiles("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1"))
>>> [(f.label, f.given) for f in forms]
[('S', False), ('R', False)]
>>> [Chem.MolToSmiles(f.mol) for f in forms]
['O=C1CC[C@H](N2C(=O)c3ccccc3C2=O)C(=O)N1', 'O=C1CC[C@@H](N2C(=O)c3ccccc3C2=O)C(=O)N1']
>>> [(f.label, f.given) for f in stereo_forms(Chem.MolFromSmiles("O=C1CC[C@@H](c2ccccc2)C(=O)N1"))]
[('S', True)]
>>> stereo_forms(Chem.MolFromSmiles("O=C1CCCC(=O)N1"))[0].label
''
"""

from __future__ import annotations

from dataclasses import dataclass

from rdkit import Chem
from rdkit.Chem import rdCIPLabeler

from ..patterns import anchor_atoms

MAX_FORMS = 4  # stereoisomers placed at most (2 when the molecule is large: see pocket_fit)
_TETRAHEDRAL = (Chem.ChiralType.CHI_TETRAHEDRAL_CW, Chem.ChiralType.CHI_TETRAHEDRAL_CCW)


@dataclass(frozen=True, eq=False)
class StereoForm:
    """One stereoisomer to place.

    ``label``: CIP label(s) of the stereocentre(s) in the imide/lactam ring ("S", "R", or
    e.g. "S,R" for two; "" when that ring has none). ``given``: the input defined them.
    ``left_undefined``: undefined centres not enumerated (beyond :data:`MAX_FORMS`, or bridgeheads
    outside the anchored ring), left to the conformer generator (atom indices)."""

    mol: Chem.Mol
    label: str
    given: bool
    left_undefined: tuple[int, ...] = ()


def anchor_ring_atoms(mol: Chem.Mol) -> set[int]:
    """Atoms of the rings that hold what the pose anchors (the N-H cyclic imide or N-H ring
    lactam of :func:`imidchem.chem.patterns.anchor_atoms`, the one shared definition).

    >>> sorted(anchor_ring_atoms(Chem.MolFromSmiles("O=C1CCC(c2ccccc2)C(=O)N1")))
    [1, 2, 3, 4, 11, 13]
    >>> anchor_ring_atoms(Chem.MolFromSmiles("CN1C(=O)CCC(c2ccccc2)C1=O"))  # N-methyl: none
    set()
    """
    rings = mol.GetRingInfo().AtomRings()
    out: set[int] = set()
    for match in anchor_atoms(mol):
        nitrogen = match[2]
        for ring in rings:
            if nitrogen in ring and match[1] in ring:
                out.update(ring)
    return out


def stereo_forms(mol: Chem.Mol, max_forms: int = MAX_FORMS) -> list[StereoForm]:
    """The stereoisomers of ``mol`` to place: every configuration of its undefined
    tetrahedral centres, those in the anchored imide/lactam ring first, as long as there are
    at most ``max_forms``; further undefined centres are left undefined (the conformer
    generator picks; reported in ``left_undefined``). Centres in more than one ring (bridgeheads,
    fusion atoms: their configurations depend on each other, and a free choice can make a
    ring system that cannot exist) are enumerated only in the anchored ring. Defined centres
    are kept. The first form is (S) where the choice exists."""
    ring = anchor_ring_atoms(mol)
    info = mol.GetRingInfo()
    undefined = [
        stereo.centeredOn
        for stereo in Chem.FindPotentialStereo(mol)
        if stereo.type == Chem.StereoType.Atom_Tetrahedral
        and stereo.specified == Chem.StereoSpecified.Unspecified
    ]
    undefined.sort(key=lambda i: (i not in ring, i))
    free = [i for i in undefined if i in ring or info.NumAtomRings(i) <= 1]
    n = 0
    while n < len(free) and 2 ** (n + 1) <= max(1, max_forms):
        n += 1
    enumerated = free[:n]
    left_undefined = tuple(i for i in undefined if i not in enumerated)
    in_ring = sorted(
        i for i in ring if mol.GetAtomWithIdx(i).GetChiralTag() in _TETRAHEDRAL or i in enumerated
    )
    given = bool(in_ring) and not any(i in enumerated for i in in_ring)
    forms = []
    for code in range(2**n):
        form = Chem.Mol(mol)
        for bit, atom in enumerate(enumerated):
            form.GetAtomWithIdx(atom).SetChiralTag(_TETRAHEDRAL[(code >> bit) & 1])
        Chem.AssignStereochemistry(form, cleanIt=True, force=True)
        rdCIPLabeler.AssignCIPLabels(form)
        label = ",".join(
            form.GetAtomWithIdx(i).GetProp("_CIPCode")
            for i in in_ring
            if form.GetAtomWithIdx(i).HasProp("_CIPCode")
        )
        forms.append(StereoForm(form, label, given, left_undefined))
    # (S) first, so that ties go to the configuration of the crystal ligands
    forms.sort(key=lambda f: (f.label.count("R"), f.label))
    return forms
