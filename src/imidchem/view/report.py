"""A self-contained report (HTML or Markdown) of the verdict on the reference set."""

from __future__ import annotations

import base64
import copy
import os
from functools import lru_cache
from html import escape
from pathlib import Path

import pandas as pd
from rdkit import Chem

from .. import defaults
from ..analysis.similarity import mcs
from ..chem.mol import to_mol
from ..data.reference import resolve
from ..engine.assess import verdict_table
from ..errors import InvalidArgumentError
from ..evidence.schema import REFERENCE_COLUMNS, VERDICT_TABLE_COLUMNS
from ..evidence.verdict import explain
from .depict import ROLES, decision_roles, draw_many, draw_mcs_pair, key_html
from .statistics import statistics_summary
from .text import evidence_lines

REPORT_FORMATS = (".html", ".md")
SHOWN_COLUMNS = [
    c for c in (*REFERENCE_COLUMNS, *VERDICT_TABLE_COLUMNS) if c not in ("reason", "status")
]
"""The verdict table as the report shows it: without the reason and status columns."""


def _svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _format_table(table: pd.DataFrame) -> pd.DataFrame:
    shown = table[SHOWN_COLUMNS].copy()
    shown["sim_thalidomide"] = shown["sim_thalidomide"].map("{:.3f}".format)
    return shown


def mcs_section(focus: str = defaults.FOCUS) -> dict:
    """The picture at the top of the report: the focus compound beside thalidomide, their
    common substructure in both, and what decides cereblon binding outside it."""
    name, mol = resolve(focus)
    common = mcs(mol, defaults.REFERENCE)
    label = name or focus
    svg = draw_mcs_pair(common, (label, defaults.REFERENCE), size=(360, 270))
    reference = to_mol(common.reference_smiles)
    pattern = Chem.MolFromSmarts(common.smarts) if common.smarts else None
    shared = set(reference.GetSubstructMatch(pattern)) if pattern is not None else set()
    deciding = {atom for atom, role in decision_roles(reference).items() if role == "deciding"}
    caption = (
        f"{label} and {defaults.REFERENCE} share {common.num_atoms} of {defaults.REFERENCE}'s "
        f"{reference.GetNumHeavyAtoms()} atoms (pink). "
    )
    if deciding and deciding <= shared:
        caption += (
            "The shared part includes the glutarimide's imide N-H and substituted C3, the atoms "
            "that decide cereblon binding."
        )
    else:
        caption += (
            f"What makes {defaults.REFERENCE} a cereblon binder is outside it: the glutarimide's "
            "imide N-H and substituted C3 (green), on the ring that sits in cereblon's "
            "tri-tryptophan pocket (blue)."
        )
    return {"mcs_svg": svg, "mcs_caption": caption}


def report_sections(focus: str = defaults.FOCUS) -> dict:
    """The report's content, shared by both formats (computed once per focus compound and
    session: writing the HTML and the Markdown report costs one computation); a copy, so
    that changing it changes no later report (``_report_sections.cache_clear()`` empties
    the cache)."""
    return copy.deepcopy(_report_sections(focus))


@lru_cache(maxsize=4)
def _report_sections(focus: str) -> dict:
    table = verdict_table()
    names = table["name"].tolist()
    pictures = draw_many(names, legends=None, size=(300, 220))
    return {
        "table": _format_table(table),
        "structures": [
            (row.name, row.verdict, svg)
            for row, svg in zip(table.itertuples(index=False), pictures, strict=True)
        ],
        **mcs_section(focus),
        "focus": focus,
        "evidence": evidence_lines(explain(focus)),
        "statistics": statistics_summary(focus),
        **_figures(focus),
        **neo_section(focus),
    }


NEO_COMPOUNDS = ("thalidomide", "lenalidomide", "pomalidomide", "CC-885", "eragidomide",
                 "5-hydroxythalidomide", "apremilast")
"""The compounds of the report's neosubstrate table (with the focus compound)."""


