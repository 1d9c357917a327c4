"""3-D outputs: attachment points, pose files by extension, the pocket with the pose, and the
``imidchem pocket`` command's failures (non-zero, one line, paths checked before the work)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rdkit import Chem

from imidchem.chem.pocket import load_structure, pocket_fit
from imidchem.chem.pocket.attach import cap_attachments
from imidchem.chem.pocket.io import check_output, write_complex, write_pose
from imidchem.cli import main
from imidchem.errors import InvalidArgumentError, InvalidMoleculeError

# pomalidomide's 4-amino group as a degrader handle (the linker leaves from the NH)
HANDLE = "*Nc1cccc2c1C(=O)N(C1CCC(=O)NC1=O)C2=O"
LENALIDOMIDE = "Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O"


@pytest.fixture(scope="module")
def handle_fit():
    return pocket_fit(HANDLE, seed=42)


@pytest.fixture(scope="module")
def lenalidomide_fit():
    return pocket_fit(LENALIDOMIDE, seed=7)


def test_attachment_points_are_capped_with_a_methyl():
    mol, points = cap_attachments(Chem.MolFromSmiles("[*:1]OCC(=O)N[*:2]"))
    assert Chem.MolToSmiles(mol) == "CNC(=O)COC"
    assert [(p.label, p.atom, p.cap) for p in points] == [("[*:1]", 1, 0), ("[*:2]", 5, 6)]
    with pytest.raises(InvalidMoleculeError, match="must end a single bond"):
        cap_attachments(Chem.MolFromSmiles("C1C*C1"))


def test_handle_with_an_attachment_point_fits_and_reports_its_exit(handle_fit):
    fit = handle_fit
    assert fit.pocket_status == "ok" and fit.pocket_fit
    assert fit.smiles == "*Nc1cccc2c1C(=O)N(C1CCC(=O)NC1=O)C2=O"  # the input, with *
    assert fit.pose.GetNumAtoms() == 21  # pomalidomide's 20 + the methyl cap
    [exit_] = fit.exit_vectors
    assert (exit_.label, exit_.atom, exit_.element) == ("*", 1, "N")
    xyz = fit.pose.GetConformer().GetPositions()
    np.testing.assert_allclose(exit_.origin, xyz[1], atol=1e-3)
    assert np.linalg.norm(exit_.direction) == pytest.approx(1.0, abs=1e-3)
    cap = xyz[fit.attachments[0].cap]
    np.testing.assert_allclose(
        exit_.direction, (cap - xyz[1]) / np.linalg.norm(cap - xyz[1]), atol=1e-3
    )
    # C4-amino of pomalidomide points out of the pocket, towards solvent and the neosubstrate
    s = load_structure("5fqd")
    assert exit_.open and exit_.clear >= 6.0
    ahead = cap + np.outer(np.arange(0.5, exit_.clear + 0.01, 0.5), exit_.direction)
    assert np.linalg.norm(s.coords[None] - ahead[:, None], axis=2).min() >= 3.0
    assert fit.as_dict()["exit_vectors"][0]["label"] == "*"


def test_check_output_refuses_before_any_work(tmp_path):
    assert check_output(tmp_path / "a.sdf") == "sdf"
    assert check_output(tmp_path / "a.pdb") == "pdb"
    with pytest.raises(InvalidArgumentError, match="must end in .sdf, .sd or .pdb"):
        check_output(tmp_path / "a.mol2")
    with pytest.raises(InvalidArgumentError, match="does not exist"):
        check_output(tmp_path / "missing" / "a.sdf")
    with pytest.raises(InvalidArgumentError, match="must end in .pdb"):
        check_output(tmp_path / "a.sdf", formats=("pdb",))
    (tmp_path / "folder.pdb").mkdir()
    with pytest.raises(InvalidArgumentError, match="it is a folder"):
        check_output(tmp_path / "folder.pdb")


def test_pose_written_as_sdf_or_pdb_by_extension(tmp_path, lenalidomide_fit, handle_fit):
    fit = lenalidomide_fit
    sdf = write_pose(fit, tmp_path / "pose.sdf")
    pdb = write_pose(fit, tmp_path / "pose.pdb")
    from_sdf = next(iter(Chem.SDMolSupplier(str(sdf))))
    from_pdb = Chem.MolFromPDBFile(str(pdb))
    assert pdb.read_text().startswith("REMARK") and "$$$$" not in pdb.read_text()
    assert from_sdf.GetNumAtoms() == from_pdb.GetNumAtoms() == 19
    np.testing.assert_allclose(
        from_pdb.GetConformer().GetPositions(),
        fit.pose.GetConformer().GetPositions(),
        atol=1e-3,
    )
    assert float(from_sdf.GetProp("pocket_score")) == pytest.approx(fit.pocket_score)
    # bond orders survive the PDB file (a double bond's partner listed twice in CONECT):
    # RDKit reads back lenalidomide, not a saturated ring system, with its (S) centre from 3-D
    s_lenalidomide = "Nc1cccc2c1CN([C@H]1CCC(=O)NC1=O)C2=O"
    assert Chem.MolToSmiles(from_pdb) == Chem.MolToSmiles(from_sdf) == s_lenalidomide
    # the attachment point comes back as a dummy atom (R) at the cap's place
    handle = next(iter(Chem.SDMolSupplier(str(write_pose(handle_fit, tmp_path / "h.sdf")))))
    assert [a.GetAtomicNum() for a in handle.GetAtoms()].count(0) == 1
    with pytest.raises(InvalidArgumentError):
        write_pose(fit, tmp_path / "pose.xyz")


def test_complex_holds_the_pocket_and_the_pose(tmp_path, lenalidomide_fit):
    fit = lenalidomide_fit
    s = load_structure("5fqd")
    text = write_complex(fit, tmp_path / "complex.pdb").read_text()
    atoms = [line for line in text.splitlines() if line.startswith("ATOM")]
    ligand = [line for line in text.splitlines() if line.startswith("HETATM")]
    assert len(atoms) == len(s.coords) and len(ligand) == 19
    pocket_xyz = np.array(
        [[float(line[30 + 8 * k : 38 + 8 * k]) for k in range(3)] for line in atoms]
    )
    np.testing.assert_allclose(pocket_xyz, s.coords, atol=1e-3)
    assert {line[17:20] + line[22:26].strip() for line in atoms} >= {"TRP380", "HIS378"}
    mol = Chem.MolFromPDBFile(str(tmp_path / "complex.pdb"))
    assert mol.GetNumAtoms() == len(s.coords) + 19
    # the ligand keeps its bond orders in the complex too (for PyMOL, ChimeraX, RDKit)
    ligands = [f for f in Chem.GetMolFrags(mol, asMols=True, sanitizeFrags=False)
               if f.GetAtomWithIdx(0).GetPDBResidueInfo().GetResidueName() == "LIG"]
    assert [Chem.MolToSmiles(f) for f in ligands] == ["Nc1cccc2c1CN([C@H]1CCC(=O)NC1=O)C2=O"]
    # the imide N-H to His378 O distance in the file is the one the fit reports
    h = fit.hbonds[0]
    his_o = next(
        np.array([float(line[30 + 8 * k : 38 + 8 * k]) for k in range(3)])
        for line in atoms
        if line[17:26] == "HIS B 378" and line[12:16].strip() == "O"
    )
    lig_xyz = np.array(
        [[float(line[30 + 8 * k : 38 + 8 * k]) for k in range(3)] for line in ligand]
    )
    assert np.linalg.norm(lig_xyz[h.ligand_atom] - his_o) == pytest.approx(h.distance, abs=2e-3)


def test_cli_pocket_writes_pose_and_complex(tmp_path, capsys):
    pose, complex_ = tmp_path / "pose.pdb", tmp_path / "complex.pdb"
    status = main(["pocket", HANDLE, "--pose", str(pose), "--complex", str(complex_)])
    out = capsys.readouterr().out
    assert status == 0
    assert "exit *" in out and "(S) reported" in out and "open" in out
    assert Chem.MolFromPDBFile(str(pose)).GetNumAtoms() == 21
    assert complex_.read_text().count("HETATM") == 21


@pytest.mark.parametrize(
    "args, message",
    [
        (["--pose", "{tmp}/missing/x.sdf"], "the folder '{tmp}/missing' does not exist"),
        (["--pose", "{tmp}/x.mol2"], "the name must end in .sdf, .sd or .pdb"),
        (["--complex", "{tmp}/x.sdf"], "the name must end in .pdb"),
    ],
)
def test_cli_pocket_bad_output_path_one_line_before_the_fit(tmp_path, capsys, args, message):
    args = [a.format(tmp=tmp_path) for a in args]
    status = main(["pocket", "lenalidomide", *args])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""  # refused before the fit: nothing printed
    [line] = captured.err.strip().splitlines()
    assert line.startswith("imidchem: error: cannot write") and message.format(tmp=tmp_path) in line


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_cli_pocket_path_the_file_system_refuses_fails_before_the_fit(capsys):
    # the permission bits allow /proc to root, the file system does not: found by opening the
    # file before the fit (before, the fit ran and RDKit's writer failed with its raw message)
    status = main(["pocket", "lenalidomide", "--pose", "/proc/imidchem-pose.sdf"])
    captured = capsys.readouterr()
    assert status == 2 and captured.out == ""
    assert captured.err.strip().splitlines() == [
        "imidchem: error: cannot write a pose to '/proc/imidchem-pose.sdf': "
        "no such file or directory"
    ]


def test_check_output_leaves_no_file_behind(tmp_path):
    assert check_output(tmp_path / "new.pdb") == "pdb" and not (tmp_path / "new.pdb").exists()
    kept = tmp_path / "kept.sdf"
    kept.write_text("x")
    assert check_output(kept) == "sdf" and kept.read_text() == "x"


def test_cli_pocket_fit_failure_exits_non_zero_with_one_line(capsys):
    status = main(["pocket", "C[Sn](C)(C)c1ccccc1"])
    captured = capsys.readouterr()
    assert status == 1 and captured.out == ""
    assert captured.err.strip().splitlines() == [
        "imidchem: error: no pose for C[Sn](C)(C)c1ccccc1: no pocket parameters for element(s) Sn"
    ]
