"""Place a molecule in a cereblon pocket and refine the pose against the protein.

1. Anchor. The molecule's best match to the crystal ligand is found with a ladder of patterns
   (:data:`ANCHORS`): the whole glutarimide-isoindoline scaffold, the C3-substituted
   glutarimide, any cyclic imide, a cyclic N-H lactam. Each match (and each symmetric
   alternative) maps molecule atoms to crystal-ligand atoms. A molecule without any of them is
   overlaid on the crystal ligand by shape and colour (``rdShapeAlign``).
2. Embed. ETKDGv3 conformers (seeded, hydrogens added); each is superposed on the crystal atoms
   of each anchor mapping (Kabsch), giving the starting poses.
3. Refine. Each of the best starts gets a systematic torsion search from the held glutarimide
   outwards (:meth:`Refiner.scan`), then rigid-body (translation, rotation) and torsion-space
   optimisation against :func:`imidchem.chem.pocket.score.interaction_energy` (Vina's terms,
   pocket atoms fixed) with L-BFGS and analytic gradients, three rounds from the refined pose;
   the glutarimide ring is tethered stiffly, the rest of the common substructure softly. The
   pose with the lowest energy wins.

Everything is deterministic for a given seed.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rdkit import Chem, rdBase
from rdkit.Chem import rdDistGeom, rdFMCS, rdForceFieldHelpers, rdShapeAlign
from rdkit.Geometry import Point3D

from ...errors import ImidchemError
from ..graph import connected_atoms
from ..patterns import anchor_atoms
from .embed_cache import memoized
from .score import (
    AtomTypes,
    energies,
    interaction_energy,
    ligand_types,
    pair_flags,
    pocket_types,
)
from .structures import PocketStructure, kabsch, load_structure, templates


class PocketTimeout(ImidchemError):
    """The per-molecule time limit ran out."""


class EmbeddingError(ImidchemError):
    """No 3-D conformer could be generated."""


# The anchor ladder, for a molecule the pose can anchor at all (an N-H cyclic imide or N-H ring
# lactam: imidchem.chem.patterns.anchor_atoms, the one definition shared with the call and the
# 3-D skip rule; anything else gets the shape and colour overlay). Rung 1: the maximum common
# substructure with a crystal ligand (any shipped entry, moved into this pocket's frame), if it
# holds the whole glutarimide; the largest wins. Then, on the pocket's own crystal ligand: the
# C3-substituted N-H glutarimide, any N-H cyclic imide (O, C, N, C, O onto the glutarimide's
# O2, C2, N, C6, O6, both ways round), an N-H ring lactam (onto either half of the imide).
ANCHORS = (
    ("common substructure with a crystal ligand", None),
    ("C3-substituted glutarimide", "O=C1CC[CX4;H1,H0](-,:[!#1])C(=O)[NH1]1"),
    ("cyclic imide", "patterns.CYCLIC_IMIDE_NH"),
    ("cyclic N-H lactam", "patterns.NH_LACTAM"),
)
_PATTERNS = {"C3-substituted glutarimide": Chem.MolFromSmarts(ANCHORS[1][1])}
_IMIDE_ROLES = ("O2", "C2", "N", "C6", "O6")
_AMIDE = Chem.MolFromSmarts("[CX3](=[O,S])-[NX3]")
TETHER_FREE = 0.3  # A, anchor atoms move freely this far from the crystal atoms
# per A^2 beyond that (Vina-like units). Stiff: the glutarimide's place in the cage is the same
# in every cereblon-IMiD crystal structure and the cage is rigid, so a tail that clashes has to
# move itself (torsions, rigid body about the ring), not drag the ring out of the cage.
# (1.0 let long tails pull the imide 0.8-1.5 A out; see docs/pocket.md.)
TETHER_K = 10.0
# the other common-substructure atoms in the "anchor" tether (the isoindolinone of a CELMoD or
# degrader): held softly, so the pocket can move them where the template does not fit
TETHER_K_SOFT = 1.0
TETHERS = ("glutarimide", "anchor", "none")  # which anchor atoms are tethered in refinement
SCAN_STEPS = 12  # torsion search: each rotatable bond tried at 30 degree steps
MAX_MAPS = 2  # template geometries embedded at most (each costs an ETKDG run)
# grid minima of the bond that turns the group on the ring kept when the anchor holds the ring
# only (Refiner.scan_branches): each is swept and refined
BRANCHES = 3
DUPLICATE_RMSD = 0.5  # A, heavy atoms: two searched starts this close are refined once
RELAX_ITERS = 200  # force-field steps per embedded conformer (relax)
# A: a ring whose pucker no template sets (_loose_ring) keeps starts of both puckers, the
# other fitting the crystal ring about 0.35 A worse (a glutarimide's two puckers)
LOOSE_FIT_WINDOW = 0.5


@dataclass(frozen=True, eq=False)
class Anchor:
    """Molecule atoms ``query`` to be placed on the crystal coordinates ``target``."""

    kind: str
    query: tuple[int, ...]
    target: np.ndarray
    template: str  # PDB ID of the crystal ligand the target coordinates come from
    tethered: tuple[bool, ...] = ()  # which query atoms are tethered (default: all)

    def tether(self) -> tuple[np.ndarray, np.ndarray]:
        mask = (
            np.array(self.tethered, dtype=bool) if self.tethered else np.ones(len(self.query), bool)
        )
        return np.array(self.query)[mask], self.target[mask]


def _mcs_params() -> rdFMCS.MCSParameters:
    params = rdFMCS.MCSParameters()
    params.AtomTyper = rdFMCS.AtomCompare.CompareElements
    params.BondTyper = rdFMCS.BondCompare.CompareOrder
    params.AtomCompareParameters.RingMatchesRingOnly = True
    params.BondCompareParameters.RingMatchesRingOnly = True
    params.BondCompareParameters.CompleteRingsOnly = True
    params.Timeout = 1
    return params


def find_anchors(
    mol: Chem.Mol,
    structure: PocketStructure,
    exclude_templates: tuple[str, ...] = (),
    max_maps: int = 4,
) -> list[Anchor]:
    """Anchor mappings of ``mol`` (with or without hydrogens) onto crystal coordinates in
    ``structure``'s frame, from the first rung of :data:`ANCHORS` that matches; empty when none
    does. ``exclude_templates`` keeps crystal ligands of those entries out (cross-docking).

    >>> from imidchem.chem.pocket.structures import load_structure
    >>> s = load_structure("5fqd")
    >>> a = find_anchors(Chem.MolFromSmiles("Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O"), s)
    >>> a[0].kind, len(a[0].query), a[0].template
    ('common substructure with a crystal ligand', 19, '5fqd')
    >>> sorted({a.kind for a in find_anchors(Chem.MolFromSmiles("O=C1CCN(c2ccccc2)C(=O)N1"), s)})
    ['cyclic imide']
    >>> find_anchors(Chem.MolFromSmiles("c1ccccc1"), s)
    []
    """
    heavy = Chem.RemoveHs(mol) if any(a.GetAtomicNum() == 1 for a in mol.GetAtoms()) else mol
    # RemoveHs keeps heavy-atom order, so indices are valid in ``mol`` too
    anchorable = anchor_atoms(heavy)
    if not anchorable:  # no N-H cyclic imide or N-H ring lactam: shape overlay
        return []
    ranks = list(Chem.CanonicalRankAtoms(heavy, breakTies=False))
    best = _template_anchors(heavy, structure, tuple(exclude_templates), ranks)
    if not best:
        best = _ladder_anchors(heavy, structure, anchorable)
    return _dedupe(_stereo_safe(heavy, best), ranks)[:max_maps]


def _template_anchors(
    heavy: Chem.Mol, structure: PocketStructure, exclude: tuple[str, ...], ranks: list[int]
) -> list[Anchor]:
    """Rung 1 of :data:`ANCHORS`: the mappings of the largest common substructure with a
    crystal ligand (moved into ``structure``'s frame) that holds the whole glutarimide."""
    best: list[Anchor] = []
    best_key = (0, 0)
    flat = Chem.MolToSmiles(heavy, isomericSmiles=False)
    with rdBase.BlockLogs():
        for key, template, glut in templates(structure.pdb_id, exclude):
            size, smarts = _common_substructure(flat, key)
            if size < 8:
                continue
            pattern = Chem.MolFromSmarts(smarts)
            t_matches = template.GetSubstructMatches(pattern, uniquify=False, maxMatches=8)
            needed = {glut["N"], glut["C2"], glut["C6"], glut["C3"]}
            if not t_matches or not needed <= set(t_matches[0]):
                continue
            core = set(glut["ring"])
            q_matches = heavy.GetSubstructMatches(pattern, uniquify=False, maxMatches=8)
            xyz = template.GetConformer().GetPositions()
            pairs = [_with_exit_atom(heavy, q, t, glut) for q in q_matches for t in t_matches]
            found = _dedupe(
                [
                    Anchor(ANCHORS[0][0], q, xyz[list(t)], key, tuple(j in core for j in t))
                    for q, t in pairs
                ],
                ranks,
            )
            # more atoms in common first, then fewer distinct placements (a symmetric template,
            # like thalidomide's phthalimide, cannot say which way an asymmetric ring points)
            rank = (size, -len(found))
            if rank > best_key:
                best, best_key = found, rank
            elif rank == best_key:
                best.extend(found)
    return best


def _ladder_anchors(
    heavy: Chem.Mol, structure: PocketStructure, anchorable: list[tuple[int, ...]]
) -> list[Anchor]:
    """Rungs 2-4 of :data:`ANCHORS` on the pocket's own crystal ligand, the first that
    matches: the C3-substituted glutarimide, the cyclic imide (both ways round), the N-H
    lactam (onto either half of the imide)."""
    lig_xyz = structure.ligand_coords
    g = structure.glutarimide
    imide = len(anchorable[0]) == len(_IMIDE_ROLES)  # else N-H lactams (O, C, N)
    kind = ANCHORS[1][0]
    pattern = _PATTERNS[kind]
    matches = heavy.GetSubstructMatches(pattern, uniquify=False, maxMatches=50)
    if matches:
        crystal = structure.ligand.GetSubstructMatches(pattern, uniquify=False)
        return [
            Anchor(kind, tuple(q), lig_xyz[list(c)], structure.pdb_id)
            for q in matches
            for c in crystal
        ]
    if imide:
        target = lig_xyz[[g[r] for r in _IMIDE_ROLES]]
        return [
            Anchor(ANCHORS[2][0], tuple(q), target, structure.pdb_id)
            for m in anchorable
            for q in (m, m[::-1])
        ]
    return [
        Anchor(ANCHORS[3][0], tuple(q), lig_xyz[[g[r] for r in roles]], structure.pdb_id)
        for q in anchorable
        for roles in (("O2", "C2", "N"), ("O6", "C6", "N"))
    ]


@lru_cache(maxsize=64)
def _common_substructure(smiles: str, template: str) -> tuple[int, str]:
    """Size and SMARTS of the maximum common substructure of a molecule (SMILES without
    stereo: the match ignores it) with the crystal ligand of entry ``template``; cached, as
    every stereoisomer of a molecule asks the same question."""
    mol = Chem.MolFromSmiles(smiles)
    if mol is None:
        return 0, ""
    with rdBase.BlockLogs():
        result = rdFMCS.FindMCS([mol, load_structure(template).ligand], _mcs_params())
    return result.numAtoms, result.smartsString


def _with_exit_atom(
    mol: Chem.Mol, q: tuple[int, ...], t: tuple[int, ...], glut: dict
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A common-substructure mapping ``q`` -> ``t`` (molecule -> template atoms), extended by
    the first atom of the glutarimide C3's substituent when the match stopped short of it
    (complete rings only: a phenyl or a quinazolinone on C3 is not in any crystal ligand),
    so the exit vector from C3 is the crystal ligand's instead of the conformer's chance."""
    if glut["C3"] not in t:
        return tuple(q), tuple(t)
    exit_atom = glut["ring"][5]  # the substituent atom of _GLUTARIMIDE_CORE's match
    if exit_atom in t:
        return tuple(q), tuple(t)
    c3 = q[t.index(glut["C3"])]
    ring = next((r for r in mol.GetRingInfo().AtomRings() if c3 in r), ())
    exo = [
        nb.GetIdx()
        for nb in mol.GetAtomWithIdx(c3).GetNeighbors()
        if nb.GetAtomicNum() > 1 and nb.GetIdx() not in ring
    ]
    if len(exo) != 1 or exo[0] in q:
        return tuple(q), tuple(t)
    return (*q, exo[0]), (*t, exit_atom)


def _stereo_safe(mol: Chem.Mol, anchors: list[Anchor]) -> list[Anchor]:
    """Each anchor, cut back where it would put a stereocentre of ``mol`` on crystal
    coordinates of the opposite configuration.

    The crystal ligands are all (S); the common-substructure match ignores chirality, so
    without this the (R) enantiomer would be forced onto the (S) ligand's scaffold (and a
    coordinate-mapped embedding could not be made at all). A mismatched centre keeps the
    mapped atoms of its own ring (the glutarimide) and loses those beyond its exocyclic
    bonds: the other enantiomer is anchored by its ring alone and its substituent is placed
    by the search.
    """
    centres = [
        a.GetIdx()
        for a in mol.GetAtoms()
        if a.GetChiralTag()
        in (Chem.ChiralType.CHI_TETRAHEDRAL_CW, Chem.ChiralType.CHI_TETRAHEDRAL_CCW)
    ]
    if not centres:
        return anchors
    out = []
    for anchor in anchors:
        mapped = dict(zip(anchor.query, range(len(anchor.query)), strict=True))
        drop: set[int] = set()
        for c in centres:
            atom = mol.GetAtomWithIdx(c)
            heavy_nbs = [nb.GetIdx() for nb in atom.GetNeighbors() if nb.GetAtomicNum() > 1]
            if c not in mapped or len(heavy_nbs) < 3 or any(n not in mapped for n in heavy_nbs):
                continue
            if _same_configuration(mol, c, anchor, mapped):
                continue
            exo = [
                b.GetOtherAtomIdx(c)
                for b in atom.GetBonds()
                if not b.IsInRing() and b.GetOtherAtom(atom).GetAtomicNum() > 1
            ]
            for nb in exo:
                drop |= connected_atoms(mol, nb, blocked={c})
        if not drop:
            out.append(anchor)
            continue
        keep = [k for k, q in enumerate(anchor.query) if q not in drop]
        out.append(
            Anchor(
                anchor.kind,
                tuple(anchor.query[k] for k in keep),
                anchor.target[keep],
                anchor.template,
                tuple(anchor.tethered[k] for k in keep) if anchor.tethered else (),
            )
        )
    return out


def _same_configuration(mol: Chem.Mol, centre: int, anchor: Anchor, mapped: dict) -> bool:
    """Whether the crystal coordinates of ``centre`` and its heavy neighbours have the
    configuration ``mol`` specifies there.

    Decided on a five-atom probe (the centre, its hydrogens implicit, and one distinct
    isotope-labelled carbon per neighbour, bonded in the centre's bond order, so that the
    chiral tag means the same as in ``mol``): its tag from the crystal coordinates is
    compared with ``mol``'s. (Perceiving 3-D stereo on the whole molecule would need
    coordinates for atoms the template does not map.)"""
    atom = mol.GetAtomWithIdx(centre)
    probe = Chem.RWMol()
    hub = Chem.Atom(6)
    hub.SetNoImplicit(True)
    hub.SetNumExplicitHs(atom.GetTotalNumHs())
    probe.AddAtom(hub)
    conf = Chem.Conformer(1 + atom.GetDegree())
    conf.SetAtomPosition(0, Point3D(*map(float, anchor.target[mapped[centre]])))
    for k, bond in enumerate(atom.GetBonds(), start=1):
        other = Chem.Atom(6)
        other.SetIsotope(k)
        probe.AddAtom(other)
        probe.AddBond(0, k, Chem.BondType.SINGLE)
        conf.SetAtomPosition(
            k, Point3D(*map(float, anchor.target[mapped[bond.GetOtherAtomIdx(centre)]]))
        )
    conf.Set3D(True)
    probe.AddConformer(conf, assignId=True)
    Chem.SanitizeMol(probe)
    Chem.AssignStereochemistryFrom3D(probe, replaceExistingTags=True)
    wanted = Chem.RWMol(probe)
    wanted.GetAtomWithIdx(0).SetChiralTag(atom.GetChiralTag())
    return probe.GetAtomWithIdx(0).GetChiralTag() == wanted.GetAtomWithIdx(0).GetChiralTag()


def _dedupe(anchors: list[Anchor], ranks: list[int]) -> list[Anchor]:
    """Drop mappings that put symmetry-equivalent atoms on the same coordinates."""
    seen, out = set(), []
    for a in anchors:
        key = tuple(
            sorted(
                (ranks[q], tuple(np.round(t, 1))) for q, t in zip(a.query, a.target, strict=True)
            )
        )
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


def _etkdg(seed: int, timeout: float, clear: bool) -> rdDistGeom.EmbedParameters:
    params = rdDistGeom.ETKDGv3()
    params.randomSeed = seed
    params.numThreads = 1
    params.timeout = max(1, int(timeout))
    params.maxIterations = 200
    params.clearConfs = clear
    return params


@memoized  # the degron fits embed one molecule five times alike (embed_cache.py)
def embed(
    mol_h: Chem.Mol,
    n: int,
    seed: int,
    timeout: float,
    coord_map: dict[int, np.ndarray] | None = None,
    clear: bool = True,
) -> list[int]:
    """ETKDGv3 conformers of a molecule with hydrogens; raises :class:`EmbeddingError`.

    ``coord_map`` (atom index -> coordinates) holds those atoms at the template's internal
    geometry (ETKDG's coordinate map fixes their distances), so the ring pucker and the
    scaffold of a crystal ligand are copied instead of left to chance; the rest is embedded
    freely. When the map cannot be met the molecule is embedded without it. Without ``clear``
    the new conformers are added to those already there; the new conformer IDs are returned.
    """
    before = set() if clear else {c.GetId() for c in mol_h.GetConformers()}
    ids: list[int] = []
    if coord_map:
        params = _etkdg(seed, timeout, clear)
        params.SetCoordMap({i: Point3D(*map(float, xyz)) for i, xyz in coord_map.items()})
        ids = list(rdDistGeom.EmbedMultipleConfs(mol_h, n, params))
    if not ids:
        params = _etkdg(seed, timeout, clear)
        ids = list(rdDistGeom.EmbedMultipleConfs(mol_h, n, params))
    if not ids:
        params.useRandomCoords = True
        ids = list(rdDistGeom.EmbedMultipleConfs(mol_h, n, params))
    # ETKDG stopped by its timeout can list conformers it did not keep: only those present
    present = {c.GetId() for c in mol_h.GetConformers()}
    ids = [i for i in ids if i in present and i not in before]
    if not ids:
        raise EmbeddingError("no 3-D conformer could be embedded (ETKDG failed)")
    relax(mol_h, ids)
    return ids


def relax(mol_h: Chem.Mol, ids: list[int], max_iters: int = RELAX_ITERS) -> None:
    """Relax conformers ``ids`` in place with MMFF94 (UFF where MMFF lacks parameters).

    The refinement moves torsions and the rigid body only, so bond lengths and angles stay as
    embedded. ETKDG's come out a degree or two and a hundredth of an A off, differently
    for each seed: a fused ring system on the glutarimide C3 then meets the pocket walls at
    slightly different places and the same pose ends up to 0.5 energy units apart between
    seeds. Relaxed, each conformer has the force field's geometry. (With the bonded terms
    only, no torsions and no non-bonded pairs, the rings lost their shape: TD-106's imide
    ended 0.7 A off instead of 0.3.)"""
    props = _mmff_properties(mol_h)
    if props is not None:

        def field(cid: int):
            return rdForceFieldHelpers.MMFFGetMoleculeForceField(mol_h, props, confId=cid)
    elif rdForceFieldHelpers.UFFHasAllMoleculeParams(mol_h):

        def field(cid: int):
            return rdForceFieldHelpers.UFFGetMoleculeForceField(mol_h, confId=cid)
    else:
        return
    for cid in ids:
        ff = field(cid)
        if ff is not None:
            ff.Minimize(maxIts=max_iters)


@dataclass(frozen=True, eq=False)
class Torsion:
    a: int
    b: int
    moving: np.ndarray


def torsion_tree(mol_h: Chem.Mol, root: int) -> list[Torsion]:
    """Rotatable single bonds (not in rings, not amide C-N, not terminal), each with the atoms
    on the side away from ``root``; deepest first (so the gradient formula is exact)."""
    amide = {frozenset((m[0], m[2])) for m in mol_h.GetSubstructMatches(_AMIDE)}
    heavy_degree = [
        sum(1 for nb in a.GetNeighbors() if nb.GetAtomicNum() > 1) for a in mol_h.GetAtoms()
    ]
    dist = Chem.GetDistanceMatrix(mol_h)
    torsions = []
    for bond in mol_h.GetBonds():
        a, b = bond.GetBeginAtomIdx(), bond.GetEndAtomIdx()
        if (
            bond.GetBondType() != Chem.BondType.SINGLE
            or bond.IsInRing()
            or heavy_degree[a] < 2
            or heavy_degree[b] < 2
            or frozenset((a, b)) in amide
        ):
            continue
        side = connected_atoms(mol_h, b, blocked={a})
        if root in side:
            a, b = b, a
            side = connected_atoms(mol_h, b, blocked={a})
        depth = min(dist[root][a], dist[root][b])
        torsions.append((depth, a, b, np.array(sorted(side))))
    torsions.sort(key=lambda t: (-t[0], t[1], t[2]))
    return [Torsion(a, b, moving) for _, a, b, moving in torsions]


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cross product (numpy's np.cross is slow on small arrays)."""
    a, b = np.broadcast_arrays(a, b)
    return np.stack(
        (
            a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1],
            a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2],
            a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0],
        ),
        axis=-1,
    )


