"""The library screen: every input format, bad records, chunk boundaries, output formats."""

from __future__ import annotations

import gzip
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from rdkit import Chem, DataStructs
from rdkit.Chem import rdFingerprintGenerator

from imidchem import screen
from imidchem.engine.progress import Progress
from imidchem.engine.screen import run_screen
from imidchem.engine.writers import COLUMNS
from imidchem.errors import ImidchemError, InvalidArgumentError, UnknownNameError
from imidchem.evidence.schema import BOOL_COLUMNS as FLAG_COLUMNS

DATA = Path(__file__).resolve().parent / "data" / "screen"
THALIDOMIDE = "O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1"
CRBN = "IMiD-like cereblon binder"
DISTANT = "not a cereblon binder"
_MORGAN = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)


def rdkit_tanimoto(smiles: str, other: str = THALIDOMIDE) -> float:
    """Tanimoto on Morgan r2 / 2048 bits computed with RDKit alone."""
    first, second = (_MORGAN.GetFingerprint(Chem.MolFromSmiles(s)) for s in (smiles, other))
    return DataStructs.TanimotoSimilarity(first, second)


def check_similarities(frame: pd.DataFrame) -> int:
    """Every ok row of a plain neutral one-fragment SMILES: similarity equals RDKit's."""
    checked = 0
    for row in frame[frame.status == "ok"].itertuples():
        if "." in row.smiles or "+" in row.smiles or "\n" in row.smiles:
            continue
        assert row.sim_thalidomide == pytest.approx(rdkit_tanimoto(row.smiles))
        checked += 1
    return checked


def test_smi_file_one_row_per_record_with_reasons():
    frame = screen(DATA / "library.smi", quiet=True)
    assert list(frame.columns) == list(COLUMNS)
    assert frame["id"].tolist() == [
        "thalidomide",
        "lenalidomide",
        "apremilast",
        "broken ring",
        "5",
        "6",
        "N-methyl thalidomide",
        "8",
        "phenyl-glutarimide",
        "tetramethylammonium chloride",
        "not-an-element",
        "glutethimide",
    ]
    assert frame["status"].tolist() == ["ok"] * 3 + ["error"] * 2 + ["ok"] * 2 + ["error"] + [
        "ok",
        "ok",
        "error",
        "ok",
    ]
    errors = frame.set_index("id")["error"]
    assert errors["broken ring"] == "invalid SMILES 'C1CC': unclosed ring"
    assert errors["5"] == "line 6: empty line"
    assert errors["8"] == "line 9: not valid UTF-8 (byte 0xe9 at position 26)"
    assert errors["not-an-element"] == "invalid SMILES 'Xx': syntax error"
    assert (frame.loc[frame.status == "ok", "error"] == "").all()
    verdicts = frame.set_index("id")["verdict"]
    assert verdicts["thalidomide"] == CRBN and verdicts["lenalidomide"] == CRBN
    assert verdicts["phenyl-glutarimide"] == "cereblon binder of another chemotype"
    assert verdicts["apremilast"] == DISTANT and verdicts["N-methyl thalidomide"] == DISTANT
    assert verdicts["glutethimide"] == "possible cereblon binder"
    levels = frame.set_index("id")["crbn_level"]
    assert str(levels.dtype) == "Int64"
    assert levels[["thalidomide", "phenyl-glutarimide", "glutethimide", "apremilast"]].tolist() == [
        1, 2, 3, 4,
    ]  # fmt: skip
    assert frame.loc[frame.status == "error", "crbn_level"].isna().all()
    thal = frame.iloc[0]
    assert thal.smiles == THALIDOMIDE
    assert (thal.nearest_reference, thal.nearest_similarity) == ("thalidomide", 1.0)
    assert [bool(thal[c]) for c in FLAG_COLUMNS] == [True, True, True, True]
    apremilast = frame.iloc[2]
    assert [bool(apremilast[c]) for c in FLAG_COLUMNS] == [True, False, False, False]
    assert frame.loc[frame.status == "error", "sim_thalidomide"].isna().all()
    assert check_similarities(frame) == 7


def test_csv_named_columns_quotes_field_counts_and_encoding():
    frame = screen(DATA / "library.csv", smiles_col="Structure", id_col="ID", quiet=True)
    assert frame["id"].tolist() == ["T-1", "P-2, pomalidomide", "B-3", "E-4", "W-5", "6", "G-6"] + [
        "L-7",
        "A-8",
    ]
    assert frame["status"].tolist() == ["ok", "ok"] + ["error"] * 4 + ["ok", "error", "ok"]
    assert frame["error"].tolist()[2:6] == [
        "invalid SMILES 'C1CC': unclosed ring",
        "empty SMILES",
        "line 6: 4 fields, but the header has 3",
        "line 7: empty line",
    ]
    assert frame.loc[7, "error"] == "line 9: not valid UTF-8"
    assert frame.loc[7, "smiles"] == "CC\ufffdO"
    assert frame["verdict"].tolist()[:2] == [CRBN, CRBN]
    assert check_similarities(frame) == 4


