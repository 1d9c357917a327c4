"""The command line, run as a user runs it: ``python -m imidchem ...`` in a subprocess.

All commands start at once (module fixture) so the file costs the time of the slowest
command rather than the sum of all of them.
"""

from __future__ import annotations

import base64
import csv
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
with open(REPO / "data" / "smiles.csv", newline="", encoding="utf-8") as _handle:
    NAMES = [row["name"] for row in csv.DictReader(_handle)]

COMMANDS = {
    "help": ["--help"],
    "version": ["--version"],
    "table": [],
    "explain": ["explain", "apremilast"],
    "bad_smiles": ["explain", "C1CC(N"],
    "unknown_name": ["explain", "aspirin"],
    "empty": ["explain", ""],
    "report_html": ["report", "out.html"],
    "report_md": ["report", "out.md"],
    "report_bad_ext": ["report", "out.pdf"],
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cli")


@pytest.fixture(scope="module")
def runs(workdir) -> dict[str, subprocess.CompletedProcess]:
    env = {**os.environ, "COLUMNS": "200"}
    started = {
        key: (
            args,
            subprocess.Popen(
                [sys.executable, "-m", "imidchem", *args],
                cwd=workdir,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            ),
        )
        for key, args in COMMANDS.items()
    }
    done = {}
    for key, (args, process) in started.items():
        out, err = process.communicate(timeout=300)
        done[key] = subprocess.CompletedProcess(args, process.returncode, out, err)
    return done


def assert_clean_error(run: subprocess.CompletedProcess, *fragments: str) -> None:
    assert run.returncode != 0
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr  # one line: no traceback, no RDKit log lines
    assert lines[0].startswith("imidchem: error: ")
    assert "Traceback" not in run.stderr
    assert "SMILES Parse Error" not in run.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_help(runs):
    run = runs["help"]
    assert run.returncode == 0
    assert run.stdout.startswith("usage: imidchem")
    for command in ("table", "explain", "report"):
        assert command in run.stdout
    assert run.stderr == ""


def test_version(runs):
    import imidchem

    assert runs["version"].returncode == 0
    assert runs["version"].stdout.strip() == f"imidchem {imidchem.__version__}"


def test_default_prints_the_verdict_table(runs):
    run = runs["table"]
    assert run.returncode == 0
    assert run.stderr == ""
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    assert len(lines) == len(NAMES) + 1  # header + one line per compound
    assert "verdict" in lines[0]
    for name, line in zip(NAMES, lines[1:], strict=True):
        assert re.search(rf"(^|\s){re.escape(name)}\s", line), (name, line)
    apremilast = next(line for line in lines if re.search(r"\sapremilast\s", line))
    assert "not a cereblon binder" in apremilast
    lenalidomide = next(line for line in lines if re.search(r"\slenalidomide\s", line))
    assert "IMiD-like cereblon binder" in lenalidomide


def field(stdout: str, label: str) -> str:
    line = next(line for line in stdout.splitlines() if line.startswith(label))
    return line[len(label) :].strip()


def test_explain_apremilast(runs):
    run = runs["explain"]
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert field(run.stdout, "verdict") == "not a cereblon binder"
    assert field(run.stdout, "compound") == "apremilast"
    assert field(run.stdout, "InChIKey") == "IMOZEMNVLZVGJZ-QGZVFWFLSA-N"
    assert field(run.stdout, "isoindoline core") == "yes"
    assert field(run.stdout, "glutarimide ring") == "no"
    assert "isoindoline" in field(run.stdout, "reason")
    assert field(run.stdout, "MCS with thalidomide").startswith("11 of 19")


def test_explain_bad_smiles(runs):
    assert_clean_error(runs["bad_smiles"], "'C1CC(N'")


def test_explain_unknown_name(runs):
    assert_clean_error(runs["unknown_name"], "'aspirin'")


def test_explain_empty(runs):
    assert_clean_error(runs["empty"], "empty")


def test_report_html(runs, workdir):
    run = runs["report_html"]
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    path = workdir / "out.html"
    assert str(path.name) in run.stdout
    html = path.read_text(encoding="utf-8")
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert "Evidence for apremilast" in html
    assert "IMOZEMNVLZVGJZ-QGZVFWFLSA-N" in html
    for name in NAMES:
        assert name in html
    # one well-formed inline structure SVG per compound (figures may add other SVGs)
    cards = html.split("<h2>Structures</h2>", 1)[1]
    svgs = re.findall(r"<svg.*?</svg>", cards, flags=re.S)
    structures = [svg for svg in svgs if "class='bond-0 " in svg]
    assert len(structures) == len(NAMES)
    for svg in svgs:
        ET.fromstring(svg)
    assert not list(workdir.glob("*.part"))


def test_report_markdown(runs, workdir):
    run = runs["report_md"]
    assert run.returncode == 0, run.stderr
    text = (workdir / "out.md").read_text(encoding="utf-8")
    assert "## Evidence for apremilast" in text
    assert "| verdict | not a cereblon binder |" in text
    for name in NAMES:
        assert f"![{name}](data:image/svg+xml;base64," in text
    uri = re.search(r"!\[apremilast\]\(data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)\)", text)
    assert ET.fromstring(base64.b64decode(uri.group(1))).tag.endswith("svg")


def test_report_unknown_extension(runs, workdir):
    assert_clean_error(runs["report_bad_ext"], "'.pdf'", ".html", ".md")
    assert not (workdir / "out.pdf").exists()
    assert not (workdir / "out.pdf.part").exists()
