"""Screen a compound library for IMiD-likeness: streaming, on all cores, or on Dask.

:func:`screen` reads the input in chunks (see :mod:`imidchem.engine.readers`), computes the
same evidence as the core for every record (:func:`imidchem.evidence.verdict.quick_evidence` on
:func:`imidchem.chem.mol.to_mol`), and writes one row per input record, in input order
(see :mod:`imidchem.engine.writers` for the columns). Chunks travel as lists of SMILES
strings (or molfile blocks) to worker processes or Dask workers, which send back the
encoded rows; the output is the same byte for byte whichever way it was computed.

>>> frame = screen(["O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1", "C1CC"], quiet=True)
>>> frame[["id", "status", "verdict"]].fillna("").values.tolist()
[['1', 'ok', 'IMiD-like cereblon binder'], ['2', 'error', '']]
>>> frame.loc[1, "error"]
"invalid SMILES 'C1CC': unclosed ring"
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import threading
import warnings
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING

from rdkit import Chem, rdBase

from .. import defaults
from ..data.reference import reference_mol
from ..errors import ImidchemError, InvalidArgumentError, InvalidMoleculeError, MissingExtraError
from ..evidence import schema
from ..evidence.frames import as_frame
from ..evidence.verdict import evidence_row, evidence_rows, quick_evidence, reference_panel
from .budget import DEFAULT_LIMITS, Limits, check_fragments, check_record, timeout_message, watchdog
from .options import ScreenOptions
from .progress import Progress
from .readers import MAX_LINE, Record, RecordReader, frame_columns, records_from_frame
from .signals import signals_held
from .writers import (
    STDOUT,
    Spool,
    StdoutSink,
    Totals,
    columns_to_frame,
    encode_rows,
    escape_formulas,
    output_format,
)

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_OPTIONS = ScreenOptions()


class WorkerDiedError(ImidchemError):
    """A worker process (or Dask worker) died while screening a chunk."""


@dataclass(frozen=True)
class ScreenSummary:
    """What a screen wrote: the output path and the counts of rows, errors and hits."""

    output: Path | None
    rows: int
    errors: int
    hits: int
    input_error: str = ""
    """Why the input ended early (a truncated or corrupt compressed file), or ""."""
    already_complete: bool = False
    """``resume`` found the output complete: nothing was screened, the file is untouched."""


class SchedulerLostError(ImidchemError):
    """The Dask scheduler (or the whole cluster) went away in the middle of a screen."""

    def __init__(self, address: str) -> None:
        super().__init__(f"lost the Dask scheduler at {address}")
        self.address = address


class NothingToResume(ImidchemError):  # noqa: N818 - a state, not a failure
    """``resume`` on an output that is already complete (no journal beside it)."""


# -- the per-record work (runs in the workers) ------------------------------------------


def _read_molblock(block: str) -> Chem.Mol:
    with rdBase.BlockLogs():
        mol = Chem.MolFromMolBlock(block)
        if mol is not None:
            return mol
        unsanitized = Chem.MolFromMolBlock(block, sanitize=False)
        problems = Chem.DetectChemistryProblems(unsanitized) if unsanitized is not None else ()
    reason = problems[0].Message() if problems else "malformed molfile block"
    raise InvalidMoleculeError(f"cannot read the molfile block: {reason}")


def screen_record(
    record: Record,
    kind: str = "smiles",
    references=None,
    limits: Limits = DEFAULT_LIMITS,
    fast: bool = True,
) -> tuple:
    """One output row (a tuple in :data:`imidchem.evidence.schema.OUTPUT_COLUMNS` order).

    ``fast`` lets a plain SMILES take the fast path of
    :func:`imidchem.evidence.verdict.evidence_row`; the row is the same either way.

    >>> row = dict(zip(schema.OUTPUT_COLUMNS,
    ...                screen_record(("7", "Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O", ""))))
    >>> row["id"], row["status"], row["nearest_reference"], row["crbn_level"]
    ('7', 'ok', 'lenalidomide', 1)
    >>> screen_record(("7", "Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O", ""), fast=False) == tuple(
    ...     row.values())
    True
    """
    name, text, error = record
    smiles = text if isinstance(text, str) and kind == "smiles" else ""
    if error:
        return (name, smiles, *schema.error_row(error))
    if kind == "molblock":
        try:
            raw = _read_molblock(text)
        except ImidchemError as problem:
            return (name, smiles, *schema.error_row(str(problem)))
        problem = check_fragments(raw, limits)
        if problem:
            return (name, smiles, *schema.error_row(problem))
        smiles = Chem.MolToSmiles(raw)
        return (name, smiles, *evidence_row(raw, references))
    return (name, smiles, *evidence_row(text, references, fast=fast))


def pack_records(records: list[Record]) -> bytes:
    """A chunk as one compressed blob, for Dask.

    The Dask scheduler keeps a log of the recent messages it sent to each worker
    (``distributed.admin.low-level-log-length``, 1000 by default); as a blob a chunk
    weighs there a tenth of what its records weigh as Python objects.

    >>> unpack_records(pack_records([("1", "CCO", "")]))
    [('1', 'CCO', '')]
    """
    return zlib.compress(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack_records(blob: bytes) -> list[Record]:
    """The records of :func:`pack_records` (a blob this package made, never user input)."""
    return pickle.loads(zlib.decompress(blob))  # noqa: S301 - our own data


def screen_chunk(
    kind: str,
    records: list[Record] | bytes,
    fmt: str,
    options: ScreenOptions = DEFAULT_OPTIONS,
    fast: bool = True,
) -> tuple:
    """Screen one chunk; returns ``(encoded rows, rows, errors, hits)``.

    This is the function shipped to worker processes and Dask workers: its arguments
    are plain strings (or a :func:`pack_records` blob) and the frozen
    :class:`~imidchem.engine.options.ScreenOptions`, its result plain bytes (or lists).
    Each record first passes the size checks of :mod:`imidchem.engine.budget`, then runs
    under its wall-time limit: SMILES records in batches of :data:`imidchem.defaults.BATCH_SIZE`
    (:func:`imidchem.evidence.verdict.evidence_rows`), a batch under one record's limit
    and, when it runs over, record by record. ``options.escape_formulas`` guards CSV
    cells against formulas (:func:`imidchem.engine.writers.escape_formulas`).
    ``fast=False`` takes the full path for every record, one at a time (see
    :func:`imidchem.evidence.verdict.evidence_row`); the bytes are the same.
    """
    if isinstance(records, bytes):
        records = unpack_records(records)
    kept = None
    if records and len(records[0]) == 4:  # the input's own columns ride along
        kept = [record[3] for record in records]
        records = [record[:3] for record in records]
    rows = chunk_rows(kind, records, options, fast)
    errors = sum(1 for row in rows if row[schema.STATUS] == "error")
    hits = sum(1 for row in rows if row[schema.CRBN_PHARMACOPHORE] is True)
    rows = _written(rows, kept, options)
    if options.escape_formulas:
        rows = escape_formulas(rows)
    return encode_rows(rows, fmt, options.output_columns), len(rows), errors, hits


def chunk_rows(
    kind: str, records: list[Record], options: ScreenOptions = DEFAULT_OPTIONS, fast: bool = True
) -> list[tuple]:
    """The rows (in :attr:`ScreenOptions.computed_columns` order) of checked records, each
    under the per-record limits; the evidence of :func:`imidchem.assess` and the screen."""
    references, limits = options.references, options.limits
    _warm(references)
    dog = watchdog()
    canonical = options.canonical
    with rdBase.BlockLogs():
        if kind == "smiles" and fast:
            rows = []
            size = defaults.BATCH_SIZE  # the batches of evidence_rows: one time limit each
            for start in range(0, len(records), size):
                batch = records[start : start + size]
                rows += _screen_batch(batch, references, limits, dog, canonical)
        else:
            rows = [_screen_one(record, kind, references, limits, fast, dog) for record in records]
        if options.structure is not None:  # pocket_fit has its own (CPU) time limit
            from ..evidence.pocket import with_pocket

            rows = [
                with_pocket(row, _pocket_values(row, options), options.structure)
                for row in rows
            ]
        if options.neo:
            rows = [row + _neo_values(row) for row in rows]
    return rows


def _written(rows: list[tuple], kept: list | None, options: ScreenOptions) -> list[tuple]:
    """The rows as written: the columns asked for, then the input's own."""
    if options.columns is not None:
        positions = [options.computed_columns.index(name) for name in options.schema_columns]
        rows = [tuple(row[i] for i in positions) for row in rows]
    if kept is not None and options.input_columns:
        rows = [row + extra for row, extra in zip(rows, kept, strict=True)]
    return rows


