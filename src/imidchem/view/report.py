"""A self-contained report (HTML or Markdown): on the reference set (the default) or on the
user's own compounds (``input=``), with the focus compound's evidence, figures and the
provenance of every number.

The report is a list of :class:`Section` objects built from one :class:`ReportContext` by the
functions of :data:`SECTION_BUILDERS`, in order; a new section is one more builder (a function
``context -> Section | None``) inserted into that list. HTML and Markdown render the same
sections; Markdown writes its pictures as SVG files in a folder beside it (``OUT_files/``),
which GitHub and other viewers display.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import os
import platform
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from html import escape
from pathlib import Path

import pandas as pd
from rdkit import Chem

from .. import defaults
from ..analysis.similarity import mcs
from ..chem.mol import to_mol
from ..data.reference import load_reference, resolve
from ..errors import InvalidArgumentError
from ..evidence.call import LEVELS
from ..evidence.schema import REFERENCE_COLUMNS
from .compound_table import CSS as TABLE_CSS
from .compound_table import MAX_USER_COLUMNS, SCRIPT, THUMBNAIL, table_html, table_markdown
from .depict import ROLES, decision_roles, draw_highlighted, draw_mcs_pair, key_html

REPORT_FORMATS = (".html", ".md")
MAX_DIAGRAMS = 24
"""Most interaction diagrams of hits a report draws (``--3d``), best pocket score first."""
SEED = 42
"""Default random seed of the pocket poses (the figures' maps use ``random_state=0``)."""


# --------------------------------------------------------------------------- the content


@dataclass
class ReportContext:
    """Everything the sections are built from (computed once per report)."""

    frame: pd.DataFrame  # the compounds with the evidence columns (and the 3-D group)
    id_values: list[str]
    id_label: str
    user_columns: list[str]
    hidden_columns: list[str]
    source: str | None  # input file name; None: the shipped reference set
    focus: str | None  # what resolve() reads (name or SMILES), None: no focus compound
    focus_label: str | None
    three_d: bool = False
    structure: str = defaults.STRUCTURE
    seed: int = SEED
    fits: dict = field(default_factory=dict)  # row position -> PocketFit (hits, --3d)
    input_rows: int = 0
    input_sha256: str = ""
    created: str = ""

    @property
    def library(self) -> bool:
        """True for a report on the user's compounds."""
        return self.source is not None


class MarkdownImages:
    """Pictures of a Markdown report, written as files into one folder beside it."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.files: dict[str, str] = {}

    def image(self, stem: str, svg: str, alt: str) -> str:
        """A Markdown image reference to ``svg``, saved under a file name made from ``stem``."""
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("_")[:60] or "image"
        name, n = f"{base}.svg", 1
        while name in self.files:
            n += 1
            name = f"{base}_{n}.svg"
        self.files[name] = svg
        return f"![{alt.replace(']', ')')}]({self.folder}/{name})"


@dataclass
class Section:
    """One part of the report: an ``id`` (HTML anchor), a title, its HTML, and a function
    that writes its Markdown lines (images through a :class:`MarkdownImages`)."""

    id: str
    title: str
    html: str
    markdown: Callable[[MarkdownImages], list[str]]


def _inline(svg: str) -> str:
    return svg.split("?>", 1)[-1]


def _figure_uri(svg: str) -> str:
    # matplotlib writes UTF-8; the charset keeps figures apart from the structure pictures
    return "data:image/svg+xml;charset=utf-8;base64," + base64.b64encode(svg.encode()).decode()


def _html_table(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, escape=True, classes="plain", border=0)


def _markdown_table(table: pd.DataFrame) -> list[str]:
    lines = ["| " + " | ".join(map(str, table.columns)) + " |", "|" + "---|" * len(table.columns)]
    lines += [
        "| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |"
        for row in table.itertuples(index=False)
    ]
    return lines


def _pairs_html(rows: Sequence[tuple[str, str]]) -> str:
    return "<table class='pairs'>" + "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(str(value))}</td></tr>" for label, value in rows
    ) + "</table>"


def _pairs_markdown(rows: Sequence[tuple[str, str]]) -> list[str]:
    lines = ["| | |", "|---|---|"]
    return lines + [f"| {label} | {str(value).replace('|', '/')} |" for label, value in rows]


# ------------------------------------------------------------------------------ sections


def focus_picture(context: ReportContext) -> Section | None:
    """The focus compound beside thalidomide, their common substructure in both, and what
    decides cereblon binding outside it."""
    if context.focus is None:
        return None
    label = context.focus_label
    _, mol = resolve(context.focus)
    common = mcs(mol, defaults.REFERENCE)
    svg = draw_mcs_pair(common, (_short(label), defaults.REFERENCE), size=(360, 270))
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
    html = (
        f"<figure class='mcs'>{_inline(svg)}<figcaption>{escape(caption)}<br>"
        f"{key_html(mcs=True)}</figcaption></figure>"
    )
    return Section(
        "focus-picture",
        f"{label} beside {defaults.REFERENCE}",
        html,
        lambda images: [images.image(f"mcs_{label}", svg, f"{label} and thalidomide"), "",
                        f"*{caption}*"],  # fmt: skip
    )


POCKET_STATUS_WORDS = {
    "ok": "fitted",
    "skipped": "not fitted, nothing the pose can anchor",
    "error": "no pose",
}
"""What each ``pocket_status`` value means in the report's summary."""


def pocket_summary(frame: pd.DataFrame, structure: str) -> list[tuple[str, str]]:
    """Summary rows of the 3-D group: how many rows were fitted, skipped or failed, and how
    many of the fitted ones fit the pocket.

    >>> frame = pd.DataFrame({"pocket_status": ["ok", "ok", "skipped", "error"],
    ...                       "pocket_fit": [True, False, None, None]})
    >>> pocket_summary(frame, "5fqd")  # doctest: +NORMALIZE_WHITESPACE
    [('pocket_status ok: fitted in PDB 5FQD', '2'),
     ('pocket_status skipped: not fitted, nothing the pose can anchor', '1'),
     ('pocket_status error: no pose', '1'), ('pocket_fit yes (of the 2 fitted)', '1')]
    """
    status = frame["pocket_status"]
    rows = []
    for value, words in POCKET_STATUS_WORDS.items():
        where = f" in PDB {structure.upper()}" if value == "ok" else ""
        rows.append((f"pocket_status {value}: {words}{where}", f"{int((status == value).sum()):,}"))
    fitted = int((status == "ok").sum())
    fits = int(frame["pocket_fit"].astype("boolean").fillna(False).sum())
    rows.append((f"pocket_fit yes (of the {fitted:,} fitted)", f"{fits:,}"))
    return rows


def summary(context: ReportContext) -> Section:
    """How many compounds at each cereblon level (and, with 3-D, how many fit the pocket)."""
    frame = context.frame
    ok = frame[frame["status"] == "ok"]
    rows = [
        (f"level {level}: {item.name}", f"{int((ok['crbn_level'] == level).sum()):,}")
        for level, item in LEVELS.items()
    ]
    rows.append(("unreadable (status error)", f"{int((frame['status'] != 'ok').sum()):,}"))
    if "pocket_status" in frame.columns:
        rows += pocket_summary(frame, context.structure)
    what = f"{len(frame):,} compounds" + (f" from {context.source}" if context.library else "")
    text = (
        f"{what}. Cereblon binders are levels {defaults.BINDER_LEVELS[0]}-{defaults.BINDER_LEVELS[-1]} "
        "(crbn_pharmacophore yes); the level is a 2-D call on the cyclic imide, not an "
        "affinity, and binding is not degradation."
    )
    return Section(
        "summary",
        "Summary",
        f"<p>{escape(text)}</p>{_pairs_html(rows)}",
        lambda images: [text, "", *_pairs_markdown(rows)],
    )


def _thumbnails(context: ReportContext) -> list[str]:
    return _drawn(tuple(context.frame["smiles_std"].tolist()))


@lru_cache(maxsize=2)
def _drawn(smiles: tuple[str, ...]) -> list[str]:
    pictures = []
    for text in smiles:
        if not text:
            pictures.append("")
            continue
        try:
            pictures.append(draw_highlighted(text, size=THUMBNAIL))
        except Exception:  # noqa: BLE001 - a row without a picture keeps its place
            pictures.append("")
    return pictures


def compounds(context: ReportContext) -> Section:
    """The compound table: thumbnail, name, evidence columns, reason, the user's columns."""
    pictures = _thumbnails(context)
    inline = [_inline(svg) if svg else "<small>no picture</small>" for svg in pictures]
    # in the reference set every compound is its own nearest reference: not shown there
    hide = () if context.library else ("nearest_reference", "nearest_similarity")
    html = table_html(context.frame, inline, context.id_values, context.id_label,
                      context.user_columns, hide=hide)  # fmt: skip
    note = (
        "Click a column name to sort by it. Highlights in the pictures: "
        + "; ".join(text for _, text in ROLES.values())
        + "."
    )
    if context.hidden_columns:
        note += (
            f" {len(context.hidden_columns)} more column(s) of the input are not shown "
            f"(at most {MAX_USER_COLUMNS}): {', '.join(context.hidden_columns)}."
        )

    def markdown(images: MarkdownImages) -> list[str]:
        refs = [
            images.image(f"{position + 1:04d}_{ident}", svg, str(ident)) if svg else ""
            for position, (svg, ident) in enumerate(zip(pictures, context.id_values, strict=True))
        ]
        return [note, "", *table_markdown(context.frame, refs, context.id_values,
                                          context.id_label, context.user_columns, hide=hide)]  # fmt: skip

    title = "Verdict table" if not context.library else "Your compounds"
    return Section("compounds", title, f"<p><small>{escape(note)}</small></p>{html}", markdown)


def pocket_diagrams(context: ReportContext) -> Section | None:
    """The interaction diagrams of the hits in cereblon's pocket (``--3d``)."""
    if not context.three_d:
        return None
    from .interaction import interaction_svg

    ranked = sorted(
        context.fits.items(), key=lambda item: -(item[1].pocket_score or 0.0)
    )[:MAX_DIAGRAMS]
    pictures = [
        (context.id_values[position], interaction_svg(fit, name=str(context.id_values[position])))
        for position, fit in ranked
    ]  # fmt: skip
    text = (
        f"Poses in PDB {context.structure.upper()} (seed {context.seed}) of the hits: levels "
        f"1-2 or pocket_fit yes, best pocket_score first ({len(pictures)} of {len(context.fits)}"
        f" drawn). Green dashes: canonical H-bonds made; red: clashes."
    )
    if not pictures:
        text = "No hit (level 1-2 or pocket_fit yes) to draw."
    html = f"<p>{escape(text)}</p>" + "".join(
        f"<figure class='diagram'>{_inline(svg)}<figcaption>{escape(str(name))}</figcaption></figure>"
        for name, svg in pictures
    )
    return Section(
        "pocket",
        "In cereblon's pocket (3-D)",
        html,
        lambda images: [text, ""] + [
            images.image(f"pocket_{name}", svg, f"{name} in the pocket") + "\n" for name, svg in pictures
        ],
    )


def focus_evidence(context: ReportContext) -> Section | None:
    """The focus compound's evidence record, with its 3-D pocket lines (the same sections
    as ``imidchem explain``)."""
    if context.focus is None:
        return None
    from ..evidence.verdict import explain
    from .explain import explain_sections

    record = explain(context.focus, pocket=True)
    record = replace(record, query=context.focus_label) if not record.name else record
    parts = explain_sections(record, stats=False)
    html = "".join(f"<h3>{escape(title)}</h3>{_pairs_html(rows)}" for title, rows in parts)
    pocket = record.pocket
    if pocket is not None and pocket.pose is not None:
        from .interaction import interaction_svg

        diagram = interaction_svg(pocket, name=context.focus_label)
        html += f"<figure class='diagram'>{_inline(diagram)}</figure>"
    else:
        diagram = ""

    def markdown(images: MarkdownImages) -> list[str]:
        lines = []
        for title, rows in parts:
            lines += [f"### {title}", "", *_pairs_markdown(rows), ""]
        if diagram:
            lines.append(images.image(f"pocket_{context.focus_label}", diagram, "pocket"))
        return lines

    return Section("focus-evidence", f"Evidence for {context.focus_label}", html, markdown)


def statistics(context: ReportContext) -> Section | None:
    """Similarity statistics of the focus compound (six fingerprints, NCI background)."""
    if context.focus is None:
        return None
    from .statistics import statistics_summary

    stats = statistics_summary(context.focus, label=context.focus_label)
    items = "".join(f"<li>{escape(sentence)}</li>" for sentence in stats["conclusions"])
    html = (
        f"<p>{escape(stats['title'])}</p>{_html_table(stats['table'])}"
        f"<p><small>{escape(stats['note'])}</small></p>"
        f"<p>{escape(stats['neighbours_title'])}</p>{_html_table(stats['neighbours'])}"
        f"<p>What the numbers say:</p><ul>{items}</ul>"
    )

    def markdown(images: MarkdownImages) -> list[str]:
        lines = [stats["title"], "", *_markdown_table(stats["table"]), "", stats["note"], ""]
        lines += [stats["neighbours_title"], "", *_markdown_table(stats["neighbours"]), ""]
        lines += ["What the numbers say:", ""]
        return lines + [f"- {sentence}" for sentence in stats["conclusions"]]

    return Section(
        "statistics", f"Similarity statistics for {context.focus_label}", html, markdown
    )


NEO_COMPOUNDS = ("thalidomide", "lenalidomide", "pomalidomide", "CC-885", "eragidomide",
                 "5-hydroxythalidomide", "apremilast")
"""The compounds of the reference report's neosubstrate table (with the focus compound)."""


def neosubstrate_section(context: ReportContext) -> Section | None:
    """What cereblon is expected to recruit (issue 17's profile): in the reference report,
    the calls of a few compounds, each predicted as if new (left out of the outcome table);
    the focus compound's profile in either report."""
    if context.focus is None and context.library:
        return None
    import pandas as pd

    from ..data.neosubstrates import outcome_compounds
    from ..evidence.profile import neosubstrates

    note = (
        "Read-across from published outcomes on the exposed face (imidchem.neosubstrates; "
        "docs/neosubstrates.md): expected by precedent is not degraded; a selectivity claim "
        "is not a measurement."
    )
    table = None
    if not context.library:
        known = set(outcome_compounds())
        names = list(dict.fromkeys((*NEO_COMPOUNDS, context.focus_label)))
        rows = {
            name: dict(neosubstrates(name, exclude=[name] if name in known else []).calls)
            for name in names
        }
        table = pd.DataFrame(rows).T.rename_axis("name").reset_index()
        table.columns = ["name", *(f"neo_{gene}" for gene in table.columns[1:])]  # NEO_SCHEMA
    focus_rows = []
    if context.focus is not None:
        profile = neosubstrates(context.focus)
        focus_rows = [
            (f"neo_{gene}", f"{call}: {profile.reasons[gene]}")  # NEO_SCHEMA names
            for gene, call in profile.calls.items()
        ]
    html = "" if table is None else (
        "<p>Each compound predicted as if new (left out of the outcome table):</p>"
        + _html_table(table)
    )
    if focus_rows:
        html += f"<p>{escape(context.focus_label)}:</p>{_pairs_html(focus_rows)}"
    html += f"<p><i>{escape(note)}</i></p>"

    def markdown(images: MarkdownImages) -> list[str]:
        lines = [] if table is None else [*_markdown_table(table), ""]
        if focus_rows:
            lines += [f"{context.focus_label}:", "", *_pairs_markdown(focus_rows), ""]
        return lines + [f"*{note}*"]

    return Section("neosubstrates", "Neosubstrates: what cereblon is expected to recruit", html,
                   markdown)  # fmt: skip


def figures(context: ReportContext) -> Section:
    """The figures: the library's similarity by level (reports on a file), and the focus
    compound's bar chart, heatmap, background histogram and fingerprint map."""
    made: list[tuple[str, str]] = []
    note = ""
    try:
        from .plot import library_histogram, report_figures

        if context.library:
            result = library_histogram(context.frame, title=str(context.source))
            made.append((f"Similarity to thalidomide of {context.source}", result.to_svg()))
        if context.focus is not None:
            made += [
                (title, r.to_svg())
                for title, r in report_figures(context.focus, label=context.focus_label)
            ]
    except ImportError as error:
        note = f"Figures skipped: {error}"
    html = "".join(
        f"<figure><img alt='{escape(title)}' src='{_figure_uri(svg)}'>"
        f"<figcaption>{escape(title)}</figcaption></figure>"
        for title, svg in made
    ) + (f"<p>{escape(note)}</p>" if note else "")

    def markdown(images: MarkdownImages) -> list[str]:
        lines = []
        for title, svg in made:
            lines += [images.image(f"figure_{title}", svg, title), f"*{title}*", ""]
        return lines + ([note] if note else [])

    return Section("figures", "Figures", html, markdown)


def structures(context: ReportContext) -> Section | None:
    """Every structure of the reference set, one bond length, glutarimides aligned."""
    if context.library:
        return None
    from .depict import draw_many

    frame = context.frame
    ok = [i for i, status in enumerate(frame["status"]) if status == "ok"]
    pictures = draw_many([frame["smiles_std"].iloc[i] for i in ok], size=CARD, largest=CARD_BOND)
    cards = [(context.id_values[i], frame["verdict"].iloc[i], svg) for i, svg in zip(ok, pictures, strict=True)]
    html = f"<p>{key_html()}<br><small>{escape(LEGEND)}</small></p>" + "".join(
        f"<figure class='card'>{_inline(svg)}<figcaption><b>{escape(name)}</b><br>"
        f"{escape(verdict)}</figcaption></figure>"
        for name, verdict, svg in cards
    )

    def markdown(images: MarkdownImages) -> list[str]:
        lines = [LEGEND, ""]
        for name, verdict, svg in cards:
            lines += [images.image(f"structure_{name}", svg, name), f"*{name}*: {verdict}", ""]
        return lines

    return Section("structures", "Structures", html, markdown)


CARD = (236, 196)
"""Size in pixels of a structure picture in the report's grid (five to a row at 1300 px)."""
CARD_BOND = 34.0
"""Longest bond (pixels) of the report's grid: the drug-sized molecules fill their cards."""


def provenance(context: ReportContext) -> Section:
    """What made the report: versions, date, seed, input."""
    rows = provenance_rows(context)
    return Section(
        "provenance",
        "Provenance",
        _pairs_html(rows),
        lambda images: _pairs_markdown(rows),
    )


def provenance_rows(context: ReportContext) -> list[tuple[str, str]]:
    """``(label, value)`` pairs: imidchem and RDKit versions, date, seed, input, structure.

    >>> context = ReportContext(pd.DataFrame(), [], "id", [], [], None, None, None,
    ...                         created="2026-01-01 00:00:00")
    >>> rows = dict(provenance_rows(context))
    >>> rows["date (UTC)"], sorted(rows)[:3]
    ('2026-01-01 00:00:00', ['Python', 'RDKit', 'date (UTC)'])
    """
    import sys

    import rdkit

    __version__ = sys.modules["imidchem"].__version__  # the package is loaded: no upward import

    if context.library:
        source = (
            f"{context.source}: {context.input_rows:,} rows (sha256 {context.input_sha256[:16]})"
        )
    else:
        source = f"the reference set shipped with imidchem ({len(context.frame):,} compounds)"
    rows = [
        ("imidchem", __version__),
        ("RDKit", rdkit.__version__),
        ("Python", platform.python_version()),
        ("date (UTC)", context.created),
        ("input", source),
        ("seed", f"{context.seed} (pocket poses); figures: random_state 0"),
    ]
    if context.three_d or context.focus is not None:
        rows.append(("pocket structure", f"PDB {context.structure.upper()}"))
    return rows


SECTION_BUILDERS: list[Callable[[ReportContext], Section | None]] = [
    focus_picture,
    summary,
    compounds,
    pocket_diagrams,
    focus_evidence,
    statistics,
    neosubstrate_section,
    figures,
    structures,
    provenance,
]
"""The report's sections, in order: add one by inserting a builder."""

LEGEND = (
    "All structures are drawn with one bond length (degraders too large for it are scaled "
    "down); the cereblon-binding ring is drawn in the same orientation in every picture."
)


def _short(label: str | None, limit: int = 40) -> str:
    label = label or ""
    return label if len(label) <= limit else label[: limit - 3] + "..."


# ------------------------------------------------------------------------ building it


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _id_column(frame: pd.DataFrame, name_col: str | None, source: str) -> str | None:
    from ..evidence.frames import find_column

    columns = [str(c) for c in frame.columns]
    position = find_column(columns, name_col, ("name", "id", "title", "compound"), "name", source)
    return None if position is None else columns[position]


def _focus_in(frame: pd.DataFrame, id_values: list[str], focus: str) -> tuple[str, str]:
    """``(what resolve() reads, label)`` for a focus compound: a row of the input by its
    name (case and spaces ignored), else a reference name, synonym or SMILES."""
    key = _normalised(focus)
    for position, ident in enumerate(id_values):
        if _normalised(str(ident)) == key and frame["status"].iloc[position] == "ok":
            return frame["smiles_std"].iloc[position], str(ident)
    name, _ = resolve(focus)
    return focus, name or focus


def _normalised(text: str) -> str:
    return re.sub(r"[\s_-]+", "", str(text)).lower()


def build_context(
    focus: str | None = defaults.FOCUS,
    input: str | Path | None = None,  # noqa: A002 - the command's option name
    smiles_col: str | None = None,
    name_col: str | None = None,
    three_d: bool = False,
    structure: str = defaults.STRUCTURE,
    seed: int = SEED,
    quiet: bool = True,
    fit_all: bool = False,
) -> ReportContext:
    """Read and assess the compounds (the reference set when ``input`` is None) and find
    the focus compound; with ``three_d`` place each compound the pose can anchor in the
    pocket, as ``screen --3d`` does (every readable one with ``fit_all``)."""
    from ..chem.pocket.structures import check_structure_id
    from ..engine.assess import assess

    structure = check_structure_id(structure)
    created = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    if input is None:
        if focus is None:
            focus = defaults.FOCUS
        name, _ = resolve(focus)  # an unknown focus is refused before any heavy work
        data = load_reference()
        frame = assess(data)
        context = ReportContext(
            frame=frame,
            id_values=frame["name"].astype(str).tolist(),
            id_label="name",
            user_columns=[c for c in REFERENCE_COLUMNS if c != "name"],
            hidden_columns=[],
            source=None,
            focus=focus,
            focus_label=name or focus,
            created=created,
            structure=structure,
            seed=seed,
        )
    else:
        from ..engine.readers import read_table
        from ..evidence.frames import molecule_column

        path = Path(input)
        if not path.is_file():
            raise InvalidArgumentError(f"input file {str(path)!r} does not exist")
        data = read_table(path, smiles_col)
        molecule = str(data.columns[molecule_column(data, smiles_col)])
        id_col = _id_column(data, name_col, path.name)
        frame = assess(data, smiles_col=molecule)
        if id_col is None:
            id_values, id_label = [str(i + 1) for i in range(len(frame))], "row"
        else:
            id_values = frame[id_col].astype(str).tolist()
            id_label = id_col
        from ..evidence.schema import COLUMNS, POCKET_COLUMNS

        # the file's own columns; one named like an evidence column holds imidchem's value
        computed = (*COLUMNS, *POCKET_COLUMNS)
        own = [str(c) for c in data.columns if str(c) not in (molecule, id_col, *computed)]
        context = ReportContext(
            frame=frame,
            id_values=id_values,
            id_label=id_label,
            user_columns=own[:MAX_USER_COLUMNS],
            hidden_columns=own[MAX_USER_COLUMNS:],
            source=path.name,
            focus=None,
            focus_label=None,
            input_rows=len(frame),
            input_sha256=_sha256(path),
            created=created,
            structure=structure,
            seed=seed,
        )
        if focus is not None:
            context.focus, context.focus_label = _focus_in(frame, id_values, focus)
    if three_d or fit_all:
        _add_pocket(context, quiet=quiet, fit_all=fit_all)
    return context


def _add_pocket(context: ReportContext, quiet: bool = True, fit_all: bool = False) -> None:
    from ..engine.progress import Progress
    from ..evidence.pocket import pocket_error, pocket_row, score_with_pocket
    from ..evidence.schema import POCKET_COLUMNS, to_frame

    frame = context.frame
    progress = Progress(enabled=False if quiet else None)
    values = []
    for position, (status, smiles) in enumerate(zip(frame["status"], frame["smiles_std"],
                                                    strict=True)):  # fmt: skip
        if status != "ok":
            values.append(pocket_error("no molecule"))
        else:  # as screen --3d: skipped when nothing can anchor, unless fit_all
            row, fit = pocket_row(smiles, context.structure, context.seed, fit_all=fit_all)
            values.append(row)
            level = frame["crbn_level"].iloc[position]
            if fit is not None and fit.pose is not None and (
                fit.pocket_fit or level in defaults.BINDER_LEVELS
            ):
                context.fits[position] = fit
        progress.update(position + 1, (position + 1) / max(len(frame), 1))
    progress.close()
    pocket = to_frame(values, columns=POCKET_COLUMNS, index=frame.index)
    frame = frame.copy()
    for name in POCKET_COLUMNS:
        frame[name] = pocket[name]
    # crbn_score refined by the pocket, as assess and screen write it with --3d
    levels = [None if pd.isna(v) else int(v) for v in frame["crbn_level"]]
    frame["crbn_score"] = pd.array(
        [
            float("nan") if level is None
            else score_with_pocket(level, smiles, tuple(v), context.structure)
            for level, smiles, v in zip(levels, frame["smiles_std"], values, strict=True)
        ],
        dtype="float64",
    )
    context.frame = frame
    context.three_d = True


@dataclass
class Report:
    """A built report: its title and sections (render with :func:`render_html` or
    :func:`render_markdown`)."""

    title: str
    sections: list[Section]
    context: ReportContext


def build_report(context: ReportContext) -> Report:
    """Run :data:`SECTION_BUILDERS` on ``context``."""
    if context.library:
        title = f"imidchem report: {len(context.frame):,} compounds from {context.source}"
        if context.focus_label:
            title += f", focus {_short(context.focus_label)}"
    else:
        title = f"imidchem report: IMiDs, cereblon and {_short(context.focus_label)}"
    sections = [section for build in SECTION_BUILDERS if (section := build(context)) is not None]
    return Report(title, sections, context)


def report_sections(focus: str = defaults.FOCUS) -> Report:
    """The reference report for ``focus`` (computed once per focus compound and session);
    a copy, so that changing it changes no later report (``_reference_report.cache_clear()``
    empties the cache)."""
    return copy.deepcopy(_reference_report(focus))


@lru_cache(maxsize=4)
def _reference_report(focus: str) -> Report:
    return build_report(build_context(focus))


PAGE_CSS = """
body{font-family:sans-serif;margin:1.5em;max-width:100%;color:#222}
h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
table.plain,table.pairs{border-collapse:collapse;font-size:13px;max-width:100%}
table.plain td,table.plain th,table.pairs td,table.pairs th{border:1px solid #ccc;padding:3px 6px;
 text-align:left;overflow-wrap:anywhere}
table.pairs th{background:#f7f7f7;font-weight:normal;white-space:nowrap}
figure{display:inline-block;margin:6px;text-align:center;max-width:100%;vertical-align:top}
figure img,figure svg,div.grid svg{max-width:100%;height:auto}
figure.diagram{width:600px}figure.diagram svg{width:100%;height:auto}
figure.card{width:238px;margin:2px}figure.card figcaption{font-size:12px}
nav a{margin-right:1em}
"""


def render_html(report: Report) -> str:
    """One self-contained HTML page (inline SVG, no network)."""
    nav = "".join(f"<a href='#{s.id}'>{escape(s.title)}</a>" for s in report.sections)
    body = "".join(
        f"<section id='{s.id}'><h2>{escape(s.title)}</h2>{s.html}</section>"
        for s in report.sections
    )
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{escape(report.title)}</title>
<style>{PAGE_CSS}{TABLE_CSS}</style></head><body>
<h1>{escape(report.title)}</h1><nav>{nav}</nav>
{body}
<script>{SCRIPT}</script>
</body></html>
"""


def render_markdown(report: Report, folder: str = "report_files") -> tuple[str, dict[str, str]]:
    """``(Markdown text, {file name: SVG})``: the pictures go into ``folder`` beside it."""
    images = MarkdownImages(folder)
    lines = [f"# {report.title}", ""]
    for section in report.sections:
        lines += [f"## {section.title}", "", *section.markdown(images), ""]
    return "\n".join(lines), images.files


def _check_target(path: Path, force: bool) -> tuple[str, Path | None]:
    suffix = path.suffix.lower()
    if suffix not in REPORT_FORMATS:
        raise InvalidArgumentError(
            f"unknown report format {path.suffix or '(none)'!r}; allowed: {', '.join(REPORT_FORMATS)}"
        )
    folder = path.parent.resolve()
    if not folder.is_dir():
        raise InvalidArgumentError(f"cannot write the report: folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK):
        raise InvalidArgumentError(f"cannot write the report: folder {str(folder)!r} is not writable")
    pictures = path.with_name(path.stem + "_files") if suffix == ".md" else None
    if not force:
        for existing in (path, pictures):
            if existing is not None and existing.exists():
                raise InvalidArgumentError(
                    f"{str(existing)!r} exists; use --force (force=True) to replace it"
                )
    return suffix, pictures


def write_report(
    path: str | Path,
    focus: str | None = defaults.FOCUS,
    input: str | Path | None = None,  # noqa: A002 - the command's option name
    smiles_col: str | None = None,
    name_col: str | None = None,
    three_d: bool = False,
    structure: str = defaults.STRUCTURE,
    seed: int = SEED,
    force: bool = False,
    quiet: bool = True,
    fit_all: bool = False,
) -> Path:
    """Write the report to ``path``; the format follows the extension (.html or .md).

    Without ``input`` it is the reference report, about ``focus``. With ``input`` (any file
    :func:`imidchem.screen` reads) it is a report on those compounds: a sortable table with
    thumbnails, the evidence columns, the reason and the file's own columns (``name_col``
    names the rows), the figures that apply, and with ``three_d`` the pocket columns and the
    interaction diagrams of the hits (only molecules the pose can anchor are fitted, the
    others are "skipped"; ``fit_all`` fits every one); ``focus`` (a name in the file, a reference name or a
    SMILES) adds that compound's evidence, statistics and figures. Every report ends with
    its provenance. A Markdown report writes its pictures as SVG files into ``STEM_files/``
    beside it.

    An existing report is kept unless ``force``. The file is written to a temporary name
    first and renamed, so a failed run never leaves a half-written report behind.
    """
    path = Path(path)
    suffix, pictures = _check_target(path, force)
    if input is None:
        resolve(focus or defaults.FOCUS)  # an unknown focus is refused before any heavy work
        report = (
            report_sections(focus or defaults.FOCUS)
            if not (three_d or fit_all) and seed == SEED and structure == defaults.STRUCTURE
            else build_report(build_context(focus, three_d=three_d, structure=structure,
                                            seed=seed, quiet=quiet, fit_all=fit_all))  # fmt: skip
        )
    else:
        context = build_context(focus, input=input, smiles_col=smiles_col, name_col=name_col,
                                three_d=three_d, structure=structure, seed=seed, quiet=quiet,
                                fit_all=fit_all)  # fmt: skip
        report = build_report(context)
    temporary = path.with_name(path.name + ".part")
    if suffix == ".html":
        temporary.write_text(render_html(report), encoding="utf-8")
    else:
        text, files = render_markdown(report, folder=pictures.name)
        staging = pictures.with_name(pictures.name + ".part")
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir()
        for name, svg in files.items():
            (staging / name).write_text(svg, encoding="utf-8")
        temporary.write_text(text, encoding="utf-8")
        if pictures.exists():
            shutil.rmtree(pictures)
        staging.replace(pictures)
    temporary.replace(path)
    return path
