"""The library screen on several processes and on Dask, kill-and-resume, the command line."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from rdkit import RDConfig

from imidchem import screen
from imidchem.cli import main
from imidchem.engine import readers
from imidchem.errors import InvalidArgumentError

DATA = Path(__file__).resolve().parent / "data" / "screen"
NCI = Path(RDConfig.RDDataDir) / "NCI" / "first_5K.smi"  # 4,999 molecules, ships with RDKit


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    """The bad-record test file followed by 400 NCI molecules (several chunks)."""
    path = tmp_path_factory.mktemp("library") / "library.smi"
    with open(NCI, "rb") as nci:
        head = b"".join(line for _, line in zip(range(400), nci, strict=False))
    path.write_bytes((DATA / "library.smi").read_bytes() + head)
    return path


@pytest.fixture(scope="module")
def serial_csv(library, tmp_path_factory) -> bytes:
    target = tmp_path_factory.mktemp("serial") / "serial.csv"
    screen(library, target, chunk_size=37, quiet=True)
    return target.read_bytes()


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_serial_output_has_every_record(serial_csv):
    frame = pd.read_csv(pd.io.common.BytesIO(serial_csv), dtype={"id": str})
    assert len(frame) == 12 + 400
    assert frame["id"].tolist()[12:15] == ["1", "2", "3"]  # NCI ids
    assert (frame["status"] == "error").sum() == 4


def test_two_processes_write_the_same_bytes(library, serial_csv, tmp_path):
    target = screen(library, tmp_path / "pool.csv", workers=2, chunk_size=37, quiet=True)
    assert target.read_bytes() == serial_csv
    # a different chunking on more processes changes nothing either
    frame = screen(library, workers=3, chunk_size=50, quiet=True)
    assert len(frame) == 412
    pd.testing.assert_frame_equal(frame, screen(library, chunk_size=1000, quiet=True))


def test_dask_client_and_address_write_the_same_bytes(library, serial_csv, tmp_path, dask_client):
    by_client = screen(library, tmp_path / "dask.csv", scheduler=dask_client, chunk_size=37)
    assert by_client.read_bytes() == serial_csv
    address = dask_client.scheduler.address
    assert address.startswith("tcp://127.0.0.1:")
    code = main(
        [
            "screen",
            str(library),
            "-o",
            str(tmp_path / "dask_cli.csv"),
            "--scheduler",
            address,
            "--chunk-size",
            "37",
            "--quiet",
        ]
    )
    assert code == 0
    assert (tmp_path / "dask_cli.csv").read_bytes() == serial_csv


def test_dask_and_pool_parquet_equal_serial(library, tmp_path, dask_client):
    serial = pd.read_parquet(screen(library, tmp_path / "s.parquet", chunk_size=37, quiet=True))
    on_dask = screen(library, scheduler=dask_client, chunk_size=37, quiet=True)
    pd.testing.assert_frame_equal(on_dask, screen(library, chunk_size=37, quiet=True))
    assert serial["id"].tolist() == on_dask["id"].tolist()
    assert serial["sim_thalidomide"].tolist() == pytest.approx(
        on_dask["sim_thalidomide"].tolist(), nan_ok=True
    )


def test_killed_run_resumes_to_the_uninterrupted_output(tmp_path):
    source = tmp_path / "nci_3000.smi"
    with open(NCI, "rb") as nci:
        source.write_bytes(b"".join(line for _, line in zip(range(3000), nci, strict=False)))
    expected = screen(source, tmp_path / "expected.csv", chunk_size=50, quiet=True).read_bytes()
    output = tmp_path / "out.csv"
    journal = tmp_path / "out.csv.journal"
    command = [sys.executable, "-m", "imidchem", "screen", str(source), "-o", str(output)]
    command += ["--chunk-size", "50", "--quiet"]
    run = subprocess.Popen(command, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and run.poll() is None:
        if journal.exists() and journal.read_text().count("\n") >= 12:  # 10 chunks done
            break
        time.sleep(0.01)
    assert run.poll() is None, "the run ended before it could be killed"
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    assert not output.exists()  # nothing under the final name
    assert (tmp_path / "out.csv.part").exists()
    done = int(journal.read_text().splitlines()[-1].split()[0])
    assert 0 < done < 3000
    resumed = subprocess.run(command + ["--resume"], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert output.read_bytes() == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["expected.csv", "nci_3000.smi", "out.csv"]


class Interrupt(BaseException):
    """Stands for Ctrl-C in the middle of a run."""


@pytest.mark.parametrize("name", ["out.csv.gz", "out.parquet"])
def test_interrupted_run_with_a_torn_chunk_resumes_exactly(tmp_path, monkeypatch, name):
    source = DATA / "library.smi"
    options = {"references": ("thalidomide", "lenalidomide"), "quiet": True}
    expected = screen(source, tmp_path / ("expected_" + name), chunk_size=3, **options)
    original = readers.RecordReader._smi_records

    def breaks_after_eight(self):
        for count, record in enumerate(original(self)):
            if count == 8:
                raise Interrupt
            yield record

    monkeypatch.setattr(readers.RecordReader, "_smi_records", breaks_after_eight)
    output = tmp_path / name
    with pytest.raises(Interrupt):
        screen(source, output, chunk_size=3, **options)
    monkeypatch.undo()
    assert not output.exists()
    part, journal = tmp_path / (name + ".part"), tmp_path / (name + ".journal")
    assert journal.read_text().splitlines()[-1].split()[0] == "6"  # two chunks of three
    with open(part, "ab") as torn:  # a chunk half-written when the process died
        torn.write(b"\x00half a chunk")
    with open(journal, "a") as torn:
        torn.write("9 3 1 12")  # and its journal line cut short
    screen(source, output, chunk_size=5, resume=True, **options)
    if name.endswith(".parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(output), pd.read_parquet(expected))
    else:  # one gzip member per chunk: the chunking differs, the text is the same
        assert gzip.decompress(output.read_bytes()) == gzip.decompress(expected.read_bytes())
    assert not part.exists() and not journal.exists()


def test_resume_refuses_a_journal_of_another_run(tmp_path, monkeypatch):
    output = tmp_path / "out.csv"
    original = readers.RecordReader._smi_records

    def breaks(self):
        yield from list(original(self))[:4]
        raise Interrupt

    monkeypatch.setattr(readers.RecordReader, "_smi_records", breaks)
    with pytest.raises(Interrupt):
        screen(DATA / "library.smi", output, chunk_size=2, quiet=True)
    monkeypatch.undo()
    with pytest.raises(InvalidArgumentError, match="run without --resume to start over"):
        screen(DATA / "library.smi", output, references="thalidomide", resume=True, quiet=True)
    # without --resume the run starts over and completes
    screen(DATA / "library.smi", output, quiet=True)
    assert len(pd.read_csv(output)) == 12


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missing.smi", "-o", "out.csv"], "input file not found: missing.smi"),
        (
            [str(DATA / "library.csv"), "-o", "out.csv", "--smiles-col", "smi"],
            "available columns: ID, Structure, note",
        ),
        (
            [str(DATA / "library.smi"), "-o", "out.csv", "--references", "thalidomide,aspirin"],
            "unknown compound 'aspirin'",
        ),
        ([str(DATA / "library.smi"), "-o", "nowhere/out.csv"], "folder nowhere does not exist"),
        ([str(DATA / "library.smi"), "-o", "out.json"], "allowed: .csv, .csv.gz, .parquet"),
        (
            [str(DATA / "make_files.py"), "-o", "out.csv"],
            "allowed: .smi, .smiles, .csv, .tsv, .sdf",
        ),
        ([str(DATA / "library.smi"), "-o", "out.csv", "--workers", "0"], "workers must be"),
        ([str(DATA / "library.sdf"), "-o", "out.csv", "--id-col", "CAS"], "available fields: ID"),
    ],
)
def test_cli_bad_arguments_one_line_and_nothing_written(
    tmp_path, monkeypatch, capsys, arguments, message
):
    monkeypatch.chdir(tmp_path)
    assert main(["screen", *arguments, "--quiet"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("imidchem: error: ")
    assert message in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_cli_output_to_an_existing_folder_or_over_the_input(tmp_path, capsys):
    (tmp_path / "taken.csv").mkdir()
    assert main(["screen", str(DATA / "library.smi"), "-o", str(tmp_path / "taken.csv")]) == 2
    assert "it is a folder" in capsys.readouterr().err
    copy = tmp_path / "copy.csv"
    copy.write_bytes((DATA / "library.csv").read_bytes())
    args = ["screen", str(copy), "-o", str(copy), "--smiles-col", "Structure"]
    assert main(args) == 2
    assert "would overwrite the input" in capsys.readouterr().err


def test_cli_success_prints_a_summary(tmp_path, capsys):
    assert main(["screen", str(DATA / "library.smi"), "-o", str(tmp_path / "o.csv")]) == 0
    out = capsys.readouterr().out
    assert out.strip() == (
        f"screened 12 records (4 errors, 3 cereblon binders, levels 1-2) -> {tmp_path / 'o.csv'}"
    )


def test_a_lost_scheduler_is_one_line_naming_the_address_and_resume(tmp_path, capsys, monkeypatch):
    """The engine turns the client's cancelled futures into SchedulerLostError (checked by
    hand against a killed ``dask scheduler``: the rerun with --resume was byte-identical);
    the command prints it as one line with the command that continues."""
    from imidchem.engine import screen as engine

    class FutureCancelledError(Exception):
        pass

    class Future:
        def result(self):
            raise FutureCancelledError("lost")

        def cancel(self):
            pass

    class Client:
        status = "closed"
        scheduler = type("Scheduler", (), {"address": "tcp://10.0.0.9:8786"})()

        def scheduler_info(self):
            return {"workers": {"w": {}}}

        def submit(self, *args, **kwargs):
            return Future()

    chunks = iter([[("1", "CCO", "")]])
    with pytest.raises(engine.SchedulerLostError, match="tcp://10.0.0.9:8786"):
        list(engine._dask(chunks, "smiles", "csv", engine.DEFAULT_OPTIONS, Client(), False))

    def lost(*args, **kwargs):
        raise engine.SchedulerLostError("tcp://10.0.0.9:8786")

    monkeypatch.setattr(engine, "run_screen", lost)
    monkeypatch.setattr(sys, "argv", ["imidchem", "screen", "in.smi", "-o", "out.csv"])
    out = tmp_path / "out.csv"
    assert main(["screen", str(DATA / "library.smi"), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err == (
        "imidchem: error: lost the Dask scheduler at tcp://10.0.0.9:8786; the rows so far "
        "are kept, to continue, start a scheduler and run: "
        "imidchem screen in.smi -o out.csv --resume\n"
    )
