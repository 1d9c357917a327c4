"""The shipped cereblon pockets: crystal ligand, pocket atoms, canonical hydrogen bonds.

The package data under ``imidchem/data/structures/`` is made by ``tools/build_pockets.py``
from four PDB entries (public domain). Residue numbers are the entry's own; ``human_resnum``
maps them to human cereblon (mouse is offset by +3, chicken by +2 in the pocket region).

>>> s = load_structure("5fqd")
>>> s.pdb_id, s.ligand_name, s.chain, s.resolution, s.ligand.GetNumAtoms()
('5fqd', '(S)-lenalidomide', 'B', 2.45, 19)
>>> [f"{h.residue} {h.atom}" for h in s.hbonds]
['His378 O', 'Trp380 N', 'His378 ND1']
>>> load_structure("1abc")
Traceback (most recent call last):
...
imidchem.errors.InvalidArgumentError: unknown structure '1abc'; choose one of 5yiz, 4ci1, 5fqd, 6uml
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np
from rdkit import Chem

from ... import defaults
from ...errors import InvalidArgumentError

STRUCTURE_IDS = ("5yiz", "4ci1", "5fqd", "6uml")
DEFAULT_STRUCTURE = defaults.STRUCTURE
_GLUTARIMIDE_CORE = Chem.MolFromSmarts("O=C1CCC(-[!#1])C(=O)N1")
HBOND_MAX = 3.5  # A, donor-acceptor heavy-atom distance counted as a hydrogen bond
# A: a residue with an atom this close to the glutarimide ring lines the cage
CAGE_RESIDUE_CUTOFF = 4.5
CONTACT_CUTOFF = 4.0  # A, heavy atom to heavy atom, a van der Waals contact


@dataclass(frozen=True)
class CanonicalHBond:
    """One of the glutarimide's hydrogen bonds as seen in the crystal structure."""

    role: str  # "imide N-H", "C2=O" (next to C3) or "C6=O"
    ligand_atom: int  # index in the crystal ligand
    chain: str
    resname: str
    resnum: int
    human_resnum: int
    atom: str
    distance: float  # A, in the crystal structure
    pocket_index: int  # row in the pocket arrays

    @property
    def residue(self) -> str:
        """``His378`` style: three-letter code in title case and the entry's number."""
        return f"{self.resname.title()}{self.resnum}"

    @property
    def kind(self) -> str:
        """What the ligand must bring: "donor" for the backbone O, "acceptor" otherwise."""
        return "donor" if self.atom == "O" else "acceptor"