def _dihedral(p0: np.ndarray, p1: np.ndarray, p2: np.ndarray, p3: np.ndarray) -> float:
    """Dihedral angle p0-p1-p2-p3 in radians, (-pi, pi]."""
    b0, b1, b2 = p0 - p1, p2 - p1, p3 - p2
    b1 = b1 / np.linalg.norm(b1)
    v = b0 - (b0 @ b1) * b1
    w = b2 - (b2 @ b1) * b1
    return float(np.arctan2(np.cross(b1, v) @ w, v @ w))


def _wrap(angle: float) -> float:
    return (angle + np.pi) % (2.0 * np.pi) - np.pi


def _rotation_matrix(rotvec: np.ndarray) -> np.ndarray:
    """Rotation matrix of a rotation vector (Rodrigues), written out in floats (called
    thousands of times per fit on 3-vectors, where numpy's per-call overhead dominates)."""
    x, y, z = float(rotvec[0]), float(rotvec[1]), float(rotvec[2])
    angle = math.sqrt(x * x + y * y + z * z)
    if angle < 1e-12:
        return np.eye(3)
    x, y, z = x / angle, y / angle, z / angle
    s, c = math.sin(angle), math.cos(angle)
    v = 1.0 - c
    return np.array(
        [
            [c + x * x * v, x * y * v - z * s, x * z * v + y * s],
            [y * x * v + z * s, c + y * y * v, y * z * v - x * s],
            [z * x * v - y * s, z * y * v + x * s, c + z * z * v],
        ]
    )


