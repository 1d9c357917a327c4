"""The curated reference set: contents, published identifiers, validation of broken rows."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import ROOT, THALIDOMIDE
from rdkit import Chem, rdBase
from rdkit.Chem import rdCIPLabeler, rdMolDescriptors

from imidchem.data.reference import (
    REFERENCE_COLUMNS,
    ReferenceDataError,
    get_reference,
    load_reference,
    read_reference,
    reference_names,
    reference_path,
    resolve,
)
from imidchem.errors import ImidchemError, UnknownNameError

DATA_CSV = reference_path()
PACKAGE_CSV = ROOT / "src" / "imidchem" / "data" / "smiles.csv"

# Standard InChIKeys as published in shared/domain/REFERENCE.md section 1 (GtoPdb, GSRS,
# checked there with RDKit 2026.09.1), copied here by hand: not produced by imidchem.
PUBLISHED_INCHIKEYS = {
    "thalidomide": "UEJJHQNACJXSKW-UHFFFAOYSA-N",
    "(S)-thalidomide": "UEJJHQNACJXSKW-VIFPVBQESA-N",
    "(R)-thalidomide": "UEJJHQNACJXSKW-SECBINFHSA-N",
    "lenalidomide": "GOTYRUGSSMKFNF-UHFFFAOYSA-N",
    "pomalidomide": "UVSMNLNDYGZFPF-UHFFFAOYSA-N",
    "iberdomide": "IXZOHGPZAQLIBH-NRFANRHFSA-N",
    "mezigdomide": "YTINZZFBHWSAGL-NDEPHWFRSA-N",
    "golcadomide": "NZYDBVQXOGPDDU-QHCPKHFHSA-N",
    "avadomide": "RSNPAKAFCAAMBH-UHFFFAOYSA-N",
    "CC-885": "DOEVCIHTTTYVCC-UHFFFAOYSA-N",
    "eragidomide": "PWBHUSLMHZLGRN-UHFFFAOYSA-N",
    "apremilast": "IMOZEMNVLZVGJZ-QGZVFWFLSA-N",
}

# Control structures as written in REFERENCE.md ("Other useful structures").
REFERENCE_MD_SMILES = {
    "EM-12": "O=C1CCC(N2Cc3ccccc3C2=O)C(=O)N1",
    "N-methylthalidomide": "CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O",
    "glutethimide": "CCC1(c2ccccc2)CCC(=O)NC1=O",
    "phthalimide": "O=C1NC(=O)c2ccccc21",
    "N-phthaloylglutamine": "NC(=O)CCC(C(=O)O)N1C(=O)c2ccccc2C1=O",
    "phenyl-glutarimide": "O=C1CCC(c2ccccc2)C(=O)N1",
    "phenyl-dihydrouracil": "O=C1CCN(c2ccccc2)C(=O)N1",
}

REQUIRED = [
    *PUBLISHED_INCHIKEYS,
    "N-methylthalidomide",
    "glutethimide",
    "cycloheximide",
    "phthalimide",
    "EM-12",
    "phenyl-glutarimide",
    "phenyl-dihydrouracil",
]


def csv_rows(path: Path = DATA_CSV) -> list[dict[str, str]]:
    """The rows of a reference CSV read with the csv module (independent of pandas)."""
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def rdkit_mol(smiles: str) -> Chem.Mol:
    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(smiles)
    assert mol is not None, smiles
    return mol


def rows_by_name() -> dict[str, dict[str, str]]:
    return {row["name"]: row for row in csv_rows()}


# ---------------------------------------------------------------- the data file itself


def test_required_columns_present():
    with open(DATA_CSV, newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    for column in ("name", "synonyms", "class", "smiles", "inchikey", "crbn_binder", "crbn_source"):
        assert column in header
    assert set(REFERENCE_COLUMNS) <= set(header)


def test_every_smiles_parses_and_stored_inchikey_and_formula_are_right():
    rows = csv_rows()
    assert len(rows) >= len(REQUIRED)
    for row in rows:
        mol = rdkit_mol(row["smiles"])
        with rdBase.BlockLogs():
            assert Chem.MolToInchiKey(mol) == row["inchikey"], row["name"]
        assert rdMolDescriptors.CalcMolFormula(mol) == row["formula"], row["name"]
        assert row["crbn_binder"] in {"yes", "no", "unknown"}, row["name"]


def test_names_unique_case_insensitive():
    names = [row["name"].lower() for row in csv_rows()]
    assert len(names) == len(set(names))


def test_required_compounds_present():
    names = {row["name"] for row in csv_rows()}
    missing = [name for name in REQUIRED if name not in names]
    assert not missing


@pytest.mark.parametrize("name,key", sorted(PUBLISHED_INCHIKEYS.items()))
def test_published_inchikeys(name, key):
    assert rows_by_name()[name]["inchikey"] == key
    # the key must also follow from the stored structure, not just be typed in
    with rdBase.BlockLogs():
        assert Chem.MolToInchiKey(rdkit_mol(rows_by_name()[name]["smiles"])) == key


@pytest.mark.parametrize("name,smiles", sorted(REFERENCE_MD_SMILES.items()))
def test_control_structures_match_reference_md(name, smiles):
    stored = rows_by_name()[name]["smiles"]
    assert Chem.MolToSmiles(rdkit_mol(stored)) == Chem.MolToSmiles(rdkit_mol(smiles))


def test_racemates_have_no_stereo_and_single_enantiomers_do():
    rows = rows_by_name()
    for name in (
        "thalidomide",
        "lenalidomide",
        "pomalidomide",
        "avadomide",
        "CC-885",
        "eragidomide",
    ):
        assert rows[name]["inchikey"].split("-")[1] == "UHFFFAOYSA", name
    for name in ("(S)-thalidomide", "(R)-thalidomide", "iberdomide", "mezigdomide", "apremilast"):
        centres = Chem.FindMolChiralCenters(rdkit_mol(rows[name]["smiles"]))
        assert len(centres) == 1, name
    # the three thalidomides share the connectivity layer of the key
    skeletons = {
        rows[n]["inchikey"][:14] for n in ("thalidomide", "(S)-thalidomide", "(R)-thalidomide")
    }
    assert skeletons == {"UEJJHQNACJXSKW"}


def cip_labels(smiles: str) -> list[str]:
    mol = rdkit_mol(smiles)
    rdCIPLabeler.AssignCIPLabels(mol)
    return [atom.GetProp("_CIPCode") for atom in mol.GetAtoms() if atom.HasProp("_CIPCode")]


@pytest.mark.parametrize(
    "name,label",
    [
        ("(S)-thalidomide", "S"),
        ("(R)-thalidomide", "R"),
        ("apremilast", "S"),
        # developed as single (S)-enantiomers (REFERENCE.md section 1)
        ("iberdomide", "S"),
        ("mezigdomide", "S"),
        ("golcadomide", "S"),
    ],
)
def test_cip_labels_with_new_labeler(name, label):
    # REFERENCE.md pitfall: a public file swaps the (R)/(S) labels of thalidomide
    assert cip_labels(rows_by_name()[name]["smiles"]) == [label]


def test_cycloheximide_configuration():
    # cycloheximide is 4-[(2R)-2-[(1S,3S,5S)-3,5-dimethyl-2-oxocyclohexyl]-2-hydroxyethyl]-
    # piperidine-2,6-dione: the carbinol carbon is R, the three ring centres S
    mol = rdkit_mol(rows_by_name()["cycloheximide"]["smiles"])
    rdCIPLabeler.AssignCIPLabels(mol)
    labels = {}
    for atom in mol.GetAtoms():
        if atom.HasProp("_CIPCode"):
            carbinol = any(n.GetSymbol() == "O" and n.GetDegree() == 1 and
                           mol.GetBondBetweenAtoms(atom.GetIdx(), n.GetIdx()).GetBondTypeAsDouble() == 1
                           for n in atom.GetNeighbors())  # fmt: skip
            labels.setdefault("carbinol" if carbinol else "ring", []).append(
                atom.GetProp("_CIPCode")
            )
    assert labels == {"ring": ["S", "S", "S"], "carbinol": ["R"]}


def test_crbn_binder_calls_from_reference_md():
    rows = rows_by_name()
    for name in ("thalidomide", "lenalidomide", "pomalidomide", "iberdomide", "avadomide"):
        assert rows[name]["crbn_binder"] == "yes", name
    for name in ("apremilast", "N-methylthalidomide", "glutethimide", "cycloheximide"):
        assert rows[name]["crbn_binder"] == "no", name
    assert rows["apremilast"]["class"] == "IMiD-like non-CRBN"
    assert rows["apremilast"]["atc_code"] == "L04AA32"
    assert rows["lenalidomide"]["atc_code"] == "L04AX04"
    # every binder call of yes/no comes with a source
    for row in csv_rows():
        if row["crbn_binder"] in {"yes", "no"}:
            assert row["crbn_source"].strip(), row["name"]


# ------------------------------------------------------------- shipped copy and loader


def test_one_copy_the_package_data():
    """data/smiles.csv (the project's fixed layout) is a link to the package data."""
    assert reference_path().resolve() == PACKAGE_CSV.resolve()
    assert (ROOT / "data" / "smiles.csv").resolve() == PACKAGE_CSV.resolve()


def test_load_reference_matches_the_file():
    ref = load_reference()
    rows = csv_rows()
    assert len(ref) == len(rows)
    assert ref["name"].tolist() == [row["name"] for row in rows]
    assert ref["inchikey"].tolist() == [row["inchikey"] for row in rows]
    assert reference_names() == [row["name"] for row in rows]
    assert list(ref.columns) == list(rows[0].keys())


def test_load_reference_returns_a_copy():
    first = load_reference()
    first.loc[0, "name"] = "changed"
    del first["smiles"]
    second = load_reference()
    assert second.loc[0, "name"] == "thalidomide"
    assert "smiles" in second.columns


def test_read_reference_accepts_the_good_file(tmp_path):
    copy = tmp_path / "good.csv"
    copy.write_bytes(DATA_CSV.read_bytes())
    assert len(read_reference(copy)) == len(csv_rows())


# ------------------------------------------------------------------- broken rows


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0].keys()))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_bad_smiles_row_names_line_and_column(tmp_path, capfd):
    rows = csv_rows()
    rows[3] = {**rows[3], "smiles": "Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O)"}  # lenalidomide, extra ')'
    path = write_rows(tmp_path / "bad_smiles.csv", rows)
    with pytest.raises(ReferenceDataError) as info:
        read_reference(path)
    message = str(info.value)
    assert "line 5" in message  # header is line 1, rows[3] is line 5
    assert "column 'smiles'" in message
    assert "lenalidomide" in message
    assert str(path) in message
    assert capfd.readouterr().err == ""


