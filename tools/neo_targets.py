"""Targets of the neosubstrate profile (issue 17), printed as tables for docs/neosubstrates.md.

1. Leave-one-compound-out over the package's outcome table: for every cell with outcome
   yes or no, ``neosubstrates(c, exclude=[c])`` agrees when it calls 'expected' or
   'possible' for yes, 'not expected' or 'no cereblon binding' for no. Beside it, the
   baseline: the nearest precedent by whole-molecule Tanimoto (Morgan radius 2, 2048 bits)
   among the other compounds with an outcome for that gene, its outcome carried over.
   Both are also scored strictly ('possible' counts as a miss).
2. Apremilast and every level 3-4 compound of the reference set: no neosubstrate expected.
3. Speed (--speed): CPU seconds of one profile, 2-D only and with the five degron fits.

Usage: python tools/neo_targets.py [--speed]
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict

from rdkit import DataStructs

from imidchem.chem.fingerprints import fingerprint
from imidchem.data.neosubstrates import GENES, outcome_rows
from imidchem.data.reference import reference_mol, reference_names
from imidchem.evidence.call import crbn_call
from imidchem.evidence.profile import neosubstrates, predicted_agrees


def loo() -> list[tuple]:
    """(compound, gene, outcome, basis, method call, method ok, strict ok, baseline call,
    baseline ok) per yes/no cell."""
    rows = [r for r in outcome_rows() if r["outcome"] in ("yes", "no")]
    table = defaultdict(dict)
    for r in outcome_rows():
        table[r["compound"]][r["gene"]] = r["outcome"]
    fps = {c: fingerprint(reference_mol(c), "morgan") for c in table}
    out = []
    profiles = {}
    for r in rows:
        c, g, o = r["compound"], r["gene"], r["outcome"]
        if c not in profiles:
            profiles[c] = neosubstrates(c, exclude=[c])
        call = profiles[c].calls[g]
        ok = bool(predicted_agrees(call, o))
        strict = call == ("expected" if o == "yes" else "not expected") or (
            o == "no" and call == "no cereblon binding"
        )
        others = [(DataStructs.TanimotoSimilarity(fps[c], fps[d]), d)
                  for d in table if d != c and g in table[d]]
        if others:
            best = max(others)[1]
            base = "expected" if table[best][g] in ("yes", "weak") else "not expected"
        else:
            base = "possible"
        base_ok = bool(predicted_agrees(base, o))
        out.append((c, g, o, r["basis"], call, ok, strict, base, base_ok))
    return out


def summary(cells: list[tuple]) -> list[tuple]:
    groups = defaultdict(list)
    for cell in cells:
        groups[cell[1]].append(cell)
    lines = []
    for gene in (*[g for g in GENES if g in groups], "all"):
        part = cells if gene == "all" else groups[gene]
        n = len(part)
        lines.append((gene, n, sum(c[5] for c in part), sum(c[6] for c in part),
                      sum(c[8] for c in part)))
    return lines


def main(argv: list[str]) -> int:
    cells = loo()
    print("## Leave-one-compound-out, per cell\n")
    print("| compound | gene | outcome | basis | exposed-face call | agrees | Tanimoto baseline | agrees |")
    print("|---|---|---|---|---|---|---|---|")
    for c, g, o, b, call, ok, _, base, bok in cells:
        print(f"| {c} | {g} | {o} | {b} | {call} | {'yes' if ok else 'NO'} | {base} | "
              f"{'yes' if bok else 'NO'} |")
    print("\n## Leave-one-compound-out, per neosubstrate\n")
    print("| gene | cells | exposed face agrees | strict (possible = miss) | Tanimoto baseline agrees |")
    print("|---|---|---|---|---|")
    for gene, n, ok, strict, base in summary(cells):
        print(f"| {gene} | {n} | {ok}/{n} ({100 * ok / n:.0f} %) | {strict}/{n} "
              f"({100 * strict / n:.0f} %) | {base}/{n} ({100 * base / n:.0f} %) |")
    print("\n## Non-binders (levels 3-4) and apremilast: nothing expected\n")
    print("| compound | level | calls | reason |")
    print("|---|---|---|---|")
    bad = 0
    for name in reference_names():
        call = crbn_call(name)
        if call.binder and name != "apremilast":
            continue
        profile = neosubstrates(name)
        values = set(profile.calls.values())
        bad += values != {"no cereblon binding"}
        print(f"| {name} | {call.level} | {', '.join(sorted(values))} | "
              f"{profile.reasons['IKZF1'][:90]} |")
    print(f"\nnon-binders with any call other than 'no cereblon binding': {bad}")
    if "--speed" in argv:
        print("\n## Speed (CPU seconds, one process; warm caches)\n")
        print("| compound | heavy atoms | profile (2-D) | profile with degron fits |")
        print("|---|---|---|---|")
        neosubstrates("thalidomide", degrons=True)  # warm: table faces, degron data, templates
        for name in ("lenalidomide", "pomalidomide", "CC-885", "eragidomide", "iberdomide",
                     "mezigdomide", "7LPS ligand"):
            mol = reference_mol(name)
            start = time.process_time()
            for _ in range(5):
                neosubstrates(mol)
            flat = (time.process_time() - start) / 5
            start = time.process_time()
            neosubstrates(mol, degrons=True)
            full = time.process_time() - start
            print(f"| {name} | {mol.GetNumHeavyAtoms()} | {flat:.3f} | {full:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
