"""The report's table of compounds: one row per compound with a thumbnail, the evidence
columns (schema names), the reason and the user's own columns; sortable in a browser by a
click on a header, and no wider than the page.

Computation lives in :mod:`imidchem.evidence`; this module only formats a screened frame.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

import pandas as pd

from ..evidence.schema import (
    DTYPES,
    EVIDENCE_COLUMNS,  # noqa: F401 - used by the doctest
    REPORT_TABLE_COLUMNS,
)

MAX_USER_COLUMNS = 6
"""The user's own columns shown in the table (the rest are named under it)."""

THUMBNAIL = (112, 84)
"""Size in pixels of a structure thumbnail."""

# relative widths of the columns (a fixed layout that always fits the page)
_WIDTH = {
    "depiction": 9.0,
    "id": 7.0,
    "crbn_level": 2.8,
    "verdict": 7.5,
    "chemotype": 8.0,
    "reason": 13.0,
    "sim_thalidomide": 4.6,
    "nearest_reference": 7.0,
    "nearest_similarity": 4.6,
    "has_isoindoline": 3.0,
    "has_glutarimide": 3.0,
    "glutarimide_nh": 3.0,
    "crbn_pharmacophore": 3.0,
    "pocket_status": 5.8,
    "pocket_fit": 3.0,
    "pocket_score": 4.6,
    "imide_rmsd": 4.6,
    "pocket_hbonds": 2.8,
    "pocket_clashes": 2.8,
    "pocket_enantiomer": 2.8,
    "pocket_reason": 10.0,
    "error": 8.0,
}
_USER_WIDTH = 6.0
_SHORT_WORDS = frozenset({"pocket_status", "pocket_enantiomer"})
"""Text columns of one short word ("skipped", "S"): narrow, their names written upwards."""

CSS = """
table.compounds{table-layout:fixed;width:100%;border-collapse:collapse;font-size:12px}
table.compounds th{cursor:pointer;background:#f2f2f2;font-size:11px;vertical-align:bottom;
 overflow-wrap:anywhere;position:sticky;top:0}
table.compounds th.narrow{overflow-wrap:normal;white-space:nowrap;text-align:left;padding:4px 2px}
table.compounds th.narrow span{writing-mode:vertical-rl;transform:rotate(180deg);display:inline-block}
table.compounds th[data-dir=asc]::after{content:" \\25B2"}
table.compounds th[data-dir=desc]::after{content:" \\25BC"}
table.compounds td,table.compounds th{border:1px solid #ccc;padding:2px 4px;text-align:left;
 overflow-wrap:anywhere;vertical-align:top}
table.compounds td.num{text-align:right;font-variant-numeric:tabular-nums;overflow-wrap:normal;
 white-space:nowrap;overflow:hidden}
table.compounds td.pic{padding:0;text-align:center}
table.compounds td.pic svg{width:100%;height:auto;max-width:112px}
table.compounds tr.level1 td.lvl{background:#d6f0e6}
table.compounds tr.level2 td.lvl{background:#d9ebf7}
table.compounds tr.level3 td.lvl{background:#fbefd5}
"""
"""Styles of the compound table (fixed layout: long words wrap, nothing scrolls sideways)."""

SCRIPT = """
document.querySelectorAll('table.compounds').forEach(function (table) {
  table.querySelectorAll('th').forEach(function (th, column) {
    th.title = 'click to sort';
    th.addEventListener('click', function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var up = th.dataset.dir !== 'asc';
      table.querySelectorAll('th').forEach(function (h) { delete h.dataset.dir; });
      th.dataset.dir = up ? 'asc' : 'desc';
      function key(row) {
        var cell = row.cells[column];
        return cell.dataset.v !== undefined ? cell.dataset.v : cell.textContent;
      }
      rows.sort(function (a, b) {
        var x = key(a), y = key(b), nx = parseFloat(x), ny = parseFloat(y), r;
        if (x === '' && y !== '') return 1;
        if (y === '' && x !== '') return -1;
        r = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return up ? r : -r;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""
"""Sorts a compound table by the clicked header (numbers as numbers, empty cells last)."""


def shown_columns(
    frame: pd.DataFrame, user_columns: Sequence[str] = (), hide: Sequence[str] = ()
) -> list[str]:
    """The evidence columns of ``frame`` the table shows, in order, then the user's own
    columns (at most :data:`MAX_USER_COLUMNS`).

    >>> frame = pd.DataFrame(columns=["smiles", "vendor", *EVIDENCE_COLUMNS, "status", "error"])
    >>> shown_columns(frame, ["vendor"])[:4], shown_columns(frame, ["vendor"])[-1]
    (['crbn_level', 'crbn_score', 'verdict', 'chemotype'], 'vendor')
    """
    columns = [c for c in REPORT_TABLE_COLUMNS if c in frame.columns and c not in hide]
    if "error" in columns and not (frame["error"].astype(str) != "").any():
        columns.remove("error")
    return columns + list(user_columns)[:MAX_USER_COLUMNS]


def _text(value, column: str) -> tuple[str, str]:
    """(shown text, sort key) of one cell."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "", ""
    dtype = DTYPES.get(column)
    if dtype == "boolean" or isinstance(value, bool):
        return ("yes" if value else "no"), ("1" if value else "0")
    if dtype == "float64" or isinstance(value, float):
        return f"{float(value):.3f}", repr(float(value))
    if dtype == "Int64" or isinstance(value, int):
        return str(int(value)), str(int(value))
    text = str(value)
    return text, text


