"""Every cereblon-motif hit (and every near miss) in a background library.

Usage (from the repository root):

    .venv/bin/python tools/background_hits.py nci --out /tmp/nci_hits.csv
    .venv/bin/python tools/background_hits.py ../shared/bench/moses_test.csv.gz --out /tmp/moses_hits.csv

``nci`` is the 5K NCI set shipped with RDKit (imidchem.background); anything else is a CSV
(optionally gzipped) with a ``SMILES`` column (``--smiles-col``). A simple loop over
imidchem.chem.mol.to_mol and imidchem.chem.patterns.pattern_flags: no screen engine, no parallelism
(MOSES test, 176,074 molecules, takes a few minutes on one core). Prints the counts and
writes every molecule that matches any of the flagged patterns, with its verdict.
"""

from __future__ import annotations

import argparse
import sys
import time

import pandas as pd
from rdkit import Chem

from imidchem.chem.mol import to_mol
from imidchem.chem.patterns import PATTERNS, pattern_flags
from imidchem.data.background import background_mols
from imidchem.errors import ImidchemError
from imidchem.evidence.verdict import classify

EXTRA = ("dihydrouracil", "ring_opened_glutarimide", "phthalimide")
FLAGS = ("crbn_pharmacophore", "has_glutarimide", "glutarimide_nh", "has_isoindoline") + EXTRA


def scan(smiles, progress_every: int = 20000) -> tuple[pd.DataFrame, dict]:
    """Flags of every readable molecule that hits a flag; counts of everything."""
    counts = {"read": 0, "unreadable": 0} | {flag: 0 for flag in FLAGS}
    hits = []
    start = time.time()
    for position, item in enumerate(smiles):
        try:
            mol = to_mol(item)
        except ImidchemError:
            counts["unreadable"] += 1
            continue
        counts["read"] += 1
        flags = pattern_flags(mol)
        for name in EXTRA:
            flags[name] = mol.HasSubstructMatch(PATTERNS[name].query)
        for flag in FLAGS:
            counts[flag] += bool(flags[flag])
        if any(flags[f] for f in FLAGS if f != "has_isoindoline" and f != "phthalimide"):
            verdict, reason = classify(mol)
            hits.append(
                {"row": position, "smiles": Chem.MolToSmiles(mol), **flags, "verdict": verdict,
                 "reason": reason}
            )  # fmt: skip
        if progress_every and (position + 1) % progress_every == 0:
            print(f"{position + 1} molecules, {time.time() - start:.0f} s", file=sys.stderr)
    return pd.DataFrame(hits), counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="'nci' or a CSV(.gz) file with a SMILES column")
    parser.add_argument("--smiles-col", default="SMILES")
    parser.add_argument("--out", help="CSV for the hits (default: print only)")
    args = parser.parse_args()
    if args.source == "nci":
        smiles = list(background_mols())
    else:
        smiles = pd.read_csv(args.source, usecols=[args.smiles_col])[args.smiles_col].tolist()
    hits, counts = scan(smiles)
    for key, value in counts.items():
        print(f"{key:<26}{value:>9}")
    if len(hits):
        shown = hits[["row", "smiles", "crbn_pharmacophore", "verdict"]]
        print(shown.to_string(index=False, max_colwidth=90))
    if args.out:
        hits.to_csv(args.out, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
