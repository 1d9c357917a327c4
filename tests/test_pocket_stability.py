"""Stable poses: the answer does not depend on the random seed, undefined stereocentres are
placed both ways, and the crystal ligands beat their mirror images in their own pockets.

Numbers measured with benchmarks/pocket_targets.py --only stability (docs/pocket.md).
"""

from __future__ import annotations

import numpy as np
import pytest
from rdkit import Chem

from imidchem.chem.pocket import load_structure, pocket_fit
from imidchem.chem.pocket.pose import find_anchors
from imidchem.chem.pocket.stereo import stereo_forms

LENALIDOMIDE = "Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O"  # racemic, as marketed
S_LENALIDOMIDE = "Nc1cccc2c1CN([C@H]1CCC(=O)NC1=O)C2=O"  # the 5fqd ligand
R_LENALIDOMIDE = "Nc1cccc2c1CN([C@@H]1CCC(=O)NC1=O)C2=O"
# iberdomide pasted without stereo, as vendors write it (the example)
IBERDOMIDE_FLAT = "O=C1CCC(N2Cc3c(OCc4ccc(CN5CCOCC5)cc4)cccc3C2=O)C(=O)N1"
# racemic; its C3 quinazolinone is in no crystal ligand, so only the ring is anchored
AVADOMIDE = "Cc1nc2cccc(N)c2c(=O)n1C1CCC(=O)NC1=O"
R_THALIDOMIDE = "O=C1CC[C@@H](N2C(=O)c3ccccc3C2=O)C(=O)N1"


@pytest.mark.parametrize("smiles", [LENALIDOMIDE, IBERDOMIDE_FLAT, AVADOMIDE])
def test_same_answer_for_any_seed(smiles):
    fits = [pocket_fit(smiles, seed=seed) for seed in (0, 1, 2)]
    assert {f.pocket_fit for f in fits} == {True}
    scores = [f.pocket_score for f in fits]
    assert max(scores) - min(scores) <= 0.05
    assert {f.pocket_enantiomer for f in fits} == {"S"}
    assert all(f.imide_rmsd <= 0.5 for f in fits)


def test_undefined_c3_is_placed_both_ways_and_the_result_says_which():
    fit = pocket_fit(LENALIDOMIDE, seed=42)
    assert (fit.pocket_enantiomer, fit.stereo) == ("S", "enumerated")
    [other] = fit.other_forms
    assert other.enantiomer == "R"
    assert Chem.MolToInchiKey(Chem.MolFromSmiles(other.smiles)) == Chem.MolToInchiKey(
        Chem.MolFromSmiles(R_LENALIDOMIDE)
    )
    assert other.pocket_score < fit.pocket_score
    # the pose carries the reported configuration
    pose = Chem.Mol(fit.pose)
    Chem.AssignStereochemistryFrom3D(pose)
    assert Chem.MolToInchiKey(pose) == Chem.MolToInchiKey(Chem.MolFromSmiles(S_LENALIDOMIDE))
    record = fit.as_dict()
    assert record["pocket_enantiomer"] == "S" and record["other_forms"][0]["enantiomer"] == "R"
    assert 0.0 <= record["pocket_score_spread"] <= 0.05


def test_crystal_ligand_beats_its_mirror_image_in_its_own_pocket():
    s = load_structure("5fqd")
    own = pocket_fit(Chem.MolToSmiles(s.ligand), structure="5fqd")
    mirror = pocket_fit(R_LENALIDOMIDE, structure="5fqd")
    assert (own.pocket_enantiomer, own.stereo, own.other_forms) == ("S", "given", ())
    assert mirror.pocket_enantiomer == "R"
    assert own.imide_rmsd <= 0.5
    assert own.pocket_score > mirror.pocket_score + 0.05


def test_the_mirror_image_is_anchored_by_its_ring_only():
    """The common-substructure match ignores chirality: the (R) form must not be forced onto
    the (S) crystal ligand's scaffold, only its glutarimide ring (6 atoms and the two O)."""
    s = load_structure("5fqd")
    same = find_anchors(Chem.AddHs(Chem.MolFromSmiles(S_LENALIDOMIDE)), s)
    other = find_anchors(Chem.AddHs(Chem.MolFromSmiles(R_LENALIDOMIDE)), s)
    assert {len(a.query) for a in same} == {19}
    assert {len(a.query) for a in other} == {8}
    ring = set(
        Chem.MolFromSmiles(R_LENALIDOMIDE).GetSubstructMatch(Chem.MolFromSmarts("O=C1CCCC(=O)N1"))
    )
    assert all(set(a.query) == ring for a in other)


