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

Every function returns a DataFrame, ready for a notebook; :mod:`imidchem.analysis.findings`
draws what the numbers support and :mod:`imidchem.view.statistics` says it in sentences.

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
from ..chem.patterns import PATTERNS
from ..data.background import (
    background_fingerprints,
    background_mols,
    exceedance_pvalue,
    percentile,
)
from ..data.reference import load_reference, reference_fingerprints, resolve
from ..errors import InvalidArgumentError

IMID_CLASSES: tuple[str, ...] = ("first-generation IMiD", "second-generation IMiD", "CELMoD")
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
    reference: MolInput = defaults.REFERENCE, fingerprint: str = DEFAULT_FINGERPRINT
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


def _statistics_row(kind: str, query_mol, reference_mol, members: list[str]) -> tuple:
    """One row of :func:`similarity_statistics` (in :data:`STATISTICS_COLUMNS` order)."""
    reference_fp = _fp(reference_mol, kind)
    query_fp = _fp(query_mol, kind)
    value = DataStructs.TanimotoSimilarity(query_fp, reference_fp)
    background = sorted(_bulk(query_fp, background_fingerprints(kind)))
    reference_background = sorted(_bulk(reference_fp, background_fingerprints(kind)))
    names, fps = reference_fingerprints(kind)
    in_class = np.asarray(_bulk(reference_fp, [fps[names.index(name)] for name in members]))
    below = int((in_class <= value).sum())
    all_background = background_fingerprints(kind)
    phthalimides = np.asarray(
        _bulk(reference_fp, [all_background[i] for i in phthalimide_background()])
    )
    comparator = DataStructs.TanimotoSimilarity(_fp(to_mol(COMPARATOR[1]), kind), reference_fp)
    return (
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


def similarity_statistics(
    query: MolInput = defaults.FOCUS,
    reference: MolInput = defaults.REFERENCE,
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
    rows = [_statistics_row(kind, query_mol, reference_mol, members) for kind in kinds]
    return pd.DataFrame(rows, columns=list(STATISTICS_COLUMNS))


def _name_position(name: str) -> int:
    return load_reference()["name"].tolist().index(name)


def nearest_neighbours(
    query: MolInput = defaults.FOCUS,
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
    reference: MolInput = defaults.REFERENCE, fingerprints: Sequence[str] | str = FINGERPRINTS
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
