"""CPU seconds of one ``pocket_fit`` (defaults, one core): this checkout against a baseline
revision, side by side in the same run.

Usage (from the repository root)::

    python benchmarks/pocket_speed.py                    # baseline: main
    python benchmarks/pocket_speed.py --baseline 0544617 --repeat 5
    python benchmarks/pocket_speed.py --moses 40     # also the first 40 anchorable MOSES

With ``--moses N`` the first N molecules of ``../shared/bench/moses_test.csv.gz`` that the pose
can anchor (``patterns.can_anchor``: the ones ``screen --3d`` fits by default) are timed too
and reported as one row (their total): the cost behind ``screen --3d`` on a library.

The baseline's ``src`` is exported with ``git archive`` into a temporary folder. Each side
runs in its own child process (one per side and round, interleaved: baseline, this
checkout, baseline, ...), which warms up (structure data, the first MCS) and then times every
molecule with ``time.process_time`` (CPU seconds of that process: a busy machine slows the
wall clock, not our CPU seconds). Prints per molecule the median and the maximum over the
rounds for both sides, the ratio of the medians (this / baseline) and whether this checkout's
maximum stays within the target (:data:`TARGET`, drug-sized molecules).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.5  # CPU seconds per drug-sized pocket_fit (issue 18)

MOLECULES = [
    ("lenalidomide (racemic, 2 forms)", "Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O"),
    ("pomalidomide (racemic)", "Nc1cccc2c1C(=O)N(C1CCC(=O)NC1=O)C2=O"),
    ("avadomide (racemic)", "Cc1nc2cccc(N)c2c(=O)n1C1CCC(=O)NC1=O"),
    ("iberdomide (S)", "O=C1CC[C@H](N2Cc3c(OCc4ccc(CN5CCOCC5)cc4)cccc3C2=O)C(=O)N1"),
    (
        "golcadomide (S)",
        "O=C1CC[C@H](N2C(=O)c3cccc(NCc4ccc(CN5CC(N6CCOCC6)C5)cc4F)c3C2=O)C(=O)N1",
    ),
    ("iberdomide, no stereo", "O=C1CCC(N2Cc3c(OCc4ccc(CN5CCOCC5)cc4)cccc3C2=O)C(=O)N1"),
    (
        "golcadomide, no stereo",
        "O=C1CCC(N2C(=O)c3cccc(NCc4ccc(CN5CC(N6CCOCC6)C5)cc4F)c3C2=O)C(=O)N1",
    ),
    (
        "mezigdomide (S)",
        "N#Cc1ccc(N2CCN(Cc3ccc(COc4cccc5c4CN([C@H]4CCC(=O)NC4=O)C5=O)cc3)CC2)c(F)c1",
    ),
    ("CC-885 (racemic)", "Cc1ccc(NC(=O)NCc2ccc3c(c2)CN(C2CCC(=O)NC2=O)C3=O)cc1Cl"),
    (
        "apremilast (no imide: overlay)",
        "CCOc1cc([C@@H](CS(C)(=O)=O)N2C(=O)c3cccc(NC(C)=O)c3C2=O)ccc1OC",
    ),
]
DRUG_SIZED = 50  # heavy atoms: the target applies up to here

CHILD = r"""
import json, sys, time
from rdkit import Chem
from imidchem.chem.pocket.fit import pocket_fit
smiles = json.loads(sys.argv[1])
pocket_fit("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1")  # warm-up: structure data
out = []
for s in smiles:
    t0 = time.process_time()
    fit = pocket_fit(s)
    out.append([time.process_time() - t0, fit.pocket_score,
                Chem.MolFromSmiles(s).GetNumHeavyAtoms()])
print(json.dumps(out))
"""


def moses_anchorable(n: int) -> list[str]:
    """The first ``n`` MOSES test molecules with an N-H cyclic imide or N-H ring lactam."""
    import gzip

    sys.path.insert(0, str(ROOT / "src"))
    from rdkit import Chem

    from imidchem.chem.patterns import can_anchor

    out = []
    path = ROOT.parent / "shared" / "bench" / "moses_test.csv.gz"
    with gzip.open(path, "rt") as handle:
        next(handle)
        for line in handle:
            mol = Chem.MolFromSmiles(line.strip())
            if mol is not None and can_anchor(mol):
                out.append(line.strip())
                if len(out) == n:
                    break
    return out


def export(revision: str, folder: Path) -> Path:
    """``revision``'s ``src`` folder, exported into ``folder``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "src"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def run_side(src: Path, smiles: list[str]) -> list[list[float]]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(smiles)],
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="main", help="git revision (default: main)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--moses", type=int, default=0, help="anchorable MOSES molecules too")
    args = parser.parse_args(argv)
    smiles = [s for _, s in MOLECULES]
    extra = moses_anchorable(args.moses) if args.moses else []
    smiles += extra
    with tempfile.TemporaryDirectory() as tmp:
        base_src = export(args.baseline, Path(tmp))
        sides = {"baseline": base_src, "this": ROOT / "src"}
        times: dict[str, list[list[float]]] = {k: [] for k in sides}
        scores: dict[str, list[float]] = {}
        for r in range(args.repeat):
            for side, src in sides.items():
                rows = run_side(src, smiles)
                times[side].append([row[0] for row in rows])
                scores[side] = [row[1] for row in rows]
                heavy = [row[2] for row in rows]
            print(f"round {r + 1} of {args.repeat} done", file=sys.stderr, flush=True)
    print(f"pocket_fit CPU seconds, median (max) of {args.repeat} rounds; baseline {args.baseline}")
    header = (
        f"{'molecule':34s} {'heavy':>5s} {'baseline':>14s} {'this':>14s} {'ratio':>6s} "
        f"{'score b/t':>12s} {'<=1.5 s':>7s}"
    )
    print(header)
    met_all = True
    for k, (name, _) in enumerate(MOLECULES):
        b = [t[k] for t in times["baseline"]]
        t = [t[k] for t in times["this"]]
        ratio = statistics.median(t) / statistics.median(b)
        met = max(t) <= TARGET if heavy[k] <= DRUG_SIZED else True
        met_all &= met
        print(
            f"{name:34s} {heavy[k]:5d} {statistics.median(b):6.2f} ({max(b):5.2f}) "
            f"{statistics.median(t):6.2f} ({max(t):5.2f}) {ratio:6.2f} "
            f"{scores['baseline'][k]:5.3f}/{scores['this'][k]:5.3f} {'yes' if met else 'NO':>7s}"
        )
    if extra:
        k0 = len(MOLECULES)
        b = [sum(t[k0:]) for t in times["baseline"]]
        t = [sum(t[k0:]) for t in times["this"]]
        name = f"MOSES anchorable ({len(extra)}), total"
        print(
            f"{name:34s} {'':5s} {statistics.median(b):6.2f} ({max(b):5.2f}) "
            f"{statistics.median(t):6.2f} ({max(t):5.2f}) "
            f"{statistics.median(t) / statistics.median(b):6.2f}"
        )
    k1 = len(MOLECULES)
    total_b = statistics.median([sum(t[:k1]) for t in times["baseline"]])
    total_t = statistics.median([sum(t[:k1]) for t in times["this"]])
    print(f"{'all (median of round sums)':34s} {'':5s} {total_b:6.2f} {'':7s} {total_t:6.2f} "
          f"{'':7s} {total_t / total_b:6.2f}")
    print(f"target (every drug-sized molecule, every round <= {TARGET} CPU s): "
          f"{'met' if met_all else 'missed'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
