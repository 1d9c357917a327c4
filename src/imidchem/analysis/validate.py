"""Check the cereblon call against a labelled file: recall, precision, false-positive rate,
and the same per level of the graded call.

The binary call under test is ``crbn_pharmacophore`` of :func:`imidchem.engine.assess.assess`:
True for levels 1 and 2 of :mod:`imidchem.evidence.call` (IMiD-like binder, binder of another
chemotype), False for 3 (possible) and 4 (not a binder). :meth:`ValidationResult.by_level`
gives the counts per level and the recall and false-positive rate of calling at each level
or better; :meth:`ValidationResult.roc_auc` ranks by level. The truth is a label column of
the user's file, with one or more values meaning "binds / recruits cereblon". Rows whose
SMILES cannot be read, or whose label is missing, stay in the output with ``status='error'``
and the reason, and are left out of the counts.

>>> frame = pd.DataFrame({
...     "smiles": ["O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1", "CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O",
...                "O=C1NC(=O)c2ccccc21", "O=C1CCN(c2ccccc2)C(=O)N1", "C1CC"],
...     "e3": ["CRBN", "CRBN", "none", "none", "CRBN"]})
>>> result = validate(frame, label_col="e3", positive="CRBN")
>>> result.counts
{'TP': 1, 'FN': 1, 'FP': 1, 'TN': 1, 'errors': 1}
>>> result.predictions["outcome"].tolist()
['TP', 'FN', 'TN', 'FP', '']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import defaults
from ..display import render
from ..engine.assess import assess
from ..engine.readers import read_table
from ..errors import InvalidArgumentError
from ..evidence.call import LEVELS
from ..evidence.frames import molecule_column

OUTCOMES = ("TP", "FN", "FP", "TN")
CRBN_UNIPROT = "Q96SW2"


def wilson_interval(successes: int, total: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval of a proportion (95 % by default); (nan, nan) when total is 0.

    >>> [round(x, 4) for x in wilson_interval(689, 691)]
    [0.9895, 0.9992]
    >>> [round(x, 4) for x in wilson_interval(0, 484)]
    [0.0, 0.0079]
    """
    if total <= 0:
        return (math.nan, math.nan)
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else math.nan


