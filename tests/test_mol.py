"""Parsing and standardisation: tautomers, salts, notation and isotopes must not fool it."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import THALIDOMIDE
from rdkit import Chem, rdBase
from rdkit.Chem import rdCIPLabeler

from imidchem.chem.mol import canonical_smiles, inchikey, parse_smiles, standardize, to_mol
from imidchem.errors import ImidchemError, InvalidMoleculeError

THALIDOMIDE_KEY = "UEJJHQNACJXSKW-UHFFFAOYSA-N"  # published (REFERENCE.md, GtoPdb 7327)
S_KEY = "UEJJHQNACJXSKW-VIFPVBQESA-N"
R_KEY = "UEJJHQNACJXSKW-SECBINFHSA-N"

# The same racemic thalidomide written in ways found in real files.
THALIDOMIDE_FORMS = {
    "imidic acid (public database form)": "OC1=NC(=O)C(CC1)N1C(=O)c2c(C1=O)cccc2",
    "imidic acid at the other carbonyl": "O=C1CCC(N2C(=O)c3ccccc3C2=O)C(O)=N1",
    "hydrochloride": THALIDOMIDE + ".Cl",
    "hydrate": THALIDOMIDE + ".O.O",
    "sodium salt of the imide anion": "O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)[N-]1.[Na+]",
    "Kekule": "O=C1CCC(N2C(=O)C3=CC=CC=C3C2=O)C(=O)N1",
    "PubChem order, Kekule": "C1=CC=C2C(=C1)C(=O)N(C2=O)C3CCC(=O)NC3=O",
    "explicit [H] on N": "[H]N1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O",
    "explicit [H] on C3": "[H]C1(N2C(=O)c3ccccc3C2=O)CCC(=O)NC1=O",
    "deuterated N-D": "[2H]N1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O",
    "deuterated C3-D": "[2H]C1(N2C(=O)c3ccccc3C2=O)CCC(=O)NC1=O",
    "13C carbonyl": "O=[13C]1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1",
    "13C and 15N": "O=C1CCC([15N]2C(=O)c3ccccc3C2=O)[13C](=O)N1",
    "surrounding whitespace": "  " + THALIDOMIDE + "\n",
}


def rdkit_canonical(smiles: str) -> str:
    return Chem.MolToSmiles(Chem.MolFromSmiles(smiles))


def cip(mol: Chem.Mol) -> list[str]:
    mol = Chem.Mol(mol)
    rdCIPLabeler.AssignCIPLabels(mol)
    return [a.GetProp("_CIPCode") for a in mol.GetAtoms() if a.HasProp("_CIPCode")]


def test_plain_thalidomide():
    assert canonical_smiles(THALIDOMIDE) == rdkit_canonical(THALIDOMIDE)
    assert inchikey(THALIDOMIDE) == THALIDOMIDE_KEY
    assert to_mol(THALIDOMIDE).GetNumAtoms() == 19


@pytest.mark.parametrize("form", sorted(THALIDOMIDE_FORMS))
def test_thalidomide_forms_standardise_to_thalidomide(form):
    smiles = THALIDOMIDE_FORMS[form]
    assert canonical_smiles(smiles) == rdkit_canonical(THALIDOMIDE)
    assert inchikey(smiles) == THALIDOMIDE_KEY
    mol = to_mol(smiles)
    assert mol.GetNumAtoms() == 19  # no H, no counter-ion, no water left
    assert all(a.GetIsotope() == 0 and a.GetFormalCharge() == 0 for a in mol.GetAtoms())


def test_mol_with_explicit_hydrogen_atoms():
    # Chem.AddHs (or an SDF with hydrogens) gives H atoms in the graph; they must go,
    # otherwise every fingerprint changes.
    with_h = Chem.AddHs(Chem.MolFromSmiles(THALIDOMIDE))
    assert with_h.GetNumAtoms() == 29
    mol = to_mol(with_h)
    assert mol.GetNumAtoms() == 19
    assert Chem.MolToSmiles(mol) == rdkit_canonical(THALIDOMIDE)
    assert with_h.GetNumAtoms() == 29  # input untouched


@pytest.mark.parametrize(
    "smiles,key,label",
    [
        # (S)-thalidomide as imidic acid + hydrochloride: the tautomer step must keep C3
        ("OC1=NC(=O)[C@H](CC1)N1C(=O)c2c(C1=O)cccc2.Cl", S_KEY, "S"),
        ("OC1=NC(=O)[C@@H](CC1)N1C(=O)c2c(C1=O)cccc2.Cl", R_KEY, "R"),
        ("O=C1CC[C@H](N2C(=O)c3ccccc3C2=O)C(O)=N1", S_KEY, "S"),
        ("O=C1CC[C@H](N2C(=O)C3=CC=CC=C3C2=O)C(=O)N1.O", S_KEY, "S"),
        ("O=C1CC[C@@H](N2C(=O)c3ccccc3C2=O)C(=O)[15NH]1", R_KEY, "R"),
    ],
)
def test_stereo_survives_standardisation(smiles, key, label):
    mol = to_mol(smiles)
    assert cip(mol) == [label]
    assert inchikey(smiles) == key


def test_deuterium_on_the_stereocentre_keeps_its_configuration():
    # deuterium-stabilised (S)-thalidomide; D is still the lowest CIP priority, so the
    # label of the deuterated input (computed by RDKit directly) carries over
    smiles = "[2H][C@@]1(N2C(=O)c3ccccc3C2=O)CCC(=O)NC1=O"
    raw_label = cip(Chem.MolFromSmiles(smiles))
    assert raw_label in (["S"], ["R"])
    assert cip(to_mol(smiles)) == raw_label
    assert inchikey(smiles) == {"S": S_KEY, "R": R_KEY}[raw_label[0]]


def test_lenalidomide_hydrochloride_forms():
    plain = "Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O"
    for form in (plain + ".Cl", "[NH3+]c1cccc2c1CN(C1CCC(=O)NC1=O)C2=O.[Cl-]"):
        assert canonical_smiles(form) == rdkit_canonical(plain)
        assert inchikey(form) == "GOTYRUGSSMKFNF-UHFFFAOYSA-N"


def test_standardize_does_not_modify_its_input():
    for smiles in (
        "OC1=NC(=O)[C@H](CC1)N1C(=O)c2c(C1=O)cccc2.Cl",
        THALIDOMIDE_FORMS["13C carbonyl"],
    ):
        mol = Chem.MolFromSmiles(smiles)
        before = Chem.MolToSmiles(mol)
        standardize(mol)
        assert Chem.MolToSmiles(mol) == before


def test_to_mol_unstandardized_keeps_the_salt():
    mol = to_mol(THALIDOMIDE + ".Cl", standardized=False)
    assert len(Chem.GetMolFrags(mol)) == 2


def test_mol_input_is_accepted():
    mol = Chem.MolFromSmiles(THALIDOMIDE_FORMS["hydrochloride"])
    assert Chem.MolToSmiles(to_mol(mol)) == rdkit_canonical(THALIDOMIDE)
    assert inchikey(mol) == THALIDOMIDE_KEY


# ------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "bad,fragment",
    [
        ("C1CC", "'C1CC': unclosed ring"),
        ("CC(C", "'CC(C': unbalanced parentheses"),
        ("C(C)(C)(C)(C)C", "'C(C)(C)(C)(C)C'"),  # pentavalent carbon
        ("c1ccccc", "'c1ccccc'"),
        ("not a smiles", "'not a smiles'"),
        ("", "empty SMILES"),
        ("   ", "empty SMILES"),
        (None, "missing SMILES"),
        (float("nan"), "missing SMILES"),
        (pd.NA, "missing SMILES"),
        (12, "got int"),
    ],
)
def test_bad_input_raises_naming_it_without_log_noise(bad, fragment, capfd):
    for function in (to_mol, canonical_smiles, inchikey, parse_smiles):
        with pytest.raises(InvalidMoleculeError) as info:
            function(bad)
        assert fragment in str(info.value)
        assert isinstance(info.value, ImidchemError) and isinstance(info.value, ValueError)
    captured = capfd.readouterr()
    assert captured.err == ""
    assert captured.out == ""


def test_pentavalent_carbon_reason_is_chemical():
    with pytest.raises(InvalidMoleculeError, match="valence"):
        to_mol("C(C)(C)(C)(C)C")


def test_empty_mol_raises():
    with pytest.raises(InvalidMoleculeError, match="no atoms"):
        to_mol(Chem.Mol())


def test_no_rdkit_noise_for_odd_but_valid_input(capfd):
    with rdBase.BlockLogs():
        pass  # make sure the logger is in its normal state
    # a charged, salted, isotopic imidic acid goes through every standardisation step
    inchikey("OC1=NC(=O)[C@H](CC1)[15N]1C(=O)c2c(C1=O)cccc2.[Na+].[Cl-]")
    assert capfd.readouterr().err == ""