def test_tsv_default_columns_match_the_csv():
    tsv = screen(DATA / "library.tsv", quiet=True)
    csv = screen(DATA / "library.csv", smiles_col="structure", id_col="id", quiet=True)
    pd.testing.assert_frame_equal(tsv, csv)


def test_sdf_titles_fields_and_broken_blocks():
    by_title = screen(DATA / "library.sdf", quiet=True)
    by_field = screen(DATA / "library.sdf", id_col="ID", quiet=True)
    assert by_title["id"].tolist() == ["thalidomide", "2", "3", "five-valent carbon"] + [
        "5",
        "6",
        "apremilast",
    ]
    assert by_field["id"].tolist() == ["S-1", "S-2", "3", "S-4", "5", "6", "S-7"]
    assert by_field["status"].tolist() == ["ok", "ok", "error", "error", "error", "error", "ok"]
    assert by_field["error"].tolist()[2:6] == [
        "record 3 (line 99): broken molfile block: no 'M  END' line",
        "cannot read the molfile block: Explicit valence for atom # 0 C, 5, is greater than "
        "permitted",
        "record 5 (line 124): molfile block: not valid UTF-8 (byte 0xe9 at position 4)",
        "record 6 (line 138): empty record",
    ]
    assert by_field["smiles"].tolist()[2:6] == ["", "", "", ""]
    # the smiles column holds RDKit's SMILES of the block's structure
    assert Chem.CanonSmiles(by_field.loc[0, "smiles"]) == Chem.CanonSmiles(THALIDOMIDE)
    assert by_field["verdict"].tolist()[0::6] == [CRBN, DISTANT]
    assert check_similarities(by_field) == 3


def test_parquet_input_with_nulls_and_numeric_ids():
    frame = screen(DATA / "library.parquet", id_col="compound", quiet=True)
    assert frame["id"].tolist() == ["101", "102", "103", "4", "105"]
    assert frame["status"].tolist() == ["ok", "error", "error", "ok", "error"]
    assert frame["error"].tolist()[1:3] == [
        "missing SMILES (empty cell or None)",
        "invalid SMILES 'C1CC': unclosed ring",
    ]
    assert frame.loc[4, "error"] == "empty SMILES"
    assert check_similarities(frame) == 2


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("library.smi", {}),
        ("library.csv", {"smiles_col": "Structure", "id_col": "ID"}),
        ("library.sdf", {"id_col": "ID"}),
        ("library.parquet", {"id_col": "compound"}),
    ],
)
def test_gzipped_input_gives_the_same_rows(tmp_path, name, options):
    packed = tmp_path / (name + ".gz")
    packed.write_bytes(gzip.compress((DATA / name).read_bytes()))
    plain = screen(DATA / name, quiet=True, **options)
    pd.testing.assert_frame_equal(screen(packed, quiet=True, **options), plain)


def test_chunk_boundaries_do_not_change_the_output(tmp_path):
    outputs = []
    for size in (1, 2, 5, 1000):
        target = tmp_path / f"out_{size}.csv"
        screen(DATA / "library.smi", target, chunk_size=size, quiet=True)
        outputs.append(target.read_bytes())
    assert outputs[0].count(b"\n") == 13  # header + 12 records
    assert all(output == outputs[0] for output in outputs)


def test_output_formats_hold_the_same_table(tmp_path):
    expected = screen(DATA / "library.smi", quiet=True)
    for name in ("out.csv", "out.csv.gz", "out.parquet"):
        path = screen(DATA / "library.smi", tmp_path / name, chunk_size=4, quiet=True)
        assert path == tmp_path / name
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(name)) == [name]
        if name.endswith(".parquet"):
            back = pd.read_parquet(path)
        else:
            back = pd.read_csv(path, dtype={"id": str}, keep_default_na=False, na_values=[""])
            back["error"] = back["error"].fillna("")
        assert back["id"].tolist() == expected["id"].tolist()
        assert back["status"].tolist() == expected["status"].tolist()
        assert back["error"].tolist() == expected["error"].tolist()
        assert back["sim_thalidomide"].tolist() == pytest.approx(
            expected["sim_thalidomide"].tolist(), nan_ok=True
        )
        ok = expected.status == "ok"
        for column in FLAG_COLUMNS:
            assert back.loc[ok, column].astype(bool).tolist() == expected.loc[ok, column].tolist()


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