def _screen_one(record: Record, kind: str, references, limits: Limits, fast: bool, dog) -> tuple:
    """The output row of one record, under its own time limit."""
    record = check_record(record, kind, limits)
    done, row = dog.run(screen_record, limits.max_seconds, record, kind, references, limits, fast)
    if done:
        return row
    return _timeout_row(record, kind, limits)


def _timeout_row(record: Record, kind: str, limits: Limits) -> tuple:
    text = record[1] if kind == "smiles" and isinstance(record[1], str) else ""
    return (record[0], text, *schema.error_row(timeout_message(limits)))


def _batch_rows(
    records: list[Record], todo: list[int], references, clock: list, canonical: bool = True
) -> list[tuple]:
    """The output rows of checked SMILES records, the evidence of those at ``todo`` (the
    records without an error) as one batch (``canonical``: with the canonical SMILES)."""
    texts = [records[i][1] for i in todo]
    evidence = iter(evidence_rows(texts, references, clock, canonical=canonical))
    rows = []
    for name, text, error in records:
        smiles = text if isinstance(text, str) else ""
        values = schema.error_row(error) if error else next(evidence)
        rows.append((name, smiles, *values))
    return rows


def _screen_batch(
    records: list[Record], references, limits: Limits, dog, canonical: bool = True
) -> list[tuple]:
    """The output rows of SMILES records, as one batch when it ends within one record's
    time limit (then each record did), else record by record under their own limits.

    A record whose own step ran over the limit is not run a second time.
    """
    records = [check_record(record, "smiles", limits) for record in records]
    todo = [i for i, (_, _, error) in enumerate(records) if not error]
    clock = [-1, 0.0]
    done, rows = dog.run(
        _batch_rows, limits.max_seconds, records, todo, references, clock, canonical
    )
    if done:
        return rows
    over = -1
    if 0 <= clock[0] < len(todo) and monotonic() - clock[1] >= limits.max_seconds:
        over = todo[clock[0]]
    return [
        _timeout_row(record, "smiles", limits)
        if i == over
        else _screen_one(record, "smiles", references, limits, True, dog)
        for i, record in enumerate(records)
    ]