@dataclass(frozen=True, eq=False)
class PocketStructure:
    """One shipped PDB entry: metadata, the crystal ligand and the pocket atoms (arrays)."""

    pdb_id: str
    what: str
    species: str
    resolution: float
    chain: str
    human_offset: int
    ligand_resname: str
    ligand_name: str
    ligand: Chem.Mol = field(repr=False)
    glutarimide: dict = field(repr=False)
    hbonds: tuple[CanonicalHBond, ...] = field(repr=False)
    coords: np.ndarray = field(repr=False)
    elements: np.ndarray = field(repr=False)
    atom_names: np.ndarray = field(repr=False)
    resnames: np.ndarray = field(repr=False)
    resnums: np.ndarray = field(repr=False)
    human_resnums: np.ndarray = field(repr=False)
    donor: np.ndarray = field(repr=False)
    acceptor: np.ndarray = field(repr=False)
    citation: dict = field(repr=False)
    second_copy: Chem.Mol | None = field(default=None, repr=False)

    @property
    def made_hbonds(self) -> tuple[CanonicalHBond, ...]:
        """The canonical H-bonds that the crystal ligand makes here (<= 3.5 A)."""
        return tuple(h for h in self.hbonds if h.distance <= HBOND_MAX)

    @property
    def ligand_coords(self) -> np.ndarray:
        return self.ligand.GetConformer().GetPositions()

    @property
    def cage_contacts(self) -> np.ndarray:
        """Indices of the cage atoms that the crystal ligand touches: atoms of the residues
        lining the glutarimide (any atom within :data:`CAGE_RESIDUE_CUTOFF` A of its six ring
        atoms: the tri-Trp cage, the His, the floor) within :data:`CONTACT_CUTOFF` A of a
        crystal-ligand heavy atom.

        >>> s = load_structure("5fqd")
        >>> sorted({f"{s.resnames[i]}{s.resnums[i]}" for i in s.cage_contacts})
        ['ASN351', 'HIS378', 'PHE402', 'SER379', 'TRP380', 'TRP386', 'TRP400']
        >>> len(s.cage_contacts)
        37
        """
        return _cage_contacts(self)

    def residue_label(self, index: int) -> str:
        """``His378`` style label of pocket atom ``index`` (one spelling everywhere)."""
        return f"{self.resnames[index].title()}{self.resnums[index]}"

    def ca_atoms(self, within: float = 8.0) -> dict[int, np.ndarray]:
        """C-alpha coordinates by human-equivalent residue number, for the residues with an
        atom within ``within`` A of the crystal ligand."""
        lig = self.ligand_coords
        near = np.linalg.norm(self.coords[:, None] - lig[None], axis=2).min(axis=1) <= within
        residues = set(self.human_resnums[near].tolist())
        rows = np.flatnonzero(self.atom_names == "CA")
        return {
            int(self.human_resnums[i]): self.coords[i]
            for i in rows
            if self.human_resnums[i] in residues
        }

    def describe(self) -> str:
        """One line: entry, what, resolution, chain, citation.

        >>> load_structure("5yiz").describe()[:60]
        'PDB 5YIZ: mouse cereblon thalidomide-binding domain, (S)-tha'
        """
        c = self.citation
        return (
            f"PDB {self.pdb_id.upper()}: {self.what}, {self.resolution:.2f} A, chain {self.chain}; "
            f"{c['journal']}, doi:{c['doi']}"
        )


@cache
def _cage_contacts(structure: PocketStructure) -> np.ndarray:
    lig = structure.ligand
    ring = next(r for r in lig.GetRingInfo().AtomRings() if structure.glutarimide["N"] in r)
    xyz = structure.ligand_coords
    to_ring = np.linalg.norm(structure.coords[:, None] - xyz[list(ring)][None], axis=2).min(1)
    residues = set(structure.human_resnums[to_ring <= CAGE_RESIDUE_CUTOFF].tolist())
    to_ligand = np.linalg.norm(structure.coords[:, None] - xyz[None], axis=2).min(1)
    lining = np.isin(structure.human_resnums, sorted(residues))
    return np.flatnonzero(lining & (to_ligand <= CONTACT_CUTOFF))


def check_structure_id(structure: str) -> str:
    """The lower-case entry ID, or :class:`InvalidArgumentError` listing the valid ones."""
    key = str(structure).strip().lower()
    if key not in STRUCTURE_IDS:
        raise InvalidArgumentError(
            f"unknown structure {structure!r}; choose one of {', '.join(STRUCTURE_IDS)}"
        )
    return key


