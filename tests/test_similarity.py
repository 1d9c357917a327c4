"""Similarity to thalidomide, matrices and MCS, checked against RDKit computed directly."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from rdkit import Chem, DataStructs
from rdkit.Chem import MACCSkeys, rdFingerprintGenerator

from imidchem.analysis.similarity import (
    METRICS,
    bulk_similarity,
    mcs,
    similarity,
    similarity_matrix,
)
from imidchem.errors import ImidchemError, InvalidArgumentError

with open(ROOT / "data" / "smiles.csv", newline="", encoding="utf-8") as _handle:
    REF = {row["name"]: row["smiles"] for row in csv.DictReader(_handle)}
THALIDOMIDE = REF["thalidomide"]

MORGAN = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)
GENERATORS = {
    "morgan": MORGAN,
    "fcfp4": rdFingerprintGenerator.GetMorganGenerator(
        radius=2,
        fpSize=2048,
        atomInvariantsGenerator=rdFingerprintGenerator.GetMorganFeatureAtomInvGen(),
    ),
    "atompair": rdFingerprintGenerator.GetAtomPairGenerator(fpSize=2048),
    "torsion": rdFingerprintGenerator.GetTopologicalTorsionGenerator(fpSize=2048),
    "rdkit": rdFingerprintGenerator.GetRDKitFPGenerator(maxPath=7, fpSize=2048),
}


def fp(smiles: str, kind: str = "morgan"):
    mol = Chem.MolFromSmiles(smiles)
    if kind == "maccs":
        return MACCSkeys.GenMACCSKeys(mol)
    return GENERATORS[kind].GetFingerprint(mol)


def direct(query: str, reference: str, kind="morgan", metric="tanimoto", a=0.5, b=0.5):
    q, r = fp(query, kind), fp(reference, kind)
    if metric == "tanimoto":
        return DataStructs.TanimotoSimilarity(q, r)
    if metric == "dice":
        return DataStructs.DiceSimilarity(q, r)
    return DataStructs.TverskySimilarity(q, r, a, b)


DRUGS = ["lenalidomide", "pomalidomide", "apremilast", "iberdomide", "avadomide", "glutethimide"]


@pytest.mark.parametrize("drug", DRUGS)
def test_default_is_morgan2_2048_tanimoto_to_thalidomide(drug):
    expected = direct(REF[drug], THALIDOMIDE)
    assert similarity(drug) == pytest.approx(expected)
    assert similarity(REF[drug]) == pytest.approx(expected)
    assert 0.0 < expected < 1.0


def test_ordering_of_the_document_argument():
    # apremilast is far less similar to thalidomide than the IMiDs are
    apremilast = similarity("apremilast")
    for drug in ("lenalidomide", "pomalidomide", "EM-12"):
        assert similarity(drug) > 2 * apremilast
    assert similarity("thalidomide") == pytest.approx(1.0)
    # racemic Morgan fingerprints ignore stereo: the enantiomers score 1.0 too
    assert similarity("(S)-thalidomide") == pytest.approx(1.0)


@pytest.mark.parametrize("kind", ["morgan", "fcfp4", "atompair", "torsion", "maccs", "rdkit"])
@pytest.mark.parametrize("metric", ["tanimoto", "dice"])
def test_each_fingerprint_and_metric(kind, metric):
    for drug in ("apremilast", "lenalidomide"):
        expected = direct(REF[drug], THALIDOMIDE, kind, metric)
        assert similarity(drug, fingerprint=kind, metric=metric) == pytest.approx(expected)


@pytest.mark.parametrize("kind", ["morgan", "maccs", "atompair"])
@pytest.mark.parametrize("alpha,beta", [(0.5, 0.5), (1.0, 1.0), (0.9, 0.1), (0.1, 0.9), (1.0, 0.0)])
def test_tversky(kind, alpha, beta):
    expected = direct(REF["apremilast"], THALIDOMIDE, kind, "tversky", alpha, beta)
    got = similarity("apremilast", fingerprint=kind, metric="tversky", alpha=alpha, beta=beta)
    assert got == pytest.approx(expected)


def test_tversky_special_cases_and_asymmetry():
    # alpha = beta = 1 is Tanimoto, alpha = beta = 0.5 is Dice
    for a, other in ((1.0, "tanimoto"), (0.5, "dice")):
        tversky = similarity("apremilast", metric="tversky", alpha=a, beta=a)
        assert tversky == pytest.approx(similarity("apremilast", metric=other))
    forward = similarity("apremilast", metric="tversky", alpha=0.9, beta=0.1)
    backward = similarity("thalidomide", "apremilast", metric="tversky", alpha=0.9, beta=0.1)
    assert forward != pytest.approx(backward)
    assert backward == pytest.approx(
        direct(THALIDOMIDE, REF["apremilast"], metric="tversky", a=0.9, b=0.1)
    )


def test_tversky_negative_weights_rejected():
    with pytest.raises(InvalidArgumentError, match="alpha and beta"):
        similarity("apremilast", metric="tversky", alpha=-0.1, beta=0.5)


def test_unknown_metric_and_fingerprint_list_allowed():
    with pytest.raises(InvalidArgumentError) as info:
        similarity("apremilast", metric="cosine")
    assert "'cosine'" in str(info.value)
    for name in METRICS:
        assert name in str(info.value)
    with pytest.raises(InvalidArgumentError) as info:
        similarity("apremilast", fingerprint="ecfp6")
    assert "'ecfp6'" in str(info.value)
    for name in ("morgan", "fcfp4", "atompair", "torsion", "maccs", "rdkit"):
        assert name in str(info.value)


def test_metric_names_are_case_insensitive():
    assert similarity("apremilast", metric="Dice") == pytest.approx(
        direct(REF["apremilast"], THALIDOMIDE, metric="dice")
    )


def test_similarity_to_named_reference_and_to_smiles():
    expected = direct(REF["iberdomide"], REF["lenalidomide"])
    assert similarity("iberdomide", "lenalidomide") == pytest.approx(expected)
    assert similarity("CC-220", "Revlimid") == pytest.approx(expected)
    assert similarity(REF["iberdomide"], REF["lenalidomide"]) == pytest.approx(expected)
    assert similarity(Chem.MolFromSmiles(REF["iberdomide"]), "lenalidomide") == pytest.approx(
        expected
    )
    # an arbitrary SMILES as the reference
    aspirin = "CC(=O)Oc1ccccc1C(=O)O"
    assert similarity("apremilast", aspirin) == pytest.approx(direct(REF["apremilast"], aspirin))


@pytest.mark.parametrize(
    "variant",
    [
        "OC1=NC(=O)C(CC1)N1C(=O)c2c(C1=O)cccc2",
        THALIDOMIDE + ".Cl",
        "O=C1CCC(N2C(=O)C3=CC=CC=C3C2=O)C(=O)N1",
        "[H]N1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O",
        "[2H]N1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O",
        "O=[13C]1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1",
    ],
)
def test_tricky_thalidomide_forms_have_the_same_similarity(variant):
    for drug in ("lenalidomide", "apremilast"):
        for kind in ("morgan", "maccs", "atompair"):
            expected = direct(REF[drug], THALIDOMIDE, kind)
            assert similarity(drug, variant, fingerprint=kind) == pytest.approx(expected)
    assert similarity(variant) == pytest.approx(1.0)


def test_explicit_hydrogen_mol_has_the_same_similarity():
    with_h = Chem.AddHs(Chem.MolFromSmiles(REF["lenalidomide"]))
    assert similarity(with_h) == pytest.approx(direct(REF["lenalidomide"], THALIDOMIDE))


@pytest.mark.parametrize("bad", ["C1CC", "", None, "aspirin", float("nan")])
def test_bad_input_raises(bad, capfd):
    with pytest.raises(ImidchemError):
        similarity(bad)
    with pytest.raises(ImidchemError):
        similarity("apremilast", bad)
    with pytest.raises(ImidchemError):
        mcs(bad)
    assert capfd.readouterr().err == ""


def test_bulk_similarity():
    query = fp(THALIDOMIDE)
    others = [fp(REF[d]) for d in DRUGS]
    got = bulk_similarity(query, others)
    assert got == pytest.approx([DataStructs.TanimotoSimilarity(query, o) for o in others])
    with pytest.raises(InvalidArgumentError):
        bulk_similarity(query, others, metric="euclid")


# ---------------------------------------------------------------------------- matrix


def test_reference_matrix_shape_labels_symmetry_diagonal():
    matrix = similarity_matrix()
    names = list(REF)
    assert matrix.shape == (len(names), len(names))
    assert list(matrix.index) == names
    assert list(matrix.columns) == names
    values = matrix.to_numpy()
    assert np.allclose(values, values.T)
    assert np.allclose(np.diag(values), 1.0)
    assert ((values >= 0) & (values <= 1)).all()
    for a, b in (("apremilast", "thalidomide"), ("lenalidomide", "pomalidomide")):
        assert matrix.loc[a, b] == pytest.approx(direct(REF[a], REF[b]))


def test_matrix_of_given_molecules_with_names_and_tversky():
    smiles = [REF["thalidomide"], REF["apremilast"], REF["avadomide"]]
    labels = ["T", "A", "V"]
    matrix = similarity_matrix(smiles, names=labels, metric="tversky", alpha=0.8, beta=0.2)
    assert isinstance(matrix, pd.DataFrame)
    assert list(matrix.index) == labels and list(matrix.columns) == labels
    for i, qi in enumerate(smiles):
        for j, rj in enumerate(smiles):
            expected = direct(qi, rj, metric="tversky", a=0.8, b=0.2)
            assert matrix.iloc[i, j] == pytest.approx(expected)
    assert matrix.loc["A", "T"] != pytest.approx(matrix.loc["T", "A"])  # asymmetric


def test_matrix_default_labels_and_fingerprint():
    matrix = similarity_matrix(["apremilast", "CCO"], fingerprint="maccs")
    assert list(matrix.index) == ["apremilast", "CCO"]
    assert matrix.loc["apremilast", "CCO"] == pytest.approx(
        direct(REF["apremilast"], "CCO", "maccs")
    )


def test_matrix_bad_arguments():
    with pytest.raises(InvalidArgumentError, match="names has 1 entries"):
        similarity_matrix(["CCO", "CCN"], names=["x"])
    with pytest.raises(ImidchemError):
        similarity_matrix(["CCO", "C1CC"])


# ------------------------------------------------------------------------------- MCS


def test_mcs_thalidomide_with_itself():
    result = mcs("thalidomide")
    assert result.num_atoms == 19
    assert result.num_bonds == 21  # 19 atoms, 3 rings: 19 - 1 + 3
    assert result.fraction_of_reference == pytest.approx(1.0)
    assert result.fraction_of_query == pytest.approx(1.0)
    assert not result.timed_out


def test_mcs_apremilast_shares_the_phthalimide():
    result = mcs("apremilast")
    # phthalimide: 6 aromatic C + 2 carbonyl C + 2 O + N = 11 atoms; the N-substituent is a
    # chain CH in apremilast but a ring atom in thalidomide, so it cannot be matched
    assert result.num_atoms == 11
    assert result.fraction_of_reference == pytest.approx(11 / 19)
    assert result.fraction_of_query == pytest.approx(
        11 / Chem.MolFromSmiles(REF["apremilast"]).GetNumHeavyAtoms()
    )
    core = Chem.MolFromSmarts(result.smarts)
    assert Chem.MolFromSmiles(REF["apremilast"]).HasSubstructMatch(core)
    assert Chem.MolFromSmiles(THALIDOMIDE).HasSubstructMatch(core)
    assert Chem.MolFromSmiles("O=C1NC(=O)c2ccccc21").HasSubstructMatch(core)


def test_mcs_lenalidomide_lacks_one_carbonyl_oxygen():
    # lenalidomide = thalidomide with one C=O reduced to CH2 (+ NH2): all but that O is shared
    assert mcs("lenalidomide").num_atoms == 18


def test_mcs_timeout_validated():
    with pytest.raises(InvalidArgumentError, match="timeout"):
        mcs("apremilast", timeout=0)


@pytest.mark.parametrize("smiles", ["[H+]", "*", "[2H][2H]"])
def test_mcs_of_a_molecule_without_heavy_atoms(smiles):
    # was a ZeroDivisionError (and a traceback from `imidchem explain '[H+]'`)
    result = mcs(smiles)
    assert result.num_atoms == 0
    assert result.fraction_of_query == 0.0
    assert result.fraction_of_reference == 0.0
