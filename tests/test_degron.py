"""Degron evidence in 3-D (issue 17): five degrons shipped in the 5fqd frame, fits with the
degron present, clashes of a molecule built to clash."""

from __future__ import annotations

import gzip

import numpy as np
import pytest
from rdkit import Chem

from imidchem import pocket_fit
from imidchem.chem.pocket.degron import assess_degron, load_degrons
from imidchem.errors import InvalidArgumentError


def test_five_degrons_with_deciding_residues():
    degrons = {d.pdb_id: d for d in load_degrons()}
    assert [(k, d.gene) for k, d in degrons.items()] == [
        ("5fqd", "CSNK1A1"), ("6uml", "SALL4"), ("6h0f", "IKZF1"), ("6h0g", "ZNF692"),
        ("7lps", "IKZF2"),
    ]
    assert degrons["6h0f"].deciding == {"Gln146": 146, "Gly151": 151}
    assert degrons["7lps"].deciding == {"His141": 141, "Gly146": 146}
    assert degrons["5fqd"].deciding == {"Gly40": 40}
    for d in degrons.values():
        assert d.superposition_rmsd < 0.3
        assert set(d.resnames[d.residue_atoms(d.deciding[[k for k in d.deciding
                                                          if k.startswith("Gly")][0]])]) == {"GLY"}
    assert set(degrons["6h0f"].resnames[degrons["6h0f"].residue_atoms(146)]) == {"GLN"}
    assert set(degrons["7lps"].resnames[degrons["7lps"].residue_atoms(141)]) == {"HIS"}


def test_crystal_glue_meets_its_own_degron():
    for d in load_degrons():
        fit = assess_degron(d.glue_mol, d)
        assert fit.clashes == 0
        assert fit.contacts == d.glue_contacts
        assert fit.deciding == fit.glue_deciding


def test_degron_coordinates_match_the_pdb_file_after_superposition(shared_data):
    # the IKZF1 Gln146 side chain: distances within the residue are frame-independent
    lines = [line for line in gzip.open(shared_data("structures/6h0f_neosubstrate.pdb.gz"), "rt")
             if line.startswith("ATOM") and line[22:26].strip() == "146"]
    raw = {line[12:16].strip(): np.array([float(line[30:38]), float(line[38:46]),
                                          float(line[46:54])]) for line in lines}
    d = next(d for d in load_degrons() if d.gene == "IKZF1")
    mine = {str(n): d.coords[i] for i in d.residue_atoms(146) for n in [d.atom_names[i]]}
    for a, b in (("CA", "NE2"), ("N", "OE1"), ("CB", "CD")):
        assert np.linalg.norm(mine[a] - mine[b]) == pytest.approx(
            np.linalg.norm(raw[a] - raw[b]), abs=2e-3)


def test_a_molecule_built_to_clash():
    d = next(d for d in load_degrons() if d.gene == "IKZF1")
    # pomalidomide's crystal pose with a methyl put onto the Gly151 C-alpha
    glue = Chem.RWMol(d.glue_mol)
    ca = d.coords[[i for i in d.residue_atoms(151) if d.atom_names[i] == "CA"][0]]
    xyz = glue.GetConformer().GetPositions()
    near = int(np.argmin(np.linalg.norm(xyz - ca, axis=1)))
    new = glue.AddAtom(Chem.Atom(6))
    glue.AddBond(near, new, Chem.BondType.SINGLE)
    conf = glue.GetConformer()
    conf.SetAtomPosition(new, (ca + 0.3).tolist())
    clashing = glue.GetMol()
    clashing.UpdatePropertyCache(strict=False)
    fit = assess_degron(clashing, d)
    assert fit.clashes >= 1 and fit.closest < 1.0
    assert fit.compatible is (fit.clashes <= 2)
    assert new in fit.facing_atoms


def test_pocket_fit_with_degrons():
    fit = pocket_fit("pomalidomide", degron=True)
    assert [d.gene for d in fit.degrons] == ["CSNK1A1", "SALL4", "IKZF1", "ZNF692", "IKZF2"]
    ikzf1 = next(d for d in fit.degrons if d.gene == "IKZF1")
    assert ikzf1.status == "ok" and ikzf1.imide_rmsd < 1.0
    assert ikzf1.clashes <= 2 and ikzf1.contacts > 5
    assert ikzf1.deciding["Gln146"] < 4.5
    assert "not a degraded protein" in ikzf1.reason
    assert fit.as_dict()["degrons"][2]["gene"] == "IKZF1"
    with pytest.raises(InvalidArgumentError, match="5fqd"):
        pocket_fit("pomalidomide", structure="6uml", degron=True)
