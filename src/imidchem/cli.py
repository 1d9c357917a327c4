"""The ``imidchem`` command line: arguments in, library calls, text out.

``imidchem`` (or ``imidchem table``) prints the verdict table of the reference set;
``imidchem explain NAME_OR_SMILES`` prints one evidence record; ``imidchem report FILE``
writes an HTML or Markdown report; ``screen`` and ``validate`` work on files. Defaults
come from :mod:`imidchem.defaults`, words from :mod:`imidchem.view.text`. User mistakes
print one line and exit 2; a closed pipe (``imidchem table | head -1``) ends quietly.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__, defaults
from .engine.signals import STOP_SIGNALS
from .errors import ImidchemError

EXIT_USER_ERROR = 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a reader that went away


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


_STOPPED: list[int] = []
"""The stop signal that arrived, if one did (a library may turn the exception into another)."""


def _on_stop_signal(signum: int, frame) -> None:
    # One shot: the clean-up that follows (ending workers, closing the journal) runs
    # undisturbed by a second Ctrl-C or a repeated SIGTERM.
    for other in STOP_SIGNALS:
        signal.signal(other, signal.SIG_IGN)
    _STOPPED.append(signum)
    raise Stopped(signum)


def _say(text: str) -> None:
    """One line on standard error, even when it has gone away (SIGHUP, a closed pipe)."""
    try:
        print(text, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def _print_table(args: argparse.Namespace) -> int:

    from .engine.assess import verdict_table

    table = verdict_table()
    if args.format == "csv":
        table.to_csv(sys.stdout, index=False)
        return 0
    from .view.text import verdict_table_text

    print(verdict_table_text(table))
    return 0


def _fingerprint_list(text: str) -> list[str]:
    from .chem.fingerprints import fingerprint_name

    return [fingerprint_name(kind.strip()) for kind in text.split(",") if kind.strip()]


def _explain(args: argparse.Namespace) -> int:
    from .data.reference import resolve

    kinds = _fingerprint_list(args.fingerprints) if args.stats else []
    resolve(args.compound)  # a mistake in the input is reported before any heavy work
    from .evidence.verdict import explain

    # the same record, and so the same sections, as imidchem.explain(...) in Python
    record = explain(args.compound, mcs_timeout=args.mcs_timeout, pocket=args.pocket,
                     stats=args.stats, structure=args.structure,
                     fingerprints=kinds or defaults.STATISTICS_FINGERPRINTS)  # fmt: skip
    if args.format == "json":
        from .view.json_keys import old_keys_warning, with_old_keys

        payload = with_old_keys(record.to_dict(), "evidence")
        payload["neosubstrates"] = record.neosubstrates.to_dict()
        if args.stats:
            from .analysis.stats import similarity_statistics

            statistics = similarity_statistics(record.smiles_std, fingerprints=kinds)
            payload["statistics"] = json.loads(statistics.to_json(orient="records"))
        if record.pocket is not None:
            payload["pocket"] = with_old_keys(record.pocket.as_dict(), "pocket")
            # one crbn_score per record: the refined one, as assess/screen write it with --3d
            payload["crbn_score"] = payload["pocket"]["crbn_score"] = record.crbn_score_with_pocket[0]
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        if warning := old_keys_warning(payload):
            _say(warning)
        return 0
    print(record)
    return 0


def _report(args: argparse.Namespace) -> int:
    from .view.report import write_report

    focus = args.focus
    if focus is None and args.input is None:
        focus = defaults.FOCUS
    path = write_report(
        args.output,
        focus=focus,
        input=args.input,
        smiles_col=args.smiles_col,
        name_col=args.name_col,
        three_d=args.three_d or args.three_d_all,
        structure=args.structure,
        seed=args.seed,
        force=args.force,
        quiet=args.quiet,
        fit_all=args.three_d_all,
    )
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
    from .errors import InvalidArgumentError

    if args.example:
        if args.file is not None:
            raise InvalidArgumentError("give either a FILE or --example, not both")
        from .data.examples import example_path

        args.file = str(example_path("labelled.csv"))
        args.label_col = args.label_col or "e3_ligase"
        args.positive = args.positive or ["CRBN"]
        args.id_col = args.id_col or "name"
    if args.file is None:
        raise InvalidArgumentError("give a labelled FILE, or --example for the shipped one")
    if args.label_col is None or not args.positive:
        raise InvalidArgumentError("--label-col and --positive are needed with a FILE")
    from .analysis.validate import validate
    from .engine.readers import read_table

    result = validate(read_table(args.file, args.smiles_col), args.smiles_col, args.label_col,
                      args.positive, three_d=args.three_d or args.three_d_all,
                      structure=args.structure, fit_all=args.three_d_all)  # fmt: skip
    print(result.report(id_col=args.id_col, max_list=args.max_list))
    if args.predictions:
        result.predictions.to_csv(args.predictions, index=False)
        print(f"\nper-row predictions written to {args.predictions}")
    return 0


def _screen(args: argparse.Namespace) -> int:
    from .engine.options import ScreenOptions
    from .engine.screen import SchedulerLostError, run_screen
    from .errors import InvalidArgumentError
    from .view.text import screen_summary_text

    if args.output is None:
        raise InvalidArgumentError(
            "no output: give -o FILE (.csv, .csv.gz, .parquet), or -o - for CSV on standard output"
        )
    to_stdout = args.output == "-"
    started = time.perf_counter()
    options = ScreenOptions.from_args(args)
    try:
        with _distributed_quiet():
            summary, _ = run_screen(args.input, args.output, options)
    except SchedulerLostError as error:
        _say(f"imidchem: error: {error}; the rows so far are kept, {_resume_command()}")
        return EXIT_USER_ERROR
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
        elif to_stdout:
            _say(f"imidchem: {what}; the CSV on standard output is incomplete")
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
    if summary.already_complete:
        _say(f"imidchem: nothing to resume: {args.output} is complete")
        return 0
    if not args.quiet:
        text = screen_summary_text(summary)
        if options.three_d:
            seconds = time.perf_counter() - started
            text += (
                f"; 3-D pocket ({options.structure}) at {summary.rows / max(seconds, 1e-9):.2f} mol/s "
                f"with {args.workers} worker{'s' if args.workers != 1 else ''}"
            )
        print(text, file=sys.stderr if to_stdout else sys.stdout)
    if summary.input_error:
        _say(f"imidchem: error: {summary.input_error} (the last row of the output says so)")
        return EXIT_USER_ERROR
    return 0


def _resume_command() -> str:
    """What to run to continue a screen whose scheduler went away."""
    import shlex

    words = ["imidchem", *sys.argv[1:]] if sys.argv[1:2] == ["screen"] else ["imidchem", "screen"]
    if "--resume" not in words:
        words.append("--resume")
    return f"to continue, start a scheduler and run: {shlex.join(words)}"


@contextlib.contextmanager
def _distributed_quiet():
    """Logging off while a screen runs: Dask's client logs a lost scheduler as tracebacks
    (the command says it in one line of its own); switched back on after."""
    import logging

    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        yield
    finally:
        logging.disable(previous)


def _neosubstrates(args: argparse.Namespace) -> int:
    from .evidence.profile import check_excluded, neosubstrates

    exclude = check_excluded(args.exclude or ())  # a wrong name is refused before any work
    profile = neosubstrates(args.compound, exclude=exclude, degrons=args.degron)
    if args.format == "json":
        print(json.dumps(profile.to_dict(), indent=2))
    else:
        print(profile)
    return 0


def _pocket(args: argparse.Namespace) -> int:
    from .chem.pocket.io import check_output, write_complex, write_pose
    from .evidence.pocket import pocket_fit
    from .view.pocket import fit_json, format_fit

    if args.degron and str(args.structure).strip().lower() != "5fqd":
        from .errors import InvalidArgumentError

        raise InvalidArgumentError(
            f"--degron fits use the 5fqd pocket (every degron is superposed on it); "
            f"got --structure {args.structure}"
        )
    # output paths checked before the work (a missing folder, a wrong extension)
    if args.pose:
        check_output(args.pose)
    if args.complex:
        check_output(args.complex, formats=("pdb",))
    fit = pocket_fit(args.compound, structure=args.structure, seed=args.seed, degron=args.degron)
    if fit.pocket_status != "ok":
        _say(f"imidchem: error: no pose for {fit.query}: {fit.pocket_reason}")
        return 1
    if args.format == "json":
        from .view.json_keys import old_keys_warning

        text = fit_json(fit)
        print(text)
        if warning := old_keys_warning(json.loads(text)):
            _say(warning)
    else:
        print(format_fit(fit))
    frame = f"frame of PDB {fit.structure.upper()}"
    if args.pose:
        write_pose(fit, args.pose)
        if args.format == "text":
            print(f"pose written to {args.pose} ({frame})")
    if args.complex:
        write_complex(fit, args.complex)
        if args.format == "text":
            print(f"pocket and pose written to {args.complex} ({frame})")
    return 0


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the examples' line breaks."""


