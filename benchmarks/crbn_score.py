"""Measure crbn_score on the ChEMBL cereblon development half (issue 18); the table goes in
docs/validation.md, section 4b.

Usage (from the repository root; about 5 CPU minutes the first time, one pocket fit per
anchorable molecule)::

    flock /work/heavy.lock .venv/bin/python benchmarks/crbn_score.py [--file ../shared/data/chembl_crbn_dev.csv] [--workers 2]

The 3-D group of every row is made as ``validate(..., three_d=True)`` makes it (the default
structure and seed, the skip rule, :func:`imidchem.evidence.pocket.pocket_values`'s error
handling) and cached under ``benchmarks/.cache/`` keyed by a hash of the pose code and its
data (``src/imidchem/chem``, ``src/imidchem/data``): a formula change is measured again
without refitting, a pose change refits. ``crbn_score`` is then computed by the package's own
path (:func:`imidchem.evidence.pocket.with_pocket`, the function ``assess`` and ``screen`` use).
``--check`` runs ``validate(three_d=True)`` itself as well and asserts the same scores.

Prints the ROC AUC of crbn_score with and without the pocket, of the level, the pocket score
and the heavy-atom count (a size baseline), the size dependence of the pocket evidence
(Spearman with the heavy-atom count, per level), the within-level AUC of the pocket evidence
and of the pocket score, random halves and a bootstrap interval.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from imidchem.analysis.validate import heavy_atoms, rank_auc, validate  # noqa: E402
from imidchem.engine.assess import assess  # noqa: E402
from imidchem.evidence.schema import OUTPUT_COLUMNS, POCKET_COLUMNS  # noqa: E402
from imidchem.evidence.score import LEVEL_SCORES  # noqa: E402

CACHE = ROOT / "benchmarks" / ".cache"
EXTRA = ("cage_contact", "shape_coverage", "colour_coverage", "canonical_hbonds", "seconds")


def code_key() -> str:
    """A hash of everything a pocket fit depends on: the chemistry code and the shipped data."""
    digest = hashlib.sha256()
    for folder in ("src/imidchem/chem", "src/imidchem/data"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fit_row(smiles: str) -> tuple:
    """The 3-D group of one standardised SMILES that the pose can anchor, as
    :func:`imidchem.evidence.pocket.pocket_values` makes it (default structure, seed and
    time limit, the same error handling), with the fit's other numbers (:data:`EXTRA`)."""
    from rdkit import rdBase

    from imidchem.chem.pocket import fit as chem_fit
    from imidchem.chem.pocket.fit import TIME_LIMIT
    from imidchem.chem.pocket.structures import DEFAULT_STRUCTURE
    from imidchem.errors import ImidchemError
    from imidchem.evidence.pocket import fit_values, pocket_error

    none = (np.nan,) * len(EXTRA)
    try:
        with rdBase.BlockLogs():
            fit = chem_fit.pocket_fit(smiles, structure=DEFAULT_STRUCTURE, seed=42,
                                      time_limit=TIME_LIMIT)  # fmt: skip
    except ImidchemError as problem:
        return (*pocket_error(str(problem)), *none)
    except Exception as problem:  # noqa: BLE001 - as pocket_values
        return (*pocket_error(f"{type(problem).__name__}: {problem}"), *none)
    extra = (fit.cage_contact, fit.shape_coverage, fit.colour_coverage, len(fit.hbonds),
             fit.seconds)  # fmt: skip
    return (*fit_values(fit), *(np.nan if v is None else v for v in extra))