def test_phenyl_glutarimide_anchor_takes_the_crystal_exit_vector():
    """Complete-ring matching stops at C3; the first atom of its substituent is added on the
    crystal ligand's C3-N direction when the configuration agrees (here the R label, the
    same spatial arrangement as (S)-thalidomide: CIP priorities differ)."""
    s = load_structure("5fqd")
    r = find_anchors(Chem.AddHs(Chem.MolFromSmiles("O=C1CC[C@H](c2ccccc2)C(=O)N1")), s)
    assert max(len(a.query) for a in r) == 9
    s_form = find_anchors(Chem.AddHs(Chem.MolFromSmiles("O=C1CC[C@@H](c2ccccc2)C(=O)N1")), s)
    assert max(len(a.query) for a in s_form) == 8


def test_stereo_forms_enumerate_the_imide_ring_first_and_fix_the_rest():
    # two undefined centres: the glutarimide C3 and a secondary alcohol
    mol = Chem.MolFromSmiles("CC(O)c1ccc(C2CCC(=O)NC2=O)cc1")
    forms = stereo_forms(mol, max_forms=4)
    assert len(forms) == 4
    assert len({Chem.MolToSmiles(f.mol) for f in forms}) == 4
    assert [f.label for f in forms].count("S") == 2 and not forms[0].left_undefined
    only_two = stereo_forms(mol, max_forms=2)
    assert [f.label for f in only_two] == ["S", "R"]
    assert only_two[0].left_undefined == (1,)  # the alcohol carbon, left to ETKDG
    assert all(
        f.mol.GetAtomWithIdx(1).GetChiralTag() == Chem.ChiralType.CHI_UNSPECIFIED for f in only_two
    )
    # bridgeheads are not enumerated outside the anchored ring (their choices depend on
    # each other): 2,5-diazabicyclo[2.2.1]heptane on a phenyl-glutarimide
    bridged = stereo_forms(Chem.MolFromSmiles("O=C1CCC(c2ccc(N3CC4CC3CN4)cc2)C(=O)N1"))
    assert [f.label for f in bridged] == ["S", "R"] and len(bridged[0].left_undefined) == 2
    # a defined centre is kept, no enumeration
    [given] = stereo_forms(Chem.MolFromSmiles(S_LENALIDOMIDE))
    assert (given.label, given.given) == ("S", True)


# oxa-bridged Biginelli product (2,6-methano-1,3,5-benzoxadiazocin-4-one, MOSES test set):
# two bridgeheads in the anchored urea ring whose configurations go together
BRIDGED_UREA = "CC12CC(NC(=O)N1)c1cc(Br)ccc1O2"


def test_bridgehead_configurations_that_cannot_exist_are_not_placed():
    forms = stereo_forms(Chem.MolFromSmiles(BRIDGED_UREA))
    assert [f.label for f in forms] == ["S,S", "R,R"]  # (R,S), (S,R): no such ring system
    assert [Chem.MolToSmiles(f.mol) for f in forms] == [
        "C[C@]12C[C@H](NC(=O)N1)c1cc(Br)ccc1O2",
        "C[C@@]12C[C@@H](NC(=O)N1)c1cc(Br)ccc1O2",
    ]
    # a fused ring system exists cis and trans: all four forms of an octahydroquinolinone kept
    fused = stereo_forms(Chem.MolFromSmiles("O=C1CCC2CCCCC2N1"))
    assert len({Chem.MolToSmiles(f.mol) for f in fused}) == 4
    # the fit places both enantiomers (it ran into the 10 s time limit on the other two before)
    fit = pocket_fit(BRIDGED_UREA)
    assert (fit.pocket_status, fit.stereo) == ("ok", "enumerated")
    assert {fit.pocket_enantiomer, *(o.enantiomer for o in fit.other_forms)} == {"S,S", "R,R"}


def test_a_lactam_enumerates_its_ring_only_an_imide_the_rest_too():
    lactam = "CC(O)c1ccc(C2CCC(=O)N2)cc1"  # pyrrolidinone: the anchor is an N-H lactam
    forms = stereo_forms(Chem.MolFromSmiles(lactam))
    assert [f.label for f in forms] == ["S", "R"]
    assert all(f.left_undefined == (1,) for f in forms)  # the alcohol carbon
    imide = stereo_forms(Chem.MolFromSmiles("CC(O)c1ccc(C2CCC(=O)NC2=O)cc1"))
    assert len(imide) == 4 and not imide[0].left_undefined
    fit = pocket_fit(lactam)
    assert fit.stereo == "enumerated" and len(fit.other_forms) == 1
    assert fit.pocket_reason.endswith(
        "; 1 undefined stereocentre not enumerated (configuration from the conformer search)"
    )