def neo_section(focus: str = defaults.FOCUS) -> dict:
    """The neosubstrate section: calls of a few compounds, each predicted as if new (left out
    of the outcome table), and the focus compound's profile."""
    import pandas as pd

    from ..evidence.profile import neosubstrates

    names = list(dict.fromkeys((*NEO_COMPOUNDS, focus)))
    rows = {}
    for name in names:
        profile = neosubstrates(name, exclude=[name] if name in _table_compounds() else [])
        rows[name] = dict(profile.calls)
    table = pd.DataFrame(rows).T.rename_axis("compound (left out of the table)").reset_index()
    focus_profile = neosubstrates(focus)
    return {
        "neo_table": table,
        "neo_focus": [(g, f"{c}: {focus_profile.reasons[g]}") for g, c in focus_profile.calls.items()],
        "neo_note": (
            "Read-across from published outcomes on the exposed face (imidchem.neosubstrates; "
            "docs/neosubstrates.md): expected by precedent is not degraded; a selectivity claim "
            "is not a measurement."
        ),
    }


def _table_compounds() -> set[str]:
    from ..data.neosubstrates import outcome_compounds

    return set(outcome_compounds())


def _figures(focus: str = defaults.FOCUS) -> dict:
    """The figures of :mod:`imidchem.view.plot` as SVG, or a note when the plot extra is missing."""
    try:
        from .plot import report_figures

        return {
            "figures": [(title, r.to_svg()) for title, r in report_figures(focus)],
            "figures_note": "",
        }
    except ImportError as error:
        return {"figures": [], "figures_note": f"Figures skipped: {error}"}


def _figure_uri(svg: str) -> str:
    # matplotlib writes UTF-8; the charset keeps figures apart from the structure pictures
    return "data:image/svg+xml;charset=utf-8;base64," + base64.b64encode(svg.encode()).decode()


LEGEND = "Highlights: " + "; ".join(
    f"{text} ({colour})"
    for text, colour in zip(
        [text for _, text in ROLES.values()],
        ["green", "blue", "vermillion", "grey", "orange"],
        strict=True,
    )
) + ". All structures are drawn with one bond length (degraders too large for it are scaled down)."


def _markdown_table(table: pd.DataFrame) -> list[str]:
    lines = ["| " + " | ".join(map(str, table.columns)) + " |", "|" + "---|" * len(table.columns)]
    lines += [
        "| " + " | ".join(str(v) for v in row) + " |" for row in table.itertuples(index=False)
    ]
    return lines


def _statistics_markdown(focus: str, stats: dict) -> list[str]:
    lines = ["", f"## Similarity statistics for {focus}", "", stats["title"], ""]
    lines += _markdown_table(stats["table"])
    lines += ["", stats["note"], "", stats["neighbours_title"], ""]
    lines += _markdown_table(stats["neighbours"])
    lines += ["", "What the numbers say:", ""]
    lines += [f"- {sentence}" for sentence in stats["conclusions"]]
    return lines


def _statistics_html(focus: str, stats: dict) -> str:
    items = "".join(f"<li>{escape(sentence)}</li>" for sentence in stats["conclusions"])
    return (
        f"<h2>Similarity statistics for {escape(focus)}</h2>"
        f"<p>{escape(stats['title'])}</p>{stats['table'].to_html(index=False, escape=True)}"
        f"<p><small>{escape(stats['note'])}</small></p>"
        f"<p>{escape(stats['neighbours_title'])}</p>"
        f"{stats['neighbours'].to_html(index=False, escape=True)}"
        f"<p>What the numbers say:</p><ul>{items}</ul>"
    )