def test_reference_subset_limits_the_nearest_reference():
    frame = screen([THALIDOMIDE], references="lenalidomide, apremilast", quiet=True)
    assert frame.loc[0, "nearest_reference"] in {"lenalidomide", "apremilast"}
    best = max(
        rdkit_tanimoto(THALIDOMIDE, Chem.MolToSmiles(Chem.MolFromSmiles(s)))
        for s in (
            "Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O",
            "CCOc1cc([C@@H](CS(C)(=O)=O)N2C(=O)c3cccc(NC(C)=O)c3C2=O)ccc1OC",
        )
    )
    assert frame.loc[0, "nearest_similarity"] == pytest.approx(best)
    assert frame.loc[0, "sim_thalidomide"] == pytest.approx(1.0)


def test_bad_arguments_raise_with_the_allowed_values(tmp_path):
    with pytest.raises(InvalidArgumentError, match="input file not found"):
        screen(tmp_path / "missing.smi")
    with pytest.raises(InvalidArgumentError, match=r"allowed: \.smi, \.smiles, \.csv"):
        screen(tmp_path / "library.xlsx")
    with pytest.raises(InvalidArgumentError, match="available columns: ID, Structure, note"):
        screen(DATA / "library.csv", smiles_col="smile")
    with pytest.raises(InvalidArgumentError, match="available columns: ID, Structure, note"):
        screen(DATA / "library.csv")  # no column called smiles
    with pytest.raises(UnknownNameError, match="known: thalidomide"):
        screen(DATA / "library.smi", references=["thalidomide", "aspirin"])
    with pytest.raises(InvalidArgumentError, match=r"allowed: \.csv, \.csv\.gz, \.parquet"):
        screen(DATA / "library.smi", tmp_path / "out.xlsx")
    with pytest.raises(InvalidArgumentError, match="does not exist"):
        screen(DATA / "library.smi", tmp_path / "no" / "out.csv")
    with pytest.raises(InvalidArgumentError, match="at least 1"):
        screen(DATA / "library.smi", workers=0)
    with pytest.raises(InvalidArgumentError, match="at least 1"):
        screen(DATA / "library.smi", chunk_size=0)
    with pytest.raises(InvalidArgumentError, match="resume needs an output file"):
        screen(DATA / "library.smi", resume=True)
    assert list(tmp_path.iterdir()) == []


def test_missing_dask_says_how_to_install(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "distributed", None)
    with pytest.raises(ImidchemError, match=r'pip install "imidchem\[dask\]"'):
        screen([THALIDOMIDE], scheduler="tcp://127.0.0.1:1", quiet=True)


def test_progress_line_on_a_terminal_only():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    ticks = iter([0.0, 1.0, 2.0, 4.0])
    terminal = Terminal()
    bar = Progress(stream=terminal, clock=lambda: next(ticks), every=0, backend="line")
    bar.update(1000, 0.25)
    bar.update(2000, 0.5)
    bar.close()
    lines = terminal.getvalue().split("\r")
    assert lines[1].rstrip() == "1,000 molecules  1,000/s  25%  ETA 0:00:03"
    assert lines[2].rstrip() == "2,000 molecules  1,000/s  50%  ETA 0:00:02"
    # padded to wipe out the longer previous text, then the line ends
    assert lines[3] == "2,000 molecules  500/s  50%  ETA 0:00:04  \n"
    silent = Terminal()
    run_screen([THALIDOMIDE], quiet=True)  # quiet: the default stream is left alone
    quiet_bar = Progress(stream=silent, enabled=False)
    quiet_bar.update(5, 0.5)
    quiet_bar.close()
    assert silent.getvalue() == ""


