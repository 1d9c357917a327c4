"""The apremilast statistics in words: sentences, a formatted table and a text block.

The numbers come from :mod:`imidchem.analysis.stats`; this module only says what they
support, so that computation and wording live apart.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from rdkit import Chem

from .. import defaults
from ..analysis.stats import (
    COMPARATOR,
    SIGNIFICANCE,
    STATISTICS_FINGERPRINTS,
    nearest_neighbours,
    similarity_statistics,
)
from ..chem.mol import MolInput
from ..chem.patterns import pattern_flags
from ..data.reference import resolve
from ..evidence.call import call_mol
from .text import statistics_text


def _names(kinds) -> str:
    return ", ".join(kinds) if len(kinds) else "none"


def conclusions(
    statistics: pd.DataFrame,
    query: MolInput = defaults.FOCUS,
    alpha: float = SIGNIFICANCE,
    neighbours: pd.DataFrame | None = None,
    label: str | None = None,
) -> list[str]:
    """Plain sentences saying what the numbers of :func:`similarity_statistics` (and,
    if given, :func:`nearest_neighbours`) support.

    >>> lines = conclusions(similarity_statistics("apremilast", fingerprints=("morgan", "torsion")))
    >>> print(lines[0])
    apremilast vs ordinary compounds: more similar to thalidomide than the NCI background (p < 0.05) under torsion; not under morgan (morgan: 0.128, NCI percentile 78.0, p = 0.222), where its similarity is unremarkable.
    """
    name, mol = resolve(query)
    if label is None:
        label = name or Chem.MolToSmiles(mol)
    stats = statistics
    significant = stats[stats.background_pvalue < alpha]
    ordinary = stats[stats.background_pvalue >= alpha]
    sentences = []
    detail = "; ".join(
        f"{row.fingerprint}: {row.similarity:.3f}, NCI percentile {row.background_percentile:.1f}, "
        f"p = {row.background_pvalue:.3f}"
        for row in ordinary.itertuples()
    )
    if len(ordinary) == 0:
        sentences.append(
            f"{label} vs ordinary compounds: more similar to thalidomide than the NCI background "
            f"(p < {alpha:g}) under every fingerprint tested ({_names(significant.fingerprint)})."
        )
    elif len(significant) == 0:
        sentences.append(
            f"{label} vs ordinary compounds: not more similar to thalidomide than the NCI "
            f"background under any fingerprint ({detail}): its similarity is unremarkable."
        )
    else:
        sentences.append(
            f"{label} vs ordinary compounds: more similar to thalidomide than the NCI background "
            f"(p < {alpha:g}) under {_names(significant.fingerprint)}; not under "
            f"{_names(ordinary.fingerprint)} ({detail}), where its similarity is unremarkable."
        )
    below = stats[stats.below_class]
    not_below = stats[~stats.below_class]
    n = int(stats.class_n.iloc[0]) if len(stats) else 0
    if n:
        prefix = f"{label} vs the IMiD/CELMoD class ({n} members): "
        if len(not_below) == 0:
            text = prefix + "less similar to thalidomide than every member under every fingerprint"
        else:
            ranks = "; ".join(
                f"{row.fingerprint}: {row.similarity:.3f}, {row.class_below} of {n} as far or "
                f"further: {row.class_below_names}"
                for row in not_below.itertuples()
            )
            if len(below):
                text = (
                    prefix + f"less similar to thalidomide than every member under "
                    f"{_names(below.fingerprint)}, but not under {_names(not_below.fingerprint)} "
                    f"({ranks})"
                )
            else:
                text = prefix + f"inside the class range under every fingerprint ({ranks})"
        text += (
            f". With {n} members the smallest attainable p-value is {1 / (n + 1):.2f}: "
            "a ranking, not a significance test."
        )
        sentences.append(text)
    sentences += _count_phthalimide_comparator(stats, label)
    flags = pattern_flags(mol)
    if neighbours is not None and len(neighbours):
        binders = int((neighbours["crbn_binder"] == "yes").sum())
        listed = ", ".join(
            f"{row.name} ({row.crbn_binder}, {row.similarity:.3f})"
            for row in neighbours.itertuples()
        )
        text = (
            f"{label}'s {len(neighbours)} nearest reference compounds by "
            f"{neighbours.fingerprint.iloc[0]} Tanimoto are {listed}: {binders} of "
            f"{len(neighbours)} are labelled CRBN binders"
        )
        called = flags["crbn_pharmacophore"]
        if binders * 2 > len(neighbours) and not called:
            text += (
                "; a nearest-neighbour vote would call it a binder, the substructure rule does not"
            )
        elif binders * 2 <= len(neighbours) and called:
            text += "; a nearest-neighbour vote would not call it a binder, the rule does"
        sentences.append(text + ".")
    if flags["crbn_pharmacophore"]:
        sentences.append(f"{label} carries the cereblon-binding cyclic imide.")
    elif flags["has_isoindoline"] and not flags["has_glutarimide"]:
        sentences.append(
            f"{label} shares thalidomide's isoindoline core but has no glutarimide: the "
            "distance is the missing cereblon-binding half, not a different scaffold."
        )
    elif flags["has_glutarimide"]:
        sentences.append(
            f"{label} has a glutarimide but not the cereblon-binding form of it "
            "(substituted imide N-H or wrong substitution at C3)."
        )
    else:
        sentences.append(f"{label} shares neither half of thalidomide.")
    call = call_mol(mol)
    if call.level == 4:
        why = f"the missing cyclic imide does (graded call: level 4, {call.chemotype})"
    else:
        why = f"the cyclic imide decides (graded call: level {call.level}, {call.chemotype})"
    sentences.append(
        f"2-D similarity neither proves nor refutes that {label} binds cereblon: {why}; "
        f"the 3-D check is the pocket fit (imidchem pocket)."
    )
    return sentences


def _count_phthalimide_comparator(stats: pd.DataFrame, label: str) -> list[str]:
    """Sentences on counted Morgan, the phthalimide background and the comparator."""
    sentences = []
    by_kind = stats.set_index("fingerprint")
    if {"morgan", "morgan_count"} <= set(by_kind.index):
        bits, counts = by_kind.loc["morgan"], by_kind.loc["morgan_count"]
        verdict = (
            "more similar than the NCI background (p < 0.05)"
            if counts.background_pvalue < SIGNIFICANCE
            else "no longer unremarkable"
            if counts.background_percentile >= 90
            else "still unremarkable"
        )
        sentences.append(
            f"Counting environments instead of setting bits (morgan_count) moves {label}'s "
            f"Tanimoto to thalidomide from {bits.similarity:.3f} to {counts.similarity:.3f} and "
            f"its NCI percentile from {bits.background_percentile:.1f} to "
            f"{counts.background_percentile:.1f} (p = {counts.background_pvalue:.3f}): "
            f"{verdict}; the Morgan result depends on a representation choice."
        )
    if "phthalimide_n" in stats and len(stats) and int(stats.phthalimide_n.iloc[0]):
        n = int(stats.phthalimide_n.iloc[0])
        lowest = stats[stats.phthalimide_below == 0]
        parts = "; ".join(
            f"{row.fingerprint}: {row.phthalimide_below} of {n} at most as similar"
            for row in stats[stats.phthalimide_below > 0].itertuples()
        )
        text = (
            f"Against the {n} NCI phthalimides without a glutarimide, the compounds that share "
            f"only the isoindoline half, {label} is less similar to thalidomide than every one "
            f"under {_names(lowest.fingerprint)}"
        )
        text += f", and inside their range under the others ({parts})" if parts else ""
        sentences.append(
            text + ": much of the NCI signal says only 'has a phthalimide' (the phthalimide "
            "alone does not bind cereblon)."
        )
    if "comparator_similarity" in stats and "morgan" in set(by_kind.index):
        row = by_kind.loc["morgan"]
        sentences.append(
            f"{COMPARATOR[0].capitalize()}, which nobody calls thalidomide-like, has a Morgan "
            f"Tanimoto to thalidomide of {row.comparator_similarity:.3f}, "
            f"{'the same as' if round(row.comparator_similarity, 3) == round(row.similarity, 3) else 'against'} "
            f"{label}'s {row.similarity:.3f}: one number of this size does not place a molecule "
            "in a drug class."
        )
    return sentences


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
    the columns and the ``conclusions`` sentences. ``label`` names the compound in the
    sentences (default: its reference name, else its SMILES).

    >>> summary = statistics_summary("apremilast", fingerprints="morgan", k=2)
    >>> summary["table"].loc[0, ["fingerprint", "similarity", "background_percentile"]].tolist()
    ['morgan', '0.128', '78.0']
    >>> summary["neighbours"]["name"].tolist()
    ['N-phthaloylglutamine', 'golcadomide']
    """
    stats = similarity_statistics(query, fingerprints=fingerprints)
    neighbours = nearest_neighbours(query, k=k)
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
        "conclusions": conclusions(stats, query, neighbours=neighbours, label=label),
    }


def statistics_block(
    query: MolInput = defaults.FOCUS,
    fingerprints: Sequence[str] | str = STATISTICS_FINGERPRINTS,
    k: int = 5,
) -> str:
    """The statistics as printable text: per-fingerprint table, nearest references, conclusions."""
    return statistics_text(statistics_summary(query, fingerprints, k))
