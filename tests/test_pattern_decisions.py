"""The recorded decisions of the cereblon motif (issue 5), each checked on an example."""

from __future__ import annotations

import pytest
from conftest import THALIDOMIDE

from imidchem.chem.patterns import DECISIONS, PATTERNS, decision_table, has_pattern, pattern_table
from imidchem.evidence.call import crbn_call
from imidchem.evidence.verdict import explain


@pytest.mark.parametrize("decision", DECISIONS, ids=[d.case for d in DECISIONS])
def test_each_decision_holds(decision):
    assert has_pattern(decision.smiles, "crbn_pharmacophore") is decision.motif
    record = explain(decision.smiles, mcs_timeout=1)
    assert record.crbn_pharmacophore is decision.motif
    assert record.crbn_level == decision.level == crbn_call(decision.smiles).level


def test_decision_table_agrees_and_has_reasons():
    table = decision_table()
    assert len(table) == len(DECISIONS) >= 15
    assert table["agrees"].all()
    assert table["reason"].str.len().min() > 20
    assert table["motif"].sum() == 11
    assert (table["motif"] == table["level"].isin([1, 2])).all()
    assert set(table["level"]) == {1, 2, 3, 4}


def test_every_pattern_carries_a_reason():
    table = pattern_table()
    assert table["reason"].str.len().min() > 40
    assert "dummy atom" in PATTERNS["c3_glutarimide"].reason
    assert "one definition" in PATTERNS["crbn_pharmacophore"].reason
    assert "methotrexate" in PATTERNS["ring_opened_glutarimide"].reason


@pytest.mark.parametrize(
    ("smiles", "expected"),
    [
        ("NC(=O)CCC(C(=O)O)N1C(=O)c2ccccc2C1=O", True),  # N-phthaloylglutamine
        ("Nc1cccc2c1CN(C(CCC(=O)O)C(N)=O)C2=O", True),  # ring-opened lenalidomide
        ("CN(Cc1cnc2nc(N)nc(N)c2n1)c1ccc(C(=O)NC(CCC(=O)O)C(=O)O)cc1", False),  # methotrexate
        (THALIDOMIDE, False),  # thalidomide, ring closed
    ],
)
def test_ring_opened_glutarimide(smiles, expected):
    assert has_pattern(smiles, "ring_opened_glutarimide") is expected
    assert not has_pattern(smiles, "crbn_pharmacophore") or not expected


@pytest.mark.parametrize(
    ("smiles", "expected"),
    [
        ("O=C1CCN(c2ccccc2)C(=O)N1", True),  # phenyl-dihydrouracil
        ("CN1CCC(=O)NC1=O", True),
        ("O=c1cc[nH]c(=O)[nH]1", False),  # uracil is aromatic, not dihydro
        ("O=C1CCC(c2ccccc2)C(=O)N1", False),  # glutarimide
    ],
)
def test_dihydrouracil(smiles, expected):
    assert has_pattern(smiles, "dihydrouracil") is expected
