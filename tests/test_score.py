"""crbn_score: one ranked cereblon score (issue 18)."""

from __future__ import annotations

import inspect
import math

import pandas as pd
import pytest
from conftest import THALIDOMIDE

from imidchem.analysis.validate import heavy_atoms, rank_auc, validate
from imidchem.engine.assess import assess
from imidchem.errors import InvalidArgumentError
from imidchem.evidence.call import crbn_call
from imidchem.evidence.schema import COLUMNS, DTYPES, POCKET_COLUMNS
from imidchem.evidence.score import (
    LACTAM_GROUPS,
    LEVEL_SCORES,
    LEVEL_WIDTH,
    anchor_evidence,
    anchor_hbonds,
    crbn_score,
    refine,
)

# one molecule per level and chemotype family
LADDER = [
    "Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O",  # lenalidomide, 1
    THALIDOMIDE,  # thalidomide, 1
    "O=C1CCC(c2ccccc2)C(=O)N1",  # phenyl-glutarimide, 2
    "O=C1CCN(c2ccccc2)C(=O)N1",  # phenyl-dihydrouracil, 2
    "CCC1(c2ccccc2)CCC(=O)NC1=O",  # glutethimide, 3
    "O=C1CCc2ccccc2N1",  # 3,4-dihydroquinolin-2-one, 3
    "CCC1(c2ccccc2)C(=O)NC(=O)NC1=O",  # phenobarbital, 3
    "CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O",  # N-methylthalidomide, 4
    "CCOc1cc([C@@H](CS(C)(=O)=O)N2C(=O)c3cccc(NC(C)=O)c3C2=O)ccc1OC",  # apremilast, 4
    "c1ccccc1",  # 4
]


def test_crbn_score_is_a_schema_column_in_0_1():
    assert COLUMNS[-1] == "crbn_score" and DTYPES["crbn_score"] == "float64"
    assert set(LEVEL_SCORES) == {1, 2, 3, 4}
    assert all(0 < value < 1 for value in LEVEL_SCORES.values())


def test_without_3d_the_score_is_ordered_exactly_as_the_level():
    table = assess(pd.DataFrame({"smiles": LADDER}))
    levels = table["crbn_level"].astype(int).tolist()
    scores = table["crbn_score"].tolist()
    assert levels == [1, 1, 2, 2, 3, 3, 3, 4, 4, 4]
    assert scores == [LEVEL_SCORES[level] for level in levels]
    for a, b in zip(levels, scores, strict=True):
        for c, d in zip(levels, scores, strict=True):
            assert (a < c) == (b > d) and (a == c) == (b == d)


def test_every_level_owns_a_quarter():
    assert [crbn_score(level) for level in (1, 2, 3, 4)] == [0.875, 0.625, 0.375, 0.125]
    with pytest.raises(InvalidArgumentError, match="allowed: 1, 2, 3, 4"):
        crbn_score(0)


@pytest.mark.parametrize(
    ("level", "status", "rmsd", "hbonds", "expected"),
    [
        # levels 2-4: bottom of the quarter + 0.25 x (half imide placement + half H-bonds)
        (3, "ok", 0.0, 3, 0.25 + 0.25 * 1.0),
        (3, "ok", 0.5, 3, 0.25 + 0.25 * (0.5 * 0.75 + 0.5)),
        (2, "ok", 1.0, 1, 0.50 + 0.25 * (0.5 * 0.5 + 0.5 / 3)),
        (2, "ok", 3.1, 0, 0.50),  # imide 3.1 A off, no H-bond: the bottom of level 2
        # an N-H lactam: its H-bonds alone, of the 2 its N-H and one C=O can make
        (3, "ok", None, 2, 0.25 + 0.25 * 1.0),
        (3, "ok", None, 1, 0.25 + 0.25 * 0.5),
        (4, "ok", math.nan, 2, 0.25 * 1.0),
        (4, "skipped", None, None, 0.0),  # nothing to anchor: no pocket evidence
        (2, "error", None, None, 0.625),  # no pose could be made: the pocket says nothing
        # level 1: the anchor is the crystal ligand's core; the pocket does not move it
        (1, "ok", 0.1, 3, 0.875),
        (1, "ok", 2.4, 0, 0.875),
        (1, "error", None, None, 0.875),
    ],
)
def test_the_anchor_places_the_molecule_within_its_level(level, status, rmsd, hbonds, expected):
    assert LEVEL_WIDTH == 0.25
    score = crbn_score(level, status, imide_rmsd=rmsd, pocket_hbonds=hbonds, canonical_hbonds=3)
    assert score == pytest.approx(expected, abs=1e-6)
    assert 0 <= score <= 1