def test_pocket_columns_report_the_enantiomer_and_spread():
    import pandas as pd

    from imidchem import assess

    out = assess(pd.DataFrame({"smiles": [LENALIDOMIDE, "c1ccccc1O"]}), three_d=True)
    assert out["pocket_enantiomer"].tolist() == ["S", ""]
    assert out.loc[0, "pocket_score_spread"] <= 0.05
    # phenol: nothing to anchor, not fitted, no spread
    assert out.loc[1, "pocket_status"] == "skipped"
    assert np.isnan(out.loc[1, "pocket_score_spread"])


def test_stereo_check_does_not_need_coordinates_of_unmapped_atoms():
    """A sulfone next to the ring (unmapped by any template) once made the 3-D stereo
    perception fail on atoms without coordinates (17 ChEMBL dev compounds came back as
    errors); the check now looks at the stereocentre and its neighbours only."""
    fit = pocket_fit("O=C1CCC(CS(=O)(=O)c2ccc(Cl)cc2)C(=O)N1")
    assert fit.pocket_status == "ok" and fit.imide_rmsd < 0.5
    assert fit.pocket_enantiomer in ("S", "R") and len(fit.other_forms) == 1


def test_refinement_stops_at_a_stationary_point():
    """The smoothed energy lets L-BFGS converge: after refinement the gradient (rigid body
    and torsions) is near zero, where the straight-ramp energy stopped on its kinks with
    gradients near 1 (avadomide, the pose then differed between seeds)."""
    from imidchem.chem.pocket.pose import Refiner, _candidates, _embed_starts, _hold

    s = load_structure("5fqd")
    mol_h = Chem.AddHs(Chem.MolFromSmiles("Cc1nc2cccc(N)c2c(=O)n1[C@H]1CCC(=O)NC1=O"))
    anchors = find_anchors(mol_h, s)
    ids = _embed_starts(mol_h, anchors, 2, 0, None, True)
    _, xyz, anchor = _candidates(mol_h, ids, anchors, s)[0]
    refiner = Refiner(mol_h, s, int(anchor.tether()[0][0]))
    _hold(refiner, anchor, "anchor")
    new, energy = refiner.refine(refiner.scan(xyz), rounds=3, max_iter=200)
    centre = new[refiner.heavy].mean(axis=0)
    e, grad = refiner._fun(np.zeros(6 + len(refiner.torsions)), new, centre)
    assert e == pytest.approx(energy)
    assert np.abs(grad).max() < 0.01


def test_refinement_sees_every_pocket_atom():
    """A tail swung by the torsion search can reach pocket atoms far from its start: the
    energy counts all of them (a selection around the start left degrader linkers in
    clashes the energy never saw)."""
    from imidchem.chem.pocket.pose import Refiner

    s = load_structure("5fqd")
    mol_h = Chem.AddHs(Chem.MolFromSmiles(S_LENALIDOMIDE))
    refiner = Refiner(mol_h, s, 0)
    assert len(refiner.pocket_xyz) == len(s.coords)


def test_both_puckers_of_a_ring_no_template_sets():
    """(R)-thalidomide is anchored by its glutarimide ring only (its C3 group would land on
    the (S) ligand's opposite configuration): both ring puckers are embedded, whatever the
    seed, so the pose does not depend on which one ETKDG happened to draw."""
    from imidchem.chem.pocket.pose import _dihedral, _embed_starts, _loose_ring, flip_puckers

    s = load_structure("5fqd")
    for seed in (0, 1):
        mol_h = Chem.AddHs(Chem.MolFromSmiles(R_THALIDOMIDE))
        anchors = find_anchors(mol_h, s)
        ring = _loose_ring(mol_h, anchors)
        assert len(ring) == 6
        ids = _embed_starts(mol_h, anchors, 4, seed, None, True)
        ids += flip_puckers(mol_h, ids, ring)
        shapes = set()
        for cid in ids:
            conf = mol_h.GetConformer(cid)
            xyz = [np.array(conf.GetAtomPosition(i)) for i in ring]
            angles = [np.degrees(_dihedral(*(xyz[(k + j) % 6] for j in range(4)))) for k in range(6)]
            # the two most twisted ring torsions (C-C-C-C, about 40-60 degrees) change sign
            # when the pucker turns over
            shapes.add((int(np.sign(angles[0])), int(np.sign(angles[1]))))
        assert shapes == {(-1, 1), (1, -1)}
    # the (S) ligand's own scaffold sets its pucker: nothing loose
    same = Chem.AddHs(Chem.MolFromSmiles(S_LENALIDOMIDE))
    assert _loose_ring(same, find_anchors(same, s)) == ()


