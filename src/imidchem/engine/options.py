"""The settings of one library screen, gathered once in a frozen :class:`ScreenOptions`.

The options are built once, from keyword arguments (:meth:`ScreenOptions.build`, what
:func:`imidchem.screen` does) or from the command line's arguments
(:meth:`ScreenOptions.from_args`), checked there, and carried unchanged to every
executor: the serial loop, the process pool and Dask workers receive the same object
(it pickles; a ``distributed.Client`` given as the scheduler stays behind).

>>> options = ScreenOptions.build(max_atoms=200, three_d=True)
>>> options.limits.max_atoms, options.structure, options.three_d, options.chunk_size
(200, '5fqd', True, 8)
>>> ScreenOptions.build().chunk_size
2000
>>> ScreenOptions.build().structure is None
True
>>> ScreenOptions.build(workers=0)
Traceback (most recent call last):
...
imidchem.errors.InvalidArgumentError: workers must be a whole number of at least 1, got 0
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .. import defaults
from ..errors import InvalidArgumentError
from .budget import DEFAULT_LIMITS, Limits

KEYWORDS: tuple[str, ...] = (
    "smiles_col",
    "id_col",
    "references",
    "workers",
    "scheduler",
    "chunk_size",
    "resume",
    "quiet",
    "overwrite",
    "max_chars",
    "max_fragments",
    "max_atoms",
    "max_seconds",
    "escape_formulas",
    "three_d",
    "structure",
    "keep_input",
    "columns",
    "neo",
    "fit_all",
)
"""The keyword arguments of :func:`imidchem.screen` (and of :meth:`ScreenOptions.build`)."""


@dataclass(frozen=True)
class ScreenOptions:
    """Everything a screen needs besides its input and output, checked.

    ``structure`` is the PDB id of the 3-D group's structure, or None for no 3-D group
    (the keyword ``three_d`` of :func:`imidchem.screen` sets it).
    """

    smiles_col: str | None = None
    id_col: str | None = None
    references: tuple[str, ...] | None = None
    workers: int = defaults.WORKERS
    scheduler: object = None
    chunk_size: int = defaults.CHUNK_SIZE
    """Records per chunk; :meth:`build` without one: :data:`imidchem.defaults.CHUNK_SIZE`,
    or :data:`imidchem.defaults.CHUNK_SIZE_3D` with the 3-D group."""
    resume: bool = False
    quiet: bool = False
    overwrite: bool = True
    limits: Limits = DEFAULT_LIMITS
    escape_formulas: bool = False
    structure: str | None = None
    fit_all: bool = False
    """With the 3-D group: fit every molecule, not only those the pose can anchor."""
    keep_input: bool = True
    columns: tuple[str, ...] | None = None
    """The schema columns asked for (None: all); ``id`` and ``status`` are always written."""
    input_columns: tuple[str, ...] = ()
    """The input's own columns that follow (their output names), set once the input is
    open (:meth:`with_input`)."""
    neo: bool = False
    """Add the neosubstrate group (:data:`imidchem.evidence.schema.NEO_COLUMNS`)."""

    def __post_init__(self) -> None:
        _positive(self.workers, "workers")
        _positive(self.chunk_size, "chunk size")
        if self.scheduler is not None and self.workers > 1:
            raise InvalidArgumentError("use either workers (local processes) or a Dask scheduler")
        if not isinstance(self.limits, Limits):
            raise InvalidArgumentError(f"limits must be a Limits, got {type(self.limits).__name__}")

    def __getstate__(self) -> dict:
        # what travels to the workers: a Client (a live connection) stays behind
        state = dict(self.__dict__)
        state["scheduler"] = None
        return state

    @property
    def three_d(self) -> bool:
        """Whether the 3-D group is computed."""
        return self.structure is not None

    @property
    def computed_columns(self) -> tuple[str, ...]:
        """Every schema column of this screen (:data:`~imidchem.evidence.schema.OUTPUT_COLUMNS`
        and the 3-D group with a structure, the neosubstrate group with ``neo``), in schema
        order."""
        from ..evidence import schema

        columns = schema.OUTPUT_COLUMNS
        if self.structure is not None:
            columns = columns + schema.POCKET_COLUMNS
        if self.neo:
            columns = columns + schema.NEO_COLUMNS
        return columns

    @property
    def schema_columns(self) -> tuple[str, ...]:
        """The schema columns written: those asked for (with ``id`` and ``status``), in
        schema order."""
        if self.columns is None:
            return self.computed_columns
        wanted = {*ALWAYS, *self.columns}
        return tuple(name for name in self.computed_columns if name in wanted)

    @property
    def output_columns(self) -> tuple[str, ...]:
        """Every column written: :attr:`schema_columns`, then :attr:`input_columns`."""
        return self.schema_columns + self.input_columns

    @property
    def canonical(self) -> bool:
        """Whether the canonical SMILES is needed (asked for, or for the 3-D or the
        neosubstrate group)."""
        return self.structure is not None or self.neo or "smiles_std" in self.schema_columns

    def with_input(self, names: Sequence[str]) -> ScreenOptions:
        """These options with the input's columns ``names`` kept (renamed by
        :func:`input_names`); unchanged without ``keep_input``."""
        if not self.keep_input or not names:
            return self
        return replace(self, input_columns=input_names(names, self.schema_columns))

    @classmethod
    def build(
        cls,
        *,
        max_chars: int | None = None,
        max_fragments: int | None = None,
        max_atoms: int | None = None,
        max_seconds: float | None = None,
        three_d: bool = False,
        structure: str | None = None,
        references: str | Sequence[str] | None = None,
        **settings,
    ) -> ScreenOptions:
        """The options of :func:`imidchem.screen`'s keyword arguments (None: the default).

        >>> ScreenOptions.build(references="thalidomide, lenalidomide").references
        ('thalidomide', 'lenalidomide')
        >>> ScreenOptions.build(colour="red")
        Traceback (most recent call last):
        ...
        imidchem.errors.InvalidArgumentError: unknown screen option 'colour'; allowed: smiles_col, ...
        """
        unknown = sorted(set(settings) - set(KEYWORDS))
        if unknown:
            raise InvalidArgumentError(
                f"unknown screen option {unknown[0]!r}; allowed: {', '.join(KEYWORDS)}"
            )
        given = {
            "max_chars": max_chars,
            "max_fragments": max_fragments,
            "max_atoms": max_atoms,
            "max_seconds": max_seconds,
        }
        limits = Limits(**{name: value for name, value in given.items() if value is not None})
        chosen = None
        if three_d:
            from ..chem.pocket.structures import check_structure_id

            chosen = check_structure_id(structure or defaults.STRUCTURE)
        settings = {name: value for name, value in settings.items() if value is not None}
        if "chunk_size" not in settings and chosen is not None:
            settings["chunk_size"] = defaults.CHUNK_SIZE_3D  # chunks follow the cost of a record
        if "columns" in settings:
            settings["columns"] = column_names(
                settings["columns"], chosen is not None, bool(settings.get("neo"))
            )
        return cls(
            limits=limits, structure=chosen, references=reference_names(references), **settings
        )

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> ScreenOptions:
        """The options of ``imidchem screen``'s parsed arguments (``--force`` is ``overwrite``)."""
        values = {name: getattr(args, name) for name in KEYWORDS if hasattr(args, name)}
        values["overwrite"] = bool(getattr(args, "force", False))
        if getattr(args, "drop_input", False):
            values["keep_input"] = False
        if getattr(args, "three_d_all", False):
            values["three_d"] = values["fit_all"] = True
        return cls.build(**values)

    def journal_settings(self) -> dict:
        """What a resumed run must share with the run it continues (for the journal)."""
        settings = {
            "smiles_col": self.smiles_col,
            "id_col": self.id_col,
            "limits": self.limits.settings(),
            "escape_formulas": self.escape_formulas,
        }
        if self.structure is not None:
            settings["three_d"] = self.structure
            if self.fit_all:
                settings["fit_all"] = True
        if self.columns is not None:
            settings["columns"] = list(self.schema_columns)
        if self.input_columns:
            settings["input_columns"] = list(self.input_columns)
        if self.neo:
            settings["neo"] = True
        return settings