def test_progress_through_tqdm_and_without_it(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    bar = Progress(stream=terminal, every=0)  # tqdm is in the test environment
    bar.update(1000, 0.25)
    bar.close()
    text = terminal.getvalue()
    assert " 25%|" in text and "1,000 molecules" in text and text.endswith("\n")
    monkeypatch.setitem(__import__("sys").modules, "tqdm", None)  # tqdm not installed
    plain = Terminal()
    line = Progress(stream=plain, every=0)
    line.update(7, 0.5)
    line.close()
    assert plain.getvalue().startswith("\r7 molecules") and "50%" in plain.getvalue()
    with pytest.raises(ImportError, match=r"imidchem\[progress\]"):
        Progress(stream=Terminal(), backend="tqdm")


def test_smi_without_header_and_odd_whitespace(tmp_path):
    path = tmp_path / "plain.smiles"
    path.write_bytes(b"\xef\xbb\xbf" + THALIDOMIDE.encode() + b"\r\n   \n\tCCO  ethanol  \n")
    frame = screen(path, quiet=True)
    assert frame["id"].tolist() == ["1", "2", "ethanol"]
    assert frame["status"].tolist() == ["ok", "error", "ok"]
    assert frame["smiles"].tolist() == [THALIDOMIDE, "", "CCO"]


def test_empty_inputs(tmp_path):
    (tmp_path / "empty.smi").write_text("")
    frame = screen(tmp_path / "empty.smi", quiet=True)
    assert len(frame) == 0 and list(frame.columns) == list(COLUMNS)
    out = screen(tmp_path / "empty.smi", tmp_path / "empty.parquet", quiet=True)
    assert len(pd.read_parquet(out)) == 0
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(InvalidArgumentError, match="expected a header line"):
        screen(tmp_path / "empty.csv")
    shutil.rmtree(tmp_path)


# -- the input's own columns, the columns asked for --------------------------------------


def read_back(path: Path) -> pd.DataFrame:
    """An output file as pandas reads it (CSV columns as text)."""
    if path.name.endswith(".parquet"):
        return pd.read_parquet(path)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_the_input_columns_follow_with_clashing_names_prefixed(tmp_path):
    source = tmp_path / "assay.csv"
    source.write_text(
        "id,smiles,name,IC50,status,verdict\n"
        f"a,{THALIDOMIDE},thalidomide,5.1,active,yes\n"
        "b,C1CC,broken,,inactive,no\n"
    )
    for output in (tmp_path / "out.csv", tmp_path / "out.parquet"):
        back = read_back(screen(source, output, quiet=True))
        assert back.columns.tolist() == [
            *COLUMNS, "name", "IC50", "input_status", "input_verdict"
        ]
        assert back["name"].tolist() == ["thalidomide", "broken"]
        assert back["IC50"].tolist() == ["5.1", ""]
        assert back["input_status"].tolist() == ["active", "inactive"]
        assert back["status"].tolist() == ["ok", "error"]
        assert back["verdict"].tolist() == [CRBN, ""]
    dropped = screen(source, tmp_path / "dropped.csv", keep_input=False, quiet=True)
    assert read_back(dropped).columns.tolist() == list(COLUMNS)


def test_the_input_columns_of_sdf_parquet_and_a_dataframe(tmp_path):
    sdf = screen(DATA / "library.sdf", quiet=True)
    fields = [c for c in sdf.columns if c not in COLUMNS]
    assert fields and fields[0] == "ID"
    parquet = screen(DATA / "library.parquet", quiet=True)
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


def test_columns_asked_for_are_the_only_ones_written(tmp_path):
    source = DATA / "library.smi"
    asked = "verdict,crbn_level,sim_thalidomide,crbn_pharmacophore"
    some = screen(source, columns=asked, quiet=True)
    assert some.columns.tolist() == [
        "id", "status", "sim_thalidomide", "crbn_pharmacophore", "crbn_level", "verdict"
    ]
    full = screen(source, quiet=True)
    pd.testing.assert_frame_equal(some, full[some.columns.tolist()])
    every = screen(source, tmp_path / "every.csv", columns=",".join(COLUMNS), quiet=True)
    plain = screen(source, tmp_path / "plain.csv", keep_input=False, quiet=True)
    assert every.read_bytes() == plain.read_bytes()
    with pytest.raises(InvalidArgumentError, match="unknown column 'IC50'"):
        screen(source, columns="IC50", quiet=True)
    with pytest.raises(InvalidArgumentError, match="needs --3d"):
        screen(source, columns="pocket_score", quiet=True)


def test_without_smiles_std_the_canonical_smiles_is_not_computed():
    from imidchem.evidence.verdict import evidence_rows

    batch = [THALIDOMIDE, "CCO", "C1CC", "c1ccccc1O"]
    full = evidence_rows(batch)
    lean = evidence_rows(batch, canonical=False)
    assert [row[2] for row in lean] == ["", "", "", ""]
    assert [row[:2] + row[3:] for row in lean] == [row[:2] + row[3:] for row in full]


def test_resume_keeps_the_input_columns(tmp_path, monkeypatch):
    source = tmp_path / "lib.csv"
    rows = [f"m{i},{smiles},{i}" for i, smiles in enumerate([THALIDOMIDE, "CCO", "c1ccccc1"] * 10)]
    source.write_text("id,smiles,batch\n" + "\n".join(rows) + "\n")
    whole = screen(source, tmp_path / "whole.csv", chunk_size=4, quiet=True).read_bytes()
    import imidchem.engine.screen as engine

    original = engine._serial

    def stop_after_two(chunks, *args):
        for number, result in enumerate(original(chunks, *args)):
            if number == 2:
                raise KeyboardInterrupt
            yield result

    monkeypatch.setattr(engine, "_serial", stop_after_two)
    with pytest.raises(KeyboardInterrupt):
        screen(source, tmp_path / "part.csv", chunk_size=4, quiet=True)
    monkeypatch.setattr(engine, "_serial", original)
    resumed = screen(source, tmp_path / "part.csv", chunk_size=4, resume=True, quiet=True)
    assert resumed.read_bytes() == whole
