"""Structure grids and tables: which atoms each panel highlights, in which colour."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

import pandas as pd
import pytest
from conftest import THALIDOMIDE as THALIDOMIDE_SMILES
from rdkit import Chem

from imidchem.errors import InvalidArgumentError
from imidchem.view.grid import StructureGrid, structure_table

SVG = "{http://www.w3.org/2000/svg}"
ORANGE, BLUE = "#E59E00", "#56B5E8"  # isoindoline, glutarimide (imidchem.depict.HALF_COLOURS)
GREEN, VERMILLION, GREY = "#009E72", "#D65E00", "#CCCCCC"  # deciding, spoiler, inert ring
# atom numbers follow the reference SMILES (derived by hand, see tests/test_depict.py)
THALIDOMIDE = {
    "isoindoline": {5, 6, 8, 9, 10, 11, 12, 13, 14},
    "glutarimide": {0, 1, 2, 3, 4, 16, 17, 18},
}
# Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O: benzene 1-6, CH2 7, N 8, C=O 17; glutarimide 9-16
LENALIDOMIDE = {"isoindoline": {1, 2, 3, 4, 5, 6, 7, 8, 17}, "glutarimide": set(range(9, 17))}
APREMILAST = {"isoindoline": {12, 13, 15, 16, 17, 18, 19, 24, 25}, "glutarimide": set()}


def highlighted(panel: ET.Element) -> dict[str, set[int]]:
    """Atom highlight discs of one panel (ellipses with class 'atom-N') by fill colour."""
    groups: dict[str, set[int]] = defaultdict(set)
    for ellipse in panel.iter(SVG + "ellipse"):
        colour = re.search(r"fill:(#[0-9A-F]{6})", ellipse.get("style", ""), re.I).group(1).upper()
        atom = re.fullmatch(r"atom-(\d+)", ellipse.get("class", "").strip())
        groups[colour].add(int(atom.group(1)))
    return groups


def median_bond(item, smiles: str) -> float:
    """Median drawn length (pixels) of the carbon-carbon bonds of one panel: the longest
    line of each bond (the outer line of a double bond), between unlabelled atoms."""
    mol = Chem.MolFromSmiles(smiles)
    longest: dict[int, float] = {}
    for bond, a, b, x1, y1, x2, y2 in re.findall(
        r"class='bond-(\d+) atom-(\d+) atom-(\d+)' d='M ([\d.]+),([\d.]+) L ([\d.]+),([\d.]+)'",
        str(item.svg),
    ):
        if {mol.GetAtomWithIdx(int(a)).GetSymbol(), mol.GetAtomWithIdx(int(b)).GetSymbol()} == {"C"}:
            length = ((float(x2) - float(x1)) ** 2 + (float(y2) - float(y1)) ** 2) ** 0.5
            longest[int(bond)] = max(longest.get(int(bond), 0.0), length)
    values = sorted(longest.values())
    return values[len(values) // 2]


def panels(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == SVG + "svg"
    return [child for child in root if child.tag == SVG + "svg"]


def test_grid_highlights_what_decides_the_call():
    grid = StructureGrid(["thalidomide", "Revlimid", "apremilast"], columns=2, size=(200, 160))
    assert [item.label for item in grid] == ["thalidomide", "lenalidomide", "apremilast"]
    nested = panels(grid.to_svg())
    assert len(nested) == 3
    # the imide N-H and the substituted C3 (thalidomide N18 and C4, lenalidomide N14 and C9)
    deciding = ({4, 18}, {9, 14}, set())
    for panel, item, expected, green in zip(
        nested, grid, (THALIDOMIDE, LENALIDOMIDE, APREMILAST), deciding, strict=True
    ):
        colours = highlighted(panel)
        assert colours[ORANGE] == expected["isoindoline"]
        assert colours.get(GREEN, set()) == green
        assert colours.get(BLUE, set()) == expected["glutarimide"] - green
        assert set(colours) <= {ORANGE, BLUE, GREEN}
        assert {k: set(v) for k, v in item.highlights.items()} == expected
    # panels laid out two per row
    assert [(p.get("x"), p.get("y")) for p in nested] == [("0", "0"), ("200", "0"), ("0", "160")]
    root = ET.fromstring(grid.to_svg().encode())
    assert (root.get("width"), root.get("height")) == ("400px", f"{2 * 160 + 5 * 22}px")  # 5 key lines
    assert [colour for _, colour in grid.key()] == [GREEN, BLUE, VERMILLION, GREY, ORANGE]


def test_non_binders_do_not_look_like_binders_and_one_bond_length():
    smiles = [
        "CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O",
        "CCC1(c2ccccc2)CCC(=O)NC1=O",
        "N#Cc1ccc(N2CCN(Cc3ccc(COc4cccc5c4CN([C@H]4CCC(=O)NC4=O)C5=O)cc3)CC2)c(F)c1",
        "O=C1CCCC(=O)N1",
    ]
    grid = StructureGrid(smiles)
    methyl, glutethimide, mezigdomide, glutarimide = (highlighted(p) for p in panels(grid.to_svg()))
    # CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O: the methyl C0 and the imide N1 spoil the ring
    assert methyl[VERMILLION] == {0, 1} and GREEN not in methyl and BLUE not in methyl
    # CCC1(c2ccccc2)CCC(=O)NC1=O: the quaternary C3 (atom 2) spoils it
    assert glutethimide[VERMILLION] == {2} and GREEN not in glutethimide
    assert len(mezigdomide[GREEN]) == 2
    # O=C1CCCC(=O)N1: nothing on either carbon next to a carbonyl
    assert glutarimide[VERMILLION] == {2, 4} and GREEN not in glutarimide
    # one scale: the typical drawn bond is equally long in every panel; a molecule too
    # large for the panel at that length (mezigdomide) is scaled down on its own
    drawn = [median_bond(item, smi) for item, smi in zip(grid, smiles, strict=True)]
    small = [drawn[0], drawn[1], drawn[3]]
    assert max(small) - min(small) < 0.5 and drawn[2] <= max(small) + 0.5
    assert drawn[0] == pytest.approx(grid.bond_length, abs=0.5)
    assert grid.bond_length < 28  # scaled down to fit the largest molecule


def test_grid_with_one_pattern_and_its_frame():
    grid = StructureGrid(["thalidomide", "apremilast"], patterns=["glutarimide"])
    colours = [highlighted(p) for p in panels(grid.to_svg())]
    assert colours[0] == {BLUE: THALIDOMIDE["glutarimide"]}
    assert colours[1] == {}
    frame = grid.to_frame()
    assert list(frame.columns) == ["label", "smiles", "error", "glutarimide_atoms"]
    assert frame.glutarimide_atoms.tolist() == [sorted(THALIDOMIDE["glutarimide"]), []]


def test_bad_molecules_become_panels_with_reasons():
    grid = StructureGrid(["C1CC", "", "CC(C)(C)(C)(C)C", "thalidomide"], legends=list("abcd"))
    assert [item.ok for item in grid] == [False, False, False, True]
    assert grid[0].error == "invalid SMILES 'C1CC': unclosed ring"
    assert grid[1].error == "empty SMILES"
    assert "valence" in grid[2].error.lower()
    svg = grid.to_svg()
    assert len(panels(svg)) == 4
    texts = [t.text for t in panels(svg)[0].iter(SVG + "text")]
    assert texts[0] == "a" and " ".join(texts[1:]) == grid[0].error  # label, then the reason
    assert highlighted(panels(svg)[3])[BLUE] == THALIDOMIDE["glutarimide"] - {4, 18}
    assert repr(grid).startswith("StructureGrid(4 molecules, 3 unreadable")


def test_from_frame_keeps_order_labels_and_the_callers_frame():
    frame = pd.DataFrame(
        {
            "name": ["EM-12", "missing", "phthalimide"],
            "smi": ["O=C1CCC(N2Cc3ccccc3C2=O)C(=O)N1", None, "O=C1NC(=O)c2ccccc21"],
        }
    )
    before = frame.copy()
    grid = StructureGrid.from_frame(frame, smiles_col="smi", label_col="name")
    pd.testing.assert_frame_equal(frame, before)
    assert [item.label for item in grid] == ["EM-12", "missing", "phthalimide"]
    assert grid[1].error == "missing SMILES (empty cell or None)"
    assert len(grid[2].highlights["isoindoline"]) == 9 and grid[2].highlights["glutarimide"] == []
    with pytest.raises(InvalidArgumentError, match="unknown column 'smiles'; available: name, smi"):
        StructureGrid.from_frame(frame)


def test_grid_argument_errors():
    with pytest.raises(InvalidArgumentError, match="legends has 1 entries"):
        StructureGrid(["thalidomide", "apremilast"], legends=["x"])
    with pytest.raises(InvalidArgumentError, match="columns"):
        StructureGrid(["thalidomide"], columns=0)
    with pytest.raises(InvalidArgumentError, match="allowed: isoindoline"):
        StructureGrid(["thalidomide"], patterns=["benzene"])


def test_grid_shows_itself_in_notebooks():
    grid = StructureGrid(["thalidomide", "apremilast"])
    html = grid.to_html()
    assert html.count("<svg") == 2 and "isoindoline" in html and ORANGE in html
    assert html._repr_html_() == str(html) and repr(html).startswith("<HTML, ")
    assert grid._repr_svg_() == str(grid.to_svg())


def test_structure_table_rows_columns_and_reasons():
    frame = pd.DataFrame(
        {
            "name": ["thalidomide", "bad", "apremilast"],
            "smiles": [
                THALIDOMIDE_SMILES,
                "C1CC",
                "CCOc1cc([C@@H](CS(C)(=O)=O)N2C(=O)c3cccc(NC(C)=O)c3C2=O)ccc1OC",
            ],
            "score": [1.0, float("nan"), 0.12849],
        }
    )
    html = structure_table(frame, columns=["name", "score"])
    root = ET.fromstring(html)
    assert [th.text for th in root.iter("th")] == ["structure", "name", "score"]
    rows = root.find("tbody").findall("tr")
    assert len(rows) == 3
    cells = [[td for td in row.findall("td")] for row in rows]
    assert [c[1].text for c in cells] == ["thalidomide", "bad", "apremilast"]
    assert [c[2].text for c in cells] == ["1.000", None, "0.128"]
    assert cells[1][0].find("i").text == "invalid SMILES 'C1CC': unclosed ring"
    thalidomide_picture = cells[0][0].find(SVG + "svg")
    assert highlighted(thalidomide_picture)[ORANGE] == THALIDOMIDE["isoindoline"]
    assert html._repr_html_() == str(html)
    with pytest.raises(InvalidArgumentError, match="unknown column"):
        structure_table(frame, columns=["weight"])


def test_mols2grid_is_optional():
    grid = StructureGrid(["thalidomide", "C1CC"])
    try:
        import mols2grid  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match=r"imidchem\[extras\]"):
            grid.to_mols2grid()
    else:  # pragma: no cover - only with the extras extra
        assert grid.to_mols2grid() is not None
