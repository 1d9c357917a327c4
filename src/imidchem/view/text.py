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

TABLE_COLUMNS: dict[str, str] = {
    "name": "name",
    "class": "class",
    "sim_thalidomide": "tanimoto",
    "has_isoindoline": "isoindoline",
    "has_glutarimide": "glutarimide",
    "crbn_pharmacophore": "crbn_motif",
    "crbn_level": "level",
    "crbn_score": "crbn_score",
    "verdict": "verdict",
}
"""Columns of the printed verdict table and their short headers."""


def evidence_lines(evidence) -> list[tuple[str, str]]:
    """``(label, value)`` pairs of an :class:`imidchem.Evidence` record, for printing.

    >>> from imidchem import explain
    >>> dict(evidence_lines(explain("N-methylthalidomide")))["glutarimide N-H"]
    'no'
    """
    e = evidence
    return [
        ("compound", e.name or e.query),
        ("SMILES (standardised)", e.smiles),
        ("InChIKey", e.inchikey),
        ("Tanimoto to thalidomide (Morgan r2, 2048)", f"{e.sim_thalidomide:.3f}"),
        (
            f"NCI percentile, query-centred (n = {e.background_size:,})",
            f"{e.background_percentile:.1f}",
        ),
        ("nearest other reference", f"{e.nearest_reference} ({e.nearest_similarity:.3f})"),
        ("shares with thalidomide", e.shares),
        ("isoindoline core", YES_NO[bool(e.has_isoindoline)]),
        ("glutarimide ring", YES_NO[bool(e.has_glutarimide)]),
        ("glutarimide N-H", YES_NO[bool(e.glutarimide_nh)]),
        ("cereblon-binding motif", YES_NO[bool(e.crbn_pharmacophore)]),
        ("cereblon level", f"{e.crbn_level} ({e.chemotype})"),
        ("crbn_score (from the level)", f"{e.crbn_score:.3f}"),
        (
            "MCS with thalidomide",
            f"{e.mcs_atoms} of {e.reference_atoms} atoms ({e.mcs_fraction:.0%})",
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
    """The evidence record as aligned text (what ``imidchem explain`` prints)."""
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


def evidence_html(evidence) -> str:
    """The evidence record for a notebook: the structure with the atoms that decide the
    call highlighted, beside the table of evidence, then any registered extras.

    >>> from imidchem import explain
    >>> html = explain("lenalidomide")._repr_html_()
    >>> html.count("<svg") >= 1 and "glutarimide N-H" in html
    True
    """
    from .depict import draw_highlighted, key_html

    picture = draw_highlighted(evidence.smiles, size=(320, 240))
    extras = "".join(extra(evidence) or "" for extra in EVIDENCE_HTML_EXTRAS)
    return (
        "<div style='display:flex;gap:1em;align-items:flex-start'>"
        f"<div>{picture}<div style='font-size:small;max-width:320px'>{key_html()}</div></div>"
        f"<table>{_html_rows(evidence_lines(evidence))}</table></div>{extras}"
    )


def verdict_table_text(table: pd.DataFrame) -> str:
    """The verdict table as aligned text (what ``imidchem table`` prints)."""
    import pandas as pd

    shown = table[[c for c in TABLE_COLUMNS if c in table.columns]].rename(columns=TABLE_COLUMNS)
    with pd.option_context(
        "display.width", 200, "display.max_rows", None, "display.float_format", "{:.3f}".format
    ):
        return shown.to_string(index=False)


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
