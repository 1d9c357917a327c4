"""The shipped NCI background equals a fresh computation from RDKit's own file."""

from __future__ import annotations

import pytest
from rdkit import Chem, rdBase

from imidchem.chem.fingerprints import FINGERPRINTS, fingerprint
from imidchem.chem.mol import standardize
from imidchem.data.background import NCI_PATH, background_fingerprints, background_smiles

STEP = 97  # a sample of about 50 molecules spread over the file


@pytest.fixture(scope="module")
def fresh() -> list[tuple[int, Chem.Mol]]:
    """(position among readable molecules, freshly standardised Mol) of every STEP-th one."""
    with rdBase.BlockLogs():
        supplier = Chem.SmilesMolSupplier(str(NCI_PATH), delimiter="\t", titleLine=False)
        readable = [mol for mol in supplier if mol is not None]
    assert len(readable) == len(background_smiles()) == 4991
    return [(i, standardize(readable[i])) for i in range(0, len(readable), STEP)]


def test_shipped_smiles_are_the_standardised_molecules(fresh):
    shipped = background_smiles()
    for position, mol in fresh:
        assert shipped[position] == Chem.MolToSmiles(mol), position


@pytest.mark.parametrize("kind", FINGERPRINTS)
def test_shipped_fingerprints_equal_fresh_ones(fresh, kind):
    shipped = background_fingerprints(kind)
    assert len(shipped) == 4991
    for position, mol in fresh:
        assert shipped[position] == fingerprint(mol, kind), (kind, position)
