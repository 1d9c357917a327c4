"""The apremilast statistics in words: sentences, a formatted table and a text block.

The numbers come from :mod:`imidchem.analysis.stats` and what they support from
:mod:`imidchem.analysis.findings` (a :class:`~imidchem.analysis.findings.Findings`); this
module only puts them into words, so that computation and wording live apart.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .. import defaults
from ..analysis.findings import Findings, similarity_findings
from ..analysis.stats import (
    STATISTICS_FINGERPRINTS,
    nearest_neighbours,
    similarity_statistics,
)
from ..chem.mol import MolInput
from .text import statistics_text


def _names(kinds) -> str:
    return ", ".join(kinds) if len(kinds) else "none"


def conclusions(
    findings: Findings | pd.DataFrame,
    query: MolInput = defaults.FOCUS,
    alpha: float = defaults.SIGNIFICANCE,
    neighbours: pd.DataFrame | None = None,
    label: str | None = None,
) -> list[str]:
    """Plain sentences saying what the :class:`~imidchem.analysis.findings.Findings` of
    the similarity statistics support. Given the table of :func:`similarity_statistics`
    instead, its findings are drawn first by
    :func:`~imidchem.analysis.findings.similarity_findings` with ``query``, ``alpha``,
    ``neighbours`` (a table of :func:`nearest_neighbours`) and ``label``.

    >>> lines = conclusions(similarity_statistics("apremilast", fingerprints=("morgan", "torsion")))
    >>> print(lines[0])
    apremilast vs ordinary compounds: more similar to thalidomide than the NCI background (p < 0.05) under torsion; not under morgan (morgan: 0.128, NCI percentile 78.0, p = 0.222), where its similarity is unremarkable.
    """
    if not isinstance(findings, Findings):
        findings = similarity_findings(findings, query, alpha, neighbours, label)
    return [
        _background_sentence(findings),
        *_class_sentence(findings),
        *_counted_sentence(findings),
        *_phthalimide_sentence(findings),
        *_comparator_sentence(findings),
        *_neighbour_sentence(findings),
        _substructure_sentence(findings),
        _call_sentence(findings),
    ]


def _background_sentence(found: Findings) -> str:
    """The query against the NCI background, fingerprint by fingerprint."""
    label, alpha = found.label, found.alpha
    detail = "; ".join(
        f"{f.fingerprint}: {f.similarity:.3f}, NCI percentile {f.background_percentile:.1f}, "
        f"p = {f.background_pvalue:.3f}"
        for f in found.fingerprints
        if not f.significant
    )
    if not found.ordinary:
        return (
            f"{label} vs ordinary compounds: more similar to thalidomide than the NCI background "
            f"(p < {alpha:g}) under every fingerprint tested ({_names(found.significant)})."
        )
    if not found.significant:
        return (
            f"{label} vs ordinary compounds: not more similar to thalidomide than the NCI "
            f"background under any fingerprint ({detail}): its similarity is unremarkable."
        )
    return (
        f"{label} vs ordinary compounds: more similar to thalidomide than the NCI background "
        f"(p < {alpha:g}) under {_names(found.significant)}; not under "
        f"{_names(found.ordinary)} ({detail}), where its similarity is unremarkable."
    )


def _class_sentence(found: Findings) -> list[str]:
    """The query's rank in the IMiD/CELMoD class (none without class members)."""
    n = found.class_n
    if not n:
        return []
    below = [f.fingerprint for f in found.fingerprints if f.below_class]
    not_below = [f for f in found.fingerprints if not f.below_class]
    prefix = f"{found.label} vs the IMiD/CELMoD class ({n} members): "
    if not not_below:
        text = prefix + "less similar to thalidomide than every member under every fingerprint"
    else:
        ranks = "; ".join(
            f"{f.fingerprint}: {f.similarity:.3f}, {f.class_below} of {n} as far or "
            f"further: {', '.join(f.class_below_names)}"
            for f in not_below
        )
        if below:
            text = (
                prefix + f"less similar to thalidomide than every member under "
                f"{_names(below)}, but not under {_names([f.fingerprint for f in not_below])} "
                f"({ranks})"
            )
        else:
            text = prefix + f"inside the class range under every fingerprint ({ranks})"
    return [
        text + f". With {n} members the smallest attainable p-value is "
        f"{found.class_min_pvalue:.2f}: a ranking, not a significance test."
    ]


