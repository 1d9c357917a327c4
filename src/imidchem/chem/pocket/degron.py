"""Degron evidence in 3-D: a molecule fitted in cereblon's pocket with a neosubstrate's degron.

Five glue-neosubstrate crystal structures ship as package data
(``imidchem/data/structures/degrons.json``, built by ``tools/build_degrons.py``): CK1alpha
(5fqd, lenalidomide), SALL4 zinc finger 2 (6uml, pomalidomide), IKZF1 zinc finger 2 (6h0f,
pomalidomide), ZNF692 (6h0g, pomalidomide) and IKZF2 zinc finger 2 (7lps, an
anilinomaleimide). Each degron was moved into the frame of the shipped 5fqd pocket by
superposing cereblon's C-alpha atoms near the glue (0.00-0.28 A RMSD).

:func:`degron_fits` places the molecule in the 5fqd pocket **with the degron present** (its
atoms join the pocket the pose is refined against) and reports per degron: clashes with it,
the degron atoms it touches beside the crystal glue's own count, the distance to the residues
that decide (IKZF1 Gln146, IKZF2 His141, the hairpin glycine), and which atoms of the pose
face the degron. **A compatible degron is not a degraded protein**: recruitment needs a
productive ternary complex, ubiquitination and the cell; this is geometry only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources

import numpy as np
from rdkit import Chem

from ...errors import InvalidArgumentError
from .structures import CONTACT_CUTOFF, PocketStructure, load_structure

DEGRON_FRAME = "5fqd"
"""The pocket every degron was superposed on; degron fits use it."""

MAX_DEGRON_CLASHES = 2
"""More heavy-atom clashes than this with a degron: not compatible."""

# side-chain polar atoms (donor, acceptor), as tools/build_pockets.py flags the pocket
_POLAR = {
    ("SER", "OG"): (True, True), ("THR", "OG1"): (True, True), ("TYR", "OH"): (True, True),
    ("ASN", "OD1"): (False, True), ("ASN", "ND2"): (True, False),
    ("GLN", "OE1"): (False, True), ("GLN", "NE2"): (True, False),
    ("HIS", "ND1"): (True, True), ("HIS", "NE2"): (True, True), ("TRP", "NE1"): (True, False),
    ("LYS", "NZ"): (True, False), ("ARG", "NE"): (True, False), ("ARG", "NH1"): (True, False),
    ("ARG", "NH2"): (True, False), ("ASP", "OD1"): (False, True), ("ASP", "OD2"): (False, True),
    ("GLU", "OE1"): (False, True), ("GLU", "OE2"): (False, True), ("MET", "SD"): (False, True),
    ("CYS", "SG"): (True, True),
}  # fmt: skip


def _flags(resname: str, atom: str) -> tuple[bool, bool]:
    if atom == "N":
        return resname != "PRO", False
    if atom in ("O", "OXT"):
        return False, True
    return _POLAR.get((resname, atom), (False, False))


@dataclass(frozen=True, eq=False)
class Degron:
    """One neosubstrate degron from a crystal structure, in the 5fqd pocket's frame."""

    pdb_id: str
    gene: str
    protein: str
    glue: str
    citation: str
    superposition_rmsd: float
    glue_mol: Chem.Mol = field(repr=False)
    glue_contacts: int = 0
    deciding: dict = field(default_factory=dict, repr=False)
    """Label ('Gln146', 'Gly151') -> residue number."""
    coords: np.ndarray = field(default=None, repr=False)
    elements: np.ndarray = field(default=None, repr=False)
    atom_names: np.ndarray = field(default=None, repr=False)
    resnames: np.ndarray = field(default=None, repr=False)
    resnums: np.ndarray = field(default=None, repr=False)

    def residue_atoms(self, resnum: int) -> np.ndarray:
        """Indices of the degron atoms of one residue (side chain and backbone)."""
        return np.flatnonzero(self.resnums == resnum)


@cache
def load_degrons() -> tuple[Degron, ...]:
    """The five shipped degrons, in file order (5fqd, 6uml, 6h0f, 6h0g, 7lps).

    >>> [(d.pdb_id, d.gene, sorted(d.deciding)) for d in load_degrons()][2]
    ('6h0f', 'IKZF1', ['Gln146', 'Gly151'])
    """
    text = resources.files("imidchem.data").joinpath("structures", "degrons.json").read_text()
    data = json.loads(text)
    out = []
    for key in ("5fqd", "6uml", "6h0f", "6h0g", "7lps"):
        d = data[key]
        a = d["atoms"]
        out.append(
            Degron(
                pdb_id=key, gene=d["gene"], protein=d["protein"], glue=d["glue"],
                citation=d["citation"], superposition_rmsd=d["superposition_rmsd"],
                glue_mol=Chem.MolFromMolBlock(d["glue_molblock"]),
                glue_contacts=d["glue_contacts"], deciding=dict(d["deciding"]),
                coords=np.column_stack([a["x"], a["y"], a["z"]]).astype(float),
                elements=np.array(a["element"]), atom_names=np.array(a["atom"]),
                resnames=np.array(a["resname"]), resnums=np.array(a["resnum"]),
            )
        )
    return tuple(out)


def degron_genes() -> tuple[str, ...]:
    """Genes of the shipped degrons."""
    return tuple(d.gene for d in load_degrons())


def _flag_arrays(d: Degron) -> tuple[np.ndarray, np.ndarray]:
    flags = [_flags(r, a) for r, a in zip(d.resnames, d.atom_names, strict=True)]
    return np.array([f[0] for f in flags]), np.array([f[1] for f in flags])


