"""Never lose or corrupt a row: hostile records and files, limits, signals (issue 11)."""

from __future__ import annotations

import csv
import gzip
import io
import os
import signal
import subprocess
import sys
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from rdkit import Chem, RDConfig

from imidchem import screen
from imidchem.cli import main
from imidchem.engine.budget import Limits
from imidchem.engine.options import ScreenOptions
from imidchem.engine.screen import screen_chunk

DATA = Path(__file__).resolve().parent / "data" / "screen"
NCI = Path(RDConfig.RDDataDir) / "NCI" / "first_5K.smi"  # ships with RDKit
THALIDOMIDE = "O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1"
SRC = str(Path(__file__).resolve().parent.parent / "src")


def nci_lines(count: int) -> list[str]:
    with open(NCI) as handle:
        return [line.rstrip("\n") for _, line in zip(range(count), handle, strict=False)]


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


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix in (".part", ".journal"))


def run_cli(*arguments: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run(
        [sys.executable, "-m", "imidchem", *arguments],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


# -- 1. a line break inside an id or SMILES ------------------------------------------------


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


def test_smi_with_bare_carriage_return_line_ends(tmp_path):
    source = tmp_path / "mac.smi"
    source.write_bytes(b"CCO one\rc1ccccc1 two\r\rCCN three\r\nCCC four")
    frame = screen(source, quiet=True)
    assert frame["id"].tolist() == ["one", "two", "3", "three", "four"]
    assert frame["status"].tolist() == ["ok", "ok", "error", "ok", "ok"]
    assert frame.loc[2, "error"] == "line 3: empty line"
    data = screen(source, tmp_path / "mac.csv", quiet=True).read_bytes()
    assert b"\r" not in data and len(csv_rows(data)) == 6


# -- 2. truncated or corrupt .gz input -----------------------------------------------------


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
def test_truncated_gzip_keeps_the_rows_read_and_says_so(tmp_path, fmt, count):
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
    result = run_cli("screen", str(cut), "-o", str(tmp_path / "cli.csv"), "--quiet")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "ends early (truncated file); the records after it are lost" in result.stderr
    assert (tmp_path / "cli.csv").read_bytes() == output.read_bytes()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", ["smi", "csv", "sdf", "parquet"])
def test_unreadable_gzip_is_one_line_and_nothing_written(tmp_path, fmt, monkeypatch, capsys):
    small = tmp_path / f"small.{fmt}.gz"
    small.write_bytes(gzip.compress((DATA / f"library.{fmt}").read_bytes())[:40])
    garbage = tmp_path / f"garbage.{fmt}.gz"
    garbage.write_bytes(b"this is not gzip data\n")
    monkeypatch.chdir(tmp_path)
    for path, reason in ((small, "ends early"), (garbage, "corrupt gzip data")):
        assert main(["screen", path.name, "-o", "out.csv", "--quiet"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith(f"imidchem: error: cannot read {path.name}")
        assert reason in err
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([small.name, garbage.name])


# -- 3. huge fields and lines --------------------------------------------------------------


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


# -- 4. the per-record budget --------------------------------------------------------------

HOSTILE = [
    ("frags", ".".join(["C"] * 10_000)),  # took minutes in standardisation
    ("chain", "C" * 60_000),  # 37 s before
    ("many", ".".join(["C"] * 3_000)),  # 17 s before
    ("thalidomide", THALIDOMIDE),
]


@pytest.mark.parametrize("workers", [1, 2])
def test_hostile_records_are_refused_before_the_chemistry(workers):
    frame = pd.DataFrame(HOSTILE, columns=["id", "smiles"])
    start = time.monotonic()
    result = screen(frame, workers=workers, quiet=True)
    assert time.monotonic() - start < 30
    assert result["status"].tolist() == ["error", "error", "error", "ok"]
    assert result["error"].tolist()[:3] == [
        "10,000 dot-separated parts, over the limit of 100 (max_fragments, --max-fragments)",
        "SMILES of 60,000 characters, over the limit of 20,000 (max_chars, --max-chars)",
        "3,000 dot-separated parts, over the limit of 100 (max_fragments, --max-fragments)",
    ]


def test_each_limit_is_settable_and_reported():
    records = ["C" * 30, "C.C.C.C", "CCO"]
    frame = screen(records, max_atoms=20, max_fragments=3, quiet=True)
    assert frame["error"].tolist() == [
        "30 atoms, over the limit of 20 (max_atoms, --max-atoms)",
        "4 dot-separated parts, over the limit of 3 (max_fragments, --max-fragments)",
        "",
    ]
    frame = screen(["C" * 30], max_chars=10, quiet=True)
    assert frame.loc[0, "error"].startswith("SMILES of 30 characters, over the limit of 10")
    with pytest.raises(Exception, match="max_seconds must be a number above 0"):
        screen(["CCO"], max_seconds=0)


SLOW = ".".join(["CC(=O)O"] * 300)  # a quarter of a second of standardisation


def _slow_frame() -> pd.DataFrame:
    return pd.DataFrame({"id": ["slow", "fine"], "smiles": [SLOW, THALIDOMIDE]})


def _assert_timed_out(result: pd.DataFrame) -> None:
    assert result["status"].tolist() == ["error", "ok"]
    assert result.loc[0, "error"] == "took longer than the limit of 0.05 s (max_seconds, --max-seconds)"


@pytest.mark.parametrize("workers", [1, 2])
def test_wall_time_limit_in_the_main_thread_and_in_pool_workers(workers):
    result = screen(
        _slow_frame(), workers=workers, max_fragments=5000, max_chars=50_000,
        max_atoms=10_000, max_seconds=0.05, quiet=True,
    )  # fmt: skip
    _assert_timed_out(result)


def test_wall_time_limit_in_a_worker_thread_like_dask():
    limits = Limits(max_fragments=5000, max_chars=50_000, max_atoms=10_000, max_seconds=0.05)
    records = [("slow", SLOW, ""), ("fine", THALIDOMIDE, "")]
    with ThreadPoolExecutor(1) as pool:
        payload, rows, errors, hits = pool.submit(
            screen_chunk, "smiles", records, "columns", ScreenOptions(limits=limits)
        ).result()
    assert (rows, errors) == (2, 1)
    assert payload["error"] == [
        "took longer than the limit of 0.05 s (max_seconds, --max-seconds)",
        "",
    ]
    assert threading.active_count() >= 1


def test_a_slow_record_inside_a_batch_times_out_alone_and_runs_once(monkeypatch):
    """Records go through the evidence in batches; a batch over the limit is run again
    record by record, except the record that ran over the limit on its own."""
    import imidchem.engine.screen as engine

    fine = [THALIDOMIDE, "CCO", "Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O", "c1ccncc1", "C1CC"]
    records = [(f"a{i}", s, "") for i, s in enumerate(fine)]
    records += [("slow", SLOW, "")] + [(f"b{i}", s, "") for i, s in enumerate(fine)]
    limits = Limits(max_fragments=5000, max_chars=50_000, max_atoms=10_000, max_seconds=0.05)
    alone = [screen_chunk("smiles", [record], "columns")[0] for record in records]
    seen = []
    original = engine.screen_record
    monkeypatch.setattr(
        engine, "screen_record", lambda record, *rest: seen.append(record[0]) or original(record, *rest)
    )
    payload, rows, errors, hits = screen_chunk("smiles", records, "columns", ScreenOptions(limits=limits))
    assert (rows, errors, hits) == (11, 3, 4)
    for position, single in enumerate(alone):
        got = {name: values[position] for name, values in payload.items()}
        if records[position][0] == "slow":
            assert got["error"] == "took longer than the limit of 0.05 s (max_seconds, --max-seconds)"
        else:
            assert got == {name: values[0] for name, values in single.items()}
    assert "slow" not in seen  # not run a second time
    assert sorted(seen) == sorted(name for name, _, _ in records if name != "slow")


def test_wall_time_limit_on_dask():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        result = screen(
            _slow_frame(), scheduler=client, max_fragments=5000, max_chars=50_000,
            max_atoms=10_000, max_seconds=0.05, quiet=True,
        )  # fmt: skip
    _assert_timed_out(result)


def test_limits_on_the_command_line(tmp_path, capsys):
    source = tmp_path / "in.smi"
    source.write_text("CCCCCCCCCCCC long\nCCO short\n")
    out = tmp_path / "out.csv"
    assert main(["screen", str(source), "-o", str(out), "--max-atoms", "10", "--quiet"]) == 0
    assert read_back(out)["status"].tolist() == ["error", "ok"]
    assert main(["screen", str(source), "-o", str(out), "--max-seconds", "0", "--force"]) == 2
    assert capsys.readouterr().err.strip() == (
        "imidchem: error: max_seconds must be a number above 0, got 0.0"
    )


# -- 5. SIGTERM and SIGHUP with workers ----------------------------------------------------


@pytest.fixture(scope="module")
def nci_source(tmp_path_factory) -> tuple[Path, bytes]:
    folder = tmp_path_factory.mktemp("nci")
    source = folder / "nci.smi"
    source.write_text("\n".join(nci_lines(2500)) + "\n")
    expected = screen(source, folder / "expected.csv", chunk_size=50, quiet=True).read_bytes()
    return source, expected


def _group_alive(pgid: int) -> list[str]:
    """Processes of a process group that are still running (zombies do not count)."""
    found = subprocess.run(
        ["ps", "-o", "pid=,stat=", "-g", str(pgid)], capture_output=True, text=True
    ).stdout.split("\n")
    return [line for line in found if line.strip() and "Z" not in line.split()[1]]


def start_two_worker_run(tmp_path, source, journal_lines: int):
    """``imidchem screen`` of ``source`` on 2 workers in chunks of 50, returned once its
    journal has ``journal_lines`` lines (or it ended): (process, command, environment, output)."""
    output = tmp_path / "out.csv"
    journal = tmp_path / "out.csv.journal"
    command = [sys.executable, "-m", "imidchem", "screen", str(source), "-o", str(output)]
    command += ["--workers", "2", "--chunk-size", "50", "--quiet"]
    env = {**os.environ, "PYTHONPATH": SRC}
    run = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=env
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and run.poll() is None:
        if journal.exists() and journal.read_text().count("\n") >= journal_lines:
            break
        time.sleep(0.01)
    return run, command, env, output


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_signal_with_two_workers_ends_everything_and_resumes_exactly(
    tmp_path, nci_source, signum
):
    source, expected = nci_source
    run, command, env, output = start_two_worker_run(tmp_path, source, 5)  # 3 chunks done
    assert run.poll() is None, "the run ended before the signal"
    os.kill(run.pid, signum)
    out, err = run.communicate(timeout=60)  # returns only when no process holds the pipes
    assert run.returncode == 128 + signum
    lines = err.decode().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"imidchem: stopped by {signal.Signals(signum).name}; ")
    assert "run the same command with --resume to continue" in lines[0]
    deadline = time.monotonic() + 20
    while _group_alive(run.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _group_alive(run.pid) == []  # workers, forkserver and resource tracker ended
    assert not output.exists() and output.with_name("out.csv.journal").exists()
    resumed = subprocess.run(command + ["--resume"], capture_output=True, env=env, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert output.read_bytes() == expected
    assert leftovers(tmp_path) == []


# -- 6. validate on unreadable files ---------------------------------------------------------


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


# -- 7. a malformed Dask scheduler address ---------------------------------------------------


def test_malformed_scheduler_address_is_one_line_at_once(tmp_path):
    pytest.importorskip("distributed")
    start = time.monotonic()
    result = run_cli(
        "screen", str(DATA / "library.smi"), "-o", str(tmp_path / "o.csv"), "--scheduler",
        "notaurl", timeout=60,
    )  # fmt: skip
    assert time.monotonic() - start < 20
    assert result.returncode == 2
    assert result.stderr == (
        "imidchem: error: not a Dask scheduler address: 'notaurl' "
        "(missing port number in address 'notaurl'); expected e.g. tcp://host:8786\n"
    )
    assert list(tmp_path.iterdir()) == []


# -- the weaker points -----------------------------------------------------------------------


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


def test_existing_output_needs_force_and_a_complete_one_cannot_be_resumed(tmp_path, capsys):
    out = tmp_path / "out.csv"
    out.write_text("precious\n")
    source = str(DATA / "library.smi")
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


def test_missing_output_says_how_to_write_to_standard_output(capsys):
    assert main(["screen", str(DATA / "library.smi")]) == 2
    assert capsys.readouterr().err == (
        "imidchem: error: no output: give -o FILE (.csv, .csv.gz, .parquet), "
        "or -o - for CSV on standard output\n"
    )


def test_formula_guard_is_opt_in(tmp_path):
    source = tmp_path / "ids.csv"
    source.write_text('id,smiles\n=HYPERLINK("x"),CCO\n+1,CCN\n-2,CCC\n@a,c1ccccc1\nplain,C\n')
    plain = read_back(screen(source, tmp_path / "plain.csv", quiet=True))
    assert plain["id"].tolist() == ['=HYPERLINK("x")', "+1", "-2", "@a", "plain"]
    guarded = read_back(screen(source, tmp_path / "safe.csv", escape_formulas=True, quiet=True))
    assert guarded["id"].tolist() == ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@a", "plain"]
    with pytest.raises(Exception, match="applies to CSV output only"):
        screen(source, tmp_path / "x.parquet", escape_formulas=True)


def test_surrogates_in_a_frame_do_not_break_the_writers(tmp_path):
    data = {"id": ["ok", "bad\udce9id"], "smiles": ["CCO", "C\udcffC"]}
    frame = pd.DataFrame(data, dtype=object)  # lone surrogates, as surrogateescape makes them
    for name in ("o.csv", "o.parquet"):
        back = read_back(screen(frame, tmp_path / name, quiet=True))
        assert back["id"].tolist() == ["ok", "bad\ufffdid"]
        assert back["status"].tolist() == ["ok", "error"]


def test_a_stop_after_the_command_finished_does_not_kill_the_exit():
    # The imidchem command ignores stop signals once its work is done (the interpreter
    # shutting down would otherwise die of a late Ctrl-C with no word and status -2);
    # main() called as a function hands the caller's handlers back.
    code = (
        "import os, signal\n"
        "from imidchem.cli import main\n"
        "assert main(['patterns']) == 0\n"
        "assert signal.getsignal(signal.SIGINT) is signal.default_int_handler\n"
        "assert main(['patterns'], exiting=True) == 0\n"
        "assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN\n"
        "os.kill(os.getpid(), signal.SIGINT)\n"
        "print('still here')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": SRC},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.rstrip().endswith("still here")
    assert run.stderr == ""


def test_ctrl_c_while_the_command_starts_prints_one_line(tmp_path):
    env = {**os.environ, "PYTHONPATH": SRC}
    for delay in (0.2, 0.6, 1.5):
        output = tmp_path / f"o{delay}.csv"
        run = subprocess.Popen(
            [sys.executable, "-m", "imidchem", "screen", str(DATA / "library.smi"), "-o",
             str(output), "--workers", "2", "--quiet"],
            stderr=subprocess.PIPE, env=env, start_new_session=True,
        )  # fmt: skip
        time.sleep(delay)
        os.killpg(run.pid, signal.SIGINT)  # as Ctrl-C does: the whole process group
        _, err = run.communicate(timeout=60)
        text = err.decode()
        assert "Traceback" not in text, text
        if run.returncode != 0:  # 0: it had finished already
            assert run.returncode == 130, text
            assert text.count("\n") == 1 and text.startswith("imidchem: interrupted"), text


def test_a_byte_order_mark_alone_is_no_record(tmp_path):
    (tmp_path / "bom.smi").write_bytes(b"\xef\xbb\xbf")
    (tmp_path / "bom_line.smi").write_bytes(b"\xef\xbb\xbf\n")
    assert len(screen(tmp_path / "bom.smi", quiet=True)) == 0
    assert screen(tmp_path / "bom_line.smi", quiet=True)["error"].tolist() == [
        "line 1: empty line"
    ]


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
    env = {**os.environ, "PYTHONPATH": SRC}
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


def test_a_killed_worker_ends_in_one_line_and_resume_completes(tmp_path, nci_source):
    source, expected = nci_source
    run, command, env, output = start_two_worker_run(tmp_path, source, 4)
    table = subprocess.run(
        ["ps", "-o", "pid=,ppid=", "-g", str(run.pid)], capture_output=True, text=True
    ).stdout.split()
    parents = dict(zip(table[0::2], table[1::2], strict=True))
    helpers = {pid for pid, parent in parents.items() if parent == str(run.pid)}
    workers = [pid for pid, parent in parents.items() if parent in helpers]  # forkserver's
    assert workers, parents
    os.kill(int(workers[0]), signal.SIGKILL)  # as the out-of-memory killer would
    _, err = run.communicate(timeout=60)
    assert run.returncode == 2
    lines = err.decode().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("imidchem: error: a worker process died on the chunk of records ")
    assert lines[0].endswith("--resume continues with that chunk")
    resumed = subprocess.run(command + ["--resume"], capture_output=True, env=env, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert output.read_bytes() == expected