def fitted(frame: pd.DataFrame, workers: int) -> pd.DataFrame:
    """The 3-D group (and :data:`EXTRA`) of every row of an assess ``frame``: skipped as
    ``three_d=True`` skips (:func:`imidchem.evidence.pocket.worth_fitting`), the fits from
    the cache (one file per :func:`code_key`, one row per SMILES) or fitted now."""
    from imidchem.evidence.pocket import pocket_error, pocket_skipped, worth_fitting

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"crbn_fits_{code_key()}.csv"
    columns = [*POCKET_COLUMNS, *EXTRA]
    cache = {}
    if path.exists():
        table = pd.read_csv(path, keep_default_na=False, na_values=[""])
        cache = {row[0]: tuple(row[1:]) for row in table.itertuples(index=False)}
    smiles = frame["smiles_std"].fillna("").tolist()
    wanted = sorted({s for s in smiles if s and worth_fitting(s)} - set(cache))
    print(f"{len(smiles)} molecules; {len(wanted)} to fit ({workers} workers), the rest "
          f"skipped or in the cache {path.relative_to(ROOT)}")  # fmt: skip
    if wanted:
        with ProcessPoolExecutor(workers) as pool:
            cache.update(zip(wanted, pool.map(fit_row, wanted, chunksize=1), strict=True))
        table = pd.DataFrame([(s, *v) for s, v in cache.items()], columns=["smiles_std", *columns])
        table.to_csv(path, index=False)
        table = pd.read_csv(path, keep_default_na=False, na_values=[""])
        cache = {row[0]: tuple(row[1:]) for row in table.itertuples(index=False)}
    none = (np.nan,) * len(EXTRA)
    rows = [
        (*pocket_error("no molecule"), *none) if not s
        else cache[s] if s in cache and worth_fitting(s)
        else (*pocket_skipped(), *none)
        for s in smiles
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def three_d_scores(frame: pd.DataFrame, pockets: pd.DataFrame) -> np.ndarray:
    """``crbn_score`` with the 3-D group, by :func:`imidchem.evidence.pocket.with_pocket`."""
    from imidchem.evidence.pocket import with_pocket

    scores = []
    for (_, row), (_, pocket) in zip(frame.iterrows(), pockets.iterrows(), strict=True):
        values = tuple(None if pd.isna(row[c]) else row[c] for c in OUTPUT_COLUMNS)
        group = tuple(None if pd.isna(pocket[c]) else pocket[c] for c in POCKET_COLUMNS)
        scores.append(with_pocket(values, group)[len(OUTPUT_COLUMNS) - 1])
    return np.array(scores, dtype=float)


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    keep = ~(np.isnan(a) | np.isnan(b))
    if keep.sum() < 3:
        return float("nan")
    ra, rb = pd.Series(a[keep]).rank(), pd.Series(b[keep]).rank()
    return float(np.corrcoef(ra, rb)[0, 1]) if ra.std() > 0 and rb.std() > 0 else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", default=str(ROOT.parent / "shared/data/chembl_crbn_dev.csv"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--check", action="store_true", help="also run validate(three_d=True)")
    args = parser.parse_args()
    data = pd.read_csv(args.file, dtype={"active": str})
    frame = assess(data, "smiles")
    pockets = fitted(frame, args.workers)
    y = data["active"].eq("1").to_numpy()
    level = frame["crbn_level"].astype(int).to_numpy()
    status = pockets["pocket_status"].to_numpy()
    pocket = pockets["pocket_score"].astype(float).to_numpy()
    score = three_d_scores(frame, pockets)
    flat = frame["crbn_score"].to_numpy(float)
    sizes = np.array(heavy_atoms(frame["smiles_std"]))
    width = 0.25
    evidence = (score - np.array([LEVEL_SCORES[n] for n in level])) / width + 0.5
    if args.check:
        result = validate(data, label_col="active", positive="1", three_d=True)
        same = np.allclose(result.predictions["crbn_score"].to_numpy(float), score)
        print(f"validate(three_d=True) gives the same crbn_score: {same}")
        print(result.scores().to_string(index=False, float_format=lambda x: f"{x:.4f}"))
    ok = status == "ok"
    print(f"\n{len(y)} molecules, {y.sum()} active; 3-D: {ok.sum()} ok, "
          f"{(status == 'skipped').sum()} skipped, {(status == 'error').sum()} error")  # fmt: skip
    small = sizes <= 40
    rows = [
        ("crbn_score --3d", rank_auc(score, y), rank_auc(score[small], y[small])),
        ("crbn_score 2-D (= the level)", rank_auc(flat, y), rank_auc(flat[small], y[small])),
        ("pocket_score alone (rows with a pose)", rank_auc(pocket[ok], y[ok]),
         rank_auc(pocket[ok & small], y[ok & small])),
        ("heavy atoms (size baseline, not used)", rank_auc(sizes, y),
         rank_auc(sizes[small], y[small])),
    ]  # fmt: skip
    print(f"\n{'ranking':40s} {'ROC AUC':>8s} {'<=40 HA':>8s}   ({small.sum()} molecules <= 40 HA)")
    for name, auc, auc_small in rows:
        print(f"{name:40s} {auc:8.4f} {auc_small:8.4f}")
    rng = np.random.default_rng(0)
    order = rng.permutation(len(y))
    halves = [rank_auc(score[h], y[h]) for h in (order[: len(y) // 2], order[len(y) // 2 :])]
    boot = [rank_auc(score[i], y[i]) for i in (rng.integers(0, len(y), len(y)) for _ in range(1000))]
    print(f"crbn_score --3d: random halves (seed 0) {halves[0]:.4f} / {halves[1]:.4f}; bootstrap "
          f"95% {np.percentile(boot, 2.5):.4f}-{np.percentile(boot, 97.5):.4f}")  # fmt: skip
    print(f"\nsize dependence of the pocket evidence (Spearman with heavy atoms): all "
          f"{spearman(evidence, sizes):+.3f}")  # fmt: skip
    print("per level: molecules, active, within-level ROC AUC of the crbn_score evidence and of "
          "the pocket score, Spearman(evidence, heavy atoms), distinct evidence values")
    for number in (1, 2, 3, 4):
        here = level == number
        pocket_here = np.where(status == "ok", np.nan_to_num(pocket), 0.0)[here]
        print(f"  level {number}: {here.sum():3d} {y[here].sum():3d}  evidence "
              f"{rank_auc(evidence[here], y[here]):.3f}  pocket_score "
              f"{rank_auc(pocket_here, y[here]):.3f}  rho(size) "
              f"{spearman(evidence[here], sizes[here]):+.3f}  "
              f"{len(np.unique(evidence[here]))} values")  # fmt: skip
    tie = -level * 10.0 + np.where(ok, np.nan_to_num(pocket), 0.0)
    print(f"\nfor comparison, the level with ties broken by pocket_score: {rank_auc(tie, y):.4f}")


if __name__ == "__main__":
    main()