def _pocket_values(row: tuple, options: ScreenOptions) -> tuple:
    """The 3-D group of one output row (from its standardised SMILES): only for a molecule
    the pose can anchor unless ``options.fit_all`` (:func:`imidchem.evidence.pocket.pocket_values`)."""
    from ..evidence.pocket import pocket_error, pocket_values

    if row[schema.STATUS] != "ok":
        return pocket_error("no molecule")
    smiles = row[schema.OUTPUT_COLUMNS.index("smiles_std")]
    return pocket_values(smiles, structure=options.structure, fit_all=options.fit_all)


def _neo_values(row: tuple) -> tuple:
    """The neosubstrate group of one output row (from its standardised SMILES)."""
    from ..evidence.profile import neo_error, neo_values

    if row[schema.STATUS] != "ok":
        return neo_error("no molecule")
    return neo_values(row[schema.OUTPUT_COLUMNS.index("smiles_std")])


def output_columns(structure: str | None = None) -> tuple[str, ...]:
    """The schema columns of a screen's output, with the 3-D group when ``structure`` is
    set (:attr:`ScreenOptions.computed_columns`)."""
    if structure is None:
        return schema.OUTPUT_COLUMNS
    return schema.OUTPUT_COLUMNS + schema.POCKET_COLUMNS


