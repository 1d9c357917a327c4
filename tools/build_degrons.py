"""Build the degron package data from the five glue-neosubstrate complexes in ../shared/structures.

Usage (from the repository root; rerunnable, the output is deterministic)::

    .venv/bin/python tools/build_degrons.py [--structures ../shared/structures]

Writes ``src/imidchem/data/structures/degrons.json``: for each complex (5fqd CK1alpha +
lenalidomide, 6uml SALL4 + pomalidomide, 6h0f IKZF1 + pomalidomide, 6h0g ZNF692 +
pomalidomide, 7lps IKZF2 + the anilinomaleimide RN9), moved into the frame of the shipped 5fqd
pocket by superposing cereblon's C-alpha atoms within 12 A of the glue (Kabsch):

- the degron's heavy atoms within 12 A of the crystal glue (element, atom and residue name,
  residue number, x y z);
- the crystal glue (molfile, bond orders from its SMILES) and the degron atoms it touches
  (heavy atoms within 4 A): the contacts a new molecule is compared with;
- the residues that decide: IKZF1 Gln146, IKZF2 His141, and in every degron the hairpin
  glycine nearest the glue (found in the file, not assumed);
- the superposition RMSD and the citation.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import gemmi
import numpy as np
from rdkit import Chem, rdBase
from rdkit.Chem import AllChem

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "imidchem" / "data" / "structures" / "degrons.json"
RADIUS = 12.0
CONTACT = 4.0

POM = "Nc1cccc2c1C(=O)N([C@H]1CCC(=O)NC1=O)C2=O"
ENTRIES = {
    "5fqd": dict(
        files=("5fqd.pdb.gz", "5fqd.pdb.gz"), crbn="B", degron="C", ligand="LVY",
        smiles="Nc1cccc2c1CN([C@H]1CCC(=O)NC1=O)C2=O", glue="(S)-lenalidomide",
        gene="CSNK1A1", protein="CK1alpha N-lobe hairpin", deciding={},
        citation="Petzold 2016 Nature doi:10.1038/nature16979",
    ),
    "6uml": dict(
        files=("6uml.pdb.gz", "6uml.pdb.gz"), crbn="C", degron="E", ligand="Y70",
        smiles=POM, glue="(S)-pomalidomide", gene="SALL4", protein="SALL4 zinc finger 2",
        deciding={}, citation="Matyskiela 2020 Nat Struct Mol Biol doi:10.1038/s41594-020-0405-9",
    ),
    "6h0f": dict(
        files=("6h0f_crbn_ligand.pdb.gz", "6h0f_neosubstrate.pdb.gz"), crbn="B", degron="C",
        ligand="Y70", smiles=POM, glue="(S)-pomalidomide", gene="IKZF1",
        protein="IKZF1 (Ikaros) zinc finger 2", deciding={"Gln146": ("GLN", 146)},
        citation="Sievers 2018 Science doi:10.1126/science.aat0572",
    ),
    "6h0g": dict(
        files=("6h0g_crbn_ligand.pdb.gz", "6h0g_neosubstrate.pdb.gz"), crbn="B", degron="C",
        ligand="Y70", smiles=POM, glue="(S)-pomalidomide", gene="ZNF692",
        protein="ZNF692 zinc finger", deciding={},
        citation="Sievers 2018 Science doi:10.1126/science.aat0572",
    ),
    "7lps": dict(
        files=("7lps_crbn_ligand.pdb.gz", "7lps_neosubstrate.pdb.gz"), crbn="B", degron="C",
        ligand="RN9",
        smiles="Cc1ccc(NC(=O)CCc2cccc(NC3=CC(=O)N([C@H]4CCC(=O)NC4=O)C3=O)c2)cc1Cl",
        glue="(S)-RN9 (anilinomaleimide)", gene="IKZF2", protein="IKZF2 (Helios) zinc finger 2",
        deciding={"His141": ("HIS", 141)},
        citation="Wang 2021 Nat Chem Biol doi:10.1038/s41589-021-00802-w",
    ),
}


def _ca(chain: gemmi.Chain) -> dict[int, np.ndarray]:
    out = {}
    for res in chain:
        if res.het_flag == "H":
            continue
        atom = res.find_atom("CA", "*")
        if atom is not None:
            out[res.seqid.num] = np.array(atom.pos.tolist())
    return out


def _ligand(chain: gemmi.Chain, resname: str, smiles: str) -> Chem.Mol:
    res = next(r for r in chain if r.name == resname)
    lines = []
    for i, atom in enumerate(a for a in res if a.element.name != "H"):
        lines.append(
            f"HETATM{i + 1:5d} {atom.name:<4} {resname} A   1    "
            f"{atom.pos.x:8.3f}{atom.pos.y:8.3f}{atom.pos.z:8.3f}  1.00  0.00          "
            f"{atom.element.name:>2}"
        )
    with rdBase.BlockLogs():
        raw = Chem.MolFromPDBBlock("\n".join(lines) + "\nEND\n", removeHs=True, sanitize=False)
        mol = AllChem.AssignBondOrdersFromTemplate(Chem.MolFromSmiles(smiles), raw)
    Chem.AssignStereochemistryFrom3D(mol)
    return mol


def _kabsch(mobile: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rotation R and translation t with mobile @ R.T + t ~ target."""
    mc, tc = mobile.mean(0), target.mean(0)
    h = (mobile - mc).T @ (target - tc)
    u, _, vt = np.linalg.svd(h)
    d = np.sign(np.linalg.det(vt.T @ u.T))
    rot = vt.T @ np.diag([1, 1, d]) @ u.T
    return rot, tc - mc @ rot.T


