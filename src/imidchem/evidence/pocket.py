"""The optional 3-D evidence columns (:data:`imidchem.evidence.schema.POCKET_COLUMNS`).

Computed from the standardised SMILES (what travels between processes), with
:func:`imidchem.pocket_fit` and its defaults.

>>> row = dict(zip(POCKET_COLUMNS, pocket_values("Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O")))
>>> row["pocket_status"], row["pocket_fit"], row["pocket_hbonds"], row["imide_rmsd"] < 1.0
('ok', True, 3, True)
>>> pocket_values("")[:1]
('error',)
"""

from __future__ import annotations

from rdkit import rdBase

from ..chem.mol import MolInput
from ..chem.patterns import can_anchor
from ..chem.pocket import fit as chem_fit
from ..chem.pocket.fit import TIME_LIMIT, PocketFit
from ..chem.pocket.structures import DEFAULT_STRUCTURE, check_structure_id, load_structure
from ..data.reference import resolve
from ..errors import ImidchemError
from .schema import OUTPUT_COLUMNS, POCKET_COLUMNS, POCKET_ERROR
from .score import crbn_score, pocket_evidence, refine

__all__ = [
    "POCKET_COLUMNS",
    "SKIP_REASON",
    "anchored_status",
    "fit_values",
    "pocket_error",
    "pocket_fit",
    "pocket_skipped",
    "pocket_row",
    "pocket_values",
    "score_with_fit",
    "score_with_pocket",
    "with_pocket",
    "worth_fitting",
]

SKIP_REASON = (
    "not fitted: no N-H cyclic imide or N-H ring lactam for the pose to anchor in the "
    "tri-Trp cage (fit_all=True, --3d-all, fits it anyway)"
)
"""``pocket_reason`` of a molecule the 3-D group skips (:func:`pocket_values`)."""


def pocket_fit(molecule: MolInput, structure: str = DEFAULT_STRUCTURE, **options) -> PocketFit:
    """Place a compound in cereblon's thalidomide pocket of ``structure``: a reference name
    or synonym, an InChI, a SMILES or a Mol (names are resolved here, above the chemistry;
    :func:`imidchem.chem.pocket.fit.pocket_fit` takes molecules and says what ``options``
    are: ``seed``, ``conformers``, ``starts``, ``time_limit``, ``exclude_templates``,
    ``degron``).

    >>> fit = pocket_fit("lenalidomide", seed=7)
    >>> fit.query, fit.pocket_status, fit.pocket_fit
    ('lenalidomide', 'ok', True)
    """
    check_structure_id(structure)
    query = molecule if isinstance(molecule, str) else None
    _, mol = resolve(molecule)
    return chem_fit.pocket_fit(mol, structure=structure, query=query, **options)


def with_pocket(row: tuple, pocket: tuple, structure: str = DEFAULT_STRUCTURE) -> tuple:
    """An output row (:data:`~imidchem.evidence.schema.OUTPUT_COLUMNS`, ``crbn_score``
    last) followed by its 3-D group ``pocket`` (:data:`POCKET_COLUMNS` values, fitted in
    ``structure``), with ``crbn_score`` refined by the pocket fit
    (:func:`imidchem.evidence.score.refine`: the anchor's placement and canonical H-bonds,
    levels 2-4): the one place where the pocket moves the ranking; the level stays the 2-D
    one.

    A molecule with nothing the pose can anchor
    (:func:`imidchem.chem.patterns.can_anchor`) counts as pocket evidence 0 whether it was
    skipped or fitted by shape alone, so fitting every molecule ranks as the skip rule does.

    >>> row = ("1", "C1CCC(=O)NC1=O", "ok", "", "O=C1CCCC(=O)N1", *[None] * 7, 3, *[None] * 3, 0.375)
    >>> with_pocket(row, ("ok", 0.8, 0.4, True, 3, 0, "", 0.0, "fits"))[16]
    0.475
    >>> row = ("2", "c1ccccc1", "ok", "", "c1ccccc1", *[None] * 7, 4, *[None] * 3, 0.125)
    >>> with_pocket(row, ("ok", 0.14, None, False, 0, 0, "", 0.0, "no N-H cyclic imide"))[16]
    0.0
    """
    return (*row[:-1], score_with_pocket(row[_LEVEL], row[_SMILES_STD], pocket, structure), *pocket)


def score_with_pocket(
    level: int | None, smiles: str, pocket: tuple, structure: str = DEFAULT_STRUCTURE
) -> float | None:
    """``crbn_score`` of a molecule at ``level`` (standardised ``smiles``; None: a row that
    could not be read) from its 3-D group ``pocket`` (:data:`POCKET_COLUMNS` values, fitted
    in ``structure``): what :func:`with_pocket` writes and the report shows.

    >>> score_with_pocket(3, "O=C1CCCC(=O)N1", ("ok", 0.8, 0.4, True, 3, 0, "", 0.0, "fits"))
    0.475
    """
    values = dict(zip(POCKET_COLUMNS, pocket, strict=True))
    status = anchored_status(smiles, values["pocket_status"])
    canonical = len(load_structure(structure).made_hbonds)
    return refine(level, status, values["imide_rmsd"], values["pocket_hbonds"], canonical)


