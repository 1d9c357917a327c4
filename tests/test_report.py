"""The HTML / Markdown report (in-process; the CLI route is in test_cli).

The report's content is computed once (``report_sections``, the expensive part) and shared
by the tests; ``write_report`` is then exercised with that content so the file handling
(format by extension, no half-written files) is tested without recomputing it.
"""

from __future__ import annotations

import base64
import csv
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from imidchem.errors import ImidchemError, InvalidArgumentError
from imidchem.view import report
from imidchem.view.report import render_html, render_markdown, write_report

REPO = Path(__file__).resolve().parents[1]
with open(REPO / "data" / "smiles.csv", newline="", encoding="utf-8") as _handle:
    NAMES = [row["name"] for row in csv.DictReader(_handle)]


@pytest.fixture(scope="module")
def sections() -> dict:
    return report.report_sections("apremilast")


@pytest.fixture
def cached_sections(monkeypatch, sections):
    calls = []

    def fake(focus: str = "apremilast") -> dict:
        calls.append(focus)
        return sections

    monkeypatch.setattr(report, "report_sections", fake)
    return calls


def test_sections(sections):
    assert sections["focus"] == "apremilast"
    assert len(sections["table"]) == len(NAMES)
    assert [name for name, _, _ in sections["structures"]] == NAMES
    evidence = dict(sections["evidence"])
    assert evidence["verdict"] == "not a cereblon binder"
    assert evidence["InChIKey"] == "IMOZEMNVLZVGJZ-QGZVFWFLSA-N"


def test_html_report_contents(sections):
    html = render_html(sections)
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert "<h2>Evidence for apremilast</h2>" in html
    evidence = html.split("<h2>Evidence for apremilast</h2>", 1)[1].split("<h2>", 1)[0]
    assert "IMOZEMNVLZVGJZ-QGZVFWFLSA-N" in evidence
    assert "not a cereblon binder" in evidence
    assert "isoindoline" in evidence
    # verdict table: one row per compound (header row + 22)
    table = html.split("<h2>Verdict table</h2>", 1)[1].split("</table>", 1)[0]
    assert table.count("<tr") == len(NAMES) + 1
    # at the top, before the table: the focus compound beside thalidomide (MCS picture)
    top = html.split("<h2>Verdict table</h2>", 1)[0]
    picture = ET.fromstring(re.search(r"<svg.*</svg>", top, flags=re.S).group(0))
    panels = [child for child in picture if child.tag.endswith("svg")]
    assert len(panels) == 2 and "share 11 of thalidomide&#x27;s 19 atoms" in top
    # one well-formed inline structure SVG per compound (figures may add more SVGs)
    structures = html.split("<h2>Structures</h2>", 1)[1]
    svgs = [s for s in re.findall(r"<svg.*?</svg>", structures, flags=re.S) if "bond-0 " in s]
    assert len(svgs) == len(NAMES)
    for svg in svgs:
        assert ET.fromstring(svg).tag.endswith("svg")
    # thalidomide ... apremilast (the first 12) all share at least one half: highlighted
    assert all("<ellipse" in svg for svg in svgs[:12])


def test_markdown_report_contents(sections):
    text = render_markdown(sections)
    assert "## Evidence for apremilast" in text
    assert "| verdict | not a cereblon binder |" in text
    assert "| InChIKey | IMOZEMNVLZVGJZ-QGZVFWFLSA-N |" in text
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    for name in NAMES:
        assert any(row.startswith(f"| {name} |") for row in rows), name
    for name in NAMES:
        assert f"![{name}](data:image/svg+xml;base64," in text
    uri = re.search(r"!\[apremilast\]\(data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)\)", text)
    assert ET.fromstring(base64.b64decode(uri.group(1))).tag.endswith("svg")


@pytest.mark.parametrize("name,marker", [("r.html", "<!DOCTYPE html>"), ("r.MD", "# imidchem")])
def test_write_report_by_extension(tmp_path, cached_sections, name, marker):
    path = write_report(tmp_path / name)
    assert path == tmp_path / name
    assert path.read_text(encoding="utf-8").lstrip().startswith(marker)
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no .part left behind
    assert cached_sections == ["apremilast"]


@pytest.mark.parametrize("name", ["report.pdf", "report", "report.html.txt"])
def test_unknown_extension_writes_nothing(tmp_path, cached_sections, name):
    with pytest.raises(InvalidArgumentError, match="allowed: .html, .md"):
        write_report(tmp_path / name)
    assert list(tmp_path.iterdir()) == []
    assert cached_sections == []  # refused before any work


def test_missing_directory_is_refused_before_any_work(tmp_path, cached_sections):
    with pytest.raises(InvalidArgumentError, match="does not exist"):
        write_report(tmp_path / "no" / "such" / "report.html")
    assert list(tmp_path.iterdir()) == []
    assert cached_sections == []  # refused before any work


def test_unknown_focus_writes_nothing(tmp_path, capfd):
    with pytest.raises(ImidchemError, match="'aspirin'"):
        write_report(tmp_path / "report.html", focus="aspirin")
    assert list(tmp_path.iterdir()) == []
    assert capfd.readouterr().err == ""