def _counted_sentence(found: Findings) -> list[str]:
    """Morgan bits against counts (none without both)."""
    counted = found.counted
    if counted is None:
        return []
    verdict = (
        f"more similar than the NCI background (p < {found.alpha:g})"
        if counted.significant
        else "no longer unremarkable"
        if counted.remarkable
        else "still unremarkable"
    )
    return [
        f"Counting environments instead of setting bits (morgan_count) moves {found.label}'s "
        f"Tanimoto to thalidomide from {counted.bits_similarity:.3f} to "
        f"{counted.counts_similarity:.3f} and its NCI percentile from "
        f"{counted.bits_percentile:.1f} to {counted.counts_percentile:.1f} "
        f"(p = {counted.counts_pvalue:.3f}): {verdict}; the Morgan result depends on a "
        "representation choice."
    ]


def _phthalimide_sentence(found: Findings) -> list[str]:
    """The query against the NCI phthalimides without a glutarimide (none without them)."""
    n = found.phthalimide_n
    if not n:
        return []
    lowest = [f.fingerprint for f in found.fingerprints if f.below_phthalimides]
    parts = "; ".join(
        f"{f.fingerprint}: {f.phthalimide_below} of {n} at most as similar"
        for f in found.fingerprints
        if not f.below_phthalimides
    )
    text = (
        f"Against the {n} NCI phthalimides without a glutarimide, the compounds that share "
        f"only the isoindoline half, {found.label} is less similar to thalidomide than every "
        f"one under {_names(lowest)}"
    )
    text += f", and inside their range under the others ({parts})" if parts else ""
    return [
        text + ": much of the NCI signal says only 'has a phthalimide' (the phthalimide "
        "alone does not bind cereblon)."
    ]


def _comparator_sentence(found: Findings) -> list[str]:
    """The comparator drug's Morgan similarity beside the query's (none without Morgan)."""
    morgan = found.get("morgan")
    if found.comparator_similarity is None or morgan is None:
        return []
    theirs, ours = f"{found.comparator_similarity:.3f}", f"{morgan.similarity:.3f}"
    return [
        f"{found.comparator.capitalize()}, which nobody calls thalidomide-like, has a Morgan "
        f"Tanimoto to thalidomide of {theirs}, {'the same as' if theirs == ours else 'against'} "
        f"{found.label}'s {ours}: one number of this size does not place a molecule in a "
        "drug class."
    ]


def _neighbour_sentence(found: Findings) -> list[str]:
    """The nearest reference compounds and what a vote of them would say (none without)."""
    if not found.neighbours:
        return []
    k = len(found.neighbours)
    listed = ", ".join(f"{n.name} ({n.crbn_binder}, {n.similarity:.3f})" for n in found.neighbours)
    text = (
        f"{found.label}'s {k} nearest reference compounds by {found.neighbour_fingerprint} "
        f"Tanimoto are {listed}: {found.neighbour_binders} of {k} are labelled CRBN binders"
    )
    if found.neighbour_vote and not found.pharmacophore:
        text += "; a nearest-neighbour vote would call it a binder, the substructure rule does not"
    elif not found.neighbour_vote and found.pharmacophore:
        text += "; a nearest-neighbour vote would not call it a binder, the rule does"
    return [text + "."]


def _substructure_sentence(found: Findings) -> str:
    """Which half of thalidomide the query shares."""
    label = found.label
    if found.pharmacophore:
        return f"{label} carries the cereblon-binding cyclic imide."
    if found.has_isoindoline and not found.has_glutarimide:
        return (
            f"{label} shares thalidomide's isoindoline core but has no glutarimide: the "
            "distance is the missing cereblon-binding half, not a different scaffold."
        )
    if found.has_glutarimide:
        return (
            f"{label} has a glutarimide but not the cereblon-binding form of it "
            "(substituted imide N-H or wrong substitution at C3)."
        )
    return f"{label} shares neither half of thalidomide."