_SMILES_STD = OUTPUT_COLUMNS.index("smiles_std")
_LEVEL = OUTPUT_COLUMNS.index("crbn_level")


def anchored_status(smiles: str, pocket_status: str) -> str:
    """The ``pocket_status`` that :func:`imidchem.evidence.score.refine` takes for a
    molecule (standardised SMILES): a fit of a molecule with nothing to anchor (a shape
    overlay) counts as skipped: nothing for the cage to hold."""
    if pocket_status == "ok" and not can_anchor(smiles):
        return "skipped"
    return pocket_status


def score_with_fit(level: int, smiles: str, fit: PocketFit) -> tuple[float, float]:
    """``crbn_score`` of a molecule at ``level`` (standardised ``smiles``) refined by its
    :class:`~imidchem.chem.pocket.fit.PocketFit`, and the pocket evidence it used
    (:func:`imidchem.evidence.score.pocket_evidence`).

    >>> from imidchem.evidence.score import anchor_evidence
    >>> fit = pocket_fit("glutethimide", seed=7)
    >>> score, evidence = score_with_fit(3, fit.smiles, fit)
    >>> evidence == anchor_evidence(fit.imide_rmsd, fit.pocket_hbonds, len(fit.hbonds))
    True
    >>> score == round(0.25 + 0.25 * evidence, 6), score_with_fit(1, fit.smiles, fit)
    (True, (0.875, 0.5))
    """
    status = anchored_status(smiles, fit.pocket_status)
    values = (status, fit.imide_rmsd, fit.pocket_hbonds, len(fit.hbonds) or None)
    return crbn_score(level, *values), pocket_evidence(level, *values)


def pocket_error(reason: str) -> tuple:
    """The 3-D values of a molecule without a pose, with ``reason``."""
    return ("error", *POCKET_ERROR[1:-1], reason)


def pocket_skipped(reason: str = SKIP_REASON) -> tuple:
    """The 3-D values of a molecule that was not fitted: status "skipped", no score."""
    return ("skipped", *POCKET_ERROR[1:-1], reason)


def pocket_values(
    smiles: str,
    structure: str = DEFAULT_STRUCTURE,
    seed: int = 42,
    time_limit: float = TIME_LIMIT,
    fit_all: bool = True,
) -> tuple:
    """The :data:`POCKET_COLUMNS` values of one molecule (a SMILES string); never raises for
    a bad molecule: the row says ``pocket_status='error'`` and why.

    Without ``fit_all`` only a molecule the pose can anchor is fitted
    (:func:`imidchem.chem.patterns.can_anchor`, the anchor finder's own definition: an N-H
    cyclic imide, else an N-H ring lactam); any other gets ``pocket_status="skipped"``,
    :data:`SKIP_REASON` and no score.

    >>> pocket_values("CCOc1ccccc1", fit_all=False)[:2]
    ('skipped', None)
    """
    return pocket_row(smiles, structure, seed, time_limit, fit_all)[0]


def pocket_row(
    smiles: str,
    structure: str = DEFAULT_STRUCTURE,
    seed: int = 42,
    time_limit: float = TIME_LIMIT,
    fit_all: bool = True,
) -> tuple[tuple, PocketFit | None]:
    """:func:`pocket_values` and the :class:`~imidchem.chem.pocket.fit.PocketFit` behind
    them (None when the molecule was skipped or could not be fitted), for a caller that
    also draws the pose (the report)."""
    check_structure_id(structure)
    if not smiles:
        return pocket_error("no molecule"), None
    if not fit_all and not worth_fitting(smiles):
        return pocket_skipped(), None
    try:
        with rdBase.BlockLogs():
            fit = chem_fit.pocket_fit(smiles, structure=structure, seed=seed, time_limit=time_limit)
    except ImidchemError as problem:
        return pocket_error(str(problem)), None
    except Exception as problem:  # noqa: BLE001 - one bad molecule never aborts a table
        return pocket_error(f"{type(problem).__name__}: {problem}"), None
    return fit_values(fit), fit


def worth_fitting(smiles: str) -> bool:
    """Whether the 3-D group fits a standardised SMILES by default: only a molecule the pose
    can anchor (:func:`imidchem.chem.patterns.can_anchor`). Both anchors hold a C=O, so a
    SMILES without an ``O`` is skipped before any pattern is matched (a carbonyl may be
    written ``=O`` or, leading, ``O=``).

    >>> worth_fitting("O=C1CCc2ccccc2N1"), worth_fitting("CC(=O)Nc1ccccc1"), worth_fitting("CCN")
    (True, False, False)
    """
    return "O" in smiles and can_anchor(smiles)


def fit_values(fit) -> tuple:
    """The :data:`POCKET_COLUMNS` values of a :class:`imidchem.chem.pocket.PocketFit`."""
    if fit.pocket_status != "ok":
        return pocket_error(fit.pocket_reason)
    return (
        "ok",
        fit.pocket_score,
        float("nan") if fit.imide_rmsd is None else fit.imide_rmsd,
        fit.pocket_fit,
        fit.pocket_hbonds,
        fit.pocket_clashes,
        fit.pocket_enantiomer,
        fit.pocket_score_spread,
        fit.pocket_reason,
    )
