"""The ``imidchem`` command line.

``imidchem`` (or ``imidchem table``) prints the verdict table of the reference set;
``imidchem explain NAME_OR_SMILES`` prints one evidence record; ``imidchem report FILE``
writes an HTML or Markdown report. User mistakes print one line and exit non-zero.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

from . import __version__
from .errors import ImidchemError

EXIT_USER_ERROR = 2


def _print_table(args: argparse.Namespace) -> int:
    from .evidence.verdict import verdict_table

    table = verdict_table()
    shown = table[
        [
            "name",
            "class",
            "sim_thalidomide",
            "has_isoindoline",
            "has_glutarimide",
            "crbn_pharmacophore",
            "verdict",
        ]
    ].rename(
        columns={
            "sim_thalidomide": "tanimoto",
            "has_isoindoline": "isoindoline",
            "has_glutarimide": "glutarimide",
            "crbn_pharmacophore": "crbn_motif",
        }
    )
    if args.format == "csv":
        table.to_csv(sys.stdout, index=False)
        return 0
    with pd.option_context(
        "display.width", 200, "display.max_rows", None, "display.float_format", "{:.3f}".format
    ):
        print(shown.to_string(index=False))
    return 0


def _prepare_background(kinds: Sequence[str]) -> None:
    """Fingerprint the NCI background for each kind (cached), with a progress line on a terminal."""
    from .chem.fingerprints import fingerprint_name
    from .data.background import background_fingerprints
    from .engine.progress import Progress

    kinds = [fingerprint_name(kind) for kind in kinds]
    progress = Progress(every=0, unit="NCI background fingerprint sets")
    for done, kind in enumerate(kinds, start=1):
        background_fingerprints(kind)
        progress.update(done, done / len(kinds))
    progress.close()


def _explain(args: argparse.Namespace) -> int:
    from .evidence.verdict import explain

    kinds = args.fingerprints.split(",")
    if args.stats:
        _prepare_background(kinds)
    print(explain(args.compound, mcs_timeout=args.mcs_timeout))
    if args.stats:
        from .analysis.stats import statistics_block

        print()
        print(statistics_block(args.compound, fingerprints=kinds))
    return 0


def _report(args: argparse.Namespace) -> int:
    from .view.report import write_report

    path = write_report(args.output, focus=args.focus)
    print(f"report written to {path}")
    return 0


def _patterns(args: argparse.Namespace) -> int:
    from .chem.patterns import pattern_table

    for row in pattern_table().itertuples(index=False):
        print(
            f"{row.name}\n  SMARTS:  {row.smarts}\n  meaning: {row.meaning}\n  why:     {row.reason}\n"
        )
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .analysis.validate import read_labelled, validate

    result = validate(read_labelled(args.file), args.smiles_col, args.label_col, args.positive)
    print(result.report(id_col=args.id_col, max_list=args.max_list))
    if args.predictions:
        result.predictions.to_csv(args.predictions, index=False)
        print(f"\nper-row predictions written to {args.predictions}")
    return 0


def _screen(args: argparse.Namespace) -> int:
    from .engine.screen import run_screen

    try:
        summary, _ = run_screen(
            args.input,
            args.output,
            smiles_col=args.smiles_col,
            id_col=args.id_col,
            references=args.references,
            workers=args.workers,
            scheduler=args.scheduler,
            chunk_size=args.chunk_size,
            resume=args.resume,
            quiet=args.quiet,
        )
    except KeyboardInterrupt:
        print("imidchem: interrupted; run again with --resume to continue", file=sys.stderr)
        return 130
    if not args.quiet:
        print(
            f"screened {summary.rows:,} records ({summary.errors:,} errors, "
            f"{summary.hits:,} cereblon binders, levels 1-2) -> {summary.output}"
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with all subcommands."""
    parser = argparse.ArgumentParser(
        prog="imidchem",
        description="IMiD-likeness and cereblon-binding motif checks. "
        "Without a command, prints the verdict table of the reference set.",
    )
    parser.add_argument("--version", action="version", version=f"imidchem {__version__}")
    parser.set_defaults(handler=_print_table, format="text")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    table = commands.add_parser("table", help="verdict table of the reference set")
    table.add_argument("--format", choices=["text", "csv"], default="text")
    table.set_defaults(handler=_print_table)

    explain = commands.add_parser("explain", help="evidence record of one compound")
    explain.add_argument("compound", help="reference name (e.g. apremilast) or a SMILES string")
    explain.add_argument("--mcs-timeout", type=int, default=2, help="MCS time limit in seconds")
    explain.add_argument(
        "--no-stats",
        dest="stats",
        action="store_false",
        help="skip the statistics block (similarity vs the IMiD class and the NCI background)",
    )
    explain.add_argument(
        "--fingerprints",
        default="morgan,fcfp4,atompair,torsion,maccs,rdkit",
        help="comma-separated fingerprints for the statistics block",
    )
    explain.set_defaults(handler=_explain)

    report = commands.add_parser("report", help="write an HTML or Markdown report")
    report.add_argument("output", help="output file, .html or .md")
    report.add_argument("--focus", default="apremilast", help="compound whose evidence is shown")
    report.set_defaults(handler=_report)

    patterns = commands.add_parser("patterns", help="list the substructure pattern catalogue")
    patterns.set_defaults(handler=_patterns)

    screen = commands.add_parser(
        "screen", help="screen a compound library (.smi .csv .tsv .sdf .parquet, .gz)"
    )
    screen.add_argument("input", help="library file: .smi/.smiles, .csv, .tsv, .sdf, .parquet")
    screen.add_argument(
        "-o", "--output", required=True, help="result file: .csv, .csv.gz, .parquet"
    )
    screen.add_argument(
        "--smiles-col", metavar="NAME", help="SMILES column of a table (default: smiles)"
    )
    screen.add_argument(
        "--id-col", metavar="NAME", help="id column (SDF: data field; default: id/name/title)"
    )
    screen.add_argument(
        "--references", metavar="NAMES", help="comma-separated reference names (default: all)"
    )
    screen.add_argument(
        "--workers", metavar="N", type=int, default=1, help="local worker processes (default 1)"
    )
    screen.add_argument(
        "--scheduler", metavar="ADDRESS", help="Dask scheduler address, e.g. tcp://host:8786"
    )
    screen.add_argument(
        "--chunk-size", metavar="N", type=int, default=2000, help="records per chunk (default 2000)"
    )
    screen.add_argument("--resume", action="store_true", help="continue an interrupted run")
    screen.add_argument("--quiet", action="store_true", help="no progress line")
    screen.set_defaults(handler=_screen)

    check = commands.add_parser(
        "validate",
        help="recall, precision and false-positive rate of the cereblon call on a labelled file",
    )
    check.add_argument("file", help="CSV or TSV (optionally .gz) or Parquet file")
    check.add_argument("--smiles-col", default="smiles", help="SMILES column (default: smiles)")
    check.add_argument("--label-col", required=True, help="column holding the true label")
    check.add_argument(
        "--positive",
        required=True,
        action="append",
        help="label value meaning 'binds/recruits cereblon' (repeat for several)",
    )
    check.add_argument("--id-col", help="column used to name misclassified rows")
    check.add_argument(
        "--max-list", type=int, default=50, help="most misclassified rows to list (default 50)"
    )
    check.add_argument("--predictions", help="also write the per-row predictions to this CSV")
    check.set_defaults(handler=_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except ImidchemError as error:
        print(f"imidchem: error: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    except OSError as error:
        print(
            f"imidchem: error: {error.strerror or error}: {error.filename or ''}".rstrip(": "),
            file=sys.stderr,
        )
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("imidchem: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
