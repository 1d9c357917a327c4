"""The evidence schema: every per-molecule column imidchem writes, once, with its dtype.

:func:`imidchem.assess`, :func:`imidchem.screen` (DataFrame, CSV, Parquet, Dask),
:func:`imidchem.validate`, the report, the command line and the notebooks all take their
columns from here, so a column has one name, one place and one dtype everywhere.

Values that do not exist on a row whose molecule could not be read (``status='error'``)
are ``NaN`` for floats, ``<NA>`` for the nullable booleans and integers, and the empty
string for text.

>>> [column.name for column in SCHEMA][:4]
['status', 'error', 'smiles_std', 'sim_thalidomide']
>>> DTYPES["crbn_level"], DTYPES["crbn_pharmacophore"], DTYPES["verdict"]
('Int64', 'boolean', 'object')
>>> frame = to_frame([ok_row("C", {"sim_thalidomide": 0.1, "nearest_reference": "glutarimide",
...     "nearest_similarity": 0.2, "has_isoindoline": False, "has_glutarimide": False,
...     "glutarimide_nh": False, "crbn_pharmacophore": False, "crbn_level": 4,
...     "chemotype": "none", "verdict": "v", "reason": "r", "crbn_score": 0.125}),
...     error_row("bad")])
>>> frame.dtypes.astype(str).tolist() == [DTYPES[name] for name in COLUMNS]
True
>>> frame.loc[1, ["status", "error", "verdict"]].tolist(), frame.loc[1, "crbn_level"]
(['error', 'bad', ''], <NA>)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Column:
    """One column of the evidence schema: name, pandas dtype and meaning."""

    name: str
    dtype: str
    description: str
    short: str = ""  # display label where the name does not fit (a narrow terminal)

    @property
    def label(self) -> str:
        """The short display label (the name itself when it is short already)."""
        return self.short or self.name

    @property
    def missing(self):
        """The value of this column in the row tuple of an error row (None or "")."""
        return _MISSING[self.dtype]


# in a row tuple a missing number is None (written as an empty CSV field; NaN in a frame)
_MISSING = {"object": "", "float64": None, "boolean": None, "Int64": None}

SCHEMA: tuple[Column, ...] = (
    Column("status", "object", '"ok", or "error" when the molecule could not be read'),
    Column("error", "object", 'why the molecule could not be read ("" when ok)'),
    Column("smiles_std", "object", "canonical SMILES of the standardised parent molecule"),
    Column("sim_thalidomide", "float64", "Tanimoto to thalidomide (Morgan radius 2, 2048 bits)",
           "sim_thal"),
    Column("nearest_reference", "object", "most similar compound of the reference set", "nearest"),
    Column("nearest_similarity", "float64", "Tanimoto to that nearest reference", "nearest_sim"),
    Column("has_isoindoline", "boolean", "carries thalidomide's isoindoline (phthalimide) half",
           "isoindoline"),
    Column("has_glutarimide", "boolean", "carries a glutarimide ring (any substitution)",
           "glutarimide"),
    Column("glutarimide_nh", "boolean", "the glutarimide nitrogen carries its N-H", "nh"),
    Column("crbn_pharmacophore", "boolean", "carries the cereblon-binding cyclic imide motif",
           "motif"),
    Column("crbn_level", "Int64", "graded cereblon call, 1 (IMiD-like binder) to 4 (not a binder)",
           "level"),
    Column("chemotype", "object", "the chemotype behind the call"),
    Column("verdict", "object", "the call in words"),
    Column("reason", "object", "one sentence: why this call"),
    Column(
        "crbn_score",
        "float64",
        "ranked cereblon score 0-1: from the level alone (ordered as the level), refined by "
        "the pocket fit with --3d (imidchem.evidence.score)",
    ),
)
"""Every per-molecule column, in output order."""

POCKET_SCHEMA: tuple[Column, ...] = (
    Column(
        "pocket_status",
        "object",
        '3-D: "ok"; "error" when no pose could be made; "skipped" when nothing can anchor '
        "(fit_all / --3d-all fits it anyway)",
    ),
    Column(
        "pocket_score",
        "float64",
        "3-D: pocket score 0-1 (imide, H-bonds, cage contact, shape, colour)",
    ),
    Column("imide_rmsd", "float64", "3-D: cyclic imide vs crystal glutarimide, A (NaN: no imide)"),
    Column("pocket_fit", "boolean", "3-D: the imide sits in the tri-Trp cage without clashes"),
    Column("pocket_hbonds", "Int64", "3-D: canonical glutarimide H-bonds made"),
    Column("pocket_clashes", "Int64", "3-D: heavy-atom clashes with the pocket"),
    Column(
        "pocket_enantiomer",
        "object",
        '3-D: configuration of the imide ring\'s stereocentre in the pose ("S", "R"; "" none); '
        "an undefined centre is placed both ways and the better reported",
    ),
    Column(
        "pocket_score_spread",
        "float64",
        "3-D: range of the pocket score over refined starts within 1 energy unit of the pose",
    ),
    Column("pocket_reason", "object", "3-D: one sentence, or why no pose could be made"),
)
"""The optional 3-D group (``three_d=True`` / ``--3d``), after :data:`SCHEMA`'s columns; see
:func:`imidchem.pocket_fit` and docs/pocket.md."""

POCKET_COLUMNS: tuple[str, ...] = tuple(column.name for column in POCKET_SCHEMA)
"""Names of :data:`POCKET_SCHEMA`, in order."""


def _neo_schema() -> tuple[Column, ...]:
    from ..data.neosubstrates import NEOSUBSTRATES  # the gene catalogue (no RDKit import)

    calls = '"reported", "expected", "possible", "not expected" or "no cereblon binding"'
    return (
        *(
            Column(f"neo_{gene}", "object", f"neosubstrate call for {gene} ({n.protein}): {calls}")
            for gene, n in NEOSUBSTRATES.items()
        ),
        Column("neo_reason", "object", "the exposed face and the nearest precedent, or why none"),
    )


NEO_SCHEMA: tuple[Column, ...] = _neo_schema()
"""The optional neosubstrate group (``neo=True`` / ``--neo``): one ``neo_<HGNC symbol>``
column per gene of :data:`imidchem.NEOSUBSTRATES`, then ``neo_reason``; see
:func:`imidchem.neosubstrates` and docs/neosubstrates.md.