def _call_sentence(found: Findings) -> str:
    """What decides cereblon binding: the cyclic imide (the graded call), not similarity."""
    graded = f"graded call: level {found.crbn_level}, {found.chemotype}"
    why = (
        f"the missing cyclic imide does ({graded})"
        if found.imide_missing
        else f"the cyclic imide decides ({graded})"
    )
    return (
        f"2-D similarity neither proves nor refutes that {found.label} binds cereblon: {why}; "
        f"the 3-D check is the pocket fit (imidchem pocket)."
    )


TABLE_NOTE = (
    "similarity: Tanimoto to thalidomide; background_percentile (NCI_pct): % of the NCI "
    "compounds less similar to the compound than thalidomide is, background_pvalue (NCI_p): "
    "the share at least as similar (+1 corrected); reference_percentile (ref_pct): % of the NCI "
    "compounds less similar to thalidomide than the compound is; class_min/median/max: the "
    "IMiD/CELMoD class's Tanimoto to thalidomide, class_below (cls_below): members at most as "
    "similar as the compound; phthalimide_below (phth_below): NCI phthalimides without a "
    "glutarimide at most as similar; comparator_similarity (aspirin): aspirin's Tanimoto to "
    "thalidomide; morgan_count: Morgan with counts (Tanimoto = sum of minima / sum of maxima)"
)


def statistics_summary(
    query: MolInput = defaults.FOCUS,
    fingerprints: Sequence[str] | str = STATISTICS_FINGERPRINTS,
    k: int = 5,
    label: str | None = None,
) -> dict:
    """Everything the text block and the report show: a ``title``, the per-fingerprint
    ``table`` (formatted, compact column names), the ``neighbours`` table, a ``note`` on
    the columns, the ``findings`` (:func:`~imidchem.analysis.findings.similarity_findings`)
    and their ``conclusions`` sentences. ``label`` names the compound in the sentences
    (default: its reference name, else its SMILES).

    >>> summary = statistics_summary("apremilast", fingerprints="morgan", k=2)
    >>> summary["table"].loc[0, ["fingerprint", "similarity", "background_percentile"]].tolist()
    ['morgan', '0.128', '78.0']
    >>> summary["neighbours"]["name"].tolist()
    ['N-phthaloylglutamine', 'golcadomide']
    """
    stats = similarity_statistics(query, fingerprints=fingerprints)
    neighbours = nearest_neighbours(query, k=k)
    found = similarity_findings(stats, query, neighbours=neighbours, label=label)
    table = pd.DataFrame(
        {
            "fingerprint": stats["fingerprint"],
            "similarity": stats["similarity"].map("{:.3f}".format),
            "background_percentile": stats["background_percentile"].map("{:.1f}".format),
            "background_pvalue": stats["background_pvalue"].map("{:.4f}".format),
            "reference_percentile": stats["reference_percentile"].map("{:.1f}".format),
            "class_min": stats["class_min"].map("{:.3f}".format),
            "class_median": stats["class_median"].map("{:.3f}".format),
            "class_max": stats["class_max"].map("{:.3f}".format),
            "class_below": stats["class_below"],
            "phthalimide_below": [
                f"{below}/{n}"
                for below, n in zip(stats["phthalimide_below"], stats["phthalimide_n"], strict=True)
            ],
            "comparator_similarity": stats["comparator_similarity"].map("{:.3f}".format),
        }
    )
    shown_neighbours = neighbours.drop(columns="fingerprint")
    shown_neighbours["similarity"] = shown_neighbours["similarity"].map("{:.3f}".format)
    return {
        "title": (
            f"similarity to thalidomide by fingerprint (NCI background n = "
            f"{int(stats.background_n.iloc[0]):,}; IMiD/CELMoD class n = "
            f"{int(stats.class_n.iloc[0])})"
        ),
        "table": table,
        "note": TABLE_NOTE,
        "neighbours_title": f"nearest reference compounds ({neighbours.fingerprint.iloc[0]} Tanimoto)",
        "neighbours": shown_neighbours,
        "findings": found,
        "conclusions": conclusions(found),
    }


def statistics_block(
    query: MolInput = defaults.FOCUS,
    fingerprints: Sequence[str] | str = STATISTICS_FINGERPRINTS,
    k: int = 5,
) -> str:
    """The statistics as printable text: per-fingerprint table, nearest references, conclusions."""
    return statistics_text(statistics_summary(query, fingerprints, k))