def test_wrong_inchikey_row_names_line_and_column(tmp_path):
    rows = csv_rows()
    position = next(i for i, row in enumerate(rows) if row["name"] == "apremilast")
    # the (R)-enantiomer's key: same skeleton, wrong stereo layer
    rows[position] = {**rows[position], "inchikey": "IMOZEMNVLZVGJZ-UHFFFAOYSA-N"}
    path = write_rows(tmp_path / "bad_key.csv", rows)
    with pytest.raises(ReferenceDataError) as info:
        read_reference(path)
    message = str(info.value)
    assert f"line {position + 2}" in message
    assert "column 'inchikey'" in message
    assert "IMOZEMNVLZVGJZ-QGZVFWFLSA-N" in message  # what the SMILES really gives


def test_duplicate_name_row_names_line_and_column(tmp_path):
    rows = csv_rows()
    duplicate = {**rows[4], "name": "Thalidomide"}  # case-insensitive duplicate of line 2
    rows.append(duplicate)
    path = write_rows(tmp_path / "dup.csv", rows)
    with pytest.raises(ReferenceDataError) as info:
        read_reference(path)
    message = str(info.value)
    assert f"line {len(rows) + 1}" in message
    assert "column 'name'" in message
    assert "line 2" in message


def test_empty_smiles_and_bad_binder_rows(tmp_path):
    rows = csv_rows()
    rows[1] = {**rows[1], "smiles": ""}
    with pytest.raises(ReferenceDataError, match=r"line 3 .*column 'smiles'"):
        read_reference(write_rows(tmp_path / "empty.csv", rows))
    rows = csv_rows()
    rows[2] = {**rows[2], "crbn_binder": "maybe"}
    with pytest.raises(ReferenceDataError, match=r"line 4 .*column 'crbn_binder'"):
        read_reference(write_rows(tmp_path / "binder.csv", rows))


