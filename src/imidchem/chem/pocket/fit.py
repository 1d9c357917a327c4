"""``pocket_fit``: does a molecule fit cereblon's thalidomide pocket?

>>> fit = pocket_fit("Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O", structure="5fqd", seed=7)
>>> fit.pocket_status, fit.pocket_fit, fit.imide_rmsd < 1.0, fit.pocket_hbonds, fit.pocket_clashes
('ok', True, True, 3, 0)
>>> fit.pose.GetNumConformers(), fit.pose.GetNumAtoms()
(1, 19)
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
from rdkit import Chem, rdBase
from rdkit.Chem import Descriptors

from ...display import render
from ...errors import ImidchemError
from ..mol import to_mol
from ..patterns import anchor_atoms
from .attach import Attachment, ExitVector, cap_attachments, exit_vectors
from .head import head_anchor, needs_head_first
from .pose import EmbeddingError, Placement, PocketTimeout, mirrored, place
from .score import (
    CLASH_CUTOFF_HBOND,
    CLASH_OVERLAP,
    Clashes,
    HBond,
    cage_contact,
    clashes,
    hbonds,
    pocket_score,
    shape_colour,
)
from .stereo import MAX_FORMS, stereo_forms
from .structures import DEFAULT_STRUCTURE, PocketStructure, check_structure_id, load_structure

MAX_HEAVY_ATOMS = 120  # above: status "error", too large for the pocket model
LARGE_MW = 1000.0  # Da; above: fewer conformers and starts (degraders), see docs/pocket.md
TIME_LIMIT = (
    10.0  # CPU seconds per molecule (CPU, not wall: a loaded machine gives the same result)
)
ALLOWED_ELEMENTS = frozenset({1, 5, 6, 7, 8, 9, 14, 15, 16, 17, 34, 35, 53})
IMIDE_RMSD_FIT = 1.0  # A
MAX_CLASHES_FIT = 2
SCORE_FIT = 0.5

MIRROR_FORMS = True
"""Above 25 heavy atoms, a stereo form that is the exact mirror image of one already placed
(every stereo element inverted: the (R) form of a racemate with one stereocentre) reuses that
form's relaxed conformers, reflected (:func:`~imidchem.chem.pocket.pose.mirrored`), instead
of a second ETKDG and MMFF run: mirror images have the same force-field energies. The pocket
is chiral, so the search and the pose are the form's own. Racemic golcadomide: 1.48 -> 1.19
CPU s (docs/performance.md). Up to 25 heavy atoms each form keeps its own embedding: there
the conformers cost little and both ring puckers are built anyway (``pose.flip_puckers``);
reflected, the (R) form of TD-106 found a pose 8 units lower at 2 of 5 seeds that its own
embedding never found, and the reported form changed with the seed (docs/pocket.md)."""

HEAD_FIRST = True
"""Molecules over 25 heavy atoms anchored by their glutarimide ring alone (a 3-anilino- or
3-aryl-glutarimide degrader) are placed head first (:mod:`~imidchem.chem.pocket.head`)."""

SPREAD_WINDOW = 1.0  # energy units (Vina-like, about kcal/mol): starts within it are equals


@dataclass(frozen=True)
class StereoResult:
    """How one configuration of the imide ring's stereocentre fared (see
    :attr:`PocketFit.other_forms`)."""

    enantiomer: str  # CIP label(s), as PocketFit.pocket_enantiomer
    smiles: str
    pocket_fit: bool
    pocket_score: float
    imide_rmsd: float | None
    energy: float


@dataclass(frozen=True, eq=False)
class PocketFit:
    """How a molecule fits one shipped cereblon pocket (the record :func:`pocket_fit` returns).

    The attributes that are columns of a screen with ``--3d`` carry the column's name
    (:data:`imidchem.evidence.schema.POCKET_SCHEMA`).

    Attributes
    ----------
    query : str
        The molecule as given (name or SMILES).
    smiles : str
        Canonical SMILES of the molecule placed.
    structure : str
        PDB ID of the pocket (5yiz, 4ci1, 5fqd or 6uml).
    crystal_ligand : str
        The ligand of that PDB entry, e.g. "lenalidomide (LVY)".
    pocket_status : str
        "ok", or "error" when no pose could be made (``pocket_reason`` says why).
    pocket_reason : str
        One sentence: why it fits or not, or why no pose could be made.
    pocket_fit : bool or None
        True when the imide sits in the tri-Trp cage without clashes (None on error).
    pocket_score : float or None
        0-1: imide placement, H-bonds, cage contact, shape and colour overlap.
    pocket_hbonds : int or None
        Canonical glutarimide H-bonds made (of ``len(hbonds)``; details in ``hbonds``).
    pocket_clashes : int or None
        Heavy-atom pairs whose van der Waals spheres (Bondi radii) overlap by more than
        0.5 A (closer than 2.5 A for a donor-acceptor pair); details in ``clashes``.
    imide_rmsd : float or None
        RMSD (A) of the molecule's cyclic imide (O=C-N-C=O, the better of the two ways round)
        from the crystal glutarimide's; None without a cyclic imide.
    shape, colour : float or None
        Shape and colour (pharmacophore) Tanimoto with the crystal ligand.
    shape_coverage, colour_coverage : float or None
        Fraction of the crystal ligand's volume (colour features) the pose overlaps.
    cage_contact : float or None
        Fraction of the cage atoms the crystal ligand touches that the pose touches.
    clashes : Clashes or None
        The clash count, the closest contact (A) and its atom pair.
    hbonds : tuple of HBond
        The canonical glutarimide H-bonds of this entry, made or missed, with distances (A).
    anchor : str
        How the pose was placed (which template, the head placed first, or a shape overlay).
    energy : float or None
        Interaction energy of the refined pose (Vina-like terms, kcal/mol-like units).
    seconds : float
        CPU seconds the fit took.
    pose : rdkit.Chem.Mol or None
        The placed molecule (heavy atoms, one conformer) in the PDB entry's coordinate frame.
    pocket_enantiomer : str
        CIP label of the imide (or lactam) ring's stereocentre in the pose ("S", "R"; "S,R"
        for two such centres; "" when that ring has none).
    stereo : str
        "given" (the input defines that centre), "enumerated" (it was undefined: each
        configuration was placed and the best reported, see ``other_forms``) or "".
    other_forms : tuple of StereoResult
        The configurations placed but not reported, with their scores.
    pocket_score_spread : float or None
        Range of the pocket score over the refined starts whose energy is within
        :data:`SPREAD_WINDOW` of the reported pose's: poses the energy cannot tell apart.
        0 when the starts converge.
    attachments : tuple of Attachment
        The attachment points (``*``, ``[*:1]``) of the input: each was capped with a methyl
        carbon for the fit (the pose holds the cap at the dummy atom's index).
    exit_vectors : tuple of ExitVector
        Per attachment point: the atom that carries it, the direction of the exit in the PDB
        frame and how far the line runs clear of the pocket atoms.
    degrons : tuple
        With ``degron=True``: the pose refitted with each shipped degron present (geometry
        only: a compatible degron is not a degraded protein).

    The old names ``status``, ``reason``, ``fits``, ``score`` and ``hbonds_made`` still work
    for one version and emit a :class:`DeprecationWarning`.
    """

    query: str
    smiles: str
    structure: str
    crystal_ligand: str
    pocket_status: str  # "ok" or "error"
    pocket_reason: str
    pocket_fit: bool | None
    pocket_score: float | None
    shape: float | None  # Tanimoto with the crystal ligand
    colour: float | None
    shape_coverage: float | None  # fraction of the crystal ligand's volume overlapped
    colour_coverage: float | None
    cage_contact: float | None  # fraction of the cage atoms the crystal ligand touches, touched
    imide_rmsd: float | None
    clashes: Clashes | None
    hbonds: tuple[HBond, ...] = ()
    anchor: str = ""
    energy: float | None = None
    seconds: float = 0.0
    pose: Chem.Mol | None = field(default=None, repr=False)
    pocket_enantiomer: str = ""
    stereo: str = ""
    other_forms: tuple[StereoResult, ...] = ()
    pocket_score_spread: float | None = None
    attachments: tuple[Attachment, ...] = ()
    exit_vectors: tuple[ExitVector, ...] = ()
    degrons: tuple = ()
    """With ``degron=True``: one :class:`~imidchem.chem.pocket.degron.DegronFit` per shipped
    degron (the molecule refitted with that degron present)."""

    @property
    def pocket_hbonds(self) -> int | None:
        """Canonical glutarimide H-bonds made (None when no pose could be made)."""
        if self.pocket_status != "ok":
            return None
        return sum(h.made for h in self.hbonds)

    @property
    def pocket_clashes(self) -> int | None:
        """Heavy-atom clashes with the pocket (None when no pose could be made)."""
        return None if self.clashes is None else self.clashes.count

    def __str__(self) -> str:
        return render(self, "text") or repr(self)  # words: imidchem.view.render

    def _repr_html_(self) -> str | None:
        return render(self, "html")

    def as_dict(self) -> dict:
        """Plain values (no Mol), for JSON and tables."""
        c = self.clashes
        return {
            "query": self.query,
            "smiles": self.smiles,
            "structure": self.structure,
            "crystal_ligand": self.crystal_ligand,
            "pocket_status": self.pocket_status,
            "pocket_reason": self.pocket_reason,
            "pocket_fit": self.pocket_fit,
            "pocket_score": self.pocket_score,
            "pocket_hbonds": self.pocket_hbonds,
            "pocket_clashes": self.pocket_clashes,
            "shape": self.shape,
            "colour": self.colour,
            "shape_coverage": self.shape_coverage,
            "colour_coverage": self.colour_coverage,
            "cage_contact": self.cage_contact,
            "imide_rmsd": self.imide_rmsd,
            "closest_contact": None if c is None else c.worst,
            "closest_pair": None if c is None else c.worst_pair,
            "clash_overlap": CLASH_OVERLAP,
            "clash_cutoff_hbond": CLASH_CUTOFF_HBOND,
            "hbonds": [
                {
                    "role": h.role,
                    "residue": h.residue,
                    "atom": h.atom,
                    "distance": h.distance,
                    "crystal_distance": h.crystal_distance,
                    "made": h.made,
                }
                for h in self.hbonds
            ],
            "pocket_enantiomer": self.pocket_enantiomer,
            "stereo": self.stereo,
            "other_forms": [
                {
                    "enantiomer": o.enantiomer,
                    "smiles": o.smiles,
                    "pocket_fit": o.pocket_fit,
                    "pocket_score": o.pocket_score,
                    "imide_rmsd": o.imide_rmsd,
                    "energy": o.energy,
                }
                for o in self.other_forms
            ],
            "pocket_score_spread": self.pocket_score_spread,
            "exit_vectors": [v.as_dict() for v in self.exit_vectors],
            "anchor": self.anchor,
            "energy": self.energy,
            "seconds": self.seconds,
            **({"degrons": [d.as_dict() for d in self.degrons]} if self.degrons else {}),
        }


_RENAMED = {
    "status": "pocket_status",
    "reason": "pocket_reason",
    "fits": "pocket_fit",
    "score": "pocket_score",
    "hbonds_made": "pocket_hbonds",
}
"""Old attribute names of :class:`PocketFit` (kept one version, deprecated) -> new names."""


def _deprecated_alias(old: str, new: str) -> property:
    def getter(self):
        warnings.warn(
            f"PocketFit.{old} is deprecated and will be removed in the next version; "
            f"use PocketFit.{new}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(self, new)

    getter.__doc__ = f"Deprecated alias of :attr:`{new}`."
    return property(getter)


for _old, _new in _RENAMED.items():
    setattr(PocketFit, _old, _deprecated_alias(_old, _new))
del _old, _new


def imide_rmsd(pose: Chem.Mol, structure: PocketStructure) -> float | None:
    """RMSD (A) of the pose's N-H cyclic imide O=C-N-C=O from the crystal glutarimide's
    (O2, C2, N, C6, O6), the better way round; None when the molecule has no N-H cyclic imide
    (:data:`imidchem.chem.patterns.CYCLIC_IMIDE_NH`, the definition the call and the anchor use).

    >>> s = load_structure("5fqd")
    >>> imide_rmsd(s.ligand, s)
    0.0
    """
    imides = [m for m in anchor_atoms(pose) if len(m) == 5]
    matches = [q for m in imides for q in (m, m[::-1])]
    if not matches:
        return None
    g = structure.glutarimide
    ref = structure.ligand_coords[[g[r] for r in ("O2", "C2", "N", "C6", "O6")]]
    xyz = pose.GetConformer().GetPositions()
    best = min(float(np.sqrt(((xyz[list(m)] - ref) ** 2).sum(axis=1).mean())) for m in matches)
    return round(best, 3)


def _error(query: str, smiles: str, s: PocketStructure, reason: str, t0: float) -> PocketFit:
    return PocketFit(
        query=query,
        smiles=smiles,
        structure=s.pdb_id,
        crystal_ligand=f"{s.ligand_name} ({s.ligand_resname})",
        pocket_status="error",
        pocket_reason=reason,
        pocket_fit=None,
        pocket_score=None,
        shape=None,
        colour=None,
        shape_coverage=None,
        colour_coverage=None,
        cage_contact=None,
        imide_rmsd=None,
        clashes=None,
        seconds=round(time.process_time() - t0, 3),
    )


def pocket_fit(
    molecule,
    structure: str = DEFAULT_STRUCTURE,
    seed: int = 42,
    conformers: int | None = None,
    starts: int | None = None,
    time_limit: float = TIME_LIMIT,
    exclude_templates: tuple[str, ...] = (),
    query: str | None = None,
    degron: bool = False,
) -> PocketFit:
    """Place ``molecule`` (SMILES or Mol; names: :func:`imidchem.pocket_fit`) in the cereblon pocket of ``structure`` (one of
    5yiz, 4ci1, 5fqd, 6uml), refine the pose against the protein and score it.

    Deterministic for a given ``seed``. Molecules that cannot be embedded, carry elements
    without parameters, are larger than :data:`MAX_HEAVY_ATOMS` heavy atoms or run past
    ``time_limit`` seconds come back with ``pocket_status="error"`` and the reason in ``pocket_reason``; an unreadable
    input raises :class:`imidchem.errors.InvalidMoleculeError`, a bad structure ID
    :class:`imidchem.errors.InvalidArgumentError` listing the valid ones. Molecules over
    :data:`LARGE_MW` Da (degraders) get 2 conformers and 1 refined start.

    ``degron=True`` (5fqd only) also fits the molecule once per shipped neosubstrate degron
    with that degron present (:mod:`imidchem.chem.pocket.degron`) and reports, per degron,
    clashes, contacts beside the crystal glue's and distances to the deciding residues in
    ``degrons``. A compatible degron is not a degraded protein.

    >>> pocket_fit("CCOc1cc([C@@H](CS(C)(=O)=O)N2C(=O)c3cccc(NC(C)=O)c3C2=O)ccc1OC").pocket_fit
    False
    >>> pocket_fit("thalidomide", structure="2xyz")
    Traceback (most recent call last):
    ...
    imidchem.errors.InvalidArgumentError: unknown structure '2xyz'; choose one of 5yiz, 4ci1, 5fqd, 6uml
    """
    t0 = time.process_time()
    s = load_structure(check_structure_id(structure))
    if degron:
        from .degron import check_frame

        check_frame(s.pdb_id)
    if query is None:
        query = molecule if isinstance(molecule, str) else Chem.MolToSmiles(molecule)
    mol = to_mol(molecule)
    smiles = Chem.MolToSmiles(mol)
    try:
        mol, points = _fittable(mol)
    except ImidchemError as problem:
        return _error(query, smiles, s, str(problem), t0)
    try:
        results = _place_forms(
            mol, s, seed, conformers, starts, t0 + time_limit, tuple(exclude_templates)
        )
    except PocketTimeout as problem:
        return _error(query, smiles, s, f"{problem} ({time_limit:g} s)", t0)
    except ImidchemError as problem:  # EmbeddingError included
        return _error(query, smiles, s, str(problem), t0)
    except (ValueError, RuntimeError, FloatingPointError) as problem:  # RDKit or numeric
        return _error(query, smiles, s, f"{type(problem).__name__}: {problem}", t0)
    # the configuration reported: one that fits before one that does not, then the higher
    # score, then the lower energy; (S) first on a full tie (the crystal ligands' form)
    order = sorted(
        range(len(results)),
        key=lambda k: (
            not results[k][1]["fits"],
            -results[k][1]["score"],
            results[k][1]["energy"],
            k,
        ),
    )
    form, best, spread = results[order[0]]
    best["pose"].SetProp(
        "_Name", f"{query} in {s.pdb_id.upper()} (imidchem pocket_fit, seed {seed})"
    )
    # the degron fits (issue 17) place the configuration reported here
    degron_fits = fit_degrons(form.mol, seed, deadline=t0 + time_limit) if degron else ()
    return _fitted(
        query, smiles, s, form, best, spread, [results[k] for k in order[1:]], points,
        degron_fits, t0,
    )


class _Unfittable(ImidchemError):
    """A molecule the pocket model cannot take (attachment point, element, size)."""


def _fittable(mol: Chem.Mol) -> tuple[Chem.Mol, tuple[Attachment, ...]]:
    """``mol`` with its attachment points (``*``, ``[*:1]``, degrader handles) capped for the
    fit, and the points; raises :class:`~imidchem.errors.ImidchemError` with the reason when
    the pocket model cannot take it (elements without parameters, over
    :data:`MAX_HEAVY_ATOMS`)."""
    mol, points = cap_attachments(mol)
    odd = sorted(
        {a.GetSymbol() for a in mol.GetAtoms() if a.GetAtomicNum() not in ALLOWED_ELEMENTS}
    )
    if odd:
        raise _Unfittable(f"no pocket parameters for element(s) {', '.join(odd)}")
    n_heavy = mol.GetNumHeavyAtoms()
    if n_heavy > MAX_HEAVY_ATOMS:
        raise _Unfittable(
            f"too large for the pocket model ({n_heavy} heavy atoms > {MAX_HEAVY_ATOMS})"
        )
    return mol, points


def _place_forms(
    mol: Chem.Mol,
    s: PocketStructure,
    seed: int,
    conformers: int | None,
    starts: int | None,
    deadline: float,
    exclude_templates: tuple[str, ...],
) -> list[tuple]:
    """Each stereo form of ``mol`` placed and its pose chosen (:func:`_choose`): a list of
    (form, scored pose, spread). A form that cannot be embedded is skipped if another can;
    raises when none can, or on the time limit."""
    # defaults sized to the molecule (see docs/pocket.md): 8 conformers and 3 refined starts
    # per stereo form up to 25 heavy atoms, 4 and 2 above (4 shared by the forms), 2 and 1
    # over LARGE_MW (degraders)
    # Undefined stereocentres: each form is placed; above 25 heavy atoms the conformers are
    # shared between the forms (template starts hold the scaffold, so 2 per form suffice:
    # seeds 0-4 on racemic iberdomide, golcadomide, CC-885, eragidomide give the same fits
    # and scores within 0.03, see docs/pocket.md). Up to 25 heavy atoms, both puckers of a
    # ring no template sets are embedded (pose.flip_puckers); above, the budget goes to the
    # template starts. (2 branches instead of 3 above 25 heavy atoms saved 10-20 % on
    # racemic CELMoDs but let the 7LPS ligand's enantiomers swap between seeds.)
    small = mol.GetNumHeavyAtoms() <= 25
    forms = stereo_forms(mol, MAX_FORMS if small else 2)
    if not conformers:
        conformers = 8 if small else max(2, 4 // len(forms))
    starts = starts or (3 if small else 2)
    if Descriptors.MolWt(mol) > LARGE_MW:
        conformers, starts = min(conformers, 2), 1
    results = []
    unplaced = None
    embedded: list[tuple] = []  # conformers of the forms placed (for their mirror images)
    with rdBase.BlockLogs():
        head_first = HEAD_FIRST and needs_head_first(mol, s, exclude_templates)
        for form in forms:
            head = head_anchor(form.mol, s, seed, deadline, exclude_templates) if head_first else None
            mirror = MIRROR_FORMS and not small and head is None
            built = _mirror_of(form, embedded) if mirror else None
            try:
                placement = place(
                    form.mol,
                    s,
                    seed=seed,
                    conformers=conformers,
                    starts=starts,
                    deadline=deadline,
                    exclude_templates=exclude_templates,
                    puckers=small,
                    built=built,
                    anchors=None if head is None else [head],
                )
            except EmbeddingError as problem:
                unplaced = problem
                continue
            if built is None and head is None:
                embedded.append(placement.embedded)
            results.append((form, *_choose(placement, s)))
    if not results:
        raise unplaced
    return results


def _mirror_of(form, embedded: list[tuple]) -> tuple | None:
    """The conformers of ``form`` reflected from a form already embedded that is its exact
    mirror image (:func:`~imidchem.chem.pocket.pose.mirrored`), or None."""
    for confs in embedded:
        out = mirrored(confs, form.mol)
        if out is not None:
            return out
    return None


def _fitted(
    query: str,
    smiles: str,
    s: PocketStructure,
    form,
    best: dict,
    spread: float,
    others: list[tuple],
    points: tuple[Attachment, ...],
    degron_fits: tuple,
    t0: float,
) -> PocketFit:
    """The :class:`PocketFit` of a placed molecule: ``best`` (a scored pose of stereo form
    ``form``), the other forms' results in ``others``."""
    pose = best["pose"]
    return PocketFit(
        query=query,
        smiles=smiles,
        structure=s.pdb_id,
        crystal_ligand=f"{s.ligand_name} ({s.ligand_resname})",
        pocket_status="ok",
        pocket_reason=best["reason"] + _undefined_note(form),
        pocket_fit=best["fits"],
        pocket_score=best["score"],
        shape=round(best["shape"], 4),
        colour=round(best["colour"], 4),
        shape_coverage=round(best["shape_cov"], 4),
        colour_coverage=round(best["colour_cov"], 4),
        cage_contact=round(best["cage"], 4),
        imide_rmsd=best["rmsd"],
        clashes=best["clash"],
        hbonds=best["bonds"],
        anchor=best["anchor"].kind if best["anchor"] else "shape overlay (no imide or lactam)",
        energy=round(best["energy"], 3),
        seconds=round(time.process_time() - t0, 3),
        pose=pose,
        pocket_enantiomer=form.label,
        stereo="" if not form.label else ("given" if form.given else "enumerated"),
        other_forms=tuple(
            StereoResult(
                f.label,
                Chem.MolToSmiles(f.mol),
                r["fits"],
                r["score"],
                r["rmsd"],
                round(r["energy"], 3),
            )
            for f, r, _ in others
        ),
        pocket_score_spread=spread,
        attachments=points,
        exit_vectors=exit_vectors(pose, points, s),
        degrons=degron_fits,
    )


def _undefined_note(form) -> str:
    """What ``pocket_reason`` adds when undefined stereocentres were not enumerated
    (:attr:`~imidchem.chem.pocket.stereo.StereoForm.left_undefined`: beyond the forms placed,
    bridgeheads outside the anchored ring, centres outside a lactam ring)."""
    n = len(form.left_undefined)
    if not n:
        return ""
    centres = "centre" if n == 1 else "centres"
    return f"; {n} undefined stereo{centres} not enumerated (configuration from the conformer search)"


def _score_pose(pose: Chem.Mol, s: PocketStructure) -> dict:
    """Every number of a pose (heavy atoms, PDB frame) in ``s``'s pocket."""
    bonds = hbonds(pose, s)
    clash = clashes(pose, s)
    shape, colour, shape_cov, colour_cov = shape_colour(pose, s)
    rmsd = imide_rmsd(pose, s)
    fraction = sum(h.made for h in bonds) / max(1, len(bonds))
    cage = cage_contact(pose, s)
    score = pocket_score(rmsd, fraction, cage, shape_cov, colour_cov)
    fits, reason = _verdict(rmsd, bonds, clash, score)
    return {
        "pose": pose,
        "bonds": bonds,
        "clash": clash,
        "shape": shape,
        "colour": colour,
        "shape_cov": shape_cov,
        "colour_cov": colour_cov,
        "rmsd": rmsd,
        "cage": cage,
        "score": score,
        "fits": fits,
        "reason": reason,
    }


def _choose(placement: Placement, s: PocketStructure) -> tuple[dict, float]:
    """The pose reported for one configuration, and the score spread.

    Every refined start is scored; a pose that fits comes before one that does not (the
    question is whether the molecule can sit in the pocket; the rigid pocket leaves a long
    tail in residual clashes from some starts but not others), then the lower energy. The
    spread is the range of the pocket score over the starts within :data:`SPREAD_WINDOW` of
    the chosen pose's energy."""
    scored = []
    for k, (xyz, energy, anchor) in enumerate(placement.refined):
        result = _score_pose(Chem.RemoveHs(placement.pose_at(xyz)), s)
        result.update(energy=energy, anchor=anchor)
        scored.append((not result["fits"], energy, k, result))
    scored.sort(key=lambda r: r[:3])
    best = scored[0][3]
    close = [r[3]["score"] for r in scored if r[1] <= best["energy"] + SPREAD_WINDOW]
    return best, round(max(close) - min(close), 4)


def _verdict(
    rmsd: float | None, bonds: tuple[HBond, ...], clash: Clashes, score: float
) -> tuple[bool, str]:
    made = sum(h.made for h in bonds)
    nh = any(h.made for h in bonds if h.role == "imide N-H")
    if rmsd is None:
        return False, "no N-H cyclic imide to sit in the tri-Trp cage"
    if rmsd > IMIDE_RMSD_FIT:
        return False, f"the imide cannot sit where the crystal glutarimide does ({rmsd:.2f} Å off)"
    if not nh:
        return False, "the imide N-H does not reach the backbone O of the cage histidine"
    if clash.count > MAX_CLASHES_FIT:
        return (
            False,
            f"imide in place, but {clash.count} clashes with the pocket (closest {clash.worst:.2f} Å)",
        )
    if made < len(bonds) - 1:
        return False, f"imide in place but only {made} of {len(bonds)} canonical H-bonds made"
    if score < SCORE_FIT:
        return (
            False,
            f"imide in place, but little overlap with the crystal ligand (score {score:.2f})",
        )
    return True, (
        f"imide in the tri-Trp cage ({rmsd:.2f} Å from the crystal glutarimide), "
        f"{made} of {len(bonds)} canonical H-bonds, "
        + ("1 clash" if clash.count == 1 else f"{clash.count} clashes")
    )


def fit_degrons(
    mol: Chem.Mol, seed: int = 42, conformers: int | None = None,
    deadline: float | None = None,
) -> tuple:
    """Place a standardised Mol once per shipped degron, with that degron's atoms in the
    5fqd pocket, and assess each pose (:func:`~imidchem.chem.pocket.degron.assess_degron`):
    one :class:`~imidchem.chem.pocket.degron.DegronFit` per degron. A degron whose
    placement fails or runs past ``deadline`` (CPU seconds) gets ``status='error'`` and
    the reason."""
    from .degron import (
        DEGRON_FRAME,
        DegronFit,
        assess_degron,
        degron_conformers,
        load_degrons,
        with_degron,
    )

    conformers = conformers or degron_conformers(mol)
    out = []
    base = load_structure(DEGRON_FRAME)
    for d in load_degrons():
        try:
            with rdBase.BlockLogs():
                placement = place(
                    mol, with_degron(d), seed=seed, conformers=conformers, starts=1,
                    deadline=deadline,
                )
        except (ImidchemError, ValueError, RuntimeError, FloatingPointError) as problem:
            out.append(DegronFit(d.pdb_id, d.gene, d.protein, "error", None, str(problem)))
            continue
        pose = Chem.RemoveHs(placement.mol_h)
        out.append(assess_degron(pose, d, imide_rmsd(pose, base)))
    return tuple(out)
