"""Neosubstrate profile: the outcome table, the exposed face, read-across (issue 17)."""

from __future__ import annotations

import json

import pytest
from rdkit import Chem

import imidchem
from imidchem.data.neosubstrates import (
    GENES,
    check_gene,
    load_outcomes,
    outcome_rows,
    validate_outcomes,
)
from imidchem.data.reference import ReferenceDataError, get_reference, reference_mol
from imidchem.errors import InvalidArgumentError, UnknownNameError
from imidchem.evidence.exposed import exposed_face, face_similarity
from imidchem.evidence.profile import CALLS, neosubstrates, predicted_agrees

# -- the outcome table ----------------------------------------------------------------


def test_outcome_table_rows_are_sourced_reference_compounds():
    table = load_outcomes()
    assert len(table) == 33
    assert set(table.gene) <= set(GENES)
    assert table.source.str.match(r"^(doi:10\.|pmid:\d|cite:)").all()
    # every compound's structure is a reference row checked by InChIKey
    for compound in set(table.compound):
        row = get_reference(compound)
        assert Chem.MolToInchiKey(Chem.MolFromSmiles(row["smiles"])) == row["inchikey"]
    lena = table[(table.compound == "lenalidomide")].set_index("gene")
    assert lena.loc["CSNK1A1", "outcome"] == "yes"
    assert lena.loc["CSNK1A1", "source"] == "doi:10.1038/nature14610"
    assert lena.loc["GSPT1", "outcome"] == "no"


def test_selectivity_claims_are_marked_stated_not_measured():
    table = load_outcomes()
    era = table[(table.compound == "eragidomide") & (table.outcome == "no")]
    assert len(era) == 3 and set(era.basis) == {"stated"}


def test_dky709_rows_and_structure():
    row = get_reference("DKY709")
    assert row["name"] == "NVP-DKY709"
    assert row["inchikey"] == "OMISHRJQMYQPMG-UHFFFAOYSA-N"
    assert row["formula"] == "C25H27N3O3"
    table = load_outcomes().query("compound == 'NVP-DKY709'").set_index("gene")
    assert table.loc["IKZF2", ["outcome", "basis"]].tolist() == ["yes", "measured"]
    assert table.loc[["IKZF1", "IKZF3"], "outcome"].tolist() == ["no", "no"]
    assert set(table.loc[["IKZF1", "IKZF3"], "basis"]) == {"stated"}
    assert set(table.source) == {"doi:10.1016/j.chembiol.2023.02.005"}


def test_7lps_ligand_is_the_crystal_ligand():
    row = get_reference("RN9")
    assert row["name"] == "7LPS ligand"
    assert row["inchikey"] == "YDYSAFPHVGVORZ-UHFFFAOYSA-N"
    assert reference_mol("7LPS ligand").GetNumHeavyAtoms() == 35


@pytest.mark.parametrize(
    "change, column",
    [
        ({"gene": "CK1A"}, "gene"),
        ({"compound": "aspirin"}, "compound"),
        ({"outcome": "maybe"}, "outcome"),
        ({"source": "a paper"}, "source"),
    ],
)
def test_outcome_validation_names_row_and_column(change, column):
    rows = [dict(row) for row in outcome_rows()]
    rows[3].update(change)
    with pytest.raises(ReferenceDataError, match=f"line 5 .*column '{column}'"):
        validate_outcomes(rows)


def test_unknown_gene_refused_naming_valid_ones():
    with pytest.raises(InvalidArgumentError, match="allowed: IKZF1, IKZF3, IKZF2, CSNK1A1"):
        check_gene("CRBN")
    assert check_gene("csnk1a1") == "CSNK1A1"


# -- the exposed face -----------------------------------------------------------------


def _face(name):
    face = exposed_face(name)
    return face.core, face.methylene, [(s.position, s.kind, s.via_methylene)
                                       for s in face.substituents]


def test_exposed_face_positions():
    assert _face("lenalidomide") == ("isoindolin-1-one", True, [("C4", "amino", False)])
    assert _face("pomalidomide") == ("phthalimide", False, [("C4", "amino", False)])
    assert _face("CC-885") == ("isoindolin-1-one", True, [("C5", "urea-linked aryl", True)])
    assert _face("5-hydroxythalidomide") == ("phthalimide", False, [("C5", "hydroxy", False)])
    assert _face("4-hydroxythalidomide") == ("phthalimide", False, [("C4", "hydroxy", False)])
    assert _face("eragidomide")[2] == [("C5", "amide-linked aryl", True)]
    assert _face("iberdomide")[2] == [("C4", "ether-linked aryl", False)]
    assert _face("thalidomide") == ("phthalimide", False, [])


