"""Execute the notebooks top to bottom and save them with their outputs.

Usage (from the repository root)::

    .venv/bin/python tools/run_notebooks.py                 # every notebooks/*.ipynb
    .venv/bin/python tools/run_notebooks.py notebooks/02_screen_your_compounds.ipynb

Each notebook runs in a fresh ``python3`` kernel with the notebook's folder as working
directory (as in Jupyter), and is written back only if every cell succeeded. The test
suite (tests/test_notebooks.py) runs the same ``execute`` function without saving.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KERNEL = "python3"


def execute(
    path: str | Path, timeout: int = 600, env: dict[str, str] | None = None
) -> nbformat.NotebookNode:
    """Run a notebook in a fresh kernel and return it with its outputs (the file is untouched).

    ``env`` is the kernel's environment (default: a copy of this process's). A caller that
    runs this in a thread passes a snapshot taken on the main thread: copying ``os.environ``
    while pytest sets and deletes ``PYTEST_CURRENT_TEST`` raises ``KeyError``.
    """
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name=KERNEL,
        record_timing=False,  # no timestamps: re-running gives small diffs
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute(env=dict(os.environ) if env is None else env)
    return notebook


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(NOTEBOOKS.glob("*.ipynb"))
    for path in paths:
        notebook = execute(path)
        nbformat.write(notebook, path)
        print(f"executed {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