def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def _command(
    commands, name: str, help_text: str, *examples: str
) -> argparse.ArgumentParser:
    """A subcommand's parser, with its help line, description and examples."""
    return commands.add_parser(
        name,
        help=help_text,
        description=help_text[0].upper() + help_text[1:] + ".",
        formatter_class=_Formatter,
        epilog=_examples(*examples),
    )


def _structure_argument(parser: argparse.ArgumentParser, what: str = "") -> None:
    """``--structure ID``: a cereblon crystal structure of :mod:`imidchem.chem.pocket`."""
    from .chem.pocket.structures import STRUCTURE_IDS

    others = ", ".join(name for name in STRUCTURE_IDS[::-1] if name != defaults.STRUCTURE)
    parser.add_argument(
        "--structure",
        default=defaults.STRUCTURE,
        metavar="ID",
        help=f"PDB entry{what}: {defaults.STRUCTURE} (default), {others}",
    )


def table_parser(commands) -> argparse.ArgumentParser:
    """``imidchem table``: the verdict table of the reference set."""
    table = _command(
        commands,
        "table",
        "verdict table of the reference set",
        "imidchem table",
        "imidchem table --format csv > verdicts.csv",
        "imidchem table | head -5",
    )
    table.add_argument("--format", choices=["text", "csv"], default="text")
    table.set_defaults(handler=_print_table)
    return table


