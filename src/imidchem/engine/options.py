"""The settings of one library screen, gathered once in a frozen :class:`ScreenOptions`.

The options are built once, from keyword arguments (:meth:`ScreenOptions.build`, what
:func:`imidchem.screen` does) or from the command line's arguments
(:meth:`ScreenOptions.from_args`), checked there, and carried unchanged to every
executor: the serial loop, the process pool and Dask workers receive the same object
(it pickles; a ``distributed.Client`` given as the scheduler stays behind).

>>> options = ScreenOptions.build(max_atoms=200, three_d=True)
>>> options.limits.max_atoms, options.structure, options.three_d
(200, '5fqd', True)
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
from dataclasses import dataclass

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
    resume: bool = False
    quiet: bool = False
    overwrite: bool = True
    limits: Limits = DEFAULT_LIMITS
    escape_formulas: bool = False
    structure: str | None = None

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
        return cls(
            limits=limits, structure=chosen, references=reference_names(references), **settings
        )

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> ScreenOptions:
        """The options of ``imidchem screen``'s parsed arguments (``--force`` is ``overwrite``)."""
        values = {name: getattr(args, name) for name in KEYWORDS if hasattr(args, name)}
        values["overwrite"] = bool(getattr(args, "force", False))
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
        return settings


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

