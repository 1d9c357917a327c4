"""DataFrames in and out of the screen: index, the caller's frame, its own columns, odd text."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from conftest import SCREEN_DATA, THALIDOMIDE

from imidchem import screen
from imidchem.engine.writers import COLUMNS


def test_dataframe_in_dataframe_out_keeps_index_and_leaves_input_alone():
    data = pd.DataFrame(
        {"name": ["thal", "bad", "pom"], "smiles": [THALIDOMIDE, "C1CC", None], "x": [1, 2, 3]},
        index=[10, 20, 30],
    )
    before = data.copy()
    frame = screen(data, quiet=True)
    pd.testing.assert_frame_equal(data, before)
    assert frame.index.tolist() == [10, 20, 30]
    assert frame["id"].tolist() == ["thal", "bad", "pom"]
    assert frame["status"].tolist() == ["ok", "error", "error"]
    assert frame.loc[30, "error"] == "missing SMILES (empty cell or None)"


def read_back(path: Path) -> pd.DataFrame:
    """An output file as pandas reads it (CSV columns as text)."""
    if path.name.endswith(".parquet"):
        return pd.read_parquet(path)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_the_input_columns_of_sdf_parquet_and_a_dataframe(tmp_path):
    sdf = screen(SCREEN_DATA / "library.sdf", quiet=True)
    fields = [c for c in sdf.columns if c not in COLUMNS]
    assert fields and fields[0] == "ID"
    parquet = screen(SCREEN_DATA / "library.parquet", quiet=True)
    assert parquet.columns.tolist() == [*COLUMNS, "compound", "note"]
    assert parquet["note"].tolist()[:3] == ["thalidomide", "null SMILES", "bad"]
    frame = pd.DataFrame(
        {"smiles": [THALIDOMIDE, "CCO"], "IC50": [0.5, None], "error": ["x", "y"]}, index=[7, 9]
    )
    result = screen(frame, quiet=True)
    assert result.columns.tolist() == [*COLUMNS, "IC50", "input_error"]
    assert result.index.tolist() == [7, 9]
    assert str(result["IC50"].dtype) == "float64"  # kept as it is, in memory
    assert result["input_error"].tolist() == ["x", "y"]
    written = read_back(screen(frame, tmp_path / "frame.csv", quiet=True))
    assert written["IC50"].tolist() == ["0.5", ""]


def test_surrogates_in_a_frame_do_not_break_the_writers(tmp_path):
    data = {"id": ["ok", "bad\udce9id"], "smiles": ["CCO", "C\udcffC"]}
    frame = pd.DataFrame(data, dtype=object)  # lone surrogates, as surrogateescape makes them
    for name in ("o.csv", "o.parquet"):
        back = read_back(screen(frame, tmp_path / name, quiet=True))
        assert back["id"].tolist() == ["ok", "bad\ufffdid"]
        assert back["status"].tolist() == ["ok", "error"]
