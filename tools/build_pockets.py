"""Build the cereblon pocket package data from the four shipped PDB entries.

Usage (from the repository root; rerunnable, the output is deterministic)::

    /work/venv/bin/python tools/build_pockets.py [--structures ../shared/structures]

For each entry it writes ``src/imidchem/data/structures/<id>.json`` with

- the PDB ID, title, species, resolution, chain, citation (journal, DOI, PMID);
- the crystal ligand (EF2 (S)-thalidomide, LVY (S)-lenalidomide, Y70 (S)-pomalidomide) of the
  first copy as a molfile block, bond orders assigned from its known SMILES with
  ``AssignBondOrdersFromTemplate`` and the stereo centre checked to be (S) from 3-D;
- the pocket: every protein heavy atom of the cereblon chain within 12 A of the ligand (chain,
  residue name and number, the human-equivalent number, atom name, element, x y z, H-bond
  donor/acceptor flags);
- the three canonical glutarimide hydrogen bonds, found in the file (imide N-H to the backbone O of
  His378, the C2=O to the backbone N-H of Trp380, the C6=O to His378 ND1; human numbering), with
  their crystal distances;
- for 5fqd the second complex's ligand (chain E), the copy-to-copy floor of pose accuracy.

Only the cereblon chain that holds the ligand is kept: crystal-packing neighbours (5yiz) and the
neosubstrate (CK1alpha in 5fqd, SALL4 in 6uml) are not part of cereblon's pocket.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

import gemmi
import numpy as np
from rdkit import Chem, rdBase
from rdkit.Chem import AllChem

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "imidchem" / "data" / "structures"
POCKET_RADIUS = 12.0

# entry -> ligand residue, chain of the first copy, species, offset to human numbering, SMILES
ENTRIES = {
    "5yiz": {
        "ligand": "EF2",
        "chain": "A",
        "species": "Mus musculus",
        "human_offset": -3,
        "ligand_name": "(S)-thalidomide",
        "smiles": "O=C1CC[C@H](N2C(=O)c3ccccc3C2=O)C(=O)N1",
        "what": "mouse cereblon thalidomide-binding domain, (S)-thalidomide",
    },
    "4ci1": {
        "ligand": "EF2",
        "chain": "B",
        "species": "Gallus gallus",
        "human_offset": -2,
        "ligand_name": "(S)-thalidomide",
        "smiles": "O=C1CC[C@H](N2C(=O)c3ccccc3C2=O)C(=O)N1",
        "what": "DDB1 + chicken cereblon, (S)-thalidomide",
    },
    "5fqd": {
        "ligand": "LVY",
        "chain": "B",
        "species": "Homo sapiens",
        "human_offset": 0,
        "ligand_name": "(S)-lenalidomide",
        "smiles": "Nc1cccc2c1CN([C@H]1CCC(=O)NC1=O)C2=O",
        "what": "human cereblon-DDB1 + CK1alpha, (S)-lenalidomide",
        "second_copy": "E",
    },
    "6uml": {
        "ligand": "Y70",
        "chain": "C",
        "species": "Homo sapiens",
        "human_offset": 0,
        "ligand_name": "(S)-pomalidomide",
        "smiles": "Nc1cccc2c1C(=O)N([C@H]1CCC(=O)NC1=O)C2=O",
        "what": "human cereblon-DDB1 + SALL4 zinc finger 2, (S)-pomalidomide",
    },
}

# side-chain polar atoms: (donor, acceptor)
_POLAR = {
    ("SER", "OG"): (True, True),
    ("THR", "OG1"): (True, True),
    ("TYR", "OH"): (True, True),
    ("ASN", "OD1"): (False, True),
    ("ASN", "ND2"): (True, False),
    ("GLN", "OE1"): (False, True),
    ("GLN", "NE2"): (True, False),
    ("HIS", "ND1"): (True, True),
    ("HIS", "NE2"): (True, True),
    ("TRP", "NE1"): (True, False),
    ("LYS", "NZ"): (True, False),
    ("ARG", "NE"): (True, False),
    ("ARG", "NH1"): (True, False),
    ("ARG", "NH2"): (True, False),
    ("ASP", "OD1"): (False, True),
    ("ASP", "OD2"): (False, True),
    ("GLU", "OE1"): (False, True),
    ("GLU", "OE2"): (False, True),
    ("MET", "SD"): (False, True),
    ("CYS", "SG"): (True, True),
}

# the glutarimide atoms of the template SMILES, found by this pattern (imide N, C2, O2, C6, O6, C3)
_GLUTARIMIDE = Chem.MolFromSmarts("[NX3H1]1-[CX3](=O)-[CX4H1](-[#7])-[CH2]-[CH2]-[CX3]1=O")


def polar_flags(resname: str, atom: str) -> tuple[bool, bool]:
    """(donor, acceptor) for a protein heavy atom."""
    if atom == "N":
        return resname != "PRO", False
    if atom in ("O", "OXT"):
        return False, True
    return _POLAR.get((resname, atom), (False, False))


def header_text(path: Path) -> str:
    with gzip.open(path, "rt") as handle:
        return "".join(line for line in handle if line.startswith(("JRNL", "TITLE", "REMARK   2")))


def citation(header: str) -> dict:
    fields: dict[str, list[str]] = {}
    for line in header.splitlines():
        if line.startswith("JRNL"):
            key = line[12:16].strip()
            fields.setdefault(key, []).append(line[19:].strip())
    title = " ".join(fields.get("TITL", [])).replace("  ", " ")
    ref = " ".join(fields.get("REF", []))
    return {
        "authors": " ".join(fields.get("AUTH", [])),
        "title": title.strip(),
        "journal": " ".join(ref.split()),
        "doi": (fields.get("DOI") or [""])[0].lower(),
        "pmid": (fields.get("PMID") or [""])[0],
    }


def ligand_mol(residue: gemmi.Residue, smiles: str) -> Chem.Mol:
    """The ligand residue as an RDKit Mol with template bond orders and 3-D stereo."""
    lines = []
    for serial, atom in enumerate(residue, start=1):
        name = atom.name if len(atom.name) == 4 else f" {atom.name:<3}"
        lines.append(
            f"HETATM{serial:5d} {name} {residue.name:>3} A   1    "
            f"{atom.pos.x:8.3f}{atom.pos.y:8.3f}{atom.pos.z:8.3f}  1.00 20.00          "
            f"{atom.element.name.upper():>2}"
        )
    with rdBase.BlockLogs():
        raw = Chem.MolFromPDBBlock("\n".join(lines) + "\nEND\n", removeHs=True, sanitize=False)
        template = Chem.MolFromSmiles(smiles)
        mol = AllChem.AssignBondOrdersFromTemplate(template, raw)
    Chem.AssignStereochemistryFrom3D(mol)
    from rdkit.Chem import rdCIPLabeler

    rdCIPLabeler.AssignCIPLabels(mol)
    labels = [a.GetProp("_CIPCode") for a in mol.GetAtoms() if a.HasProp("_CIPCode")]
    if labels != ["S"]:
        raise SystemExit(f"{residue.name}: stereo centre from 3-D is {labels}, expected ['S']")
    if Chem.MolToInchiKey(mol) != Chem.MolToInchiKey(template):
        raise SystemExit(f"{residue.name}: InChIKey from the PDB does not match {smiles}")
    for atom, source in zip(mol.GetAtoms(), residue, strict=True):
        atom.SetProp("pdb_name", source.name)
    return mol


def find_ligand(chain: gemmi.Chain, resname: str) -> gemmi.Residue:
    for residue in chain:
        if residue.name == resname:
            return residue
    raise SystemExit(f"no {resname} in chain {chain.name}")


def build_entry(pdb_id: str, folder: Path) -> dict:
    spec = ENTRIES[pdb_id]
    path = folder / f"{pdb_id}.pdb.gz"
    structure = gemmi.read_structure(str(path))
    structure.remove_alternative_conformations()
    structure.remove_hydrogens()
    model = structure[0]
    chain = model[spec["chain"]]
    residue = find_ligand(chain, spec["ligand"])
    ligand = ligand_mol(residue, spec["smiles"])
    lig_xyz = ligand.GetConformer().GetPositions()

    atoms = []
    for res in chain:
        if res.het_flag != "A":
            continue
        for atom in res:
            xyz = np.array([atom.pos.x, atom.pos.y, atom.pos.z])
            if np.min(np.linalg.norm(lig_xyz - xyz, axis=1)) > POCKET_RADIUS:
                continue
            donor, acceptor = polar_flags(res.name, atom.name)
            atoms.append(
                {
                    "chain": chain.name,
                    "resname": res.name,
                    "resnum": res.seqid.num,
                    "human_resnum": res.seqid.num + spec["human_offset"],
                    "atom": atom.name,
                    "element": atom.element.name,
                    "x": round(atom.pos.x, 3),
                    "y": round(atom.pos.y, 3),
                    "z": round(atom.pos.z, 3),
                    "donor": donor,
                    "acceptor": acceptor,
                }
            )

    # the canonical glutarimide H-bonds, measured in this file
    match = ligand.GetSubstructMatch(_GLUTARIMIDE)
    n_idx, c2, o2, c3, c6, o6 = (match[i] for i in (0, 1, 2, 3, 7, 8))
    partners = {"imide N-H": (n_idx, 378, "O"), "C2=O": (o2, 380, "N"), "C6=O": (o6, 378, "ND1")}
    # which carbonyl goes to Trp380 N: the closer one (checked, not assumed)
    by_res = {(a["human_resnum"], a["atom"]): a for a in atoms}

    def dist(i: int, key: tuple[int, str]) -> float:
        a = by_res[key]
        return float(np.linalg.norm(lig_xyz[i] - np.array([a["x"], a["y"], a["z"]])))

    if dist(o6, (380, "N")) < dist(o2, (380, "N")):
        partners = {
            "imide N-H": (n_idx, 378, "O"),
            "C6=O": (o6, 380, "N"),
            "C2=O": (o2, 378, "ND1"),
        }
    hbonds = []
    for role, (lig_atom, human, name) in partners.items():
        a = by_res[(human, name)]
        hbonds.append(
            {
                "role": role,
                "ligand_atom": int(lig_atom),
                "ligand_atom_name": ligand.GetAtomWithIdx(lig_atom).GetProp("pdb_name"),
                "chain": a["chain"],
                "resname": a["resname"],
                "resnum": a["resnum"],
                "human_resnum": human,
                "atom": name,
                "distance": round(dist(lig_atom, (human, name)), 3),
            }
        )
    header = header_text(path)
    entry = {
        "pdb_id": pdb_id,
        "what": spec["what"],
        "species": spec["species"],
        "resolution": round(float(structure.resolution), 2),
        "chain": spec["chain"],
        "human_offset": spec["human_offset"],
        "ligand_resname": spec["ligand"],
        "ligand_resnum": residue.seqid.num,
        "ligand_name": spec["ligand_name"],
        "ligand_smiles": Chem.MolToSmiles(ligand),
        "ligand_molblock": Chem.MolToMolBlock(ligand),
        "ligand_atom_names": [a.GetProp("pdb_name") for a in ligand.GetAtoms()],
        "glutarimide": {"N": n_idx, "C2": c2, "O2": o2, "C6": c6, "O6": o6, "C3": c3},
        "hbonds": hbonds,
        "pocket_radius": POCKET_RADIUS,
        "pocket": {key: [a[key] for a in atoms] for key in atoms[0]},
        "citation": citation(header),
        "source": f"PDB {pdb_id.upper()} (wwPDB, public domain); file {path.name}",
    }
    if "second_copy" in spec:
        other = find_ligand(model[spec["second_copy"]], spec["ligand"])
        entry["second_copy"] = {
            "chain": spec["second_copy"],
            "molblock": Chem.MolToMolBlock(ligand_mol(other, spec["smiles"])),
        }
    return entry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--structures", default=str(ROOT.parent / "shared" / "structures"))
    args = parser.parse_args(argv)
    folder = Path(args.structures)
    OUT.mkdir(parents=True, exist_ok=True)
    for pdb_id in ENTRIES:
        entry = build_entry(pdb_id, folder)
        path = OUT / f"{pdb_id}.json"
        path.write_text(json.dumps(entry, indent=None, separators=(",", ":")) + "\n")
        hb = ", ".join(
            f"{h['role']}->{h['resname']}{h['resnum']} {h['atom']} {h['distance']:.2f}"
            for h in entry["hbonds"]
        )
        print(
            f"{pdb_id}: {entry['ligand_name']} chain {entry['chain']}, "
            f"{len(entry['pocket']['atom'])} pocket atoms, {path.stat().st_size / 1024:.0f} KiB; {hb}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