_WARM: set = set()


def _warm(references) -> None:
    """Load the reference panel once per process (and per reference subset).

    Done before the first record's clock starts, so that loading is never charged to a
    record's time limit (a Dask worker meets its first chunk cold).
    """
    key = tuple(references) if references is not None else None
    if key in _WARM:
        return
    reference_panel(references)
    quick_evidence(reference_mol(defaults.REFERENCE), references)
    _WARM.add(key)


def _pool_worker(references) -> None:
    """Start a pool worker: Ctrl-C is the main process's business, then warm up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _warm(references)


# -- running the chunks: serially, in a process pool, or on Dask -----------------------


IN_FLIGHT_RECORDS = 1000
"""Records per worker submitted ahead of the oldest unfinished chunk (at least 3 chunks per
worker for a pool, 2 for Dask): results come back in input order, so a chunk that holds a
slow record (a 3-D fit can take the 10 s limit) stalls the submission, and the other workers
then have only what is already in flight. With 8-record ``--3d`` chunks, 3 chunks per worker
were about 2 s of work: a worker idled beside each slow fit (MOSES ``screen --3d --workers
2``: the workers at 72-82 % CPU). See docs/performance.md."""


def _window(workers: int, chunk_size: int, per_worker: int) -> int:
    """Chunks in flight for ``workers`` workers: ``per_worker`` each, or more when the chunks
    are small (:data:`IN_FLIGHT_RECORDS` records each).

    >>> _window(2, 2000, 3), _window(2, 8, 3)
    (6, 250)
    """
    return workers * max(per_worker, -(-IN_FLIGHT_RECORDS // chunk_size))


def _ordered(submit: Callable, chunks: Iterable, window: int, cancel: bool = True) -> Iterator:
    """Results of ``submit(chunk)`` futures in chunk order, at most ``window`` in flight.

    When stopped early, the futures still pending are cancelled (``cancel``); a process
    pool's are left to its shutdown, which cancels them in its own thread (cancelling them
    here races with a pool that is breaking up, and its thread then fails).
    """
    pending: deque = deque()
    try:
        for chunk in chunks:
            pending.append(submit(chunk))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        if cancel:
            for future in pending:
                future.cancel()


def _serial(chunks: Iterable, kind: str, fmt: str, options: ScreenOptions) -> Iterator:
    _warm(options.references)
    for chunk in chunks:
        yield screen_chunk(kind, chunk, fmt, options)


def _noop() -> None:
    """A task that makes the pool start a worker."""


def _start_helpers(method: str) -> None:
    """Start the resource tracker and the forkserver with SIGINT ignored.

    They are new Python processes, which keep an ignored SIGINT across ``exec`` and then
    never turn it into ``KeyboardInterrupt`` (a blocked one is not kept); the forkserver
    hands it on to the pool workers it forks. A Ctrl-C while they import modules then
    prints no traceback from them, and the workers never see one. Only the few
    milliseconds of starting them are lost to a Ctrl-C in this process.
    """
    if method != "forkserver" or threading.current_thread() is not threading.main_thread():
        return  # spawn (no forkserver): the workers set SIGINT aside when they start
    from multiprocessing import forkserver, resource_tracker

    previous = signal.getsignal(signal.SIGINT)
    if previous is None:
        return  # a handler set outside Python: leave it alone
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        resource_tracker.ensure_running()
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


WORKER_ENVIRONMENT: dict[str, str] = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
"""One BLAS thread in each pool worker, as Dask's nanny gives its workers: the workers are
the parallelism. numpy's OpenBLAS otherwise starts a thread per core in every worker, and
on matrix products as small as the pocket fit's (a few thousand ligand rows by a few hundred
pocket atoms) its threads spin more than they work: a 2-worker ``--3d`` screen of 120
ChEMBL molecules took 112 s with them and 96 s without (docs/performance.md). A variable the
user has set keeps its value."""


@contextlib.contextmanager
def worker_environment() -> Iterator[None]:
    """Start worker processes inside: they see :data:`WORKER_ENVIRONMENT` (a variable
    already set keeps its value); this process's environment is restored at the end.

    >>> import os
    >>> before = os.environ.get("MKL_NUM_THREADS")
    >>> with worker_environment():
    ...     os.environ["MKL_NUM_THREADS"] == (before or "1")
    True
    >>> os.environ.get("MKL_NUM_THREADS") == before
    True
    """
    added = [name for name in WORKER_ENVIRONMENT if name not in os.environ]
    os.environ.update({name: WORKER_ENVIRONMENT[name] for name in added})
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """End the workers now (after an interruption): cancel what waits, terminate what runs."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(5)
        if process.is_alive():  # pragma: no cover - a worker that ignores SIGTERM
            process.kill()
            process.join(5)
    if manager is not None:
        manager.join(10)  # it sees the workers gone, fails what ran, and closes its queues


