"""The verdict: how likely a compound binds cereblon (the graded call), and why.

Every call comes with its evidence: similarity to thalidomide and its percentile against
the NCI background, which halves of thalidomide the compound shares, the MCS with
thalidomide, whether it carries the cereblon-binding motif, and a one-line reason.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property, lru_cache
from time import monotonic
from typing import TYPE_CHECKING

from rdkit import Chem, DataStructs, rdBase

from .. import defaults
from ..chem.fingerprints import DEFAULT_FINGERPRINT, fingerprint, fingerprinter
from ..chem.mol import (
    MolInput,
    read_plain_smiles,
    sanitize_plain,
    standardize_plain,
    to_mol,
)
from ..chem.patterns import HALF_FLAG_PATTERNS, half_flag_values
from ..chem.prefilter import absent_patterns
from ..chem.similarity import mcs
from ..data.background import background_fingerprints, percentile
from ..data.reference import (
    canonical_name,
    reference_fingerprints,
    reference_inchikeys,
    reference_mol,
    resolve,
)
from ..display import render
from ..errors import ImidchemError, InvalidArgumentError
from . import schema
from .call import LEVEL_NAMES, RULE_INDEX, call_mol
from .schema import EVIDENCE_COLUMNS  # noqa: F401 - the keys of quick_evidence, re-exported
from .score import LEVEL_SCORES

if TYPE_CHECKING:
    pass

VERDICTS = LEVEL_NAMES
"""The verdicts: the names of the four levels of :mod:`imidchem.evidence.call`."""


def classify(mol: Chem.Mol) -> tuple[str, str]:
    """The verdict (the name of the graded call's level) and its one-line reason, for a
    standardised Mol; :func:`imidchem.evidence.call.call_mol` makes the call.

    >>> classify(to_mol("CCOc1cc([C@@H](CS(C)(=O)=O)N2C(=O)c3cccc(NC(C)=O)c3C2=O)ccc1OC"))
    ('not a cereblon binder', 'shares only the isoindoline half of thalidomide; no glutarimide, so no cereblon-binding imide')
    """
    call = call_mol(mol)
    return call.name, call.reason


@lru_cache(maxsize=1)
def _thalidomide_fp():
    names, fps = reference_fingerprints(DEFAULT_FINGERPRINT)
    return fps[names.index("thalidomide")]


@lru_cache(maxsize=64)
def reference_panel(names: tuple[str, ...] | None = None) -> tuple[tuple[str, ...], tuple, tuple]:
    """Names, Morgan fingerprints and InChIKey skeletons of the reference compounds to
    compare with: all of them, or the named subset (names or synonyms, validated).

    >>> reference_panel(("Revlimid", "apremilast"))[0]
    ('lenalidomide', 'apremilast')
    """
    all_names, all_fps = reference_fingerprints(DEFAULT_FINGERPRINT)
    skeletons = [key[:14] for key in reference_inchikeys()]
    if names is None:
        positions = range(len(all_names))
    else:
        if not names:
            raise InvalidArgumentError("the list of reference names is empty")
        positions = [all_names.index(canonical_name(name)) for name in names]
    return (
        tuple(all_names[i] for i in positions),
        tuple(all_fps[i] for i in positions),
        tuple(skeletons[i] for i in positions),
    )


@lru_cache(maxsize=64)
def _thalidomide_position(references: tuple[str, ...] | None) -> int | None:
    """Where thalidomide's fingerprint sits in the panel (None: not in it)."""
    fps = reference_panel(references)[1]
    thalidomide = _thalidomide_fp()
    return next((i for i, fp in enumerate(fps) if fp is thalidomide), None)


def quick_evidence(
    mol: Chem.Mol,
    references: tuple[str, ...] | None = None,
    exclude_self: bool = False,
    *,
    fp=None,
    absent: Container[str] = (),
) -> dict:
    """The fast part of the evidence for a standardised Mol (no MCS, no percentile).

    This is what the library screen computes for every molecule. ``references`` limits
    the nearest-reference search to those names. With ``exclude_self`` the nearest
    reference skips compounds with the same InChIKey skeleton (the molecule itself and
    its stereoisomers), so a drug is not its own nearest neighbour. ``fp`` is the
    molecule's Morgan fingerprint if already computed, ``absent`` the patterns known not
    to match (see :func:`imidchem.chem.patterns.pattern_flags`).

    >>> from imidchem.chem.mol import to_mol
    >>> e = quick_evidence(to_mol("Nc1cccc2c1C(=O)N(C1CCC(=O)NC1=O)C2=O"), exclude_self=True)
    >>> e["nearest_reference"], round(e["nearest_similarity"], 3), e["verdict"]
    ('4-hydroxythalidomide', 0.744, 'IMiD-like cereblon binder')
    >>> tuple(e) == EVIDENCE_COLUMNS
    True
    """
    values = evidence_values(mol, references, exclude_self, fp, absent)
    return dict(zip(EVIDENCE_COLUMNS, values, strict=True))


def _half_flags(mol: Chem.Mol, absent: Container[str], pattern: str | None) -> tuple:
    """``has_isoindoline``, ``has_glutarimide``, ``glutarimide_nh`` for a molecule whose
    graded call was made by the rule of ``pattern``.

    The call's rules include ``isoindoline``, ``glutarimide`` and ``glutarimide_nh`` (the
    same queries as these flags). The rules before the one that made the call did not
    match, and that one did, so those patterns need no second search.
    """
    settled_absent, settled_present = _SETTLED_BY_CALL[pattern]
    return half_flag_values(mol, (*absent, *settled_absent), settled_present)


_SETTLED_BY_CALL = {
    pattern: (
        tuple(name for name in HALF_FLAG_PATTERNS if RULE_INDEX[name] < reached),
        tuple(name for name in HALF_FLAG_PATTERNS if RULE_INDEX[name] == reached),
    )
    for pattern, reached in RULE_INDEX.items()
}
"""For each rule's pattern: the half-flag patterns the call found absent, and present."""
_MORGAN = fingerprinter(DEFAULT_FINGERPRINT)


def evidence_values(
    mol: Chem.Mol,
    references: tuple[str, ...] | None = None,
    exclude_self: bool = False,
    fp=None,
    absent: Container[str] = (),
) -> tuple:
    """The values of :func:`quick_evidence`, in :data:`EVIDENCE_COLUMNS` order (no dict).

    >>> from imidchem.chem.mol import to_mol
    >>> values = evidence_values(to_mol("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1"))
    >>> values[:2], values[3:7]
    ((1.0, 'thalidomide'), (True, True, True, True))
    """
    if fp is None:
        fp = _MORGAN(mol)
    names, fps, skeletons = reference_panel(references)
    sims = DataStructs.BulkTanimotoSimilarity(fp, fps)
    if exclude_self:
        with rdBase.BlockLogs():
            skeleton = Chem.MolToInchiKey(mol)[:14]
        candidates = [i for i in range(len(sims)) if skeletons[i] != skeleton] or range(len(sims))
        best = max(candidates, key=sims.__getitem__)
    else:
        best = sims.index(max(sims))  # the first of the highest, as max(range, key) picks
    thalidomide = _thalidomide_position(references)
    call = call_mol(mol, absent)
    # crbn_pharmacophore is the union of the level-1 and level-2 patterns: the call's
    # ``binder``, so that search is not run a second time here
    return (
        sims[thalidomide]  # the same number as a separate Tanimoto call
        if thalidomide is not None
        else DataStructs.TanimotoSimilarity(fp, _thalidomide_fp()),
        names[best],
        sims[best],
        *_half_flags(mol, absent, call.pattern),
        call.binder,
        call.level,
        call.chemotype,
        call.name,
        call.reason,
        LEVEL_SCORES[call.level],
    )


def evidence_row(
    molecule: MolInput, references: tuple[str, ...] | None = None, *, fast: bool = True
) -> tuple:
    """The :data:`imidchem.evidence.schema.COLUMNS` values for one molecule (SMILES or Mol).

    The per-molecule step of :func:`assess` and of the library screen. A molecule that
    cannot be read gives an error row (``status='error'`` and the reason), never an
    exception.

    With ``fast`` (the default) a plain SMILES (one fragment, no charge, isotope or
    hydrogen atom: :func:`imidchem.chem.mol.is_plain_smiles`) skips the standardisation
    steps that cannot change it (:func:`imidchem.chem.mol.standardize_plain`) and the
    substructure searches its SMILES rules out (:mod:`imidchem.chem.prefilter`); every
    other input takes the full path. The row is the same either way
    (``tests/test_evidence_rows.py``).

    >>> row = dict(zip(schema.COLUMNS, evidence_row("CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O")))
    >>> row["status"], row["crbn_pharmacophore"], row["crbn_level"], row["chemotype"]
    ('ok', False, 4, 'N-substituted glutarimide')
    >>> evidence_row("C1CC")[:3]
    ('error', "invalid SMILES 'C1CC': unclosed ring", '')
    """
    if fast and type(molecule) is str:
        return evidence_rows([molecule], references)[0]
    return _full_row(molecule, references)


def _full_row(molecule: MolInput, references: tuple[str, ...] | None) -> tuple:
    """:func:`evidence_row` by the full path: standardise, then every search."""
    try:
        mol = to_mol(molecule)
        values = evidence_values(mol, references)
        return schema.ok_values_row(Chem.MolToSmiles(mol), values)
    except Exception as problem:  # noqa: BLE001 - one bad record never aborts a run
        return _problem_row(problem)


def _problem_row(problem: Exception) -> tuple:
    """The error row of a molecule whose evidence raised ``problem``."""
    if isinstance(problem, ImidchemError):
        return schema.error_row(str(problem))
    return schema.error_row(f"{type(problem).__name__}: {problem}")


def _ticking(positions: Iterable[int], clock: list | None, offset: int) -> Iterable[int]:
    """``positions``, setting ``clock`` to ``[offset + position, time.monotonic()]`` before each."""
    if clock is None:
        yield from positions
        return
    for position in positions:
        clock[0] = offset + position
        clock[1] = monotonic()
        yield position


def evidence_rows(
    molecules: Sequence[MolInput],
    references: tuple[str, ...] | None = None,
    clock: list | None = None,
    canonical: bool = True,
) -> list[tuple]:
    """:func:`evidence_row` of each molecule, step by step over the whole batch: the same rows.

    The molecules go in batches of :data:`imidchem.defaults.BATCH_SIZE`; the fast path's
    steps (read, sanitise, tautomer, fingerprint, evidence, canonical SMILES) each run
    over every molecule of a batch before the next step starts, so the RDKit code of one
    step stays in the processor's caches: the same instructions as one molecule at a
    time, in less CPU time (see docs/performance.md). A molecule that is not a plain
    SMILES, or that a step cannot take, goes the full path of :func:`evidence_row`.
    ``clock``, if given, is set to ``[position in molecules, time.monotonic()]`` as
    each molecule's step starts (the screen's watchdog reads it to tell which record
    ran over its time limit). ``canonical=False`` skips the canonical SMILES of the fast
    path (``smiles_std`` is then "" where the fast path took the molecule; a screen that
    was not asked for it does not write it).

    >>> batch = ["CCO", "C1CC", "O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1.Cl", None]
    >>> evidence_rows(batch) == [evidence_row(molecule) for molecule in batch]
    True
    >>> [row[0] for row in evidence_rows(batch)]
    ['ok', 'error', 'ok', 'error']
    """
    rows: list = []
    size = defaults.BATCH_SIZE
    for start in range(0, len(molecules), size):
        batch = molecules[start : start + size]
        rows += _batch_evidence_rows(batch, references, clock, start, canonical)
    return rows


def _batch_evidence_rows(
    molecules: Sequence[MolInput],
    references,
    clock: list | None,
    offset: int,
    canonical: bool = True,
) -> list[tuple]:
    """:func:`evidence_rows` of one batch (``offset``: its first position, for ``clock``)."""
    rows: list = [None] * len(molecules)
    mols: list = [None] * len(molecules)
    read = []
    for i in _ticking(range(len(molecules)), clock, offset):
        text = molecules[i]
        mol = read_plain_smiles(text) if type(text) is str else None
        if mol is None:
            rows[i] = _full_row(text, references)
        else:
            mols[i] = mol
            read.append(i)
    sanitised = []
    for i in _ticking(read, clock, offset):
        if sanitize_plain(mols[i], molecules[i]) is None:
            rows[i] = _full_row(molecules[i], references)
        else:
            sanitised.append(i)
    # then each step of the evidence; a step that raises gives the molecule's error row
    absent: dict[int, Container[str]] = {}
    standard = []
    for i in _ticking(sanitised, clock, offset):
        text, parsed = molecules[i], mols[i]
        try:
            mol = mols[i] = standardize_plain(parsed, text)
            if mol is parsed:  # the prefilter reads the molecule as written
                absent[i] = absent_patterns(text)
            standard.append(i)
        except Exception as problem:  # noqa: BLE001
            rows[i] = _problem_row(problem)
    fps: dict[int, object] = {}
    for i in _ticking(standard, clock, offset):
        try:
            fps[i] = _MORGAN(mols[i])
        except Exception as problem:  # noqa: BLE001
            rows[i] = _problem_row(problem)
    values: dict[int, tuple] = {}
    for i in _ticking(list(fps), clock, offset):
        try:
            values[i] = evidence_values(mols[i], references, False, fps[i], absent.get(i, ()))
        except Exception as problem:  # noqa: BLE001
            rows[i] = _problem_row(problem)
    if not canonical:
        for i in values:
            rows[i] = schema.ok_values_row("", values[i])
        return rows
    for i in _ticking(list(values), clock, offset):
        try:
            rows[i] = schema.ok_values_row(Chem.MolToSmiles(mols[i]), values[i])
        except Exception as problem:  # noqa: BLE001
            rows[i] = _problem_row(problem)
    return rows


@dataclass(frozen=True)
class Evidence:
    """The evidence record behind one compound's verdict (what :func:`explain` returns).

    ``str(record)`` and the notebook display show the same sections as
    ``imidchem explain``: the evidence, the 3-D pocket fit and the similarity statistics
    (each computed on first use; :func:`explain` says which to show).

    Attributes
    ----------
    query : str
        The compound as given.
    name : str or None
        Its reference name, None when it is not in the reference set.
    smiles_std : str
        Canonical SMILES of the standardised parent molecule (the old name ``smiles`` still
        works for one version, with a :class:`DeprecationWarning`).
    inchikey : str
        Standard InChIKey of that molecule.
    sim_thalidomide : float
        Tanimoto to thalidomide (Morgan radius 2, 2048 bits).
    background_percentile : float
        Share (%) of the NCI background compounds less similar to thalidomide than this one.
    nearest_reference, nearest_similarity : str, float
        The most similar other compound of the reference set and its Tanimoto.
    has_isoindoline, has_glutarimide, glutarimide_nh : bool
        Thalidomide's isoindoline half; a glutarimide ring; its N-H.
    crbn_pharmacophore : bool
        Carries the cereblon-binding cyclic imide motif (levels 1 and 2).
    crbn_level : int
        Graded cereblon call, 1 (IMiD-like binder) to 4 (not a binder).
    crbn_score : float
        The one ranked cereblon score, 0-1, from the level (:mod:`imidchem.evidence.score`;
        ``crbn_score_with_pocket`` refines it with the pocket fit).
    chemotype, verdict, reason : str
        The chemotype behind the call, the call in words, and why.
    mcs_atoms, mcs_fraction : int, float
        Maximum common substructure with thalidomide: atoms, and share of thalidomide's.
    background_size : int
        Number of NCI background compounds behind the percentile.
    reference_atoms : int
        Heavy atoms of thalidomide.
    pocket : PocketFit or None
        The 3-D fit in cereblon's pocket (computed on first use; None with ``pocket=False``).
    """

    query: str
    name: str | None
    smiles_std: str
    inchikey: str
    sim_thalidomide: float
    background_percentile: float
    nearest_reference: str
    nearest_similarity: float
    has_isoindoline: bool
    has_glutarimide: bool
    glutarimide_nh: bool
    crbn_pharmacophore: bool
    crbn_level: int
    chemotype: str
    mcs_atoms: int
    mcs_fraction: float
    verdict: str
    reason: str
    background_size: int = 0
    reference_atoms: int = 19
    crbn_score: float = float("nan")
    """The ranked cereblon score from the level (:mod:`imidchem.evidence.score`)."""
    pocket_structure: str | None = field(default=None, compare=False, repr=False)
    statistics_fingerprints: tuple[str, ...] | None = field(default=None, compare=False,
                                                            repr=False)  # fmt: skip

    @property
    def smiles(self) -> str:
        """Deprecated alias of :attr:`smiles_std` (the schema's name)."""
        import warnings

        warnings.warn(
            "Evidence.smiles is deprecated and will be removed in the next version; use "
            "Evidence.smiles_std",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.smiles_std

    @property
    def shares(self) -> str:
        """Which halves of thalidomide the compound shares, in words."""
        halves = [
            h
            for h, has in (
                ("isoindoline side", self.has_isoindoline),
                ("glutarimide side", self.has_glutarimide),
            )
            if has
        ]
        return " and ".join(halves) if halves else "neither half"

    @cached_property
    def pocket(self):
        """The :class:`imidchem.PocketFit` of this compound in ``pocket_structure`` (None
        when :func:`explain` was asked for no pocket); computed on first use."""
        if not self.pocket_structure:
            return None
        from .pocket import pocket_fit

        return pocket_fit(self.smiles_std, structure=self.pocket_structure)

    @cached_property
    def neosubstrates(self):
        """The neosubstrate profile (:func:`imidchem.neosubstrates`) of this compound,
        computed on first use."""
        from .profile import neosubstrates

        return neosubstrates(self.name or self.smiles_std)

    @cached_property
    def crbn_score_with_pocket(self) -> tuple[float, float] | None:
        """``(crbn_score refined by the pocket fit, the pocket evidence it used)``
        (:func:`imidchem.evidence.pocket.score_with_fit`; the level stays the 2-D one), None
        without a pocket."""
        if self.pocket is None:
            return None
        from .pocket import score_with_fit

        return score_with_fit(self.crbn_level, self.smiles_std, self.pocket)

    def to_dict(self) -> dict:
        """Plain dict of the evidence fields and ``shares`` (for DataFrames and JSON; the
        names are the schema's, :data:`imidchem.evidence.schema.VOCABULARY`)."""
        record = asdict(self)
        record.pop("pocket_structure")
        record.pop("statistics_fingerprints")
        record["shares"] = self.shares
        return record

    def __str__(self) -> str:
        return render(self, "text") or repr(self)  # words: imidchem.view.render

    def _repr_html_(self) -> str | None:
        return render(self, "html")


def explain(
    molecule: MolInput,
    mcs_timeout: int = defaults.MCS_TIMEOUT,
    pocket: bool = True,
    stats: bool = True,
    structure: str = defaults.STRUCTURE,
    fingerprints: Sequence[str] = defaults.STATISTICS_FINGERPRINTS,
) -> Evidence:
    """The full evidence record for one compound (reference name, synonym, SMILES or Mol).

    The record shows the same sections as ``imidchem explain``: the evidence, the 3-D
    pocket fit in ``structure`` (unless ``pocket=False``, like ``--no-pocket``) and the
    similarity statistics under ``fingerprints`` (unless ``stats=False``, like
    ``--no-stats``); the last two are computed when first shown or used.

    >>> record = explain("apremilast")
    >>> record.verdict, record.has_isoindoline, record.has_glutarimide
    ('not a cereblon binder', True, False)
    >>> print(record.reason)
    shares only the isoindoline half of thalidomide; no glutarimide, so no cereblon-binding imide
    >>> record.pocket.pocket_fit, record.crbn_score_with_pocket[0] <= record.crbn_score + 0.25
    (False, True)
    """
    from ..chem.fingerprints import fingerprint_name
    from ..chem.pocket.structures import check_structure_id

    kinds = tuple(fingerprint_name(kind) for kind in fingerprints) if stats else None
    where = check_structure_id(structure) if pocket else None
    name, mol = resolve(molecule)
    quick = quick_evidence(mol, exclude_self=True)
    background = sorted(
        DataStructs.BulkTanimotoSimilarity(
            fingerprint(mol, DEFAULT_FINGERPRINT), background_fingerprints(DEFAULT_FINGERPRINT)
        )
    )
    common = mcs(mol, reference_mol(defaults.REFERENCE), timeout=mcs_timeout)
    with rdBase.BlockLogs():
        key = Chem.MolToInchiKey(mol)
    query = molecule if isinstance(molecule, str) else Chem.MolToSmiles(mol)
    return Evidence(
        query=query,
        name=name,
        smiles_std=Chem.MolToSmiles(mol),
        inchikey=key,
        background_percentile=percentile(quick["sim_thalidomide"], background),
        mcs_atoms=common.num_atoms,
        mcs_fraction=common.fraction_of_reference,
        background_size=len(background),
        reference_atoms=reference_mol(defaults.REFERENCE).GetNumHeavyAtoms(),
        pocket_structure=where,
        statistics_fingerprints=kinds,
        **quick,
    )
