"""engine.screen: chunks, workers and Dask give the same bytes; options, columns, resume, the command."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import SCREEN_DATA, THALIDOMIDE
from rdkit import Chem, DataStructs, RDConfig
from rdkit.Chem import rdFingerprintGenerator

from imidchem import screen
from imidchem.cli import main
from imidchem.engine import readers
from imidchem.engine.progress import Progress
from imidchem.engine.screen import WORKER_ENVIRONMENT, run_screen, start_pool
from imidchem.engine.writers import COLUMNS
from imidchem.errors import ImidchemError, InvalidArgumentError, UnknownNameError


def test_chunk_boundaries_do_not_change_the_output(tmp_path):
    outputs = []
    for size in (1, 2, 5, 1000):
        target = tmp_path / f"out_{size}.csv"
        screen(SCREEN_DATA / "library.smi", target, chunk_size=size, quiet=True)
        outputs.append(target.read_bytes())
    assert outputs[0].count(b"\n") == 13  # header + 12 records
    assert all(output == outputs[0] for output in outputs)


_MORGAN = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)


def rdkit_tanimoto(smiles: str, other: str = THALIDOMIDE) -> float:
    """Tanimoto on Morgan r2 / 2048 bits computed with RDKit alone."""
    first, second = (_MORGAN.GetFingerprint(Chem.MolFromSmiles(s)) for s in (smiles, other))
    return DataStructs.TanimotoSimilarity(first, second)


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
        screen(SCREEN_DATA / "library.csv", smiles_col="smile")
    with pytest.raises(InvalidArgumentError, match="available columns: ID, Structure, note"):
        screen(SCREEN_DATA / "library.csv")  # no column called smiles
    with pytest.raises(UnknownNameError, match="'aspirin': not in the reference set"):
        screen(SCREEN_DATA / "library.smi", references=["thalidomide", "aspirin"])
    with pytest.raises(InvalidArgumentError, match=r"allowed: \.csv, \.csv\.gz, \.parquet"):
        screen(SCREEN_DATA / "library.smi", tmp_path / "out.xlsx")
    with pytest.raises(InvalidArgumentError, match="does not exist"):
        screen(SCREEN_DATA / "library.smi", tmp_path / "no" / "out.csv")
    with pytest.raises(InvalidArgumentError, match="at least 1"):
        screen(SCREEN_DATA / "library.smi", workers=0)
    with pytest.raises(InvalidArgumentError, match="at least 1"):
        screen(SCREEN_DATA / "library.smi", chunk_size=0)
    with pytest.raises(InvalidArgumentError, match="resume needs an output file"):
        screen(SCREEN_DATA / "library.smi", resume=True)
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


CRBN = "IMiD-like cereblon binder"


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


def test_columns_asked_for_are_the_only_ones_written(tmp_path):
    source = SCREEN_DATA / "library.smi"
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


NCI = Path(RDConfig.RDDataDir) / "NCI" / "first_5K.smi"  # 4,999 molecules, ships with RDKit


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    """The bad-record test file followed by 400 NCI molecules (several chunks)."""
    path = tmp_path_factory.mktemp("library") / "library.smi"
    with open(NCI, "rb") as nci:
        head = b"".join(line for _, line in zip(range(400), nci, strict=False))
    path.write_bytes((SCREEN_DATA / "library.smi").read_bytes() + head)
    return path


@pytest.fixture(scope="module")
def serial_csv(library, tmp_path_factory) -> bytes:
    target = tmp_path_factory.mktemp("serial") / "serial.csv"
    screen(library, target, chunk_size=37, quiet=True)
    return target.read_bytes()


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


def _blas_threads() -> tuple:
    from threadpoolctl import threadpool_info

    blas = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    return os.environ.get("OPENBLAS_NUM_THREADS"), blas


def test_pool_workers_run_one_blas_thread(monkeypatch):
    pytest.importorskip("threadpoolctl")
    for name in WORKER_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    pool = start_pool(1)
    try:
        variable, blas = pool.submit(_blas_threads).result(timeout=60)
    finally:
        pool.shutdown()
    assert variable == "1"
    assert blas and set(blas) == {1}  # numpy's OpenBLAS, as loaded in the worker
    assert "OPENBLAS_NUM_THREADS" not in os.environ  # this process restored


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


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


class Interrupt(BaseException):
    """Stands for Ctrl-C in the middle of a run."""


def test_resume_refuses_a_journal_of_another_run(tmp_path, monkeypatch):
    output = tmp_path / "out.csv"
    original = readers.RecordReader._smi_records

    def breaks(self):
        yield from list(original(self))[:4]
        raise Interrupt

    monkeypatch.setattr(readers.RecordReader, "_smi_records", breaks)
    with pytest.raises(Interrupt):
        screen(SCREEN_DATA / "library.smi", output, chunk_size=2, quiet=True)
    monkeypatch.undo()
    with pytest.raises(InvalidArgumentError, match="run without --resume to start over"):
        screen(SCREEN_DATA / "library.smi", output, references="thalidomide", resume=True, quiet=True)
    # without --resume the run starts over and completes
    screen(SCREEN_DATA / "library.smi", output, quiet=True)
    assert len(pd.read_csv(output)) == 12


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missing.smi", "-o", "out.csv"], "input file not found: missing.smi"),
        (
            [str(SCREEN_DATA / "library.csv"), "-o", "out.csv", "--smiles-col", "smi"],
            "available columns: ID, Structure, note",
        ),
        (
            [str(SCREEN_DATA / "library.smi"), "-o", "out.csv", "--references", "thalidomide,aspirin"],
            "unknown compound 'aspirin'",
        ),
        ([str(SCREEN_DATA / "library.smi"), "-o", "nowhere/out.csv"], "folder nowhere does not exist"),
        ([str(SCREEN_DATA / "library.smi"), "-o", "out.json"], "allowed: .csv, .csv.gz, .parquet"),
        (
            [str(SCREEN_DATA / "make_files.py"), "-o", "out.csv"],
            "allowed: .smi, .smiles, .csv, .tsv, .sdf",
        ),
        ([str(SCREEN_DATA / "library.smi"), "-o", "out.csv", "--workers", "0"], "workers must be"),
        ([str(SCREEN_DATA / "library.sdf"), "-o", "out.csv", "--id-col", "CAS"], "available fields: ID"),
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
    assert main(["screen", str(SCREEN_DATA / "library.smi"), "-o", str(tmp_path / "taken.csv")]) == 2
    assert "it is a folder" in capsys.readouterr().err
    copy = tmp_path / "copy.csv"
    copy.write_bytes((SCREEN_DATA / "library.csv").read_bytes())
    args = ["screen", str(copy), "-o", str(copy), "--smiles-col", "Structure"]
    assert main(args) == 2
    assert "would overwrite the input" in capsys.readouterr().err


def test_cli_success_prints_a_summary(tmp_path, capsys):
    assert main(["screen", str(SCREEN_DATA / "library.smi"), "-o", str(tmp_path / "o.csv")]) == 0
    out = capsys.readouterr().out
    assert out.strip() == (
        f"screened 12 records (4 errors, 3 cereblon binders, levels 1-2) -> {tmp_path / 'o.csv'}"
    )


def test_malformed_scheduler_address_is_one_line_at_once(run_cli, tmp_path):
    pytest.importorskip("distributed")
    start = time.monotonic()
    result = run_cli(
        "screen", str(SCREEN_DATA / "library.smi"), "-o", str(tmp_path / "o.csv"), "--scheduler",
        "notaurl", timeout=60, process=True)  # fmt: skip
    assert time.monotonic() - start < 20
    assert result.returncode == 2
    assert result.stderr == (
        "imidchem: error: not a Dask scheduler address: 'notaurl' "
        "(missing port number in address 'notaurl'); expected e.g. tcp://host:8786\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_chunk_size_follows_the_cost_of_a_record():
    """Issue 18: a `--3d` record costs about a second, a plain one about a millisecond, so
    the default chunk is 8 records with the 3-D group (every worker busy on a file of a few
    hundred molecules) and 2,000 without; a chunk size given by the user is kept either way."""
    from imidchem import defaults
    from imidchem.cli import build_parser
    from imidchem.engine.options import ScreenOptions

    assert (defaults.CHUNK_SIZE, defaults.CHUNK_SIZE_3D) == (2000, 8)
    assert ScreenOptions.build().chunk_size == 2000
    assert ScreenOptions.build(three_d=True).chunk_size == 8
    assert ScreenOptions.build(three_d=True, chunk_size=50).chunk_size == 50
    args = build_parser().parse_args(["screen", "lib.csv", "-o", "out.csv", "--3d"])
    assert ScreenOptions.from_args(args).chunk_size == 8
    args = build_parser().parse_args(["screen", "lib.csv", "-o", "out.csv"])
    assert ScreenOptions.from_args(args).chunk_size == 2000