def test_a_lactam_is_counted_against_the_hbonds_its_n_h_and_one_carbonyl_can_make():
    from imidchem.chem.pocket import pocket_fit

    # 3,4-dihydroquinolin-2-one in 5fqd: its N-H gives the His378 O bond and its one C=O
    # takes the C6=O place; the same oxygen is the nearest acceptor for the C2=O bond, too
    # far to make it: the bond a lactam cannot make, which put it at level 3
    fit = pocket_fit("O=C1CCc2ccccc2N1", seed=42)
    assert fit.imide_rmsd is None
    made = {h.role for h in fit.hbonds if h.made}
    assert made == {"imide N-H", "C6=O"}
    carbonyl_partners = {h.ligand_atom for h in fit.hbonds if h.role != "imide N-H"}
    assert carbonyl_partners == {0}  # SMILES atom 0: the lactam's one carbonyl oxygen
    assert LACTAM_GROUPS == 2 and anchor_hbonds(3, imide=False) == 2
    assert anchor_hbonds(3, imide=True) == 3
    assert anchor_evidence(fit.imide_rmsd, fit.pocket_hbonds, 3) == 1.0
    assert anchor_evidence(None, 1, 3) == 0.5


def test_the_anchor_evidence_counts_the_structures_own_hbonds():
    # 5yiz's crystal ligand makes two canonical H-bonds, the other structures three
    assert anchor_evidence(0.0, 2, 2) == 1.0
    assert anchor_evidence(0.0, 2, 3) == pytest.approx(0.5 + 0.5 * 2 / 3)
    assert anchor_evidence(0.0, 3) == 1.0  # None: the default structure's (5fqd: 3)
    # the shape and colour coverage, the clash count and pocket_fit are not inputs
    assert set(inspect.signature(anchor_evidence).parameters) == {
        "imide_rmsd", "pocket_hbonds", "canonical_hbonds"
    }


def test_with_3d_the_score_is_still_never_out_of_level_order():
    # the best-placed level 3 reaches at most the worst level 2 (the quarters' border)
    for better, worse in ((1, 2), (2, 3), (3, 4)):
        best = crbn_score(worse, "ok", imide_rmsd=0.0, pocket_hbonds=3, canonical_hbonds=3)
        worst = crbn_score(better, "ok", imide_rmsd=5.0, pocket_hbonds=0, canonical_hbonds=3)
        assert best <= worst
        assert best <= crbn_score(better, "skipped")
    assert refine(None, "ok", 0.3, 3) is None
    assert refine(2, "ok", 0.0, 3, 3) == 0.75
    with pytest.raises(InvalidArgumentError, match="unknown pocket_status"):
        refine(2, "maybe")


def test_assess_3d_refines_the_score_from_the_anchor_and_keeps_the_level():
    table = assess(
        ["CCC1(c2ccccc2)CCC(=O)NC1=O", "c1ccccc1", "C1CC", THALIDOMIDE], three_d=True
    )
    assert list(table.columns[-len(POCKET_COLUMNS) - 1 :]) == ["crbn_score", *POCKET_COLUMNS]
    glutethimide, benzene, bad, thalidomide = (table.loc[i] for i in range(4))
    assert glutethimide["crbn_level"] == 3  # the pocket moves no level
    assert glutethimide["pocket_fit"] and glutethimide["imide_rmsd"] < 1.0
    placed = max(0.0, 1 - glutethimide["imide_rmsd"] / 2.0)
    evidence = 0.5 * placed + 0.5 * glutethimide["pocket_hbonds"] / 3
    assert glutethimide["crbn_score"] == pytest.approx(0.25 + 0.25 * evidence, abs=1e-6)
    assert 0.4 < glutethimide["crbn_score"] <= 0.5
    # benzene has nothing to anchor: whether skipped or placed by shape, no pocket evidence
    assert benzene["crbn_score"] == 0.0
    assert math.isnan(bad["crbn_score"])
    # thalidomide fits, but level 1 is not refined
    assert thalidomide["pocket_status"] == "ok" and thalidomide["crbn_score"] == 0.875


def test_validate_reports_the_score_auc_beside_the_size_baseline():
    frame = pd.DataFrame(
        {"smiles": LADDER, "label": ["y", "y", "y", "n", "n", "y", "n", "n", "n", "n"]}
    )
    result = validate(frame, label_col="label", positive="y")
    table = result.scores().set_index("score")
    assert list(table.index) == ["crbn_score", "crbn_level", "heavy atoms"]
    positive = frame["label"].eq("y")
    scores = [LEVEL_SCORES[crbn_call(s).level] for s in LADDER]
    assert table.loc["crbn_score", "roc_auc"] == pytest.approx(rank_auc(scores, positive))
    assert table.loc["crbn_score", "roc_auc"] == pytest.approx(table.loc["crbn_level", "roc_auc"])
    sizes = heavy_atoms(result.predictions["smiles_std"])
    assert sizes[0] == 19.0  # lenalidomide
    assert table.loc["heavy atoms", "roc_auc"] == pytest.approx(rank_auc(sizes, positive))
    text = result.report()
    assert "ranking (ROC AUC against the label)" in text and "heavy atoms" in text


