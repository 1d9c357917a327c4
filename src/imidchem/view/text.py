"""Words and tables for people: every sentence, label and text table imidchem prints.

Computation returns records and frames (:class:`imidchem.Evidence`, :class:`imidchem.
ValidationResult`, DataFrames); this module turns them into text for the terminal and
into small HTML fragments for notebooks.
"""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


YES_NO = {True: "yes", False: "no"}

TABLE_COLUMNS: tuple[str, ...] = (
    "name",
    "class",
    "sim_thalidomide",
    "has_isoindoline",
    "has_glutarimide",
    "crbn_pharmacophore",
    "crbn_level",
    "crbn_score",
    "verdict",
)
"""Columns of the printed verdict table (the schema's names)."""


def terminal_width() -> int:
    """Columns of the terminal; 200 when the output is not a terminal (a pipe, a file).

    >>> import os
    >>> os.environ["COLUMNS"] = "72"; terminal_width()
    72
    >>> del os.environ["COLUMNS"]
    """
    import shutil

    return shutil.get_terminal_size((200, 24)).columns


def fitted_table(frame: pd.DataFrame, width: int | None = None, **options) -> str:
    """``frame`` as aligned text with the schema's names as headers, or with their short
    labels (:func:`imidchem.evidence.schema.short_label`) when that is too wide for
    ``width`` (default: the terminal's).

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"crbn_pharmacophore": [True], "crbn_level": [1]})
    >>> print(fitted_table(frame, width=80))
     crbn_pharmacophore  crbn_level
                   True           1
    >>> print(fitted_table(frame, width=20))
     motif  level
      True      1
    """
    from ..evidence.schema import short_label

    width = terminal_width() if width is None else width
    text = frame.to_string(index=False, **options)
    if max(map(len, text.splitlines()), default=0) <= width:
        return text
    return frame.rename(columns=short_label).to_string(index=False, **options)


def evidence_lines(evidence) -> list[tuple[str, str]]:
    """``(label, value)`` pairs of an :class:`imidchem.Evidence` record, for printing: the
    labels are the schema's names, the values plain words with units.

    >>> from imidchem import explain
    >>> dict(evidence_lines(explain("N-methylthalidomide")))["glutarimide_nh"]
    'no (the glutarimide nitrogen carries no N-H)'
    >>> dict(evidence_lines(explain("O=c1[nH]cc(F)c(=O)[nH]1")))["glutarimide_nh"]  # 5-FU
    'no (no glutarimide ring)'
    """
    e = evidence

    def flag(value, yes: str, no: str) -> str:
        return f"yes ({yes})" if value else f"no ({no})"

    return [
        ("name", e.name or e.query),
        ("smiles_std", e.smiles_std),
        ("inchikey", e.inchikey),
        ("sim_thalidomide", f"{e.sim_thalidomide:.3f} (Tanimoto to thalidomide, Morgan radius 2, 2048 bits)"),
        (
            "background_percentile",
            f"{e.background_percentile:.1f}: thalidomide is more similar to "
            f"{e.name or 'this compound'} than {e.background_percentile:.0f}% of "
            f"{e.background_size:,} NCI compounds are",
        ),
        ("nearest_reference", f"{e.nearest_reference} (Tanimoto {e.nearest_similarity:.3f})"),
        ("shares", f"{e.shares} of thalidomide"),
        ("has_isoindoline", flag(e.has_isoindoline, "thalidomide's isoindoline half", "no isoindoline half")),
        ("has_glutarimide", flag(e.has_glutarimide, "a glutarimide ring", "no glutarimide ring")),
        (
            "glutarimide_nh",
            flag(e.glutarimide_nh, "the glutarimide keeps its N-H",
                 "the glutarimide nitrogen carries no N-H" if e.has_glutarimide
                 else "no glutarimide ring"),
        ),
        (
            "crbn_pharmacophore",
            flag(e.crbn_pharmacophore, "the cereblon-binding cyclic imide",
                 "not the cereblon-binding cyclic imide"),
        ),
        ("crbn_level", f"{e.crbn_level} of 4: {e.verdict} ({e.chemotype})"),
        ("crbn_score", f"{e.crbn_score:.3f} (from the level)"),
        (
            "mcs_atoms",
            f"{e.mcs_atoms} of thalidomide's {e.reference_atoms} atoms ({e.mcs_fraction:.0%}) "
            "in the maximum common substructure",
        ),
        ("verdict", e.verdict),
        ("reason", e.reason),
    ]


def aligned(rows: list[tuple[str, str]]) -> str:
    """Label-value pairs as aligned text lines.

    >>> print(aligned([("a", "1"), ("long label", "2")]))
    a           1
    long label  2
    """
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)


def evidence_text(evidence) -> str:
    """The evidence section alone, as aligned text."""
    return aligned(evidence_lines(evidence))


def _html_rows(rows: list[tuple[str, str]]) -> str:
    return "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{escape(label)}</th>"
        f"<td style='text-align:left;word-break:break-all'>{escape(value)}</td></tr>"
        for label, value in rows
    )


EVIDENCE_HTML_EXTRAS: list = []
"""Functions ``evidence -> HTML`` (``""`` for nothing) whose output follows an evidence
record in a notebook: the hook for the pocket fit (register with ``.append``)."""


def verdict_table_text(table: pd.DataFrame) -> str:
    """The verdict table as aligned text (what ``imidchem table`` prints)."""
    import pandas as pd

    shown = table[[c for c in TABLE_COLUMNS if c in table.columns]]
    with pd.option_context("display.max_rows", None, "display.float_format", "{:.3f}".format):
        return fitted_table(shown)