def build(structures: Path) -> dict:
    ref_st = gemmi.read_structure(str(structures / "5fqd.pdb.gz"))
    ref_chain = ref_st[0]["B"]
    ref_ca = _ca(ref_chain)
    ref_lig = _ligand(ref_chain, "LVY", ENTRIES["5fqd"]["smiles"]).GetConformer().GetPositions()
    near_ref = {n for n, xyz in ref_ca.items() if np.linalg.norm(ref_lig - xyz, axis=1).min() <= RADIUS}
    out = {}
    for key, e in ENTRIES.items():
        crbn_st = gemmi.read_structure(str(structures / e["files"][0]))
        deg_st = gemmi.read_structure(str(structures / e["files"][1]))
        crbn = crbn_st[0][e["crbn"]]
        glue = _ligand(crbn, e["ligand"], e["smiles"])
        assert Chem.FindMolChiralCenters(glue)[0][1] == "S", key
        ca = _ca(crbn)
        common = sorted(near_ref & set(ca))
        rot, shift = _kabsch(np.array([ca[n] for n in common]), np.array([ref_ca[n] for n in common]))
        rmsd = float(np.sqrt((((np.array([ca[n] for n in common]) @ rot.T + shift)
                                - np.array([ref_ca[n] for n in common])) ** 2).sum(1).mean()))
        glue_xyz = glue.GetConformer().GetPositions() @ rot.T + shift
        conf = glue.GetConformer()
        for i, p in enumerate(glue_xyz):
            conf.SetAtomPosition(i, p.tolist())
        atoms = []
        for res in deg_st[0][e["degron"]]:
            if res.het_flag == "H":
                continue
            for atom in res:
                if atom.element.name == "H":
                    continue
                p = np.array(atom.pos.tolist()) @ rot.T + shift
                if np.linalg.norm(glue_xyz - p, axis=1).min() <= RADIUS:
                    atoms.append((res.name, res.seqid.num, atom.name, atom.element.name, p))
        xyz = np.array([a[4] for a in atoms])
        to_glue = np.linalg.norm(xyz[:, None] - glue_xyz[None], axis=2).min(1)
        glycines = sorted(
            {(float(to_glue[i]), a[1]) for i, a in enumerate(atoms) if a[0] == "GLY" and a[2] == "CA"}
        )
        deciding = {label: num for label, (_, num) in e["deciding"].items()}
        deciding[f"Gly{glycines[0][1]}"] = glycines[0][1]
        for label, num in deciding.items():
            assert any(a[1] == num for a in atoms), (key, label)
        out[key] = {
            "pdb_id": key,
            "gene": e["gene"],
            "protein": e["protein"],
            "glue": e["glue"],
            "citation": e["citation"],
            "superposition_rmsd": round(rmsd, 3),
            "superposition_ca": len(common),
            "glue_molblock": Chem.MolToMolBlock(glue),
            "glue_contacts": int((to_glue <= CONTACT).sum()),
            "deciding": deciding,
            "atoms": {
                "resname": [a[0] for a in atoms],
                "resnum": [a[1] for a in atoms],
                "atom": [a[2] for a in atoms],
                "element": [a[3] for a in atoms],
                "x": [round(float(a[4][0]), 3) for a in atoms],
                "y": [round(float(a[4][1]), 3) for a in atoms],
                "z": [round(float(a[4][2]), 3) for a in atoms],
            },
        }
        print(f"{key}: {e['gene']:8s} {len(atoms):4d} degron atoms, superposition {rmsd:.2f} A on "
              f"{len(common)} CA, glue contacts {out[key]['glue_contacts']}, deciding {deciding}")
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--structures", default=str(ROOT.parent / "shared" / "structures"))
    args = parser.parse_args(argv)
    data = build(Path(args.structures))
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