def test_missing_column_is_named(tmp_path):
    rows = [{k: v for k, v in row.items() if k != "inchikey"} for row in csv_rows()]
    with pytest.raises(ReferenceDataError, match="missing column.*inchikey"):
        read_reference(write_rows(tmp_path / "nokey.csv", rows))


# ------------------------------------------------------------------ names and resolve


@pytest.mark.parametrize(
    "query,name",
    [
        ("CC-4047", "pomalidomide"),
        ("revlimid", "lenalidomide"),
        ("Otezla", "apremilast"),
        ("  THALIDOMIDE ", "thalidomide"),
        ("(-)-thalidomide", "(S)-thalidomide"),
        ("CC-122", "avadomide"),
    ],
)
def test_get_reference_by_name_or_synonym(query, name):
    assert get_reference(query)["name"] == name


def test_resolve_name_gives_the_reference_structure():
    name, mol = resolve("Revlimid")
    assert name == "lenalidomide"
    with rdBase.BlockLogs():
        assert Chem.MolToInchiKey(mol) == "GOTYRUGSSMKFNF-UHFFFAOYSA-N"
    name, mol = resolve(THALIDOMIDE)
    assert name == "thalidomide"  # a reference structure is recognised by its InChIKey
    assert mol.GetNumHeavyAtoms() == 19
    name, mol = resolve("CC(=O)Oc1ccccc1C(=O)O")
    assert name is None and mol.GetNumHeavyAtoms() == 13


