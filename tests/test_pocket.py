"""3-D pocket evidence: package data, geometry against the PDB files, pocket_fit, CLI.

Tests that read ../shared/structures skip with a reason when it is absent; the package-data
tests need nothing outside the wheel.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from conftest import ROOT, SHARED
from rdkit import Chem
from rdkit.Chem import rdCIPLabeler

from imidchem.chem.pocket import STRUCTURE_IDS, load_structure, superpose_pockets
from imidchem.chem.pocket.score import cage_contact, clashes, ligand_types
from imidchem.errors import InvalidArgumentError, InvalidMoleculeError
from imidchem.evidence.pocket import pocket_fit

STRUCTURES = SHARED / "structures"
needs_shared = pytest.mark.skipif(
    not (STRUCTURES / "5fqd.pdb.gz").exists(),
    reason="../shared/structures (the PDB files) is not present in this checkout",
)

S_THALIDOMIDE = "UEJJHQNACJXSKW-VIFPVBQESA-N"  # ../shared/domain/REFERENCE.md
S_SMILES = {
    "EF2": "O=C1CC[C@H](N2C(=O)c3ccccc3C2=O)C(=O)N1",
    "LVY": "Nc1cccc2c1CN([C@H]1CCC(=O)NC1=O)C2=O",
    "Y70": "Nc1cccc2c1C(=O)N([C@H]1CCC(=O)NC1=O)C2=O",
}
# the tri-Trp cage (+ Phe) in each entry's own numbering: human W380/W386/W400/F402
CAGE = {
    "5fqd": (380, 386, 400, 402),
    "6uml": (380, 386, 400, 402),
    "4ci1": (382, 388, 402, 404),  # chicken: +2
    "5yiz": (383, 389, 403, 405),  # mouse: +3
}


def _rmsd(pose: Chem.Mol, ref: Chem.Mol, atoms=None) -> float:
    """Heavy-atom RMSD in place, over the symmetry-equivalent matches of ``ref`` in ``pose``."""
    a, b = pose.GetConformer().GetPositions(), ref.GetConformer().GetPositions()
    idx = range(ref.GetNumAtoms()) if atoms is None else atoms
    return min(
        float(np.sqrt(np.mean([((a[m[i]] - b[i]) ** 2).sum() for i in idx])))
        for m in pose.GetSubstructMatches(ref, uniquify=False, useChirality=False)
    )


# -- package data (no ../shared needed) ---------------------------------------------------


@pytest.mark.parametrize("pdb_id", STRUCTURE_IDS)
def test_crystal_ligand_is_the_s_enantiomer_with_bond_orders(pdb_id):
    s = load_structure(pdb_id)
    template = Chem.MolFromSmiles(S_SMILES[s.ligand_resname])
    assert Chem.MolToInchiKey(s.ligand) == Chem.MolToInchiKey(template)
    if s.ligand_resname == "EF2":
        assert Chem.MolToInchiKey(s.ligand) == S_THALIDOMIDE
    mol = Chem.Mol(s.ligand)
    Chem.AssignStereochemistryFrom3D(mol)
    rdCIPLabeler.AssignCIPLabels(mol)
    assert [a.GetProp("_CIPCode") for a in mol.GetAtoms() if a.HasProp("_CIPCode")] == ["S"]
    # four C=O double bonds (thalidomide, pomalidomide) or three (lenalidomide)
    carbonyls = len(mol.GetSubstructMatches(Chem.MolFromSmarts("C=O")))
    assert carbonyls == (3 if s.ligand_resname == "LVY" else 4)


@pytest.mark.parametrize("pdb_id", STRUCTURE_IDS)
def test_tri_trp_cage_numbering_by_species(pdb_id):
    s = load_structure(pdb_id)
    names = {(int(n), str(r)) for n, r in zip(s.resnums, s.resnames, strict=True)}
    w1, w2, w3, f = CAGE[pdb_id]
    assert {(w1, "TRP"), (w2, "TRP"), (w3, "TRP"), (f, "PHE")} <= names
    assert set(s.human_resnums[s.resnums == w1]) == {380}
    # only the cereblon chain that holds the ligand
    assert set(np.unique(s.atom_names[s.resnums == w1])) >= {"CA", "NE1", "CZ2"}


def test_metadata_and_citation():
    s = load_structure("5fqd")
    assert (s.resolution, s.chain, s.species) == (2.45, "B", "Homo sapiens")
    assert s.citation["doi"] == "10.1038/nature16979"
    assert load_structure("5yiz").citation["pmid"] == "29358579"
    assert load_structure("6uml").resolution == 3.58


def test_canonical_hbonds_in_package_data():
    # README of the structures: N-H..O His378 2.85-3.09 A; C=O..N Trp380 2.86-3.18 A
    s = load_structure("5fqd")
    got = {(h.role, h.residue, h.atom): h.distance for h in s.hbonds}
    assert got == {
        ("imide N-H", "His378", "O"): pytest.approx(2.85, abs=0.01),
        ("C6=O", "Trp380", "N"): pytest.approx(2.99, abs=0.01),
        ("C2=O", "His378", "ND1"): pytest.approx(2.82, abs=0.01),
    }
    # in mouse 5yiz the His381 side chain is turned away: only two are made
    assert [h.residue for h in load_structure("5yiz").made_hbonds] == ["His381", "Trp383"]


@pytest.mark.parametrize("pdb_id", STRUCTURE_IDS)
def test_crystal_ligand_touches_the_whole_cage_without_clashes(pdb_id):
    """The cage atoms of the score are those of the tri-Trp cage (+ Phe, His) that the crystal
    ligand touches (<= 4.0 A); the crystal ligand itself touches all of them and has no vdW
    overlap above 0.5 A with its own pocket."""
    s = load_structure(pdb_id)
    residues = {int(s.resnums[i]) for i in s.cage_contacts}
    assert set(CAGE[pdb_id]) <= residues
    lig = s.ligand_coords
    d = np.linalg.norm(s.coords[s.cage_contacts][:, None] - lig[None], axis=2).min(axis=1)
    assert d.max() <= 4.0
    assert cage_contact(s.ligand, s) == 1.0
    c = clashes(s.ligand, s)
    assert c.count == 0 and c.worst >= 2.7


def test_bad_structure_id_lists_the_valid_ones():
    with pytest.raises(InvalidArgumentError, match="choose one of 5yiz, 4ci1, 5fqd, 6uml"):
        pocket_fit("thalidomide", structure="1xyz")


def test_pocket_ca_superposition():
    for a in STRUCTURE_IDS:
        for b in STRUCTURE_IDS:
            _, _, rmsd, n = superpose_pockets(a, b)
            assert n >= 19 and rmsd < 0.5


# -- against the PDB files ---------------------------------------------------------------


@needs_shared
@pytest.mark.parametrize("pdb_id", ["5fqd", "4ci1"])
def test_package_data_matches_the_pdb_file(pdb_id):
    gemmi = pytest.importorskip("gemmi", reason="gemmi reads the PDB files")
    s = load_structure(pdb_id)
    st = gemmi.read_structure(str(STRUCTURES / f"{pdb_id}.pdb.gz"))
    chain = st[0][s.chain]
    ligand = next(r for r in chain if r.name == s.ligand_resname)
    xyz = np.array([[a.pos.x, a.pos.y, a.pos.z] for a in ligand])
    np.testing.assert_allclose(s.ligand_coords, xyz, atol=1e-3)
    for h in s.hbonds:
        residue = next(r for r in chain if r.seqid.num == h.resnum and r.name == h.resname)
        atom = residue[h.atom][0]
        d = np.linalg.norm(xyz[h.ligand_atom] - np.array([atom.pos.x, atom.pos.y, atom.pos.z]))
        assert d == pytest.approx(h.distance, abs=1e-3)


# -- pocket_fit ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lenalidomide_fit():
    return pocket_fit("lenalidomide", structure="5fqd", seed=3)


def test_lenalidomide_redocks_onto_the_crystal_pose(lenalidomide_fit):
    fit = lenalidomide_fit
    s = load_structure("5fqd")
    assert fit.pocket_status == "ok" and fit.pocket_fit
    assert _rmsd(fit.pose, s.ligand) < 1.5
    assert fit.imide_rmsd < 0.6
    assert [h.made for h in fit.hbonds] == [True, True, True]
    # the distances are real distances in the PDB frame
    xyz = fit.pose.GetConformer().GetPositions()
    for h in fit.hbonds:
        row = next(
            i
            for i in range(len(s.coords))
            if s.residue_label(i) == h.residue and s.atom_names[i] == h.atom
        )
        assert np.linalg.norm(xyz[h.ligand_atom] - s.coords[row]) == pytest.approx(
            h.distance, abs=1e-3
        )
    assert fit.clashes.count == 0 and fit.clashes.worst >= 2.5
    # N-H of the pose donates to His378 O
    assert ligand_types(fit.pose).donor[fit.hbonds[0].ligand_atom]


def test_deterministic_for_a_seed(lenalidomide_fit):
    again = pocket_fit("lenalidomide", structure="5fqd", seed=3)
    np.testing.assert_array_equal(
        again.pose.GetConformer().GetPositions(),
        lenalidomide_fit.pose.GetConformer().GetPositions(),
    )
    assert again.pocket_score == lenalidomide_fit.pocket_score


def test_cross_docking_thalidomide_from_4ci1_into_5fqd():
    """(S)-thalidomide placed in human 5fqd without its own crystal template; compared with
    the 4ci1 crystal ligand after superposing the pockets on C-alpha atoms."""
    R, t, _, _ = superpose_pockets("4ci1", "5fqd")
    ref = Chem.Mol(load_structure("4ci1").ligand)
    conf = ref.GetConformer()
    for i, p in enumerate(conf.GetPositions() @ R.T + t):
        conf.SetAtomPosition(i, p.tolist())
    fit = pocket_fit(Chem.MolToSmiles(ref), structure="5fqd", exclude_templates=("4ci1", "5yiz"))
    glut = list(ref.GetSubstructMatch(Chem.MolFromSmarts("O=C1CCCC(=O)N1")))
    # measured with benchmarks/pocket_targets.py (its pair excludes only 4ci1: 0.40 / 0.95 A)
    assert _rmsd(fit.pose, ref, glut) <= 0.6
    assert _rmsd(fit.pose, ref) <= 1.1


def test_torsion_search_moves_the_tail_not_the_held_ring():
    """The systematic torsion search turns bonds from the tethered glutarimide outwards: the
    ring's atoms keep their coordinates exactly, the energy does not rise, and for a CC-885
    start whose tail clashes it finds a lower-energy tail."""
    from imidchem.chem.pocket.pose import Refiner, embed, find_anchors
    from imidchem.chem.pocket.structures import kabsch

    s = load_structure("5fqd")
    mol_h = Chem.AddHs(Chem.MolFromSmiles("Cc1ccc(NC(=O)NCc2ccc3c(c2)CN(C2CCC(=O)NC2=O)C3=O)cc1Cl"))
    embed(mol_h, 1, 42, 30.0)
    anchor = find_anchors(mol_h, s)[0]
    xyz = mol_h.GetConformer().GetPositions()
    q = xyz[list(anchor.query)]
    R, t = kabsch(q, anchor.target)
    xyz = xyz @ R.T + t
    held, _ = anchor.tether()
    refiner = Refiner(mol_h, s, int(held[0]), tether=anchor.tether())
    refiner.select_pocket(xyz)
    new = refiner.scan(xyz)
    np.testing.assert_array_equal(new[held], xyz[held])
    assert refiner.energy(new) <= refiner.energy(xyz)
    assert not np.allclose(new, xyz)  # the tail moved


def test_six_membered_lactam_fills_more_of_the_cage_than_five():
    """3,4-Dihydroquinolin-2-one (six-membered lactam, like the glutarimide ring) against
    oxindole (five-membered): both donate the N-H and accept from Trp380 N with the lactam
    C=O, but only the six-membered ring reaches the cage walls the glutarimide touches."""
    six = pocket_fit("O=C1CCc2ccccc2N1", structure="5fqd")
    five = pocket_fit("O=C1Cc2ccccc2N1", structure="5fqd")
    assert [h.made for h in six.hbonds] == [h.made for h in five.hbonds] == [True, True, False]
    assert six.cage_contact == pytest.approx(30 / 37, abs=1e-4)
    assert five.cage_contact == pytest.approx(27 / 37, abs=1e-4)
    assert six.pocket_score > five.pocket_score


def test_degrader_keeps_the_glutarimide_in_the_cage():
    """dBET1's linker and JQ1 head cannot drag the glutarimide out of the rigid cage: the
    stiff tether holds the ring, the tail moves instead."""
    fit = pocket_fit("dBET1", structure="5fqd")
    assert fit.imide_rmsd < 0.6
    assert [h.made for h in fit.hbonds] == [True, True, True]
    assert fit.pocket_fit


def test_apremilast_does_not_fit_and_scores_below_lenalidomide(lenalidomide_fit):
    fit = pocket_fit("apremilast", structure="5fqd")
    assert fit.pocket_status == "ok" and fit.pocket_fit is False
    assert fit.imide_rmsd is None  # its phthalimide N carries the PDE4 head: no N-H imide
    assert fit.anchor == "shape overlay (no imide or lactam)"
    assert fit.pocket_reason == "no N-H cyclic imide to sit in the tri-Trp cage"
    assert fit.pocket_score < lenalidomide_fit.pocket_score - 0.3
    assert not fit.hbonds[0].made


def test_n_methyl_imide_loses_the_nh_bond():
    fit = pocket_fit("N-methylthalidomide", structure="5fqd")
    assert fit.pocket_fit is False
    assert not next(h for h in fit.hbonds if h.role == "imide N-H").made


@pytest.mark.parametrize(
    "smiles, reason",
    [
        ("C[Sn](C)(C)c1ccccc1", "no pocket parameters for element(s) Sn"),
        ("C" * 130, "too large for the pocket model (130 heavy atoms > 120)"),
    ],
)
def test_error_rows_not_crashes(smiles, reason):
    fit = pocket_fit(smiles)
    assert (fit.pocket_status, fit.pocket_reason, fit.pocket_fit, fit.pose) == ("error", reason, None, None)


def test_time_limit_gives_an_error_row():
    fit = pocket_fit("mezigdomide", time_limit=0.05)
    assert fit.pocket_status == "error" and "time limit" in fit.pocket_reason


def test_unreadable_input_raises():
    with pytest.raises(InvalidMoleculeError):
        pocket_fit("C1CC(N")


# -- CLI ---------------------------------------------------------------------------------


def test_cli_pocket_json_and_pose(run_cli, tmp_path):
    out = tmp_path / "pose.sdf"
    run = run_cli(
        "pocket",
        "pomalidomide",
        "--structure",
        "6uml",
        "--format",
        "json",
        "--pose",
        str(out),
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout)
    assert record["structure"] == "6uml" and record["pocket_fit"] is True
    mol = next(iter(Chem.SDMolSupplier(str(out))))
    assert mol.GetNumAtoms() == 20
    # in the PDB frame: on top of the crystal pomalidomide of 6UML
    assert _rmsd(mol, load_structure("6uml").ligand) < 2.0
    assert float(mol.GetProp("pocket_score")) == pytest.approx(record["pocket_score"])


def test_cli_pocket_bad_structure_one_line(run_cli, tmp_path):
    run = run_cli("pocket", "thalidomide", "--structure", "9zzz", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "imidchem: error: unknown structure '9zzz'; choose one of 5yiz, 4ci1, 5fqd, 6uml"
    ]


# -- 3-D columns, explain, pictures ------------------------------------------------------


def test_assess_three_d_columns_and_dtypes():
    import pandas as pd

    from imidchem import assess
    from imidchem.evidence import schema

    frame = pd.DataFrame(
        {"smiles": ["O=C1CCC(c2ccccc2)C(=O)N1", "C1CC", "c1ccccc1O"]}, index=[7, 3, 5]
    )
    out = assess(frame, three_d=True)
    assert list(out.index) == [7, 3, 5] and list(frame.columns) == ["smiles"]
    assert list(out.columns[-len(schema.POCKET_COLUMNS) :]) == list(schema.POCKET_COLUMNS)
    assert [str(out[c].dtype) for c in schema.POCKET_COLUMNS] == [
        schema.DTYPES[c] for c in schema.POCKET_COLUMNS
    ]
    assert out["pocket_status"].tolist() == ["ok", "error", "skipped"]  # phenol: no anchor
    assert out.loc[7, "pocket_fit"] and out.loc[7, "imide_rmsd"] < 1.0
    from imidchem.evidence.pocket import SKIP_REASON

    assert out.loc[5, "pocket_reason"] == SKIP_REASON
    assert pd.isna(out.loc[5, "pocket_score"]) and pd.isna(out.loc[5, "pocket_fit"])
    assert out.loc[3, "pocket_reason"] == "no molecule"
    every = assess(frame, three_d=True, fit_all=True)
    assert every["pocket_status"].tolist() == ["ok", "error", "ok"]
    assert not every.loc[5, "pocket_fit"]
    assert np.isnan(every.loc[5, "imide_rmsd"])  # phenol: no cyclic imide
    pd.testing.assert_frame_equal(every.loc[[7, 3]], out.loc[[7, 3]])
    assert "pocket_score" not in assess(["CCO"]).columns


def test_interaction_svg_shows_the_contacts_and_hbonds(lenalidomide_fit):
    from imidchem.view.interaction import contacts, interaction_svg

    rows = {r["residue"]: r for r in contacts(lenalidomide_fit)}
    assert {"Trp380", "Trp386", "Trp400", "His378", "Phe402"} <= set(rows)
    assert rows["His378"]["distance"] < 3.5
    svg = interaction_svg(lenalidomide_fit)
    assert svg.count('stroke-dasharray="7,4"') >= 4  # three H-bonds drawn (plus Asn351), legend
    assert "Trp380" in svg and "&#197;" in svg and "TRP380" not in svg
    assert "lenalidomide in PDB 5FQD: fits the pocket" in svg  # the name, not the SMILES
    assert 'stroke="#d62728" stroke-width="2.5"' not in svg  # no clashing atom ringed
    assert Chem.MolFromSmiles("C") is not None  # RDKit still usable after drawing


def test_rich_display_shows_the_diagram_and_the_numbers(lenalidomide_fit):
    html = lenalidomide_fit._repr_html_()
    assert html.count("<svg") == 1
    assert re.search(rf"imide_rmsd +{lenalidomide_fit.imide_rmsd:.2f} Å from the crystal", html)
    assert re.match(r"  structure +PDB 5FQD", str(lenalidomide_fit).splitlines()[1])


def test_explain_prints_pocket_lines_unless_skipped(capsys):
    from imidchem.cli import main

    assert main(["explain", "phenyl-glutarimide", "--no-stats", "--structure", "6uml"]) == 0
    text = capsys.readouterr().out
    assert "3-D: cereblon's thalidomide pocket (skip with --no-pocket" in text
    assert "PDB 6UML" in text and "H-bond imide N-H" in text and "His378 O made" in text
    assert main(["explain", "phenyl-glutarimide", "--no-stats", "--no-pocket"]) == 0
    assert "3-D" not in capsys.readouterr().out


def test_screen_three_d_same_for_any_worker_count(tmp_path):
    import pandas as pd

    from imidchem import screen
    from imidchem.evidence import schema

    smiles = ["O=C1CCC(c2ccccc2)C(=O)N1", "C1CC", "CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O"]
    default = screen(smiles, three_d=True, quiet=True)
    assert default["pocket_status"].tolist() == ["ok", "error", "skipped"]  # N-methyl: no N-H
    pd.testing.assert_frame_equal(default, screen(smiles, three_d=True, quiet=True, workers=2))
    one = screen(smiles, three_d=True, fit_all=True, quiet=True, chunk_size=1)
    two = screen(smiles, three_d=True, fit_all=True, quiet=True, workers=2, chunk_size=1)
    pd.testing.assert_frame_equal(one, two)
    assert list(one.columns[-len(schema.POCKET_COLUMNS) :]) == list(schema.POCKET_COLUMNS)
    assert one["pocket_status"].tolist() == ["ok", "error", "ok"]
    assert one["pocket_fit"].tolist()[::2] == [True, False]
    pd.testing.assert_frame_equal(one.iloc[:2], default.iloc[:2])
    out = screen(smiles, tmp_path / "hits.csv", three_d=True, fit_all=True, quiet=True)
    back = pd.read_csv(out)
    assert back["pocket_score"].round(4).tolist()[::2] == one["pocket_score"].round(4).tolist()[::2]


@needs_shared
def test_build_pockets_reproduces_the_package_data():
    pytest.importorskip("gemmi", reason="tools/build_pockets.py reads the PDB files with gemmi")
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_pockets", ROOT / "tools" / "build_pockets.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    entry = module.build_entry("5yiz", STRUCTURES)
    shipped = json.loads(
        (ROOT / "src" / "imidchem" / "data" / "structures" / "5yiz.json").read_text()
    )
    assert json.loads(json.dumps(entry)) == shipped


def test_old_attribute_names_warn_and_give_the_new_values(lenalidomide_fit):
    fit = lenalidomide_fit
    old_new = {
        "status": "pocket_status",
        "reason": "pocket_reason",
        "fits": "pocket_fit",
        "score": "pocket_score",
        "hbonds_made": "pocket_hbonds",
    }
    for old, new in old_new.items():
        with pytest.warns(DeprecationWarning, match=f"PocketFit.{old} is deprecated.*{new}"):
            assert getattr(fit, old) == getattr(fit, new)
    assert (fit.pocket_hbonds, fit.pocket_clashes) == (3, fit.clashes.count)
    record = fit.as_dict()
    assert {"pocket_status", "pocket_fit", "pocket_score", "pocket_hbonds", "pocket_clashes"} <= set(
        record
    )
    assert not {"status", "fits", "clash_count"} & set(record)


def test_a_molecule_etkdg_cannot_embed_stops_near_the_limit():
    """A bridged cyclic urea held by a template map: ETKDG's wall-clock timeout follows the
    CPU time left, so the fit ends near its limit with a reason (it ran for 25-55 s and
    ended on RDKit's "Bad Conformer Id" before). Its buildable forms now fit in about 2.4 CPU
    s, too near a 2-s limit for the test to say which side it ends on: the limit is 1 s."""
    fit = pocket_fit("CCOc1cccc2c1OC1(C)CC2NC(=O)N1c1ccc(F)cc1", time_limit=1.0)
    assert fit.pocket_status == "error"
    assert fit.pocket_reason.endswith("ran past the time limit (1 s)")  # embedding or search
    assert "Bad Conformer Id" not in fit.pocket_reason
    assert fit.seconds < 3.0  # CPU seconds: the limit and one last ETKDG call