def start_pool(workers: int, references=None) -> ProcessPoolExecutor:
    """A process pool with its ``workers`` workers started, each warmed up for
    ``references`` (forkserver where the platform has it, else spawn): started in the
    :func:`worker_environment`, with stop signals held meanwhile."""
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["imidchem.engine.screen"])
    with signals_held(), worker_environment():
        _start_helpers(method)
        pool = ProcessPoolExecutor(
            workers, mp_context=context, initializer=_pool_worker, initargs=(references,)
        )
        try:
            for _ in range(workers):  # every worker starts now, not amid the chunks
                pool.submit(_noop)
        except BaseException:
            _stop_pool(pool)
            raise
    return pool


def _process_pool(chunks: Iterable, kind: str, fmt: str, options: ScreenOptions) -> Iterator:
    workers = options.workers
    pool = None
    finished = False
    try:
        pool = start_pool(workers, options.references)
        yield from _ordered(
            lambda chunk: pool.submit(screen_chunk, kind, chunk, fmt, options),
            chunks,
            window=_window(workers, options.chunk_size, 3),
            cancel=False,
        )
        finished = True
    except BrokenProcessPool:
        raise WorkerDiedError("a worker process died") from None
    finally:
        if pool is not None and finished:
            pool.shutdown(wait=True)
        elif pool is not None:
            _stop_pool(pool)


def _import_distributed():
    try:
        import distributed
    except ImportError:
        raise MissingExtraError("a Dask scheduler", "dask", "dask.distributed") from None
    return distributed


def _dask_client(scheduler):
    """``(client, whether we opened it)`` for an address or an existing Client."""
    distributed = _import_distributed()
    if isinstance(scheduler, distributed.Client):
        return scheduler, False
    if not isinstance(scheduler, str):
        raise InvalidArgumentError(
            "scheduler must be an address such as tcp://host:8786 or a distributed.Client, "
            f"got {type(scheduler).__name__}"
        )
    try:  # refuse a malformed address at once (Client would stall, then print a traceback)
        from distributed.comm import resolve_address

        resolve_address(scheduler)
    except Exception as error:  # noqa: BLE001 - any refusal is the user's address
        raise InvalidArgumentError(
            f"not a Dask scheduler address: {scheduler!r} ({error}); "
            "expected e.g. tcp://host:8786"
        ) from None
    try:
        return distributed.Client(scheduler, timeout="20s", set_as_default=False), True
    except (OSError, TimeoutError, ValueError) as error:
        raise ImidchemError(
            f"cannot connect to the Dask scheduler at {scheduler!r}: {error}"
        ) from None


def _dask(
    chunks: Iterable, kind: str, fmt: str, options: ScreenOptions, client, own: bool
) -> Iterator:
    try:
        workers = max(len(client.scheduler_info().get("workers", {})), 1)
        yield from _ordered(
            lambda chunk: client.submit(
                screen_chunk, kind, pack_records(chunk), fmt, options, pure=False
            ),
            chunks,
            window=_window(workers, options.chunk_size, 2) + 2,
        )
    except Exception as error:
        if type(error).__name__ == "KilledWorker":
            raise WorkerDiedError("Dask workers died") from None
        if _scheduler_lost(client, error):
            raise SchedulerLostError(_address(client)) from None
        raise
    finally:
        if own:
            with contextlib.suppress(Exception):
                client.close(timeout=5)


