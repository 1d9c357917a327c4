"""Scores of a ligand pose in a cereblon pocket.

Two kinds of numbers live here:

- :func:`interaction_energy`: a smooth protein-ligand score with its gradient, used to refine
  poses. Its terms and weights are AutoDock Vina's (Trott & Olson 2010): two attractive
  Gaussians and a quadratic repulsion on the surface distance ``d - R_i - R_j`` (Vina's
  X-Score radii), a hydrophobic and a hydrogen-bond term, on heavy atoms within 8 A (made
  smooth: smoothstep ramps, pairs fading out from 7 A; see :func:`_pair_terms`).
- the analysis of a final pose: clashes (heavy-atom pairs whose van der Waals spheres overlap
  by more than :data:`CLASH_OVERLAP`, closer than :data:`CLASH_CUTOFF_HBOND` for a
  donor-acceptor pair), the canonical glutarimide hydrogen bonds
  made or missed, the shape and colour (pharmacophore-feature) overlap with the crystal ligand
  (``rdShapeAlign.ScoreMol``, no re-alignment) and the combined :func:`pocket_score`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rdkit import Chem
from rdkit.Chem import rdShapeAlign

from .structures import CONTACT_CUTOFF, HBOND_MAX, PocketStructure

# A clash: two heavy atoms whose van der Waals spheres (Bondi radii) overlap by more than
# CLASH_OVERLAP (C...C closer than 2.9 A, C...O 2.72 A, O...O 2.54 A); a donor-acceptor pair
# only below CLASH_CUTOFF_HBOND. (A flat 3.0 A counted the crystal glutarimide's own 2.8-3.0 A
# carbonyl O...Trp/Phe ring contacts as clashes: the crystal pomalidomide of 6uml had three.)
CLASH_OVERLAP = 0.5  # A
CLASH_CUTOFF_HBOND = 2.5  # A, for a donor-acceptor pair
# Bondi van der Waals radii (A) by upper-case element symbol (ligand and pocket atoms alike)
BONDI = {
    "C": 1.70, "N": 1.55, "O": 1.52, "F": 1.47, "P": 1.80, "S": 1.80, "CL": 1.75,
    "SE": 1.90, "BR": 1.85, "I": 1.98, "ZN": 1.39,
}  # fmt: skip
BONDI_OTHER = 1.8  # A, an element not in the table
CUTOFF = 8.0  # A, interaction range
SWITCH_ON = 7.0  # A, pairs fade out from here to CUTOFF

# Vina (X-Score) radii by element
_RADIUS = {6: 1.9, 7: 1.8, 8: 1.7, 9: 1.5, 15: 2.1, 16: 2.0, 17: 1.8, 35: 2.0, 53: 2.2}
_ELEMENT_NUMBER = {"C": 6, "N": 7, "O": 8, "S": 16, "SE": 34, "ZN": 30, "F": 9, "P": 15}
# Vina weights
W_GAUSS1, W_GAUSS2, W_REPULSION, W_HYDROPHOBIC, W_HBOND = -0.0356, -0.00516, 0.840, -0.0351, -0.587

# side-chain carbons bonded to N or O (not hydrophobic in Vina's typing)
_POLAR_CARBON = {
    "SER": {"CB"},
    "THR": {"CB"},
    "TYR": {"CZ"},
    "ASN": {"CG"},
    "GLN": {"CD"},
    "ASP": {"CG"},
    "GLU": {"CD"},
    "HIS": {"CG", "CD2", "CE1"},
    "TRP": {"CD1", "CE2"},
    "LYS": {"CE"},
    "ARG": {"CD", "CZ"},
    "PRO": {"CD"},
}


@dataclass(frozen=True, eq=False)
class AtomTypes:
    """Per-atom radius, hydrophobic, donor and acceptor flags (heavy atoms)."""

    radius: np.ndarray
    hydrophobic: np.ndarray
    donor: np.ndarray
    acceptor: np.ndarray


def pocket_types(structure: PocketStructure) -> AtomTypes:
    """Vina-style atom types of the pocket atoms."""
    radius = np.array(
        [_RADIUS.get(_ELEMENT_NUMBER.get(e.upper(), 6), 1.9) for e in structure.elements]
    )
    hydrophobic = np.array(
        [
            e.upper() == "C" and name not in ("C", "CA") and name not in _POLAR_CARBON.get(res, ())
            for e, name, res in zip(
                structure.elements, structure.atom_names, structure.resnames, strict=True
            )
        ]
    )
    return AtomTypes(radius, hydrophobic, structure.donor.copy(), structure.acceptor.copy())


def ligand_types(mol: Chem.Mol) -> AtomTypes:
    """Vina-style atom types of a ligand's atoms (hydrogens get radius 0 and no flags).

    >>> t = ligand_types(Chem.MolFromSmiles("O=C1CCC(=O)N1"))
    >>> t.donor.tolist(), t.acceptor.tolist()
    ([False, False, False, False, False, False, True], [True, False, False, False, False, True, False])
    """
    n = mol.GetNumAtoms()
    radius, hydrophobic = np.zeros(n), np.zeros(n, dtype=bool)
    donor, acceptor = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    for atom in mol.GetAtoms():
        i, z = atom.GetIdx(), atom.GetAtomicNum()
        if z == 1:
            continue
        radius[i] = _RADIUS.get(z, 1.9)
        neighbours = [nb.GetAtomicNum() for nb in atom.GetNeighbors()]
        if z == 6:
            hydrophobic[i] = not any(x in (7, 8) for x in neighbours)
        elif z in (9, 17, 35, 53):
            hydrophobic[i] = True
        elif z in (7, 8):
            donor[i] = atom.GetTotalNumHs() > 0
            if z == 8:
                acceptor[i] = True
            else:
                acceptor[i] = (
                    atom.GetTotalNumHs() == 0
                    and atom.GetFormalCharge() <= 0
                    and (
                        (atom.GetIsAromatic() and atom.GetDegree() == 2)
                        or atom.GetHybridization() == Chem.HybridizationType.SP
                    )
                )
    return AtomTypes(radius, hydrophobic, donor, acceptor)


def _ramp(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """1 at ``u <= 0``, 0 at ``u >= 1``, a cubic (smoothstep) between; and its derivative.
    Same ends and same mean as the straight ramp 1 - u, but with no kink at either end."""
    u = np.clip(u, 0.0, 1.0)
    return 1.0 - u * u * (3.0 - 2.0 * u), -6.0 * u * (1.0 - u)


def _pair_terms(d: np.ndarray, s: np.ndarray, hydrophobic: np.ndarray, hbond: np.ndarray):
    """Energy and dE/dd of Vina's terms for surface distances ``s``.

    Vina's hydrophobic and hydrogen-bond terms are straight ramps and its pairs stop dead at
    the cutoff; here the ramps are smoothsteps between the same ends and the pairs fade out
    between :data:`SWITCH_ON` and :data:`CUTOFF`, so the energy has a continuous gradient.
    (With the kinks and the step, L-BFGS stopped on them, away from any minimum, wherever a
    start happened to meet one: the same molecule ended 0.5 energy units and 0.1 in pocket
    score apart from one seed to the next. See docs/pocket.md.)"""
    g1 = np.exp(-((s / 0.5) ** 2))
    g2 = np.exp(-(((s - 3.0) / 2.0) ** 2))
    energy = W_GAUSS1 * g1 + W_GAUSS2 * g2
    dedd = W_GAUSS1 * g1 * (-2.0 * s / 0.25) + W_GAUSS2 * g2 * (-2.0 * (s - 3.0) / 4.0)
    # Each term is added only where it applies (x + 0.0 == x, so the sums are the same as
    # adding it everywhere with zeros, for a fraction of the work).
    neg = np.flatnonzero(s < 0)
    energy[neg] += W_REPULSION * s[neg] * s[neg]
    dedd[neg] += 2.0 * W_REPULSION * s[neg]
    # hydrophobic: 1 below 0.5, smoothly to 0 at 1.5
    hyd = np.flatnonzero(hydrophobic & (s < 1.5))
    value, slope = _ramp(s[hyd] - 0.5)
    energy[hyd] += W_HYDROPHOBIC * value
    dedd[hyd] += W_HYDROPHOBIC * slope
    # hydrogen bond: 1 below -0.7, smoothly to 0 at 0
    hb = np.flatnonzero(hbond & (s < 0.0))
    value, slope = _ramp((s[hb] + 0.7) / 0.7)
    energy[hb] += W_HBOND * value
    dedd[hb] += W_HBOND * slope / 0.7
    # fade out between SWITCH_ON and CUTOFF
    far = np.flatnonzero(d > SWITCH_ON)
    value, slope = _ramp((d[far] - SWITCH_ON) / (CUTOFF - SWITCH_ON))
    dedd[far] = dedd[far] * value + energy[far] * slope / (CUTOFF - SWITCH_ON)
    energy[far] *= value
    return energy, dedd


def pair_flags(lig: AtomTypes, pocket: AtomTypes) -> np.ndarray:
    """Per (ligand atom, pocket atom) pair: bit 1 both hydrophobic, bit 2 a donor-acceptor
    pair (either way round). Looked up once per pair in range instead of six lookups and three
    logical operations on each evaluation (the same flags)."""
    hyd = lig.hydrophobic[:, None] & pocket.hydrophobic[None]
    hb = (lig.donor[:, None] & pocket.acceptor[None]) | (lig.acceptor[:, None] & pocket.donor[None])
    return (hyd.astype(np.int8) | (hb.astype(np.int8) << 1)).ravel()


def _flags(
    lig: AtomTypes, pocket: AtomTypes, hl: np.ndarray, pj: np.ndarray, flags: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Hydrophobic and H-bond masks of the pairs (ligand atoms ``hl``, pocket atoms ``pj``),
    from :func:`pair_flags` when given."""
    if flags is None:
        hyd = lig.hydrophobic[hl] & pocket.hydrophobic[pj]
        hb = (lig.donor[hl] & pocket.acceptor[pj]) | (lig.acceptor[hl] & pocket.donor[pj])
        return hyd, hb
    f = flags[hl * len(pocket.radius) + pj]
    return (f & 1).astype(bool), (f & 2).astype(bool)


