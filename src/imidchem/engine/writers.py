"""Output of the library screen: the columns, their encodings, and a crash-safe spool.

Chunks of results are encoded where they are computed (CSV text, gzip members or Arrow
IPC streams), so the process that writes only appends bytes. The :class:`Spool` appends
them to ``OUTPUT.part`` and records each completed chunk in ``OUTPUT.journal``; a run
that is killed leaves both behind and ``resume`` continues after the last recorded
chunk. The output appears under its own name only when the run is complete.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidArgumentError, MissingExtraError
from ..evidence import schema

COLUMNS: tuple[str, ...] = schema.OUTPUT_COLUMNS
"""The output columns (:data:`imidchem.evidence.schema.OUTPUT_COLUMNS`)."""
OUTPUT_FORMATS = {".csv": "csv", ".csv.gz": "csv.gz", ".parquet": "parquet"}
PARQUET_ROW_GROUP = 65536


def output_format(path: str | os.PathLike) -> str:
    """The output format from the file name.

    >>> output_format("hits.csv.gz")
    'csv.gz'
    >>> output_format("hits.xlsx")
    Traceback (most recent call last):
    ...
    imidchem.errors.InvalidArgumentError: unknown output extension of 'hits.xlsx'; allowed: .csv, .csv.gz, .parquet
    """
    name = Path(path).name.lower()
    for suffix in sorted(OUTPUT_FORMATS, key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix):
            return OUTPUT_FORMATS[suffix]
    raise InvalidArgumentError(
        f"unknown output extension of {str(path)!r}; allowed: {', '.join(OUTPUT_FORMATS)}"
    )


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet  # noqa: F401
    except ImportError:  # pragma: no cover - pyarrow is in the test environment
        raise MissingExtraError("Parquet files", "parquet") from None
    return pa


def arrow_schema(columns: tuple[str, ...] = COLUMNS):
    """The Arrow schema of the output (strings, float64, int64 and nullable booleans)."""
    return schema.arrow_schema(columns)


def _csv_bytes(rows: list[tuple]) -> bytes:
    """Rows as CSV text ending in ``\\n``; a field holding a line break is always quoted.

    ``csv.writer`` quotes only the characters of its line terminator, so with ``\\n`` a bare
    ``\\r`` would go out unquoted and read back as a line end (extra rows, shifted
    columns). Rows with a ``\\r`` are written by a writer whose terminator is ``\\r\\n``
    (which quotes both), and that terminator is cut back to ``\\n``.

    >>> _csv_bytes([("a\\rb", "C"), ("c", "C")])
    b'"a\\rb",C\\nc,C\\n'
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    text = buffer.getvalue()
    if "\r" in text:
        buffer = io.StringIO()
        careful = csv.writer(buffer, lineterminator="\r\n")
        for row in rows:
            careful.writerow(row)
            buffer.seek(buffer.tell() - 2)  # cut "\r\n" back to "\n"
            buffer.write("\n")
            buffer.truncate()
        text = buffer.getvalue()
    return text.encode("utf-8")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (CSV injection)."""


def escape_formulas(rows: list[tuple]) -> list[tuple]:
    """Rows where every text cell starting like a formula gets a leading ``'``.

    Spreadsheets run a cell such as ``=HYPERLINK(...)`` from a CSV as a formula. Ids come
    from the input, so an opt-in guard (``escape_formulas=True``, ``--escape-formulas``)
    prefixes them with ``'``, which spreadsheets show as text; the value then differs from
    the input's, which is why it is not the default. SMILES never start with these.

    >>> escape_formulas([("=1+2", "C", 0.5), ("x", "C", 0.1)])
    [("'=1+2", 'C', 0.5), ('x', 'C', 0.1)]
    """
    escaped = []
    for row in rows:
        if any(isinstance(value, str) and value.startswith(FORMULA_STARTS) for value in row):
            row = tuple(
                "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value
                for value in row
            )
        escaped.append(row)
    return escaped


def header_bytes(fmt: str, columns: tuple[str, ...] = COLUMNS) -> bytes:
    """What the output starts with: the CSV header (a gzip member for ``csv.gz``)."""
    if fmt == "csv":
        return _csv_bytes([columns])
    if fmt == "csv.gz":
        return gzip.compress(_csv_bytes([columns]), compresslevel=6, mtime=0)
    return b""


def encode_rows(rows: list[tuple], fmt: str, columns: tuple[str, ...] = COLUMNS):
    """Encode result rows (tuples in :data:`COLUMNS` order, None for missing values).

    ``csv`` and ``csv.gz`` give bytes ready to append, ``parquet`` an Arrow IPC stream,
    ``columns`` a dict of lists (for building a DataFrame).

    >>> encode_rows([("1", "C", "ok", "", "C", 0.5, "thalidomide", 0.5, True, False, False,
    ...               False, 4, "none", "v", "r")], "csv")
    b'1,C,ok,,C,0.5,thalidomide,0.5,True,False,False,False,4,none,v,r\\n'
    """
    if fmt == "csv":
        return _csv_bytes(rows)
    if fmt == "csv.gz":
        return gzip.compress(_csv_bytes(rows), compresslevel=6, mtime=0)
    names = columns
    columns: dict[str, list] = {name: [] for name in names}
    if rows:
        transposed = zip(*rows, strict=True)
        columns = {name: list(values) for name, values in zip(names, transposed, strict=True)}
    if fmt == "columns":
        return columns
    pa = _pyarrow()
    schema = arrow_schema(names)
    table = pa.table(columns, schema=schema)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema) as stream:
        stream.write_table(table)
    return sink.getvalue().to_pybytes()


def columns_to_frame(parts: list[dict[str, list]], index=None, columns: tuple[str, ...] = COLUMNS):
    """One DataFrame from column dicts (in order), with the schema's dtypes."""
    data = {name: [value for part in parts for value in part[name]] for name in columns}
    return schema.to_frame(data, columns, index=index)