@cache
def degron_only(d: Degron) -> PocketStructure:
    """The degron's atoms as a pocket (for clash and contact counts)."""
    base = load_structure(DEGRON_FRAME)
    donor, acceptor = _flag_arrays(d)
    return replace(
        base, coords=d.coords, elements=d.elements, atom_names=d.atom_names,
        resnames=d.resnames, resnums=d.resnums, human_resnums=d.resnums, donor=donor,
        acceptor=acceptor, hbonds=(),
    )


@cache
def with_degron(d: Degron) -> PocketStructure:
    """The 5fqd pocket with the degron's atoms added: the receptor of a degron fit. In 5fqd
    itself CK1alpha is already beside the pocket, so its atoms are simply added."""
    base = load_structure(DEGRON_FRAME)
    donor, acceptor = _flag_arrays(d)
    return replace(
        base,
        coords=np.vstack([base.coords, d.coords]),
        elements=np.concatenate([base.elements, d.elements]),
        atom_names=np.concatenate([base.atom_names, d.atom_names]),
        resnames=np.concatenate([base.resnames, d.resnames]),
        resnums=np.concatenate([base.resnums, d.resnums]),
        human_resnums=np.concatenate([base.human_resnums, d.resnums]),
        donor=np.concatenate([base.donor, donor]),
        acceptor=np.concatenate([base.acceptor, acceptor]),
    )


@dataclass(frozen=True)
class DegronFit:
    """How a pose made with one degron present meets that degron."""

    pdb_id: str
    gene: str
    protein: str
    status: str
    """'ok' or 'error' (no pose)."""
    compatible: bool | None
    reason: str
    clashes: int | None = None
    closest: float | None = None
    """Closest heavy-atom distance pose-degron, A."""
    contacts: int | None = None
    """Degron heavy atoms within 4.0 A of the pose."""
    glue_contacts: int = 0
    """The same count for the crystal glue in its own structure."""
    deciding: dict = field(default_factory=dict)
    """Residue label -> closest distance (A) from the pose."""
    glue_deciding: dict = field(default_factory=dict)
    """Residue label -> closest distance (A) from the crystal glue."""
    facing_atoms: tuple[int, ...] = ()
    """Atoms of the pose within 4.0 A of the degron: the part that faces it."""
    imide_rmsd: float | None = None
    pose: Chem.Mol | None = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict:
        return {
            "pdb_id": self.pdb_id, "gene": self.gene, "protein": self.protein,
            "status": self.status, "compatible": self.compatible, "reason": self.reason,
            "clashes": self.clashes, "closest": self.closest, "contacts": self.contacts,
            "glue_contacts": self.glue_contacts, "deciding": dict(self.deciding),
            "glue_deciding": dict(self.glue_deciding), "facing_atoms": list(self.facing_atoms),
            "imide_rmsd": self.imide_rmsd,
        }


def _min_distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a[:, None] - b[None], axis=2).min())


def assess_degron(pose: Chem.Mol, d: Degron, imide_rmsd: float | None = None) -> DegronFit:
    """Clashes, contacts and deciding-residue distances of a pose (5fqd frame) with a degron.

    >>> d = load_degrons()[2]  # IKZF1, 6h0f, pomalidomide
    >>> fit = assess_degron(d.glue_mol, d)
    >>> fit.clashes, fit.contacts == d.glue_contacts, fit.compatible
    (0, True, True)
    """
    from .score import clashes

    xyz = pose.GetConformer().GetPositions()
    heavy = np.array([a.GetIdx() for a in pose.GetAtoms() if a.GetAtomicNum() > 1])
    lig = xyz[heavy]
    clash = clashes(pose, degron_only(d))
    dist = np.linalg.norm(d.coords[:, None] - lig[None], axis=2)
    contacts = int((dist.min(axis=1) <= CONTACT_CUTOFF).sum())
    facing = tuple(int(i) for i in heavy[dist.min(axis=0) <= CONTACT_CUTOFF])
    glue_xyz = d.glue_mol.GetConformer().GetPositions()
    deciding = {}
    glue_deciding = {}
    for label, resnum in d.deciding.items():
        atoms = d.residue_atoms(resnum)
        deciding[label] = round(_min_distance(d.coords[atoms], lig), 2)
        glue_deciding[label] = round(_min_distance(d.coords[atoms], glue_xyz), 2)
    compatible = clash.count <= MAX_DEGRON_CLASHES
    if compatible:
        reason = (
            f"compatible with the {d.protein} degron: {clash.count} clashes, {contacts} degron "
            f"atoms in contact (crystal glue {d.glue_contacts}); a compatible degron is not a "
            "degraded protein"
        )
    else:
        reason = (
            f"clashes with the {d.protein} degron: {clash.count} clashes, closest "
            f"{clash.worst:.2f} A ({clash.worst_pair})"
        )
    return DegronFit(
        d.pdb_id, d.gene, d.protein, "ok", compatible, reason, clash.count,
        round(float(clash.worst), 2), contacts, d.glue_contacts, deciding, glue_deciding,
        facing, imide_rmsd, pose,
    )


def check_frame(structure: str) -> None:
    """Degron fits are made in the 5fqd frame: refuse another structure, naming it."""
    if str(structure).strip().lower() != DEGRON_FRAME:
        raise InvalidArgumentError(
            f"degron fits use the {DEGRON_FRAME} pocket (every degron is superposed on it); "
            f"got structure {structure!r}"
        )


def degron_conformers(mol: Chem.Mol) -> int:
    """Conformers per degron fit (one refined start each): 4 up to 25 heavy atoms, 2 above
    (five fits of a drug-sized molecule stay near 2-3 CPU s; docs/neosubstrates.md)."""
    return 4 if mol.GetNumHeavyAtoms() <= 25 else 2
