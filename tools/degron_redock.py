"""Whole-ligand RMSD of degron fits against the crystal glue of the same complex (issue 17).

For each shipped degron complex, its own glue is fitted in the 5fqd pocket with the degron
present (``pocket_fit(..., degron=True)``) and without it (the plain pocket fit), and the
whole ligand's heavy-atom RMSD (symmetry-aware, no realignment: both are in the 5fqd frame)
to the crystal glue is printed. CC-885 in its GSPT1 complex (PDB 5HXB) is not shipped, so the
issue's CC-885 target cannot be measured here; the 7LPS ligand is the closest analogue (an
extended glue whose tail lies on the degron).

Usage: python tools/degron_redock.py [--seeds 3]
"""

from __future__ import annotations

import sys

from rdkit import Chem
from rdkit.Chem import rdMolAlign

from imidchem import pocket_fit
from imidchem.chem.pocket.degron import load_degrons

GLUES = {"5fqd": "lenalidomide", "6uml": "pomalidomide", "6h0f": "pomalidomide",
         "6h0g": "pomalidomide", "7lps": "7LPS ligand"}


def rmsd(pose: Chem.Mol, crystal: Chem.Mol) -> float:
    """Heavy-atom RMSD over the best atom mapping (symmetry), without moving either."""
    return float(rdMolAlign.CalcRMS(Chem.Mol(pose), Chem.Mol(crystal)))


def main(argv: list[str]) -> int:
    seeds = int(argv[argv.index("--seeds") + 1]) if "--seeds" in argv else 3
    print("| complex | glue | seed | whole ligand, degron present (A) | plain pocket fit (A) | imide (A) |")
    print("|---|---|---|---|---|---|")
    for d in load_degrons():
        name = GLUES[d.pdb_id]
        for seed in range(42, 42 + seeds):
            fit = pocket_fit(name, degron=True, seed=seed)
            with_degron = next(x for x in fit.degrons if x.pdb_id == d.pdb_id)
            print(f"| {d.pdb_id.upper()} ({d.gene}) | {name} | {seed} | "
                  f"{rmsd(with_degron.pose, d.glue_mol):.2f} | {rmsd(fit.pose, d.glue_mol):.2f} | "
                  f"{with_degron.imide_rmsd:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