def _pairs(
    x: np.ndarray,
    atom_of_row: np.ndarray,
    pocket_xyz: np.ndarray,
    pocket_sq: np.ndarray,
    lig: AtomTypes,
    pocket: AtomTypes,
    flags: np.ndarray | None,
):
    """The ligand-pocket pairs in range of the ligand coordinate rows ``x`` (row ``r`` is
    ligand atom ``atom_of_row[r]``) and their Vina terms: ``(rows, atoms, differences,
    distances, energies, dE/dd)``, one entry per pair, in row order."""
    # squared distances by |x|^2 + |p|^2 - 2 x.p (one matrix product) to find the pairs in
    # range; their distances are then taken from the differences themselves
    d2 = (x * x).sum(axis=1)[:, None] + pocket_sq[None] - 2.0 * (x @ pocket_xyz.T)
    li, pj = np.nonzero(d2 < CUTOFF * CUTOFF)  # only pairs in range
    diff = x[li] - pocket_xyz[pj]
    d = np.maximum(np.sqrt((diff * diff).sum(axis=1)), 1e-6)
    hl = atom_of_row[li]
    s = d - lig.radius[hl] - pocket.radius[pj]
    hyd, hb = _flags(lig, pocket, hl, pj, flags)
    energy, dedd = _pair_terms(d, s, hyd, hb)
    return li, hl, diff, d, energy, dedd


