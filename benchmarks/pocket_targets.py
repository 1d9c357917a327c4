"""Measure the targets of the 3-D pocket evidence (issue 12); the table goes in docs/pocket.md.

Usage (from the repository root)::

    PYTHONPATH=src /work/venv/bin/python benchmarks/pocket_targets.py [--workers 2] [--only NAME]

Parts (``--only`` runs one): ``crossdock`` (each crystal ligand into each other shipped pocket,
its own entry's template excluded, compared after C-alpha superposition of the pockets),
``protacpedia`` (ROC AUC of the pocket score, CRBN vs other E3 binders, unique fragments),
``chembl`` (ROC AUC of the pocket score against ``active`` on chembl_crbn_dev.csv),
``apremilast`` (margin below every glutarimide drug of the reference set), ``speed`` (CPU
seconds of pocket_fit with defaults on drug-sized molecules, one process), ``stability``
(seeds 0-4 on every reference compound at levels 1-2 and on the crystal ligands: fits,
score range, the enantiomer reported; each crystal ligand at the default seed in its own
pocket against its mirror image).
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from rdkit import Chem, rdBase

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "src"))

from imidchem.chem.mol import to_mol  # noqa: E402
from imidchem.chem.pocket import (  # noqa: E402
    STRUCTURE_IDS,
    load_structure,
    superpose_pockets,
)
from imidchem.chem.pocket.structures import kabsch, templates  # noqa: E402
from imidchem.data.reference import load_reference  # noqa: E402
from imidchem.evidence.pocket import pocket_fit  # noqa: E402 - names accepted

STRUCTURE = "5fqd"


def crystal_ligand_in(source: str, target: str) -> Chem.Mol:
    """The crystal ligand of ``source`` in ``target``'s frame (pocket C-alpha superposition)."""
    return Chem.Mol(next(mol for key, mol, _ in templates(target) if key == source))


def _rmsd(pose: Chem.Mol, ref: Chem.Mol, atoms=None) -> float:
    a, b = pose.GetConformer().GetPositions(), ref.GetConformer().GetPositions()
    idx = list(range(ref.GetNumAtoms())) if atoms is None else atoms
    return min(
        float(np.sqrt(np.mean([((a[m[i]] - b[i]) ** 2).sum() for i in idx])))
        for m in pose.GetSubstructMatches(ref, uniquify=False, useChirality=False)
    )


def crossdock() -> pd.DataFrame:
    rows = []
    glut = Chem.MolFromSmarts("O=C1CCCC(=O)N1")
    for source in STRUCTURE_IDS:
        ligand = load_structure(source).ligand
        for target in STRUCTURE_IDS:
            if target == source:
                continue
            _, _, ca, _ = superpose_pockets(source, target)
            ref = crystal_ligand_in(source, target)
            fit = pocket_fit(
                Chem.MolToSmiles(ligand), structure=target, exclude_templates=(source,)
            )
            g = list(ref.GetSubstructMatch(glut))
            rows.append(
                {
                    "ligand": f"{load_structure(source).ligand_name} ({source})",
                    "into": target,
                    "ca_rmsd": round(ca, 2),
                    "glutarimide_rmsd": round(_rmsd(fit.pose, ref, g), 2),
                    "ligand_rmsd": round(_rmsd(fit.pose, ref), 2),
                    "fits": fit.pocket_fit,
                    "score": fit.pocket_score,
                }
            )
    # for scale: the two copies of lenalidomide in 5fqd, superposed on their glutarimides (the
    # second complex's protein is not shipped, so this is the conformational part of the floor)
    s = load_structure("5fqd")
    a, b = s.ligand, Chem.Mol(s.second_copy)
    g = list(a.GetSubstructMatch(glut))
    R, t = kabsch(b.GetConformer().GetPositions()[g], a.GetConformer().GetPositions()[g])
    conf = b.GetConformer()
    conf.SetPositions(conf.GetPositions() @ R.T + t)
    rows.append(
        {
            "ligand": "(S)-lenalidomide copy E on copy B (5fqd, glutarimides superposed)",
            "into": "5fqd",
            "ligand_rmsd": round(_rmsd(b, a), 2),
        }
    )
    return pd.DataFrame(rows)


METHODS = {
    "template only (no refinement)": {"rounds": 0},
    "refined, glutarimide tethered, local only (before)": {
        "tether": "glutarimide",
        "search": False,
        "rounds": 3,
    },
    "refined, glutarimide tethered + torsion search": {"tether": "glutarimide"},
    "refined, anchor tethered + torsion search (default)": {},
}