def explain_parser(commands) -> argparse.ArgumentParser:
    """``imidchem explain COMPOUND``: the evidence record of one compound."""
    explain = _command(
        commands,
        "explain",
        "evidence record of one compound",
        "imidchem explain apremilast",
        "imidchem explain 'lenalidomide hydrochloride' --no-stats",
        "imidchem explain UEJJHQNACJXSKW-UHFFFAOYSA-N --no-stats   # an InChIKey of the set",
        "imidchem explain 'CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O' --format json",
    )
    explain.add_argument(
        "compound",
        help="reference name or synonym (salt words allowed), SMILES, InChI, or the "
        "InChIKey of a reference compound",
    )
    explain.add_argument(
        "--mcs-timeout",
        type=int,
        default=defaults.MCS_TIMEOUT,
        help=f"MCS time limit in seconds (default {defaults.MCS_TIMEOUT})",
    )
    explain.add_argument(
        "--no-stats",
        dest="stats",
        action="store_false",
        help="skip the statistics block (similarity vs the IMiD class and the NCI background)",
    )
    explain.add_argument(
        "--fingerprints",
        default=",".join(defaults.STATISTICS_FINGERPRINTS),
        help="comma-separated fingerprints for the statistics block (default: %(default)s)",
    )
    explain.add_argument(
        "--no-pocket",
        dest="pocket",
        action="store_false",
        help="skip the 3-D pocket lines (pose in a cereblon crystal structure, about a second)",
    )
    _structure_argument(explain, " for the pocket lines")
    explain.add_argument("--format", choices=["text", "json"], default="text")
    explain.set_defaults(handler=_explain)
    return explain


