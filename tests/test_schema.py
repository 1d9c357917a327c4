"""One evidence schema: assess, screen (DataFrame, CSV, Parquet) agree on columns and dtypes."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import THALIDOMIDE
from rdkit import Chem
from rdkit.Chem import PandasTools

from imidchem import assess, screen
from imidchem.evidence.schema import COLUMNS, DTYPES, OUTPUT_COLUMNS, SCHEMA, schema_table

N_METHYL = "CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O"
PHENYL_GLUTARIMIDE = "O=C1CCC(c2ccccc2)C(=O)N1"
INPUT = [THALIDOMIDE, "C1CC", N_METHYL, PHENYL_GLUTARIMIDE]


@pytest.fixture(scope="module")
def assessed() -> pd.DataFrame:
    return assess(pd.DataFrame({"Smiles": INPUT, "n": [1, 2, 3, 4]}, index=[10, 20, 30, 40]))


def test_schema_is_the_agreed_column_list():
    assert list(COLUMNS) == [
        "status", "error", "smiles_std", "sim_thalidomide", "nearest_reference",
        "nearest_similarity", "has_isoindoline", "has_glutarimide", "glutarimide_nh",
        "crbn_pharmacophore", "crbn_level", "chemotype", "verdict", "reason", "crbn_score",
    ]  # fmt: skip
    assert OUTPUT_COLUMNS[:2] == ("id", "smiles")
    assert schema_table()["column"].tolist() == [column.name for column in SCHEMA]


def test_assess_finds_the_column_in_any_case_and_keeps_index(assessed):
    assert assessed.index.tolist() == [10, 20, 30, 40]
    assert assessed.columns.tolist() == ["Smiles", "n", *COLUMNS]
    assert assessed["status"].tolist() == ["ok", "error", "ok", "ok"]
    assert assessed["crbn_level"].tolist()[0::2] == [1, 4]
    assert assessed.loc[40, "crbn_level"] == 2
    assert assessed.loc[20, "crbn_level"] is pd.NA
    assert assessed.loc[20, "crbn_pharmacophore"] is pd.NA
    assert assessed.loc[20, "verdict"] == "" and assessed.loc[10, "error"] == ""
    assert assessed.loc[30, "chemotype"] == "N-substituted glutarimide"


def test_assess_and_screen_share_dtypes_and_values(assessed):
    screened = screen(pd.DataFrame({"SMILES": INPUT}, index=[10, 20, 30, 40]), quiet=True)
    assert screened.columns.tolist() == list(OUTPUT_COLUMNS)
    assert screened.index.tolist() == [10, 20, 30, 40]
    for name in COLUMNS:
        assert str(assessed[name].dtype) == DTYPES[name] == str(screened[name].dtype), name
    pd.testing.assert_frame_equal(assessed[list(COLUMNS)], screened[list(COLUMNS)])


HOSTILE = [
    "C." * 200 + "C",  # over max_fragments
    "C" * 1500,  # over max_atoms
    "C" * 25_000,  # over max_chars
    "CCO extra words",  # whitespace inside
    "C1CC",  # unclosed ring
    "",
    None,
    float("nan"),
    7,
    THALIDOMIDE,
]


def test_assess_and_screen_give_the_same_rows_on_hostile_records():
    """One evidence path: the same limits, batches and rows (columns, dtypes, errors)."""
    frame = pd.DataFrame({"smiles": HOSTILE})
    assessed = assess(frame)
    screened = screen(frame, quiet=True)
    pd.testing.assert_frame_equal(assessed[list(COLUMNS)], screened[list(COLUMNS)])
    errors = assessed["error"].tolist()
    assert errors[0] == "201 dot-separated parts, over the limit of 100 (max_fragments, --max-fragments)"
    assert errors[1] == "1,500 atoms, over the limit of 1,000 (max_atoms, --max-atoms)"
    assert errors[2].startswith("SMILES of 25,000 characters, over the limit of 20,000")
    assert "contains whitespace" in errors[3]
    assert assessed["status"].tolist() == ["error"] * 9 + ["ok"]


def test_files_read_back_with_the_schema(tmp_path, assessed):
    source = tmp_path / "in.smi"
    source.write_text("\n".join(INPUT) + "\n")
    parquet = pd.read_parquet(screen(source, tmp_path / "out.parquet", quiet=True))
    csv = pd.read_csv(
        screen(source, tmp_path / "out.csv", quiet=True), keep_default_na=False, dtype=str
    )
    expected = assessed[list(COLUMNS)].reset_index(drop=True)
    from imidchem.evidence.schema import apply_dtypes

    for back in (apply_dtypes(parquet), apply_dtypes(csv)):
        pd.testing.assert_frame_equal(back[list(COLUMNS)], expected, check_exact=False)


def test_pandastools_frame_and_mols_work_as_is():
    frame = pd.DataFrame({"ID": ["a", "b"], "smi": [THALIDOMIDE, N_METHYL]})
    PandasTools.AddMoleculeColumnToFrame(frame, smilesCol="smi", molCol="ROMol")
    frame = frame.drop(columns="smi")
    before = frame.copy()
    out = assess(frame)
    assert out["smiles_std"].tolist() == [Chem.CanonSmiles(THALIDOMIDE), Chem.CanonSmiles(N_METHYL)]
    assert out["crbn_level"].tolist() == [1, 4]
    assert frame.columns.tolist() == before.columns.tolist()  # the caller's frame untouched
    screened = screen(frame, quiet=True)
    assert screened["id"].tolist() == ["a", "b"]
    assert screened["crbn_level"].tolist() == [1, 4]


def test_one_missing_extra_error_names_the_extra():
    from imidchem.errors import ImidchemError, MissingExtraError

    error = MissingExtraError("Parquet files", "parquet")
    assert isinstance(error, ImportError) and isinstance(error, ImidchemError)
    assert str(error) == (
        "Parquet files need the optional extra 'parquet': pip install \"imidchem[parquet]\""
    )


def test_modules_are_not_shadowed_by_functions():
    import importlib
    import types

    import imidchem

    assert callable(imidchem.screen) and callable(imidchem.validate)
    for name in ("imidchem.engine.screen", "imidchem.analysis.validate", "imidchem.view.text"):
        assert isinstance(importlib.import_module(name), types.ModuleType)
    from imidchem import plot, stats  # the old top-level modules still import

    assert plot.__name__ == "imidchem.view.plot" and stats.__name__ == "imidchem.analysis.stats"


def test_public_api_is_listed_once_with_a_docstring_each():
    import imidchem

    assert imidchem.__all__ == sorted(imidchem.__all__)
    assert len(set(imidchem.__all__)) == len(imidchem.__all__)
    for name in imidchem.__all__:
        value = getattr(imidchem, name)
        if callable(value):
            assert (value.__doc__ or "").strip(), name


def test_import_imidchem_loads_nothing_heavy():
    import subprocess
    import sys

    code = "import sys, imidchem; print(sorted(m for m in ('pandas', 'rdkit') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