_LOST = ("CancelledError", "FutureCancelledError", "CommClosedError", "StreamClosedError")


def _scheduler_lost(client, error: Exception) -> bool:
    """Whether ``error`` means the client lost its scheduler (not a bug in a task)."""
    if type(error).__name__ in _LOST or isinstance(error, (OSError, TimeoutError)):
        return True
    return getattr(client, "status", "running") not in ("running", "connecting")


def _address(client) -> str:
    scheduler = getattr(client, "scheduler", None)
    return str(getattr(scheduler, "address", None) or "the scheduler's address")


def _chunks(records: Iterable[Record], size: int, skip: int) -> Iterator[list[Record]]:
    iterator = iter(records)
    if skip:
        deque(islice(iterator, skip), maxlen=0)
    while chunk := list(islice(iterator, size)):
        yield chunk


# -- the public function -----------------------------------------------------------------


@dataclass
class _Source:
    """The records of an input, and what a resume must find unchanged about it."""

    records: Iterable[Record]
    kind: str
    settings: dict
    input_columns: Sequence[str] = ()
    reader: RecordReader | None = None
    frame: object = None
    others: Sequence[int] = ()
    size: int = 1

    def fraction(self, rows: int) -> float:
        """The part of the input done after ``rows`` rows (from the file's bytes if read)."""
        return self.reader.fraction_done() if self.reader is not None else rows / self.size


def _open_source(source, options: ScreenOptions, in_memory: bool = False) -> _Source:
    """The records of a file, a DataFrame or a list of SMILES (``in_memory``: the result
    is a DataFrame)."""
    if isinstance(source, (str, os.PathLike)):
        max_line = max(MAX_LINE, 4 * options.limits.max_chars)
        reader = RecordReader(
            source,
            smiles_col=options.smiles_col,
            id_col=options.id_col,
            max_line=max_line,
            keep_input=options.keep_input,
        )
        stat = reader.path.stat()
        settings = {
            "input": str(reader.path.resolve()),
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
        }
        return _Source(reader, reader.kind, settings, reader.input_columns, reader=reader)
    import pandas as pd

    if not isinstance(source, (pd.DataFrame, pd.Series, Sequence)) or isinstance(source, bytes):
        raise InvalidArgumentError(
            "source must be a file path, a pandas DataFrame or a list of SMILES, "
            f"got {type(source).__name__}"
        )
    frame = as_frame(source)
    if options.resume:
        raise InvalidArgumentError("resume needs an input file, not an in-memory table")
    smiles_index, id_index, others = frame_columns(frame, options.smiles_col, options.id_col)
    names = [str(frame.columns[i]) for i in others]
    if in_memory:  # the frame's own columns are joined as they are, after the screen
        records = records_from_frame(frame, options.smiles_col, options.id_col)
    else:
        records = records_from_frame(frame, options.smiles_col, options.id_col, options.keep_input)
    return _Source(records, "smiles", {}, names, frame=frame, others=others, size=len(frame) or 1)


def _check_output(output, options: ScreenOptions) -> None:
    """Refuse an output that cannot take these options, before anything starts."""
    csv_output = output is not None and (
        str(output) == STDOUT or output_format(output).startswith("csv")
    )
    if options.escape_formulas and not csv_output:
        raise InvalidArgumentError("escape_formulas (--escape-formulas) applies to CSV output only")


def _open_spool(output, settings: dict, options: ScreenOptions) -> Spool | StdoutSink | None:
    """The crash-safe writer of ``output`` (None: results are returned as a DataFrame)."""
    columns = options.output_columns
    if output is None:
        if options.resume:
            raise InvalidArgumentError("resume needs an output file")
        return None
    if str(output) == STDOUT:
        if options.resume:
            raise InvalidArgumentError("--resume needs an output file, not standard output")
        return StdoutSink(columns=columns)
    output = Path(output)
    fmt = output_format(output)
    if "input" in settings and output.resolve() == Path(settings["input"]):
        raise InvalidArgumentError(f"the output {output} would overwrite the input")
    journal = output.with_name(output.name + ".journal")
    if output.is_file() and not journal.exists():
        if options.resume:
            raise NothingToResume(
                f"nothing to resume: {output} is complete (pass --force, overwrite=True, "
                "to screen again over it)"
            )
        if not options.overwrite:
            raise InvalidArgumentError(
                f"{output} already exists: pass --force (overwrite=True) to replace it, "
                "or --resume to continue an interrupted run"
            )
    settings = {**settings, "version": 1, "references": options.references, "output_format": fmt}
    return Spool(output, settings, resume=options.resume, columns=columns)


