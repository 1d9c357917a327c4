"""Which catalogue patterns match which drugs, and on which atoms.

Atom indices below are the atom order of the SMILES as written in data/smiles.csv (these
SMILES are already standard, so standardisation keeps the order); each set is worked out
by hand from the SMILES string in the comment next to it.
"""

from __future__ import annotations

import csv

import pytest
from rdkit import Chem

from imidchem.chem.mol import to_mol
from imidchem.chem.patterns import (
    PATTERNS,
    get_pattern,
    has_pattern,
    match_patterns,
    pattern_flags,
    pattern_table,
)
from imidchem.data.reference import reference_path
from imidchem.errors import ImidchemError, InvalidArgumentError

with open(reference_path(), newline="", encoding="utf-8") as _handle:
    REF = {row["name"]: row["smiles"] for row in csv.DictReader(_handle)}
THALIDOMIDE = REF["thalidomide"]

CORE = ("isoindoline", "phthalimide", "isoindolinone", "quinazolinone", "glutarimide",
        "glutarimide_nh", "crbn_pharmacophore")  # fmt: skip

IMIDE_NH = ("cyclic_imide_nh", "other_imide_nh", "nh_lactam")
"""Patterns every free N-H cyclic imide matches (the one definition, the level-3 catch-all,
and the lactam each half of an imide is)."""


def atoms(smiles: str, pattern: str) -> set[int]:
    """All atoms covered by a pattern (union over matches)."""
    return {i for match in match_patterns(smiles, [pattern])[pattern] for i in match}


def hits(smiles: str) -> set[str]:
    return {name for name, found in match_patterns(smiles).items() if found}


def test_catalogue_has_the_issue_patterns_with_meanings():
    for name in CORE:
        assert name in PATTERNS
    table = pattern_table()
    assert list(table.columns) == ["name", "smarts", "meaning", "reason"]
    assert table["name"].tolist() == list(PATTERNS)
    for row in table.itertuples(index=False):
        assert Chem.MolFromSmarts(row.smarts) is not None, row.name
        assert row.meaning.strip() and row.reason.strip(), row.name


def test_unknown_pattern_lists_allowed():
    with pytest.raises(InvalidArgumentError) as info:
        get_pattern("imide")
    assert "'imide'" in str(info.value)
    for name in CORE:
        assert name in str(info.value)
    with pytest.raises(InvalidArgumentError):
        match_patterns(THALIDOMIDE, ["glutarimide", "imide"])


def test_thalidomide_atoms():
    # O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1
    # 0 O, 1 C1, 2 C, 3 C, 4 C3-H, 5 N2, 6 C, 7 O, 8-13 benzene, 14 C2, 15 O, 16 C, 17 O, 18 N1
    glutarimide = {0, 1, 2, 3, 4, 16, 17, 18}  # ring 1,2,3,4,16,18 and both C=O oxygens
    isoindoline = {5, 6, 14, 8, 9, 10, 11, 12, 13}  # N2, its two ring C and the benzene
    assert hits(THALIDOMIDE) == {
        "isoindoline", "phthalimide", "glutarimide", "glutarimide_nh", "crbn_pharmacophore",
        "imid_glutarimide", "c3_glutarimide", "cyclic_imide_nh", "other_imide_nh", "nh_lactam",
    }  # fmt: skip
    assert atoms(THALIDOMIDE, "glutarimide") == glutarimide
    assert atoms(THALIDOMIDE, "glutarimide_nh") == glutarimide
    # the binder patterns also cover the first atom of the C3 substituent: N2 of the phthalimide
    assert atoms(THALIDOMIDE, "crbn_pharmacophore") == glutarimide | {5}
    # imid_glutarimide in SMARTS order: N1, C2, O, C3, the N on C3, C4, C5, C6, O
    assert match_patterns(THALIDOMIDE, ["imid_glutarimide"])["imid_glutarimide"] == (
        (18, 16, 17, 4, 5, 3, 2, 1, 0),
    )
    assert atoms(THALIDOMIDE, "isoindoline") == isoindoline
    assert atoms(THALIDOMIDE, "phthalimide") == isoindoline | {7, 15}
    # one match each, the two halves share no atom
    found = match_patterns(THALIDOMIDE)
    assert len(found["glutarimide"]) == len(found["phthalimide"]) == 1
    assert not glutarimide & isoindoline