def test_exposed_face_atoms_are_the_right_ones():
    mol = reference_mol("lenalidomide")
    face = exposed_face(mol)
    amino = face.substituents[0]
    assert [mol.GetAtomWithIdx(i).GetSymbol() for i in amino.atoms] == ["N"]
    c4 = mol.GetAtomWithIdx(face.positions["C4"])
    c3a = mol.GetAtomWithIdx(face.positions["C3a"])
    c3 = mol.GetAtomWithIdx(face.positions["C3"])
    assert amino.attach == c4.GetIdx()
    assert mol.GetBondBetweenAtoms(c4.GetIdx(), c3a.GetIdx()) is not None
    assert c3.GetTotalNumHs() == 2 and c3.GetIdx() in face.core_atoms
    # the imide atoms are the glutarimide ring and its two carbonyl oxygens
    assert len(face.imide_atoms) == 8
    assert not set(face.imide_atoms) & set(face.core_atoms)


def test_phthalimide_lowest_locants_whichever_way_written():
    # 5-hydroxy written from the other carbonyl: still C5, not C6
    assert _face("O=C1CCC(N2C(=O)c3cc(O)ccc3C2=O)C(=O)N1")[2] == [("C5", "hydroxy", False)]
    assert _face("O=C1CCC(N2C(=O)c3c(N)cccc3C2=O)C(=O)N1")[2] == [("C4", "amino", False)]


def test_degrader_handles_and_linkers():
    c4 = exposed_face("*NCCOc1cccc2c1C(=O)N(C1CCC(=O)NC1=O)C2=O")
    c5 = exposed_face("O=C1CCC(N2C(=O)c3ccc(N*)cc3C2=O)C(=O)N1")
    assert [(s.position, s.kind) for s in c4.substituents] == [("C4", "attachment point")]
    assert [(s.position, s.kind) for s in c5.substituents] == [("C5", "attachment point")]
    dbet1 = exposed_face("dBET1")
    assert [(s.position, s.kind) for s in dbet1.substituents] == [("C4", "degrader linker")]


def test_non_binders_have_no_face():
    assert exposed_face("apremilast").core == "none"
    assert exposed_face("N-methylthalidomide").core == "none"


def test_face_similarity_values():
    lena, poma, thal = (exposed_face(n) for n in ("lenalidomide", "pomalidomide", "thalidomide"))
    # same C4 amino; only carbonyl versus methylene differs (core match 0.7)
    assert face_similarity(lena, poma) == pytest.approx(0.25 * 0.7 + 0.75)
    assert face_similarity(poma, poma) == pytest.approx(1.0)
    # thalidomide vs pomalidomide: an unpaired small group costs 0.5 of 1.0
    assert face_similarity(thal, poma) == pytest.approx(0.25 + 0.75 * 0.5)
    assert face_similarity(lena, exposed_face("CC-885")) < 0.6


# -- read-across ----------------------------------------------------------------------


def test_profile_calls_and_reasons():
    profile = neosubstrates("lenalidomide")
    assert tuple(profile.calls) == GENES
    assert set(profile.calls.values()) <= set(CALLS)
    assert profile.calls["CSNK1A1"] == "reported"
    assert "doi:10.1038/nature14610" in profile.reasons["CSNK1A1"]
    with pytest.raises(TypeError):
        profile.calls["IKZF1"] = "expected"  # frozen


def test_exclude_predicts_as_if_new():
    profile = neosubstrates("lenalidomide", exclude=["lenalidomide"])
    assert profile.calls["GSPT1"] == "not expected"
    assert profile.precedents[0].compound == "pomalidomide"
    assert profile.precedents[0].similarity == pytest.approx(0.925)
    assert "lenalidomide" not in [p.compound for p in profile.precedents]
    assert neosubstrates("pomalidomide", exclude=["CC-4047"]).calls["IKZF1"] == "expected"


def test_unknown_exclude_name_refused_in_one_line():
    with pytest.raises(UnknownNameError) as info:
        neosubstrates("lenalidomide", exclude=["aspirin"])
    message = str(info.value)
    assert "\n" not in message and "thalidomide, lenalidomide" in message