def test_batched_grid_energies_are_the_single_ones():
    """The torsion grid scores its 12 angles in one call (score.energies) and reads the pair
    types from a table (score.pair_flags): exact speed-ups, the same numbers as one
    interaction_energy call per angle with the types looked up each time."""
    from rdkit.Chem import rdDistGeom

    from imidchem.chem.pocket.pose import Refiner, _hold
    from imidchem.chem.pocket.score import interaction_energy

    s = load_structure("5fqd")
    mol_h = Chem.AddHs(Chem.MolFromSmiles(IBERDOMIDE_FLAT))
    rdDistGeom.EmbedMolecule(mol_h, randomSeed=7)
    anchor = find_anchors(mol_h, s)[0]
    refiner = Refiner(mol_h, s, int(anchor.tether()[0][0]))
    _hold(refiner, anchor, "anchor")  # tethered atoms move too: their term is in the sum
    xyz = mol_h.GetConformer().GetPositions()
    xyz += s.ligand_coords.mean(axis=0) - xyz[refiner.heavy].mean(axis=0)
    for torsion in refiner.free_torsions():
        grid = refiner._grid(xyz, torsion, None)
        assert len(grid) == 12
        trials = np.array([trial for _, trial in grid])
        batched = refiner._moving_energies(trials, torsion)
        assert batched == [refiner._moving_energy(trial, torsion) for trial in trials]
        # the grid's totals: the fixed part counted once, plus the moving part
        assert [e for e, _ in grid] == pytest.approx([refiner.energy(t) for t in trials])
    heavy, pairs, _ = refiner._moving_parts(refiner.free_torsions()[0])
    refiner.tether = None
    for trial in trials[:3]:
        plain, _ = interaction_energy(
            trial, refiner.types, heavy, refiner.pocket_xyz, refiner.pocket, pairs,
            gradient=False,
        )
        assert refiner._moving_energy(trial, refiner.free_torsions()[0]) == plain
        full, grad = interaction_energy(
            trial, refiner.types, refiner.heavy, refiner.pocket_xyz, refiner.pocket,
            refiner.intra,
        )
        e, g = refiner._energy(trial)
        assert e == full and np.array_equal(g, grad)


CC_885 = "Cc1ccc(NC(=O)NCc2ccc3c(c2)CN(C2CCC(=O)NC2=O)C3=O)cc1Cl"  # racemic, 31 heavy atoms


