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

import time
from dataclasses import dataclass

import numpy as np
from rdkit import Chem, rdBase
from rdkit.Chem import rdDistGeom, rdFMCS, rdShapeAlign

from ...errors import ImidchemError
from ..patterns import anchor_atoms
from .score import AtomTypes, interaction_energy, ligand_types, pocket_types
from .structures import PocketStructure, kabsch, templates


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
    best: list[Anchor] = []
    best_key = (0, 0)
    with rdBase.BlockLogs():
        for key, template, glut in templates(structure.pdb_id, tuple(exclude_templates)):
            result = rdFMCS.FindMCS([heavy, template], _mcs_params())
            if result.numAtoms < 8:
                continue
            pattern = Chem.MolFromSmarts(result.smartsString)
            t_matches = template.GetSubstructMatches(pattern, uniquify=False, maxMatches=8)
            needed = {glut["N"], glut["C2"], glut["C6"], glut["C3"]}
            if not t_matches or not needed <= set(t_matches[0]):
                continue
            core = set(glut["ring"])
            q_matches = heavy.GetSubstructMatches(pattern, uniquify=False, maxMatches=8)
            xyz = template.GetConformer().GetPositions()
            found = _dedupe(
                [
                    Anchor(ANCHORS[0][0], tuple(q), xyz[list(t)], key, tuple(j in core for j in t))
                    for q in q_matches
                    for t in t_matches
                ],
                ranks,
            )
            # more atoms in common first, then fewer distinct placements (a symmetric template,
            # like thalidomide's phthalimide, cannot say which way an asymmetric ring points)
            rank = (result.numAtoms, -len(found))
            if rank > best_key:
                best, best_key = found, rank
            elif rank == best_key:
                best.extend(found)
    if best:
        return _dedupe(best, ranks)[:max_maps]
    lig = structure.ligand
    lig_xyz = structure.ligand_coords
    g = structure.glutarimide
    imide = len(anchorable[0]) == len(_IMIDE_ROLES)  # else N-H lactams (O, C, N)
    for kind, _ in ANCHORS[1:]:
        if kind == "C3-substituted glutarimide":
            pattern = _PATTERNS[kind]
            matches = heavy.GetSubstructMatches(pattern, uniquify=False, maxMatches=50)
        elif kind == "cyclic imide":  # both ways round
            matches = [q for m in anchorable for q in (m, m[::-1])] if imide else []
        else:
            matches = list(anchorable)
        if not matches:
            continue
        anchors = []
        if kind == "C3-substituted glutarimide":
            for q in matches:
                for c in lig.GetSubstructMatches(pattern, uniquify=False):
                    anchors.append(Anchor(kind, tuple(q), lig_xyz[list(c)], structure.pdb_id))
        elif kind == "cyclic imide":
            target = lig_xyz[[g[r] for r in _IMIDE_ROLES]]
            anchors = [Anchor(kind, tuple(q), target, structure.pdb_id) for q in matches]
        else:
            for q in matches:
                for roles in (("O2", "C2", "N"), ("O6", "C6", "N")):
                    target = lig_xyz[[g[r] for r in roles]]
                    anchors.append(Anchor(kind, tuple(q), target, structure.pdb_id))
        return _dedupe(anchors, ranks)[:max_maps]
    return []


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


def embed(mol_h: Chem.Mol, n: int, seed: int, timeout: float) -> list[int]:
    """ETKDGv3 conformers of a molecule with hydrogens; raises :class:`EmbeddingError`."""
    params = rdDistGeom.ETKDGv3()
    params.randomSeed = seed
    params.numThreads = 1
    params.timeout = max(1, int(timeout))
    params.maxIterations = 200
    ids = list(rdDistGeom.EmbedMultipleConfs(mol_h, n, params))
    if not ids:
        params.useRandomCoords = True
        ids = list(rdDistGeom.EmbedMultipleConfs(mol_h, n, params))
    if not ids:
        raise EmbeddingError("no 3-D conformer could be embedded (ETKDG failed)")
    return ids


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
        side = _side(mol_h, b, a)
        if root in side:
            a, b = b, a
            side = _side(mol_h, b, a)
        depth = min(dist[root][a], dist[root][b])
        torsions.append((depth, a, b, np.array(sorted(side))))
    torsions.sort(key=lambda t: (-t[0], t[1], t[2]))
    return [Torsion(a, b, moving) for _, a, b, moving in torsions]


