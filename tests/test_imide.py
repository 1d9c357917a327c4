"""One definition of a cyclic imide (issue 18): the call, the pose's anchor and the skip rule."""

from __future__ import annotations

import pytest
from rdkit import Chem

from imidchem.chem.mol import to_mol
from imidchem.chem.patterns import CYCLIC_IMIDE_NH, PATTERNS, anchor_atoms, can_anchor
from imidchem.chem.pocket.pose import find_anchors
from imidchem.chem.pocket.structures import load_structure
from imidchem.evidence.call import crbn_call

# name, SMILES, level, chemotype, anchor kind ("imide", "lactam" or None)
CASES = [
    ("phenobarbital", "CCC1(c2ccccc2)C(=O)NC(=O)NC1=O", 3, "barbiturate", "imide"),
    ("5-fluorouracil", "O=c1[nH]cc(F)c(=O)[nH]1", 3, "uracil", "imide"),
    ("1-phenyluracil", "O=c1ccn(-c2ccccc2)c(=O)[nH]1", 3, "uracil", "imide"),
    ("thymidine", "Cc1cn([C@H]2C[C@H](O)[C@@H](CO)O2)c(=O)[nH]c1=O", 4, "nucleoside", "imide"),
    ("theobromine", "Cn1cnc2c1c(=O)[nH]c(=O)n2C", 3, "fused uracil", "imide"),
    ("phenytoin", "O=C1NC(=O)C(c2ccccc2)(c2ccccc2)N1", 3, "hydantoin", "imide"),
    ("ethosuximide", "CCC1(C)CC(=O)NC1=O", 3, "succinimide", "imide"),
    ("glutethimide", "CCC1(c2ccccc2)CCC(=O)NC1=O", 3, "3,3-disubstituted glutarimide", "imide"),
    ("glutarimide", "O=C1CCCC(=O)N1", 3, "unsubstituted glutarimide", "imide"),
    ("5,6-dihydrouracil", "O=C1CCNC(=O)N1", 3, "dihydrouracil", "imide"),
    ("phenyl-dihydrouracil", "O=C1CCN(c2ccccc2)C(=O)N1", 2, "phenyl-dihydrouracil", "imide"),
    ("phthalimide", "O=C1NC(=O)c2ccccc21", 3, "other N-H cyclic imide", "imide"),
    ("maleimide", "O=C1C=CC(=O)N1", 3, "other N-H cyclic imide", "imide"),
    ("lenalidomide", "Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O", 1,
     "isoindolinone glutarimide (lenalidomide type)", "imide"),
    ("N-methylthalidomide", "CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O", 4,
     "N-substituted glutarimide", None),
    ("apremilast", "CCOc1cc([C@@H](CS(C)(=O)=O)N2C(=O)c3cccc(NC(C)=O)c3C2=O)ccc1OC", 4,
     "isoindoline only", None),
    ("theophylline (N7-H, no imide N-H)", "Cn1c(=O)c2[nH]cnc2n(C)c1=O", 4, "no cyclic imide",
     None),
    ("3,4-dihydroquinolin-2-one", "O=C1CCc2ccccc2N1", 3,
     "benzo-fused N-H lactam (3,4-dihydroquinolin-2-one type)", "lactam"),
    ("3,4-dihydroquinazolin-2-one", "CC(C)c1nc2ccccc2n1-c1ccc2c(c1)CNC(=O)N2", 3,
     "benzo-fused N-H lactam (3,4-dihydroquinolin-2-one type)", "lactam"),
    ("oxindole (five-membered lactam)", "O=C1Cc2ccc(-c3ccncc3)cc2N1", 4, "no cyclic imide",
     "lactam"),
    ("piperidin-2-one", "O=C1CCCCN1", 4, "no cyclic imide", "lactam"),
    ("benzene", "c1ccccc1", 4, "no cyclic imide", None),
]


@pytest.mark.parametrize(("name", "smiles", "level", "chemotype", "anchor"), CASES,
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_call_and_anchor_agree(name, smiles, level, chemotype, anchor):
    call = crbn_call(smiles)
    assert (call.level, call.chemotype) == (level, chemotype)
    atoms = anchor_atoms(to_mol(smiles))
    kind = None if not atoms else ("imide" if len(atoms[0]) == 5 else "lactam")
    assert kind == anchor
    assert can_anchor(to_mol(smiles)) is (anchor is not None)
    # the same reason on both halves: an N-H imide is never called "no cyclic imide", and a
    # molecule the call places at level 1-3 always has something the pose can anchor
    if kind == "imide":
        assert "no cyclic imide" not in call.chemotype + call.reason
    if level <= 3:
        assert kind is not None


def test_anchor_atoms_are_o_c_n_c_o_of_the_imide():
    mol = to_mol("O=C1NC(=O)C(CC)(c2ccccc2)C(=O)N1")  # phenobarbital: two N-H imides
    atoms = anchor_atoms(mol)
    assert len(atoms) == 2  # N1 (C2, C6) and N3 (C2, C4)
    for o1, c1, n, c2, o2 in atoms:
        assert [mol.GetAtomWithIdx(i).GetSymbol() for i in (o1, c1, n, c2, o2)] == list("OCNCO")
        assert mol.GetAtomWithIdx(n).GetTotalNumHs() == 1
        assert mol.GetBondBetweenAtoms(o1, c1).GetBondType() == Chem.BondType.DOUBLE


def test_cyclic_imide_definition_needs_the_n_h_and_a_small_ring():
    assert not to_mol("CN1C(=O)CCCC1=O").HasSubstructMatch(CYCLIC_IMIDE_NH.query)
    assert not to_mol("O=C1CCCCCC(=O)N1").HasSubstructMatch(CYCLIC_IMIDE_NH.query)  # 8-ring
    assert not to_mol("CC(=O)NC(C)=O").HasSubstructMatch(CYCLIC_IMIDE_NH.query)  # acyclic
    assert "one definition" in PATTERNS["cyclic_imide_nh"].reason


def test_anchor_atoms_accepts_the_standardised_smiles():
    assert anchor_atoms("O=C1CCc2ccccc2N1") == ((0, 1, 10),)
    with pytest.raises(Exception, match="invalid SMILES"):
        anchor_atoms("C1CC")


@pytest.mark.parametrize(
    ("smiles", "kind"),
    [
        ("O=C1NC(=O)C(CC)(c2ccccc2)C(=O)N1", "cyclic imide"),
        ("O=c1[nH]cc(F)c(=O)[nH]1", "cyclic imide"),
        ("O=C1CCc2ccccc2N1", "cyclic N-H lactam"),
        ("CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O", None),  # N-methyl: nothing to anchor
    ],
)
def test_pose_anchor_uses_the_same_definition(smiles, kind):
    anchors = find_anchors(Chem.MolFromSmiles(smiles), load_structure("5fqd"))
    assert ({a.kind for a in anchors} or {None}) == {kind}
