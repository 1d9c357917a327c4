"""engine.writers: output formats, the crash-safe spool, formulas, existing and missing outputs."""

from __future__ import annotations

import csv
import gzip
import io
import os
import string
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import SCREEN_DATA, SRC, THALIDOMIDE
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from rdkit import RDConfig

from imidchem import screen
from imidchem.cli import main
from imidchem.engine import writers  # noqa: E402
from imidchem.evidence.schema import BOOL_COLUMNS as FLAG_COLUMNS


def test_output_formats_hold_the_same_table(tmp_path):
    expected = screen(SCREEN_DATA / "library.smi", quiet=True)
    for name in ("out.csv", "out.csv.gz", "out.parquet"):
        path = screen(SCREEN_DATA / "library.smi", tmp_path / name, chunk_size=4, quiet=True)
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


def csv_rows(data: bytes) -> list[list[str]]:
    """The rows of CSV bytes as the csv module reads them (header included)."""
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def read_back(path: Path) -> pd.DataFrame:
    """An output file as pandas reads it (text columns as text)."""
    if path.name.endswith(".parquet"):
        return pd.read_parquet(path)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def output_text(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


@pytest.mark.parametrize("name", ["out.csv", "out.csv.gz", "out.parquet"])
def test_carriage_returns_and_newlines_inside_fields_round_trip(tmp_path, name):
    ids = ["a\rb", "c\nd", "e\r\nf", 'q"uote', "com,ma", "plain", "trail\r"]
    smiles = ["CCO", "c1ccccc1", "C\rC", THALIDOMIDE, "CCN", "C\nC", "CCC"]
    source = tmp_path / "cr.csv"
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")  # quotes \r and \n
    writer.writerow(["id", "smiles"])
    writer.writerows(zip(ids, smiles, strict=True))
    source.write_bytes(buffer.getvalue().encode())
    output = screen(source, tmp_path / name, quiet=True)
    back = read_back(output)
    expected_ids = ["a\rb", "c\nd", "e\r\nf", 'q"uote', "com,ma", "plain", "trail"]
    assert back["id"].tolist() == expected_ids
    assert back["smiles"].tolist() == smiles
    assert back["status"].tolist() == ["ok", "ok", "error", "ok", "ok", "error", "ok"]
    assert "contains whitespace" in back["error"][2]
    if not name.endswith(".parquet"):
        rows = csv_rows(output_text(output))
        assert len(rows) == 1 + len(ids)
        assert [row[0] for row in rows[1:]] == expected_ids


def test_formula_guard_is_opt_in(tmp_path):
    source = tmp_path / "ids.csv"
    source.write_text('id,smiles\n=HYPERLINK("x"),CCO\n+1,CCN\n-2,CCC\n@a,c1ccccc1\nplain,C\n')
    plain = read_back(screen(source, tmp_path / "plain.csv", quiet=True))
    assert plain["id"].tolist() == ['=HYPERLINK("x")', "+1", "-2", "@a", "plain"]
    guarded = read_back(screen(source, tmp_path / "safe.csv", escape_formulas=True, quiet=True))
    assert guarded["id"].tolist() == ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@a", "plain"]
    with pytest.raises(Exception, match="applies to CSV output only"):
        screen(source, tmp_path / "x.parquet", escape_formulas=True)


def test_existing_output_needs_force_and_a_complete_one_cannot_be_resumed(tmp_path, capsys):
    out = tmp_path / "out.csv"
    out.write_text("precious\n")
    source = str(SCREEN_DATA / "library.smi")
    assert main(["screen", source, "-o", str(out), "--quiet"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"imidchem: error: {out} already exists: pass --force (overwrite=True) to replace it, "
        "or --resume to continue an interrupted run"
    )
    assert out.read_text() == "precious\n"
    assert main(["screen", source, "-o", str(out), "--quiet", "--force"]) == 0
    assert len(read_back(out)) == 12
    capsys.readouterr()
    before = out.read_bytes()
    assert main(["screen", source, "-o", str(out), "--quiet", "--resume"]) == 0
    assert capsys.readouterr().err == f"imidchem: nothing to resume: {out} is complete\n"
    assert out.read_bytes() == before
    assert screen(source, out, resume=True, quiet=True) == out  # the library: untouched too
    assert out.read_bytes() == before


NCI = Path(RDConfig.RDDataDir) / "NCI" / "first_5K.smi"  # ships with RDKit


def nci_lines(count: int) -> list[str]:
    with open(NCI) as handle:
        return [line.rstrip("\n") for _, line in zip(range(count), handle, strict=False)]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix in (".part", ".journal"))


def test_a_full_disk_ends_in_one_line_and_resume_completes(tmp_path):
    import resource

    source = tmp_path / "nci.smi"
    source.write_text("\n".join(nci_lines(600)) + "\n")
    expected = screen(source, tmp_path / "expected.csv", chunk_size=100, quiet=True).read_bytes()
    output = tmp_path / "out.csv"

    def small_files() -> None:  # writes past 40 kB fail as on a full disk (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))

    command = [sys.executable, "-m", "imidchem", "screen", str(source), "-o", str(output)]
    command += ["--chunk-size", "100", "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    full = subprocess.run(
        command, capture_output=True, text=True, env=env, preexec_fn=small_files, timeout=300
    )
    assert full.returncode == 2
    assert full.stderr == (
        "imidchem: error: File too large; out.csv.part and out.csv.journal are kept: "
        "run the same command with --resume once the problem is fixed\n"
    )
    resumed = subprocess.run(command + ["--resume"], capture_output=True, env=env, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert output.read_bytes() == expected
    assert leftovers(tmp_path) == []


def test_missing_output_says_how_to_write_to_standard_output(capsys):
    assert main(["screen", str(SCREEN_DATA / "library.smi")]) == 2
    assert capsys.readouterr().err == (
        "imidchem: error: no output: give -o FILE (.csv, .csv.gz, .parquet), "
        "or -o - for CSV on standard output\n"
    )


SMILES = [
    "CCO",
    "c1ccccc1",
    THALIDOMIDE,
    "C1CC",  # unclosed ring: an error row
    "Xx",  # not an element
    "[Na+].[Cl-]",
    "N#N",
    "",  # empty cell (not in .smi files, where it would shift the id into the SMILES)
]


SPECIAL = ["\r", "\n", "\r\n", '"', "'", ",", "\t", ";", "=", "+", "-", "@", " ", "\x00", "\ufeff"]


_ALNUM = st.text(string.ascii_letters + string.digits, min_size=1, max_size=3)


IDS = st.one_of(
    # a quote, separator, line break or formula character inside an id: the hard cases
    st.builds(lambda a, special, b: a + special + b, _ALNUM, st.sampled_from(SPECIAL), _ALNUM),
    # anything else: any Unicode text (no lone surrogates) and special characters, any order
    st.lists(
        st.one_of(
            st.sampled_from(SPECIAL), st.text(st.characters(blacklist_categories=("Cs",)), max_size=3)
        ),
        max_size=5,
    ).map("".join),
)


@st.composite
def libraries(draw):
    """``(file name, bytes, expected ids)`` of a library file of a random shape."""
    fmt = draw(st.sampled_from(["csv", "tsv", "smi", "parquet"]))
    count = draw(st.integers(min_value=0, max_value=12))
    smiles_pool = SMILES if fmt != "smi" else SMILES[:-1]
    smiles = draw(st.lists(st.sampled_from(smiles_pool), min_size=count, max_size=count))
    ids = draw(st.lists(IDS, min_size=count, max_size=count))
    if fmt == "smi":  # a line holds the id: no line breaks in it
        ids = [name.replace("\r", "").replace("\n", "") for name in ids]
    expected = [name.strip() or str(number) for number, name in enumerate(ids, start=1)]
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        sink = io.BytesIO()
        pq.write_table(pa.table({"id": ids, "smiles": smiles}), sink)
        data = sink.getvalue()
    else:
        ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
        if fmt == "smi":
            text = "".join(f"{s} {name}{ending}" for s, name in zip(smiles, ids, strict=True))
        else:
            delimiter = "\t" if fmt == "tsv" else ","
            quote_all = draw(st.booleans())
            lines = [["id", "smiles"], *zip(ids, smiles, strict=True)]
            text = "".join(
                delimiter.join(_field(value, delimiter, quote_all) for value in line) + ending
                for line in lines
            )
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig"]))
        data = text.encode(encoding)
    name = f"library.{fmt}"
    if draw(st.booleans()):
        data, name = gzip.compress(data), name + ".gz"
    return name, data, expected


def _field(value: str, delimiter: str, quote_all: bool) -> str:
    """A CSV field: quoted when it must be (or always), quotes doubled."""
    if quote_all or any(char in value for char in (delimiter, '"', "\r", "\n")):
        return '"' + value.replace('"', '""') + '"'
    return value


def _csv_ids(data: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[0][0] == "id" and all(len(row) == len(rows[0]) for row in rows)
    return [row[0] for row in rows[1:]]


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(library=libraries())
def test_every_output_reads_back_with_the_same_rows(tmp_path_factory, monkeypatch, library):
    name, data, expected = library
    # durability is the kill-and-resume tests' business; here fsync would only cost time
    monkeypatch.setattr(writers.os, "fsync", lambda descriptor: None)
    folder = tmp_path_factory.mktemp("lib")
    source = folder / name
    source.write_bytes(data)
    statuses = None
    for output in ("out.csv", "out.csv.gz", "out.parquet"):
        path = screen(source, folder / output, chunk_size=5, quiet=True)
        if output == "out.parquet":
            back = pd.read_parquet(path)
        else:
            raw = path.read_bytes()
            text = gzip.decompress(raw) if output.endswith(".gz") else raw
            assert _csv_ids(text) == expected
            back = pd.read_csv(io.BytesIO(text), dtype=str, keep_default_na=False)
        assert back["id"].tolist() == expected
        statuses = statuses or back["status"].tolist()
        assert back["status"].tolist() == statuses