@pytest.mark.parametrize(
    "pasted, name",
    [
        ("lenalidomide hydrochloride", "lenalidomide"),
        ("Pomalidomide (HCl)", "pomalidomide"),
        ("thalidomide monohydrate", "thalidomide"),
        ("UEJJHQNACJXSKW-UHFFFAOYSA-N", "thalidomide"),
        ("IMOZEMNVLZVGJZ-QGZVFWFLSA-N", "apremilast"),
        ("Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O.Cl", "lenalidomide"),
        (f"[Na+].[Cl-].{THALIDOMIDE}", "thalidomide"),
        (
            "InChI=1S/C13H13N3O3/c14-9-3-1-2-7-8(9)6-16(13(7)19)10-4-5-11(17)15-12(10)18"
            "/h1-3,10H,4-6,14H2,(H,15,17,18)",
            "lenalidomide",
        ),
    ],
)
def test_what_a_chemist_pastes_is_recognised(pasted, name):
    found, mol = resolve(pasted)
    assert found == name
    with rdBase.BlockLogs():
        assert Chem.MolToInchiKey(mol) == get_reference(name)["inchikey"]


def test_unknown_inchikey_and_bad_inchi_say_why():
    with pytest.raises(UnknownNameError, match="cannot be resolved offline"):
        resolve("BSYNRYMUTXBXSQ-UHFFFAOYSA-N")  # aspirin: valid, but not in the set
    with pytest.raises(ImidchemError, match="invalid InChI"):
        resolve("InChI=1S/garbage")


@pytest.mark.parametrize("bad", ["aspirin", "unknown-drug-123"])
def test_unknown_name_raises_naming_it(bad, capfd):
    with pytest.raises(UnknownNameError, match=f"'{bad}'"):
        get_reference(bad)
    with pytest.raises(ImidchemError, match=f"'{bad}'.*neither a reference compound name"):
        resolve(bad)
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("bad", [None, "", "   ", float("nan"), 42])
def test_resolve_missing_input_raises(bad):
    with pytest.raises(ImidchemError):
        resolve(bad)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("lenalidomid", "lenalidomide"),
        ("CC4047", "pomalidomide"),
        ("cc 4047", "pomalidomide"),
        ("Pomalidomde", "pomalidomide"),
        ("IBERDOMIDE-", "iberdomide"),
        ("avadomid", "avadomide"),
    ],
)
def test_did_you_mean_on_a_typo(typed, meant):
    from imidchem import resolve
    from imidchem.errors import ImidchemError

    with pytest.raises(ImidchemError) as error:
        resolve(typed)
    message = str(error.value)
    assert f"did you mean {meant}" in message
    assert "thalidomide, lenalidomide, pomalidomide" not in message  # not all the names


def test_no_suggestion_for_a_name_far_from_every_reference():
    from imidchem.data.reference import suggest, unknown_name_hint

    assert suggest("aspirin") == [] and suggest("ibuprofen") == []
    assert unknown_name_hint("aspirin").startswith("paste its SMILES")