@dataclass(frozen=True)
class ValidationResult:
    """Per-row predictions and the statistics of the cereblon call on one labelled set."""

    predictions: pd.DataFrame
    smiles_col: str
    label_col: str
    positive: tuple[str, ...]

    @property
    def counts(self) -> dict[str, int]:
        """TP, FN, FP, TN and the number of rows not evaluated (``errors``)."""
        outcome = self.predictions["outcome"]
        counts = {name: int((outcome == name).sum()) for name in OUTCOMES}
        counts["errors"] = int((self.predictions["status"] != "ok").sum())
        return counts

    @property
    def recall(self) -> float:
        """TP / (TP + FN): share of labelled positives the rule calls."""
        c = self.counts
        return _ratio(c["TP"], c["TP"] + c["FN"])

    @property
    def precision(self) -> float:
        """TP / (TP + FP): share of calls that are labelled positive."""
        c = self.counts
        return _ratio(c["TP"], c["TP"] + c["FP"])

    @property
    def false_positive_rate(self) -> float:
        """FP / (FP + TN): share of labelled negatives the rule calls."""
        c = self.counts
        return _ratio(c["FP"], c["FP"] + c["TN"])

    def metrics(self) -> pd.DataFrame:
        """Recall, precision, false-positive rate, specificity and accuracy with counts and
        95 % Wilson intervals."""
        c = self.counts
        parts = {
            "recall": (c["TP"], c["TP"] + c["FN"]),
            "precision": (c["TP"], c["TP"] + c["FP"]),
            "false_positive_rate": (c["FP"], c["FP"] + c["TN"]),
            "specificity": (c["TN"], c["FP"] + c["TN"]),
            "accuracy": (c["TP"] + c["TN"], sum(c[o] for o in OUTCOMES)),
        }
        rows = [
            (name, _ratio(k, n), k, n, *wilson_interval(k, n)) for name, (k, n) in parts.items()
        ]
        return pd.DataFrame(
            rows, columns=["metric", "value", "numerator", "denominator", "ci95_low", "ci95_high"]
        )

    def confusion_matrix(self) -> pd.DataFrame:
        """2 x 2 counts: rows are the label, columns the call.

        >>> frame = pd.DataFrame({"smiles": ["O=C1CCC(c2ccccc2)C(=O)N1"], "label": ["yes"]})
        >>> validate(frame, positive="yes").confusion_matrix().values.tolist()
        [[1, 0], [0, 0]]
        """
        c = self.counts
        return pd.DataFrame(
            [[c["TP"], c["FN"]], [c["FP"], c["TN"]]],
            index=pd.Index(["label positive", "label negative"], name="label"),
            columns=pd.Index(["called CRBN", "not called"], name="call"),
        )

    def misclassified(self) -> pd.DataFrame:
        """The false negatives and false positives, with the verdict's reason."""
        frame = self.predictions
        return frame[frame["outcome"].isin(["FN", "FP"])].copy()

    def errors(self) -> pd.DataFrame:
        """Rows left out of the counts (unreadable SMILES, missing label), with the reason."""
        frame = self.predictions
        return frame[frame["status"] != "ok"].copy()

    def by_label(self) -> pd.DataFrame:
        """For every label value: rows evaluated, rows called CRBN, and the called fraction."""
        ok = self.predictions[self.predictions["status"] == "ok"]
        grouped = ok.groupby(ok[self.label_col].astype(str), sort=True)["called_crbn"]
        table = pd.DataFrame({"rows": grouped.size(), "called_crbn": grouped.sum().astype(int)})
        table["fraction_called"] = table["called_crbn"] / table["rows"]
        table["positive_label"] = table.index.isin(self.positive)
        return table.sort_values("rows", ascending=False).rename_axis(self.label_col).reset_index()

    def by_level(self) -> pd.DataFrame:
        """Per level of the graded call: rows, labelled positives and negatives, the share
        positive, and the recall and false-positive rate of calling every molecule at this
        level *or better* a binder (so level 2 is the binary call, level 4 calls all).

        >>> frame = pd.DataFrame({"smiles": ["O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1",
        ...     "O=C1CCC2(CCNC2)C(=O)N1", "CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O"],
        ...     "label": ["yes", "yes", "no"]})
        >>> table = validate(frame).by_level()
        >>> table["positives"].tolist(), table["recall_at_or_better"].tolist()
        ([1, 0, 1, 0], [0.5, 0.5, 1.0, 1.0])
        """
        ok = self.predictions[self.predictions["status"] == "ok"]
        level = ok["crbn_level"].astype(int)
        positive = ok["is_positive"].astype(bool)
        total_pos, total_neg = int(positive.sum()), int((~positive).sum())
        rows = []
        for number, info in LEVELS.items():
            here = level == number
            better = level <= number
            pos, neg = int((here & positive).sum()), int((here & ~positive).sum())
            rows.append(
                (
                    number,
                    info.name,
                    pos + neg,
                    pos,
                    neg,
                    _ratio(pos, pos + neg),
                    _ratio(int((better & positive).sum()), total_pos),
                    _ratio(int((better & ~positive).sum()), total_neg),
                )
            )
        return pd.DataFrame(
            rows,
            columns=[
                "level", "name", "rows", "positives", "negatives", "fraction_positive",
                "recall_at_or_better", "fpr_at_or_better",
            ],
        )  # fmt: skip

    def by_chemotype(self) -> pd.DataFrame:
        """Rows and labelled positives per level and chemotype."""
        ok = self.predictions[self.predictions["status"] == "ok"]
        grouped = ok.groupby([ok["crbn_level"].astype(int), ok["chemotype"]], sort=True)
        table = grouped["is_positive"].agg(rows="size", positives="sum").reset_index()
        table = table.rename(columns={"crbn_level": "level"})
        table["positives"] = table["positives"].astype(int)
        table["fraction_positive"] = table["positives"] / table["rows"]
        return table

    def roc_auc(self) -> float:
        """ROC AUC of the level as an ordinal score (``5 - level``, higher = more likely a
        binder) against the label, ties counted half (the Mann-Whitney statistic); NaN
        without both classes.

        >>> frame = pd.DataFrame({"smiles": ["O=C1CCC(c2ccccc2)C(=O)N1", "O=C1CCCC(=O)N1",
        ...     "CCO"], "label": ["yes", "no", "no"]})
        >>> validate(frame).roc_auc()
        1.0
        """
        ok = self.predictions[self.predictions["status"] == "ok"]
        return level_auc(ok["crbn_level"].astype(int), ok["is_positive"].astype(bool))

    def score_auc(self) -> float:
        """ROC AUC of ``crbn_score`` (higher = more likely a binder) against the label: the
        level's AUC without the 3-D group, refined by the pocket fit with it.

        >>> frame = pd.DataFrame({"smiles": ["O=C1CCC(c2ccccc2)C(=O)N1", "O=C1CCCC(=O)N1",
        ...     "CCO"], "label": ["yes", "no", "no"]})
        >>> validate(frame).score_auc()
        1.0
        """
        ok = self.predictions[self.predictions["status"] == "ok"]
        return rank_auc(ok["crbn_score"].astype(float), ok["is_positive"].astype(bool))

    def size_auc(self) -> float:
        """ROC AUC of the heavy-atom count (larger = ranked higher) against the label: a
        baseline, not a cereblon score. ``crbn_score`` does not use size; elaborated glues
        and degraders are more often active than bare imide fragments, so size alone
        separates some labelled sets.

        >>> frame = pd.DataFrame({"smiles": ["O=C1CCC(c2ccccc2)C(=O)N1", "O=C1CCCC(=O)N1",
        ...     "CCO"], "label": ["yes", "no", "no"]})
        >>> validate(frame).size_auc()
        1.0
        """
        ok = self.predictions[self.predictions["status"] == "ok"]
        return rank_auc(heavy_atoms(ok["smiles_std"]), ok["is_positive"].astype(bool))

    def scores(self) -> pd.DataFrame:
        """The ROC AUC of each ranking: ``crbn_score``, the level, the pocket score (with the
        3-D group; rows with a pose only) and the heavy-atom count (a size baseline), with
        the rows each was measured on."""
        ok = self.predictions[self.predictions["status"] == "ok"]
        positive = ok["is_positive"].astype(bool)
        rows = [
            ("crbn_score", self.score_auc(), len(ok), "the ranked score (imidchem.evidence.score)"),
            ("crbn_level", self.roc_auc(), len(ok), "the graded level alone (5 - level)"),
        ]
        if "pocket_score" in ok.columns:
            fitted = ok["pocket_status"] == "ok"
            rows.append(
                (
                    "pocket_score",
                    rank_auc(ok.loc[fitted, "pocket_score"].astype(float), positive[fitted]),
                    int(fitted.sum()),
                    "3-D pocket score alone, molecules with a pose",
                )
            )
        rows.append(
            ("heavy atoms", self.size_auc(), len(ok), "size baseline, not used by crbn_score")
        )
        return pd.DataFrame(rows, columns=["score", "roc_auc", "rows", "what"])

    def report(self, id_col: str | None = None, max_list: int = defaults.MAX_LIST) -> str:
        """Plain-text summary (see :func:`imidchem.view.text.validation_text`)."""
        if id_col is not None:
            _check_column(self.predictions, id_col, "id")
        return render(self, "text", id_col=id_col, max_list=max_list) or repr(self)

    def __str__(self) -> str:
        return self.report()

    def _repr_html_(self) -> str | None:
        return render(self, "html")


