"""The HTML / Markdown report (in-process; the CLI route is in test_cli).

The reference report is built once (``report_sections``, the expensive part) and shared by
the tests; the report on a user's file is built once on the shipped example library.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
import rdkit
from conftest import ROOT

import imidchem
from imidchem.errors import ImidchemError, InvalidArgumentError
from imidchem.view import report
from imidchem.view.report import render_html, render_markdown, write_report

with open(ROOT / "data" / "smiles.csv", newline="", encoding="utf-8") as _handle:
    NAMES = [row["name"] for row in csv.DictReader(_handle)]
LIBRARY = ROOT / "data" / "example_library.csv"


@pytest.fixture(scope="module")
def reference() -> report.Report:
    return report.report_sections("apremilast")


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> tuple[Path, str]:
    """A report on a user's file: the example library plus a column of the user's own."""
    folder = tmp_path_factory.mktemp("library")
    frame = pd.read_csv(LIBRARY)
    frame["vendor"] = [f"V{i:03d}" for i in range(len(frame))]
    source = folder / "mine.csv"
    frame.to_csv(source, index=False)
    out = write_report(folder / "mine.html", focus="lenalidomide", input=source)
    return source, out.read_text(encoding="utf-8")


def section(html: str, title: str) -> str:
    return html.split(f"<h2>{title}</h2>", 1)[1].split("<h2>", 1)[0]


def table_rows(html: str) -> list[list[str]]:
    """The text of each cell of the compound table, one list per row."""
    body = html.split("<table class='compounds'>", 1)[1].split("</table>", 1)[0]
    body = body.split("<tbody>", 1)[1]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        rows.append([re.sub(r"<[^>]+>", "", cell) for cell in cells])
    return rows


def table_header(html: str) -> list[str]:
    head = html.split("<table class='compounds'>", 1)[1].split("</thead>", 1)[0]
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", head)]


def test_reference_report_sections(reference):
    assert reference.title == "imidchem report: IMiDs, cereblon and apremilast"
    titles = [s.title for s in reference.sections]
    assert titles[:3] == ["apremilast beside thalidomide", "Summary", "Verdict table"]
    assert titles[-1] == "Provenance" and "Evidence for apremilast" in titles
    html = render_html(reference)
    assert [row[1] for row in table_rows(html)] == NAMES  # one row per compound, file order
    evidence = section(html, "Evidence for apremilast")
    assert "IMOZEMNVLZVGJZ-QGZVFWFLSA-N" in evidence and "not a cereblon binder" in evidence
    # the 3-D section is there, with apremilast's interaction diagram (no imide N-H)
    assert "3-D: cereblon" in evidence and "no imide N-H for His378 O" in evidence


def test_html_report_is_well_formed_and_offline(reference):
    html = render_html(reference)
    assert html.lstrip().startswith("<!DOCTYPE html>")
    # nothing loaded from the network (XML namespaces are names, not downloads)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<script src" not in html
    # at the top: the focus compound beside thalidomide (two panels)
    top = section(html, "apremilast beside thalidomide")
    picture = ET.fromstring(re.search(r"<svg.*</svg>", top, flags=re.S).group(0))
    assert len([child for child in picture if child.tag.endswith("svg")]) == 2
    assert "share 11 of thalidomide&#x27;s 19 atoms" in top
    # every structure card is a well-formed SVG, one per compound
    cards = section(html, "Structures")
    svgs = [s for s in re.findall(r"<svg.*?</svg>", cards, flags=re.S) if "bond-0 " in s]
    assert len(svgs) == len(NAMES)
    for svg in svgs:
        assert ET.fromstring(svg).tag.endswith("svg")


def test_provenance_names_versions_date_and_seed(reference):
    html = render_html(reference)
    provenance = section(html, "Provenance")
    assert f"<th>imidchem</th><td>{imidchem.__version__}</td>" in provenance
    assert f"<th>RDKit</th><td>{rdkit.__version__}</td>" in provenance
    assert re.search(r"<th>date \(UTC\)</th><td>20\d\d-\d\d-\d\d \d\d:\d\d:\d\d</td>", provenance)
    assert "<th>seed</th><td>42 (pocket poses)" in provenance


def test_markdown_writes_pictures_as_files(tmp_path, reference, monkeypatch):
    monkeypatch.setattr(report, "report_sections", lambda focus: reference)
    path = write_report(tmp_path / "r.md")
    text = path.read_text(encoding="utf-8")
    assert "data:image" not in text and "base64" not in text
    links = re.findall(r"!\[[^\]]*\]\((r_files/[^)]+\.svg)\)", text)
    assert len(links) >= len(NAMES) + 4  # structures, figures, the pair, the pocket
    for link in links:
        assert ET.fromstring((tmp_path / link).read_bytes()).tag.endswith("svg")
    assert "| verdict | not a cereblon binder |" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md", "r_files"]
    assert len(text.encode()) < 200_000  # was 1.3 MB of inline base64


def test_library_report_rows_columns_focus_provenance(library):
    source, html = library
    frame = pd.read_csv(source)
    assert "<title>imidchem report: 27 compounds from mine.csv, focus lenalidomide</title>" in html
    header = table_header(html)
    assert header[:2] == ["depiction", "name"]
    assert {"crbn_level", "verdict", "reason", "sim_thalidomide", "crbn_pharmacophore"} <= set(
        header
    )
    assert header[-2:] == ["id", "vendor"]  # the user's own columns are kept
    rows = table_rows(html)
    assert len(rows) == len(frame)
    assert [row[1] for row in rows] == frame["name"].tolist()
    assert [row[-1] for row in rows] == frame["vendor"].tolist()
    expected = imidchem.assess(frame)
    levels = [row[header.index("crbn_level")] for row in rows]
    assert levels == ["" if pd.isna(v) else str(int(v)) for v in expected["crbn_level"]]
    reasons = [row[header.index("reason")] for row in rows]
    assert reasons[0] == expected["reason"].iloc[0].replace("'", "&#x27;")
    # the bad rows keep their place and say why
    errors = [row[header.index("error")] for row in rows]
    assert errors[-4].startswith("invalid SMILES") and sum(bool(e) for e in errors) == 4
    # the focus compound is named everywhere: evidence, statistics, figures
    assert "<h2>Evidence for lenalidomide</h2>" in html
    assert "<h2>Similarity statistics for lenalidomide</h2>" in html
    assert "Similarity of lenalidomide to the IMiDs among 5,000 NCI compounds" in html
    assert "apremilast beside" not in html
    provenance = section(html, "Provenance")
    assert "mine.csv: 27 rows (sha256" in provenance
    # thumbnails in the table, sortable by a click
    assert html.count("<td class='pic'") == len(frame) and "table.compounds" in html


def test_library_report_without_focus_has_no_focus_sections(tmp_path):
    out = write_report(tmp_path / "plain.html", focus=None, input=LIBRARY)
    html = out.read_text(encoding="utf-8")
    assert "Evidence for" not in html and "Similarity statistics" not in html
    assert "Similarity to thalidomide of example_library.csv" in html  # the library's figure


def test_an_existing_report_is_kept_unless_forced(tmp_path):
    path = tmp_path / "kept.html"
    path.write_text("mine", encoding="utf-8")
    with pytest.raises(InvalidArgumentError, match="exists; use --force"):
        write_report(path, focus=None, input=LIBRARY)
    assert path.read_text(encoding="utf-8") == "mine"
    write_report(path, focus=None, input=LIBRARY, force=True)
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_name_col_and_an_unknown_column(tmp_path):
    out = write_report(tmp_path / "ids.html", focus=None, input=LIBRARY, name_col="id")
    assert table_header(out.read_text(encoding="utf-8"))[1] == "id"
    with pytest.raises(InvalidArgumentError, match="unknown name column 'nom'"):
        write_report(tmp_path / "x.html", focus=None, input=LIBRARY, name_col="nom")
    assert not (tmp_path / "x.html").exists()


def test_focus_can_be_a_name_in_the_file(tmp_path):
    # not a reference compound: found among the file's names (case and spaces ignored)
    with pytest.raises(ImidchemError):
        imidchem.resolve("5 Fluorouracil")
    out = write_report(tmp_path / "f.html", focus="5 Fluorouracil", input=LIBRARY)
    html = out.read_text(encoding="utf-8")
    assert "<h2>Evidence for 5-fluorouracil</h2>" in html
    assert "Similarity of 5-fluorouracil to the IMiDs" in html


@pytest.mark.parametrize("name", ["report.pdf", "report", "report.html.txt"])
def test_unknown_extension_writes_nothing(tmp_path, name):
    with pytest.raises(InvalidArgumentError, match="allowed: .html, .md"):
        write_report(tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_missing_directory_is_refused_before_any_work(tmp_path):
    with pytest.raises(InvalidArgumentError, match="does not exist"):
        write_report(tmp_path / "no" / "such" / "report.html")
    assert list(tmp_path.iterdir()) == []


def test_unknown_focus_writes_nothing(tmp_path, capfd):
    with pytest.raises(ImidchemError, match="'aspirin'"):
        write_report(tmp_path / "report.html", focus="aspirin")
    assert list(tmp_path.iterdir()) == []
    assert capfd.readouterr().err == ""


def test_markdown_of_the_library(tmp_path):
    out = write_report(tmp_path / "lib.md", focus=None, input=LIBRARY)
    text = out.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ![")]
    assert len(rows) == 23  # the readable rows have a picture file
    assert (tmp_path / "lib_files").is_dir()
    assert render_markdown(report.build_report(report.build_context(None, input=LIBRARY)),
                           "x")[0].startswith("# imidchem report: 27 compounds")  # fmt: skip