def report_parser(commands) -> argparse.ArgumentParser:
    """``imidchem report OUTPUT``: an HTML or Markdown report, on the reference set or on
    the compounds of ``--input``."""
    report = _command(
        commands,
        "report",
        "write an HTML or Markdown report (the reference set, or your compounds with --input)",
        "imidchem report report.html",
        "imidchem report report.md --focus iberdomide",
        "imidchem report mine.html --input library.csv --name-col name",
        "imidchem report mine.html --input library.sdf --3d --focus 'compound 7' --force",
    )
    report.add_argument("output", help="output file, .html or .md (Markdown: pictures in OUTPUT_files/)")
    report.add_argument(
        "--input",
        metavar="FILE",
        help="report on these compounds (any file screen reads: .smi .csv .tsv .sdf .parquet, .gz)",
    )
    report.add_argument("--smiles-col", metavar="NAME", help="SMILES column of --input (default: smiles)")
    report.add_argument(
        "--name-col", metavar="NAME", help="column naming the compounds of --input (default: id/name/title)"
    )
    report.add_argument(
        "--focus",
        default=None,
        help=f"compound whose evidence, statistics and figures are shown: a name in --input, a "
        f"reference name or a SMILES (default {defaults.FOCUS} without --input, none with it)",
    )
    report.add_argument(
        "--3d",
        dest="three_d",
        action="store_true",
        help="add the pocket columns and the interaction diagrams of the hits (about a second "
        "a molecule that can anchor, the others 'skipped')",
    )
    report.add_argument(
        "--3d-all",
        dest="three_d_all",
        action="store_true",
        help="--3d for every molecule (by default only those the pose can anchor, an N-H "
        "cyclic imide or N-H ring lactam, are fitted)",
    )
    _structure_argument(report, " for --3d and the focus compound's pocket")
    report.add_argument("--seed", type=int, default=42, help="random seed of the poses (default 42)")
    report.add_argument("--force", action="store_true", help="replace an existing report (kept without it)")
    report.add_argument("--quiet", action="store_true", help="no progress line")
    report.set_defaults(handler=_report)
    return report


def patterns_parser(commands) -> argparse.ArgumentParser:
    """``imidchem patterns``: the substructure pattern catalogue."""
    patterns = _command(
        commands, "patterns", "list the substructure pattern catalogue", "imidchem patterns | less"
    )
    patterns.set_defaults(handler=_patterns)
    return patterns