def _results(chunks: Iterable, kind: str, fmt: str, options: ScreenOptions, client, own: bool):
    """The executor's results, chunk by chunk in input order: Dask, a pool, or this process."""
    if client is not None:
        return _dask(chunks, kind, fmt, options, client, own)
    if options.workers > 1:
        return _process_pool(chunks, kind, fmt, options)
    return _serial(chunks, kind, fmt, options)


def _collect(results, spool, totals: Totals, source: _Source, options: ScreenOptions) -> list:
    """Write (or keep) each chunk's rows as it arrives, with the progress line; returns the
    kept payloads (in memory only, without a spool). The spool is closed, kept for a
    resume, when the run stops early."""
    progress = Progress(enabled=False if options.quiet else None)
    parts: list = []
    try:
        for payload, rows, errors, hits in results:
            if spool is not None:
                spool.commit(payload, rows, errors, hits)
            else:
                parts.append(payload)
                totals.rows += rows
                totals.errors += errors
                totals.hits += hits
            progress.update(totals.rows, source.fraction(totals.rows))
    except WorkerDiedError as error:
        results.close()
        if spool is not None:
            spool.close()
        first = totals.rows + 1
        raise WorkerDiedError(
            f"{error} on the chunk of records {first:,} to {first + options.chunk_size - 1:,} "
            "(a crash inside RDKit, or out of memory); the records before it are kept: "
            "--resume continues with that chunk"
        ) from None
    except BaseException:
        results.close()
        if spool is not None:
            spool.close()
        raise
    progress.close()
    return parts


def run_screen(
    source: str | os.PathLike | pd.DataFrame | Sequence[str],
    output: str | os.PathLike | None = None,
    options: ScreenOptions | None = None,
    **settings,
) -> tuple[ScreenSummary, pd.DataFrame | None]:
    """:func:`screen` with the counts: ``(summary, DataFrame or None)``.

    ``options`` (a :class:`~imidchem.engine.options.ScreenOptions`), or the keyword
    arguments of :func:`screen` to build them from.
    """
    if options is None:
        options = ScreenOptions.build(**settings)
    elif settings:
        raise InvalidArgumentError("give either options or keyword arguments, not both")
    _check_output(output, options)
    source_ = _open_source(source, options, in_memory=output is None)
    if source_.frame is None or output is not None:  # else joined as they are, at the end
        options = options.with_input(source_.input_columns)
    if output is not None and str(output) != STDOUT:
        output_format(output)  # an unknown extension is refused before anything starts
    scheduler = options.scheduler
    client, own_client = _dask_client(scheduler) if scheduler is not None else (None, False)
    settings = {**source_.settings, **options.journal_settings()}
    try:
        spool = _open_spool(output, settings, options)
    except NothingToResume:
        if own_client:
            client.close()
        return ScreenSummary(Path(output), 0, 0, 0, already_complete=True), None
    except BaseException:
        if own_client:
            client.close()
        raise
    fmt = spool.format if spool is not None else "columns"
    totals = spool.totals if spool is not None else Totals()
    chunks = _chunks(source_.records, options.chunk_size, skip=totals.rows)
    results = _results(chunks, source_.kind, fmt, options, client, own_client)
    parts = _collect(results, spool, totals, source_, options)
    problem = source_.reader.input_error if source_.reader is not None else ""
    if spool is not None:
        path = spool.finish()
        return ScreenSummary(path, totals.rows, totals.errors, totals.hits, problem), None
    summary = ScreenSummary(None, totals.rows, totals.errors, totals.hits, problem)
    return summary, _result_frame(parts, source_, options)