def _intra_overlap(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distances of the intramolecular pairs (difference vectors ``v``, last axis xyz) and
    how far each is inside 3.2 A (the clash term's overlap)."""
    dij = np.maximum(np.sqrt((v * v).sum(axis=-1)), 1e-6)
    return dij, np.maximum(0.0, 3.2 - dij)


def energies(
    trials: np.ndarray,
    lig: AtomTypes,
    heavy: np.ndarray,
    pocket_xyz: np.ndarray,
    pocket: AtomTypes,
    intra_pairs: np.ndarray,
    pocket_sq: np.ndarray,
    flags: np.ndarray | None = None,
) -> list[float]:
    """:func:`interaction_energy` (no gradient) of each of several coordinate sets
    ``trials`` (shape (k, atoms, 3)) at once: the same numbers, for one pass of numpy's
    per-call overhead instead of ``k`` (the torsion search's grid)."""
    k = len(trials)
    x = trials[:, heavy].reshape(k * len(heavy), 3)
    li, _, _, _, energy, _ = _pairs(x, np.tile(heavy, k), pocket_xyz, pocket_sq, lig, pocket, flags)
    # each trial's pairs are one contiguous run (rows in trial order), summed as a whole
    ends = np.searchsorted(li, np.arange(1, k + 1) * len(heavy))
    totals = [float(part.sum()) for part in np.split(energy, ends[:-1])]
    if len(intra_pairs):
        over = _intra_overlap(trials[:, intra_pairs[:, 0]] - trials[:, intra_pairs[:, 1]])[1]
        for n in range(k):
            totals[n] += float(W_REPULSION * (over[n] * over[n]).sum())
    return totals


def interaction_energy(
    xyz: np.ndarray,
    lig: AtomTypes,
    heavy: np.ndarray,
    pocket_xyz: np.ndarray,
    pocket: AtomTypes,
    intra_pairs: np.ndarray | None = None,
    cap: bool = False,
    gradient: bool = True,
    pocket_sq: np.ndarray | None = None,
    flags: np.ndarray | None = None,
) -> tuple[float, np.ndarray | None]:
    """Vina-style intermolecular energy (plus an intramolecular clash term over
    ``intra_pairs``) of ligand coordinates ``xyz`` and its gradient (same shape as ``xyz``;
    None with ``gradient=False``).

    ``heavy`` indexes the ligand's heavy atoms; hydrogens feel nothing. ``pocket_sq``: the
    squared norms of ``pocket_xyz`` rows, when the caller keeps them; ``flags``: the pairs'
    types (:func:`pair_flags`), when the caller keeps them.
    """
    if pocket_sq is None:
        pocket_sq = (pocket_xyz * pocket_xyz).sum(axis=1)
    _, hl, diff, d, energy, dedd = _pairs(xyz[heavy], heavy, pocket_xyz, pocket_sq, lig, pocket, flags)
    if cap:
        energy = np.minimum(energy, 1.0)
    if not gradient:
        total = float(energy.sum())
        if intra_pairs is not None and len(intra_pairs):
            over = _intra_overlap(xyz[intra_pairs[:, 0]] - xyz[intra_pairs[:, 1]])[1]
            total += float(W_REPULSION * (over * over).sum())
        return total, None
    f = (dedd / d)[:, None] * diff
    n = len(xyz)
    grad = np.zeros((n, 3))
    for k in range(3):
        grad[:, k] = np.bincount(hl, weights=f[:, k], minlength=n)
    total = float(energy.sum())
    if intra_pairs is not None and len(intra_pairs):
        i, j = intra_pairs[:, 0], intra_pairs[:, 1]
        v = xyz[i] - xyz[j]
        dij, over = _intra_overlap(v)
        total += float(W_REPULSION * (over * over).sum())
        f = (-2.0 * W_REPULSION * over / dij)[:, None] * v
        for k in range(3):
            grad[:, k] += np.bincount(i, weights=f[:, k], minlength=n)
            grad[:, k] -= np.bincount(j, weights=f[:, k], minlength=n)
    return total, grad


@dataclass(frozen=True)
class HBond:
    """A canonical glutarimide hydrogen bond of the pocket, made or missed by a pose."""

    role: str
    residue: str  # e.g. His378 (the entry's own numbering)
    atom: str  # protein atom name
    ligand_atom: int | None  # pose atom index of the nearest matching ligand atom
    distance: float | None  # A, heavy atom to heavy atom; None when no matching atom
    crystal_distance: float  # A, crystal ligand in the PDB file
    made: bool


@dataclass(frozen=True)
class Clashes:
    """Heavy-atom pairs overlapping by more than ``overlap`` (Bondi radii), donor-acceptor
    pairs closer than ``cutoff_hbond``."""

    count: int
    worst: float | None  # shortest heavy-atom distance to the pocket, A
    worst_pair: str  # "ligand O (atom 12) - Trp380 CZ2"
    overlap: float = CLASH_OVERLAP
    cutoff_hbond: float = CLASH_CUTOFF_HBOND


def hbonds(pose: Chem.Mol, structure: PocketStructure) -> tuple[HBond, ...]:
    """The canonical glutarimide H-bonds of ``structure`` (those made in its crystal), made or
    missed by ``pose``: the nearest ligand donor (for the backbone O) or acceptor (for the
    Trp N-H and the His side chain) within :data:`HBOND_MAX`."""
    types = ligand_types(pose)
    xyz = pose.GetConformer().GetPositions()
    result = []
    for h in structure.made_hbonds:
        wanted = types.donor if h.kind == "donor" else types.acceptor
        candidates = np.flatnonzero(wanted)
        if len(candidates) == 0:
            result.append(HBond(h.role, h.residue, h.atom, None, None, h.distance, False))
            continue
        dist = np.linalg.norm(xyz[candidates] - structure.coords[h.pocket_index], axis=1)
        best = int(np.argmin(dist))
        d = float(dist[best])
        result.append(
            HBond(
                h.role,
                h.residue,
                h.atom,
                int(candidates[best]),
                round(d, 3),
                h.distance,
                d <= HBOND_MAX,
            )
        )
    return tuple(result)


def clashes(pose: Chem.Mol, structure: PocketStructure) -> Clashes:
    """Clashes of a pose's heavy atoms with the pocket's heavy atoms: van der Waals overlap
    (Bondi radii) above :data:`CLASH_OVERLAP`, donor-acceptor pairs below
    :data:`CLASH_CUTOFF_HBOND`.

    >>> from imidchem.chem.pocket.structures import load_structure
    >>> [clashes(load_structure(k).ligand, load_structure(k)).count for k in ("5fqd", "6uml")]
    [0, 0]
    """
    heavy = np.array([a.GetIdx() for a in pose.GetAtoms() if a.GetAtomicNum() > 1])
    types = ligand_types(pose)
    xyz = pose.GetConformer().GetPositions()[heavy]
    d = np.linalg.norm(xyz[:, None] - structure.coords[None], axis=2)
    polar = (types.donor[heavy][:, None] & structure.acceptor[None]) | (
        types.acceptor[heavy][:, None] & structure.donor[None]
    )
    symbols = [pose.GetAtomWithIdx(int(i)).GetSymbol() for i in heavy]
    r_lig = np.array([BONDI.get(e.upper(), BONDI_OTHER) for e in symbols])
    r_pocket = np.array([BONDI.get(e.upper(), BONDI_OTHER) for e in structure.elements])
    cutoff = np.where(polar, CLASH_CUTOFF_HBOND, r_lig[:, None] + r_pocket[None] - CLASH_OVERLAP)
    count = int((d < cutoff).sum())
    i, j = np.unravel_index(int(np.argmin(d)), d.shape)
    pair = (
        f"ligand {symbols[i]} (atom {int(heavy[i])}) - {structure.residue_label(j)} "
        f"{structure.atom_names[j]}"
    )
    return Clashes(count, round(float(d[i, j]), 3), pair)


def shape_colour(pose: Chem.Mol, structure: PocketStructure) -> tuple[float, float, float, float]:
    """Shape and colour overlap of ``pose`` with the crystal ligand, in place (no alignment):
    the Tanimoto of the Gaussian volumes and of the pharmacophore features
    (``rdShapeAlign.ScoreMol``), and the coverage, the fraction of the crystal ligand's volume
    (features) that the pose overlaps. Coverage does not drop when the molecule is larger
    than the crystal ligand (a CELMoD, a degrader), the Tanimoto does.

    >>> from imidchem.chem.pocket.structures import load_structure
    >>> s = load_structure("5fqd")
    >>> [round(v, 3) for v in shape_colour(s.ligand, s)]
    [1.0, 1.0, 1.0, 1.0]
    """
    opts = rdShapeAlign.ShapeInputOptions()
    shape, colour = rdShapeAlign.ScoreMol(structure.ligand, pose, opts, opts)
    ref = rdShapeAlign.PrepareConformer(structure.ligand, -1, opts)
    probe = rdShapeAlign.PrepareConformer(pose, -1, opts)
    # Tanimoto T = O / (A + B - O), so the overlap O = T (A + B) / (1 + T)
    volume = shape * (ref.sov + probe.sov) / (1.0 + shape)
    features = colour * (ref.sof + probe.sof) / (1.0 + colour) if ref.sof > 0 else 0.0
    return (
        float(shape),
        float(colour),
        float(min(1.0, volume / ref.sov)),
        float(min(1.0, features / ref.sof)) if ref.sof > 0 else 0.0,
    )


def cage_contact(pose: Chem.Mol, structure: PocketStructure) -> float:
    """Burial in the tri-Trp cage: the fraction of the cage atoms the crystal ligand touches
    (:attr:`PocketStructure.cage_contacts`, within 4.0 A) that the pose's heavy atoms touch
    too. A glutarimide (or a six-membered lactam ring) packed into the cage fills it like the
    crystal ligand's; a five-membered ring, a ring held off the floor or a molecule outside the
    pocket leaves cage walls uncontacted.

    >>> from imidchem.chem.pocket.structures import load_structure
    >>> s = load_structure("5fqd")
    >>> cage_contact(s.ligand, s)
    1.0
    """
    cage = structure.cage_contacts
    heavy = [a.GetIdx() for a in pose.GetAtoms() if a.GetAtomicNum() > 1]
    xyz = pose.GetConformer().GetPositions()[heavy]
    d = np.linalg.norm(structure.coords[cage][:, None] - xyz[None], axis=2).min(axis=1)
    return float((d <= CONTACT_CUTOFF).mean())


# weights of the combined score (see docs/pocket.md): half of it is the cage (the imide on the
# crystal glutarimide, the cage walls in contact), a fifth the canonical H-bonds, the rest how
# much of the crystal ligand's volume and features the molecule reproduces
W_IMIDE, W_HBOND, W_CAGE, W_SHAPE, W_COLOUR = 0.3, 0.2, 0.2, 0.15, 0.15
IMIDE_ZERO = 2.0  # A: the imide term falls linearly from 1 at 0 A to 0 at this RMSD


def pocket_score(
    imide_rmsd: float | None,
    hbond_fraction: float,
    cage: float,
    shape_coverage: float,
    colour_coverage: float,
) -> float:
    """The combined pocket score in [0, 1].

    0.3 x imide placement (1 at 0 A from the crystal glutarimide, falling to 0 at 2 A; 0
    without a cyclic imide) + 0.2 x the fraction of canonical H-bonds made + 0.2 x the cage
    contact (:func:`cage_contact`) + 0.15 x the shape coverage + 0.15 x the colour coverage of
    the crystal ligand. Clashes are not in the score (in a rigid pocket they are mostly a
    sampling artefact of long tails); they decide ``fits``.

    >>> pocket_score(0.0, 1.0, 1.0, 1.0, 1.0)
    1.0
    >>> pocket_score(None, 0.0, 0.5, 0.4, 0.2)
    0.19
    >>> pocket_score(1.0, 1.0, 1.0, 0.5, 0.5)
    0.7
    """
    imide = 0.0 if imide_rmsd is None else max(0.0, 1.0 - imide_rmsd / IMIDE_ZERO)
    raw = (
        W_IMIDE * imide
        + W_HBOND * hbond_fraction
        + W_CAGE * cage
        + W_SHAPE * shape_coverage
        + W_COLOUR * colour_coverage
    )
    return round(float(min(1.0, max(0.0, raw))), 4)
