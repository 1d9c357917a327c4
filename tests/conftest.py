"""Shared test setup: matplotlib never needs a screen; expensive results are computed once.

* The notebooks run in their own kernels (separate processes). When the session collects
  tests/test_notebooks.py they start right after collection, in a background thread, so
  that on a multi-core machine they run while the other tests do.
* The report of the focus compound is written once per session (``report_files``), for
  the report, statistics, CLI and browser tests.
* Under pytest-xdist each test process would do that work again: :func:`built_once` has
  the first process that needs a result build it in a folder all processes share, and the
  others wait for it (the notebooks were executed twice, about 20 CPU s, before).
"""

from __future__ import annotations

import importlib.util
import os
import pickle
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: every test process builds its own
    fcntl = None

T = TypeVar("T")

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


def built_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], T]) -> T:
    """``build(folder)`` once per test run, whatever the number of xdist test processes.

    The first process to ask builds in ``<run's temp root>/<name>`` under a lock and keeps
    the (pickled) result; the others wait for the lock and load it. A build that raises
    leaves nothing behind, so the next process to ask tries for itself.
    """
    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # popen-gw0, popen-gw1 ... share their parent
    folder, done = root / name, root / f"{name}.pickle"
    if fcntl is None:
        folder = factory.mktemp(name)
        return build(folder)
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if done.exists():
            return pickle.loads(done.read_bytes())
        folder.mkdir(exist_ok=True)
        result = build(folder)
        done.write_bytes(pickle.dumps(result))
        return result


def _execute_notebooks(paths: list[Path], env: dict[str, str] | None = None) -> dict:
    runner = notebook_runner()
    results: dict[str, object] = {}
    for path in paths:
        try:
            results[path.name] = runner.execute(path, timeout=300, env=env)
        except Exception as error:  # noqa: BLE001 - reported by the test that needs it
            results[path.name] = RuntimeError(f"{type(error).__name__}: {error}")
    return results


def _run_notebooks(
    paths: list[Path],
    env: dict[str, str] | None = None,
    factory: pytest.TempPathFactory | None = None,
) -> None:
    if factory is None:
        _NOTEBOOK_RESULTS.update(_execute_notebooks(paths, env))
        return
    key = "notebooks-" + "-".join(path.stem for path in paths)
    _NOTEBOOK_RESULTS.update(built_once(factory, key, lambda _: _execute_notebooks(paths, env)))


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
    factory = getattr(session.config, "_tmp_path_factory", None)
    thread = threading.Thread(target=_run_notebooks, args=(paths, env, factory), daemon=True)
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

    return built_once(
        tmp_path_factory,
        "report",
        lambda folder: {
            suffix: write_report(folder / f"report.{suffix}") for suffix in ("html", "md")
        },
    )


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
