"""What the statistics support, as data (analysis.findings), and its words (view.statistics):
the findings decide, the view only formats them."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from imidchem import defaults
from imidchem.analysis.findings import Findings, similarity_findings
from imidchem.analysis.stats import nearest_neighbours, similarity_statistics
from imidchem.chem.patterns import pattern_flags
from imidchem.data.reference import resolve
from imidchem.evidence.call import call_mol
from imidchem.view.statistics import conclusions

SRC = Path(__file__).resolve().parents[1] / "src" / "imidchem"


@pytest.fixture(scope="module")
def apremilast():
    stats = similarity_statistics("apremilast", fingerprints=("morgan", "torsion", "morgan_count"))
    neighbours = nearest_neighbours("apremilast")
    return stats, neighbours, similarity_findings(stats, "apremilast", neighbours=neighbours)


def test_findings_hold_the_numbers_and_the_decisions(apremilast):
    stats, neighbours, found = apremilast
    assert isinstance(found, Findings) and found.label == "apremilast"
    assert found.alpha == defaults.SIGNIFICANCE == 0.05
    rows = stats.set_index("fingerprint")
    assert [f.fingerprint for f in found.fingerprints] == ["morgan", "torsion", "morgan_count"]
    for f in found.fingerprints:
        row = rows.loc[f.fingerprint]
        assert f.similarity == pytest.approx(row.similarity)
        assert f.background_pvalue == pytest.approx(row.background_pvalue)
        assert f.significant == (row.background_pvalue < defaults.SIGNIFICANCE)
        assert f.below_class == bool(row.below_class) and f.class_below == row.class_below
    assert found.significant == ("torsion",) and found.ordinary == ("morgan", "morgan_count")
    assert found.get("morgan").similarity == pytest.approx(0.128, abs=5e-4)
    assert found.get("maccs") is None
    assert found.class_n == 6 and found.class_min_pvalue == pytest.approx(1 / 7)
    # counted Morgan: p = 0.059 (not significant) at the 94th percentile (over 90: remarkable)
    assert found.counted.counts_percentile == pytest.approx(94.10, abs=0.01)
    assert not found.counted.significant and found.counted.remarkable
    assert defaults.REMARKABLE_PERCENTILE == 90
    assert found.phthalimide_n == 23 and found.get("morgan").below_phthalimides
    assert found.comparator == "aspirin"
    assert found.comparator_similarity == pytest.approx(rows.loc["morgan", "comparator_similarity"])
    assert [n.name for n in found.neighbours] == neighbours["name"].tolist()
    assert found.neighbour_fingerprint == "morgan"
    assert found.neighbour_binders == int((neighbours["crbn_binder"] == "yes").sum()) == 4
    assert found.neighbour_vote  # 4 of 5 labelled binders
    flags, call = pattern_flags(resolve("apremilast")[1]), call_mol(resolve("apremilast")[1])
    assert (found.pharmacophore, found.has_isoindoline, found.has_glutarimide) == (
        flags["crbn_pharmacophore"], flags["has_isoindoline"], flags["has_glutarimide"]
    ) == (False, True, False)
    assert (found.crbn_level, found.chemotype, found.imide_missing) == (
        call.level, call.chemotype, True
    ) == (4, "isoindoline only", True)


def test_findings_are_frozen_data_without_sentences(apremilast):
    found = apremilast[2]
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.label = "x"
    assert hash(found) == hash(dataclasses.replace(found))
    texts = [v for v in dataclasses.asdict(found).values() if isinstance(v, str)]
    assert all(not text.endswith(".") for text in texts)  # names, not sentences


def test_alpha_and_label_are_the_callers(apremilast):
    stats = apremilast[0]
    loose = similarity_findings(stats, "apremilast", alpha=0.25, label="CC-10004")
    assert loose.label == "CC-10004" and loose.significant == ("morgan", "torsion", "morgan_count")
    assert loose.counted.significant
    words = conclusions(loose)
    assert words[0].startswith("CC-10004 vs ordinary compounds: more similar to thalidomide than the "
                               "NCI background (p < 0.25) under every fingerprint tested")
    assert "more similar than the NCI background (p < 0.25)" in words[2]
    smiles = similarity_findings(similarity_statistics("CCOc1ccccc1", fingerprints="morgan"),
                                 "CCOc1ccccc1")  # fmt: skip
    assert smiles.label == "CCOc1ccccc1" and smiles.counted is None and not smiles.neighbours


def test_the_view_words_findings_as_it_worded_the_table(apremilast):
    stats, neighbours, found = apremilast
    assert conclusions(found) == conclusions(stats, "apremilast", neighbours=neighbours)
    # a rule call against the neighbours' vote (built by hand: the view only formats)
    against = dataclasses.replace(found, neighbour_vote=False, pharmacophore=True)
    lines = conclusions(against)
    assert lines[5].endswith(
        "4 of 5 are labelled CRBN binders; a nearest-neighbour vote would not call it a binder, "
        "the rule does."
    )
    assert lines[6] == "apremilast carries the cereblon-binding cyclic imide."
    assert "the missing cyclic imide does (graded call: level 4" in lines[7]
    decided = dataclasses.replace(found, imide_missing=False, crbn_level=3, chemotype="x")
    assert "the cyclic imide decides (graded call: level 3, x)" in conclusions(decided)[-1]


def test_the_view_of_the_statistics_computes_nothing():
    """view/statistics.py imports no chemistry, names or call (those are the findings') and
    compares nothing with a number (the thresholds are the findings', from defaults)."""
    tree = ast.parse((SRC / "view" / "statistics.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {m for m in imported if m and m.split(".")[0] in ("chem", "data", "evidence")
                and m != "chem.mol"}  # fmt: skip
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert not used & {"resolve", "pattern_flags", "call_mol", "SIGNIFICANCE"}
    thresholds = [
        ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare)
        and any(isinstance(side, ast.Constant) and type(side.value) in (int, float)
                for side in (node.left, *node.comparators))
    ]  # fmt: skip
    assert thresholds == []
