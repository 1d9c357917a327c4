"""The HTML / Markdown report written to a file (in-process; the CLI route is in test_cli)."""

from __future__ import annotations

import base64
import csv
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from imidchem.errors import ImidchemError, InvalidArgumentError
from imidchem.report import write_report

REPO = Path(__file__).resolve().parents[1]
with open(REPO / "data" / "smiles.csv", newline="", encoding="utf-8") as _handle:
    NAMES = [row["name"] for row in csv.DictReader(_handle)]


@pytest.fixture(scope="module")
def html(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("report") / "report.HTML"  # extension case-insensitive
    assert write_report(path) == path
    return path.read_text(encoding="utf-8")


def test_html_report_contents(html):
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert "<h2>Evidence for apremilast</h2>" in html
    evidence = html.split("<h2>Evidence for apremilast</h2>", 1)[1].split("<h2>", 1)[0]
    assert "IMOZEMNVLZVGJZ-QGZVFWFLSA-N" in evidence
    assert "distant, non-cereblon" in evidence
    assert "isoindoline" in evidence
    # verdict table: one row per compound (header row + 22)
    table = html.split("<h2>Verdict table</h2>", 1)[1].split("</table>", 1)[0]
    assert table.count("<tr") == len(NAMES) + 1
    # one well-formed inline SVG per compound, each with highlight discs
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) == len(NAMES)
    for svg in svgs:
        assert ET.fromstring(svg).tag.endswith("svg")
    assert all("<ellipse" in svg for svg in svgs[:12])  # IMiDs to apremilast share a half


def test_markdown_report(tmp_path):
    path = write_report(tmp_path / "report.md", focus="lenalidomide")
    text = path.read_text(encoding="utf-8")
    assert "## Evidence for lenalidomide" in text
    assert "| verdict | cereblon-binding IMiD-like |" in text
    assert "| InChIKey | GOTYRUGSSMKFNF-UHFFFAOYSA-N |" in text
    table_rows = [line for line in text.splitlines() if line.startswith("| ") and " | " in line]
    assert sum(
        1 for name in NAMES if any(row.startswith(f"| {name} |") for row in table_rows)
    ) == len(NAMES)
    uris = re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", text)
    assert len(uris) == len(NAMES)
    assert ET.fromstring(base64.b64decode(uris[11])).tag.endswith("svg")
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_markdown_focus_on_a_smiles(tmp_path):
    text = write_report(tmp_path / "r.md", focus="CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O").read_text()
    assert "| verdict | distant, non-cereblon |" in text
    assert "| glutarimide N-H | no |" in text


@pytest.mark.parametrize("name", ["report.pdf", "report", "report.html.txt"])
def test_unknown_extension_writes_nothing(tmp_path, name):
    with pytest.raises(InvalidArgumentError, match="allowed: .html, .md"):
        write_report(tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_unknown_focus_writes_nothing(tmp_path, capfd):
    with pytest.raises(ImidchemError, match="'aspirin'"):
        write_report(tmp_path / "report.html", focus="aspirin")
    assert list(tmp_path.iterdir()) == []
    assert capfd.readouterr().err == ""


def test_missing_directory_is_an_os_error_and_writes_nothing(tmp_path):
    with pytest.raises(OSError):
        write_report(tmp_path / "no" / "such" / "report.html")
    assert list(tmp_path.iterdir()) == []