>>> [c.name for c in NEO_SCHEMA][:3], NEO_SCHEMA[-1].name
(['neo_IKZF1', 'neo_IKZF3', 'neo_IKZF2'], 'neo_reason')
"""

NEO_COLUMNS: tuple[str, ...] = tuple(column.name for column in NEO_SCHEMA)
"""Names of :data:`NEO_SCHEMA`, in order."""

COLUMNS: tuple[str, ...] = tuple(column.name for column in SCHEMA)
"""Names of :data:`SCHEMA`, in order: the columns :func:`imidchem.assess` adds."""

EVIDENCE_COLUMNS: tuple[str, ...] = COLUMNS[3:]
"""The computed evidence (``sim_thalidomide`` to ``reason``): the keys of
:func:`imidchem.evidence.verdict.quick_evidence`."""

REFERENCE_COLUMNS: tuple[str, ...] = ("name", "class", "crbn_binder")
"""Identity and label columns of the reference set, shown first where a frame has them."""

VERDICT_TABLE_COLUMNS: tuple[str, ...] = (
    "sim_thalidomide",
    "has_isoindoline",
    "has_glutarimide",
    "crbn_pharmacophore",
    "crbn_level",
    "crbn_score",
    "chemotype",
    "verdict",
    "reason",
    "status",
)
"""The evidence columns of the compact verdict table (``imidchem table``, the report)."""

REPORT_TABLE_COLUMNS: tuple[str, ...] = (
    "crbn_level",
    "crbn_score",
    "verdict",
    "chemotype",
    "reason",
    "sim_thalidomide",
    "nearest_reference",
    "nearest_similarity",
    "has_isoindoline",
    "has_glutarimide",
    "glutarimide_nh",
    "crbn_pharmacophore",
    "pocket_status",
    "pocket_fit",
    "pocket_score",
    "imide_rmsd",
    "pocket_hbonds",
    "pocket_clashes",
    "pocket_enantiomer",
    "pocket_reason",
    "error",
)
"""The evidence columns of the report's compound table, in order (those a frame has),
after the ``structure`` picture and the compound's name or id."""

