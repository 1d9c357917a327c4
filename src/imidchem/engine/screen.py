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

import multiprocessing
import os
import pickle
import signal
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import pandas as pd
from rdkit import Chem, rdBase

from .. import defaults
from ..chem.mol import to_mol
from ..errors import ImidchemError, InvalidArgumentError, InvalidMoleculeError, MissingExtraError
from ..evidence import schema
from ..evidence.frames import as_frame
from ..evidence.verdict import evidence_row, quick_evidence, reference_panel
from .progress import Progress
from .readers import Record, RecordReader, records_from_frame
from .writers import (
    STDOUT,
    Spool,
    StdoutSink,
    Totals,
    columns_to_frame,
    encode_rows,
    output_format,
)

DEFAULT_CHUNK_SIZE = defaults.CHUNK_SIZE


@dataclass(frozen=True)
class ScreenSummary:
    """What a screen wrote: the output path and the counts of rows, errors and hits."""

    output: Path | None
    rows: int
    errors: int
    hits: int


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
    record: Record, kind: str = "smiles", references=None, fast: bool = True
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
    kind: str, records: list[Record] | bytes, references, fmt: str, fast: bool = True
) -> tuple:
    """Screen one chunk; returns ``(encoded rows, rows, errors, hits)``.

    This is the function shipped to worker processes and Dask workers: its arguments
    are plain strings (or a :func:`pack_records` blob) and its result plain bytes (or
    lists). ``fast=False`` takes the full path for every record (see
    :func:`imidchem.evidence.verdict.evidence_row`); the bytes are the same.
    """
    if isinstance(records, bytes):
        records = unpack_records(records)
    with rdBase.BlockLogs():
        rows = [screen_record(record, kind, references, fast) for record in records]
    errors = sum(1 for row in rows if row[schema.STATUS] == "error")
    hits = sum(1 for row in rows if row[schema.CRBN_PHARMACOPHORE] is True)
    return encode_rows(rows, fmt), len(rows), errors, hits


def _warm(references) -> None:
    """Load the reference panel once per worker process."""
    reference_panel(references)
    quick_evidence(to_mol("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1"), references)


