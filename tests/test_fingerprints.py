"""Fingerprints by name equal the RDKit fingerprints built directly with the documented settings."""

from __future__ import annotations

import pytest
from conftest import THALIDOMIDE
from rdkit import Chem, DataStructs
from rdkit.Chem import MACCSkeys, rdFingerprintGenerator

from imidchem.chem.fingerprints import FINGERPRINTS, fingerprint, fingerprint_name, fingerprints
from imidchem.errors import InvalidArgumentError

DRUGS = {
    "thalidomide": THALIDOMIDE,
    "lenalidomide": "Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O",
    "apremilast": "CCOc1cc([C@@H](CS(C)(=O)=O)N2C(=O)c3cccc(NC(C)=O)c3C2=O)ccc1OC",
    "avadomide": "Cc1nc2cccc(N)c2c(=O)n1C1CCC(=O)NC1=O",
}


def direct(kind: str, mol: Chem.Mol):
    """The fingerprint built with RDKit directly (settings from the module's table)."""
    if kind == "morgan":
        return rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048).GetFingerprint(mol)
    if kind == "fcfp4":
        gen = rdFingerprintGenerator.GetMorganGenerator(
            radius=2,
            fpSize=2048,
            atomInvariantsGenerator=rdFingerprintGenerator.GetMorganFeatureAtomInvGen(),
        )
        return gen.GetFingerprint(mol)
    if kind == "atompair":
        return rdFingerprintGenerator.GetAtomPairGenerator(fpSize=2048).GetFingerprint(mol)
    if kind == "torsion":
        return rdFingerprintGenerator.GetTopologicalTorsionGenerator(fpSize=2048).GetFingerprint(
            mol
        )
    if kind == "maccs":
        return MACCSkeys.GenMACCSKeys(mol)
    if kind == "rdkit":
        return rdFingerprintGenerator.GetRDKitFPGenerator(maxPath=7, fpSize=2048).GetFingerprint(
            mol
        )
    raise AssertionError(kind)


def test_the_six_fingerprints():
    assert set(FINGERPRINTS) == {"morgan", "fcfp4", "atompair", "torsion", "maccs", "rdkit"}


@pytest.mark.parametrize("kind", ["morgan", "fcfp4", "atompair", "torsion", "maccs", "rdkit"])
@pytest.mark.parametrize("drug", sorted(DRUGS))
def test_fingerprint_equals_direct_rdkit(kind, drug):
    mol = Chem.MolFromSmiles(DRUGS[drug])
    ours = fingerprint(mol, kind)
    theirs = direct(kind, mol)
    assert ours.GetNumBits() == theirs.GetNumBits() == (167 if kind == "maccs" else 2048)
    assert list(ours.GetOnBits()) == list(theirs.GetOnBits())
    assert ours.GetNumOnBits() > 0


def test_fcfp4_differs_from_morgan():
    mol = Chem.MolFromSmiles(DRUGS["apremilast"])
    assert list(fingerprint(mol, "fcfp4").GetOnBits()) != list(
        fingerprint(mol, "morgan").GetOnBits()
    )


@pytest.mark.parametrize(
    "alias,name",
    [("ECFP4", "morgan"), ("ecfp", "morgan"), ("Morgan", "morgan"), ("fcfp", "fcfp4"),
     ("AP", "atompair"), ("tt", "torsion"), ("MACCS", "maccs"), ("RDKit", "rdkit")],
)  # fmt: skip
def test_aliases(alias, name):
    assert fingerprint_name(alias) == name
    mol = Chem.MolFromSmiles(DRUGS["thalidomide"])
    assert fingerprint(mol, alias) == direct(name, mol)


@pytest.mark.parametrize("bad", ["ecfp6", "", "morgan3", None])
def test_unknown_fingerprint_lists_allowed(bad):
    mol = Chem.MolFromSmiles(DRUGS["thalidomide"])
    with pytest.raises(InvalidArgumentError) as info:
        fingerprint(mol, bad)
    message = str(info.value)
    assert f"unknown fingerprint {bad!r}" in message
    for name in FINGERPRINTS:
        assert name in message


def test_fingerprints_many_keeps_order():
    mols = [Chem.MolFromSmiles(s) for s in DRUGS.values()]
    fps = fingerprints(mols, "torsion")
    assert len(fps) == len(mols)
    for fp, mol in zip(fps, mols, strict=True):
        assert DataStructs.TanimotoSimilarity(fp, direct("torsion", mol)) == 1.0
    with pytest.raises(InvalidArgumentError):
        fingerprints(mols, "nope")