def _result_frame(parts: list, source: _Source, options: ScreenOptions) -> pd.DataFrame:
    """The in-memory result: the screen's columns, then the input frame's own (as they are;
    renamed as :func:`~imidchem.engine.options.input_names` says)."""
    frame = source.frame
    if frame is None:  # a file: its columns were read as text
        return columns_to_frame(parts, columns=options.output_columns)
    result = columns_to_frame(parts, index=frame.index, columns=options.schema_columns)
    if options.keep_input and source.others:
        names = options.with_input(source.input_columns).input_columns
        for name, position in zip(names, source.others, strict=True):
            result[name] = frame.iloc[:, position]
    return result


def screen(
    source: str | os.PathLike | pd.DataFrame | Sequence[str],
    output: str | os.PathLike | None = None,
    **settings,
) -> pd.DataFrame | Path:
    """Screen a library for IMiD-likeness; write ``output`` or return a DataFrame.

    Parameters
    ----------
    source
        A file (``.smi``, ``.smiles``, ``.csv``, ``.tsv``, ``.sdf``, ``.parquet``, each
        optionally ``.gz``), a DataFrame or a list of SMILES.
    output
        ``.csv``, ``.csv.gz`` or ``.parquet``; None returns a DataFrame (one row per
        record, the source's index for a DataFrame source).
    **settings
        Keyword arguments, all optional (the defaults are in :mod:`imidchem.defaults`),
        gathered once in a frozen :class:`~imidchem.engine.options.ScreenOptions`
        (an unknown keyword raises with the allowed ones listed):

        smiles_col, id_col
            Columns of a table (default: ``smiles``; ``id`` or ``name`` if present, else
            the record number). For SDF, ``id_col`` names a data field (default: title).
        references
            Reference names (or one comma-separated string) for the nearest-reference
            search; all of them by default.
        workers
            Local worker processes; the output is identical for any number.
        scheduler
            A Dask scheduler address (``tcp://host:port``) or a ``distributed.Client``.
        chunk_size
            Records per chunk (the unit of work, progress and resume; default
            :data:`imidchem.defaults.CHUNK_SIZE`, or :data:`~imidchem.defaults.CHUNK_SIZE_3D`
            with the 3-D group).
        resume
            Continue an interrupted run from its journal (``OUTPUT.journal``).
        quiet
            No progress line, even on a terminal.
        overwrite
            Replace an existing ``output`` (default True; the command line refuses
            unless ``--force``).
        max_chars, max_fragments, max_atoms, max_seconds
            The per-record budget (see :mod:`imidchem.engine.budget`): characters of a
            SMILES, its dot-separated parts, its atoms, and the wall time of one record. A
            record over a limit becomes an error row with the reason.
        escape_formulas
            CSV output only: prefix text cells starting with ``= + - @`` (spreadsheet
            formulas) with ``'``.
        three_d, structure
            Add the optional 3-D group (:data:`imidchem.evidence.schema.POCKET_COLUMNS`):
            each molecule placed in cereblon's pocket of PDB ``structure`` (default
            :data:`imidchem.defaults.STRUCTURE`) by :func:`imidchem.pocket_fit` (about a
            second a molecule, its own 10 CPU-second limit; use workers). Only molecules
            the pose can anchor (an N-H cyclic imide, else an N-H ring lactam:
            :func:`imidchem.chem.patterns.can_anchor`) are fitted; the others get
            ``pocket_status="skipped"``, the reason and no score.
        fit_all
            With ``three_d``: fit every molecule (``--3d-all``).

    Returns
    -------
    The output path, or the DataFrame when ``output`` is None. When a compressed input
    ends early, the rows read so far end with an error row saying so, and a
    ``RuntimeWarning`` repeats it.
    """
    summary, frame = run_screen(source, output, **settings)
    if summary.input_error:
        warnings.warn(summary.input_error, RuntimeWarning, stacklevel=2)
    return summary.output if frame is None else frame