def test_rank_auc_counts_ties_half():
    assert rank_auc([1, 1], [True, False]) == 0.5
    assert rank_auc([2, 1, 0], [True, False, False]) == 1.0
    assert math.isnan(rank_auc([1, 2], [True, True]))


def test_an_anchorable_molecule_written_with_a_leading_carbonyl_is_fitted():
    # a canonical SMILES may write its only carbonyl "O=C1..." (no "=O" in the text)
    from imidchem.evidence.pocket import pocket_values, worth_fitting

    lactam = "O=C1CCc2ccc(-n3ccnc3)cc2N1"  # a 3,4-dihydroquinolin-2-one (level 3)
    assert "=O" not in lactam and worth_fitting(lactam)
    assert pocket_values(lactam, fit_all=False)[0] == "ok"
    assert not worth_fitting("CC(=O)Nc1ccccc1")  # no N-H ring lactam or imide
    assert not worth_fitting("c1ccncc1")


def test_the_report_shows_the_same_refined_score(tmp_path):
    from imidchem.view import report

    smiles = ["CCC1(c2ccccc2)CCC(=O)NC1=O", THALIDOMIDE, "c1ccccc1"]
    path = tmp_path / "three.csv"
    pd.DataFrame({"smiles": smiles, "name": ["glutethimide", "thalidomide", "benzene"]}).to_csv(
        path, index=False
    )
    context = report.build_context(None, input=path, three_d=True, seed=42)
    frame = context.frame
    table = assess(smiles, three_d=True)  # the same seed (42) as the report's
    assert frame["crbn_score"].tolist() == pytest.approx(table["crbn_score"].tolist())
    assert frame["crbn_score"].tolist()[1:] == [0.875, 0.0]
    assert frame["crbn_score"].iloc[0] != 0.375  # level 3, refined by its anchor
    # the table shows whether each row was fitted or skipped, and which enantiomer was placed
    from imidchem.view.compound_table import shown_columns, table_html

    shown = shown_columns(frame)
    assert shown.index("crbn_score") < shown.index("pocket_status") < shown.index("pocket_fit")
    assert "pocket_enantiomer" in shown
    html = table_html(frame, ["", "", ""], ["glutethimide", "thalidomide", "benzene"])
    cells = [row.split("<td")[1:] for row in html.split("<tr")[2:]]
    status = [row[2 + shown.index("pocket_status")] for row in cells]
    enantiomer = [row[2 + shown.index("pocket_enantiomer")] for row in cells]
    assert [c[c.index(">") + 1 : c.index("<")] for c in status] == ["ok", "ok", "skipped"]
    # racemic glutethimide and thalidomide: (S) placed (the (R) form scored lower), none for benzene
    assert [c[c.index(">") + 1 : c.index("<")] for c in enantiomer] == ["S", "S", ""]
    assert dict(report.pocket_summary(frame, "5fqd")) == {
        "pocket_status ok: fitted in PDB 5FQD": "2",
        "pocket_status skipped: not fitted, nothing the pose can anchor": "1",
        "pocket_status error: no pose": "0",
        "pocket_fit yes (of the 2 fitted)": "2",
    }


def test_validate_and_report_take_the_switch_that_fits_every_molecule(tmp_path, capsys):
    """`--3d-all` (fit_all) exists wherever `--3d` does: the skip reason names it, so
    validate and report take it too (before, only screen and assess had it)."""
    from imidchem.analysis.validate import validate
    from imidchem.cli import main
    from imidchem.view import report

    frame = pd.DataFrame({"smiles": ["c1ccccc1", "CCO"], "label": ["yes", "no"]})
    skipped = validate(frame, positive="yes", three_d=True).predictions["pocket_status"]
    every = validate(frame, positive="yes", three_d=True, fit_all=True).predictions
    assert skipped.tolist() == ["skipped", "skipped"]
    assert every["pocket_status"].tolist() == ["ok", "ok"]
    assert every["pocket_fit"].tolist() == [False, False]  # placed by shape, nothing anchored
    assert every["crbn_score"].tolist() == [0.0, 0.0]  # level 4 with no anchor
    path = tmp_path / "two.csv"
    frame.to_csv(path, index=False)
    predictions = tmp_path / "p.csv"
    args = ["validate", str(path), "--label-col", "label", "--positive", "yes"]
    assert main([*args, "--3d-all", "--predictions", str(predictions)]) == 0
    assert pd.read_csv(predictions)["pocket_status"].tolist() == ["ok", "ok"]
    assert "pocket_score" in capsys.readouterr().out  # the ranking table has the pocket row
    context = report.build_context(None, input=path, fit_all=True, seed=42)
    assert context.three_d and context.frame["pocket_status"].tolist() == ["ok", "ok"]
    context = report.build_context(None, input=path, three_d=True, seed=42)
    assert context.frame["pocket_status"].tolist() == ["skipped", "skipped"]