def _side(mol: Chem.Mol, start: int, blocked: int) -> set[int]:
    seen, stack = {start}, [start]
    while stack:
        atom = mol.GetAtomWithIdx(stack.pop())
        for nb in atom.GetNeighbors():
            j = nb.GetIdx()
            if j != blocked and j not in seen:
                seen.add(j)
                stack.append(j)
    return seen


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


def _rotation_matrix(rotvec: np.ndarray) -> np.ndarray:
    angle = float(np.sqrt(rotvec @ rotvec))
    if angle < 1e-12:
        return np.eye(3)
    k = rotvec / angle
    K = np.array([[0.0, -k[2], k[1]], [k[2], 0.0, -k[0]], [-k[1], k[0], 0.0]])
    return np.eye(3) + np.sin(angle) * K + (1.0 - np.cos(angle)) * (K @ K)


def _rotate(points: np.ndarray, origin: np.ndarray, axis: np.ndarray, angle: float) -> np.ndarray:
    return (points - origin) @ _rotation_matrix(axis / np.linalg.norm(axis) * angle).T + origin


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
        dist = Chem.GetDistanceMatrix(mol_h)
        h = self.heavy
        pairs = [(i, j) for x, i in enumerate(h) for j in h[x + 1 :] if dist[i][j] > 3]
        self.intra = np.array(pairs, dtype=int).reshape(-1, 2)

    def select_pocket(self, xyz: np.ndarray, margin: float = 10.0) -> None:
        """Keep the pocket atoms within ``margin`` A of the starting pose."""
        c = self.structure.coords
        near = np.linalg.norm(c[:, None] - xyz[self.heavy][None], axis=2).min(axis=1) <= margin
        p = self.pocket_all
        self.pocket_xyz = c[near]
        self.pocket = AtomTypes(
            p.radius[near], p.hydrophobic[near], p.donor[near], p.acceptor[near]
        )

    def energy(self, xyz: np.ndarray, cap: bool = False) -> float:
        """The energy; with ``cap`` each pair's repulsion counts at most 1 (for ranking starts
        that a single clashing atom would otherwise hide)."""
        return self._energy(xyz, cap)[0]

    def _energy(self, xyz: np.ndarray, cap: bool = False) -> tuple[float, np.ndarray]:
        e, g = interaction_energy(
            xyz, self.types, self.heavy, self.pocket_xyz, self.pocket, self.intra, cap=cap
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
        for k, t in enumerate(self.torsions):
            u = xyz[t.b] - xyz[t.a]
            u /= np.linalg.norm(u)
            grad[6 + k] = (_cross(u, xyz[t.moving] - xyz[t.b]) * g[t.moving]).sum()
        return e, grad

    def scan(
        self, xyz: np.ndarray, passes: int = 2, deadline: float | None = None
    ) -> np.ndarray:
        """Systematic torsion search with the tethered anchor held: from the root outwards,
        each rotatable bond that moves more than tethered atoms is turned in
        :data:`SCAN_STEPS` steps and kept at the angle of lowest energy (pocket,
        intramolecular clashes, tether); ``passes`` sweeps.
        Finds room for a tail that a local minimiser started in a clash cannot reach."""
        best = self.energy(xyz)
        held = set() if self.tether is None else {int(i) for i in self.tether[0]}
        # bonds that move something besides held atoms (the bond's far atom ``b`` sits on the
        # axis): the bond joining the scaffold to the ring turns the whole tail with it
        free = [
            t
            for t in reversed(self.torsions)
            if set(t.moving.tolist()) - held - {t.b}
        ]
        for _ in range(passes):
            start = best
            for t in free:  # shallowest (nearest the root) first
                if deadline is not None and time.process_time() > deadline:
                    raise PocketTimeout("torsion search ran past the time limit")
                origin, axis = xyz[t.b], xyz[t.b] - xyz[t.a]
                chosen = None
                for step in range(1, SCAN_STEPS):
                    trial = xyz.copy()
                    trial[t.moving] = _rotate(
                        xyz[t.moving], origin, axis, 2.0 * np.pi * step / SCAN_STEPS
                    )
                    e = self.energy(trial)
                    if e < best - 1e-6:
                        best, chosen = e, trial
                if chosen is not None:
                    xyz = chosen
            if best > start - 1e-6:
                break
        return xyz

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
    """The chosen pose (coordinates of the molecule with hydrogens) and how it was found."""

    mol_h: Chem.Mol  # one conformer: the pose
    anchor: Anchor | None
    energy: float
    start_energy: float
    conformers: int


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
) -> Placement:
    """Place and refine ``mol`` (no hydrogens needed) in ``structure``'s pocket.

    ``tether``: "glutarimide" holds the glutarimide ring atoms of the anchor stiffly
    (:data:`TETHER_K`); "anchor" also the other common-substructure atoms, softly
    (:data:`TETHER_K_SOFT`); "none" nothing. ``search``: a systematic torsion search
    (:meth:`Refiner.scan`) before each local refinement; ``rounds=0``: no refinement."""
    mol_h = Chem.AddHs(mol)
    # ETKDG's own timeout is wall-clock: generous, the CPU deadline is checked after it
    timeout = 30.0 if deadline is None else max(2.0, 3.0 * (deadline - time.process_time()))
    ids = embed(mol_h, conformers, seed, timeout)
    if deadline is not None and time.process_time() > deadline:
        raise PocketTimeout("embedding ran past the time limit")
    anchors = find_anchors(mol_h, structure, exclude_templates)
    if anchors:  # the torsion tree grows from a held atom, so torsions move the tail only
        root = int(anchors[0].tether()[0][0])
    else:
        root = _central_atom(mol_h)
    refiner = Refiner(mol_h, structure, root)
    if tether not in TETHERS:
        raise ValueError(f"tether must be one of {', '.join(TETHERS)}")
    tethered = tether != "none" and bool(anchors)
    candidates = []  # (fit rmsd on the anchor atoms, coordinates, anchor)
    for cid in ids:
        xyz = mol_h.GetConformer(cid).GetPositions()
        if anchors:
            for anchor in anchors:
                q, c = xyz[list(anchor.query)], anchor.target
                R, t = kabsch(q, c)
                fit = float(np.sqrt(((q @ R.T + t - c) ** 2).sum(axis=1).mean()))
                candidates.append((fit, xyz @ R.T + t, anchor))
        else:
            probe = _single_conformer(mol_h, cid)
            rdShapeAlign.AlignMol(structure.ligand, probe, opt_param=0.5)
            candidates.append((0.0, probe.GetConformer().GetPositions(), None))
    refiner.select_pocket(candidates[0][1])
    # starts: the conformers that fit the anchor best (within 0.25 A of the best fit), by energy
    best_fit = min(c[0] for c in candidates)
    ranked = sorted(
        (
            (refiner.energy(xyz, cap=True), k)
            for k, (fit, xyz, _) in enumerate(candidates)
            if fit <= best_fit + fit_window
        ),
        key=lambda t: (t[0], t[1]),
    )
    best = None
    for start_energy, k in ranked[:starts]:
        anchor = candidates[k][2]
        if tethered:
            refiner.tether = (
                anchor.tether()
                if tether == "glutarimide"
                else (np.array(anchor.query), anchor.target)
            )
            stiff_only = tether == "glutarimide" or not anchor.tethered
            refiner.tether_k = (
                TETHER_K if stiff_only else np.where(anchor.tethered, TETHER_K, TETHER_K_SOFT)
            )

        if rounds:
            xyz = candidates[k][1]
            if search and anchor is not None:  # nothing held without an anchor
                xyz = refiner.scan(xyz, deadline=deadline)
            new, energy = refiner.refine(xyz, rounds=rounds, deadline=deadline)
        else:  # template placement only (for the method comparison in docs/pocket.md)
            new, energy = candidates[k][1], refiner.energy(candidates[k][1])
        if best is None or energy < best[1] - 1e-9:
            best = (new, energy, candidates[k][2], start_energy)
    xyz, energy, anchor, start_energy = best
    pose = _single_conformer(mol_h, ids[0])
    pose.GetConformer().SetPositions(xyz)
    return Placement(pose, anchor, float(energy), float(start_energy), len(ids))


def _single_conformer(mol_h: Chem.Mol, cid: int) -> Chem.Mol:
    out = Chem.Mol(mol_h)
    out.RemoveAllConformers()
    out.AddConformer(Chem.Conformer(mol_h.GetConformer(cid)), assignId=True)
    return out


def _central_atom(mol: Chem.Mol) -> int:
    dist = Chem.GetDistanceMatrix(mol)
    heavy = [a.GetIdx() for a in mol.GetAtoms() if a.GetAtomicNum() > 1]
    return min(heavy, key=lambda i: (max(dist[i][j] for j in heavy), i))