def test_apremilast_has_the_phthalimide_but_no_glutarimide():
    smiles = REF["apremilast"]
    # CCOc1cc([C@@H](CS(C)(=O)=O)N2C(=O)c3cccc(NC(C)=O)c3C2=O)ccc1OC
    # 12 N2, 13 C(=O) 14 O, 15-19 and 24 benzene (19 carries the acetamide N 20), 25 C2 26 O
    assert hits(smiles) == {"isoindoline", "phthalimide"}
    assert atoms(smiles, "phthalimide") == {12, 13, 14, 15, 16, 17, 18, 19, 24, 25, 26}
    assert atoms(smiles, "isoindoline") == {12, 13, 25, 15, 16, 17, 18, 19, 24}
    for name in ("glutarimide", "glutarimide_nh", "crbn_pharmacophore"):
        assert not has_pattern(smiles, name)


def test_lenalidomide_is_an_isoindolinone_not_a_phthalimide():
    smiles = REF["lenalidomide"]
    # Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O
    # 0 NH2, 1-6 benzene, 7 CH2, 8 N, 9 C3-H, 10 C, 11 C, 12 C 13 O, 14 NH, 15 C 16 O, 17 C 18 O
    assert hits(smiles) == {
        "isoindoline", "isoindolinone", "glutarimide", "glutarimide_nh", "crbn_pharmacophore",
        "imid_glutarimide", "c3_glutarimide", *IMIDE_NH,
    }  # fmt: skip
    assert atoms(smiles, "imid_glutarimide") == {8, 9, 10, 11, 12, 13, 14, 15, 16}
    assert atoms(smiles, "isoindolinone") == {1, 2, 3, 4, 5, 6, 7, 8, 17, 18}
    assert atoms(smiles, "glutarimide") == {9, 10, 11, 12, 13, 14, 15, 16}
    assert not has_pattern(smiles, "phthalimide")


def test_avadomide_quinazolinone_and_no_isoindoline():
    smiles = REF["avadomide"]
    # Cc1nc2cccc(N)c2c(=O)n1C1CCC(=O)NC1=O
    # 0 CH3, 1 c2-position, 2 n, 3-7 and 9 benzene (7 carries NH2 8), 10 c(=O) 11 O, 12 n3,
    # 13 C3-H of the glutarimide, 14 C, 15 C, 16 C 17 O, 18 NH, 19 C 20 O
    assert hits(smiles) == {
        "quinazolinone", "glutarimide", "glutarimide_nh", "crbn_pharmacophore",
        "imid_glutarimide", "heteroaryl_n_glutarimide", "c3_glutarimide", *IMIDE_NH,
    }  # fmt: skip
    assert atoms(smiles, "quinazolinone") == {0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13}
    # the glutarimide 13-20 and the quinazolinone n3 (12) on its C3
    assert atoms(smiles, "crbn_pharmacophore") == {12, 13, 14, 15, 16, 17, 18, 19, 20}
    assert atoms(smiles, "imid_glutarimide") == {12, 13, 14, 15, 16, 17, 18, 19, 20}
    assert not has_pattern(smiles, "isoindoline")


@pytest.mark.parametrize(
    "name", ["pomalidomide", "iberdomide", "mezigdomide", "golcadomide", "CC-885", "eragidomide",
             "dBET1", "EM-12"]
)  # fmt: skip
def test_imids_and_celmods_carry_both_halves(name):
    found = hits(REF[name])
    assert {"isoindoline", "glutarimide", "glutarimide_nh", "crbn_pharmacophore"} <= found
    # exactly one of the two isoindoline oxidation levels
    assert len(found & {"phthalimide", "isoindolinone"}) == 1


def test_celmod_oxidation_levels():
    for name in ("iberdomide", "mezigdomide", "CC-885", "eragidomide", "EM-12"):
        assert has_pattern(REF[name], "isoindolinone"), name
    for name in ("pomalidomide", "golcadomide", "dBET1"):
        assert has_pattern(REF[name], "phthalimide"), name


def test_controls_with_a_glutarimide_but_no_crbn_motif():
    # CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O: ring N1 1, C 2 (O 3), 4, 5, C3-H 6, C 18 (O 19)
    methyl = REF["N-methylthalidomide"]
    assert atoms(methyl, "glutarimide") == {1, 2, 3, 4, 5, 6, 18, 19}
    assert not has_pattern(methyl, "glutarimide_nh")
    assert not has_pattern(methyl, "crbn_pharmacophore")
    # CCC1(c2ccccc2)CCC(=O)NC1=O: quaternary C3 2, ring 9, 10, 11 (O 12), NH 13, 14 (O 15)
    glutethimide = REF["glutethimide"]
    assert atoms(glutethimide, "glutarimide") == {2, 9, 10, 11, 12, 13, 14, 15}
    assert has_pattern(glutethimide, "glutarimide_nh")
    assert not has_pattern(glutethimide, "crbn_pharmacophore")
    # cycloheximide: the glutarimide is the last ring, C1CC(=O)NC(=O)C1 = atoms 12-19
    cycloheximide = REF["cycloheximide"]
    assert atoms(cycloheximide, "glutarimide") == set(range(12, 20))
    assert has_pattern(cycloheximide, "glutarimide_nh")
    assert not has_pattern(cycloheximide, "crbn_pharmacophore")
    # bare glutarimide: no C3 substituent, no motif
    assert hits(REF["glutarimide"]) == {"glutarimide", "glutarimide_nh", *IMIDE_NH}


