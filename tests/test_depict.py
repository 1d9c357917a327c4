"""SVG depictions: valid XML, and the highlighted atoms are the pattern atoms."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

import pytest
from conftest import THALIDOMIDE
from rdkit import Chem

from imidchem.chem.mol import to_mol
from imidchem.errors import ImidchemError, InvalidArgumentError
from imidchem.view.depict import bonds_between, draw_highlighted, draw_mcs, highlight_atoms

APREMILAST = "CCOc1cc([C@@H](CS(C)(=O)=O)N2C(=O)c3cccc(NC(C)=O)c3C2=O)ccc1OC"
# hand-derived from the SMILES (see tests/test_patterns.py for the numbering)
THAL_GLUTARIMIDE = {0, 1, 2, 3, 4, 16, 17, 18}
THAL_ISOINDOLINE = {5, 6, 8, 9, 10, 11, 12, 13, 14}
APREMILAST_ISOINDOLINE = {12, 13, 15, 16, 17, 18, 19, 24, 25}

SVG_NS = "{http://www.w3.org/2000/svg}"
GREEN, BLUE, ORANGE, PINK = "#009E72", "#56B5E8", "#E59E00", "#CC77A5"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg.encode("iso-8859-1"))  # RDKit declares iso-8859-1
    assert root.tag == SVG_NS + "svg"
    return root


def fill(element: ET.Element) -> str | None:
    found = re.search(r"fill:(#[0-9A-Fa-f]{6})", element.get("style", ""))
    return found.group(1).upper() if found else None


def highlighted_atoms_by_colour(svg: str) -> dict[str, set[int]]:
    """Atom highlight discs (ellipses with class 'atom-N') grouped by their fill colour."""
    groups: dict[str, set[int]] = defaultdict(set)
    for element in parse(svg).iter(SVG_NS + "ellipse"):
        classes = element.get("class", "").split()
        atom_classes = [c for c in classes if c.startswith("atom-")]
        if len(atom_classes) == 1 and fill(element):
            groups[fill(element)].add(int(atom_classes[0].split("-")[1]))
    return dict(groups)


def highlighted_bonds(svg: str) -> set[tuple[int, int]]:
    """Atom pairs of bond-highlight paths (filled polygons; plain bonds are stroked lines)."""
    pairs = set()
    for element in parse(svg).iter(SVG_NS + "path"):
        colour = fill(element)
        classes = element.get("class", "").split()
        if colour and colour != "#FFFFFF" and any(c.startswith("bond-") for c in classes):
            atoms = sorted(int(c.split("-")[1]) for c in classes if c.startswith("atom-"))
            if len(atoms) == 2 and "fill:none" not in element.get("style", ""):
                pairs.add(tuple(atoms))
    return pairs


def test_highlight_atoms_of_thalidomide():
    mol = to_mol(THALIDOMIDE)
    found = highlight_atoms(mol, ["isoindoline", "glutarimide", "phthalimide"])
    assert found["glutarimide"] == sorted(THAL_GLUTARIMIDE)
    assert found["isoindoline"] == sorted(THAL_ISOINDOLINE)
    assert found["phthalimide"] == sorted(THAL_ISOINDOLINE | {7, 15})


def test_highlight_atoms_unknown_pattern():
    with pytest.raises(InvalidArgumentError, match="unknown pattern 'imide'"):
        highlight_atoms(to_mol(THALIDOMIDE), ["imide"])


def test_bonds_between():
    mol = Chem.MolFromSmiles(THALIDOMIDE)
    bonds = bonds_between(mol, THAL_GLUTARIMIDE)
    # 6 ring bonds + 2 C=O bonds of the glutarimide
    assert len(bonds) == 8
    for index in bonds:
        bond = mol.GetBondWithIdx(index)
        assert {bond.GetBeginAtomIdx(), bond.GetEndAtomIdx()} <= THAL_GLUTARIMIDE


@pytest.mark.parametrize("query", ["thalidomide", THALIDOMIDE])
def test_svg_shows_what_decides_for_thalidomide(query):
    svg = draw_highlighted(query)
    assert isinstance(svg, str) and svg._repr_svg_() == svg
    groups = highlighted_atoms_by_colour(svg)
    # the deciding imide N-H (18) and C3 (4) in green, the rest of the imide ring in blue,
    # the isoindoline half in orange
    assert groups == {
        GREEN: {4, 18},
        BLUE: THAL_GLUTARIMIDE - {4, 18},
        ORANGE: THAL_ISOINDOLINE,
    }
    # the bond highlights join only atoms of one half
    mol = Chem.MolFromSmiles(THALIDOMIDE)
    expected = {
        tuple(
            sorted((mol.GetBondWithIdx(b).GetBeginAtomIdx(), mol.GetBondWithIdx(b).GetEndAtomIdx()))
        )
        for half in (THAL_GLUTARIMIDE, THAL_ISOINDOLINE)
        for b in bonds_between(mol, half)
    }
    assert highlighted_bonds(svg) == expected


def test_svg_of_apremilast_highlights_only_the_isoindoline():
    groups = highlighted_atoms_by_colour(draw_highlighted(APREMILAST))
    assert groups == {ORANGE: APREMILAST_ISOINDOLINE}


def test_phenyl_dihydrouracil_shows_its_deciding_atoms():
    # O=C1CCN(c2ccccc2)C(=O)N1: imide N-H 13, the N-aryl ring nitrogen 4 in place of C3
    groups = highlighted_atoms_by_colour(draw_highlighted("O=C1CCN(c2ccccc2)C(=O)N1"))
    assert groups[GREEN] == {4, 13} and groups[BLUE] == {0, 1, 2, 3, 11, 12}


def test_patterns_mode_keeps_the_two_halves():
    groups = highlighted_atoms_by_colour(
        draw_highlighted(THALIDOMIDE, patterns=["isoindoline", "glutarimide"])
    )
    assert groups == {ORANGE: THAL_ISOINDOLINE, BLUE: THAL_GLUTARIMIDE}


def test_mcs_pair_shows_the_shared_phthalimide_and_the_missing_imide():
    from imidchem import mcs
    from imidchem.view.depict import draw_mcs_pair

    svg = draw_mcs_pair(mcs("apremilast"), ("apremilast", "thalidomide"))
    root = parse(svg)
    query, reference = [child for child in root if child.tag == SVG_NS + "svg"]
    as_text = ET.tostring
    apremilast = highlighted_atoms_by_colour(as_text(query, encoding="unicode"))
    thalidomide = highlighted_atoms_by_colour(as_text(reference, encoding="unicode"))
    assert apremilast == {PINK: APREMILAST_ISOINDOLINE | {14, 26}}
    assert thalidomide[PINK] == THAL_ISOINDOLINE | {7, 15}
    assert thalidomide[GREEN] == {4, 18}  # what apremilast lacks


def test_custom_pattern_and_colour():
    svg = draw_highlighted(
        THALIDOMIDE, patterns=["phthalimide"], colours={"phthalimide": (1.0, 0.0, 0.0)}
    )
    groups = highlighted_atoms_by_colour(svg)
    assert groups == {"#FF0000": THAL_ISOINDOLINE | {7, 15}}


def test_tricky_form_gets_the_same_highlight_size():
    # the imidic-acid hydrochloride is drawn as standardised thalidomide
    svg = draw_highlighted("OC1=NC(=O)[C@H](CC1)N1C(=O)c2c(C1=O)cccc2.Cl")
    sizes = sorted(len(atoms) for atoms in highlighted_atoms_by_colour(svg).values())
    assert sizes == [2, 6, 9]
    assert "Cl" not in re.sub(r"<[^>]+>", "", svg)


def test_legend_and_size():
    svg = draw_highlighted("lenalidomide", size=(200, 150), legend="lenalidomide")
    root = parse(svg)
    assert root.get("width") == "200px" and root.get("height") == "150px"

    # RDKit draws legend text as glyph paths tagged class='legend'
    def legend_paths(root):
        return [e for e in root.iter(SVG_NS + "path") if e.get("class") == "legend"]

    assert legend_paths(root)
    assert not legend_paths(parse(draw_highlighted("lenalidomide", size=(200, 150))))


def test_draw_mcs_apremilast():
    svg = draw_mcs("apremilast")
    groups = highlighted_atoms_by_colour(svg)
    assert len(groups) == 1
    (atoms,) = groups.values()
    # the 11-atom phthalimide: the isoindoline atoms plus the two carbonyl oxygens 14 and 26
    assert atoms == APREMILAST_ISOINDOLINE | {14, 26}


@pytest.mark.parametrize("bad", ["C1CC", "", None, "aspirin"])
def test_bad_input(bad, capfd):
    with pytest.raises(ImidchemError):
        draw_highlighted(bad)
    assert capfd.readouterr().err == ""