def _rotate(points: np.ndarray, origin: np.ndarray, axis: np.ndarray, angle: float) -> np.ndarray:
    norm = math.sqrt(float(axis @ axis))
    return (points - origin) @ _rotation_matrix(axis * (angle / norm)).T + origin


def lbfgs(fun, x0: np.ndarray, max_iter: int = 60, memory: int = 6, gtol: float = 1e-3):
    """Minimise ``fun(x) -> (f, grad)`` with L-BFGS and a backtracking (Armijo) line search.

    Plain numpy, single-threaded and deterministic (SciPy's L-BFGS-B spends most of its time in
    multi-threaded BLAS calls on these tiny problems).

    >>> x, f = lbfgs(lambda x: (float(((x - 1.0) ** 2).sum()), 2 * (x - 1.0)), np.zeros(3))
    >>> np.round(x, 4).tolist(), round(f, 8)
    ([1.0, 1.0, 1.0], 0.0)
    """
    x = np.array(x0, dtype=float)
    f, g = fun(x)
    s_list: list[np.ndarray] = []
    y_list: list[np.ndarray] = []
    for _ in range(max_iter):
        if np.abs(g).max() < gtol:
            break
        q = g.copy()
        alphas = []
        for s_k, y_k in zip(reversed(s_list), reversed(y_list), strict=True):
            rho = 1.0 / (y_k @ s_k)
            a = rho * (s_k @ q)
            alphas.append((rho, a))
            q -= a * y_k
        if s_list:
            q *= (s_list[-1] @ y_list[-1]) / (y_list[-1] @ y_list[-1])
        else:
            q *= 0.1 / max(1.0, np.abs(g).max())
        for (s_k, y_k), (rho, a) in zip(
            zip(s_list, y_list, strict=True), reversed(alphas), strict=True
        ):
            b = rho * (y_k @ q)
            q += (a - b) * s_k
        direction = -q
        slope = g @ direction
        if slope >= 0:
            direction, slope = (
                -g * 0.1 / max(1.0, np.abs(g).max()),
                -(g @ g) * 0.1 / max(1.0, np.abs(g).max()),
            )
            s_list.clear()
            y_list.clear()
        step = 1.0
        for _ in range(20):
            x_new = x + step * direction
            f_new, g_new = fun(x_new)
            if f_new <= f + 1e-4 * step * slope:
                break
            step *= 0.5
        else:
            break
        s_k, y_k = x_new - x, g_new - g
        if s_k @ y_k > 1e-10:
            s_list.append(s_k)
            y_list.append(y_k)
            if len(s_list) > memory:
                s_list.pop(0)
                y_list.pop(0)
        x, f, g = x_new, f_new, g_new
    return x, f


