"""Wall time of ``imidchem screen --3d`` with 2 workers against 1 worker, side by side.

Usage (from the repository root; ../shared beside it)::

    python benchmarks/worker_scaling.py                      # 120 ChEMBL molecules, 3 pairs
    python benchmarks/worker_scaling.py --pairs 2 --baseline 09273a5

The input is the first ``--limit`` molecules of ``../shared/data/chembl_crbn_dev.csv``
(nearly all anchorable, so nearly every record is a fit of 0.2-7 CPU s): the case where
chunking and worker start-up decide whether the second worker earns its keep. Each pair
runs ``python -m imidchem screen IN -o OUT --3d --workers N --quiet`` with N = 2, then 1,
in child processes (``PYTHONPATH`` = this checkout's ``src``), and prints both wall times,
their ratio and whether the median ratio meets :data:`TARGET` (issue 18). The two outputs
must be byte-identical (checked). Wall time is the measure here, because the target is
about wall time; the load average before each run is printed beside it, as this is a
shared machine. With ``--baseline REV`` the same pairs run for that revision's ``src``
(exported with ``git archive``) interleaved with this checkout's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pocket_speed import export  # this folder: the baseline's src, by git archive

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "chembl_crbn_dev.csv"
TARGET = 1.7  # 2 workers against 1 on 120 ChEMBL molecules, default chunks (issue 18)


def timed_screen(src: Path, source: Path, out: Path, workers: int) -> float:
    """Wall seconds of one ``screen --3d`` run with ``workers`` workers."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["PYTHONPATH"] = str(src)
    command = [sys.executable, "-m", "imidchem", "screen", str(source), "-o", str(out),
               "--3d", "--workers", str(workers), "--quiet", "--force"]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", type=Path, default=DATA, help="CSV with a smiles column")
    parser.add_argument("--limit", type=int, default=120, help="first N molecules (120)")
    parser.add_argument("--pairs", type=int, default=3, help="pairs of runs per side (3)")
    parser.add_argument("--baseline", help="git revision run side by side (optional)")
    args = parser.parse_args(argv)
    if not args.input.exists():
        parser.error(f"{args.input} not found (../shared is not checked out)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lines = args.input.read_text(encoding="utf-8").splitlines()[: args.limit + 1]
        source = folder / f"first{args.limit}.csv"
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        sides = {"this": ROOT / "src"}
        if args.baseline:
            (folder / "baseline").mkdir()
            sides = {"baseline": export(args.baseline, folder / "baseline"), **sides}
        ratios: dict[str, list[float]] = {side: [] for side in sides}
        print(f"screen --3d on the first {args.limit} molecules of {args.input.name}: wall s")
        print(f"{'side':9s} {'pair':>4s} {'load':>5s} {'2 workers':>10s} {'1 worker':>9s} "
              f"{'ratio':>6s} identical")  # fmt: skip
        for pair in range(1, args.pairs + 1):
            for side, src in sides.items():
                load = os.getloadavg()[0]
                two = timed_screen(src, source, folder / "two.csv", 2)
                one = timed_screen(src, source, folder / "one.csv", 1)
                same = (folder / "two.csv").read_bytes() == (folder / "one.csv").read_bytes()
                ratios[side].append(one / two)
                print(f"{side:9s} {pair:4d} {load:5.2f} {two:10.1f} {one:9.1f} "
                      f"{one / two:5.2f}x {'yes' if same else 'NO'}", flush=True)  # fmt: skip
                if not same:
                    print("the 1- and 2-worker outputs differ", file=sys.stderr)
                    return 1
        for side, values in ratios.items():
            median = statistics.median(values)
            met = "met" if median >= TARGET else "NOT met"
            print(f"{side}: median ratio {median:.2f}x (min {min(values):.2f}x), "
                  f"target >= {TARGET}x: {met}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