def table_html(
    frame: pd.DataFrame,
    thumbnails: Sequence[str],
    id_values: Sequence[str],
    id_label: str = "id",
    user_columns: Sequence[str] = (),
    hide: Sequence[str] = (),
) -> str:
    """The sortable HTML table: thumbnail, ``id_label`` (the name column), evidence, the
    user's columns; one row per row of ``frame`` in its order."""
    columns = shown_columns(frame, user_columns, hide)
    widths = [_WIDTH["depiction"], _WIDTH["id"]]
    widths += [_WIDTH.get(c, _USER_WIDTH) for c in columns]
    total = sum(widths)
    cols = "".join(f"<col style='width:{100 * w / total:.2f}%'>" for w in widths)
    head = "<th>depiction</th>" + f"<th>{escape(id_label)}</th>"
    # the narrow columns (numbers, yes/no, short words) get their names written upwards, whole
    head += "".join(
        f"<th class='narrow'><span>{escape(str(c))}</span></th>"
        if DTYPES.get(c) in ("float64", "Int64", "boolean") or c in _SHORT_WORDS
        else f"<th>{_breakable(str(c))}</th>"
        for c in columns
    )
    rows = []
    levels = frame["crbn_level"] if "crbn_level" in frame.columns else None
    for position, (picture, ident) in enumerate(zip(thumbnails, id_values, strict=True)):
        record = frame.iloc[position]
        level = None if levels is None else levels.iloc[position]
        css = "" if level is None or level is pd.NA else f" class='level{int(level)}'"
        cells = [f"<td class='pic' data-v='{position:06d}'>{picture}</td>",
                 f"<td>{escape(str(ident))}</td>"]  # fmt: skip
        for column in columns:
            shown, key = _text(record[column], column)
            kind = "num" if DTYPES.get(column) in ("float64", "Int64") else ""
            kind += " lvl" if column == "crbn_level" else ""
            attributes = f" class='{kind.strip()}'" if kind.strip() else ""
            if key != shown:
                attributes += f" data-v='{escape(key)}'"
            cells.append(f"<td{attributes}>{escape(shown)}</td>")
        rows.append(f"<tr{css}>{''.join(cells)}</tr>")
    return (
        f"<table class='compounds'><colgroup>{cols}</colgroup>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def table_markdown(
    frame: pd.DataFrame,
    images: Sequence[str],
    id_values: Sequence[str],
    id_label: str = "id",
    user_columns: Sequence[str] = (),
    hide: Sequence[str] = (),
) -> list[str]:
    """The table as Markdown lines; ``images`` are Markdown image references (files)."""
    columns = shown_columns(frame, user_columns, hide)
    header = ["depiction", id_label, *columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for position, (image, ident) in enumerate(zip(images, id_values, strict=True)):
        record = frame.iloc[position]
        values = [_text(record[c], c)[0] for c in columns]
        cells = [image, str(ident), *values]
        lines.append("| " + " | ".join(_md_cell(v) for v in cells) + " |")
    return lines


def _breakable(name: str) -> str:
    """A column name that may wrap after its underscores (``crbn_<wbr>level``)."""
    return "_<wbr>".join(escape(part) for part in name.split("_"))


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


__all__ = [
    "CSS",
    "MAX_USER_COLUMNS",
    "SCRIPT",
    "THUMBNAIL",
    "shown_columns",
    "table_html",
    "table_markdown",
]
