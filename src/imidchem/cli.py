"""The ``imidchem`` command line.

``imidchem`` (or ``imidchem table``) prints the verdict table of the reference set;
``imidchem explain NAME_OR_SMILES`` prints one evidence record; ``imidchem report FILE``
writes an HTML or Markdown report. User mistakes print one line and exit non-zero.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import ImidchemError

EXIT_USER_ERROR = 2
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Stopped(KeyboardInterrupt):
    """SIGINT, SIGTERM or SIGHUP arrived: unwind like Ctrl-C (workers end, the journal stays)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def what(self) -> str:
        return "interrupted" if self.signum == signal.SIGINT else f"stopped by {self.name}"

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


def _on_stop_signal(signum: int, frame) -> None:
    # One shot: the clean-up that follows (ending workers, closing the journal) runs
    # undisturbed by a second Ctrl-C or a repeated SIGTERM.
    for other in STOP_SIGNALS:
        signal.signal(other, signal.SIG_IGN)
    raise Stopped(signum)


def _say(text: str) -> None:
    """One line on standard error, even when it has gone away (SIGHUP, a closed pipe)."""
    try:
        print(text, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def _print_table(args: argparse.Namespace) -> int:
    import pandas as pd

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
            overwrite=args.force,
            max_chars=args.max_chars,
            max_fragments=args.max_fragments,
            max_atoms=args.max_atoms,
            max_seconds=args.max_seconds,
            escape_formulas=args.escape_formulas,
        )
    except KeyboardInterrupt as stop:
        signum = stop.signum if isinstance(stop, Stopped) else signal.SIGINT
        what = stop.what if isinstance(stop, Stopped) else "interrupted"
        output = Path(args.output)
        journal = output.with_name(output.name + ".journal")
        if journal.exists():
            _say(
                f"imidchem: {what}; run the same command with --resume to continue "
                f"({output.name}.part and {journal.name} are kept)"
            )
        else:
            _say(f"imidchem: {what}; nothing was written")
        return 128 + signum
    except OSError as error:  # a full disk, a vanished folder: the journal stays resumable
        output = Path(args.output)
        journal = output.with_name(output.name + ".journal")
        hint = ""
        if journal.exists():
            hint = f"; {output.name}.part and {journal.name} are kept: run the same command "
            hint += "with --resume once the problem is fixed"
        _say(f"imidchem: error: {error.strerror or error}{hint}")
        return EXIT_USER_ERROR
    if not args.quiet:
        print(
            f"screened {summary.rows:,} records ({summary.errors:,} errors, "
            f"{summary.hits:,} cereblon-binding IMiD-like) -> {summary.output}"
        )
    if summary.input_error:
        _say(f"imidchem: error: {summary.input_error} (the last row of the output says so)")
        return EXIT_USER_ERROR
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with all subcommands."""
    from .engine.budget import DEFAULT_LIMITS
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
    screen.add_argument(
        "--force", action="store_true", help="replace an existing output (refused without it)"
    )
    screen.add_argument("--quiet", action="store_true", help="no progress line")
    limits = screen.add_argument_group(
        "per-record limits", "a record over a limit becomes an error row and the run goes on"
    )
    limits.add_argument(
        "--max-chars",
        metavar="N",
        type=int,
        help=f"characters of a SMILES (default {DEFAULT_LIMITS.max_chars:,})",
    )
    limits.add_argument(
        "--max-fragments",
        metavar="N",
        type=int,
        help=f"dot-separated parts of a SMILES (default {DEFAULT_LIMITS.max_fragments:,})",
    )
    limits.add_argument(
        "--max-atoms",
        metavar="N",
        type=int,
        help=f"atoms of a record (default {DEFAULT_LIMITS.max_atoms:,})",
    )
    limits.add_argument(
        "--max-seconds",
        metavar="S",
        type=float,
        help=f"wall time of one record (default {DEFAULT_LIMITS.max_seconds:g})",
    )
    screen.add_argument(
        "--escape-formulas",
        action="store_true",
        help="CSV output: prefix cells starting with = + - @ with ' (spreadsheet safety)",
    )
    screen.set_defaults(handler=_screen)

    check = commands.add_parser(
        "validate",
        help="recall, precision and false-positive rate of the cereblon call on a labelled file",
    )
    check.add_argument("file", help="CSV or TSV (optionally .gz) or Parquet file")
    check.add_argument("--smiles-col", help="SMILES column (default: smiles, in any case)")
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
    """Run the command line; returns the exit status.

    SIGINT, SIGTERM and SIGHUP unwind the run like Ctrl-C: one line on standard error,
    exit status 128 + the signal number.
    """
    previous = {}
    if threading.current_thread() is threading.main_thread():
        previous = {signum: signal.signal(signum, _on_stop_signal) for signum in STOP_SIGNALS}
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        return args.handler(args)
    except ImidchemError as error:
        _say(f"imidchem: error: {error}")
        return EXIT_USER_ERROR
    except OSError as error:
        _say(f"imidchem: error: {error.strerror or error}: {error.filename or ''}".rstrip(": "))
        return EXIT_USER_ERROR
    except KeyboardInterrupt as stop:
        _say(f"imidchem: {stop.what if isinstance(stop, Stopped) else 'interrupted'}")
        return 128 + (stop.signum if isinstance(stop, Stopped) else signal.SIGINT)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
