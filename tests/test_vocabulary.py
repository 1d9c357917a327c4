"""One vocabulary: every name imidchem writes (command line text and JSON, CSV, the report)
is a name of the schema or its short label (``imidchem.evidence.schema.VOCABULARY``)."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT

from imidchem.cli import main
from imidchem.evidence.schema import (
    COLUMNS,
    POCKET_COLUMNS,
    RENAMED_JSON_KEYS,
    SCHEMA,
    VOCABULARY,
    short_label,
)

IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
OLD_NAMES = {"tanimoto", "crbn_motif", "clash_count", "fits", "score", "hbonds_made", "NCI_pct "}


def keys(value) -> set[str]:
    """Every key of a JSON value, at any depth (an HGNC symbol keying a neosubstrate call
    counts as its column, ``neo_<symbol>``), without the deprecated old keys an object lists
    under ``deprecated_keys``."""
    if isinstance(value, dict):
        old = set(value.get("deprecated_keys", {}))
        own = {f"neo_{k}" if f"neo_{k}" in VOCABULARY else k for k in value if k not in old}
        return own | {k for key, v in value.items() if key != "deprecated_keys" for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


def labels(text: str) -> set[str]:
    """The identifier-like labels of aligned ``label  value`` lines (labels with spaces are
    words, not names)."""
    found = set()
    for line in text.splitlines():
        match = re.match(r"^ {0,2}(\S+)  +\S", line)
        if match and IDENTIFIER.match(match.group(1)):
            found.add(match.group(1))
    return found


def stdout(run) -> str:
    """The standard output of a command that succeeded (a ``run_cli`` result)."""
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_every_schema_column_has_a_short_label_in_the_vocabulary():
    for column in SCHEMA:
        assert column.name in VOCABULARY and short_label(column.name) in VOCABULARY
        assert len(short_label(column.name)) <= len(column.name)


def test_table_text_and_csv(run_cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "240")
    wide = stdout(run_cli("table")).splitlines()[0].split()
    assert wide == ["name", "class", "sim_thalidomide", "has_isoindoline", "has_glutarimide",
                    "crbn_pharmacophore", "crbn_level", "crbn_score", "verdict"]  # fmt: skip
    monkeypatch.setenv("COLUMNS", "100")
    narrow = stdout(run_cli("table")).splitlines()[0].split()
    assert narrow == [short_label(name) for name in wide] and set(narrow) <= VOCABULARY
    header = stdout(run_cli("table", "--format", "csv")).splitlines()[0].split(",")
    assert set(header) <= VOCABULARY


def test_screen_csv(run_cli, tmp_path):
    out = tmp_path / "hits.csv"
    stdout(run_cli("screen", str(ROOT / "data" / "example_library.csv"), "-o", str(out), "--quiet"))
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    ours = header[: 2 + len(COLUMNS)]  # then the input file's own columns
    assert ours == ["id", "smiles", *COLUMNS] and set(ours) <= VOCABULARY


def test_explain_json_and_text(run_cli):
    record = json.loads(stdout(run_cli("explain", "lenalidomide", "--format", "json",
                                      "--fingerprints", "morgan,maccs")))  # fmt: skip
    assert keys(record) <= VOCABULARY, keys(record) - VOCABULARY
    assert set(POCKET_COLUMNS) - {"pocket_status"} <= keys(record["pocket"]) | {"pocket_status"}
    text = stdout(run_cli("explain", "apremilast"))
    evidence = text.split("\n\nneosubstrates:", 1)[0]
    pocket = text.split("\n\n3-D:", 1)[1].split("Similarity statistics", 1)[0]
    found = labels(evidence) | labels(pocket)  # (the neosubstrate lines are issue 17's words)
    assert {"sim_thalidomide", "crbn_level", "pocket_fit", "pocket_clashes"} <= found
    assert found <= VOCABULARY, found - VOCABULARY
    statistics = text.split("similarity to thalidomide by fingerprint", 1)[1].splitlines()[1]
    assert set(statistics.split()) <= VOCABULARY
    assert not OLD_NAMES & set(text.split())


def test_pocket_json(run_cli):
    record = json.loads(stdout(run_cli("pocket", "thalidomide", "--format", "json")))
    assert keys(record) <= VOCABULARY, keys(record) - VOCABULARY
    assert {"pocket_fit", "pocket_score", "pocket_clashes", "pocket_hbonds"} <= set(record)


def test_old_json_keys_keep_working_for_one_version_with_a_warning(capsys):
    """A script written against the old JSON keys still reads the same values; the JSON
    lists them under deprecated_keys and standard error says what to read instead."""
    assert main(["pocket", "thalidomide", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    record = json.loads(out)
    assert record["deprecated_keys"] == RENAMED_JSON_KEYS["pocket"]
    for old, new in RENAMED_JSON_KEYS["pocket"].items():
        assert record[old] == record[new]
    assert (record["fits"], record["clash_count"], record["status"]) == (True, 0, "ok")
    assert err.splitlines() == [
        "imidchem: warning: the JSON keys status, reason, fits, clash_count are deprecated "
        "copies of pocket_status, pocket_reason, pocket_fit, pocket_clashes and go in the next version"
    ]
    assert main(["explain", "lenalidomide", "--format", "json", "--no-stats"]) == 0
    out, err = capsys.readouterr()
    record = json.loads(out)
    assert record["smiles"] == record["smiles_std"] == "Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O"
    assert record["pocket"]["fits"] is record["pocket"]["pocket_fit"] is True
    assert "smiles, status, reason, fits, clash_count" in err


@pytest.fixture(scope="module")
def report_html(tmp_path_factory) -> str:
    from imidchem.view.report import write_report

    folder = tmp_path_factory.mktemp("vocabulary")
    out = write_report(folder / "v.html", focus="thalidomide",
                       input=ROOT / "data" / "example_library.csv", name_col="name")  # fmt: skip
    return out.read_text(encoding="utf-8")


def test_report_names(report_html):
    head = report_html.split("<table class='compounds'>", 1)[1].split("</thead>", 1)[0]
    header = [re.sub(r"<[^>]+>", "", th) for th in re.findall(r"<th[^>]*>(.*?)</th>", head)]
    assert header[-1] == "id"  # the file's own column, after imidchem's
    assert set(header) <= VOCABULARY, set(header) - VOCABULARY
    for table in re.findall(r"<table border=\"0\" class=\"dataframe plain\">(.*?)</table>",
                            report_html, flags=re.S):  # fmt: skip
        names = {re.sub(r"<[^>]+>", "", th).strip() for th in re.findall(r"<th>(.*?)</th>", table)}
        assert names <= VOCABULARY, names - VOCABULARY
    pairs = re.findall(r"<table class='pairs'>(.*?)</table>", report_html, flags=re.S)
    found = {
        label
        for table in pairs
        for label in re.findall(r"<tr><th>([^<]*)</th>", table)
        if IDENTIFIER.match(label)
    }
    assert {"sim_thalidomide", "pocket_fit", "imide_rmsd"} <= found
    assert found <= VOCABULARY | {"imidchem", "RDKit", "Python", "input", "seed"}
