"""Check on a whole input file that the screen's fast path writes the same bytes as the full path.

The fast path (``screen_chunk(..., fast=True)``, the default) skips standardisation steps
and substructure searches that cannot change a plain SMILES; the full path standardises
every molecule and runs every search. ``tests/test_evidence_rows.py`` compares them on a few
thousand molecules; this tool compares them on a whole file, chunk by chunk, in worker
processes, and prints every row that differs (none, when the fast path is right).

Usage (from the repository root; on a shared machine under the heavy-job lock)::

    flock /work/heavy.lock env PYTHONPATH=src python tools/screen_parity.py \\
        ../shared/bench/moses_train.csv.gz --workers 2

Exit status 0 when every chunk is identical, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from pathlib import Path

from imidchem.engine.readers import RecordReader
from imidchem.engine.screen import screen_chunk


def compare(kind: str, records: list) -> tuple[int, list[tuple[bytes, bytes]]]:
    """``(rows, differing lines as (fast, full))`` for one chunk."""
    fast = screen_chunk(kind, records, "csv")
    full = screen_chunk(kind, records, "csv", fast=False)
    if fast == full:
        return len(records), []
    fast_lines, full_lines = fast[0].splitlines(), full[0].splitlines()
    different = [(a, b) for a, b in zip(fast_lines, full_lines, strict=False) if a != b]
    if len(fast_lines) != len(full_lines) or fast[1:] != full[1:]:
        different.append((repr(fast[1:]).encode(), repr(full[1:]).encode()))
    return len(records), different


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", type=Path, help="a SMILES file the screen reads (.csv, .smi, .gz)")
    parser.add_argument("--smiles-col", help="the SMILES column of a table (default: smiles)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-size", type=int, default=2000)
    parser.add_argument("--limit", type=int, default=0, help="first N records (0: all)")
    args = parser.parse_args(argv)
    reader = RecordReader(args.input, smiles_col=args.smiles_col)
    records = iter(reader) if args.limit <= 0 else islice(reader, args.limit)
    start = time.perf_counter()
    rows = mismatches = 0
    with ProcessPoolExecutor(args.workers) as pool:
        pending: deque = deque()

        def collect() -> None:
            nonlocal rows, mismatches
            done, different = pending.popleft().result()
            rows += done
            mismatches += len(different)
            for fast, full in different:
                print(f"fast: {fast.decode()}\nfull: {full.decode()}", flush=True)

        while chunk := list(islice(records, args.chunk_size)):
            pending.append(pool.submit(compare, reader.kind, chunk))
            if len(pending) >= 3 * args.workers:
                collect()
        while pending:
            collect()
    seconds = time.perf_counter() - start
    verdict = "identical" if mismatches == 0 else f"{mismatches} differing lines"
    print(f"{rows:,} records of {args.input}: fast and full path {verdict} ({seconds:.0f} s)")
    return 0 if mismatches == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