def test_non_binders_expect_nothing_with_reason():
    for name in ("apremilast", "glutethimide", "N-methylthalidomide"):
        profile = neosubstrates(name)
        assert set(profile.calls.values()) == {"no cereblon binding"}
        assert "without cereblon binding" in profile.reasons["IKZF1"]
        assert profile.precedents == ()


def test_large_degrader_profile():
    profile = neosubstrates("dBET1")
    assert profile.level == 1
    assert profile.face.substituents[0].kind == "degrader linker"
    assert set(profile.calls.values()) <= set(CALLS)


def test_profile_json_and_html():
    profile = neosubstrates("CC-885", exclude=["CC-885"])
    data = json.loads(json.dumps(profile.to_dict()))
    assert data["calls"]["GSPT1"] == "expected"
    assert data["substituents"][0]["position"] == "C5"
    html = profile._repr_html_()
    assert "<svg" in html and "GSPT1" in html and "eragidomide" in html
    assert "expected by precedent is not degraded" in str(profile)


def test_public_api():
    assert imidchem.neosubstrates("thalidomide").calls["SALL4"] == "reported"
    assert imidchem.exposed_face("CC-885").substituents[0].position == "C5"


def test_leave_one_out_on_a_subset():
    cells = [("lenalidomide", "GSPT1", "no"), ("pomalidomide", "GSPT1", "no"),
             ("lenalidomide", "IKZF1", "yes"), ("iberdomide", "IKZF3", "yes"),
             ("CC-885", "GSPT1", "yes"), ("eragidomide", "IKZF1", "no"),
             ("5-hydroxythalidomide", "IKZF1", "no"), ("NVP-DKY709", "IKZF3", "no")]
    agree = [predicted_agrees(neosubstrates(c, exclude=[c]).calls[g], o) for c, g, o in cells]
    assert agree == [True] * 8


def test_site_patterns():
    from imidchem.evidence.exposed import site_pattern

    patterns = {name: site_pattern(exposed_face(name)) for name in (
        "thalidomide", "lenalidomide", "pomalidomide", "avadomide", "iberdomide", "CC-885",
        "eragidomide", "5-hydroxythalidomide", "NVP-DKY709", "7LPS ligand", "apremilast")}
    assert patterns == {
        "thalidomide": "none", "lenalidomide": "peri", "pomalidomide": "peri",
        "avadomide": "peri", "iberdomide": "peri", "CC-885": "distal", "eragidomide": "distal",
        "5-hydroxythalidomide": "distal", "NVP-DKY709": "distal", "7LPS ligand": None,
        "apremilast": None,
    }
    assert [(s.position, s.site) for s in exposed_face("NVP-DKY709").substituents] == [
        ("C5", "distal")]


def test_position_rule_carries_losses_only():
    # eragidomide as if new: no face within 0.70 has an IKZF1 outcome; every other C5-only
    # (distal) precedent with one was not degraded: NVP-DKY709 and 5-hydroxythalidomide
    profile = neosubstrates("eragidomide", exclude=["eragidomide"])
    assert profile.calls["IKZF1"] == "not expected"
    assert "same substitution pattern (distal)" in profile.reasons["IKZF1"]
    assert "NVP-DKY709 (stated)" in profile.reasons["IKZF1"]
    # without those precedents the rule has nothing to stand on
    alone = neosubstrates(
        "eragidomide", exclude=["eragidomide", "NVP-DKY709", "5-hydroxythalidomide"])
    assert alone.calls["IKZF1"] == "possible"
    # recruitment is never carried over by position: CC-885 and eragidomide (distal) degrade
    # GSPT1, but a C5 hydroxy is no methylene urea
    assert neosubstrates("5-hydroxythalidomide").calls["GSPT1"] == "possible"
    # a C4 (peri) group: the IKZF1/3 losses of the C5 compounds do not apply
    assert neosubstrates("lenalidomide", exclude=["lenalidomide"]).calls["IKZF1"] == "expected"


# -- command line ---------------------------------------------------------------------