STDOUT = "-"
"""The output name meaning CSV on standard output."""


@dataclass
class Totals:
    """Counts of the records written so far."""

    rows: int = 0
    errors: int = 0
    hits: int = 0


class Spool:
    """Append-only ``OUTPUT.part`` plus ``OUTPUT.journal``; renamed into place at the end.

    The journal's first line holds the run's settings (as JSON); every later line
    ``rows errors hits offset`` marks a chunk whose bytes are on disk (the data is
    flushed and synced before its journal line is written). On resume the part file is
    cut back to the last complete journal line, so no row is lost or written twice.
    """

    def __init__(
        self,
        output: str | os.PathLike,
        settings: dict,
        resume: bool,
        columns: tuple[str, ...] = COLUMNS,
    ) -> None:
        self.columns = columns
        self.output = Path(output)
        self.format = output_format(self.output)
        if self.format == "parquet":
            _pyarrow()
        self.part = self.output.with_name(self.output.name + ".part")
        self.journal_path = self.output.with_name(self.output.name + ".journal")
        self.settings = json.loads(json.dumps(settings, sort_keys=True))  # as a reload sees it
        self._check_writable()
        self.totals = Totals()
        self._offsets: list[int] = []
        if resume and self.journal_path.exists() and self.part.exists():
            self._reopen()
        else:
            self._start()

    def _check_writable(self) -> None:
        folder = self.output.parent
        if not folder.is_dir():
            raise InvalidArgumentError(
                f"cannot write {self.output}: folder {folder} does not exist"
            )
        if self.output.is_dir():
            raise InvalidArgumentError(f"cannot write {self.output}: it is a folder")
        if not os.access(folder, os.W_OK):
            raise InvalidArgumentError(
                f"cannot write {self.output}: folder {folder} is not writable"
            )

    def _start(self) -> None:
        try:
            self._data = open(self.part, "wb")  # noqa: SIM115 - closed in finish/close
        except OSError as error:
            raise InvalidArgumentError(
                f"cannot write {self.output}: {error.strerror or error}"
            ) from None
        self._data.write(header_bytes(self.format, self.columns))
        self._sync()
        offset = self._data.tell()
        self._offsets = [offset]
        with open(self.journal_path, "w", encoding="utf-8") as journal:
            journal.write(json.dumps(self.settings, sort_keys=True) + "\n")
            journal.write(f"0 0 0 {offset}\n")
        self._journal = open(self.journal_path, "a", encoding="utf-8")  # noqa: SIM115

    def _reopen(self) -> None:
        with open(self.journal_path, encoding="utf-8") as journal:
            text = journal.read()
        lines = text.split("\n")
        try:
            saved = json.loads(lines[0])
        except ValueError:
            saved = None
        if saved != self.settings:
            raise InvalidArgumentError(
                f"cannot resume {self.output}: {self.journal_path.name} was written for "
                "another input or other settings; run without --resume to start over"
            )
        marks = []
        for line in lines[1:-1]:  # the last piece has no newline: possibly cut short
            fields = line.split()
            if len(fields) == 4 and all(field.isdigit() for field in fields):
                marks.append(tuple(int(field) for field in fields))
        if not marks:
            self._start()
            return
        rows, errors, hits, offset = marks[-1]
        self.totals = Totals(rows, errors, hits)
        self._offsets = [mark[3] for mark in marks]
        self._data = open(self.part, "r+b")  # noqa: SIM115
        self._data.truncate(offset)
        self._data.seek(offset)
        tmp = self.journal_path.with_name(self.journal_path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as journal:
            journal.write(lines[0] + "\n")
            journal.writelines(" ".join(map(str, mark)) + "\n" for mark in marks)
        os.replace(tmp, self.journal_path)
        self._journal = open(self.journal_path, "a", encoding="utf-8")  # noqa: SIM115

    def _sync(self) -> None:
        self._data.flush()
        os.fsync(self._data.fileno())

    def commit(self, payload: bytes, rows: int, errors: int, hits: int) -> None:
        """Append one encoded chunk and record it in the journal."""
        self._data.write(payload)
        self._sync()
        totals = self.totals
        totals.rows += rows
        totals.errors += errors
        totals.hits += hits
        offset = self._data.tell()
        self._offsets.append(offset)
        self._journal.write(f"{totals.rows} {totals.errors} {totals.hits} {offset}\n")
        self._journal.flush()

    def finish(self) -> Path:
        """Close the spool and give the output its final name."""
        self._journal.close()
        self._data.close()
        if self.format == "parquet":
            tmp = self.output.with_name(self.output.name + ".tmp")
            try:
                self._ipc_to_parquet(tmp)
            except BaseException:
                tmp.unlink(missing_ok=True)  # the part file and journal stay for --resume
                raise
            os.replace(tmp, self.output)
            self.part.unlink()
        else:
            os.replace(self.part, self.output)
        self.journal_path.unlink()
        return self.output

    def close(self) -> None:
        """Close the files but leave them for a later resume (after an interruption)."""
        for handle in (getattr(self, "_journal", None), getattr(self, "_data", None)):
            if handle is not None and not handle.closed:
                handle.close()

    def _ipc_to_parquet(self, target: Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = arrow_schema(self.columns)
        pending: list = []
        pending_rows = 0
        with open(self.part, "rb") as spool, pq.ParquetWriter(target, schema) as writer:
            spool.seek(self._offsets[0])
            for start, end in zip(self._offsets, self._offsets[1:], strict=False):
                table = pa.ipc.open_stream(spool.read(end - start)).read_all()
                pending.append(table)
                pending_rows += table.num_rows
                if pending_rows >= PARQUET_ROW_GROUP:
                    writer.write_table(pa.concat_tables(pending), row_group_size=pending_rows)
                    pending, pending_rows = [], 0
            if pending or self.totals.rows == 0:
                table = pa.concat_tables(pending) if pending else schema.empty_table()
                writer.write_table(table, row_group_size=max(table.num_rows, 1))


class StdoutSink:
    """CSV on standard output, chunk by chunk (``-o -``): nothing to resume, nothing to rename."""

    format = "csv"

    def __init__(self, stream=None, columns: tuple[str, ...] = COLUMNS) -> None:
        self.columns = columns
        import sys

        self.stream = stream if stream is not None else sys.stdout.buffer
        self.totals = Totals()
        self.stream.write(header_bytes(self.format, self.columns))

    def commit(self, payload: bytes, rows: int, errors: int, hits: int) -> None:
        """Write one encoded chunk."""
        self.stream.write(payload)
        self.stream.flush()
        self.totals.rows += rows
        self.totals.errors += errors
        self.totals.hits += hits

    def finish(self) -> Path:
        """Flush; the output's name is ``-``."""
        self.stream.flush()
        return Path(STDOUT)

    def close(self) -> None:
        """Nothing to keep for a resume."""