def _pool_worker(references) -> None:
    """Start a pool worker: Ctrl-C is the main process's business, then warm up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _warm(references)


# -- running the chunks: serially, in a process pool, or on Dask -----------------------


def _ordered(submit: Callable, chunks: Iterable, window: int) -> Iterator:
    """Results of ``submit(chunk)`` futures in chunk order, at most ``window`` in flight."""
    pending: deque = deque()
    try:
        for chunk in chunks:
            pending.append(submit(chunk))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def _serial(chunks: Iterable, kind: str, references, fmt: str) -> Iterator:
    _warm(references)
    for chunk in chunks:
        yield screen_chunk(kind, chunk, references, fmt)


def _process_pool(chunks: Iterable, kind: str, references, fmt: str, workers: int) -> Iterator:
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["imidchem.engine.screen"])
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_pool_worker, initargs=(references,)
    )
    finished = False
    try:
        yield from _ordered(
            lambda chunk: pool.submit(screen_chunk, kind, chunk, references, fmt),
            chunks,
            window=3 * workers,
        )
        finished = True
    finally:
        pool.shutdown(wait=finished, cancel_futures=True)


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
    try:
        return distributed.Client(scheduler, timeout="20s", set_as_default=False), True
    except (OSError, TimeoutError, ValueError) as error:
        raise ImidchemError(
            f"cannot connect to the Dask scheduler at {scheduler!r}: {error}"
        ) from None


def _dask(chunks: Iterable, kind: str, references, fmt: str, client, own: bool) -> Iterator:
    try:
        workers = max(len(client.scheduler_info().get("workers", {})), 1)
        yield from _ordered(
            lambda chunk: client.submit(
                screen_chunk, kind, pack_records(chunk), references, fmt, pure=False
            ),
            chunks,
            window=2 * workers + 2,
        )
    finally:
        if own:
            client.close()


def _chunks(records: Iterable[Record], size: int, skip: int) -> Iterator[list[Record]]:
    iterator = iter(records)
    if skip:
        deque(islice(iterator, skip), maxlen=0)
    while chunk := list(islice(iterator, size)):
        yield chunk


# -- the public function -----------------------------------------------------------------


def _reference_names(references) -> tuple[str, ...] | None:
    if references is None:
        return None
    if isinstance(references, str):
        references = references.split(",")
    names = tuple(name.strip() for name in references if name and name.strip())
    reference_panel(names)  # validates: unknown names raise with the known ones listed
    return names


def _positive(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(f"{what} must be a whole number of at least 1, got {value!r}")
    return value


def _open_spool(output, settings: dict, names, resume: bool) -> Spool | StdoutSink | None:
    """The crash-safe writer of ``output`` (None: results are returned as a DataFrame)."""
    if output is None:
        return None
    if str(output) == STDOUT:
        if resume:
            raise InvalidArgumentError("--resume needs an output file, not standard output")
        return StdoutSink()
    output = Path(output)
    fmt = output_format(output)
    if settings and output.resolve() == Path(settings["input"]):
        raise InvalidArgumentError(f"the output {output} would overwrite the input")
    settings = {**settings, "version": 1, "references": names, "output_format": fmt}
    return Spool(output, settings, resume=resume)


def run_screen(
    source: str | os.PathLike | pd.DataFrame | Sequence[str],
    output: str | os.PathLike | None = None,
    *,
    smiles_col: str | None = None,
    id_col: str | None = None,
    references: str | Sequence[str] | None = None,
    workers: int = defaults.WORKERS,
    scheduler=None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    resume: bool = False,
    quiet: bool = False,
) -> tuple[ScreenSummary, pd.DataFrame | None]:
    """:func:`screen` with the counts: ``(summary, DataFrame or None)``."""
    workers = _positive(workers, "workers")
    chunk_size = _positive(chunk_size, "chunk size")
    if scheduler is not None and workers > 1:
        raise InvalidArgumentError("use either workers (local processes) or a Dask scheduler")
    names = _reference_names(references)
    index = None
    settings: dict = {}
    if isinstance(source, (str, os.PathLike)):
        reader = RecordReader(source, smiles_col=smiles_col, id_col=id_col)
        records: Iterable[Record] = reader
        kind = reader.kind
        fraction = reader.fraction_done
        stat = reader.path.stat()
        settings = {
            "input": str(reader.path.resolve()),
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
            "smiles_col": smiles_col,
            "id_col": id_col,
        }
    else:
        if not isinstance(source, (pd.DataFrame, pd.Series, Sequence)) or isinstance(
            source, bytes
        ):
            raise InvalidArgumentError(
                "source must be a file path, a pandas DataFrame or a list of SMILES, "
                f"got {type(source).__name__}"
            )
        frame = as_frame(source)
        if resume:
            raise InvalidArgumentError("resume needs an input file, not an in-memory table")
        records = records_from_frame(frame, smiles_col=smiles_col, id_col=id_col)
        kind, index, size = "smiles", frame.index, max(len(frame), 1)
        fraction = None
    if output is None and resume:
        raise InvalidArgumentError("resume needs an output file")
    if output is not None and str(output) != STDOUT:
        output_format(output)  # an unknown extension is refused before anything starts
    client, own_client = _dask_client(scheduler) if scheduler is not None else (None, False)
    try:
        spool = _open_spool(output, settings, names, resume)
    except BaseException:
        if own_client:
            client.close()
        raise
    fmt = spool.format if spool is not None else "columns"
    totals = spool.totals if spool is not None else Totals()
    chunks = _chunks(records, chunk_size, skip=totals.rows)
    if client is not None:
        results = _dask(chunks, kind, names, fmt, client, own_client)
    elif workers > 1:
        results = _process_pool(chunks, kind, names, fmt, workers)
    else:
        results = _serial(chunks, kind, names, fmt)
    progress = Progress(enabled=False if quiet else None)
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
            done = fraction() if fraction is not None else totals.rows / size
            progress.update(totals.rows, done)
    except BaseException:
        results.close()
        if spool is not None:
            spool.close()
        raise
    progress.close()
    summary = ScreenSummary(None, totals.rows, totals.errors, totals.hits)
    if spool is not None:
        summary = ScreenSummary(spool.finish(), totals.rows, totals.errors, totals.hits)
        return summary, None
    return summary, columns_to_frame(parts, index=index)


def screen(
    source: str | os.PathLike | pd.DataFrame | Sequence[str],
    output: str | os.PathLike | None = None,
    *,
    smiles_col: str | None = None,
    id_col: str | None = None,
    references: str | Sequence[str] | None = None,
    workers: int = defaults.WORKERS,
    scheduler=None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    resume: bool = False,
    quiet: bool = False,
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
        Records per chunk (the unit of work, progress and resume).
    resume
        Continue an interrupted run from its journal (``OUTPUT.journal``).
    quiet
        No progress line, even on a terminal.

    Returns
    -------
    The output path, or the DataFrame when ``output`` is None.
    """
    summary, frame = run_screen(
        source,
        output,
        smiles_col=smiles_col,
        id_col=id_col,
        references=references,
        workers=workers,
        scheduler=scheduler,
        chunk_size=chunk_size,
        resume=resume,
        quiet=quiet,
    )
    return summary.output if frame is None else frame