def screen_parser(commands) -> argparse.ArgumentParser:
    """``imidchem screen INPUT -o OUTPUT``: a library screen (its options:
    :class:`imidchem.engine.options.ScreenOptions`)."""
    screen = _command(
        commands,
        "screen",
        "screen a compound library (.smi .csv .tsv .sdf .parquet, each optionally .gz)",
        "imidchem screen library.smi -o hits.csv",
        "imidchem screen library.sdf.gz -o hits.parquet --workers 2",
        "imidchem screen library.csv --smiles-col Structure --id-col ID -o - | head",
        "imidchem screen big.smi -o hits.csv --resume        # after an interruption",
    )
    screen.add_argument("input", help="library file: .smi/.smiles, .csv, .tsv, .sdf, .parquet")
    screen.add_argument(
        "-o",
        "--output",
        help="result file: .csv, .csv.gz, .parquet, or - for CSV on standard output (needed)",
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
    _screen_column_arguments(screen)
    _screen_run_arguments(screen)
    _screen_limit_arguments(screen)
    screen.add_argument(
        "--escape-formulas",
        action="store_true",
        help="CSV output: prefix cells starting with = + - @ with ' (spreadsheet safety)",
    )
    screen.add_argument(
        "--3d",
        dest="three_d",
        action="store_true",
        help="add the 3-D pocket columns (pocket_score, imide_rmsd, pocket_fit, ...; about a "
        "second a molecule that can anchor, the others 'skipped': use --workers)",
    )
    screen.add_argument(
        "--3d-all",
        dest="three_d_all",
        action="store_true",
        help="--3d for every molecule (by default only those the pose can anchor, an N-H "
        "cyclic imide or N-H ring lactam, are fitted; the others are 'skipped')",
    )
    _structure_argument(screen, " for --3d")
    screen.add_argument(
        "--neo",
        action="store_true",
        help="add the neosubstrate columns (neo_IKZF1, neo_GSPT1, ..., neo_reason): "
        "read-across calls, expected by precedent is not degraded",
    )
    screen.set_defaults(handler=_screen)
    return screen


def _screen_column_arguments(screen: argparse.ArgumentParser) -> None:
    """Which columns a screen writes."""
    screen.add_argument(
        "--columns",
        metavar="LIST",
        help="comma-separated schema columns to write (id and status always; default: all); "
        "the work for the others is skipped, e.g. sim_thalidomide,crbn_level,verdict",
    )
    screen.add_argument(
        "--drop-input",
        action="store_true",
        help="write only imidchem's columns (by default the input's other columns follow; "
        "one named like a schema column gets the prefix input_)",
    )


def _screen_run_arguments(screen: argparse.ArgumentParser) -> None:
    """Where and how a screen runs: workers, Dask, chunks, resume."""
    screen.add_argument(
        "--workers",
        metavar="N",
        type=int,
        default=defaults.WORKERS,
        help=f"local worker processes (default {defaults.WORKERS})",
    )
    screen.add_argument(
        "--scheduler", metavar="ADDRESS", help="Dask scheduler address, e.g. tcp://host:8786"
    )
    screen.add_argument(
        "--chunk-size",
        metavar="N",
        type=int,
        help=f"records per chunk (default {defaults.CHUNK_SIZE}, {defaults.CHUNK_SIZE_3D} with "
        "--3d: a few seconds of work each)",
    )
    screen.add_argument("--resume", action="store_true", help="continue an interrupted run")
    screen.add_argument(
        "--force", action="store_true", help="replace an existing output (refused without it)"
    )
    screen.add_argument("--quiet", action="store_true", help="no progress line")


def _screen_limit_arguments(screen: argparse.ArgumentParser) -> None:
    """The per-record limits (:mod:`imidchem.engine.budget`)."""
    limits = screen.add_argument_group(
        "per-record limits", "a record over a limit becomes an error row and the run goes on"
    )
    limits.add_argument(
        "--max-chars",
        metavar="N",
        type=int,
        help=f"characters of a SMILES (default {defaults.MAX_CHARS:,})",
    )
    limits.add_argument(
        "--max-fragments",
        metavar="N",
        type=int,
        help=f"dot-separated parts of a SMILES (default {defaults.MAX_FRAGMENTS:,})",
    )
    limits.add_argument(
        "--max-atoms",
        metavar="N",
        type=int,
        help=f"atoms of a record (default {defaults.MAX_ATOMS:,})",
    )
    limits.add_argument(
        "--max-seconds",
        metavar="S",
        type=float,
        help=f"wall time of one record (default {defaults.MAX_SECONDS:g})",
    )


def pocket_parser(commands) -> argparse.ArgumentParser:
    """``imidchem pocket COMPOUND``: a pose in cereblon's thalidomide pocket."""
    pocket = _command(
        commands,
        "pocket",
        "place a compound in cereblon's thalidomide pocket (3-D evidence from PDB entries)",
        "imidchem pocket lenalidomide                       # human cereblon, PDB 5FQD",
        "imidchem pocket thalidomide --structure 5yiz --pose thal.sdf",
        "imidchem pocket 'O=C1CCC(c2ccccc2)C(=O)N1' --format json",
        "imidchem pocket '*Nc1cccc2c1C(=O)N(C1CCC(=O)NC1=O)C2=O' --complex pom_5fqd.pdb",
    )
    pocket.add_argument("compound", help="reference name (e.g. lenalidomide) or a SMILES string")
    _structure_argument(pocket)
    pocket.add_argument(
        "--pose",
        metavar="OUT.sdf|OUT.pdb",
        help="write the pose (PDB frame): SDF for .sdf/.sd, PDB for .pdb (the name decides)",
    )
    pocket.add_argument(
        "--complex",
        metavar="OUT.pdb",
        help="write the pocket (cereblon atoms within 12 A) with the pose as one PDB file",
    )
    pocket.add_argument("--format", choices=["text", "json"], default="text")
    pocket.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    pocket.add_argument(
        "--degron",
        action="store_true",
        help="also fit with each neosubstrate degron present (CK1alpha 5fqd, SALL4 6uml, "
        "IKZF1 6h0f, ZNF692 6h0g, IKZF2 7lps; 5fqd frame): clashes, contacts, deciding "
        "residues. A compatible degron is not a degraded protein",
    )
    pocket.set_defaults(handler=_pocket)
    return pocket


def neosubstrates_parser(commands) -> argparse.ArgumentParser:
    """``imidchem neosubstrates COMPOUND``: which neosubstrates cereblon is expected to recruit."""
    neo = _command(
        commands,
        "neosubstrates",
        "neosubstrate profile: which proteins cereblon is expected to recruit with a compound "
        "(read-across from published outcomes on the exposed face)",
        "imidchem neosubstrates lenalidomide",
        "imidchem neosubstrates CC-885 --exclude CC-885          # predicted as if new",
        "imidchem neosubstrates 'O=C1CCC(N2C(=O)c3ccc(O)cc3C2=O)C(=O)N1' --format json",
    )
    neo.add_argument(
        "compound",
        help="reference name or synonym, SMILES (a degrader handle may carry '*'), InChI",
    )
    neo.add_argument(
        "--exclude",
        action="append",
        metavar="NAME",
        help="leave this compound out of the precedents and the outcome table (repeatable)",
    )
    neo.add_argument(
        "--degron",
        action="store_true",
        help="add the 3-D degron evidence: fits in the 5fqd pocket with each shipped degron "
        "present (a second or two); a compatible degron is not a degraded protein",
    )
    neo.add_argument("--format", choices=["text", "json"], default="text")
    neo.set_defaults(handler=_neosubstrates)
    return neo


def validate_parser(commands) -> argparse.ArgumentParser:
    """``imidchem validate FILE``: the cereblon call against a labelled file."""
    check = _command(
        commands,
        "validate",
        "recall, precision and false-positive rate of the cereblon call on a labelled file",
        "imidchem validate --example                 # the small labelled set shipped with imidchem",
        "imidchem validate labelled.csv --label-col e3_ligase --positive CRBN",
        "imidchem validate set.sdf.gz --label-col activity --positive active --id-col id",
    )
    check.add_argument(
        "file",
        nargs="?",
        help="labelled file in any format screen reads (.csv .tsv .smi .sdf .parquet, .gz)",
    )
    check.add_argument(
        "--example",
        action="store_true",
        help="use the labelled example shipped with imidchem (label e3_ligase, positive CRBN)",
    )
    check.add_argument("--smiles-col", help="SMILES column (default: smiles, in any case)")
    check.add_argument("--label-col", help="column holding the true label")
    check.add_argument(
        "--positive",
        action="append",
        help="label value meaning 'binds/recruits cereblon' (repeat for several)",
    )
    check.add_argument("--id-col", help="column used to name misclassified rows")
    check.add_argument(
        "--max-list",
        type=int,
        default=defaults.MAX_LIST,
        help=f"most misclassified rows to list (default {defaults.MAX_LIST})",
    )
    check.add_argument("--predictions", help="also write the per-row predictions to this CSV")
    check.add_argument(
        "--3d",
        dest="three_d",
        action="store_true",
        help="fit each molecule the pose can anchor in the pocket too (the others "
        "'skipped'): crbn_score refined by how well the anchor sits in the cage, levels 2-4 "
        "(about a second a molecule)",
    )
    check.add_argument(
        "--3d-all",
        dest="three_d_all",
        action="store_true",
        help="--3d for every molecule (by default only those the pose can anchor, an N-H "
        "cyclic imide or N-H ring lactam, are fitted)",
    )
    _structure_argument(check, " for --3d")
    check.set_defaults(handler=_validate)
    return check


SUBCOMMANDS = (
    table_parser,
    explain_parser,
    report_parser,
    patterns_parser,
    screen_parser,
    pocket_parser,
    neosubstrates_parser,
    validate_parser,
)
"""One parser function per subcommand, in the order of ``imidchem --help``: a new
subcommand is a ``NAME_parser(commands)`` function added here."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with all subcommands (:data:`SUBCOMMANDS`)."""
    parser = argparse.ArgumentParser(
        prog="imidchem",
        description="IMiD-likeness and cereblon-binding motif checks. "
        "Without a command, prints the verdict table of the reference set.",
        formatter_class=_Formatter,
        epilog=_examples(
            "imidchem                              # the verdict table of the reference set",
            "imidchem explain apremilast           # why apremilast is not a cereblon binder",
            "imidchem explain 'lenalidomide hydrochloride' --no-stats",
            "imidchem screen library.smi -o hits.csv",
            "imidchem validate --example",
            "imidchem report report.html",
        ),
    )
    parser.add_argument("--version", action="version", version=f"imidchem {__version__}")
    parser.set_defaults(handler=_print_table, format="text")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for add in SUBCOMMANDS:
        add(commands)
    return parser


def _quiet_stdout() -> None:
    """After a closed pipe: send what is still buffered nowhere, so exit stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
        pass


def main(argv: Sequence[str] | None = None, *, exiting: bool = False) -> int:
    """Run the command line; returns the exit status.

    SIGINT, SIGTERM and SIGHUP unwind the run like Ctrl-C: one line on standard error,
    exit status 128 + the signal number. With ``exiting`` (the ``imidchem`` command, which
    exits next) they are ignored once the command is done instead of being handed back, so
    that a stop arriving while the interpreter shuts down cannot kill a finished run
    silently.
    """
    previous = {}
    if threading.current_thread() is threading.main_thread():
        previous = {signum: signal.signal(signum, _on_stop_signal) for signum in STOP_SIGNALS}
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        # numpy is imported here, by Python, not first by an RDKit extension module from
        # C: a Ctrl-C there is printed as a traceback by the extension before it fails
        import numpy  # noqa: F401

        status = args.handler(args)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except ImidchemError as error:
        _say(f"imidchem: error: {error}")
        return EXIT_USER_ERROR
    except OSError as error:
        _say(f"imidchem: error: {error.strerror or error}: {error.filename or ''}".rstrip(": "))
        return EXIT_USER_ERROR
    except KeyboardInterrupt as stop:
        _say(f"imidchem: {stop.what if isinstance(stop, Stopped) else 'interrupted'}")
        return 128 + (stop.signum if isinstance(stop, Stopped) else signal.SIGINT)
    except Exception:
        if not _STOPPED:
            raise
        # the stop arrived inside an import, and the library made an ImportError of it
        _say(f"imidchem: {Stopped(_STOPPED[-1]).what}")
        return 128 + _STOPPED[-1]
    finally:
        _STOPPED.clear()
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_IGN if exiting else handler)


def entry_point() -> None:
    """The ``imidchem`` command: run :func:`main` and exit with its status."""
    sys.exit(main(exiting=True))


if __name__ == "__main__":  # pragma: no cover
    entry_point()