def methods() -> pd.DataFrame:
    """RMSDs for each way of making a pose (the choice in docs/pocket.md), on two tasks:
    cross-docking as in :func:`crossdock` (the template is the whole common substructure), and
    a tail-placement proxy: every crystal ligand into every pocket (its own too) with all
    crystal-ligand templates withheld, so only the glutarimide is anchored and the isoindoline
    (the part that faces solvent and the neosubstrate) has to be found by the method."""
    from imidchem.chem.pocket.pose import place

    glut = Chem.MolFromSmarts("O=C1CCCC(=O)N1")
    rows = []
    for task in ("cross-docking (12 pairs)", "glutarimide anchor only (16 pairs)"):
        proxy = task.startswith("glutarimide")
        for label, options in METHODS.items():
            g_all, l_all = [], []
            for source in STRUCTURE_IDS:
                ligand = load_structure(source).ligand
                for target in STRUCTURE_IDS:
                    if target == source and not proxy:
                        continue
                    ref = crystal_ligand_in(source, target)
                    mol = Chem.MolFromSmiles(Chem.MolToSmiles(ligand))
                    placed = place(
                        mol,
                        load_structure(target),
                        seed=42,
                        exclude_templates=STRUCTURE_IDS if proxy else (source,),
                        **options,
                    )
                    pose = Chem.RemoveHs(placed.mol_h)
                    g_all.append(_rmsd(pose, ref, list(ref.GetSubstructMatch(glut))))
                    l_all.append(_rmsd(pose, ref))
            rows.append(
                {
                    "task": task,
                    "method": label,
                    "glutarimide_rmsd_mean": round(float(np.mean(g_all)), 2),
                    "glutarimide_rmsd_max": round(max(g_all), 2),
                    "ligand_rmsd_mean": round(float(np.mean(l_all)), 2),
                    "ligand_rmsd_max": round(max(l_all), 2),
                    "pairs_within_targets": sum(
                        g <= 1.0 and a <= 2.0 for g, a in zip(g_all, l_all, strict=True)
                    ),
                }
            )
    return pd.DataFrame(rows)


def _score(smiles: str) -> tuple[float, str, bool | None]:
    with rdBase.BlockLogs():
        try:
            fit = pocket_fit(smiles, structure=STRUCTURE)
        except Exception as problem:  # noqa: BLE001 - unreadable input counts as score 0
            return 0.0, f"error: {problem}", None
    return (
        (fit.pocket_score if fit.pocket_score is not None else 0.0),
        fit.pocket_status,
        fit.pocket_fit,
    )


def _scores(smiles: list[str], workers: int) -> list[tuple]:
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            return list(pool.map(_score, smiles, chunksize=4))
    return [_score(s) for s in smiles]


def auc(labels, scores) -> float:
    """ROC AUC (ties count one half)."""
    labels, scores = np.asarray(labels, bool), np.asarray(scores, float)
    pos, neg = scores[labels], scores[~labels]
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(greater / (len(pos) * len(neg)))


def protacpedia(workers: int) -> dict:
    data = pd.read_csv(SHARED / "protacpedia_protacs.csv.gz")
    rows = {}
    with rdBase.BlockLogs():
        for smiles, ligase in zip(data["e3_binder_smiles"], data["e3_ligase"], strict=True):
            try:
                key = Chem.MolToSmiles(to_mol(smiles))
            except Exception:  # noqa: BLE001
                continue
            rows.setdefault(key, ligase)
    smiles = list(rows)
    labels = [rows[s] == "CRBN" for s in smiles]
    results = _scores(smiles, workers)
    scores = [r[0] for r in results]
    _save("protacpedia", smiles, labels, results)
    return {"n": len(smiles), "crbn": sum(labels), "auc": auc(labels, scores)}


def _save(name: str, smiles, labels, results) -> None:
    """Per-molecule scores, for looking at the misses (not committed)."""
    out = Path("/tmp") / f"pocket_targets_{name}.csv"
    pd.DataFrame(
        {
            "smiles": smiles,
            "label": labels,
            "score": [r[0] for r in results],
            "status": [r[1] for r in results],
            "fits": [r[2] for r in results],
        }
    ).to_csv(out, index=False)


