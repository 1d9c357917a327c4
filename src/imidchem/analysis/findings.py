"""What the similarity statistics support, as data: the findings that
:func:`imidchem.view.statistics.conclusions` puts into words.

Every decision is taken here (which fingerprints are significant, where the query ranks in
the IMiD/CELMoD class, what the substructure rule and the graded call say, whether a
nearest-neighbour vote agrees), with the thresholds of :mod:`imidchem.defaults`; the view
only words the result. A :class:`Findings` holds numbers, booleans and names, never a
sentence.

>>> from imidchem.analysis.stats import similarity_statistics
>>> found = similarity_findings(similarity_statistics("apremilast", fingerprints=("morgan", "torsion")))
>>> found.label, found.significant, found.ordinary
('apremilast', ('torsion',), ('morgan',))
>>> found.pharmacophore, found.crbn_level
(False, 4)
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from rdkit import Chem

from .. import defaults
from ..chem.mol import MolInput
from ..chem.patterns import pattern_flags
from ..data.reference import resolve
from ..evidence.call import LEVELS, call_mol
from .stats import COMPARATOR

__all__ = [
    "CountedMorgan",
    "FingerprintFinding",
    "Findings",
    "Neighbour",
    "similarity_findings",
]


@dataclass(frozen=True)
class FingerprintFinding:
    """The query under one fingerprint: its Tanimoto to thalidomide, its place in the NCI
    background (``significant``: ``background_pvalue`` below the significance level), in
    the IMiD/CELMoD class (``below_class``: less similar than every member;
    ``class_below``: members at most as similar, named in ``class_below_names``) and among
    the NCI phthalimides without a glutarimide (``phthalimide_below`` at most as similar;
    ``below_phthalimides``: less similar than every one)."""

    fingerprint: str
    similarity: float
    background_percentile: float
    background_pvalue: float
    significant: bool
    below_class: bool
    class_below: int
    class_below_names: tuple[str, ...]
    phthalimide_below: int
    below_phthalimides: bool


@dataclass(frozen=True)
class CountedMorgan:
    """Morgan bits against Morgan counts (``morgan_count``): both similarities and NCI
    percentiles, the counted p-value, ``significant`` (below the significance level) and
    ``remarkable`` (percentile at least :data:`imidchem.defaults.REMARKABLE_PERCENTILE`)."""

    bits_similarity: float
    counts_similarity: float
    bits_percentile: float
    counts_percentile: float
    counts_pvalue: float
    significant: bool
    remarkable: bool


@dataclass(frozen=True)
class Neighbour:
    """A nearest reference compound: name, CRBN-binder label and Tanimoto to the query."""

    name: str
    crbn_binder: str
    similarity: float


@dataclass(frozen=True)
class Findings:
    """What the numbers of :func:`imidchem.analysis.stats.similarity_statistics` (and, if
    given, :func:`imidchem.analysis.stats.nearest_neighbours`) support, for one query
    called ``label``.

    ``fingerprints`` has one :class:`FingerprintFinding` per fingerprint, in the
    statistics' order, judged at ``alpha``; ``class_n`` members in the class comparison
    (whose smallest attainable p-value is ``class_min_pvalue``); ``counted`` the counted
    Morgan comparison (None without both Morgan rows); ``phthalimide_n`` NCI phthalimides;
    the ``comparator`` (a drug with no claim to thalidomide's chemistry) and its Morgan
    Tanimoto to thalidomide (None without a Morgan row); the nearest ``neighbours`` by
    ``neighbour_fingerprint``, ``neighbour_binders`` of them labelled binders and
    ``neighbour_vote`` (a majority of them are); the substructure flags
    (``pharmacophore``: the cereblon-binding cyclic imide) and the graded call
    (``crbn_level``, ``chemotype``; ``imide_missing`` at the last level, no free cyclic
    imide).
    """

    label: str
    alpha: float
    fingerprints: tuple[FingerprintFinding, ...]
    class_n: int
    class_min_pvalue: float | None
    counted: CountedMorgan | None
    phthalimide_n: int
    comparator: str
    comparator_similarity: float | None
    neighbours: tuple[Neighbour, ...]
    neighbour_fingerprint: str | None
    neighbour_binders: int
    neighbour_vote: bool
    pharmacophore: bool
    has_isoindoline: bool
    has_glutarimide: bool
    crbn_level: int
    chemotype: str
    imide_missing: bool

    @property
    def significant(self) -> tuple[str, ...]:
        """The fingerprints under which the query is closer to thalidomide than the NCI
        background (p below ``alpha``)."""
        return tuple(f.fingerprint for f in self.fingerprints if f.significant)

    @property
    def ordinary(self) -> tuple[str, ...]:
        """The fingerprints under which its similarity is unremarkable."""
        return tuple(f.fingerprint for f in self.fingerprints if not f.significant)

    def get(self, fingerprint: str) -> FingerprintFinding | None:
        """The finding under ``fingerprint``, None when it was not computed.

        >>> from imidchem.analysis.stats import similarity_statistics
        >>> found = similarity_findings(similarity_statistics("apremilast", fingerprints="morgan"))
        >>> round(found.get("morgan").similarity, 3), found.get("maccs")
        (0.128, None)
        """
        return next((f for f in self.fingerprints if f.fingerprint == fingerprint), None)


def similarity_findings(
    statistics: pd.DataFrame,
    query: MolInput = defaults.FOCUS,
    alpha: float = defaults.SIGNIFICANCE,
    neighbours: pd.DataFrame | None = None,
    label: str | None = None,
) -> Findings:
    """The :class:`Findings` of the ``statistics`` of ``query`` (a table of
    :func:`imidchem.analysis.stats.similarity_statistics`) and its ``neighbours`` (a table
    of :func:`imidchem.analysis.stats.nearest_neighbours`), judged at ``alpha``. ``label``
    names the query (default: its reference name, else its SMILES).

    >>> from imidchem.analysis.stats import nearest_neighbours, similarity_statistics
    >>> stats = similarity_statistics("lenalidomide", fingerprints=("morgan", "morgan_count"))
    >>> found = similarity_findings(stats, "lenalidomide", neighbours=nearest_neighbours("lenalidomide"))
    >>> found.significant, found.class_n, found.counted.significant
    (('morgan', 'morgan_count'), 5, True)
    >>> found.neighbour_binders, found.neighbour_vote, found.pharmacophore, found.crbn_level
    (5, True, True, 1)
    """
    name, mol = resolve(query)
    rows = tuple(_fingerprint_finding(row, alpha) for row in statistics.itertuples())
    by_kind = {f.fingerprint: f for f in rows}
    class_n = int(statistics.class_n.iloc[0]) if len(statistics) else 0
    flags = pattern_flags(mol)
    call = call_mol(mol)
    shown = neighbours if neighbours is not None and len(neighbours) else None
    binders = 0 if shown is None else int((shown["crbn_binder"] == "yes").sum())
    return Findings(
        label=(name or Chem.MolToSmiles(mol)) if label is None else label,
        alpha=alpha,
        fingerprints=rows,
        class_n=class_n,
        class_min_pvalue=1 / (class_n + 1) if class_n else None,
        counted=_counted(by_kind, statistics, alpha),
        phthalimide_n=int(statistics.phthalimide_n.iloc[0])
        if "phthalimide_n" in statistics and len(statistics) else 0,
        comparator=COMPARATOR[0],
        comparator_similarity=float(statistics.comparator_similarity[
            statistics.fingerprint == "morgan"].iloc[0])
        if "comparator_similarity" in statistics and "morgan" in by_kind else None,
        neighbours=() if shown is None else tuple(
            Neighbour(str(row.name), str(row.crbn_binder), float(row.similarity))
            for row in shown.itertuples()
        ),
        neighbour_fingerprint=None if shown is None else str(shown.fingerprint.iloc[0]),
        neighbour_binders=binders,
        neighbour_vote=shown is not None and binders * 2 > len(shown),
        pharmacophore=bool(flags["crbn_pharmacophore"]),
        has_isoindoline=bool(flags["has_isoindoline"]),
        has_glutarimide=bool(flags["has_glutarimide"]),
        crbn_level=int(call.level),
        chemotype=str(call.chemotype),
        imide_missing=call.level == max(LEVELS),  # the last level: no free cyclic imide
    )  # fmt: skip


def _fingerprint_finding(row, alpha: float) -> FingerprintFinding:
    phthalimide_below = int(getattr(row, "phthalimide_below", 0))
    return FingerprintFinding(
        fingerprint=str(row.fingerprint),
        similarity=float(row.similarity),
        background_percentile=float(row.background_percentile),
        background_pvalue=float(row.background_pvalue),
        significant=bool(row.background_pvalue < alpha),
        below_class=bool(row.below_class),
        class_below=int(row.class_below),
        class_below_names=tuple(n for n in str(row.class_below_names).split(", ") if n),
        phthalimide_below=phthalimide_below,
        below_phthalimides=phthalimide_below == 0,
    )


def _counted(by_kind: dict, statistics: pd.DataFrame, alpha: float) -> CountedMorgan | None:
    """Morgan bits against counts, when both were computed."""
    if not {"morgan", "morgan_count"} <= set(by_kind):
        return None
    bits, counts = by_kind["morgan"], by_kind["morgan_count"]
    return CountedMorgan(
        bits_similarity=bits.similarity,
        counts_similarity=counts.similarity,
        bits_percentile=bits.background_percentile,
        counts_percentile=counts.background_percentile,
        counts_pvalue=counts.background_pvalue,
        significant=counts.background_pvalue < alpha,
        remarkable=counts.background_percentile >= defaults.REMARKABLE_PERCENTILE,
    )
