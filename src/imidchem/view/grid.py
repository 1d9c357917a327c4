"""Structure grids and tables that show themselves in Jupyter.

:class:`StructureGrid` draws molecules side by side, at one bond length, with the atoms
that decide the cereblon call highlighted (see :mod:`imidchem.view.depict`), or chosen
catalogue patterns in one colour each. :func:`structure_table` puts a structure picture into every row
of a DataFrame. A molecule that cannot be read becomes a panel with the reason instead
of aborting the whole picture.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

import pandas as pd
from rdkit import Chem

from ..chem.mol import MolInput, to_mol
from ..chem.patterns import get_pattern
from ..data.reference import resolve
from ..errors import ImidchemError, InvalidArgumentError, MissingExtraError
from .depict import (
    HALF_COLOURS,
    SVG,
    common_bond_length,
    draw_highlighted,
    highlight_atoms,
)

DEFAULT_PATTERNS: tuple[str, ...] = ("isoindoline", "glutarimide")
PANEL_SIZE: tuple[int, int] = (240, 190)
KEY_HEIGHT = 22


def _hex(colour: tuple[float, float, float]) -> str:
    """``(r, g, b)`` in 0..1 as ``#RRGGBB`` (RDKit's SVG spelling).

    >>> _hex((0.90, 0.62, 0.0))
    '#E59E00'
    """
    return "#" + "".join(f"{int(channel * 255):02X}" for channel in colour)


def _error_panel(message: str, size: tuple[int, int], label: str) -> SVG:
    """A grey panel saying why a molecule could not be drawn."""
    width, height = size
    per_line = max(8, int(width / 7.5))
    words = [
        word[i : i + per_line] for word in message.split() for i in range(0, len(word), per_line)
    ]
    lines, line = [], ""
    for word in words:
        if len(line) + len(word) + 1 > per_line and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    text = "".join(
        f"<text x='8' y='{40 + 15 * i}' font-size='11' fill='#B00020'>{escape(part)}</text>"
        for i, part in enumerate(lines[:8])
    )
    return SVG(
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}px' height='{height}px' "
        f"viewBox='0 0 {width} {height}'><rect width='{width}' height='{height}' fill='#F4F4F4'/>"
        f"<text x='8' y='20' font-size='12' font-weight='bold'>{escape(label)}</text>{text}</svg>"
    )


class HTML(str):
    """An HTML string that shows itself as HTML in Jupyter (and briefly as text)."""

    def _repr_html_(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"<HTML, {len(self)} characters>"


@dataclass(frozen=True)
class GridItem:
    """One panel: its label, standardised SMILES (or the error), highlights and picture."""

    label: str
    smiles: str
    highlights: dict[str, list[int]] = field(default_factory=dict)
    svg: SVG = SVG("")
    error: str = ""

    @property
    def ok(self) -> bool:
        """True when the molecule was read and drawn."""
        return not self.error


def _item(
    molecule: MolInput, label: str | None, patterns: Sequence[str], size, draw_patterns, length
) -> GridItem:
    try:
        name, mol = resolve(molecule)
    except ImidchemError as error:
        reason = _short_reason(molecule, error)
        text = label or (molecule if isinstance(molecule, str) else "(missing)")
        return GridItem(text, "", {}, _error_panel(reason, size, text), reason)
    smiles = Chem.MolToSmiles(mol)
    label = label if label is not None else (name or smiles)
    return GridItem(
        label,
        smiles,
        highlight_atoms(mol, patterns),
        draw_highlighted(mol, draw_patterns, size=size, legend=label, bond_length=length),
    )


def _readable(molecule: MolInput):
    try:
        return resolve(molecule)[1]
    except ImidchemError:
        return None


def _short_reason(molecule: MolInput, error: ImidchemError) -> str:
    """The SMILES parser's own reason (as in :func:`imidchem.assess`), without the list of
    reference names that :func:`imidchem.data.reference.resolve` appends."""
    try:
        to_mol(molecule)
    except ImidchemError as parse_error:
        return str(parse_error)
    return str(error)  # pragma: no cover - resolve and to_mol fail together


def _inner(svg: str, x: int, y: int) -> str:
    """An SVG document as a nested ``<svg>`` element placed at ``(x, y)``."""
    body = svg.split("?>", 1)[-1].strip() if svg.lstrip().startswith("<?xml") else svg.strip()
    return re.sub(r"^<svg\b", f"<svg x='{x}' y='{y}'", body, count=1)


class StructureGrid:
    """Molecules side by side at one bond length, with what decides the cereblon call
    highlighted (``patterns=None``, see :data:`imidchem.view.depict.ROLES`) or each chosen
    pattern's atoms in its own colour.

    ``molecules`` are reference names, synonyms, SMILES or RDKit Mols. ``legends``
    default to the reference name or the standardised SMILES. Items that cannot be read
    become panels showing the reason (``item.error``); the others are drawn. Each item
    records the atoms of the isoindoline and glutarimide patterns (or of ``patterns``).

    >>> grid = StructureGrid(["thalidomide", "apremilast", "C1CC"], columns=3)
    >>> [item.label for item in grid], [item.ok for item in grid]
    (['thalidomide', 'apremilast', 'C1CC'], [True, True, False])
    >>> grid[1].highlights["glutarimide"], len(grid[1].highlights["isoindoline"])
    ([], 9)
    """

    def __init__(
        self,
        molecules: Sequence[MolInput],
        legends: Sequence[str] | None = None,
        patterns: Sequence[str] | None = None,
        columns: int = 4,
        size: tuple[int, int] = PANEL_SIZE,
    ) -> None:
        molecules = list(molecules)
        if legends is not None and len(legends) != len(molecules):
            raise InvalidArgumentError(
                f"legends has {len(legends)} entries but there are {len(molecules)} molecules"
            )
        if int(columns) < 1:
            raise InvalidArgumentError(f"columns must be a positive number, got {columns}")
        self.decision = patterns is None
        chosen = DEFAULT_PATTERNS if patterns is None else patterns
        self.patterns = tuple(get_pattern(p).name for p in chosen)
        self.columns = int(columns)
        self.size = (int(size[0]), int(size[1]))
        labels = list(legends) if legends is not None else [None] * len(molecules)
        self.bond_length = common_bond_length(
            [mol for mol in map(_readable, molecules) if mol is not None], self.size
        )
        draw_patterns = None if self.decision else self.patterns
        self.items = [
            _item(
                m,
                None if lab is None else str(lab),
                self.patterns,
                self.size,
                draw_patterns,
                self.bond_length,
            )
            for m, lab in zip(molecules, labels, strict=True)
        ]

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        smiles_col: str = "smiles",
        label_col: str | None = None,
        **options,
    ) -> StructureGrid:
        """A grid of the rows of ``frame`` (in order), labelled by ``label_col`` if given."""
        for column in (smiles_col, label_col):
            if column is not None and column not in frame.columns:
                raise InvalidArgumentError(
                    f"unknown column {column!r}; available: {', '.join(map(str, frame.columns))}"
                )
        values = frame[smiles_col].tolist()
        labels = None if label_col is None else [str(v) for v in frame[label_col].tolist()]
        return cls(values, legends=labels, **options)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> GridItem:
        return self.items[index]

    def __iter__(self):
        return iter(self.items)

    def __repr__(self) -> str:
        bad = sum(not item.ok for item in self.items)
        return f"StructureGrid({len(self)} molecules, {bad} unreadable, patterns={self.patterns})"

    def to_frame(self) -> pd.DataFrame:
        """One row per panel: label, smiles, error and the highlighted atoms per pattern."""
        return pd.DataFrame(
            [
                {
                    "label": item.label,
                    "smiles": item.smiles,
                    "error": item.error,
                    **{f"{p}_atoms": item.highlights.get(p, []) for p in self.patterns},
                }
                for item in self.items
            ]
        )

    def key(self) -> list[tuple[str, str]]:
        """``(meaning, #RRGGBB)`` of each highlight colour, in drawing priority."""
        from .depict import DEFAULT_COLOUR, ROLES

        if self.decision:
            return [(text, _hex(colour)) for colour, text in ROLES.values()]
        return [(p, _hex(HALF_COLOURS.get(p, DEFAULT_COLOUR))) for p in self.patterns]

    def to_svg(self) -> SVG:
        """All panels in one SVG (nested ``<svg>`` per panel) with a colour key underneath."""
        width, height = self.size
        rows = max(1, -(-len(self.items) // self.columns))
        total_width = width * min(self.columns, max(1, len(self.items)))
        placed, x, line = [], 6, 0
        for name, colour in self.key():  # the key wraps to the width of the grid
            step = 30 + int(6.5 * len(name))
            if x > 6 and x + step > total_width:
                x, line = 6, line + 1
            placed.append((name, colour, x, line))
            x += step
        total_height = height * rows + KEY_HEIGHT * (line + 1)
        panels = "".join(
            _inner(item.svg, (i % self.columns) * width, (i // self.columns) * height)
            for i, item in enumerate(self.items)
        )
        key = []
        for name, colour, x, line in placed:
            y = height * rows + KEY_HEIGHT * line
            key.append(
                f"<rect x='{x}' y='{y + 6}' width='12' height='12' fill='{colour}'/>"
                f"<text x='{x + 16}' y='{y + 16}' font-size='12' "
                f"font-family='sans-serif'>{escape(name)}</text>"
            )
        return SVG(
            "<?xml version='1.0' encoding='utf-8'?>\n"
            f"<svg xmlns='http://www.w3.org/2000/svg' version='1.1' width='{total_width}px' "
            f"height='{total_height}px' viewBox='0 0 {total_width} {total_height}'>"
            f"<rect width='{total_width}' height='{total_height}' fill='white'/>"
            f"{panels}{''.join(key)}</svg>"
        )

    def _repr_svg_(self) -> str:
        return str(self.to_svg())

    def to_mols2grid(self, **options):
        """An interactive, searchable mols2grid view of the readable molecules.

        Needs the ``extras`` extra (``pip install 'imidchem[extras]'``); options go to
        ``mols2grid.display``.
        """
        try:
            import mols2grid
        except ImportError as error:
            raise MissingExtraError("the mols2grid view", "extras", str(error)) from error
        frame = self.to_frame()
        frame = frame[frame.error == ""]
        return mols2grid.display(frame, smiles_col="smiles", subset=["label", "img"], **options)

    def to_html(self) -> HTML:
        """The panels as inline-block HTML (wraps to the page width) with a colour key.

        Jupyter shows the grid as one SVG (``_repr_svg_``); this is for HTML pages.
        """
        cells = "".join(
            "<div style='display:inline-block;margin:2px;vertical-align:top'>"
            f"{_inner(item.svg, 0, 0)}</div>"
            for item in self.items
        )
        key = " ".join(
            f"<span style='background:{colour};padding:0 8px'>&nbsp;</span> {escape(name)}"
            for name, colour in self.key()
        )
        width = self.size[0] * self.columns + 8 * self.columns
        return HTML(f"<div style='max-width:{width}px'>{cells}<div>{key}</div></div>")


def structure_table(
    frame: pd.DataFrame,
    smiles_col: str = "smiles",
    columns: Sequence[str] | None = None,
    patterns: Sequence[str] | None = None,
    size: tuple[int, int] = (180, 130),
    float_format: str = "{:.3f}",
) -> HTML:
    """An HTML table of ``frame`` with a structure picture in the first column (what decides
    the cereblon call highlighted, or ``patterns``; one bond length for all rows).

    Rows whose SMILES cannot be read keep their place and show the reason instead of
    a picture. ``columns`` picks and orders the other columns (all by default).

    >>> table = structure_table(pd.DataFrame({"name": ["EM-12", "bad"],
    ...                                       "smiles": ["O=C1CCC(N2Cc3ccccc3C2=O)C(=O)N1", "C1CC"]}))
    >>> table.count("<tr>"), table.count("<svg"), "unclosed ring" in table
    (3, 1, True)
    """
    if not isinstance(frame, pd.DataFrame):
        raise InvalidArgumentError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    chosen = [c for c in frame.columns if c != smiles_col] if columns is None else list(columns)
    missing = [c for c in [smiles_col, *chosen] if c not in frame.columns]
    if missing:
        raise InvalidArgumentError(
            f"unknown column(s) {', '.join(map(repr, missing))}; "
            f"available: {', '.join(map(str, frame.columns))}"
        )
    draw_patterns = None if patterns is None else tuple(get_pattern(p).name for p in patterns)
    length = common_bond_length(
        [mol for mol in map(_readable, frame[smiles_col].tolist()) if mol is not None], size
    )

    def cell(value) -> str:
        if isinstance(value, float):
            return "" if pd.isna(value) else escape(float_format.format(value))
        return escape(str(value))

    head = "".join(f"<th>{escape(str(c))}</th>" for c in ["structure", *chosen])
    rows = []
    for _, row in frame.iterrows():
        item = _item(row[smiles_col], "", (), size, draw_patterns, length)
        picture = _inner(item.svg, 0, 0) if item.ok else f"<i>{escape(item.error)}</i>"
        rows.append(
            "<tr>"
            f"<td style='width:{size[0]}px'>{picture}</td>"
            + "".join(f"<td>{cell(row[c])}</td>" for c in chosen)
            + "</tr>"
        )
    return HTML(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