@cache
def load_structure(structure: str = DEFAULT_STRUCTURE) -> PocketStructure:
    """The shipped pocket ``structure`` (one of :data:`STRUCTURE_IDS`), cached."""
    key = check_structure_id(structure)
    text = resources.files("imidchem.data").joinpath("structures", f"{key}.json").read_text()
    data = json.loads(text)
    pocket = data["pocket"]
    coords = np.column_stack([pocket["x"], pocket["y"], pocket["z"]]).astype(float)
    names = np.array(pocket["atom"])
    human = np.array(pocket["human_resnum"])
    index = {(int(h), str(n)): i for i, (h, n) in enumerate(zip(human, names, strict=True))}
    hbonds = tuple(
        CanonicalHBond(
            role=h["role"],
            ligand_atom=h["ligand_atom"],
            chain=h["chain"],
            resname=h["resname"],
            resnum=h["resnum"],
            human_resnum=h["human_resnum"],
            atom=h["atom"],
            distance=h["distance"],
            pocket_index=index[(h["human_resnum"], h["atom"])],
        )
        for h in data["hbonds"]
    )
    ligand = Chem.MolFromMolBlock(data["ligand_molblock"])
    ligand.SetProp("_Name", f"{key.upper()} {data['ligand_resname']} {data['ligand_name']}")
    second = None
    if "second_copy" in data:
        second = Chem.MolFromMolBlock(data["second_copy"]["molblock"])
    return PocketStructure(
        pdb_id=key,
        what=data["what"],
        species=data["species"],
        resolution=data["resolution"],
        chain=data["chain"],
        human_offset=data["human_offset"],
        ligand_resname=data["ligand_resname"],
        ligand_name=data["ligand_name"],
        ligand=ligand,
        glutarimide=dict(data["glutarimide"]),
        hbonds=hbonds,
        coords=coords,
        elements=np.array(pocket["element"]),
        atom_names=names,
        resnames=np.array(pocket["resname"]),
        resnums=np.array(pocket["resnum"]),
        human_resnums=human,
        donor=np.array(pocket["donor"], dtype=bool),
        acceptor=np.array(pocket["acceptor"], dtype=bool),
        citation=data["citation"],
        second_copy=second,
    )


def superpose_pockets(mobile: str, target: str) -> tuple[np.ndarray, np.ndarray, float, int]:
    """Rotation ``R`` and translation ``t`` (``x @ R.T + t``) taking ``mobile``'s frame onto
    ``target``'s by the C-alpha atoms of the pocket residues both share (human numbering),
    with the C-alpha RMSD after fitting and the number of residues used.

    >>> R, t, rmsd, n = superpose_pockets("5yiz", "5fqd")
    >>> n >= 19, rmsd < 0.5
    (True, True)
    """
    a, b = load_structure(mobile).ca_atoms(), load_structure(target).ca_atoms()
    shared = sorted(set(a) & set(b))
    x = np.array([a[k] for k in shared])
    y = np.array([b[k] for k in shared])
    R, t = kabsch(x, y)
    rmsd = float(np.sqrt(((x @ R.T + t - y) ** 2).sum(axis=1).mean()))
    return R, t, rmsd, len(shared)


@cache
def templates(target: str, exclude: tuple[str, ...] = ()) -> tuple[tuple[str, Chem.Mol, dict], ...]:
    """The crystal ligands of the shipped entries (not those in ``exclude``), each moved into
    ``target``'s frame by the pocket C-alpha superposition: ``(pdb_id, Mol, glutarimide atoms)``.

    >>> [t[0] for t in templates("4ci1", exclude=("5fqd",))]
    ['4ci1', '5yiz', '6uml']
    """
    target = check_structure_id(target)
    ids = [target] + [k for k in STRUCTURE_IDS if k != target]
    out = []
    for key in ids:
        if key in exclude:
            continue
        source = load_structure(key)
        mol = Chem.Mol(source.ligand)
        if key != target:
            R, t, _, _ = superpose_pockets(key, target)
            conf = mol.GetConformer()
            conf.SetPositions(conf.GetPositions() @ R.T + t)
        glut = dict(source.glutarimide)
        glut["ring"] = mol.GetSubstructMatch(_GLUTARIMIDE_CORE)
        out.append((key, mol, glut))
    return tuple(out)


def kabsch(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares rotation and translation with ``x @ R.T + t`` close to ``y``."""
    cx, cy = x.mean(axis=0), y.mean(axis=0)
    h = (x - cx).T @ (y - cy)
    u, _, vt = np.linalg.svd(h)
    d = np.sign(np.linalg.det(vt.T @ u.T))
    R = vt.T @ np.diag([1.0, 1.0, d]) @ u.T
    return R, cy - cx @ R.T