def screen_summary_text(summary) -> str:
    """One sentence about a finished screen.

    >>> from imidchem.engine.screen import ScreenSummary
    >>> screen_summary_text(ScreenSummary("hits.csv", 1200, 3, 14))
    'screened 1,200 records (3 errors, 14 cereblon binders, levels 1-2) -> hits.csv'
    """
    target = "standard output" if str(summary.output) == "-" else summary.output
    return (
        f"screened {summary.rows:,} records ({summary.errors:,} errors, "
        f"{summary.hits:,} cereblon binders, levels 1-2) -> {target}"
    )


def validation_text(result, id_col: str | None = None, max_list: int = 50) -> str:
    """Plain-text summary of a :class:`imidchem.ValidationResult`: metrics, confusion
    matrix, counts per level of the graded call, calls by label, misclassified rows."""
    from ..analysis.validate import OUTCOMES

    c = result.counts
    evaluated = sum(c[o] for o in OUTCOMES)
    lines = [
        f"cereblon call vs {result.label_col} in {{{', '.join(result.positive)}}}: "
        f"{evaluated} rows evaluated, {c['errors']} not evaluated",
        "",
    ]
    for row in result.metrics().itertuples(index=False):
        value = "n/a" if math.isnan(row.value) else f"{row.value:.4f}"
        interval = (
            "" if math.isnan(row.ci95_low) else f"  (95% CI {row.ci95_low:.4f}-{row.ci95_high:.4f})"
        )
        lines.append(f"{row.metric:<20} {value:>7}  {row.numerator}/{row.denominator}{interval}")
    lines += ["", "confusion matrix", result.confusion_matrix().to_string(), ""]
    auc = result.roc_auc()
    lines += [
        "per level (called = level 1 or 2; ROC AUC of the level as a score: "
        f"{_number(auc)})",
        result.by_level().to_string(index=False, float_format=lambda x: f"{x:.4f}"),
        "",
        "ranking (ROC AUC against the label)",
        result.scores().to_string(index=False, float_format=lambda x: f"{x:.4f}"),
        "",
    ]
    lines += ["calls by label value", result.by_label().to_string(index=False), ""]
    wrong = result.misclassified()
    lines.append(f"misclassified: {len(wrong)}")
    lines += _row_lines(wrong, result, id_col, max_list, "reason")
    failed = result.errors()
    if len(failed):
        lines += ["", f"not evaluated: {len(failed)}"]
        lines += _row_lines(failed, result, id_col, max_list, "error")
    return "\n".join(lines)


def _number(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.4f}"


def _row_lines(frame: pd.DataFrame, result, id_col: str | None, max_list: int, what: str):
    lines = []
    for index, row in frame.head(max_list).iterrows():
        ident = row[id_col] if id_col else f"row {index}"
        outcome = row["outcome"] or "--"
        lines.append(
            f"  {outcome:<2} {ident} | {result.label_col}={row[result.label_col]} | "
            f"{row[what]} | {row[result.smiles_col]}"
        )
    if len(frame) > max_list:
        lines.append(f"  ... and {len(frame) - max_list} more")
    return lines


def validation_html(result) -> str:
    """A validation result for a notebook: metrics, confusion matrix and the structures of
    the misclassified rows with their deciding atoms highlighted."""
    metrics = result.metrics().round(4).to_html(index=False)
    confusion = result.confusion_matrix().to_html()
    levels = result.by_level().round(4).to_html(index=False)
    wrong = result.misclassified().head(12)
    pictures = ""
    if len(wrong):
        from .depict import draw_many

        cells = []
        svgs = draw_many(wrong["smiles_std"].tolist(), size=(220, 170))
        for (index, row), svg in zip(wrong.iterrows(), svgs, strict=True):
            caption = escape(f"{row['outcome']} row {index}: {row['reason']}")
            cells.append(
                f"<figure style='display:inline-block;width:230px;margin:4px'>{svg}"
                f"<figcaption style='font-size:small'>{caption}</figcaption></figure>"
            )
        pictures = f"<h4>misclassified ({len(result.misclassified())})</h4>{''.join(cells)}"
    scores = result.scores().round(4).to_html(index=False)
    return (
        f"<div>{metrics}{confusion}<h4>per level</h4>{levels}<h4>ranking (ROC AUC)</h4>"
        f"{scores}{pictures}</div>"
    )


def mcs_html(result, query_svg: str = "") -> str:
    """An MCS result for a notebook: its numbers, and the picture when given."""
    rows = [
        ("atoms in common", str(result.num_atoms)),
        ("bonds in common", str(result.num_bonds)),
        ("share of the reference", f"{result.fraction_of_reference:.0%}"),
        ("share of the query", f"{result.fraction_of_query:.0%}"),
        ("SMARTS", result.smarts),
        ("timed out", YES_NO[bool(result.timed_out)]),
    ]
    return (
        "<div style='display:flex;gap:1em;align-items:flex-start'>"
        f"<div>{query_svg}</div><table>{_html_rows(rows)}</table></div>"
    )


def statistics_text(summary: dict) -> str:
    """The similarity statistics of :func:`imidchem.view.statistics.statistics_summary` as
    printable text: per-fingerprint table, nearest references, what the numbers say."""
    lines = [
        summary["title"],
        fitted_table(summary["table"]),
        summary["note"],
        "",
        summary["neighbours_title"],
        fitted_table(summary["neighbours"]),
        "",
        "what the numbers say",
    ]
    lines += [f"- {sentence}" for sentence in summary["conclusions"]]
    return "\n".join(lines)
