"""Where ``screen --3d`` spends its time on a library: CPU seconds of every ``pocket_fit`` it
makes, molecule by molecule, for this checkout and optionally a baseline revision.

Usage (from the repository root, under the heavy-job lock)::

    python benchmarks/fit_profile.py --limit 20000                     # this checkout
    python benchmarks/fit_profile.py --limit 20000 --baseline e98219e --every 4

The first ``--limit`` molecules of ``../shared/bench/moses_test.csv.gz`` are standardised
as the screen does (its ``smiles_std`` column, this checkout's code) and those the pose can
anchor (``evidence.pocket.worth_fitting``: the ones ``screen --3d`` fits by default) are fitted with
the screen's defaults (``pocket_values``: seed 42, 10 s limit). ``--every K`` takes every
K-th of them (a sample) plus, with a baseline, the same molecules on both sides. Each side
runs in ``--workers`` child processes (the molecules dealt round-robin), timing every fit with
``time.process_time``. Prints the CPU total, a histogram, the totals by anchor and number of
stereo forms placed, the slowest molecules, and with a baseline the ratio of the totals and
the molecules whose score or fit changed. ``--out FILE`` keeps the records (JSON lines).
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MOSES = ROOT.parent / "shared" / "bench" / "moses_test.csv.gz"

CHILD = r"""
import json, sys, time
from rdkit import Chem, rdBase
from imidchem.chem.pocket import fit as F
smiles = json.loads(sys.stdin.read())
F.pocket_fit("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1")  # warm-up: structure data
for i, s in smiles:
    t0 = time.process_time()
    with rdBase.BlockLogs():
        fit = F.pocket_fit(s, time_limit=10.0)
    print(json.dumps(dict(
        i=i, smiles=s, cpu=round(time.process_time() - t0, 3), status=fit.pocket_status,
        score=fit.pocket_score, fit=fit.pocket_fit, anchor=fit.anchor,
        forms=1 + len(getattr(fit, "other_forms", ())),
        heavy=Chem.MolFromSmiles(s).GetNumHeavyAtoms(),
        reason=fit.pocket_reason if fit.pocket_status != "ok" else "")), flush=True)
"""


def anchorable(limit: int) -> list[str]:
    """``smiles_std`` of the first ``limit`` MOSES test molecules that the pose can anchor."""
    sys.path.insert(0, str(ROOT / "src"))
    from imidchem.engine.screen import run_screen
    from imidchem.evidence.pocket import worth_fitting

    with gzip.open(MOSES, "rt") as handle:
        next(handle)
        smiles = [next(handle).strip() for _ in range(limit)]
    _, frame = run_screen(smiles, quiet=True)
    return [s for s in frame["smiles_std"] if isinstance(s, str) and worth_fitting(s)]


def run_side(src: Path, smiles: list[tuple[int, str]], workers: int) -> list[dict]:
    """Every fit of ``smiles`` with the code in ``src``, in ``workers`` child processes."""
    env = {"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD],
            env=env,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        for _ in range(workers)
    ]
    outs = []
    for k, child in enumerate(children):
        child.stdin.write(json.dumps(smiles[k::workers]))
        child.stdin.close()
    for child in children:
        outs += [json.loads(line) for line in child.stdout if line.startswith("{")]
        child.wait()
    return sorted(outs, key=lambda r: r["i"])


def report(label: str, records: list[dict], slowest: int) -> None:
    cpu = [r["cpu"] for r in records]
    print(
        f"\n## {label}: {len(records)} fits, {sum(cpu):.1f} CPU s, "
        f"{sum(cpu) / max(1, len(cpu)):.3f} s each; status {dict(collections.Counter(r['status'] for r in records))}"
    )
    print("\n| CPU s per fit | fits | CPU s |\n|---|---:|---:|")
    for lo, hi in ((0, 0.5), (0.5, 1), (1, 2), (2, 3), (3, 5), (5, 1e9)):
        part = [c for c in cpu if lo <= c < hi]
        print(f"| {lo}-{hi if hi < 1e9 else ''} | {len(part)} | {sum(part):.1f} |")
    groups: dict = collections.defaultdict(list)
    for r in records:
        groups[(r["anchor"] or "(no pose)", r["forms"])].append(r["cpu"])
    print("\n| anchor | stereo forms placed | fits | CPU s | s each |\n|---|---:|---:|---:|---:|")
    for (anchor, forms), v in sorted(groups.items(), key=lambda kv: -sum(kv[1])):
        print(f"| {anchor} | {forms} | {len(v)} | {sum(v):.1f} | {sum(v) / len(v):.2f} |")
    print(f"\nslowest {slowest}:")
    for r in sorted(records, key=lambda r: -r["cpu"])[:slowest]:
        print(
            f"  {r['cpu']:7.3f} s  {r['forms']} forms  {r['heavy']} atoms  {r['status']:5}  "
            f"{r['smiles']}  {r['reason'][:60]}"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=20000, help="first N MOSES test molecules")
    parser.add_argument("--every", type=int, default=1, help="every K-th anchorable molecule")
    parser.add_argument("--workers", type=int, default=2, help="child processes per side")
    parser.add_argument("--baseline", help="git revision to time on the same molecules")
    parser.add_argument("--slowest", type=int, default=15)
    parser.add_argument("--out", help="JSON lines of every fit (both sides)")
    args = parser.parse_args(argv)
    smiles = list(enumerate(anchorable(args.limit)))[:: args.every]
    print(
        f"{len(smiles)} anchorable molecules fitted (first {args.limit:,} MOSES test, every {args.every})"
    )
    sides = {"this checkout": run_side(ROOT / "src", smiles, args.workers)}
    if args.baseline:
        with tempfile.TemporaryDirectory() as folder:
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", args.baseline, "src"],
                check=True,
                capture_output=True,
            ).stdout
            subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
            sides[args.baseline] = run_side(Path(folder) / "src", smiles, args.workers)
    for label, records in sides.items():
        report(label, records, args.slowest)
    if args.baseline:
        new, old = sides["this checkout"], sides[args.baseline]
        changed = [
            (a, b)
            for a, b in zip(new, old, strict=True)
            if (a["status"], a["score"], a["fit"]) != (b["status"], b["score"], b["fit"])
        ]
        total_new, total_old = sum(r["cpu"] for r in new), sum(r["cpu"] for r in old)
        print(
            f"\nthis checkout / {args.baseline}: {total_new:.1f} / {total_old:.1f} CPU s "
            f"= {total_new / total_old:.2f}x; {len(changed)} of {len(new)} fits changed "
            "(status, score or fit)"
        )
    if args.out:
        with open(args.out, "w") as handle:
            for label, records in sides.items():
                for r in records:
                    handle.write(json.dumps({"side": label, **r}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
