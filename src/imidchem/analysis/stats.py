"""The apremilast argument as statistics: how similar to thalidomide, compared with what?

A similarity means little alone. Here it is compared with two distributions, under every
fingerprint of :data:`imidchem.chem.fingerprints.FINGERPRINTS`:

* the IMiD/CELMoD class: the similarity of each class member to thalidomide (members with
  thalidomide's own skeleton, its enantiomers, are left out);
* a background of ordinary compounds: the 5K NCI set shipped with RDKit, as a percentile and
  an empirical exceedance p-value (share of the background at least as similar, +1 corrected).
  The main null is query-centred, as in :func:`imidchem.evidence.verdict.explain`: the query's
  similarity to thalidomide among its similarities to the NCI compounds ("is thalidomide
  closer to it than ordinary compounds are?"). The reference-centred null (thalidomide's
  similarity to the NCI compounds) is given next to it as ``reference_percentile`` and
  ``reference_pvalue``; the two agree on every conclusion drawn for apremilast.

Every function returns a DataFrame (or a list of sentences), ready for a notebook.

>>> table = similarity_statistics("apremilast", fingerprints=("morgan",))
>>> row = table.iloc[0]
>>> round(float(row.similarity), 3), bool(row.below_class), int(row.class_n)
(0.128, True, 6)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd
from rdkit import Chem, DataStructs, rdBase

from .. import defaults
from ..chem.fingerprints import (
    DEFAULT_FINGERPRINT,
    FINGERPRINTS,
    fingerprint,
    fingerprint_name,
)
from ..chem.mol import MolInput, to_mol
from ..chem.patterns import PATTERNS, pattern_flags
from ..data.background import (
    background_fingerprints,
    background_mols,
    exceedance_pvalue,
    percentile,
)
from ..data.reference import load_reference, reference_fingerprints, resolve
from ..errors import InvalidArgumentError
from ..evidence.call import call_mol

IMID_CLASSES: tuple[str, ...] = ("first-generation IMiD", "second-generation IMiD", "CELMoD")
SIGNIFICANCE = 0.05
STATISTICS_FINGERPRINTS: tuple[str, ...] = defaults.STATISTICS_FINGERPRINTS
"""The fingerprints of the apremilast statistics: the six bit fingerprints and counted Morgan."""
COMPARATOR = ("aspirin", "CC(=O)Oc1ccccc1C(=O)O")
"""A drug with no claim to thalidomide's chemistry, shown next to the query: under Morgan bits
aspirin is exactly as similar to thalidomide as apremilast (0.128)."""

STATISTICS_COLUMNS = (
    "fingerprint",
    "similarity",
    "background_n",
    "background_median",
    "background_percentile",
    "background_pvalue",
    "reference_percentile",
    "reference_pvalue",
    "class_n",
    "class_min",
    "class_median",
    "class_max",
    "class_below",
    "class_below_names",
    "class_pvalue",
    "below_class",
    "phthalimide_n",
    "phthalimide_median",
    "phthalimide_percentile",
    "phthalimide_below",
    "comparator_similarity",
)


def _skeleton(mol: Chem.Mol) -> str:
    with rdBase.BlockLogs():
        return Chem.MolToInchiKey(mol)[:14]


@cache
def _reference_skeletons() -> tuple[str, ...]:
    return tuple(key[:14] for key in load_reference()["inchikey"])


def _fingerprint_list(fingerprints: Sequence[str] | str) -> tuple[str, ...]:
    if isinstance(fingerprints, str):
        fingerprints = (fingerprints,)
    kinds = tuple(dict.fromkeys(fingerprint_name(kind) for kind in fingerprints))
    if not kinds:
        raise InvalidArgumentError(f"no fingerprint given; allowed: {', '.join(FINGERPRINTS)}")
    return kinds


def class_members(
    classes: Sequence[str] = IMID_CLASSES, reference: MolInput = "thalidomide"
) -> tuple[str, ...]:
    """Reference compounds of the given classes, without those sharing ``reference``'s
    skeleton (its stereoisomers) and one per skeleton (lenalidomide, not also
    (S)-lenalidomide); raises with the known classes for an unknown one.

    >>> class_members()
    ('lenalidomide', 'pomalidomide', 'iberdomide', 'mezigdomide', 'golcadomide', 'avadomide')
    """
    ref = load_reference()
    known = tuple(dict.fromkeys(ref["class"]))
    for name in classes:
        if name not in known:
            raise InvalidArgumentError(f"unknown class {name!r}; allowed: {', '.join(known)}")
    skeleton = _skeleton(resolve(reference)[1])
    skeletons = ref["inchikey"].str[:14]
    keep = ref["class"].isin(list(classes)) & (skeletons != skeleton) & ~skeletons.duplicated()
    return tuple(ref.loc[keep, "name"])


def background_similarities(
    reference: MolInput = "thalidomide", fingerprint: str = DEFAULT_FINGERPRINT
) -> np.ndarray:
    """Tanimoto similarity of every NCI background molecule to ``reference`` (file order).

    >>> sims = background_similarities()
    >>> len(sims) > 4900, bool((sims < 0.5).mean() > 0.99)
    (True, True)
    """
    kind = fingerprint_name(fingerprint)
    ref_fp = _fp(resolve(reference)[1], kind)
    return np.asarray(_bulk(ref_fp, background_fingerprints(kind)))


def _bulk(fp, fps) -> list[float]:
    """Tanimoto of ``fp`` to each of ``fps`` (bit or count vectors; RDKit wants a list for
    count vectors)."""
    return DataStructs.BulkTanimotoSimilarity(fp, list(fps))


@cache
def phthalimide_background() -> tuple[int, ...]:
    """Positions in the NCI background of the phthalimides without a glutarimide: the
    compounds that share apremilast's half of thalidomide and nothing of the other.

    >>> len(phthalimide_background())
    23
    """
    phthalimide = PATTERNS["phthalimide"].query
    glutarimide = PATTERNS["glutarimide"].query
    return tuple(
        i
        for i, mol in enumerate(background_mols())
        if mol.HasSubstructMatch(phthalimide) and not mol.HasSubstructMatch(glutarimide)
    )


_fp = fingerprint  # the keyword ``fingerprint`` shadows the function inside some callers


def similarity_statistics(
    query: MolInput = "apremilast",
    reference: MolInput = "thalidomide",
    fingerprints: Sequence[str] | str = STATISTICS_FINGERPRINTS,
    classes: Sequence[str] = IMID_CLASSES,
) -> pd.DataFrame:
    """One row per fingerprint: the query's Tanimoto to ``reference``, set against the NCI
    background (median, percentile, exceedance p-value; query-centred, then
    reference-centred), the class members (min,
    median, max; ``class_below`` members at most as similar; the lower-tail empirical
    p-value ``(class_below + 1) / (class_n + 1)``; ``below_class`` when it is under all),
    the NCI phthalimides without a glutarimide (:func:`phthalimide_background`: how many,
    the median of their similarities to ``reference``, the query's percentile among them and
    ``phthalimide_below``, those at most as similar as the query) and the similarity of the
    :data:`COMPARATOR` (aspirin) to ``reference``.

    With six class members the smallest class p-value is 1/7 = 0.14: the class comparison
    is a ranking, never significant at 0.05 on its own.

    >>> t = similarity_statistics("apremilast", fingerprints=("morgan", "morgan_count"))
    >>> t[["similarity", "phthalimide_below", "comparator_similarity"]].round(3).values.tolist()
    [[0.128, 0.0, 0.128], [0.207, 0.0, 0.189]]

    >>> t = similarity_statistics("lenalidomide", fingerprints="morgan")
    >>> int(t.class_n.iloc[0]), float(t.background_percentile.iloc[0]) > 99.9
    (5, True)
    """
    kinds = _fingerprint_list(fingerprints)
    _, query_mol = resolve(query)
    _, reference_mol = resolve(reference)
    query_skeleton = _skeleton(query_mol)
    members = [
        name
        for name in class_members(classes, reference)
        if _reference_skeletons()[_name_position(name)] != query_skeleton
    ]
    rows = []
    for kind in kinds:
        reference_fp = _fp(reference_mol, kind)
        query_fp = _fp(query_mol, kind)
        value = DataStructs.TanimotoSimilarity(query_fp, reference_fp)
        background = sorted(
            _bulk(query_fp, background_fingerprints(kind))
        )
        reference_background = sorted(
            _bulk(reference_fp, background_fingerprints(kind))
        )
        names, fps = reference_fingerprints(kind)
        member_fps = [fps[names.index(name)] for name in members]
        in_class = np.asarray(_bulk(reference_fp, member_fps))
        below = int((in_class <= value).sum())
        all_background = background_fingerprints(kind)
        phthalimides = np.asarray(
            _bulk(
                reference_fp, [all_background[i] for i in phthalimide_background()]
            )
        )
        comparator = DataStructs.TanimotoSimilarity(_fp(to_mol(COMPARATOR[1]), kind), reference_fp)
        rows.append(
            (
                kind,
                value,
                len(background),
                float(np.median(background)),
                percentile(value, background),
                exceedance_pvalue(value, background),
                percentile(value, reference_background),
                exceedance_pvalue(value, reference_background),
                len(members),
                float(in_class.min()) if len(members) else np.nan,
                float(np.median(in_class)) if len(members) else np.nan,
                float(in_class.max()) if len(members) else np.nan,
                below,
                ", ".join(m for m, v in zip(members, in_class, strict=True) if v <= value),
                (below + 1) / (len(members) + 1),
                bool(len(members)) and value < in_class.min(),
                len(phthalimides),
                float(np.median(phthalimides)),
                percentile(value, sorted(phthalimides)),
                int((phthalimides <= value).sum()),
                comparator,
            )
        )
    return pd.DataFrame(rows, columns=list(STATISTICS_COLUMNS))


def _name_position(name: str) -> int:
    return load_reference()["name"].tolist().index(name)


def nearest_neighbours(
    query: MolInput = "apremilast",
    k: int = 5,
    fingerprint: str = DEFAULT_FINGERPRINT,  # noqa: A002 - public keyword name
    exclude_self: bool = True,
) -> pd.DataFrame:
    """The ``k`` most similar reference compounds with their class and CRBN-binder label.

    With ``exclude_self`` compounds with the query's InChIKey skeleton (itself, its
    stereoisomers) are skipped.

    >>> table = nearest_neighbours("apremilast", k=5)
    >>> table.loc[0, ["name", "class"]].tolist(), round(float(table.loc[0, "similarity"]), 3)
    (['N-phthaloylglutamine', 'hydrolysis product'], 0.247)
    >>> table["crbn_binder"].tolist()
    ['unknown', 'yes', 'yes', 'yes', 'yes']
    """
    if not isinstance(k, int) or k < 1:
        raise InvalidArgumentError(f"k must be a positive whole number, got {k!r}")
    kind = fingerprint_name(fingerprint)
    _, mol = resolve(query)
    names, fps = reference_fingerprints(kind)
    sims = _bulk(_fp(mol, kind), fps)
    ref = load_reference()
    table = pd.DataFrame(
        {
            "name": names,
            "class": ref["class"].tolist(),
            "crbn_binder": ref["crbn_binder"].tolist(),
            "similarity": sims,
        }
    )
    if exclude_self:
        table = table[[key != _skeleton(mol) for key in _reference_skeletons()]]
    table = table.sort_values("similarity", ascending=False, kind="stable").head(k)
    table.insert(0, "rank", range(1, len(table) + 1))
    table.insert(len(table.columns), "fingerprint", kind)
    return table.reset_index(drop=True)


def reference_statistics(
    reference: MolInput = "thalidomide", fingerprints: Sequence[str] | str = FINGERPRINTS
) -> pd.DataFrame:
    """Every reference compound's similarity to ``reference`` with its NCI percentile and
    p-value (query-centred, as in :func:`similarity_statistics`), one row per compound and
    fingerprint (long format, for plots).

    >>> t = reference_statistics(fingerprints="morgan").set_index("name")
    >>> bool(t.loc["pomalidomide", "background_pvalue"] < 0.001)
    True
    """
    kinds = _fingerprint_list(fingerprints)
    _, reference_mol = resolve(reference)
    ref = load_reference()
    frames = []
    for kind in kinds:
        reference_fp = _fp(reference_mol, kind)
        names, fps = reference_fingerprints(kind)
        sims = _bulk(reference_fp, fps)
        percentiles, pvalues = [], []
        for fp, value in zip(fps, sims, strict=True):
            background = sorted(
                _bulk(fp, background_fingerprints(kind))
            )
            percentiles.append(percentile(value, background))
            pvalues.append(exceedance_pvalue(value, background))
        frames.append(
            pd.DataFrame(
                {
                    "name": names,
                    "class": ref["class"].tolist(),
                    "crbn_binder": ref["crbn_binder"].tolist(),
                    "fingerprint": kind,
                    "similarity": sims,
                    "background_percentile": percentiles,
                    "background_pvalue": pvalues,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _names(kinds) -> str:
    return ", ".join(kinds) if len(kinds) else "none"


def conclusions(
    statistics: pd.DataFrame,
    query: MolInput = "apremilast",
    alpha: float = SIGNIFICANCE,
    neighbours: pd.DataFrame | None = None,
) -> list[str]:
    """Plain sentences saying what the numbers of :func:`similarity_statistics` (and,
    if given, :func:`nearest_neighbours`) support.

    >>> lines = conclusions(similarity_statistics("apremilast", fingerprints=("morgan", "torsion")))
    >>> print(lines[0])
    apremilast vs ordinary compounds: more similar to thalidomide than the NCI background (p < 0.05) under torsion; not under morgan (morgan: 0.128, 78.0th percentile, p = 0.222), where its similarity is unremarkable.
    """
    name, mol = resolve(query)
    label = name or Chem.MolToSmiles(mol)
    stats = statistics
    significant = stats[stats.background_pvalue < alpha]
    ordinary = stats[stats.background_pvalue >= alpha]
    sentences = []
    detail = "; ".join(
        f"{row.fingerprint}: {row.similarity:.3f}, {row.background_percentile:.1f}th percentile, "
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
    "NCI_pct, NCI_p: thalidomide's rank among the query's similarities to the NCI compounds "
    "(empirical p: share at least as similar, +1 corrected); ref_NCI_pct: the query's rank "
    "among thalidomide's similarities to them; n_class_below: IMiD/CELMoD members at most as "
    "similar to thalidomide as the query; phth_below: NCI phthalimides without a glutarimide at "
    "most as similar to thalidomide as the query; aspirin: aspirin's Tanimoto to thalidomide; "
    "morgan_count: Morgan with counts (Tanimoto = sum of minima / sum of maxima)"
)


def statistics_summary(
    query: MolInput = "apremilast",
    fingerprints: Sequence[str] | str = STATISTICS_FINGERPRINTS,
    k: int = 5,
) -> dict:
    """Everything the text block and the report show: a ``title``, the per-fingerprint
    ``table`` (formatted, compact column names), the ``neighbours`` table, a ``note`` on
    the columns and the ``conclusions`` sentences.

    >>> summary = statistics_summary("apremilast", fingerprints="morgan", k=2)
    >>> summary["table"].loc[0, ["fingerprint", "tanimoto", "NCI_pct"]].tolist()
    ['morgan', '0.128', '78.0']
    >>> summary["neighbours"]["name"].tolist()
    ['N-phthaloylglutamine', 'golcadomide']
    """
    stats = similarity_statistics(query, fingerprints=fingerprints)
    neighbours = nearest_neighbours(query, k=k)
    table = pd.DataFrame(
        {
            "fingerprint": stats["fingerprint"],
            "tanimoto": stats["similarity"].map("{:.3f}".format),
            "NCI_pct": stats["background_percentile"].map("{:.1f}".format),
            "NCI_p": stats["background_pvalue"].map("{:.4f}".format),
            "ref_NCI_pct": stats["reference_percentile"].map("{:.1f}".format),
            "class_min": stats["class_min"].map("{:.3f}".format),
            "class_median": stats["class_median"].map("{:.3f}".format),
            "class_max": stats["class_max"].map("{:.3f}".format),
            "n_class_below": stats["class_below"],
            "phth_below": [
                f"{below}/{n}"
                for below, n in zip(stats["phthalimide_below"], stats["phthalimide_n"], strict=True)
            ],
            COMPARATOR[0]: stats["comparator_similarity"].map("{:.3f}".format),
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
        "conclusions": conclusions(stats, query, neighbours=neighbours),
    }


def statistics_block(
    query: MolInput = "apremilast",
    fingerprints: Sequence[str] | str = STATISTICS_FINGERPRINTS,
    k: int = 5,
) -> str:
    """The statistics as printable text: per-fingerprint table, nearest references, conclusions."""
    summary = statistics_summary(query, fingerprints, k)
    lines = [
        summary["title"],
        summary["table"].to_string(index=False),
        summary["note"],
        "",
        summary["neighbours_title"],
        summary["neighbours"].to_string(index=False),
        "",
        "what the numbers say",
    ]
    lines += [f"- {sentence}" for sentence in summary["conclusions"]]
    return "\n".join(lines)
