"""Stops: Ctrl-C, SIGTERM and SIGHUP, killed workers and processes, a lost scheduler; resume is exact."""

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
from conftest import SCREEN_DATA, SRC
from rdkit import RDConfig

from imidchem import screen
from imidchem.cli import main
from imidchem.engine import readers

NCI = Path(RDConfig.RDDataDir) / "NCI" / "first_5K.smi"  # ships with RDKit


def nci_lines(count: int) -> list[str]:
    with open(NCI) as handle:
        return [line.rstrip("\n") for _, line in zip(range(count), handle, strict=False)]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix in (".part", ".journal"))


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
    env = {**os.environ, "PYTHONPATH": str(SRC)}
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
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.rstrip().endswith("still here")
    assert run.stderr == ""


def test_ctrl_c_while_the_command_starts_prints_one_line(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    for delay in (0.2, 0.6, 1.5):
        output = tmp_path / f"o{delay}.csv"
        run = subprocess.Popen(
            [sys.executable, "-m", "imidchem", "screen", str(SCREEN_DATA / "library.smi"), "-o",
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
    source = SCREEN_DATA / "library.smi"
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
    assert main(["screen", str(SCREEN_DATA / "library.smi"), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err == (
        "imidchem: error: lost the Dask scheduler at tcp://10.0.0.9:8786; the rows so far "
        "are kept, to continue, start a scheduler and run: "
        "imidchem screen in.smi -o out.csv --resume\n"
    )
