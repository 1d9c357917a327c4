"""engine.readers: every input format, its bad records as rows, compressed input cut short."""

from __future__ import annotations

import csv
import gzip
import io
import shutil
import zlib
from pathlib import Path

import pandas as pd
import pytest
from conftest import SCREEN_DATA, THALIDOMIDE
from rdkit import Chem, DataStructs, RDConfig
from rdkit.Chem import rdFingerprintGenerator

from imidchem import screen
from imidchem.cli import main
from imidchem.engine.writers import COLUMNS
from imidchem.errors import InvalidArgumentError
from imidchem.evidence.schema import BOOL_COLUMNS as FLAG_COLUMNS

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
    frame = screen(SCREEN_DATA / "library.smi", quiet=True)
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
    frame = screen(SCREEN_DATA / "library.csv", smiles_col="Structure", id_col="ID", quiet=True)
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
    tsv = screen(SCREEN_DATA / "library.tsv", quiet=True)
    csv = screen(SCREEN_DATA / "library.csv", smiles_col="structure", id_col="id", quiet=True)
    pd.testing.assert_frame_equal(tsv, csv)


def test_sdf_titles_fields_and_broken_blocks():
    by_title = screen(SCREEN_DATA / "library.sdf", quiet=True)
    by_field = screen(SCREEN_DATA / "library.sdf", id_col="ID", quiet=True)
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
    frame = screen(SCREEN_DATA / "library.parquet", id_col="compound", quiet=True)
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
    packed.write_bytes(gzip.compress((SCREEN_DATA / name).read_bytes()))
    plain = screen(SCREEN_DATA / name, quiet=True, **options)
    pd.testing.assert_frame_equal(screen(packed, quiet=True, **options), plain)


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


def csv_rows(data: bytes) -> list[list[str]]:
    """The rows of CSV bytes as the csv module reads them (header included)."""
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_smi_with_bare_carriage_return_line_ends(tmp_path):
    source = tmp_path / "mac.smi"
    source.write_bytes(b"CCO one\rc1ccccc1 two\r\rCCN three\r\nCCC four")
    frame = screen(source, quiet=True)
    assert frame["id"].tolist() == ["one", "two", "3", "three", "four"]
    assert frame["status"].tolist() == ["ok", "ok", "error", "ok", "ok"]
    assert frame.loc[2, "error"] == "line 3: empty line"
    data = screen(source, tmp_path / "mac.csv", quiet=True).read_bytes()
    assert b"\r" not in data and len(csv_rows(data)) == 6


NCI = Path(RDConfig.RDDataDir) / "NCI" / "first_5K.smi"  # ships with RDKit


def nci_lines(count: int) -> list[str]:
    with open(NCI) as handle:
        return [line.rstrip("\n") for _, line in zip(range(count), handle, strict=False)]


def read_back(path: Path) -> pd.DataFrame:
    """An output file as pandas reads it (text columns as text)."""
    if path.name.endswith(".parquet"):
        return pd.read_parquet(path)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix in (".part", ".journal"))


def _library(tmp_path: Path, fmt: str, count: int) -> Path:
    lines = nci_lines(count)  # ids padded: the cut falls past the first 64 KiB read up front
    if fmt == "smi":
        text = "\n".join(line + PAD for line in lines) + "\n"
    elif fmt == "csv":
        text = "smiles,id\n" + "".join(line.replace("\t", ",") + PAD + "\n" for line in lines)
    else:
        blocks = []
        for line in lines:
            smiles, name = line.split("\t")
            mol = Chem.MolFromSmiles(smiles)
            if mol is not None:
                mol.SetProp("_Name", name)
                blocks.append(Chem.MolToMolBlock(mol) + "$$$$\n")
        text = "".join(blocks)
    path = tmp_path / f"library.{fmt}"
    path.write_text(text)
    return path


PAD = "-" + "x" * 60