def test_the_mirror_image_reuses_its_enantiomers_conformers_reflected(monkeypatch):
    """Above 25 heavy atoms a racemate's (R) form is built from the (S) form's relaxed
    conformers, reflected (fit.MIRROR_FORMS): each reflection carries (R) stereo and has the
    (S) conformer's MMFF energy; a diastereomer gets no reflection; the racemic fit embeds
    once and its (R) result is the one placing (R) on the reflected conformers gives."""
    from rdkit.Chem import rdForceFieldHelpers

    from imidchem.chem.pocket import fit as fit_module
    from imidchem.chem.pocket import pose as pose_module
    from imidchem.chem.pocket.fit import _choose
    from imidchem.chem.pocket.pose import mirrored, place

    s = load_structure("5fqd")
    s_form, r_form = stereo_forms(Chem.MolFromSmiles(CC_885))
    placed = place(s_form.mol, s, seed=3, conformers=2, starts=2, puckers=False)
    reflected = mirrored(placed.embedded, r_form.mol)
    assert reflected is not None and len(reflected) == len(placed.embedded) == 2

    def mmff(mol, xyz):
        mol_h = Chem.AddHs(mol)
        conf = Chem.Conformer(mol_h.GetNumAtoms())
        conf.SetPositions(np.asarray(xyz))
        mol_h.AddConformer(conf)
        props = rdForceFieldHelpers.MMFFGetMoleculeProperties(mol_h)
        return rdForceFieldHelpers.MMFFGetMoleculeForceField(mol_h, props).CalcEnergy()

    r_key = Chem.MolToInchiKey(r_form.mol)
    for xyz_s, xyz_r in zip(placed.embedded, reflected, strict=True):
        assert mmff(r_form.mol, xyz_r) == pytest.approx(mmff(s_form.mol, xyz_s), rel=1e-6)
        probe = Chem.AddHs(r_form.mol)
        conf = Chem.Conformer(probe.GetNumAtoms())
        conf.SetPositions(np.asarray(xyz_r))
        probe.AddConformer(conf)
        Chem.AssignStereochemistryFrom3D(probe)
        assert Chem.MolToInchiKey(Chem.RemoveHs(probe)) == r_key != Chem.MolToInchiKey(s_form.mol)
    assert mirrored(placed.embedded, s_form.mol) is None  # the same form is no mirror image
    # two centres: of the other three forms only the one with both inverted is a mirror image
    two = stereo_forms(Chem.MolFromSmiles("CC(O)c1ccc(C2CCC(=O)NC2=O)cc1"), max_forms=4)
    first = place(two[0].mol, s, seed=3, conformers=2, starts=1)
    images = [f for f in two[1:] if mirrored(first.embedded, f.mol) is not None]
    inverted = Chem.Mol(two[0].mol)
    for atom in inverted.GetAtoms():
        atom.InvertChirality()
    assert [Chem.MolToSmiles(f.mol) for f in images] == [Chem.MolToSmiles(inverted)]
    # the racemic fit: one embedding (of the S form), the R form placed on its reflection
    calls = []
    real = pose_module._embed_starts

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pose_module, "_embed_starts", counted)
    fit = pocket_fit(CC_885, seed=3)
    assert len(calls) == 1 and fit_module.MIRROR_FORMS
    [other] = fit.other_forms
    r_placed = place(r_form.mol, s, seed=3, conformers=2, starts=2, puckers=False, built=reflected)
    best, _ = _choose(r_placed, s)
    assert (other.enantiomer, other.pocket_score, other.energy) == (
        "R",
        best["score"],
        round(best["energy"], 3),
    )
    # up to 25 heavy atoms each form is embedded (racemic lenalidomide: twice)
    calls.clear()
    pocket_fit(LENALIDOMIDE, seed=3)
    assert len(calls) == 2


# a 3-anilino-glutarimide with a piperazine and a nonyl tail (31 heavy atoms): no crystal
# ligand shares its C3 group, so it is placed head first
ANILINO_TAILED = "O=C1CC[C@H](Nc2ccc(N3CCN(CCCCCCCCC)CC3)cc2)C(=O)N1"


def test_a_large_ring_anchored_molecule_is_placed_head_first():
    """The head (glutarimide, NH, phenyl, the piperazine N as a methyl cap) is placed alone
    with the small-molecule search; the whole molecule is then refined with those atoms
    held on the head's pose. CELMoDs, whose C3 group a crystal ligand shares, are not (their
    (R) form neither, although its anchor is cut back to the ring)."""
    from imidchem.chem.pocket.head import HEAD_ANCHOR, cut_head, head_anchor, needs_head_first

    s = load_structure("5fqd")
    mol = Chem.MolFromSmiles(ANILINO_TAILED)
    head = cut_head(mol)
    assert Chem.MolToSmiles(head.mol) == "Cc1ccc(N[C@H]2CCC(=O)NC2=O)cc1"
    assert [head.atoms[c] for c in head.caps] == [10]  # the piperazine N bonded to the phenyl
    assert needs_head_first(mol, s)
    assert not needs_head_first(Chem.MolFromSmiles(IBERDOMIDE_FLAT), s)
    r_iberdomide = stereo_forms(Chem.MolFromSmiles(IBERDOMIDE_FLAT))[1].mol
    assert not needs_head_first(r_iberdomide, s)
    assert not needs_head_first(Chem.MolFromSmiles(AVADOMIDE), s)  # 21 heavy atoms: whole
    anchor = head_anchor(mol, s, seed=1, deadline=None)
    fit = pocket_fit(ANILINO_TAILED, seed=1)
    assert fit.anchor == HEAD_ANCHOR and fit.pocket_fit and fit.imide_rmsd < 1.0
    xyz = fit.pose.GetConformer().GetPositions()
    held = [k for k, t in enumerate(anchor.tethered) if t]
    moved = np.sqrt(((xyz[np.array(anchor.query)[held]] - anchor.target[held]) ** 2).sum(axis=1))
    assert moved.max() < 0.6  # the head stays where it was placed alone (tether free 0.3 A)