RECORD_COLUMNS: tuple[str, ...] = ("id", "smiles")
"""Columns a screen writes before :data:`COLUMNS`: the record's id and its SMILES as given."""

OUTPUT_COLUMNS: tuple[str, ...] = (*RECORD_COLUMNS, *COLUMNS)
"""The columns of a screen's output (file or DataFrame), in order."""

DTYPES: dict[str, str] = {
    "id": "object",
    "smiles": "object",
    **{column.name: column.dtype for column in SCHEMA},
    **{column.name: column.dtype for column in POCKET_SCHEMA},
    **{column.name: column.dtype for column in NEO_SCHEMA},
}
"""pandas dtype of every output column."""

FLOAT_COLUMNS = tuple(name for name in COLUMNS if DTYPES[name] == "float64")
BOOL_COLUMNS = tuple(name for name in COLUMNS if DTYPES[name] == "boolean")
INT_COLUMNS = tuple(name for name in COLUMNS if DTYPES[name] == "Int64")
TEXT_COLUMNS = tuple(name for name in OUTPUT_COLUMNS if DTYPES[name] == "object")

STATUS = OUTPUT_COLUMNS.index("status")
"""Position of ``status`` in an output row (a tuple in :data:`OUTPUT_COLUMNS` order)."""
CRBN_PHARMACOPHORE = OUTPUT_COLUMNS.index("crbn_pharmacophore")
"""Position of ``crbn_pharmacophore`` in an output row."""

ERROR_EVIDENCE: tuple = tuple(_MISSING[DTYPES[name]] for name in EVIDENCE_COLUMNS)
"""The evidence values of an error row, in :data:`EVIDENCE_COLUMNS` order."""


def ok_row(smiles_std: str, evidence: Mapping) -> tuple:
    """The :data:`COLUMNS` values of a molecule that was read: ``evidence`` holds
    :data:`EVIDENCE_COLUMNS`."""
    return ("ok", "", smiles_std, *(evidence[name] for name in EVIDENCE_COLUMNS))


def ok_values_row(smiles_std: str, values: Sequence) -> tuple:
    """:func:`ok_row` from the evidence values in :data:`EVIDENCE_COLUMNS` order (no dict)."""
    return ("ok", "", smiles_std, *values)


def error_row(message: str) -> tuple:
    """The :data:`COLUMNS` values of a record that could not be read."""
    return ("error", message, "", *ERROR_EVIDENCE)