def chembl(workers: int) -> dict:
    data = pd.read_csv(SHARED / "chembl_crbn_dev.csv")
    results = _scores(list(data["smiles"]), workers)
    scores = [r[0] for r in results]
    _save("chembl", list(data["smiles"]), list(data["active"]), results)
    errors = sum(1 for r in results if r[1] != "ok")
    labels = data["active"].astype(bool).to_numpy()
    values = np.asarray(scores, float)
    # stability: two random halves (fixed seed) and a bootstrap 95% interval
    order = np.random.default_rng(12).permutation(len(labels))
    halves = [order[: len(order) // 2], order[len(order) // 2 :]]
    rng = np.random.default_rng(0)
    boot = []
    for _ in range(2000):
        i = rng.integers(0, len(labels), len(labels))
        if labels[i].any() and not labels[i].all():
            boot.append(auc(labels[i], values[i]))
    return {
        "n": len(data),
        "active": int(labels.sum()),
        "auc": round(auc(labels, values), 4),
        "halves": [round(auc(labels[h], values[h]), 4) for h in halves],
        "bootstrap_95": [round(float(v), 3) for v in np.percentile(boot, [2.5, 97.5])],
        "errors": errors,
    }


def apremilast() -> dict:
    ref = load_reference()
    glut = Chem.MolFromSmarts("[CX3](=O)1[NX3][CX3](=O)[CX4][CX4][CX4]1")
    drugs = [
        name
        for name, smiles in zip(ref["name"], ref["smiles"], strict=True)
        if Chem.MolFromSmiles(smiles).HasSubstructMatch(glut)
        and ref.set_index("name").loc[name, "crbn_binder"] in (True, "yes", "True", 1)
    ]
    apr = pocket_fit("apremilast", structure=STRUCTURE).pocket_score
    scores = {name: pocket_fit(name, structure=STRUCTURE).pocket_score for name in drugs}
    lowest = min(scores, key=scores.get)
    return {
        "apremilast": apr,
        "lowest_drug": lowest,
        "lowest_score": scores[lowest],
        "margin": round(scores[lowest] - apr, 4),
        "drugs": scores,
    }


SPEED_SET = [
    "lenalidomide",
    "pomalidomide",
    "iberdomide",
    "CC-885",
    "eragidomide",
    "golcadomide",
    "apremilast",
    # as vendors write it: the C3 undefined, so both configurations are placed
    ("iberdomide, no stereo", "O=C1CCC(N2Cc3c(OCc4ccc(CN5CCOCC5)cc4)cccc3C2=O)C(=O)N1"),
    (
        "golcadomide, no stereo",
        "O=C1CCC(N2C(=O)c3cccc(NCc4ccc(CN5CC(N6CCOCC6)C5)cc4F)c3C2=O)C(=O)N1",
    ),
]


def speed() -> pd.DataFrame:
    pocket_fit("thalidomide")  # load the structure data
    rows = []
    smiles = load_reference().set_index("name")["smiles"]
    for entry in SPEED_SET:
        name, query = entry if isinstance(entry, tuple) else (entry, smiles[entry])
        heavy = to_mol(query).GetNumHeavyAtoms()
        times = []
        for _ in range(2):
            t0 = time.process_time()
            fit = pocket_fit(query)
            times.append(time.process_time() - t0)
        rows.append(
            {
                "molecule": name,
                "heavy_atoms": heavy,
                "forms": 1 + len(fit.other_forms),
                "cpu_s": round(min(times), 2),
            }
        )
    return pd.DataFrame(rows)


SEEDS = (0, 1, 2, 3, 4)


def _mirror(smiles: str) -> str:
    return smiles.replace("@@", "!").replace("@", "@@").replace("!", "@")


def _stability_row(label: str, smiles: str, structure: str) -> dict:
    fits = [pocket_fit(smiles, structure=structure, seed=seed) for seed in SEEDS]
    scores = [f.pocket_score for f in fits]
    spread = max(scores) - min(scores)
    same = len({f.pocket_fit for f in fits}) == 1
    return {
        "molecule": label,
        "in": structure,
        "fits": "".join("y" if f.pocket_fit else "n" for f in fits),
        "score_min": round(min(scores), 3),
        "score_max": round(max(scores), 3),
        "range": round(spread, 3),
        "enantiomer": "".join(f.pocket_enantiomer or "-" for f in fits),
        "other": ", ".join(
            f"{o.enantiomer} {o.pocket_score:.2f}{'' if o.pocket_fit else ' (no fit)'}"
            for o in fits[0].other_forms
        ),
        "spread_max": max(f.pocket_score_spread for f in fits),
        "cpu_s_max": round(max(f.seconds for f in fits), 2),
        "met": same and spread <= 0.05,
    }


def stability(workers: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Seeds 0-4 on every reference compound at levels 1-2 (5fqd) and on each crystal
    ligand in its own pocket; then each crystal ligand at the default seed against its mirror
    image (imide <= 0.5 A, score above the mirror's)."""
    from imidchem import assess

    ref = load_reference()
    levels = assess(ref[["name", "smiles"]])
    jobs = [
        (name, name, STRUCTURE)
        for name, level in zip(levels["name"], levels["crbn_level"], strict=True)
        if level in (1, 2)
    ]
    for pdb_id in STRUCTURE_IDS:
        s = load_structure(pdb_id)
        jobs.append((f"{s.ligand_name} (crystal, {pdb_id})", Chem.MolToSmiles(s.ligand), pdb_id))
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            rows = list(pool.map(_stability_row, *zip(*jobs, strict=True)))
    else:
        rows = [_stability_row(*job) for job in jobs]
    crystal = []
    for pdb_id in STRUCTURE_IDS:
        s = load_structure(pdb_id)
        smiles = Chem.MolToSmiles(s.ligand)
        own = pocket_fit(smiles, structure=pdb_id)
        mirror = pocket_fit(_mirror(smiles), structure=pdb_id)
        crystal.append(
            {
                "crystal ligand": f"{s.ligand_name} ({pdb_id})",
                "imide_rmsd": own.imide_rmsd,
                "score": own.pocket_score,
                "mirror": mirror.pocket_enantiomer,
                "mirror_score": mirror.pocket_score,
                "mirror_fits": mirror.pocket_fit,
                "met": own.imide_rmsd <= 0.5 and own.pocket_score > mirror.pocket_score,
            }
        )
    return pd.DataFrame(rows), pd.DataFrame(crystal)


def screen3d() -> pd.DataFrame:
    """``screen --3d`` on the reference set: molecules per second (wall) by worker count,
    interleaved and repeated."""
    from imidchem.engine.screen import run_screen

    smiles = list(load_reference()["smiles"]) * 4  # enough work to amortise the pool start
    rows = []
    for repeat in range(2):
        for workers in (1, 2):
            t0 = time.perf_counter()
            summary, _ = run_screen(smiles, three_d=True, workers=workers, quiet=True, chunk_size=8)
            seconds = time.perf_counter() - t0
            rows.append(
                {
                    "repeat": repeat,
                    "workers": workers,
                    "molecules": summary.rows,
                    "seconds": round(seconds, 1),
                    "mol_per_s": round(summary.rows / seconds, 2),
                }
            )
    return pd.DataFrame(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--only",
        choices=[
            "crossdock",
            "methods",
            "protacpedia",
            "chembl",
            "apremilast",
            "speed",
            "screen3d",
            "stability",
        ],
    )
    args = parser.parse_args(argv)
    pd.set_option("display.width", 200)
    parts = (
        [args.only]
        if args.only
        else [
            "crossdock",
            "methods",
            "protacpedia",
            "chembl",
            "apremilast",
            "speed",
            "stability",
            "screen3d",
        ]
    )
    for part in parts:
        t0 = time.perf_counter()
        if part == "crossdock":
            print(crossdock().to_string(index=False))
        elif part == "methods":
            print(methods().to_string(index=False))
        elif part == "protacpedia":
            print("PROTAC-Pedia e3_binder_smiles, CRBN vs rest:", protacpedia(args.workers))
        elif part == "chembl":
            print("chembl_crbn_dev.csv, pocket score vs active:", chembl(args.workers))
        elif part == "apremilast":
            print("apremilast vs glutarimide drugs:", apremilast())
        elif part == "screen3d":
            print(screen3d().to_string(index=False))
        elif part == "speed":
            print(speed().to_string(index=False))
        elif part == "stability":
            seeds, crystal = stability(args.workers)
            print(seeds.to_string(index=False))
            print(f"seed targets met: {int(seeds['met'].sum())} of {len(seeds)}")
            print(crystal.to_string(index=False))
            print(f"crystal-ligand targets met: {int(crystal['met'].sum())} of {len(crystal)}")
        print(f"[{part}: {time.perf_counter() - t0:.0f} s]\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
