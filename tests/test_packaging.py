"""A plain, non-editable install ships the reference set and loads it.

Builds the wheel once (no build isolation, so no network and a few seconds) from a copy of
the project's sources in a temporary folder, so the shared working tree gets no build/
or egg-info debris.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from imidchem.data.reference import reference_path

DATA_CSV = reference_path()


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("setuptools")
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    if (ROOT / "LICENSE").exists():
        shutil.copy2(ROOT / "LICENSE", source / "LICENSE")
    shutil.copytree(
        ROOT / "src",
        source / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"),
    )
    out = tmp_path_factory.mktemp("wheelhouse")
    result = _run(
        [
            sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
            "--disable-pip-version-check", "-q", "-w", str(out), str(source),
        ]
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    wheels = list(out.glob("imidchem-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_wheel_contains_identical_reference_csv(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "imidchem/data/smiles.csv" in names
        assert archive.read("imidchem/data/smiles.csv") == DATA_CSV.read_bytes()
        # the shipped background, its fingerprints and the labelled example come along
        for data in ("nci_background.smi", "nci_background_fps.npz", "examples/labelled.csv"):
            assert f"imidchem/data/{data}" in names, data
        # the code and the console script come along too
        assert "imidchem/cli.py" in names
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        assert "imidchem = imidchem.cli:entry_point" in archive.read(entry_points).decode()


def test_non_editable_install_loads_reference(wheel, tmp_path):
    target = tmp_path / "site"
    result = _run(
        [
            sys.executable, "-m", "pip", "install", "--no-deps", "--no-index",
            "--disable-pip-version-check", "-q", "--target", str(target), str(wheel),
        ]
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert (target / "imidchem" / "data" / "smiles.csv").read_bytes() == DATA_CSV.read_bytes()

    code = (
        "import imidchem, imidchem.data.reference as r\n"
        "print(imidchem.__file__)\n"
        "print(r.reference_path())\n"
        "ref = imidchem.load_reference()\n"
        "print(len(ref))\n"
        "print(ref.set_index('name').loc['apremilast', 'inchikey'])\n"
        "import imidchem.data.background as b\n"
        "print(b.data_path(b.FINGERPRINT_FILE), len(b.background_fingerprints('maccs')))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    run = _run([sys.executable, "-c", code], env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    module_file, data_path, count, key, background = run.stdout.split("\n")[:5]
    fingerprints, size = background.split()
    assert Path(fingerprints).resolve().is_relative_to(target.resolve()) and size == "4991"
    # imported from the installed copy, not from the editable source tree
    assert Path(module_file).resolve().is_relative_to(target.resolve())
    assert Path(data_path).resolve().is_relative_to(target.resolve())
    with open(DATA_CSV, encoding="utf-8") as handle:
        rows = sum(1 for line in handle if line.strip()) - 1
    assert int(count) == rows
    assert key == "IMOZEMNVLZVGJZ-QGZVFWFLSA-N"
    assert run.stderr == ""
