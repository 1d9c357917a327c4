"""Interactive latency: whole-process CPU seconds of the everyday commands, against targets.

Usage (from the repository root; the children run this checkout's ``src``):

    python benchmarks/bench_interactive.py            # 3 interleaved rounds
    python benchmarks/bench_interactive.py --repeat 5

Each command runs as a fresh process (``python -m imidchem ...``); its CPU time (user +
system, from ``os.wait4``) counts everything: interpreter start, imports, work. CPU time
rather than wall time, because the machine is shared: other processes slow the wall clock
but do not add CPU seconds to ours. Rounds are interleaved (every command once per round)
so that a busy moment does not hit one command only. Prints the median per command, the
target and whether it is met.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

COMMANDS: list[tuple[str, list[str], float]] = [
    ("import imidchem", ["-c", "import imidchem"], 0.5),
    ("imidchem explain thalidomide --no-stats --no-pocket", ["-m", "imidchem", "explain",
                                                             "thalidomide", "--no-stats",
                                                             "--no-pocket"], 1.0),
    ("imidchem explain thalidomide --no-stats", ["-m", "imidchem", "explain", "thalidomide",
                                                 "--no-stats"], 1.5),
    ("imidchem explain apremilast (all statistics)", ["-m", "imidchem", "explain",
                                                      "apremilast"], 3.0),
    ("imidchem explain aspirin (unknown name: error)", ["-m", "imidchem", "explain",
                                                        "aspirin"], 1.0),
    ("imidchem report report.html", ["-m", "imidchem", "report", "{tmp}/report.html",
                                     "--force"], 10.0),
    ("imidchem report on 500 compounds (one process)", ["-m", "imidchem", "report",
                                                        "{tmp}/library.html", "--input",
                                                        "{tmp}/library500.csv", "--force"], 30.0),
    ("imidchem screen of the same 500 (baseline)", ["-m", "imidchem", "screen",
                                                    "{tmp}/library500.csv", "-o",
                                                    "{tmp}/hits.csv", "--force", "--quiet"], 30.0),
]  # fmt: skip
"""(label, arguments, target CPU seconds). The 500-compound report runs in one process, so
its CPU seconds are one core's; the screen of the same file is its baseline."""


def library_500(path: Path) -> Path:
    """500 compounds to report on: the example library shipped with imidchem and NCI
    background compounds (both package data), with two columns of the user's own."""
    import csv

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from imidchem.data.background import background_smiles
    from imidchem.data.examples import example_path

    with open(example_path("library.csv"), newline="", encoding="utf-8") as handle:
        example = [row["smiles"] for row in csv.DictReader(handle)]
    smiles = list(background_smiles()[: 500 - len(example)]) + example
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "smiles", "supplier", "note"])
        for i, text in enumerate(smiles):
            writer.writerow([f"compound-{i + 1}", text, f"ACME-{i:06d}", "typed by a chemist"])
    return path


def cpu_seconds(arguments: list[str], cwd: str) -> tuple[float, int]:
    """CPU seconds (user + system) of one child process and its exit status."""
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen(
        [sys.executable, *arguments],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime, process.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        library_500(Path(tmp) / "library500.csv")
        times: dict[str, list[float]] = {label: [] for label, _, _ in COMMANDS}
        for _ in range(args.repeat):
            for label, arguments, _ in COMMANDS:
                seconds, _status = cpu_seconds([a.format(tmp=tmp) for a in arguments], tmp)
                times[label].append(seconds)
    load = os.getloadavg()[0]
    print(f"whole-process CPU seconds, median of {args.repeat} interleaved rounds "
          f"(load average {load:.1f} on {os.cpu_count()} CPUs; Python {sys.version.split()[0]})")  # fmt: skip
    width = max(len(label) for label in times)
    print(f"{'command':<{width}}  median  target  met   all runs")
    missed = 0
    for label, _, target in COMMANDS:
        median = statistics.median(times[label])
        met = median <= target
        missed += not met
        runs = " ".join(f"{t:.2f}" for t in times[label])
        print(f"{label:<{width}}  {median:6.2f}  {target:6.1f}  {'yes' if met else 'NO':<4}  {runs}")
    report = statistics.median(times["imidchem report on 500 compounds (one process)"])
    screen = statistics.median(times["imidchem screen of the same 500 (baseline)"])
    print(f"report / screen of the same 500 compounds: {report / screen:.2f}x")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