class Refiner:
    """Rigid-body and torsion optimisation of one molecule against one fixed pocket."""

    def __init__(
        self,
        mol_h: Chem.Mol,
        structure: PocketStructure,
        root: int,
        tether: tuple[np.ndarray, np.ndarray] | None = None,
    ):
        self.mol = mol_h
        # flat-bottom tether of the anchor atoms (indices, target coordinates), with a force
        # constant per tethered atom (default TETHER_K for all)
        self.tether = tether
        self.tether_k: np.ndarray | float = TETHER_K
        self.types: AtomTypes = ligand_types(mol_h)
        self.heavy = np.array([a.GetIdx() for a in mol_h.GetAtoms() if a.GetAtomicNum() > 1])
        self.torsions = torsion_tree(mol_h, root)
        self.structure = structure
        self.pocket_all = pocket_types(structure)
        self.select_pocket()
        dist = Chem.GetDistanceMatrix(mol_h)
        h = self.heavy
        pairs = [(i, j) for x, i in enumerate(h) for j in h[x + 1 :] if dist[i][j] > 3]
        self.intra = np.array(pairs, dtype=int).reshape(-1, 2)
        # torsion k moves the atoms of row k (for the gradient in one matrix product)
        self.members = np.zeros((len(self.torsions), mol_h.GetNumAtoms()))
        for k, t in enumerate(self.torsions):
            self.members[k, t.moving] = 1.0
        self._moving_terms: dict[tuple[int, int], tuple] = {}
        self.axis_a = np.array([t.a for t in self.torsions], dtype=int)
        self.axis_b = np.array([t.b for t in self.torsions], dtype=int)

    def select_pocket(self, xyz: np.ndarray | None = None, margin: float | None = None) -> None:
        """The pocket atoms the energy sees: all of them by default; with ``margin``, those
        within ``margin`` A of the pose ``xyz`` only.

        All is the default because the torsion search swings whole tails: a degrader's
        linker turned 30 degrees moves its far end by several A, into pocket atoms that a
        selection around the starting pose had left out, so the energy never saw the
        clashes the final pose was then counted with. (The shipped pocket is a 12-A sphere of
        260-430 atoms; the pairs beyond :data:`~imidchem.chem.pocket.score.CUTOFF` cost only
        their distance.)"""
        c = self.structure.coords
        if margin is None or xyz is None:
            near = np.ones(len(c), dtype=bool)
        else:
            near = np.linalg.norm(c[:, None] - xyz[self.heavy][None], axis=2).min(axis=1) <= margin
        p = self.pocket_all
        self.pocket_xyz = c[near]
        self.pocket_sq = (self.pocket_xyz * self.pocket_xyz).sum(axis=1)
        self.pocket = AtomTypes(
            p.radius[near], p.hydrophobic[near], p.donor[near], p.acceptor[near]
        )
        self.flags = pair_flags(self.types, self.pocket)

    def energy(self, xyz: np.ndarray, cap: bool = False) -> float:
        """The energy; with ``cap`` each pair's repulsion counts at most 1 (for ranking starts
        that a single clashing atom would otherwise hide)."""
        return self._energy(xyz, cap)[0]

    def _energy(self, xyz: np.ndarray, cap: bool = False) -> tuple[float, np.ndarray]:
        e, g = interaction_energy(
            xyz,
            self.types,
            self.heavy,
            self.pocket_xyz,
            self.pocket,
            self.intra,
            cap=cap,
            pocket_sq=self.pocket_sq,
            flags=self.flags,
        )
        if self.tether is not None:
            idx, target = self.tether
            v = xyz[idx] - target
            d = np.maximum(np.sqrt((v * v).sum(axis=1)), 1e-9)
            over = np.maximum(0.0, d - TETHER_FREE)
            k = self.tether_k
            e += float((k * over * over).sum())
            g[idx] += (2.0 * k * over / d)[:, None] * v
        return e, g

    def _coords(self, x: np.ndarray, base: np.ndarray, centre: np.ndarray) -> np.ndarray:
        xyz = base.copy()
        for k, t in enumerate(self.torsions):
            angle = x[6 + k]
            if angle != 0.0:
                xyz[t.moving] = _rotate(xyz[t.moving], xyz[t.b], xyz[t.b] - xyz[t.a], angle)
        return (xyz - centre) @ _rotation_matrix(x[3:6]).T + centre + x[:3]

    def _fun(self, x: np.ndarray, base: np.ndarray, centre: np.ndarray):
        xyz = self._coords(x, base, centre)
        e, g = self._energy(xyz)
        grad = np.empty_like(x)
        grad[:3] = g.sum(axis=0)
        grad[3:6] = _cross(xyz - centre - x[:3], g).sum(axis=0)
        if len(self.torsions):
            # d xyz_i / d angle_k = u_k x (xyz_i - xyz_b) for the atoms i torsion k moves, so
            # dE/d angle_k = u_k . (sum_i xyz_i x g_i - xyz_b x sum_i g_i)
            u = xyz[self.axis_b] - xyz[self.axis_a]
            u /= np.sqrt((u * u).sum(axis=1))[:, None]
            turn = self.members @ _cross(xyz, g)
            pull = self.members @ g
            grad[6:] = (u * (turn - _cross(xyz[self.axis_b], pull))).sum(axis=1)
        return e, grad

    def free_torsions(self) -> list[Torsion]:
        """The rotatable bonds that move something besides the tethered atoms (the bond's far
        atom ``b`` sits on the axis), shallowest (nearest the root) first: the bond joining
        the scaffold to the ring turns the whole tail with it."""
        held = set() if self.tether is None else {int(i) for i in self.tether[0]}
        return [t for t in reversed(self.torsions) if set(t.moving.tolist()) - held - {t.b}]

    def _grid(
        self, xyz: np.ndarray, t: Torsion, deadline: float | None
    ) -> list[tuple[float, np.ndarray]]:
        """(energy, coordinates) with torsion ``t`` set to each angle of the absolute grid
        (0, 30, 60, ... degrees, measured on the lowest-index heavy neighbours)."""
        if deadline is not None and time.process_time() > deadline:
            raise PocketTimeout("torsion search ran past the time limit")
        i, j = self._dihedral_atoms(t)
        origin, axis = xyz[t.b], xyz[t.b] - xyz[t.a]
        now = _dihedral(xyz[i], xyz[t.a], xyz[t.b], xyz[j])
        probe = _rotate(xyz[[j]], origin, axis, 0.3)[0]
        sign = 1.0 if _wrap(_dihedral(xyz[i], xyz[t.a], xyz[t.b], probe) - now) > 0 else -1.0
        # only the terms of the moving atoms change: the rest of the energy is counted once
        rest = self.energy(xyz) - self._moving_energy(xyz, t)
        trials = np.repeat(xyz[None], SCAN_STEPS, axis=0)
        for n, angle in enumerate(2.0 * np.pi * np.arange(SCAN_STEPS) / SCAN_STEPS):
            trials[n, t.moving] = _rotate(xyz[t.moving], origin, axis, sign * (angle - now))
        moving = self._moving_energies(trials, t)
        return [(rest + e, trial) for e, trial in zip(moving, trials, strict=True)]

    def _moving_energies(self, trials: np.ndarray, t: Torsion) -> list[float]:
        """:meth:`_moving_energy` of each coordinate set in ``trials`` (computed together:
        the same numbers)."""
        heavy, pairs, moving = self._moving_parts(t)
        out = energies(
            trials,
            self.types,
            heavy,
            self.pocket_xyz,
            self.pocket,
            pairs,
            self.pocket_sq,
            self.flags,
        )
        if self.tether is not None:
            idx, target = self.tether
            sel = moving[idx]
            if sel.any():
                k = self.tether_k if np.isscalar(self.tether_k) else self.tether_k[sel]
                for n, trial in enumerate(trials):
                    v = trial[idx[sel]] - target[sel]
                    over = np.maximum(0.0, np.sqrt((v * v).sum(axis=1)) - TETHER_FREE)
                    out[n] += float((k * over * over).sum())
        return out

    def _moving_parts(self, t: Torsion) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The moving heavy atoms, the intramolecular pairs across ``t`` and the moving-atom
        mask (computed once per torsion)."""
        key = (t.a, t.b)
        if key not in self._moving_terms:
            moving = np.zeros(self.mol.GetNumAtoms(), dtype=bool)
            moving[t.moving] = True
            pairs = self.intra[moving[self.intra[:, 0]] != moving[self.intra[:, 1]]]
            self._moving_terms[key] = (self.heavy[moving[self.heavy]], pairs, moving)
        return self._moving_terms[key]

    def _moving_energy(self, xyz: np.ndarray, t: Torsion) -> float:
        """The part of the energy that turning torsion ``t`` can change: the moving heavy
        atoms against the pocket, the intramolecular pairs across the bond, the moving
        tethered atoms."""
        heavy, pairs, moving = self._moving_parts(t)
        e, _ = interaction_energy(
            xyz,
            self.types,
            heavy,
            self.pocket_xyz,
            self.pocket,
            pairs,
            gradient=False,
            pocket_sq=self.pocket_sq,
            flags=self.flags,
        )
        if self.tether is not None:
            idx, target = self.tether
            sel = moving[idx]
            if sel.any():
                v = xyz[idx[sel]] - target[sel]
                over = np.maximum(0.0, np.sqrt((v * v).sum(axis=1)) - TETHER_FREE)
                k = self.tether_k if np.isscalar(self.tether_k) else self.tether_k[sel]
                e += float((k * over * over).sum())
        return e

    def _sweep(
        self,
        xyz: np.ndarray,
        energy: float,
        free: list[Torsion],
        passes: int,
        deadline: float | None,
    ) -> tuple[np.ndarray, float]:
        """Greedy sweeps over ``free``: each bond in turn set to its lowest-energy grid angle."""
        for _ in range(passes):
            before = energy
            for t in free:
                trials = self._grid(xyz, t, deadline)
                k = min(range(len(trials)), key=lambda n: (trials[n][0], n))
                energy, xyz = trials[k]
            if energy > before - 1e-6:
                break
        return xyz, energy

    def scan(self, xyz: np.ndarray, passes: int = 2, deadline: float | None = None) -> np.ndarray:
        """Systematic torsion search with the tethered anchor held: from the root outwards,
        each rotatable bond that moves more than tethered atoms is set to each of
        :data:`SCAN_STEPS` dihedral angles on a fixed grid (0, 30, 60, ... degrees, measured
        on the lowest-index heavy neighbours) and kept at the one of lowest energy (pocket,
        intramolecular clashes, tether); ``passes`` sweeps. The grid is absolute, not
        relative to the start, so conformers that differ only in these torsions end on the
        same pose. Finds room for a tail that a local minimiser started in a clash cannot
        reach. Never returns a pose of higher energy than the start."""
        start_energy = self.energy(xyz)
        new, energy = self._sweep(xyz, start_energy, self.free_torsions(), passes, deadline)
        return xyz if energy > start_energy else new

    def scan_branches(
        self,
        xyz: np.ndarray,
        branches: int = BRANCHES,
        passes: int = 2,
        deadline: float | None = None,
    ) -> list[tuple[float, np.ndarray]]:
        """Like :meth:`scan`, but the first free bond (the one that turns the group on the
        held ring) is not decided on the rigid grid energy: each of its ``branches``
        lowest local minima on the grid is kept, the other bonds are swept from each, and
        all come back as (energy, coordinates), lowest first.

        Two orientations of a ring system on the glutarimide C3 (a quinazolinone turned
        over, a benzamide's amide on one side or the other) differ by a few energy units
        before relaxation and often by less than one after: deciding between them on the
        unrelaxed grid let the conformers' small differences pick one or the other, so the
        reported pose changed with the seed."""
        free = self.free_torsions()
        if branches <= 1 or not free:
            return [(self.energy(s), s) for s in (self.scan(xyz, passes, deadline),)]
        profile = self._grid(xyz, free[0], deadline)
        energy = [e for e, _ in profile]
        n = len(energy)
        minima = [k for k in range(n) if energy[k] <= min(energy[k - 1], energy[(k + 1) % n])]
        minima.sort(key=lambda k: (energy[k], k))
        out = []
        for k in minima[:branches]:
            new, e = self._sweep(profile[k][1], energy[k], free[1:], passes, deadline)
            out.append((e, new))
        return sorted(out, key=lambda r: r[0])

    def _dihedral_atoms(self, t: Torsion) -> tuple[int, int]:
        """The atoms that define torsion ``t``'s angle: the lowest-index neighbour of ``a``
        (not ``b``) and of ``b`` (not ``a``), heavy atoms first."""

        def pick(centre: int, other: int) -> int:
            nbs = [n for n in self.mol.GetAtomWithIdx(centre).GetNeighbors() if n.GetIdx() != other]
            return min(nbs, key=lambda n: (n.GetAtomicNum() == 1, n.GetIdx())).GetIdx()

        return pick(t.a, t.b), pick(t.b, t.a)

    def refine(
        self, xyz: np.ndarray, rounds: int = 3, max_iter: int = 60, deadline: float | None = None
    ) -> tuple[np.ndarray, float]:
        """Locally optimised coordinates and their energy."""
        n = 6 + len(self.torsions)
        for _ in range(rounds):
            if deadline is not None and time.process_time() > deadline:
                raise PocketTimeout("pose refinement ran past the time limit")
            centre = xyz[self.heavy].mean(axis=0)
            x, _ = lbfgs(lambda v, b=xyz, c=centre: self._fun(v, b, c), np.zeros(n), max_iter)
            new = self._coords(x, xyz, centre)
            moved = np.abs(new - xyz).max()
            xyz = new
            if moved < 0.05:
                break
        return xyz, self.energy(xyz)


@dataclass(frozen=True, eq=False)
class Placement:
    """The chosen pose (coordinates of the molecule with hydrogens) and how it was found.

    ``refined`` holds every refined start as (coordinates, energy, anchor), lowest energy
    first; the first is the pose."""

    mol_h: Chem.Mol  # one conformer: the pose
    anchor: Anchor | None
    energy: float
    start_energy: float
    conformers: int
    refined: tuple[tuple[np.ndarray, float, Anchor | None], ...] = ()
    # the relaxed conformers embedded (coordinates with hydrogens; no flipped puckers): what
    # the mirror image of the molecule can reuse (:func:`mirrored`)
    embedded: tuple[np.ndarray, ...] = ()

    def pose_at(self, xyz: np.ndarray) -> Chem.Mol:
        """A copy of the pose molecule with coordinates ``xyz`` (another refined start)."""
        out = Chem.Mol(self.mol_h)
        out.GetConformer().SetPositions(xyz)
        return out


def coordinate_maps(anchors: list[Anchor], limit: int = MAX_MAPS) -> list[dict[int, np.ndarray]]:
    """Up to ``limit`` coordinate maps (molecule atom -> crystal coordinates) for the
    template starts, one per distinct internal geometry among ``anchors`` (mappings that only
    differ by a rigid motion or by symmetry need one set of conformers): the first anchor's,
    then the one that puts the same atoms farthest from it (the ring turned round, where a
    match allows that, before a second template of the same placement)."""
    maps: list[tuple[tuple[int, ...], np.ndarray, dict]] = []
    for anchor in anchors:
        order = np.argsort(anchor.query)
        query = tuple(int(i) for i in np.asarray(anchor.query)[order])
        target = anchor.target[order]
        dist = np.linalg.norm(target[:, None] - target[None], axis=2)
        if not any(q == query and np.abs(d - dist).max() < 0.25 for q, d, _ in maps):
            maps.append((query, dist, dict(zip(query, target, strict=True))))
    if len(maps) <= limit:
        return [m for _, _, m in maps]
    chosen = [maps[0][2]]
    rest = [m for _, _, m in maps[1:]]
    while len(chosen) < limit and rest:
        far = max(
            range(len(rest)),
            key=lambda k: (
                min(_displacement(c, rest[k]) for c in chosen),
                -k,
            ),
        )
        chosen.append(rest.pop(far))
    return chosen


def _displacement(a: dict[int, np.ndarray], b: dict[int, np.ndarray]) -> float:
    """Largest distance (A) between the places two maps give the atoms both map."""
    common = set(a) & set(b)
    if not common:
        return np.inf
    return max(float(np.linalg.norm(a[i] - b[i])) for i in common)


def place(
    mol: Chem.Mol,
    structure: PocketStructure,
    seed: int = 42,
    conformers: int = 8,
    starts: int = 3,
    fit_window: float = 0.25,
    tether: str = "anchor",
    exclude_templates: tuple[str, ...] = (),
    rounds: int = 3,
    deadline: float | None = None,
    search: bool = True,
    template_starts: bool = True,
    branches: int = BRANCHES,
    puckers: bool = True,
    built: tuple[np.ndarray, ...] | None = None,
    anchors: list[Anchor] | None = None,
) -> Placement:
    """Place and refine ``mol`` (no hydrogens needed) in ``structure``'s pocket.

    ``tether``: "glutarimide" holds the glutarimide ring atoms of the anchor stiffly
    (:data:`TETHER_K`); "anchor" also the other common-substructure atoms, softly
    (:data:`TETHER_K_SOFT`); "none" nothing. ``search``: a systematic torsion search
    (:meth:`Refiner.scan`) before each local refinement; ``rounds=0``: no refinement.
    ``template_starts``: conformers embedded with the anchor atoms at the crystal geometry
    (:func:`embed` with a coordinate map; the ring pucker and scaffold of the crystal ligand),
    split over the anchor's distinct geometries; otherwise free ETKDG conformers.
    ``branches``: where the anchor holds the imide ring only (no crystal ligand shares the
    group on it), the bond that turns that group is searched from this many grid minima
    (:meth:`Refiner.scan_branches`); searched starts within :data:`DUPLICATE_RMSD` of one
    already refined are not refined again. ``puckers``: where no template sets the anchored
    ring's pucker (:func:`_loose_ring`), both are embedded (:func:`flip_puckers`).
    ``built``: relaxed conformers of ``mol`` with hydrogens (coordinates in
    :func:`Chem.AddHs` atom order, e.g. the mirror images of its enantiomer's:
    :func:`mirrored`) used instead of embedding new ones; the puckers are still flipped.
    ``anchors``: these instead of :func:`find_anchors`' (the head's pose: ``head.py``)."""
    if tether not in TETHERS:
        raise ValueError(f"tether must be one of {', '.join(TETHERS)}")
    mol_h = Chem.AddHs(mol)
    if anchors is None:
        anchors = find_anchors(mol_h, structure, exclude_templates)
    loose_ring = _loose_ring(mol_h, anchors) if puckers else ()
    if built:
        ids = _add_conformers(mol_h, built)
    else:
        ids = _embed_starts(mol_h, anchors, conformers, seed, deadline, template_starts)
    embedded = tuple(mol_h.GetConformer(cid).GetPositions() for cid in ids)
    if loose_ring:  # the other pucker cannot match the crystal ring as closely
        ids += flip_puckers(mol_h, ids, loose_ring)
        fit_window = max(fit_window, LOOSE_FIT_WINDOW)
    if anchors:  # the torsion tree grows from a held atom, so torsions move the tail only
        root = int(anchors[0].tether()[0][0])
    else:
        root = _central_atom(mol_h)
    refiner = Refiner(mol_h, structure, root)
    candidates = _candidates(mol_h, ids, anchors, structure)
    ranked = _ranked(refiner, candidates, fit_window)
    if not rounds:  # template placement only (for the method comparison in docs/pocket.md)
        refined = [
            (refiner.energy(candidates[k][1]), n, candidates[k][1], candidates[k][2], e)
            for n, (e, k) in enumerate(ranked[:starts])
        ]
    else:
        refined = _refine_starts(
            refiner, candidates, ranked, starts, tether, search, branches, rounds, deadline
        )
    refined.sort(key=lambda r: (r[0], r[1]))
    energy, _, xyz, anchor, start_energy = refined[0]
    pose = _single_conformer(mol_h, ids[0])
    pose.GetConformer().SetPositions(xyz)
    starts_found = tuple((r[2], r[0], r[3]) for r in refined)
    return Placement(pose, anchor, energy, start_energy, len(ids), starts_found, embedded)


def _ranked(
    refiner: Refiner, candidates: list[tuple[float, np.ndarray, Anchor | None]], window: float
) -> list[tuple[float, int]]:
    """The starts, as (capped energy, candidate index): the conformers that fit the anchor
    best (within ``window`` A of the best fit), by energy (each pair's repulsion capped, so one
    clashing atom does not hide a start)."""
    best_fit = min(c[0] for c in candidates)
    return sorted(
        (
            (refiner.energy(xyz, cap=True), k)
            for k, (fit, xyz, _) in enumerate(candidates)
            if fit <= best_fit + window
        ),
        key=lambda r: (r[0], r[1]),
    )


def _add_conformers(mol_h: Chem.Mol, built: tuple[np.ndarray, ...]) -> list[int]:
    """``built`` (coordinates in ``mol_h``'s atom order) as the conformers of ``mol_h``
    (those present removed); their IDs."""
    mol_h.RemoveAllConformers()
    ids = []
    for xyz in built:
        conf = Chem.Conformer(mol_h.GetNumAtoms())
        conf.SetPositions(np.asarray(xyz, dtype=float))
        conf.Set3D(True)
        ids.append(mol_h.AddConformer(conf, assignId=True))
    return ids


def mirrored(source: tuple[np.ndarray, ...], mol: Chem.Mol) -> tuple[np.ndarray, ...] | None:
    """The mirror images (z negated) of conformers ``source`` (of a molecule with the atoms
    of ``mol``, hydrogens as :func:`Chem.AddHs` adds them) when each has exactly ``mol``'s
    stereo; None otherwise.

    Mirror images have the same force-field energies, so the relaxed conformers of one
    enantiomer, reflected, are relaxed conformers of the other, without a second ETKDG and
    MMFF run (half of the conformer cost of a racemate). Checked, not assumed: the stereo of
    each reflected conformer is perceived from its 3-D coordinates and its canonical
    isomeric SMILES compared with ``mol``'s (centres and double bonds ``mol`` leaves
    undefined are left out). A diastereomer (only some centres inverted) gets None.

    >>> from rdkit.Chem import rdDistGeom
    >>> s = Chem.AddHs(Chem.MolFromSmiles("C[C@H](N)C(=O)O"))
    >>> ids = rdDistGeom.EmbedMultipleConfs(s, 2, randomSeed=1)
    >>> confs = tuple(s.GetConformer(i).GetPositions() for i in ids)
    >>> len(mirrored(confs, Chem.MolFromSmiles("C[C@@H](N)C(=O)O")))
    2
    >>> mirrored(confs, Chem.MolFromSmiles("C[C@H](N)C(=O)O")) is None
    True
    """
    if not source:
        return None
    mol_h = Chem.AddHs(mol)
    if mol_h.GetNumAtoms() != len(source[0]):
        return None
    want = Chem.MolToSmiles(Chem.RemoveHs(mol_h))
    out = []
    for xyz in source:
        xyz = np.asarray(xyz, dtype=float) * np.array([1.0, 1.0, -1.0])
        probe = Chem.Mol(mol_h)
        probe.RemoveAllConformers()
        _add_conformers(probe, (xyz,))
        with rdBase.BlockLogs():
            Chem.AssignStereochemistryFrom3D(probe, replaceExistingTags=True)
            for a, b in zip(probe.GetAtoms(), mol_h.GetAtoms(), strict=True):
                if b.GetChiralTag() == Chem.ChiralType.CHI_UNSPECIFIED:
                    a.SetChiralTag(Chem.ChiralType.CHI_UNSPECIFIED)
            for a, b in zip(probe.GetBonds(), mol_h.GetBonds(), strict=True):
                if b.GetStereo() in (Chem.BondStereo.STEREONONE, Chem.BondStereo.STEREOANY):
                    a.SetStereo(Chem.BondStereo.STEREONONE)
                    a.SetBondDir(Chem.BondDir.NONE)
            Chem.AssignStereochemistry(probe, cleanIt=True, force=True)
            got = Chem.MolToSmiles(Chem.RemoveHs(probe))
        if got != want:
            return None
        out.append(xyz)
    return tuple(out)


def _embed_starts(
    mol_h: Chem.Mol,
    anchors: list[Anchor],
    conformers: int,
    seed: int,
    deadline: float | None,
    template_starts: bool,
) -> list[int]:
    """Conformer IDs of ``mol_h``: split over the anchors' template geometries
    (:func:`coordinate_maps`), or free ETKDG conformers."""
    # ETKDG's own timeout is wall-clock: the CPU time left (at least 1 s), so that a molecule
    # ETKDG cannot embed (a bridged ring held by a template map) stops near the limit
    # instead of running for minutes; the CPU deadline is checked after it
    timeout = 30.0 if deadline is None else max(1.0, deadline - time.process_time())
    maps = coordinate_maps(anchors) if template_starts else []
    try:
        if maps:
            per = max(1, -(-conformers // len(maps)))
            ids = []
            for k, coord_map in enumerate(maps):
                ids += embed(mol_h, per, seed + k, timeout, coord_map=coord_map, clear=k == 0)
        else:
            ids = embed(mol_h, conformers, seed, timeout)
    except EmbeddingError:
        if deadline is not None and time.process_time() > deadline:  # stopped by the limit
            raise PocketTimeout("embedding ran past the time limit") from None
        raise
    if deadline is not None and time.process_time() > deadline:
        raise PocketTimeout("embedding ran past the time limit")
    return ids


def _loose_ring(mol_h: Chem.Mol, anchors: list[Anchor]) -> tuple[int, ...]:
    """The anchored glutarimide ring (in ring order) when a substituent on one of its sp3
    atoms is not anchored (the other enantiomer cut back to its ring); empty otherwise. Such
    a ring's pucker is not set by a template: both puckers are embedded
    (:func:`flip_puckers`)."""
    if not anchors or anchors[0].kind not in _GLUTARIMIDE_ANCHORS:
        return ()
    query = set(anchors[0].query)
    rings = [r for r in mol_h.GetRingInfo().AtomRings() if len(r) in (5, 6)]
    ring = max(rings, key=lambda r: len(query & set(r)), default=())
    if len(query & set(ring)) < 3:
        return ()
    for i in ring:
        atom = mol_h.GetAtomWithIdx(i)
        if atom.GetHybridization() != Chem.HybridizationType.SP3:
            continue
        exo = [
            n.GetIdx()
            for n in atom.GetNeighbors()
            if n.GetAtomicNum() > 1 and n.GetIdx() not in ring
        ]
        if any(n not in query for n in exo):
            return _ring_order(mol_h, ring)
    return ()


def _ring_order(mol: Chem.Mol, ring: tuple[int, ...]) -> tuple[int, ...]:
    """The atoms of ``ring`` in bond order around it."""
    members = set(ring)
    order = [ring[0]]
    while len(order) < len(ring):
        here = mol.GetAtomWithIdx(order[-1])
        nxt = [
            n.GetIdx()
            for n in here.GetNeighbors()
            if n.GetIdx() in members and n.GetIdx() not in order
        ]
        order.append(min(nxt))
    return tuple(order)


_MMFF_PROPS: dict[tuple[int, bool], object] = {}


def _mmff_properties(mol_h: Chem.Mol, bonded_only: bool = False):
    """MMFF94 properties of ``mol_h`` (None where MMFF lacks parameters), computed once per
    molecule object (typing is the costly part of setting up the force field). With
    ``bonded_only`` the torsion, van der Waals and electrostatic terms are off: bond lengths,
    angles and out-of-plane bending only."""
    key = (id(mol_h), bonded_only)
    if key not in _MMFF_PROPS:
        if len(_MMFF_PROPS) > 8:
            _MMFF_PROPS.clear()
        props = None
        if rdForceFieldHelpers.MMFFHasAllMoleculeParams(mol_h):
            props = rdForceFieldHelpers.MMFFGetMoleculeProperties(mol_h)
            if bonded_only:
                props.SetMMFFTorsionTerm(False)
                props.SetMMFFVdWTerm(False)
                props.SetMMFFEleTerm(False)
        _MMFF_PROPS[key] = (mol_h, props)
    return _MMFF_PROPS[key][1]


def flip_puckers(mol_h: Chem.Mol, ids: list[int], ring: tuple[int, ...]) -> list[int]:
    """New conformers: each of ``ids`` with ``ring``'s pucker turned over (its most twisted
    ring torsion driven to the opposite sign under MMFF, then relaxed freely), where the
    turned pucker holds and differs from every pucker present. Returns the new IDs.

    With the substituent on a ring carbon unanchored, the two puckers (that substituent
    axial or equatorial) are both open to the molecule; left to ETKDG, one seed embedded only
    one of them and the other both, and the pose changed with it ((R)-thalidomide placed on
    the (S) crystal ring: 6 clashes with the crystal pucker, 2 with the other)."""
    props = _mmff_properties(mol_h)
    if props is None:
        return []
    quads = [tuple(ring[(k + j) % len(ring)] for j in range(4)) for k in range(len(ring))]

    def pucker(cid: int) -> tuple[int, ...]:
        conf = mol_h.GetConformer(cid)
        return tuple(int(np.sign(round(_conf_dihedral(conf, q) / 15.0))) for q in quads)

    sources: dict[tuple[int, ...], int] = {}  # one conformer per pucker present
    for cid in ids:
        sources.setdefault(pucker(cid), cid)
    seen = set(sources)
    new = []
    for cid in sources.values():
        conf = mol_h.GetConformer(cid)
        angles = [_conf_dihedral(conf, q) for q in quads]
        k = int(np.argmax(np.abs(angles)))
        copy = Chem.Conformer(conf)
        nid = mol_h.AddConformer(copy, assignId=True)
        ff = rdForceFieldHelpers.MMFFGetMoleculeForceField(mol_h, props, confId=nid)
        target = -angles[k]
        ff.MMFFAddTorsionConstraint(*quads[k], False, target - 5.0, target + 5.0, 100.0)
        ff.Minimize(maxIts=RELAX_ITERS)
        ff = rdForceFieldHelpers.MMFFGetMoleculeForceField(mol_h, props, confId=nid)
        ff.Minimize(maxIts=RELAX_ITERS)
        shape = pucker(nid)
        if shape in seen:
            mol_h.RemoveConformer(nid)
            continue
        seen.add(shape)
        new.append(nid)
    return new


def _conf_dihedral(conf: Chem.Conformer, quad: tuple[int, ...]) -> float:
    p = [np.array(conf.GetAtomPosition(i)) for i in quad]
    return float(np.degrees(_dihedral(*p)))


def _candidates(
    mol_h: Chem.Mol, ids: list[int], anchors: list[Anchor], structure: PocketStructure
) -> list[tuple[float, np.ndarray, Anchor | None]]:
    """Every conformer superposed on every anchor mapping (Kabsch), as (fit RMSD on the
    anchor atoms, coordinates, anchor); without anchors, overlaid on the crystal ligand by
    shape and colour."""
    out = []
    for cid in ids:
        xyz = mol_h.GetConformer(cid).GetPositions()
        if not anchors:
            probe = _single_conformer(mol_h, cid)
            rdShapeAlign.AlignMol(structure.ligand, probe, opt_param=0.5)
            out.append((0.0, probe.GetConformer().GetPositions(), None))
            continue
        for anchor in anchors:
            q, c = xyz[list(anchor.query)], anchor.target
            R, t = kabsch(q, c)
            fit = float(np.sqrt(((q @ R.T + t - c) ** 2).sum(axis=1).mean()))
            out.append((fit, xyz @ R.T + t, anchor))
    return out


def _hold(refiner: Refiner, anchor: Anchor, tether: str) -> None:
    """Tether ``anchor``'s atoms in ``refiner``: the glutarimide stiffly, with "anchor" the
    other common-substructure atoms softly."""
    if tether == "glutarimide":
        refiner.tether = anchor.tether()
    else:
        refiner.tether = (np.array(anchor.query), anchor.target)
    stiff_only = tether == "glutarimide" or not anchor.tethered
    refiner.tether_k = (
        TETHER_K if stiff_only else np.where(anchor.tethered, TETHER_K, TETHER_K_SOFT)
    )


def _refine_starts(
    refiner: Refiner,
    candidates: list[tuple[float, np.ndarray, Anchor | None]],
    ranked: list[tuple[float, int]],
    starts: int,
    tether: str,
    search: bool,
    branches: int,
    rounds: int,
    deadline: float | None,
) -> list[tuple[float, int, np.ndarray, Anchor | None, float]]:
    """Search the ``starts`` best-ranked candidates (``2 * starts`` where the anchor holds
    the ring only: :func:`ring_only`) with :func:`_searched`, then refine the
    searched poses from the lowest energy up, skipping any within :data:`DUPLICATE_RMSD` of
    one refined already, until ``starts`` (plus one per extra branch, where the anchor holds
    the ring only) are refined. Returns (energy, order, coordinates, anchor, start energy).

    Searching more starts than are refined picks the refined ones after the torsion search
    instead of before it: a conformer whose tail starts in a clash is not lost for that."""
    pool = []  # (searched energy, order, coordinates, anchor, start energy, budget)
    searched = 2 * starts if ring_only(candidates[ranked[0][1]][2]) else starts
    for start_energy, k in ranked[:searched]:
        _, xyz, anchor = candidates[k]
        if tether != "none" and anchor is not None:
            _hold(refiner, anchor, tether)
        found = _searched(refiner, xyz, anchor, search, branches, deadline)
        budget = starts + len(found) - 1  # one more refinement per extra branch
        for energy, new in found:
            pool.append((energy, len(pool), new, anchor, float(start_energy), budget))
    pool.sort(key=lambda r: (r[0], r[1]))
    budget = max(r[5] for r in pool)
    refined: list[tuple[float, int, np.ndarray, Anchor | None, float]] = []
    done: list[np.ndarray] = []  # heavy-atom coordinates of the searched poses refined
    for _, order, xyz, anchor, start_energy, _ in pool:
        heavy = xyz[refiner.heavy]
        if any(_rms(heavy, other) < DUPLICATE_RMSD for other in done):
            continue
        done.append(heavy)
        if tether != "none" and anchor is not None:
            _hold(refiner, anchor, tether)
        new, energy = refiner.refine(xyz, rounds=rounds, deadline=deadline)
        refined.append((float(energy), order, new, anchor, start_energy))
        if len(refined) >= budget:
            break
    return refined


def _searched(
    refiner: Refiner,
    xyz: np.ndarray,
    anchor: Anchor | None,
    search: bool,
    branches: int,
    deadline: float | None,
) -> list[tuple[float, np.ndarray]]:
    """The start ``xyz`` after the torsion search, as (energy, coordinates): one pose, or one
    per branch where the anchor holds the imide ring only (every anchor atom in the stiff
    ring tether: nothing of the group on the ring comes from a crystal ligand)."""
    if not search or anchor is None:  # nothing held without an anchor
        return [(refiner.energy(xyz), xyz)]
    if not ring_only(anchor) or branches <= 1:
        new = refiner.scan(xyz, deadline=deadline)
        return [(refiner.energy(new), new)]
    return refiner.scan_branches(xyz, branches, deadline=deadline)


_GLUTARIMIDE_ANCHORS = (ANCHORS[0][0], ANCHORS[1][0])


def ring_only(anchor: Anchor | None) -> bool:
    """Whether ``anchor`` holds a glutarimide ring (and its exit atom) only: every atom in
    the stiff ring tether, nothing of the group on C3 from a crystal ligand. (Other cyclic
    imides and lactams, anchored by their O=C-N(-C=O) alone, keep the single search: the
    pose is the decisive evidence for the C3-substituted glutarimides, and the extra starts
    cost most there where a library has most of its anchorable molecules.)"""
    return (
        anchor is not None
        and anchor.kind in _GLUTARIMIDE_ANCHORS
        and (not anchor.tethered or all(anchor.tethered))
    )


def _rms(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.sqrt(((a - b) ** 2).sum(axis=1).mean()))


def _single_conformer(mol_h: Chem.Mol, cid: int) -> Chem.Mol:
    out = Chem.Mol(mol_h)
    out.RemoveAllConformers()
    out.AddConformer(Chem.Conformer(mol_h.GetConformer(cid)), assignId=True)
    return out


def _central_atom(mol: Chem.Mol) -> int:
    dist = Chem.GetDistanceMatrix(mol)
    heavy = [a.GetIdx() for a in mol.GetAtoms() if a.GetAtomicNum() > 1]
    return min(heavy, key=lambda i: (max(dist[i][j] for j in heavy), i))
