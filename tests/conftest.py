"""Shared test setup: matplotlib never needs a screen; expensive results are computed once.

* The notebooks run in their own kernels (separate processes). When the session collects
  tests/test_notebooks.py they start right after collection, in a background thread, so
  that on a multi-core machine they run while the other tests do.
* The report of the focus compound is written once per session (``report_files``), for
  the report, statistics, CLI and browser tests.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
_NOTEBOOK_RESULTS: dict[str, object] = {}
_NOTEBOOK_THREAD: list[threading.Thread] = []


def notebook_runner():
    """tools/run_notebooks.py as a module (its ``execute`` runs one notebook)."""
    spec = importlib.util.spec_from_file_location(
        "run_notebooks", ROOT / "tools" / "run_notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run_notebooks(paths: list[Path], env: dict[str, str] | None = None) -> None:
    runner = notebook_runner()
    for path in paths:
        try:
            _NOTEBOOK_RESULTS[path.name] = runner.execute(path, timeout=300, env=env)
        except Exception as error:  # noqa: BLE001 - reported by the test that needs it
            _NOTEBOOK_RESULTS[path.name] = error


def pytest_collection_finish(session: pytest.Session) -> None:
    if not any(item.nodeid.startswith("tests/test_notebooks.py") for item in session.items):
        return
    try:
        import ipykernel  # noqa: F401
        import matplotlib  # noqa: F401
        import nbclient  # noqa: F401
    except ImportError:
        return  # tests/test_notebooks.py skips with the reason
    paths = sorted((ROOT / "notebooks").glob("*.ipynb"))
    # the environment is copied here, on the main thread: the kernel launcher copying
    # os.environ in the thread races with pytest setting PYTEST_CURRENT_TEST (KeyError)
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_CURRENT_TEST"}
    thread = threading.Thread(target=_run_notebooks, args=(paths, env), daemon=True)
    thread.start()
    _NOTEBOOK_THREAD.append(thread)


def executed_notebooks(paths: list[Path]) -> dict:
    """Every notebook executed (by the background thread if it was started)."""
    if _NOTEBOOK_THREAD:
        _NOTEBOOK_THREAD[0].join()
    else:
        _run_notebooks(paths)
    results = {}
    for path in paths:
        result = _NOTEBOOK_RESULTS.get(path.name)
        if result is None:
            _run_notebooks([path])
            result = _NOTEBOOK_RESULTS[path.name]
        if isinstance(result, Exception):
            raise result
        results[path.name] = result
    return results


@pytest.fixture(scope="session")
def report_files(tmp_path_factory) -> dict[str, Path]:
    """The report of the default focus compound, as HTML and Markdown, written once."""
    from imidchem.view.report import write_report

    folder = tmp_path_factory.mktemp("report")
    return {suffix: write_report(folder / f"report.{suffix}") for suffix in ("html", "md")}


# -- shared fixtures: the reference compound, ../shared, the command line ---------------------

THALIDOMIDE = "O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1"
"""Thalidomide as data/smiles.csv writes it (racemic; the reference everything is compared to)."""

SHARED = ROOT.parent / "shared"
"""``../shared`` beside the checkout (CI has it beside its clone; tests that need it skip)."""

SRC = ROOT / "src"
"""The package's sources (``PYTHONPATH`` of a command run in a fresh process)."""

SCREEN_DATA = ROOT / "tests" / "data" / "screen"
"""The small input files of the screen tests (readers, writers, frames, screen, signals)."""


@pytest.fixture(scope="session")
def thalidomide() -> str:
    """Thalidomide's SMILES (the reference compound)."""
    return THALIDOMIDE


@pytest.fixture(scope="session")
def shared_data():
    """A function ``shared_data("bench/moses_train.csv.gz")``: the path under ``../shared``,
    or a skip that says which file is missing and why."""

    def find(relative: str) -> Path:
        path = SHARED / relative
        if not path.exists():
            pytest.skip(f"{path} not found (../shared is not checked out beside the repository)")
        return path

    return find


@pytest.fixture
def run_cli(capfd):
    """A function running the command line: ``run_cli("screen", "in.smi", "-o", "-")``.

    In this process by default (``main`` as the ``imidchem`` script runs it, stdout and
    stderr captured at the file-descriptor level, RDKit logs included); with
    ``process=True`` as ``python -m imidchem`` in a fresh process (for signals, exits and
    start-up). Returns a :class:`subprocess.CompletedProcess`.
    """
    import subprocess
    import sys

    from imidchem.cli import main

    def run(*args: str, process: bool = False, cwd: Path | None = None, timeout: float = 120):
        if process:
            env = {**os.environ, "PYTHONPATH": str(SRC)}
            return subprocess.run(
                [sys.executable, "-m", "imidchem", *args],
                capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd,
            )  # fmt: skip
        previous = Path.cwd()
        if cwd is not None:
            os.chdir(cwd)
        try:
            try:
                code = main(list(args))
            except SystemExit as done:  # --help and --version exit from argparse
                code = done.code or 0
        finally:
            os.chdir(previous)
        out, err = capfd.readouterr()
        return subprocess.CompletedProcess(list(args), code, out, err)

    return run