def test_cli_neosubstrates_json(capsys):
    from imidchem.cli import main

    assert main(["neosubstrates", "CC-885", "--exclude", "CC-885", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["calls"]["GSPT1"] == "expected"
    assert data["excluded"] == ["CC-885"]
    assert data["precedents"][0]["compound"] == "eragidomide"


def test_cli_neosubstrates_bad_input_one_line(capsys):
    from imidchem.cli import main

    assert main(["neosubstrates", "lenalidomide", "--exclude", "aspirin"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "unknown compound 'aspirin'" in err and "eragidomide" in err
    assert main(["pocket", "thalidomide", "--structure", "6uml", "--degron"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "5fqd" in err


def test_cli_explain_has_neosubstrate_section(capsys):
    from imidchem.cli import main

    assert main(["explain", "apremilast", "--no-stats", "--no-pocket"]) == 0
    out = capsys.readouterr().out
    assert "neosubstrates: what cereblon is expected to recruit" in out
    assert "IKZF1    no cereblon binding" in out


# -- column group, screen, report -----------------------------------------------------


def test_neo_schema_names_agreed():
    from imidchem.evidence.schema import DTYPES, NEO_COLUMNS

    assert NEO_COLUMNS == (*(f"neo_{g}" for g in GENES), "neo_reason")
    assert {"neo_IKZF1", "neo_CSNK1A1", "neo_GSPT1"} <= set(NEO_COLUMNS)
    assert all(DTYPES[c] == "object" for c in NEO_COLUMNS)


def test_assess_neo_keeps_rows_and_index():
    import pandas as pd

    frame = pd.DataFrame(
        {"smiles": ["Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O", "C1CC", "c1ccccc1"]}, index=[7, 3, 5]
    )
    before = frame.copy()
    out = imidchem.assess(frame, neo=True)
    pd.testing.assert_frame_equal(frame, before)
    assert out.index.tolist() == [7, 3, 5]
    assert out.loc[7, "neo_CSNK1A1"] == "reported"
    assert out.loc[3, "neo_IKZF1"] == "" and out.loc[3, "neo_reason"] == "no molecule"
    assert out.loc[5, "neo_GSPT1"] == "no cereblon binding"


def test_screen_neo_columns(tmp_path):
    import pandas as pd

    src = tmp_path / "in.csv"
    src.write_text("smiles,id\nO=C1CCC(N2C(=O)c3ccc(O)cc3C2=O)C(=O)N1,a\nbad(,b\n")
    out = tmp_path / "out.csv"
    imidchem.screen(str(src), str(out), neo=True, quiet=True)
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert table.columns[-1] == "neo_reason"
    assert table.loc[0, "neo_SALL4"] == "reported"  # 5-hydroxythalidomide, by InChIKey
    assert table.loc[1, "status"] == "error" and table.loc[1, "neo_reason"] == "no molecule"


def test_report_has_neosubstrate_section():
    from imidchem.view.report import render_markdown, report_sections

    text, _ = render_markdown(report_sections("apremilast"))  # (text, picture files)
    assert "## Neosubstrates: what cereblon is expected to recruit" in text
    assert "| lenalidomide | expected | expected |" in text


def test_degrader_over_1000_da_and_exit_vector():
    from rdkit.Chem import Descriptors

    peg = "OCC" * 16
    tail = f"NCC{peg}NC(=O)c4ccc(-c5ccc(C(=O)Nc6ccc(Cl)cc6)cc5)cc4"
    c4 = f"O=C1CCC(N2C(=O)c3cccc({tail})c3C2=O)C(=O)N1"
    c5 = f"O=C1CCC(N2C(=O)c3ccc({tail})cc3C2=O)C(=O)N1"
    assert Descriptors.MolWt(Chem.MolFromSmiles(c4)) > 1000
    p4, p5 = neosubstrates(c4), neosubstrates(c5)
    assert [(s.position, s.kind) for s in p4.face.substituents] == [("C4", "degrader linker")]
    assert [(s.position, s.kind) for s in p5.face.substituents] == [("C5", "degrader linker")]
    assert p4.level == 1 and set(p4.calls.values()) <= set(CALLS)


def test_profile_with_degron_fits():
    profile = neosubstrates("lenalidomide", degrons=True)
    assert [d.gene for d in profile.degrons] == ["CSNK1A1", "SALL4", "IKZF1", "ZNF692", "IKZF2"]
    ck1a = profile.degrons[0]
    assert ck1a.status == "ok" and ck1a.imide_rmsd < 1.0 and ck1a.clashes <= 2
    assert "Gly40" in ck1a.deciding
    assert profile.to_dict()["degrons"][0]["gene"] == "CSNK1A1"
    assert "a compatible degron is not a degraded protein" in str(profile)
    assert neosubstrates("apremilast", degrons=True).degrons == ()