def level_auc(levels, positive) -> float:
    """ROC AUC of cereblon levels (1 best) as an ordinal score against booleans.

    The probability that a random positive has a better (lower) level than a random
    negative, ties counted half.

    >>> level_auc([1, 2, 4, 4], [True, False, True, False])
    0.625
    """
    return rank_auc([-float(level) for level in levels], positive)


def rank_auc(scores, positive) -> float:
    """ROC AUC of a score (higher = more likely positive) against booleans: the
    Mann-Whitney statistic, ties counted half; NaN without both classes.

    >>> rank_auc([0.9, 0.5, 0.5, 0.1], [True, True, False, False])
    0.875
    """
    scores = pd.Series(list(scores), dtype=float)
    positive = pd.Series(list(positive), dtype=bool)
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if not n_pos or not n_neg:
        return math.nan
    ranks = scores.rank(method="average")
    return float((ranks[positive.values].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def heavy_atoms(smiles) -> list[float]:
    """Heavy-atom counts of standardised SMILES (NaN for one that cannot be read).

    >>> heavy_atoms(["O=C1CCCC(=O)N1", "CCO"])
    [8.0, 3.0]
    """
    from rdkit import Chem, rdBase

    counts = []
    with rdBase.BlockLogs():
        for text in smiles:
            mol = Chem.MolFromSmiles(text) if isinstance(text, str) and text else None
            counts.append(math.nan if mol is None else float(mol.GetNumHeavyAtoms()))
    return counts


def _check_column(data: pd.DataFrame, column: str, what: str) -> None:
    if column not in data.columns:
        raise InvalidArgumentError(
            f"unknown {what} column {column!r}; available: {', '.join(map(str, data.columns))}"
        )


def _label_text(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def validate(
    data: pd.DataFrame,
    smiles_col: str | None = None,
    label_col: str = "label",
    positive: str | Sequence[str] | int = "yes",
    three_d: bool = False,
    structure: str = defaults.STRUCTURE,
    fit_all: bool = False,
) -> ValidationResult:
    """Compare the cereblon call with the labels of ``data`` (DataFrame in, result out).

    ``positive`` is the label value (or values) meaning "cereblon binder / recruiter";
    every other value is a negative. Values are compared as stripped text, so ``1``
    and ``"1"`` are the same label. The caller's frame is not modified. ``three_d`` adds
    the 3-D group of :func:`imidchem.assess` (a pocket fit, in ``structure``, of each
    molecule the pose can anchor; the others "skipped"; ``fit_all`` fits every one), which
    refines ``crbn_score`` (:meth:`ValidationResult.scores`).

    >>> frame = pd.DataFrame({"smiles": ["O=C1CCC(c2ccccc2)C(=O)N1"], "label": ["yes"]})
    >>> validate(frame, positive="maybe")
    Traceback (most recent call last):
    ...
    imidchem.errors.InvalidArgumentError: unknown label value 'maybe' in column 'label'; allowed: yes
    """
    if not isinstance(data, pd.DataFrame):
        raise InvalidArgumentError(f"expected a pandas DataFrame, got {type(data).__name__}")
    smiles_col = str(data.columns[molecule_column(data, smiles_col)])
    _check_column(data, label_col, "label")
    single = isinstance(positive, str) or not isinstance(positive, Iterable)
    wanted = (positive,) if single else tuple(positive)
    wanted = tuple(str(value).strip() for value in wanted)
    if not wanted:
        raise InvalidArgumentError("no positive label value given")
    labels = [_label_text(value) for value in data[label_col].tolist()]
    present = sorted({label for label in labels if label is not None})
    for value in wanted:
        if value not in present:
            shown = ", ".join(present[:30]) + (" ..." if len(present) > 30 else "")
            raise InvalidArgumentError(
                f"unknown label value {value!r} in column {label_col!r}; allowed: {shown or '(none)'}"
            )
    out = assess(data, smiles_col, three_d=three_d, structure=structure, fit_all=fit_all)
    status, error, is_positive, called, outcome = [], [], [], [], []
    for label, read, problem, binder in zip(
        labels, out["status"], out["error"], out["crbn_pharmacophore"], strict=True
    ):
        state = read
        if read == "ok" and label is None:
            state, problem = "error", f"missing label in column {label_col!r}"
        status.append(state)
        error.append(problem)
        truth = None if label is None else label in wanted
        prediction = bool(binder) if read == "ok" else None  # levels 1 and 2
        is_positive.append(truth)
        called.append(prediction)
        if state != "ok":
            outcome.append("")
        else:
            outcome.append(("T" if truth == prediction else "F") + ("P" if prediction else "N"))
    out["status"] = status
    out["error"] = error
    out["is_positive"] = pd.array(is_positive, dtype="boolean")
    out["called_crbn"] = pd.array(called, dtype="boolean")
    out["outcome"] = outcome
    return ValidationResult(out, smiles_col, label_col, wanted)


def read_labelled(path: str | Path, smiles_col: str | None = None) -> pd.DataFrame:
    """Deprecated: :func:`imidchem.engine.readers.read_table`, the one reader of labelled
    files (any format the screen reads; a SMILES file's first record stays a record)."""
    import warnings

    warnings.warn(
        "read_labelled is deprecated: use imidchem.engine.readers.read_table",
        DeprecationWarning,
        stacklevel=2,
    )
    return read_table(path, smiles_col)


def validate_file(
    path: str | Path, smiles_col: str = "smiles", label_col: str = "label", positive="yes"
) -> ValidationResult:
    """:func:`validate` on a file read with :func:`imidchem.engine.readers.read_table`
    (CSV, TSV, SMILES, SDF or Parquet, each optionally gzipped)."""
    return validate(read_table(path), smiles_col, label_col, positive)


def label_protacpedia(frame: pd.DataFrame) -> pd.DataFrame:
    """PROTAC-Pedia rows with a ``crbn_ligand`` column: ``yes`` when the PROTAC recruits
    CRBN (``e3_ligase``) or degrades CRBN itself (``target`` is UniProt Q96SW2, a CRBN
    ligand used as the warhead), else ``no``. A copy; the input is not modified.

    >>> label_protacpedia(pd.DataFrame({"e3_ligase": ["CRBN", "VHL", "VHL"],
    ...                                 "target": ["P10275", "Q96SW2", "P10275"]}))["crbn_ligand"].tolist()
    ['yes', 'yes', 'no']
    """
    _check_column(frame, "e3_ligase", "E3 ligase")
    _check_column(frame, "target", "target")
    out = frame.copy()
    recruits = out["e3_ligase"].astype(str).str.strip().str.upper().eq("CRBN")
    targets = out["target"].astype(str).str.contains(CRBN_UNIPROT, regex=False)
    out["crbn_ligand"] = (recruits | targets).map({True: "yes", False: "no"})
    return out
