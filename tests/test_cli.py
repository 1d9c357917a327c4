"""The command line: most commands run in this process through ``main`` (what the
``imidchem`` script calls); a few run as real subprocesses, with real pipes, all started at
once (module fixture) so that they cost the time of the slowest one.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, THALIDOMIDE

from imidchem.cli import build_parser
from imidchem.data.reference import reference_path

with open(reference_path(), newline="", encoding="utf-8") as _handle:
    NAMES = [row["name"] for row in csv.DictReader(_handle)]


# True subprocesses: the installed entry point, a fresh interpreter, real pipes.
SUBPROCESS = {
    "explain": "python -m imidchem explain apremilast",
    "unknown_name": "python -m imidchem explain aspirin",
    "table_head": "python -m imidchem table | head -1",
    "table_closed": "python -m imidchem table | true",
    "screen_stdout": "python -m imidchem screen {library} -o - --quiet | head -2",
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cli")


@pytest.fixture(scope="module")
def runs(workdir) -> dict[str, subprocess.CompletedProcess]:
    """Every SUBPROCESS command, started at once; bash with pipefail reports the status of
    imidchem even when ``head`` or ``true`` closes the pipe first."""
    env = {**os.environ, "COLUMNS": "200"}
    library = ROOT / "tests" / "data" / "screen" / "library.smi"
    started = {
        key: subprocess.Popen(
            ["bash", "-o", "pipefail", "-c",
             command.replace("python", sys.executable, 1).format(library=library)],
            cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        for key, command in SUBPROCESS.items()
    }
    done = {}
    for key, process in started.items():
        out, err = process.communicate(timeout=300)
        done[key] = subprocess.CompletedProcess(SUBPROCESS[key], process.returncode, out, err)
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


def test_help(run_cli):
    run = run_cli("--help")
    assert run.returncode == 0
    assert run.stdout.startswith("usage: imidchem")
    for command in ("table", "explain", "report"):
        assert command in run.stdout
    assert run.stderr == ""


def test_version(run_cli):
    import imidchem

    run = run_cli("--version")
    assert run.returncode == 0
    assert run.stdout.strip() == f"imidchem {imidchem.__version__}"


def test_default_prints_the_verdict_table(run_cli):
    run = run_cli()
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
    assert field(run.stdout, "name") == "apremilast"
    assert field(run.stdout, "inchikey") == "IMOZEMNVLZVGJZ-QGZVFWFLSA-N"
    assert field(run.stdout, "has_isoindoline").startswith("yes")
    assert field(run.stdout, "has_glutarimide").startswith("no")
    assert "isoindoline" in field(run.stdout, "reason")
    assert field(run.stdout, "mcs_atoms").startswith("11 of thalidomide's 19 atoms")


def test_explain_bad_smiles(run_cli):
    assert_clean_error(run_cli("explain", "C1CC(N"), "'C1CC(N'")


def test_explain_unknown_name(runs):
    assert_clean_error(runs["unknown_name"], "'aspirin'")


def test_explain_empty(run_cli):
    assert_clean_error(run_cli("explain", ""), "empty")


def test_report_html(run_cli, workdir):
    run = run_cli("report", "out.html", cwd=workdir)
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


def test_report_markdown(run_cli, workdir):
    run = run_cli("report", "out.md", cwd=workdir)
    assert run.returncode == 0, run.stderr
    text = (workdir / "out.md").read_text(encoding="utf-8")
    assert "## Evidence for apremilast" in text
    assert "| verdict | not a cereblon binder |" in text
    for name in NAMES:
        assert f"![{name}](out_files/structure_" in text
    link = re.search(r"!\[apremilast\]\((out_files/[^)]+)\)", text).group(1)
    assert ET.fromstring((workdir / link).read_bytes()).tag.endswith("svg")
    # a second run keeps the report unless --force
    again = run_cli("report", "out.md", cwd=workdir)
    assert again.returncode == 2 and "exists; use --force" in again.stderr
    assert run_cli("report", "out.md", "--force", cwd=workdir).returncode == 0


def test_report_on_a_file(run_cli, workdir):
    library = ROOT / "data" / "example_library.csv"
    run = run_cli("report", "lib.html", "--input", str(library), "--name-col", "id",
                  "--focus", "thalidomide", cwd=workdir)  # fmt: skip
    assert run.returncode == 0, run.stderr
    html = (workdir / "lib.html").read_text(encoding="utf-8")
    assert "<title>imidchem report: 27 compounds from example_library.csv, focus thalidomide" in html
    assert html.count("<td class='pic'") == 27 and "LIB-027" in html


def test_report_unknown_extension(run_cli, workdir):
    assert_clean_error(run_cli("report", "out.pdf", cwd=workdir), "'.pdf'", ".html", ".md")
    assert not (workdir / "out.pdf").exists()
    assert not (workdir / "out.pdf.part").exists()


def test_closed_pipe_ends_quietly(runs):
    head = runs["table_head"]
    assert head.stderr == "" and head.stdout.split()[0] == "name"
    assert head.returncode in (0, 141)  # 0 when imidchem finished before head closed
    closed = runs["table_closed"]
    assert closed.stderr == "" and closed.returncode == 141  # quiet, status of SIGPIPE


def test_screen_writes_csv_to_stdout(runs, run_cli):
    lines = runs["screen_stdout"].stdout.splitlines()
    assert lines[0].startswith("id,smiles,status,error,smiles_std,sim_thalidomide")
    assert lines[1].startswith(f"thalidomide,{THALIDOMIDE},ok,,")
    library = ROOT / "tests" / "data" / "screen" / "library.smi"
    run = run_cli("screen", str(library), "-o", "-")
    assert run.returncode == 0 and len(run.stdout.splitlines()) == 13  # header + 12 records
    assert run.stderr.strip().endswith("-> standard output")


def test_every_help_has_examples(run_cli):
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "==SUPPRESS==" or a.choices)
    for name in ["", *commands.choices]:
        run = run_cli(*([name] if name else []), "--help")
        assert run.returncode == 0
        examples = run.stdout.split("examples:\n", 1)[1]
        assert f"imidchem {name}".strip() in examples, name


def test_explain_json(run_cli):
    run = run_cli("explain", "lenalidomide hydrochloride", "--format", "json",
              "--fingerprints", "morgan,maccs")  # fmt: skip
    record = json.loads(run.stdout)
    assert record["name"] == "lenalidomide" and record["crbn_level"] == 1
    assert record["inchikey"] == "GOTYRUGSSMKFNF-UHFFFAOYSA-N"
    assert [row["fingerprint"] for row in record["statistics"]] == ["morgan", "maccs"]


def test_explain_an_inchikey_and_refuse_an_unknown_one(run_cli):
    run = run_cli("explain", "UEJJHQNACJXSKW-UHFFFAOYSA-N", "--no-stats")
    assert field(run.stdout, "name") == "thalidomide"
    assert_clean_error(
        run_cli("explain", "BSYNRYMUTXBXSQ-UHFFFAOYSA-N"), "cannot be resolved offline"
    )


def test_validate_the_shipped_example(run_cli):
    run = run_cli("validate", "--example")
    assert run.returncode == 0, run.stderr
    assert "12 rows evaluated, 2 not evaluated" in run.stdout
    assert re.search(r"recall\s+0\.8571\s+6/7", run.stdout)
    assert_clean_error(run_cli("validate"), "--example")


def test_validate_reads_sdf_and_smi(run_cli, tmp_path):
    from rdkit import Chem

    from imidchem.data.examples import example_path

    rows = list(csv.DictReader(open(example_path(), encoding="utf-8")))
    sdf = tmp_path / "labelled.sdf"
    with Chem.SDWriter(str(sdf)) as writer:
        for row in rows:
            mol = Chem.MolFromSmiles(row["smiles"])
            if mol is None or not row["e3_ligase"]:
                continue
            mol.SetProp("_Name", row["name"])
            mol.SetProp("e3_ligase", row["e3_ligase"])
            writer.write(mol)
    run = run_cli("validate", str(sdf), "--label-col", "e3_ligase", "--positive", "CRBN",
              "--id-col", "id")  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "12 rows evaluated, 0 not evaluated" in run.stdout
    assert "FN caged pomalidomide" in run.stdout


def test_report_refuses_an_unknown_focus_at_once(run_cli, workdir):
    assert_clean_error(run_cli("report", "focus.html", "--focus", "aspirin", cwd=workdir),
                       "'aspirin'")  # fmt: skip
    assert not (workdir / "focus.html").exists()