def render_markdown(sections: dict) -> str:
    """Markdown text with structure pictures as embedded SVG data URIs."""
    table = sections["table"]
    lines = ["# imidchem report: IMiDs, cereblon and apremilast", ""]
    lines += [f"![{sections['focus']} and thalidomide]({_svg_data_uri(sections['mcs_svg'])})"]
    lines += ["", f"*{sections['mcs_caption']}*", "", "## Verdict table", ""]
    lines.append("| " + " | ".join(table.columns) + " |")
    lines.append("|" + "---|" * len(table.columns))
    for row in table.itertuples(index=False):
        lines.append("| " + " | ".join(str(v) for v in row) + " |")
    lines += ["", f"## Evidence for {sections['focus']}", "", "| | |", "|---|---|"]
    lines += [f"| {label} | {value} |" for label, value in sections["evidence"]]
    lines += _statistics_markdown(sections["focus"], sections["statistics"])
    lines += ["", "## Neosubstrates: what cereblon is expected to recruit", ""]
    lines += _markdown_table(sections["neo_table"])
    lines += ["", f"{sections['focus']}:", "", "| | |", "|---|---|"]
    lines += [f"| {gene} | {text} |" for gene, text in sections["neo_focus"]]
    lines += ["", f"*{sections['neo_note']}*"]
    lines += ["", "## Figures", ""]
    lines += [f"![{title}]({_figure_uri(svg)})\n*{title}*\n" for title, svg in sections["figures"]]
    lines += [sections["figures_note"]] if sections["figures_note"] else []
    lines += ["", "## Structures", "", LEGEND, ""]
    for name, verdict, svg in sections["structures"]:
        lines.append(f"![{name}]({_svg_data_uri(svg)})")
        lines.append(f"*{name}*: {verdict}")
        lines.append("")
    return "\n".join(lines)


def render_html(sections: dict) -> str:
    """A single HTML page with inline SVG structures."""
    table_html = sections["table"].to_html(index=False, escape=True)
    evidence = "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>"
        for label, value in sections["evidence"]
    )
    figures = "".join(
        f"<figure><img alt='{escape(title)}' src='{_figure_uri(svg)}'>"
        f"<figcaption>{escape(title)}</figcaption></figure>"
        for title, svg in sections["figures"]
    ) + (f"<p>{escape(sections['figures_note'])}</p>" if sections["figures_note"] else "")
    neo_focus = "".join(
        f"<tr><th>{escape(gene)}</th><td>{escape(text)}</td></tr>"
        for gene, text in sections["neo_focus"]
    )
    cards = "".join(
        f"<figure>{svg.split('?>', 1)[-1]}<figcaption><b>{escape(name)}</b><br>"
        f"{escape(verdict)}</figcaption></figure>"
        for name, verdict, svg in sections["structures"]
    )
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>imidchem report</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:3px 6px;text-align:left}}
figure{{display:inline-block;margin:6px;text-align:center}}</style></head><body>
<h1>imidchem report: IMiDs, cereblon and apremilast</h1>
<figure class="mcs">{sections["mcs_svg"].split("?>", 1)[-1]}
<figcaption>{escape(sections["mcs_caption"])}<br>{key_html(mcs=True)}</figcaption></figure>
<h2>Verdict table</h2>{table_html}
<h2>Evidence for {escape(sections["focus"])}</h2><table>{evidence}</table>
{_statistics_html(sections["focus"], sections["statistics"])}
<h2>Neosubstrates: what cereblon is expected to recruit</h2>
{sections["neo_table"].to_html(index=False, escape=True)}
<p>{escape(sections["focus"])}:</p><table>{neo_focus}</table>
<p><i>{escape(sections["neo_note"])}</i></p>
<h2>Figures</h2>{figures}
<h2>Structures</h2><p>{key_html()}<br><small>All structures are drawn with one bond length,
except the few too large to fit at it (degraders), which are scaled down to fit.</small></p>{cards}
</body></html>
"""


def write_report(path: str | Path, focus: str = defaults.FOCUS) -> Path:
    """Write the report to ``path``; the format follows the extension (.html or .md).

    The file is written to a temporary name first and renamed, so a failed run never
    leaves a half-written report behind.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in REPORT_FORMATS:
        raise InvalidArgumentError(
            f"unknown report format {path.suffix or '(none)'!r}; allowed: {', '.join(REPORT_FORMATS)}"
        )
    resolve(focus)  # an unknown focus compound is refused before any heavy work
    folder = path.parent.resolve()
    if not folder.is_dir():
        raise InvalidArgumentError(f"cannot write the report: folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK):
        raise InvalidArgumentError(f"cannot write the report: folder {str(folder)!r} is not writable")
    sections = report_sections(focus)
    text = render_html(sections) if suffix == ".html" else render_markdown(sections)
    temporary = path.with_name(path.name + ".part")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    return path
