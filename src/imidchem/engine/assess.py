"""The evidence columns of a DataFrame or a list of molecules: the screen engine, in memory.

:func:`assess` and :func:`imidchem.screen` are one path: the records go through
:func:`imidchem.engine.screen.screen_chunk`, with the same per-record limits
(:mod:`imidchem.engine.budget`), the same batches and the same rows, so a hostile record
(200 fragments, 60,000 atoms, a SMILES that runs for minutes) is an error row in both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .. import defaults
from ..evidence import schema
from ..evidence.frames import as_frame
from .options import ScreenOptions

if TYPE_CHECKING:
    import pandas as pd


def assess(
    data: pd.DataFrame | Sequence | None = None,
    smiles_col: str | None = None,
    three_d: bool = False,
    structure: str = defaults.STRUCTURE,
    fit_all: bool = False,
    neo: bool = False,
) -> pd.DataFrame:
    """The evidence columns of :mod:`imidchem.evidence.schema` for every row (the reference
    set by default): the in-memory path of the screen engine, with its rules and limits.

    ``data`` is a DataFrame, or a list (or Series) of SMILES strings or RDKit Mols. The
    SMILES column is ``smiles_col``, else a column called ``smiles`` in any case, else a
    column of RDKit Mols (a PandasTools ``ROMol`` column works as is; Mols go through the
    engine as their SMILES). DataFrame in, DataFrame out: same rows, order and index, the
    input's columns followed by :data:`~imidchem.evidence.schema.COLUMNS` with their schema
    dtypes; the caller's frame is not modified. A row whose molecule cannot be read, or
    that is over a per-record limit of :mod:`imidchem.engine.budget`, keeps its place with
    ``status='error'`` and the reason in ``error``; every other row is computed.

    >>> import pandas as pd
    >>> table = assess(pd.DataFrame({"SMILES": ["O=C1CCC(N2Cc3ccccc3C2=O)C(=O)N1", "C1CC"]}))
    >>> table[["status", "crbn_level", "verdict"]].values.tolist()
    [['ok', 1, 'IMiD-like cereblon binder'], ['error', <NA>, '']]
    >>> table.loc[1, "error"]
    "invalid SMILES 'C1CC': unclosed ring"
    >>> assess(["c1ccccc1"])[["smiles", "crbn_level"]].values.tolist()
    [['c1ccccc1', 4]]
    >>> assess(["C." * 200 + "C"]).loc[0, "error"]
    '201 dot-separated parts, over the limit of 100 (max_fragments, --max-fragments)'

    With ``three_d=True`` the optional 3-D group
    (:data:`~imidchem.evidence.schema.POCKET_COLUMNS`) follows, from
    :func:`imidchem.pocket_fit` in ``structure`` (about a second per molecule), for the
    molecules the pose can anchor (an N-H cyclic imide or N-H ring lactam); the others get
    ``pocket_status="skipped"`` with the reason and no score, unless ``fit_all=True``:

    >>> t = assess(["Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O", "C1CC", "c1ccccc1O"], three_d=True)
    >>> t[["pocket_status", "pocket_fit", "pocket_hbonds"]].values.tolist()
    [['ok', True, 3], ['error', <NA>, <NA>], ['skipped', <NA>, <NA>]]

    With ``neo=True`` the neosubstrate group (:data:`~imidchem.evidence.schema.NEO_COLUMNS`,
    :func:`imidchem.neosubstrates` per row) follows:

    >>> t = assess(["Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O", "c1ccccc1"], neo=True)
    >>> t[["neo_GSPT1", "neo_IKZF2"]].values.tolist()
    [['reported', 'possible'], ['no cereblon binding', 'no cereblon binding']]
    """
    from .screen import run_screen

    if data is None:
        from ..data.reference import load_reference

        data = load_reference()
    frame = as_frame(data)
    options = ScreenOptions.build(
        smiles_col=smiles_col, quiet=True, three_d=three_d, structure=structure,
        fit_all=fit_all, neo=neo,
    )
    _, result = run_screen(frame, None, options)
    out = frame.copy()
    for name in options.computed_columns[len(schema.RECORD_COLUMNS) :]:
        out[name] = result[name]
    return out


def verdict_table(data: pd.DataFrame | None = None, smiles_col: str | None = None) -> pd.DataFrame:
    """The compact verdict table of the reference set (or any frame with a name column).

    >>> table = verdict_table()
    >>> table.set_index("name").loc["apremilast", "verdict"]
    'not a cereblon binder'
    """
    frame = assess(data, smiles_col=smiles_col)
    columns = [c for c in schema.REFERENCE_COLUMNS if c in frame.columns]
    columns += schema.VERDICT_TABLE_COLUMNS
    return frame[columns]
