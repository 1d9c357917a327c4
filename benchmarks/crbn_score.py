"""Measure crbn_score on the ChEMBL cereblon development half (issue 18); the table goes in
docs/validation.md, section 4b.

Usage (from the repository root; about 5 CPU minutes, one pocket fit per anchorable molecule)::

    flock /work/heavy.lock .venv/bin/python benchmarks/crbn_score.py [--file ../shared/data/chembl_crbn_dev.csv]

Prints the ROC AUC of crbn_score with and without the pocket, of the level, the pocket score
and the heavy-atom count (a size baseline), the within-level AUC of the pocket score, how
often the molecules that issue 12's level move would have moved are active, and what an
equal-weight blend across levels would have given (the formula that was not kept).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from imidchem.analysis.validate import heavy_atoms, rank_auc, validate  # noqa: E402
from imidchem.evidence.score import LEVEL_SCORES  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", default=str(ROOT.parent / "shared/data/chembl_crbn_dev.csv"))
    args = parser.parse_args()
    data = pd.read_csv(args.file, dtype={"active": str})
    result = validate(data, label_col="active", positive="1", three_d=True)
    frame = result.predictions
    y = frame["is_positive"].astype(bool).to_numpy()
    level = frame["crbn_level"].astype(int).to_numpy()
    status = frame["pocket_status"].to_numpy()
    pocket = frame["pocket_score"].astype(float).to_numpy()
    evidence = np.where(status == "ok", np.nan_to_num(pocket), 0.0)
    print(result.scores().to_string(index=False, float_format=lambda x: f"{x:.4f}"))
    sizes = np.array(heavy_atoms(frame["smiles_std"]))
    small = sizes <= 40
    score = frame["crbn_score"].to_numpy(float)
    print(f"\nmolecules of up to 40 heavy atoms: {small.sum()}; heavy atoms "
          f"{rank_auc(sizes[small], y[small]):.4f}, crbn_score {rank_auc(score[small], y[small]):.4f}")  # fmt: skip
    rng = np.random.default_rng(0)
    order = rng.permutation(len(y))
    halves = [rank_auc(score[h], y[h]) for h in (order[: len(y) // 2], order[len(y) // 2 :])]
    boot = [rank_auc(score[i], y[i]) for i in (rng.integers(0, len(y), len(y)) for _ in range(1000))]
    print(f"halves {halves[0]:.4f} / {halves[1]:.4f}; bootstrap 95% "
          f"{np.percentile(boot, 2.5):.4f}-{np.percentile(boot, 97.5):.4f}")  # fmt: skip
    print("\nwithin-level ROC AUC of the pocket evidence")
    for number in (1, 2, 3, 4):
        here = level == number
        print(f"  level {number}: {rank_auc(evidence[here], y[here]):.3f} ({here.sum()} molecules)")
    tie = -level * 10.0 + evidence
    print(f"\nlevel with ties broken by the pocket: {rank_auc(tie, y):.4f}")
    base = np.array([LEVEL_SCORES[n] for n in level])
    for weight in (0.25, 0.5, 0.75):
        blend = (1 - weight) * base + weight * evidence
        print(f"equal-footing blend across levels, pocket weight {weight}: {rank_auc(blend, y):.4f}")
    rmsd = frame["imide_rmsd"].astype(float).to_numpy()
    fits = frame["pocket_fit"].fillna(False).astype(bool).to_numpy()
    three = level == 3
    up = three & fits & (rmsd <= 1.0)
    down = three & (status == "ok") & (np.isnan(rmsd) | (rmsd > 1.0))
    print("\nissue 12's level move, had it been kept:")
    for name, moved in (("3 -> 2", up), ("3 -> 4", down)):
        print(f"  {name}: {moved.sum()} molecules, {y[moved].sum()} active")
    for number in (2, 3, 4):
        print(f"  level {number}: {y[level == number].mean():.3f} active")


if __name__ == "__main__":
    main()
