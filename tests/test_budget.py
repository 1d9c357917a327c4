"""engine.budget: the per-record size limits and the wall-time watchdog, no process-wide state."""

from __future__ import annotations

import csv
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from conftest import THALIDOMIDE

from imidchem import screen
from imidchem.cli import main
from imidchem.engine.budget import Limits
from imidchem.engine.options import ScreenOptions
from imidchem.engine.screen import screen_chunk

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


SLOW = ".".join(["CC(=O)O"] * 700)  # about a second of standardisation
LIMIT = 0.4  # well above a fine record's time on a loaded machine, well below SLOW's
TIMEOUT = "took longer than the limit of 0.4 s (max_seconds, --max-seconds)"
# The batch tests rerun every fine record alone under the limit and read which record was in
# flight when the batch was cut, so they take more room on both sides: a fine record (well
# under 0.01 s) must not be stalled past the limit by a loaded test machine (it was, once,
# at 0.4 s), and the slow one (one RDKit call of about 2 s) must still be cut.
BATCH_SLOW = ".".join(["CC(=O)O"] * 1050)
BATCH_LIMIT = 0.8
BATCH_TIMEOUT = "took longer than the limit of 0.8 s (max_seconds, --max-seconds)"


def _slow_frame() -> pd.DataFrame:
    return pd.DataFrame({"id": ["slow", "fine"], "smiles": [SLOW, THALIDOMIDE]})


def _assert_timed_out(result: pd.DataFrame) -> None:
    assert result["status"].tolist() == ["error", "ok"]
    assert result.loc[0, "error"] == TIMEOUT


@pytest.mark.parametrize("workers", [1, 2])
def test_wall_time_limit_in_the_main_thread_and_in_pool_workers(workers):
    result = screen(
        _slow_frame(), workers=workers, max_fragments=5000, max_chars=50_000,
        max_atoms=10_000, max_seconds=LIMIT, quiet=True,
    )  # fmt: skip
    _assert_timed_out(result)


def test_wall_time_limit_in_a_worker_thread_like_dask():
    limits = Limits(max_fragments=5000, max_chars=50_000, max_atoms=10_000, max_seconds=LIMIT)
    records = [("slow", SLOW, ""), ("fine", THALIDOMIDE, "")]
    with ThreadPoolExecutor(1) as pool:
        payload, rows, errors, hits = pool.submit(
            screen_chunk, "smiles", records, "columns", ScreenOptions(limits=limits)
        ).result()
    assert (rows, errors) == (2, 1)
    assert payload["error"] == [
        TIMEOUT,
        "",
    ]
    assert threading.active_count() >= 1


def _batch_with_a_slow_record(monkeypatch, clock_shift: float = 0.0):
    """Screen a batch with one slow record under the BATCH_LIMIT; the rows, the solo rows
    and the names of the records run again alone. ``clock_shift`` is added to the clock
    the batch reads when it is cut (how long the running record's step has taken)."""
    import imidchem.engine.screen as engine

    fine = [THALIDOMIDE, "CCO", "Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O", "c1ccncc1", "C1CC"]
    records = [(f"a{i}", s, "") for i, s in enumerate(fine)]
    records += [("slow", BATCH_SLOW, "")] + [(f"b{i}", s, "") for i, s in enumerate(fine)]
    limits = Limits(max_fragments=5000, max_chars=50_000, max_atoms=10_000, max_seconds=BATCH_LIMIT)
    alone = [screen_chunk("smiles", [record], "columns")[0] for record in records]
    seen = []
    original = engine.screen_record
    monkeypatch.setattr(
        engine, "screen_record", lambda record, *rest: seen.append(record[0]) or original(record, *rest)
    )
    real_clock = engine.monotonic
    monkeypatch.setattr(engine, "monotonic", lambda: real_clock() + clock_shift)
    result = screen_chunk("smiles", records, "columns", ScreenOptions(limits=limits))
    return records, alone, result, seen


def test_a_slow_record_inside_a_batch_times_out_alone(monkeypatch):
    """Records go through the evidence in batches; a batch over the limit is run again
    record by record, each under its own limit: the same rows as one record at a time.

    The batch's limit is one record's limit for the whole batch, so when the batch is cut
    the slow record may have had less than its own limit (the records before it used the
    batch's time, more so on a loaded machine): it is then run once more alone, never twice."""
    records, alone, (payload, rows, errors, hits), seen = _batch_with_a_slow_record(monkeypatch)
    assert (rows, errors, hits) == (11, 3, 4), payload["error"]
    for position, single in enumerate(alone):
        got = {name: values[position] for name, values in payload.items()}
        if records[position][0] == "slow":
            assert got["error"] == BATCH_TIMEOUT
        else:
            assert got == {name: values[0] for name, values in single.items()}
    assert seen.count("slow") <= 1
    assert sorted(name for name in seen if name != "slow") == sorted(
        name for name, _, _ in records if name != "slow"
    )


def test_a_record_that_used_its_whole_limit_in_the_batch_is_not_run_again(monkeypatch):
    """The record running when the batch is cut, after its own step has taken the whole
    limit (the clock says so), gets its time-out row at once: a hostile record costs one
    limit, not two."""
    records, alone, (payload, rows, errors, hits), seen = _batch_with_a_slow_record(
        monkeypatch, clock_shift=1.0
    )
    assert (rows, errors, hits) == (11, 3, 4), payload["error"]
    slow = [name for name, _, _ in records].index("slow")
    assert payload["error"][slow] == BATCH_TIMEOUT
    assert "slow" not in seen
    assert sorted(seen) == sorted(name for name, _, _ in records if name != "slow")


def test_wall_time_limit_on_dask():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        result = screen(
            _slow_frame(), scheduler=client, max_fragments=5000, max_chars=50_000,
            max_atoms=10_000, max_seconds=LIMIT, quiet=True,
        )  # fmt: skip
    _assert_timed_out(result)


def read_back(path: Path) -> pd.DataFrame:
    """An output file as pandas reads it (text columns as text)."""
    if path.name.endswith(".parquet"):
        return pd.read_parquet(path)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


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


def test_no_process_wide_state_is_left_behind(tmp_path):
    """Reading a CSV with long fields leaves csv.field_size_limit as it was; the watchdog
    arms only the calling thread, per call, with that call's limit."""

    from imidchem.engine.budget import watchdog

    before = csv.field_size_limit()
    source = tmp_path / "long.csv"
    source.write_text("id,smiles,note\n1,CCO," + "x" * 300_000 + "\n")
    frame = screen(source, quiet=True)
    assert frame["note"].str.len().tolist() == [300_000]
    assert csv.field_size_limit() == before
    dog = watchdog()
    assert dog.run(lambda: "done", 0.02) == (True, "done")
    assert dog._interval() == 0.25  # nothing armed after the call: no short polling left
    other = []
    thread = threading.Thread(target=lambda: other.append(dog.run(lambda: 1, 5.0)))
    thread.start()
    thread.join()
    assert other == [(True, 1)]