def apply_dtypes(frame: pd.DataFrame, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """Give the schema columns of ``frame`` their dtypes (in place; returns ``frame``).

    Works on computed values and on text read back from a CSV file (``""`` is missing,
    ``"True"``/``"False"`` are booleans). Text columns get ``""`` for missing values.

    >>> import pandas as pd
    >>> back = pd.DataFrame({"crbn_level": ["1", ""], "glutarimide_nh": ["True", ""],
    ...                      "sim_thalidomide": ["0.5", ""], "verdict": ["v", None]})
    >>> typed = apply_dtypes(back)
    >>> typed.dtypes.astype(str).tolist(), typed["crbn_level"].tolist()
    (['Int64', 'boolean', 'float64', 'object'], [1, <NA>])
    """
    import pandas as pd

    for name in columns if columns is not None else frame.columns:
        dtype = DTYPES.get(name)
        if dtype is None or name not in frame.columns:
            continue
        values = frame[name].astype(object)
        present = values.notna() & values.ne("")
        if dtype == "object":
            frame[name] = values.where(values.notna(), "")
        elif dtype == "boolean":
            frame[name] = values.where(present, None).map(_as_bool).astype("boolean")
        else:
            numbers = pd.to_numeric(values.where(present, None))
            frame[name] = numbers.astype(dtype)
    return frame


def _as_bool(value):
    if value is None:
        return None
    if isinstance(value, str):
        return {"true": True, "false": False}[value.strip().lower()]
    return bool(value)


def to_frame(
    rows: Sequence[tuple] | dict[str, list],
    columns: Sequence[str] = COLUMNS,
    index=None,
) -> pd.DataFrame:
    """A typed DataFrame from rows (tuples in ``columns`` order) or a dict of lists."""
    import pandas as pd

    if isinstance(rows, dict):
        data = {name: rows[name] for name in columns}
    else:
        transposed = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
        data = {name: list(values) for name, values in zip(columns, transposed, strict=True)}
    frame = pd.DataFrame(data, columns=list(columns))
    if index is not None:
        frame.index = index
    return apply_dtypes(frame, columns)


def arrow_schema(columns: Sequence[str] = OUTPUT_COLUMNS):
    """The Arrow schema of ``columns`` (pyarrow is imported on first use)."""
    from ..errors import MissingExtraError

    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pyarrow is in the test environment
        raise MissingExtraError("Parquet files", "parquet") from None
    types = {"float64": pa.float64(), "boolean": pa.bool_(), "Int64": pa.int64()}
    # a column that is not the schema's (an input column kept by the screen) is text
    return pa.schema([(name, types.get(DTYPES.get(name, ""), pa.string())) for name in columns])


POCKET_ERROR: tuple = tuple(_MISSING[c.dtype] for c in POCKET_SCHEMA)
"""The 3-D values of a row without a molecule (status 'error')."""

NEO_ERROR: tuple = tuple(_MISSING[c.dtype] for c in NEO_SCHEMA)
"""The neosubstrate values of a row without a molecule (status 'error')."""

EXPLAIN_SCHEMA: tuple[Column, ...] = (
    Column("query", "object", "the compound as given (name, SMILES, InChI, InChIKey)"),
    Column("name", "object", "reference name (empty when not a reference compound)"),
    Column("inchikey", "object", "standard InChIKey of smiles_std"),
    Column("background_percentile", "float64",
           "% of NCI background compounds less similar to the compound than thalidomide is",
           "NCI_pct"),
    Column("background_size", "Int64", "NCI background compounds behind that percentile"),
    Column("mcs_atoms", "Int64", "atoms of the maximum common substructure with thalidomide"),
    Column("mcs_fraction", "float64", "mcs_atoms as a share of thalidomide's heavy atoms"),
    Column("reference_atoms", "Int64", "heavy atoms of thalidomide"),
    Column("shares", "object", "which halves of thalidomide the compound shares, in words"),
    Column("pocket", "object", "the 3-D pocket fit (JSON: an object with the fields below)"),
    Column("statistics", "object", "similarity statistics, one record per fingerprint"),
    Column("neosubstrates", "object", "the neosubstrate profile (imidchem.neosubstrates)"),
)
"""The fields of an evidence record (:class:`imidchem.Evidence`, ``explain --format json``)
beyond :data:`SCHEMA`'s columns."""

POCKET_DETAIL_SCHEMA: tuple[Column, ...] = (
    Column("smiles", "object", "the SMILES as given (a record); canonical SMILES placed (pocket)"),
    Column("structure", "object", "PDB ID of the cereblon pocket"),
    Column("crystal_ligand", "object", "the ligand of that PDB entry"),
    Column("shape", "float64", "shape Tanimoto with the crystal ligand"),
    Column("colour", "float64", "colour (pharmacophore) Tanimoto with the crystal ligand"),
    Column("shape_coverage", "float64", "share of the crystal ligand's volume overlapped"),
    Column("colour_coverage", "float64", "share of the crystal ligand's colour features overlapped"),
    Column("cage_contact", "float64", "share of the tri-Trp cage atoms touched, of the crystal's"),
    Column("closest_contact", "float64", "shortest ligand-pocket heavy-atom distance, A"),
    Column("closest_pair", "object", "the atom pair at that distance"),
    Column("clash_overlap", "float64", "van der Waals overlap counted as a clash, A"),
    Column("clash_cutoff_hbond", "float64", "donor-acceptor distance counted as a clash, A"),
    Column("hbonds", "object", "the canonical H-bonds, made or missed (a list)"),
    Column("role", "object", "an H-bond's role: imide N-H, C2=O, C6=O"),
    Column("residue", "object", "a residue, His378 style (the entry's numbering)"),
    Column("atom", "object", "a protein atom name"),
    Column("distance", "float64", "heavy-atom distance, A"),
    Column("crystal_distance", "float64", "the same distance in the crystal structure, A"),
    Column("made", "boolean", "the H-bond is made (within 3.5 A)"),
    Column("anchor", "object", "how the pose was placed"),
    Column("energy", "float64", "interaction energy of the pose, kcal/mol (Vina terms)"),
    Column("seconds", "float64", "CPU seconds of the fit"),
    Column("stereo", "object", '"given" or "enumerated": the anchored ring\'s stereocentre'),
    Column("other_forms", "object", "the other stereo forms placed, with their scores (a list)"),
    Column("enantiomer", "object", "CIP label of a stereo form at the anchored ring's centre"),
    Column("exit_vectors", "object", "per attachment point (*), where it leaves the pose"),
    Column("label", "object", "an attachment point as written (*, [*:1])"),
    Column("element", "object", "element of the atom that carries it"),
    Column("origin", "object", "that atom's coordinates, PDB frame, A"),
    Column("direction", "object", "unit vector of the exit, PDB frame"),
    Column("clear", "float64", "A along the exit before a pocket atom is within 3 A"),
    Column("open", "boolean", "at least 6 A clear: the exit leaves the pocket"),
)
"""The fields of a pocket fit's record (:meth:`imidchem.PocketFit.as_dict`, ``pocket
--format json``) beyond :data:`POCKET_SCHEMA`'s columns."""

STATISTICS_SCHEMA: tuple[Column, ...] = (
    Column("fingerprint", "object", "the fingerprint", "fp"),
    Column("similarity", "float64", "Tanimoto to thalidomide", "sim"),
    Column("background_n", "Int64", "NCI background compounds"),
    Column("background_median", "float64", "median Tanimoto of the background to the compound"),
    Column("background_percentile", "float64",
           "% of NCI background compounds less similar to the compound than thalidomide is",
           "NCI_pct"),
    Column("background_pvalue", "float64", "share of NCI compounds at least as similar (+1)",
           "NCI_p"),
    Column("reference_percentile", "float64",
           "% of NCI compounds less similar to thalidomide than the compound is", "ref_pct"),
    Column("reference_pvalue", "float64", "the p-value of reference_percentile", "ref_p"),
    Column("class_n", "Int64", "IMiD/CELMoD class members"),
    Column("class_min", "float64", "lowest Tanimoto to thalidomide in the class", "cls_min"),
    Column("class_median", "float64", "median Tanimoto to thalidomide in the class", "cls_med"),
    Column("class_max", "float64", "highest Tanimoto to thalidomide in the class", "cls_max"),
    Column("class_below", "Int64", "class members at most as similar as the compound",
           "cls_below"),
    Column("class_below_names", "object", "their names"),
    Column("class_pvalue", "float64", "share of the class at most as similar"),
    Column("below_class", "boolean", "less similar than every class member"),
    Column("phthalimide_n", "Int64", "NCI phthalimides without a glutarimide"),
    Column("phthalimide_median", "float64", "their median Tanimoto to thalidomide"),
    Column("phthalimide_percentile", "float64", "the compound's percentile among them"),
    Column("phthalimide_below", "object", "phthalimides at most as similar (of all)",
           "phth_below"),
    Column("comparator_similarity", "float64", "aspirin's Tanimoto to thalidomide", "aspirin"),
    Column("rank", "Int64", "rank of a nearest reference compound"),
)
"""The columns of :func:`imidchem.similarity_statistics` and of the nearest references
(``explain``'s statistics block, the report, JSON)."""

NEO_DETAIL_SCHEMA: tuple[Column, ...] = tuple(
    Column(name, "object", f"neosubstrate profile field ({name.replace('_', ' ')}); see "
           "imidchem.neosubstrates and docs/neosubstrates.md")
    for name in ("compound", "calls", "reasons", "caveat", "excluded", "exposed_face", "face",
                 "group", "kind", "outcomes", "position", "precedents", "site", "sources",
                 "substituents", "via_methylene")
)
"""The fields of a neosubstrate profile's record (``neosubstrates --format json``, the
``neosubstrates`` object of ``explain --format json``); its ``calls`` and ``reasons`` are keyed
by the HGNC symbols of :data:`NEO_SCHEMA` (``neo_<symbol>``)."""

DISPLAY_COLUMNS: tuple[Column, ...] = (
    Column("depiction", "object", "the structure drawn (the report's first column)"),
    Column("row", "object", "row number in the input (when it has no name column)"),
)
"""Columns only the report shows."""

RENAMED_JSON_KEYS: Mapping[str, Mapping[str, str]] = {
    "evidence": {"smiles": "smiles_std"},
    "pocket": {
        "status": "pocket_status",
        "reason": "pocket_reason",
        "fits": "pocket_fit",
        "clash_count": "pocket_clashes",
    },
}
"""Keys the JSON of ``explain`` (``evidence``: the record; ``pocket``: its pocket object and
``imidchem pocket``) had before the one vocabulary -> their schema names. For one version the
JSON also carries each old key, a copy of the new one, and lists them under
``deprecated_keys`` (old -> new); the command line says so on standard error."""

VOCABULARY: frozenset[str] = frozenset(
    name
    for column in (*SCHEMA, *POCKET_SCHEMA, *NEO_SCHEMA, *EXPLAIN_SCHEMA, *POCKET_DETAIL_SCHEMA,
                   *STATISTICS_SCHEMA, *NEO_DETAIL_SCHEMA, *DISPLAY_COLUMNS)  # fmt: skip
    for name in (column.name, column.label)
) | frozenset((*REFERENCE_COLUMNS, *RECORD_COLUMNS, "class", "crbn_binder", "deprecated_keys"))
"""Every name imidchem writes in a table header, a JSON key or a text label: the schema's
names and their short labels (a test checks the command line, JSON, CSV and the report)."""

_LABELS = {
    column.name: column.label
    for column in (*SCHEMA, *POCKET_SCHEMA, *EXPLAIN_SCHEMA, *STATISTICS_SCHEMA)
}


def short_label(name: str) -> str:
    """The short display label of a column, for a narrow terminal (the name when it has none).

    >>> short_label("crbn_pharmacophore"), short_label("verdict")
    ('motif', 'verdict')
    """
    return _LABELS.get(name, name)


def schema_table(three_d: bool = False, neo: bool = False) -> pd.DataFrame:
    """The schema as a table: column, dtype, meaning (with the 3-D group if ``three_d``).

    >>> schema_table().set_index("column").loc["crbn_level", "dtype"]
    'Int64'
    >>> schema_table(three_d=True)["column"].tolist()[-3:]
    ['pocket_enantiomer', 'pocket_score_spread', 'pocket_reason']
    """
    import pandas as pd

    return pd.DataFrame(
        [
            (c.name, c.dtype, c.description)
            for c in SCHEMA + (POCKET_SCHEMA if three_d else ()) + (NEO_SCHEMA if neo else ())
        ],
        columns=["column", "dtype", "description"],
    )
