"""Benchmark of ``imidchem screen`` against a bare RDKit loop on the MOSES set.

Runs side by side on the same input, each variant in its own process:

(a) ``bare``    a bare RDKit loop doing the same work and writing a CSV: parse, Morgan
                radius-2 2048-bit fingerprint, Tanimoto to the reference compounds,
                the four substructure patterns of the verdict
(a') ``bare_std``  the same loop plus the standardisation imidchem applies (largest
                fragment, isotopes, charges, tautomer of hidden imides), in plain RDKit
(a'') ``bare_smiles``  the bare loop plus the canonical SMILES column (``smiles_std`` of
                the evidence schema), the largest single piece of work the screen
                writes that the bare loop does not
(b) ``parse``   RDKit SMILES parsing alone
(c) ``screen1`` / ``screen2``   ``imidchem.engine.screen`` with 1 and 2 worker processes
(d) ``dask2``   ``imidchem.engine.screen`` on a Dask LocalCluster with 2 worker processes
                (cluster start-up not timed: it stands for an existing cluster)

It prints molecules per second, the ratios to the bare loop (with and without the
canonical SMILES column) and to one worker, the CPU seconds of all the variant's
processes and of its main process, and the peak RSS of its largest process (sampled
from /proc, so that forkserver and Dask worker processes count). With
``--repeat N`` the variants run N times, interleaved (a, b, c, a, b, c, ...), and the
table shows the median of each column; ``vs bare (CPU)`` compares CPU seconds, the fair
measure on a machine that other work shares (wall-clock rates then depend on who else
runs). Input: ``../shared/bench/moses_train.csv.gz``; without ``../shared`` the
same file is taken from the ``molsets==0.3.1`` wheel (``pip download --no-deps``).

Examples::

    python benchmarks/bench_screen.py                    # first 20,000 molecules
    python benchmarks/bench_screen.py --limit 0          # the whole 1.58M set
    python benchmarks/bench_screen.py --variants screen1,screen2
    python benchmarks/bench_screen.py --limit 100000 --repeat 3   # medians of 3 interleaved
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
VARIANTS = (
    "bare",
    "bare_std",
    "bare_smiles",
    "parse",
    "screen1",
    "screen2",
    "dask2",
    "screen1_3d",
    "screen2_3d",
    "screen1_cols",
    "screen2_cols",
)
DEFAULT_VARIANTS = VARIANTS[:7]
LABELS = {
    "bare": "(a) bare RDKit loop, CSV out",
    "bare_std": "(a') bare loop + the same standardisation",
    "bare_smiles": "(a'') bare loop + canonical SMILES",
    "parse": "(b) RDKit parsing only",
    "screen1": "(c) imidchem screen, 1 worker",
    "screen2": "(c) imidchem screen, 2 workers",
    "dask2": "(d) imidchem screen, Dask 2 workers",
    "screen1_3d": "(e) imidchem screen --3d, 1 worker",
    "screen2_3d": "(e) imidchem screen --3d, 2 workers",
    "screen1_cols": "(f) imidchem screen --columns COLS, 1 worker",
    "screen2_cols": "(f) imidchem screen --columns COLS, 2 workers",
}
COLS = "sim_thalidomide,crbn_level,crbn_pharmacophore,verdict"
"""The columns of the (f) variants (``--columns``): no canonical SMILES asked for."""


def moses_train(cache: Path) -> Path:
    """The MOSES training set: from ../shared, else from the molsets wheel."""
    shared = SHARED / "bench" / "moses_train.csv.gz"
    if shared.exists():
        return shared
    target = cache / "moses_train.csv.gz"
    if target.exists():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "molsets==0.3.1", "-d", str(cache)],
        check=True,
    )
    wheel = next(cache.glob("molsets-0.3.1-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        member = next(n for n in archive.namelist() if n.endswith("dataset/data/train.csv.gz"))
        target.write_bytes(archive.read(member))
    return target


def make_slice(source: Path, limit: int, folder: Path) -> Path:
    """The first ``limit`` molecules as a plain CSV (or the source itself for limit 0)."""
    if limit <= 0:
        return source
    target = folder / f"moses_first_{limit}.csv"
    with gzip.open(source, "rt") as lines, open(target, "w") as out:
        out.write(next(lines))
        for _, line in zip(range(limit), lines, strict=False):
            out.write(line)
    return target


def _open_lines(path: Path):
    return gzip.open(path, "rt") if path.suffix == ".gz" else open(path)


# -- the variants (each runs in its own process) -----------------------------------------


def plain_standardiser():
    """The standardisation imidchem applies, written with RDKit calls only."""
    from rdkit import Chem
    from rdkit.Chem.MolStandardize import rdMolStandardize

    chooser = rdMolStandardize.LargestFragmentChooser(preferOrganic=True)
    uncharger = rdMolStandardize.Uncharger()
    tautomers = rdMolStandardize.TautomerEnumerator()
    tautomers.SetRemoveSp3Stereo(False)
    tautomers.SetRemoveBondStereo(False)
    isotope, charged = Chem.MolFromSmarts("[!0*]"), Chem.MolFromSmarts("[!+0]")
    hidden_amide = Chem.MolFromSmarts("[OX2H1]-[#6]=,:[#7]")

    def standardise(mol):
        if len(Chem.GetMolFrags(mol)) > 1:
            mol = chooser.choose(mol)
        if mol.HasSubstructMatch(isotope):
            mol = Chem.Mol(mol)
            for atom in mol.GetAtoms():
                atom.SetIsotope(0)
            mol = Chem.RemoveHs(mol)
        if mol.GetNumAtoms() != mol.GetNumHeavyAtoms():
            mol = Chem.RemoveHs(mol)
        if mol.HasSubstructMatch(charged):
            mol = uncharger.uncharge(mol)
        if mol.HasSubstructMatch(hidden_amide):
            mol = tautomers.Canonicalize(mol)
            Chem.AssignStereochemistry(mol, cleanIt=True, force=True)
        return mol

    return standardise


def run_bare(source: Path, output: Path, standardise: bool = False, canonical: bool = False) -> int:
    """Parse, fingerprint, Tanimoto to the references, four patterns, CSV out.

    ``standardise`` adds imidchem's standardisation in plain RDKit, ``canonical`` a
    canonical SMILES column.
    """
    from rdkit import Chem, DataStructs, rdBase
    from rdkit.Chem import rdFingerprintGenerator

    import imidchem

    prepare = plain_standardiser() if standardise else (lambda mol: mol)

    generator = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)
    reference_csv = Path(imidchem.__file__).parent / "data" / "smiles.csv"
    with open(reference_csv, newline="") as handle:
        references = [(row["name"], row["smiles"]) for row in csv.DictReader(handle)]
    names = [name for name, _ in references]
    fps = [generator.GetFingerprint(Chem.MolFromSmiles(smiles)) for _, smiles in references]
    thalidomide = fps[names.index("thalidomide")]
    smarts = [
        imidchem.get_pattern(name).smarts
        for name in ("isoindoline", "glutarimide", "glutarimide_nh", "crbn_pharmacophore")
    ]
    queries = [Chem.MolFromSmarts(text) for text in smarts]
    count = 0
    with rdBase.BlockLogs(), _open_lines(source) as lines, open(output, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "id",
                "smiles",
                "status",
                *(["smiles_std"] if canonical else []),
                "sim_thalidomide",
                "nearest_reference",
                "nearest_similarity",
                "has_isoindoline",
                "has_glutarimide",
                "glutarimide_nh",
                "crbn_pharmacophore",
            ]
        )
        next(lines)
        for count, line in enumerate(lines, start=1):
            smiles = line.strip()
            mol = Chem.MolFromSmiles(smiles)
            if mol is None:
                writer.writerow([count, smiles, "error"])
                continue
            mol = prepare(mol)
            fp = generator.GetFingerprint(mol)
            sims = DataStructs.BulkTanimotoSimilarity(fp, fps)
            best = max(range(len(sims)), key=sims.__getitem__)
            flags = [mol.HasSubstructMatch(query) for query in queries]
            writer.writerow(
                [
                    count,
                    smiles,
                    "ok",
                    *([Chem.MolToSmiles(mol)] if canonical else []),
                    DataStructs.TanimotoSimilarity(fp, thalidomide),
                    names[best],
                    sims[best],
                    *flags,
                ]
            )
    return count


def run_parse(source: Path, output: Path) -> int:
    from rdkit import Chem, rdBase

    count = 0
    with rdBase.BlockLogs(), _open_lines(source) as lines:
        next(lines)
        for line in lines:
            Chem.MolFromSmiles(line.strip())
            count += 1
    return count


def run_screen(
    source: Path,
    output: Path,
    workers: int,
    chunk_size: int | None,
    three_d: bool = False,
    columns: str | None = None,
) -> int:
    from imidchem.engine.screen import run_screen as screen

    extra = {}
    if three_d:
        extra["three_d"] = True
    if columns:
        extra["columns"] = columns
    summary, _ = screen(source, output, workers=workers, chunk_size=chunk_size, quiet=True, **extra)
    return summary.rows


def run_dask(source: Path, output: Path, workers: int, chunk_size: int) -> tuple[int, float]:
    from distributed import Client, LocalCluster

    from imidchem.engine.screen import run_screen as screen

    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(lambda: __import__("imidchem.engine.screen"))  # import time is not screening
        start = time.perf_counter()
        summary, _ = screen(source, output, scheduler=client, chunk_size=chunk_size, quiet=True)
        return summary.rows, time.perf_counter() - start


def child(args: argparse.Namespace) -> None:
    """Run one variant and print ``{"rows": n, "seconds": s}``."""
    source, output = Path(args.input), Path(args.output)
    if args.child.startswith("screen") or args.child == "dask2":
        import imidchem.engine.screen  # noqa: F401 - imports are not part of the timing
    start = time.perf_counter()
    if args.child == "bare":
        rows = run_bare(source, output)
    elif args.child == "bare_std":
        rows = run_bare(source, output, standardise=True)
    elif args.child == "bare_smiles":
        rows = run_bare(source, output, canonical=True)
    elif args.child == "parse":
        rows = run_parse(source, output)
    elif args.child == "screen1":
        rows = run_screen(source, output, 1, args.chunk_size)
    elif args.child == "screen2":
        rows = run_screen(source, output, 2, args.chunk_size)
    elif args.child in ("screen1_3d", "screen2_3d"):  # chunks: the default, unless given
        size = args.chunk_size if args.chunk_size_given else None
        rows = run_screen(source, output, int(args.child[6]), size, three_d=True)
    elif args.child in ("screen1_cols", "screen2_cols"):
        rows = run_screen(source, output, int(args.child[6]), args.chunk_size, columns=COLS)
    else:
        rows, seconds = run_dask(source, output, 2, args.chunk_size)
        print(json.dumps({"rows": rows, "seconds": seconds}))
        return
    print(json.dumps({"rows": rows, "seconds": time.perf_counter() - start}))


class TreeSampler(threading.Thread):
    """Samples every process under ``root`` in /proc: peak RSS (VmHWM) and CPU time.

    Worker processes of a forkserver or a Dask nanny are not waited for by the
    benchmarked process, so ``getrusage`` would miss them; /proc sees them all. CPU time
    is the last sample of each process (at most ``every`` seconds short).
    """

    def __init__(self, root: int, every: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.root, self.every = root, every
        self.peak_kb: dict[int, int] = {}
        self.cpu: dict[int, float] = {}
        self.stop = threading.Event()
        self.tick = os.sysconf("SC_CLK_TCK")

    def _tree(self) -> set[int]:
        """``root`` and its descendants, from /proc/PID/task/TID/children (cheap)."""
        tree: set[int] = set()
        stack = [self.root]
        while stack:
            pid = stack.pop()
            if pid in tree:
                continue
            tree.add(pid)
            try:
                tasks = os.listdir(f"/proc/{pid}/task")
            except OSError:
                continue
            for task in tasks:
                try:
                    with open(f"/proc/{pid}/task/{task}/children") as children:
                        stack.extend(int(child) for child in children.read().split())
                except OSError:
                    continue
        return tree

    def _sample(self) -> None:
        for pid in self._tree():
            try:
                with open(f"/proc/{pid}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                with open(f"/proc/{pid}/status") as status:
                    hwm = next((line for line in status if line.startswith("VmHWM:")), None)
            except OSError:
                continue
            self.cpu[pid] = (int(fields[11]) + int(fields[12])) / self.tick
            if hwm is not None:
                self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), int(hwm.split()[1]))

    def run(self) -> None:
        while not self.stop.is_set():
            self._sample()
            self.stop.wait(self.every)


def measure(variant: str, source: Path, folder: Path, chunk_size: int) -> dict:
    """Run a variant in a fresh process; sample its process tree for RSS and CPU."""
    output = folder / f"out_{variant}.csv"
    command = [sys.executable, __file__, "--child", variant, "--input", str(source)]
    command += ["--output", str(output)]
    if chunk_size:
        command += ["--chunk-size", str(chunk_size)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(process.pid)
    sampler.start()
    stdout, stderr = process.communicate()
    sampler.stop.set()
    sampler.join()
    if process.returncode != 0 or not stdout.strip():
        raise SystemExit(f"{variant} failed:\n{stderr}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["rss_kb"] = max(sampler.peak_kb.values(), default=0)
    result["cpu"] = sum(sampler.cpu.values())
    result["parent_cpu"] = sampler.cpu.get(process.pid, 0.0)
    result["processes"] = len(sampler.cpu)
    if output.exists():
        output.unlink()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--limit",
        type=int,
        default=20000,
        help="first N molecules of MOSES train (0: all 1,584,663)",
    )
    parser.add_argument(
        "--variants",
        default=",".join(DEFAULT_VARIANTS),
        help=f"comma-separated, from {', '.join(VARIANTS)}",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="interleaved rounds; the table shows medians"
    )
    parser.add_argument(
        "--chunk-size", type=int, help="records per chunk (default 2000; --3d: the screen's)"
    )
    parser.add_argument(
        "--source",
        choices=["train", "test"],
        default="train",
        help="MOSES train (default) or test (../shared/bench/moses_test.csv.gz)",
    )
    parser.add_argument(
        "--cache",
        default=str(Path.home() / ".cache" / "imidchem-bench"),
        help="where the molsets wheel goes when ../shared is absent",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.chunk_size_given = args.chunk_size is not None
    if args.child:
        child(args)
        return 0
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = sorted(set(variants) - set(VARIANTS))
    if unknown:
        parser.error(f"unknown variant(s) {', '.join(unknown)}; allowed: {', '.join(VARIANTS)}")
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")
    runs: dict[str, list[dict]] = {variant: [] for variant in variants}
    with tempfile.TemporaryDirectory(prefix="bench_screen_") as tmp:
        folder = Path(tmp)
        full = moses_train(Path(args.cache))
        if args.source == "test":
            full = SHARED / "bench" / "moses_test.csv.gz"
        source = make_slice(full, args.limit, folder)
        print(
            f"input: {source if args.limit <= 0 else f'first {args.limit:,} of MOSES {args.source}'}; "
            f"chunk size {args.chunk_size or 'default'}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}; "
            f"{args.repeat} interleaved round(s)"
        )
        for round_number in range(1, args.repeat + 1):
            for variant in variants:
                load = os.getloadavg()[0]
                r = measure(variant, source, folder, args.chunk_size)
                r["load"] = load
                runs[variant].append(r)
                print(
                    f"  round {round_number} {variant}: {r['rows']:,} rows in "
                    f"{r['seconds']:.1f} s, {r['cpu']:.1f} CPU s ({r['parent_cpu']:.1f} in the main "
                    f"process, {r['processes']} processes), "
                    f"peak RSS {r['rss_kb'] / 1024:,.0f} MB (load average before: {load:.2f})",
                    flush=True,
                )
    print()
    print(table(runs))
    return 0


def _rate(value: float) -> str:
    """A rate with three significant figures below 100 (the 3-D screen is slow)."""
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def table(runs: dict[str, list[dict]]) -> str:
    """The Markdown table of medians (rows per second by wall clock and by CPU time).

    Ratios are against the bare loop (``bare``, the issue's comparator) and against the
    bare loop that also writes the canonical SMILES (``bare_smiles``: the same work as
    the screen's columns), where those variants ran.
    """
    med = {
        variant: {
            key: statistics.median(r.get(key, 0.0) for r in results)
            for key in ("rows", "seconds", "cpu", "parent_cpu", "load")
        }
        | {"rss_kb": max(r["rss_kb"] for r in results), "n": len(results)}
        for variant, results in runs.items()
    }
    rate = {v: m["rows"] / m["seconds"] for v, m in med.items()}
    cpu_rate = {v: m["rows"] / m["cpu"] for v, m in med.items()}

    def ratio(rates: dict, variant: str, base: str) -> str:
        return f"{rates[variant] / rates[base]:.2f}x" if base in rates else "-"

    lines = [
        "| variant | molecules | runs | seconds | molecules/s | vs bare (wall) "
        "| vs bare_smiles (wall) | CPU s (all processes) | CPU s (main process) "
        "| molecules per CPU s | vs bare (CPU) | vs bare_smiles (CPU) | vs 1 worker (wall) "
        "| peak RSS (MB) | load avg before |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for variant, m in med.items():
        one = "screen1_3d" if variant.endswith("_3d") else "screen1"
        vs_one = ratio(rate, variant, one) if variant.startswith(("screen", "dask")) else "-"
        lines.append(
            f"| {LABELS[variant]} | {m['rows']:,.0f} | {m['n']} | {m['seconds']:.1f} "
            f"| {_rate(rate[variant])} | {ratio(rate, variant, 'bare')} "
            f"| {ratio(rate, variant, 'bare_smiles')} | {m['cpu']:.1f} | {m['parent_cpu']:.1f} "
            f"| {_rate(cpu_rate[variant])} | {ratio(cpu_rate, variant, 'bare')} "
            f"| {ratio(cpu_rate, variant, 'bare_smiles')} | {vs_one} "
            f"| {m['rss_kb'] / 1024:,.0f} | {m['load']:.2f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