def test_one_half_only_controls():
    assert hits(REF["phthalimide"]) == {"isoindoline", "phthalimide", *IMIDE_NH}
    opened = REF["N-phthaloylglutamine"]
    assert not has_pattern(opened, "glutarimide")
    assert not has_pattern(opened, "crbn_pharmacophore")


def test_alternative_crbn_ligands():
    assert hits(REF["phenyl-glutarimide"]) >= {"glutarimide_nh", "crbn_pharmacophore"}
    assert not has_pattern(REF["phenyl-glutarimide"], "isoindoline")
    # O=C1CCN(c2ccccc2)C(=O)N1: the dihydrouracil ring has an N where glutarimide has C3
    uracil = REF["phenyl-dihydrouracil"]
    assert has_pattern(uracil, "crbn_pharmacophore")
    # ring 1, 2 (N3-H), 3 (O 0... C2), N1 4, phenyl ipso C 5, C6 11, C5 12 and O 13
    assert atoms(uracil, "crbn_pharmacophore") == {0, 1, 2, 3, 4, 5, 11, 12, 13}
    assert atoms(uracil, "aryl_dihydrouracil") == {0, 1, 2, 3, 4, 5, 11, 12, 13}
    assert not has_pattern(uracil, "glutarimide")


def test_pattern_flags():
    assert pattern_flags(to_mol(REF["apremilast"])) == {
        "has_isoindoline": True,
        "has_glutarimide": False,
        "glutarimide_nh": False,
        "crbn_pharmacophore": False,
    }
    assert pattern_flags(to_mol(REF["N-methylthalidomide"])) == {
        "has_isoindoline": True,
        "has_glutarimide": True,
        "glutarimide_nh": False,
        "crbn_pharmacophore": False,
    }


# ------------------------------------------------------------ tricky notation of thalidomide

VARIANTS = {
    "imidic acid": "OC1=NC(=O)C(CC1)N1C(=O)c2c(C1=O)cccc2",
    "hydrochloride": THALIDOMIDE + ".Cl",
    "Kekule": "O=C1CCC(N2C(=O)C3=CC=CC=C3C2=O)C(=O)N1",
    "explicit H": "[H]N1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O",
    "deuterium": "[2H]N1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O",
    "13C": "O=[13C]1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1",
    "(S) imidic acid salt": "OC1=NC(=O)[C@H](CC1)N1C(=O)c2c(C1=O)cccc2.Cl",
}


def canonical_hits(molecule) -> dict[str, set[frozenset[int]]]:
    """Pattern hits as sets of canonical atom ranks: independent of how the input is written."""
    mol = to_mol(molecule)
    ranks = list(Chem.CanonicalRankAtoms(mol, breakTies=True))
    return {
        name: {frozenset(ranks[i] for i in match) for match in matches}
        for name, matches in match_patterns(mol).items()
    }


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_tricky_forms_give_the_same_hits_on_the_same_atoms(variant):
    plain = canonical_hits(THALIDOMIDE)
    assert canonical_hits(VARIANTS[variant]) == plain
    assert hits(VARIANTS[variant]) == hits(THALIDOMIDE)


def test_imidic_acid_is_not_matched_without_standardisation():
    # why standardisation matters: RDKit on the raw tautomer finds no glutarimide
    raw = Chem.MolFromSmiles(VARIANTS["imidic acid"])
    assert not raw.HasSubstructMatch(get_pattern("glutarimide").query)
    assert has_pattern(VARIANTS["imidic acid"], "crbn_pharmacophore")


def test_mol_with_explicit_hydrogens_gives_the_same_hits():
    with_h = Chem.AddHs(Chem.MolFromSmiles(THALIDOMIDE))
    assert canonical_hits(with_h) == canonical_hits(THALIDOMIDE)


@pytest.mark.parametrize("bad", ["C1CC", "", None, "aspirin"])
def test_bad_input(bad, capfd):
    with pytest.raises(ImidchemError):
        match_patterns(bad)
    with pytest.raises(ImidchemError):
        has_pattern(bad, "glutarimide")
    assert capfd.readouterr().err == ""