@pytest.mark.parametrize(("fmt", "count"), [("smi", 1000), ("csv", 1000), ("sdf", 150)])
def test_truncated_gzip_keeps_the_rows_read_and_says_so(run_cli, tmp_path, fmt, count):
    plain = _library(tmp_path, fmt, count)
    packed = gzip.compress(plain.read_bytes())
    cut = tmp_path / f"cut.{fmt}.gz"
    cut.write_bytes(packed[: len(packed) * 3 // 4])
    names = [line.split("\t")[1] + PAD for line in nci_lines(count)]
    if fmt == "sdf":
        names = [name[: -len(PAD)] for name in names]
        names = [n for line, n in zip(nci_lines(count), names, strict=True)
                 if Chem.MolFromSmiles(line.split("\t")[0]) is not None]  # fmt: skip
    with pytest.warns(RuntimeWarning, match="ends early"):
        output = screen(cut, tmp_path / "out.csv", quiet=True)
    back = read_back(output)
    read = len(back) - 1  # every row before the last is a whole record of the input
    assert 0 < read < len(names)
    assert back["id"].tolist()[:read] == names[:read]
    last = back.iloc[-1]
    assert (last["id"], last["status"]) == (str(read + 1), "error")
    assert "the input ends here: the compressed data ends early (truncated file)" in last["error"]
    assert leftovers(tmp_path) == []
    if fmt != "smi":
        return
    # not one whole line of what can be decompressed is lost
    prefix = zlib.decompressobj(wbits=31).decompress(cut.read_bytes())
    assert read == prefix.count(b"\n")
    # a whole file with garbage after it: every record, then the error row
    tailed = tmp_path / "tailed.smi.gz"
    tailed.write_bytes(packed + b"garbage")
    with pytest.warns(RuntimeWarning, match="corrupt gzip data"):
        frame = screen(tailed, quiet=True)
    assert frame["id"].tolist()[:-1] == names and len(frame) == len(names) + 1
    # the command line: the same output, then one line and exit status 2
    result = run_cli("screen", str(cut), "-o", str(tmp_path / "cli.csv"), "--quiet", process=True)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "ends early (truncated file); the records after it are lost" in result.stderr
    assert (tmp_path / "cli.csv").read_bytes() == output.read_bytes()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", ["smi", "csv", "sdf", "parquet"])
def test_unreadable_gzip_is_one_line_and_nothing_written(tmp_path, fmt, monkeypatch, capsys):
    small = tmp_path / f"small.{fmt}.gz"
    small.write_bytes(gzip.compress((SCREEN_DATA / f"library.{fmt}").read_bytes())[:40])
    garbage = tmp_path / f"garbage.{fmt}.gz"
    garbage.write_bytes(b"this is not gzip data\n")
    monkeypatch.chdir(tmp_path)
    for path, reason in ((small, "ends early"), (garbage, "corrupt gzip data")):
        assert main(["screen", path.name, "-o", "out.csv", "--quiet"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith(f"imidchem: error: cannot read {path.name}")
        assert reason in err
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([small.name, garbage.name])


def test_csv_field_over_the_csv_module_limit_is_one_error_row(tmp_path):
    source = tmp_path / "huge.csv"
    rows = [
        "id,smiles,note",
        "a,CCO,fine",
        "b," + "C" * 200_000 + ",smiles beyond the csv module's limit of 131072",
        "c,CCN," + "x" * 200_000,  # a huge note: the record is still screened
        'd,"' + "C" * 1_100_000 + '",a line over the 1 MiB line limit',
        "e,c1ccccc1,last",
    ]
    source.write_text("\n".join(rows) + "\n")
    frame = screen(source, quiet=True)
    assert frame["id"].tolist() == ["a", "b", "c", "4", "e"]
    assert frame["status"].tolist() == ["ok", "error", "ok", "error", "ok"]
    assert frame.loc[1, "error"] == (
        "SMILES of 200,000 characters, over the limit of 20,000 (max_chars, --max-chars)"
    )
    assert frame.loc[3, "error"] == "line 5: longer than 1,048,576 bytes"
    smi = tmp_path / "huge.smi"
    smi.write_text("CCO a\n" + "C" * 2_000_000 + " long\nCCN c\n")
    assert screen(smi, quiet=True)["status"].tolist() == ["ok", "error", "ok"]


def test_text_after_whitespace_in_a_smiles_cell_is_an_error(tmp_path):
    source = tmp_path / "cells.csv"
    source.write_text(
        'id,smiles\na,CCO extra words\nb,"C[C@H](O)F |&1:1|"\nc," CCO "\nd,CCO\tx\n'
    )
    frame = screen(source, quiet=True)
    assert frame["status"].tolist() == ["error", "ok", "ok", "error"]
    assert frame.loc[0, "error"] == (
        "SMILES 'CCO extra words' contains whitespace: the text after it would be ignored"
    )
    # in a .smi file the text after the SMILES is its name, as documented
    smi = tmp_path / "named.smi"
    smi.write_text("CCO extra words\n")
    named = screen(smi, quiet=True)
    assert (named.loc[0, "id"], named.loc[0, "smiles"], named.loc[0, "status"]) == (
        "extra words",
        "CCO",
        "ok",
    )


def test_unterminated_quote_costs_one_row_and_the_rest_is_read(tmp_path):
    source = tmp_path / "quote.csv"
    source.write_text('id,smiles\n1,CCO\n2,"CCN\n3,CCC\n4,c1ccccc1\n')
    frame = screen(source, quiet=True)
    assert frame["id"].tolist() == ["1", "2", "3", "4"]
    assert frame["status"].tolist() == ["ok", "error", "ok", "ok"]
    assert frame.loc[1, "error"] == "line 3: a quote opened in this record is never closed"
    assert frame["smiles"].tolist()[2:] == ["CCC", "c1ccccc1"]
    # a quote closed in the wrong place is reported too, and the next lines read again
    source.write_text('id,smiles\n1,"CC"O\n2,CCC\n')
    frame = screen(source, quiet=True)
    assert frame["status"].tolist() == ["error", "ok"]
    assert frame.loc[0, "error"].startswith("line 2: malformed CSV quoting")


def test_a_byte_order_mark_alone_is_no_record(tmp_path):
    (tmp_path / "bom.smi").write_bytes(b"\xef\xbb\xbf")
    (tmp_path / "bom_line.smi").write_bytes(b"\xef\xbb\xbf\n")
    assert len(screen(tmp_path / "bom.smi", quiet=True)) == 0
    assert screen(tmp_path / "bom_line.smi", quiet=True)["error"].tolist() == [
        "line 1: empty line"
    ]


def test_validate_on_an_empty_or_truncated_file_is_one_line(tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    text = "smiles,label\n" + "".join(f"{line.split()[0]},no\n" for line in nci_lines(4000))
    packed = gzip.compress(text.encode())
    early = tmp_path / "early.csv.gz"  # cut inside the first block read
    early.write_bytes(packed[:500])
    late = tmp_path / "late.csv.gz"  # cut further on
    late.write_bytes(packed[: len(packed) * 3 // 4])
    hollow = tmp_path / "hollow.csv.gz"
    hollow.write_bytes(gzip.compress(b""))
    cases = [
        (empty, f"{empty} is empty: expected a header line"),
        (early, f"cannot read {early}: the compressed data ends early (truncated file)"),
        (late, f"cannot read {late}: the compressed data ends early (truncated file)"),
        (hollow, f"{hollow} is empty: expected a header line"),
    ]
    for path, message in cases:
        assert main(["validate", str(path), "--label-col", "label", "--positive", "yes"]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err == f"imidchem: error: {message}\n"
