"""The DataFrame rules shared by :func:`imidchem.assess`, :func:`imidchem.screen` and
:func:`imidchem.validate`: which column holds the molecules, and what counts as a table.

A column is found by its exact name, else case-insensitively (``SMILES``, ``Smiles``);
without a name, the column called ``smiles`` (any case) is used, else a column holding
RDKit Mols (a PandasTools ``ROMol`` column). A list or Series of SMILES strings or Mols
is a one-column table called ``smiles``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rdkit import Chem

from ..errors import InvalidArgumentError

if TYPE_CHECKING:
    import pandas as pd

SMILES_COLUMN_NAMES: tuple[str, ...] = ("smiles",)
"""Default names of the molecule column (compared case-insensitively)."""
ID_COLUMN_NAMES: tuple[str, ...] = ("id", "name")
"""Default names of the id column (compared case-insensitively)."""


def find_column(
    columns: list[str], wanted: str | None, defaults: tuple[str, ...], what: str, source: str
) -> int | None:
    """Position of the column ``wanted`` (exact, else case-insensitive), or of the first
    default name when ``wanted`` is None (None when no default is present).

    >>> find_column(["ID", "Smiles"], None, ("smiles",), "SMILES", "x.csv")
    1
    >>> find_column(["ID", "Smiles"], "structure", ("smiles",), "SMILES", "x.csv")
    Traceback (most recent call last):
    ...
    imidchem.errors.InvalidArgumentError: unknown SMILES column 'structure' in x.csv; available columns: ID, Smiles
    """
    lowered = [str(column).lower() for column in columns]
    if wanted is not None:
        if wanted in columns:
            return columns.index(wanted)
        if lowered.count(str(wanted).lower()) == 1:
            return lowered.index(str(wanted).lower())
        raise InvalidArgumentError(
            f"unknown {what} column {wanted!r} in {source}; "
            f"available columns: {', '.join(map(str, columns))}"
        )
    for name in defaults:
        if name in lowered:
            return lowered.index(name)
    return None


def _holds_mols(values: pd.Series) -> bool:

    present = values.dropna()
    return len(present) > 0 and isinstance(present.iloc[0], Chem.Mol)


def as_frame(data) -> pd.DataFrame:
    """``data`` as a DataFrame (not copied): a DataFrame as is, a Series or a list of
    SMILES/Mols as a ``smiles`` column (a Series keeps its index).

    >>> as_frame(["CCO", "c1ccccc1"]).columns.tolist()
    ['smiles']
    >>> as_frame("CCO")
    Traceback (most recent call last):
    ...
    imidchem.errors.InvalidArgumentError: expected a pandas DataFrame or a list of SMILES or Mols, got str
    """
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, pd.Series):
        return pd.DataFrame({"smiles": data})
    if isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        return pd.DataFrame({"smiles": list(data)})
    raise InvalidArgumentError(
        f"expected a pandas DataFrame or a list of SMILES or Mols, got {type(data).__name__}"
    )


def molecule_column(frame: pd.DataFrame, smiles_col: str | None = None) -> int:
    """Position of the molecule column of ``frame`` (see the module rules).

    >>> import pandas as pd
    >>> molecule_column(pd.DataFrame({"ID": [1], "SMILES": ["C"]}))
    1
    >>> molecule_column(pd.DataFrame({"name": ["x"]}))
    Traceback (most recent call last):
    ...
    imidchem.errors.InvalidArgumentError: no SMILES column in the DataFrame (none called 'smiles' ...): name it with smiles_col; available columns: name
    """
    columns = [str(column) for column in frame.columns]
    position = find_column(columns, smiles_col, SMILES_COLUMN_NAMES, "SMILES", "the DataFrame")
    if position is None:
        named = [i for i, c in enumerate(columns) if c.lower() in ("romol", "mol", "molecule")]
        others = [i for i in range(len(columns)) if i not in named]
        for candidate in named + others:
            if _holds_mols(frame.iloc[:, candidate]):
                return candidate
        raise InvalidArgumentError(
            "no SMILES column in the DataFrame (none called 'smiles' in any case, none of "
            f"RDKit Mols): name it with smiles_col; available columns: {', '.join(columns)}"
        )
    return position


def input_frame(data, smiles_col: str | None = None) -> tuple[pd.DataFrame, list]:
    """``(frame, the values of its molecule column)`` for any accepted input (not copied)."""
    frame = as_frame(data)
    return frame, frame.iloc[:, molecule_column(frame, smiles_col)].tolist()