ALWAYS: tuple[str, ...] = ("id", "status")
"""Columns written whatever ``columns`` asks for."""

INPUT_PREFIX = "input_"
"""Put before an input column's name that is also a schema column's (repeated until free)."""


def input_names(names: Sequence[str], taken: Sequence[str]) -> tuple[str, ...]:
    """The output names of the input's own columns: a name that is a schema column (or
    one already given) gets :data:`INPUT_PREFIX` in front, as often as needed.

    >>> input_names(["name", "status", "IC50", "input_status"], ["id", "status"])
    ('name', 'input_status', 'IC50', 'input_input_status')
    """
    from ..evidence import schema

    used = {*schema.DTYPES, *taken}
    out = []
    for name in map(str, names):
        while name in used:
            name = INPUT_PREFIX + name
        used.add(name)
        out.append(name)
    return tuple(out)


def column_names(
    columns: str | Sequence[str], three_d: bool, neo: bool = False
) -> tuple[str, ...]:
    """The schema columns of a comma-separated list (or a sequence), checked.

    >>> column_names("sim_thalidomide, crbn_level", False)
    ('sim_thalidomide', 'crbn_level')
    >>> column_names("ic50", False)
    Traceback (most recent call last):
    ...
    imidchem.errors.InvalidArgumentError: unknown column 'ic50' in columns (--columns); allowed: id, smiles, status, ...
    """
    from ..evidence import schema

    if isinstance(columns, str):
        columns = columns.split(",")
    names = tuple(str(name).strip() for name in columns if str(name).strip())
    allowed = (
        schema.OUTPUT_COLUMNS
        + (schema.POCKET_COLUMNS if three_d else ())
        + (schema.NEO_COLUMNS if neo else ())
    )
    for name in names:
        if name not in allowed:
            hint = ""
            if name in schema.POCKET_COLUMNS:
                hint = " (the 3-D group needs --3d, three_d=True)"
            elif name in schema.NEO_COLUMNS:
                hint = " (the neosubstrate group needs --neo, neo=True)"
            raise InvalidArgumentError(
                f"unknown column {name!r} in columns (--columns){hint}; "
                f"allowed: {', '.join(allowed)}"
            )
    if not names:
        raise InvalidArgumentError("columns (--columns) names no column")
    return names


def _positive(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(f"{what} must be a whole number of at least 1, got {value!r}")
    return value


def reference_names(references: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """The reference names of a list or a comma-separated string, checked (None: all).

    >>> reference_names(" thalidomide,pomalidomide ")
    ('thalidomide', 'pomalidomide')
    """
    if references is None:
        return None
    if isinstance(references, str):
        references = references.split(",")
    names = tuple(name.strip() for name in references if name and name.strip())
    from ..evidence.verdict import reference_panel

    reference_panel(names)  # validates: unknown names raise with the known ones listed
    return names

