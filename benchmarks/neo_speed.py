"""Neosubstrate profile with all five degron fits: CPU seconds, reuse of the ETKDG
conformers between the five fits (``chem/pocket/embed_cache.py``) against the baseline
without it, in the same process, interleaved.

Usage (from the repository root):

    python benchmarks/neo_speed.py              # 3 interleaved rounds
    python benchmarks/neo_speed.py --repeat 5

Per molecule and round: one profile with the cache switched off (``EMBED_CACHE_SIZE = 0``,
the code as it was) and one with it on (cache emptied first, so the first of the five
degron fits embeds as before and the other four reuse it). CPU time (``time.process_time``)
of the call, median over rounds, and the ratio baseline / cached. Every degron fit of the
two runs is compared field by field (``DegronFit.as_dict``): the numbers must be identical,
and the script exits 1 if any differs. Target (issue 17): a drug-sized molecule's profile
with all degron fits within 3 CPU s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import imidchem
from imidchem.chem.pocket import embed_cache
from imidchem.data.reference import reference_mol

MOLECULES = ("lenalidomide", "pomalidomide", "CC-885", "eragidomide", "iberdomide",
             "7LPS ligand", "mezigdomide")
TARGET = 3.0


def _run(mol, cache: bool) -> tuple[float, list[dict]]:
    embed_cache.clear()
    embed_cache.EMBED_CACHE_SIZE = 8 if cache else 0
    start = time.process_time()
    profile = imidchem.neosubstrates(mol, degrons=True)
    spent = time.process_time() - start
    return spent, [d.as_dict() for d in profile.degrons]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    _run(reference_mol("thalidomide"), True)  # warm: degron data, templates, outcome table
    times: dict[str, dict[bool, list[float]]] = {m: {False: [], True: []} for m in MOLECULES}
    same = True
    for _ in range(args.repeat):
        for name in MOLECULES:
            mol = reference_mol(name)
            base, fits_base = _run(mol, False)
            fast, fits_fast = _run(mol, True)
            times[name][False].append(base)
            times[name][True].append(fast)
            if fits_base != fits_fast:
                same = False
                print(f"DIFFERENT degron fits for {name}", file=sys.stderr)
    embed_cache.EMBED_CACHE_SIZE = 8
    print("| compound | heavy atoms | baseline CPU s | with reuse CPU s | ratio | "
          f"<= {TARGET:.0f} s |")
    print("|---|---|---|---|---|---|")
    for name in MOLECULES:
        base = statistics.median(times[name][False])
        fast = statistics.median(times[name][True])
        heavy = reference_mol(name).GetNumHeavyAtoms()
        print(f"| {name} | {heavy} | {base:.2f} | {fast:.2f} | {base / fast:.2f}x | "
              f"{'yes' if fast <= TARGET else 'NO'} |")
    print(f"\nmedian of {args.repeat} interleaved rounds; degron fits identical with and "
          f"without reuse: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
