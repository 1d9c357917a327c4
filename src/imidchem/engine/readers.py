"""Streaming readers for compound files: one record at a time, flat memory.

Formats, each optionally gzip-compressed (``.gz``):

=================  =========================================================
``.smi .smiles``   one SMILES per line, optionally followed by an id
``.csv .tsv``      a header line, then one row per molecule
``.sdf``           MDL molfile blocks separated by ``$$$$``
``.parquet``       a table with a SMILES column
=================  =========================================================

A reader yields :data:`Record` tuples ``(id, text, error)``: ``text`` is the SMILES as
given (or the molfile block for SDF, see :attr:`RecordReader.kind`) and ``error`` is
empty, or the reason the record is broken (an empty line, bytes that are not UTF-8, a
CSV row with the wrong number of fields or broken quoting, an SDF block without
``M  END``, a line longer than the reader's limit). Broken records stay in the stream so
that the output keeps one row per input record. The id is the id column (or SMILES
title, SDF title line) and the record number (from 1) when there is none.

Lines end at ``\\n``, ``\\r\\n`` or a bare ``\\r``, in every text format. A line longer
than ``max_line`` bytes is skipped without being held in memory (one error row). A CSV
quote that is never closed, or that runs on for more than ``max_line`` bytes, costs one
error row for the line where it opened; the lines after it are read again as records.
A compressed input that ends early or is corrupt ends the stream with one error row
saying so, and :attr:`RecordReader.input_error` holds the message.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import shutil
import tempfile
import zlib
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from rdkit import Chem, rdBase

from ..errors import InvalidArgumentError, MissingExtraError
from ..evidence.frames import ID_COLUMN_NAMES, SMILES_COLUMN_NAMES, find_column, molecule_column

if TYPE_CHECKING:
    import pandas as pd

Record = tuple[str, str | None, str]
"""``(id, text, error)`` of one input record; ``error`` is empty for a readable record."""

INPUT_FORMATS: dict[str, str] = {
    ".smi": "smi",
    ".smiles": "smi",
    ".csv": "csv",
    ".tsv": "tsv",
    ".sdf": "sdf",
    ".parquet": "parquet",
}
MAX_LINE = 1 << 20
"""Default longest line (and longest CSV record) read, in bytes; SDF records may be 16 times it."""
_BLOCK = 1 << 16
_OK, _LONG, _CUT = 0, 1, 2


def input_format(path: str | os.PathLike) -> tuple[str, bool]:
    """The format of an input file from its extension, and whether it is gzipped.

    >>> input_format("library.sdf.gz")
    ('sdf', True)
    >>> input_format("library.xlsx")
    Traceback (most recent call last):
    ...
    imidchem.errors.InvalidArgumentError: unknown input extension of 'library.xlsx'; allowed: .smi, .smiles, .csv, .tsv, .sdf, .parquet, each optionally .gz
    """
    name = Path(path).name.lower()
    gzipped = name.endswith(".gz")
    if gzipped:
        name = name[:-3]
    suffix = Path(name).suffix
    if suffix not in INPUT_FORMATS:
        raise InvalidArgumentError(
            f"unknown input extension of {str(path)!r}; allowed: "
            f"{', '.join(INPUT_FORMATS)}, each optionally .gz"
        )
    return INPUT_FORMATS[suffix], gzipped


def _undecodable(raw: bytes, error: UnicodeDecodeError, where: str) -> str:
    return f"{where}: not valid UTF-8 (byte 0x{raw[error.start]:02x} at position {error.start + 1})"


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _shown(text: str) -> str:
    """Text decoded with ``surrogateescape`` made printable (bad bytes become U+FFFD)."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def read_problem(error: BaseException) -> str:
    """Words for an error raised while decompressing or reading an input file.

    >>> read_problem(EOFError("Compressed file ended before the end-of-stream marker was reached"))
    'the compressed data ends early (truncated file)'
    """
    if isinstance(error, EOFError):
        return "the compressed data ends early (truncated file)"
    if isinstance(error, gzip.BadGzipFile):
        return f"corrupt gzip data ({error})"
    if isinstance(error, zlib.error):
        return f"corrupt compressed data ({error})"
    if isinstance(error, OSError):
        return f"read error ({error.strerror or error})"
    return f"{type(error).__name__}: {error}"  # pragma: no cover


def _end_stripped(line: bytes) -> bytes:
    """A line without its terminator (``\\r\\n``, ``\\n`` or ``\\r``)."""
    if line.endswith(b"\n"):
        return line[:-2] if line.endswith(b"\r\n") else line[:-1]
    return line[:-1] if line.endswith(b"\r") else line


def split_lines(binary: BinaryIO, limit: int, problems: list[str]) -> Iterator[tuple[int, bytes, int]]:
    """``(line number, line with its terminator, state)`` of a binary stream.

    Lines end at ``\\n``, ``\\r\\n`` or ``\\r``. ``state`` is 0 for a line, 1 for a line longer
    than ``limit`` bytes (skipped; ``b""`` stands for it) and 2 when reading failed
    (truncated or corrupt compressed data; the partial line, then the stream ends and the
    reason is appended to ``problems``).

    >>> [line for _, line, _ in split_lines(io.BytesIO(b"a\\rb\\r\\nc\\nd"), 10, [])]
    [b'a\\r', b'b\\r\\n', b'c\\n', b'd']
    >>> list(split_lines(io.BytesIO(b"abcdef\\nx\\n"), 4, []))
    [(1, b'', 1), (2, b'x\\n', 0)]
    """
    number = 0
    pending = b""
    skipping = False
    while True:
        try:
            block = binary.read1(_BLOCK)  # read1: bytes come back before a later error
        except (EOFError, OSError, zlib.error) as error:
            problems.append(read_problem(error))
            yield number + 1, b"" if skipping else pending, _CUT
            return
        if not block:
            break
        lines = (pending + block if pending else block).splitlines(keepends=True)
        pending = b"" if lines[-1].endswith(b"\n") else lines.pop()
        for line in lines:
            number += 1
            if skipping or len(line) > limit:
                skipping = False
                yield number, b"", _LONG
            else:
                yield number, line, _OK
        if len(pending) > limit:
            skipping, pending = True, b""
    if pending or skipping:
        yield number + 1, b"" if skipping else pending, _LONG if skipping else _OK


class _CsvBroken(Exception):
    """A line or record the CSV reader cannot take (too long, or input cut short)."""

    def __init__(self, reason: str, cut: bool = False) -> None:
        super().__init__(reason)
        self.cut = cut


class _CsvFeeder:
    """Lines for :func:`csv.reader`, remembering those of the current record for replay."""

    def __init__(self, lines: Iterator[tuple[int, bytes, int]], limit: int, problems: list[str]):
        self.lines = lines
        self.limit = limit
        self.problems = problems
        self.queue: deque = deque()
        self.current: list[tuple[int, bytes, int]] = []
        self.size = 0

    def __iter__(self) -> _CsvFeeder:
        return self

    def __next__(self) -> str:
        item = self.queue.popleft() if self.queue else next(self.lines)
        self.current.append(item)
        number, data, state = item
        if state == _LONG:
            raise _CsvBroken(f"line {number}: longer than {self.limit:,} bytes")
        if state == _CUT:
            raise _CsvBroken(f"line {number}: the input ends here: {self.problems[-1]}", cut=True)
        self.size += len(data)
        if self.size > self.limit:
            raise _CsvBroken(
                f"line {self.current[0][0]}: a quoted field runs on for more than "
                f"{self.limit:,} bytes (a quote that is never closed?)"
            )
        text = data.decode("utf-8", "surrogateescape")
        return text.lstrip("\ufeff") if number == 1 else text

    def take(self) -> list[tuple[int, bytes, int]]:
        """The lines of the record just read (or given up), and start the next one."""
        lines, self.current, self.size = self.current, [], 0
        return lines

    def replay(self, lines: list[tuple[int, bytes, int]]) -> None:
        """Read ``lines`` again before the rest of the input."""
        self.queue.extendleft(reversed(lines))


def _next_row(rows, max_line: int) -> list[str] | None:
    """The next row of a :func:`csv.reader` (None at the end), its fields allowed up to
    ``max_line`` bytes: :func:`csv.field_size_limit` is process-wide, so it is raised for
    this one read and put back (another reader, or the caller's own csv code, is not
    affected)."""
    previous = csv.field_size_limit()
    if previous > max_line:
        return next(rows, None)
    csv.field_size_limit(max_line + 1)
    try:
        return next(rows, None)
    finally:
        csv.field_size_limit(previous)


class RecordReader:
    """Open, validate and stream one input file.

    Opening checks what can be checked up front (the file exists, the extension is
    known, the named columns exist) and raises :class:`InvalidArgumentError` with the
    allowed values. Iterating yields :data:`Record` tuples in file order.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "x.smi").write_text("CCO ethanol\\n\\nc1ccccc1\\n")
    >>> list(RecordReader(folder / "x.smi"))
    [('ethanol', 'CCO', ''), ('2', '', 'line 2: empty line'), ('3', 'c1ccccc1', '')]
    """

    def __init__(
        self,
        path: str | os.PathLike,
        smiles_col: str | None = None,
        id_col: str | None = None,
        max_line: int = MAX_LINE,
        keep_input: bool = False,
    ) -> None:
        self.path = Path(path)
        self.keep_input = keep_input
        self.max_line = max_line
        self.input_error = ""
        """Why the input ended early (truncated or corrupt compressed data), or ""."""
        self._problems: list[str] = []
        self.format, self.gzipped = input_format(self.path)
        if not self.path.exists():
            raise InvalidArgumentError(f"input file not found: {self.path}")
        if self.path.is_dir():
            raise InvalidArgumentError(f"input is a directory, not a file: {self.path}")
        if self.format in ("smi", "sdf") and smiles_col is not None:
            raise InvalidArgumentError(
                f"--smiles-col applies to .csv, .tsv and .parquet input, not .{self.format}"
            )
        if self.format == "smi" and id_col is not None:
            raise InvalidArgumentError(
                "--id-col applies to .csv, .tsv, .parquet and .sdf input; "
                "in a SMILES file the id is the text after the SMILES"
            )
        self.smiles_col = smiles_col
        self.id_col = id_col
        self.kind = "molblock" if self.format == "sdf" else "smiles"
        self._raw: BinaryIO | None = None
        self._size = max(self.path.stat().st_size, 1)
        self._done_rows = 0
        self._total_rows: int | None = None
        self.columns: list[str] = []
        self._smiles_index: int | None = None
        self._id_index: int | None = None
        self.input_columns: list[str] = []
        """The input's other columns (CSV, TSV, Parquet) or data fields (SDF), kept in each
        record as a fourth item (text) when ``keep_input``; the SMILES and id columns are
        the record's own."""
        self._input_index: list[int] = []
        if self.gzipped and self.format != "parquet":
            self._probe()
        if self.format in ("csv", "tsv"):
            self._check_header()
        elif self.format == "parquet":
            self._check_parquet()
        elif self.format == "sdf" and id_col is not None:
            self._check_sdf_field()
        if keep_input and self.format == "sdf":
            self.input_columns = self._sdf_field_names()

    # -- opening ---------------------------------------------------------------------

    def _open_binary(self) -> BinaryIO:
        raw = open(self.path, "rb")  # noqa: SIM115 - closed by the iterators
        self._raw = raw
        if self.gzipped:
            return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
        return raw

    def _probe(self) -> None:
        """Refuse a compressed file whose first block cannot be read (not gzip, cut short)."""
        try:
            with self._open_binary() as binary:
                binary.read(_BLOCK)
        except (EOFError, OSError, zlib.error) as error:
            raise InvalidArgumentError(f"cannot read {self.path}: {read_problem(error)}") from None

    def _lines(self, binary: BinaryIO) -> Iterator[tuple[int, bytes, int]]:
        limit = self.max_line if self.format != "sdf" else 16 * self.max_line
        return split_lines(binary, limit, self._problems)

    def _note_cut(self, where: str) -> str:
        """Record why the input ended early; the error text of the last row."""
        problem = self._problems[-1]
        self.input_error = f"{self.path}: {where}: {problem}; the records after it are lost"
        return f"{where}: the input ends here: {problem}"

    def _delimiter(self) -> str:
        return "\t" if self.format == "tsv" else ","

    def _check_header(self) -> None:
        with self._open_binary() as binary:
            feeder = _CsvFeeder(self._lines(binary), self.max_line, self._problems)
            try:
                rows = csv.reader(feeder, delimiter=self._delimiter(), strict=True)
                header = _next_row(rows, self.max_line)
            except (csv.Error, _CsvBroken) as error:
                reason = str(error)
                if reason == "unexpected end of data":
                    reason = "a quote opened in it is never closed"
                raise InvalidArgumentError(
                    f"cannot read the header line of {self.path}: {reason}"
                ) from None
        if not header:
            raise InvalidArgumentError(f"{self.path} is empty: expected a header line")
        self._set_columns([_shown(column) for column in header])

    def _set_columns(self, columns: list[str]) -> None:
        self.columns = columns
        source = str(self.path)
        index = find_column(columns, self.smiles_col, SMILES_COLUMN_NAMES, "SMILES", source)
        if index is None:
            raise InvalidArgumentError(
                f"no SMILES column in {source}: name it with --smiles-col; "
                f"available columns: {', '.join(columns)}"
            )
        self._smiles_index = index
        self._id_index = find_column(columns, self.id_col, ID_COLUMN_NAMES, "id", source)
        if self._id_index == self._smiles_index:
            self._id_index = None
        if self.keep_input:
            own = (self._smiles_index, self._id_index)
            self._input_index = [i for i in range(len(columns)) if i not in own]
            self.input_columns = [columns[i] for i in self._input_index]

    def _parquet_file(self):
        try:
            import pyarrow.parquet as pq
        except ImportError:  # pragma: no cover - pyarrow is in the test environment
            raise MissingExtraError("Parquet files", "parquet") from None
        if not self.gzipped:
            return pq.ParquetFile(self.path)
        # Parquet needs random access: unpack a gzipped file to a temporary file first.
        spooled = tempfile.TemporaryFile()
        try:
            with gzip.open(self.path, "rb") as packed:
                shutil.copyfileobj(packed, spooled, 1 << 20)
        except (EOFError, OSError, zlib.error) as error:
            spooled.close()
            raise InvalidArgumentError(f"cannot read {self.path}: {read_problem(error)}") from None
        spooled.seek(0)
        return pq.ParquetFile(spooled)

    def _check_parquet(self) -> None:
        try:
            parquet = self._parquet_file()
        except (OSError, ValueError) as error:
            if isinstance(error, InvalidArgumentError):
                raise
            raise InvalidArgumentError(f"cannot read {self.path} as Parquet: {error}") from None
        self._set_columns(list(parquet.schema_arrow.names))
        self._total_rows = parquet.metadata.num_rows
        parquet.close()

    def _check_sdf_field(self) -> None:
        for _, _, fields, _ in self._sdf_blocks():
            if fields is not None and self.id_col not in fields:
                raise InvalidArgumentError(
                    f"unknown id field {self.id_col!r} in the first record of {self.path}; "
                    f"available fields: {', '.join(fields) or '(none)'}"
                )
            return

    def _sdf_field_names(self) -> list[str]:
        """Every data field name of the file, in order of first appearance (one pass)."""
        names: dict[str, None] = {}
        for _, _, fields, _ in self._sdf_blocks():
            names.update(dict.fromkeys(fields or ()))
        names.pop(self.id_col, None)
        return list(names)

    # -- progress --------------------------------------------------------------------

    def fraction_done(self) -> float | None:
        """Share of the input read so far (0 to 1), for progress bars; None if unknown."""
        if self._total_rows is not None:
            return min(self._done_rows / max(self._total_rows, 1), 1.0)
        if self._raw is None or self._raw.closed:
            return None
        try:
            return min(self._raw.tell() / self._size, 1.0)
        except (OSError, ValueError):  # pragma: no cover - unusual file objects
            return None

    # -- iteration -------------------------------------------------------------------

    def __iter__(self) -> Iterator[Record]:
        if self.format == "smi":
            return self._smi_records()
        if self.input_columns and self.format in ("csv", "tsv"):
            return self._csv_records(kept=True)
        if self.format in ("csv", "tsv"):
            return self._csv_records()
        if self.format == "sdf":
            return self._sdf_records()
        return self._parquet_records()

    def _smi_records(self) -> Iterator[Record]:
        with self._open_binary() as binary:
            number = 0
            for line_number, data, state in self._lines(binary):
                if state == _LONG:
                    number += 1
                    yield str(number), "", f"line {line_number}: longer than {self.max_line:,} bytes"
                    continue
                raw = _end_stripped(data)
                if state == _CUT:
                    shown = raw.decode("utf-8", "replace").strip()
                    yield str(number + 1), shown, self._note_cut(f"line {line_number}")
                    return
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as error:
                    number += 1
                    shown = raw.decode("utf-8", "replace").strip()
                    yield str(number), shown, _undecodable(raw, error, f"line {line_number}")
                    continue
                if line_number == 1:
                    line = line.lstrip("\ufeff")
                    if not line and raw == data:
                        continue  # a byte-order mark and nothing else: no line at all
                    first = line.split(None, 1)
                    if first and first[0].lower() in ("smiles", "smi"):
                        continue  # a header line, not a molecule
                number += 1
                parts = line.split(None, 1)
                if not parts:
                    yield str(number), "", f"line {line_number}: empty line"
                elif len(parts) == 1:
                    yield str(number), parts[0], ""
                else:
                    yield parts[1].strip() or str(number), parts[0], ""

    def _csv_records(self, kept: bool = False) -> Iterator[Record]:
        if kept:  # the other fields of each row follow, as a fourth item
            blank = ("",) * len(self._input_index)
            for record, row in self._csv_rows():
                extra = blank if row is None else tuple(
                    row[i] if i < len(row) else "" for i in self._input_index
                )
                yield (*record, extra)
        else:
            for record, _ in self._csv_rows():
                yield record

    def _csv_rows(self) -> Iterator[tuple[Record, list[str] | None]]:
        """Each record with its CSV fields (None for a line that could not be read)."""
        smiles_index, id_index = self._smiles_index, self._id_index
        assert smiles_index is not None
        width = len(self.columns)
        with self._open_binary() as binary:
            feeder = _CsvFeeder(self._lines(binary), self.max_line, self._problems)
            header = True
            number = 0
            while True:
                rows = csv.reader(feeder, delimiter=self._delimiter(), strict=True)
                try:
                    while (row := _next_row(rows, self.max_line)) is not None:
                        where = f"line {feeder.take()[0][0]}"
                        if header:
                            header = False
                            continue
                        number += 1
                        if not row:
                            yield (str(number), "", f"{where}: empty line"), None
                            continue
                        smiles = row[smiles_index] if smiles_index < len(row) else ""
                        name = (
                            row[id_index].strip()
                            if id_index is not None and id_index < len(row)
                            else ""
                        )
                        if len(row) != width:
                            error = f"{where}: {len(row)} fields, but the header has {width}"
                            yield (_shown(name) or str(number), _shown(smiles), error), row
                        elif _has_surrogates(smiles) or _has_surrogates(name):
                            error = f"{where}: not valid UTF-8"
                            yield (_shown(name) or str(number), _shown(smiles), error), row
                        else:
                            yield (name or str(number), smiles, ""), row
                    return
                except _CsvBroken as broken:
                    lines = feeder.take()
                    number += 1
                    if broken.cut:
                        where = f"line {lines[0][0]}"
                        yield (str(number), "", self._note_cut(where)), None
                        return
                    yield (str(number), "", str(broken)), None
                    feeder.replay(lines[1:])
                except csv.Error as error:
                    lines = feeder.take()
                    number += 1
                    where = f"line {lines[0][0]}"
                    if str(error) == "unexpected end of data":
                        reason = f"{where}: a quote opened in this record is never closed"
                    else:
                        reason = f"{where}: malformed CSV quoting ({error})"
                    yield (str(number), "", reason), None
                    feeder.replay(lines[1:])

    def _sdf_blocks(self) -> Iterator[tuple[int, str | None, dict[str, str] | None, str]]:
        """``(first line number, molblock, data fields, error)`` of each SDF record."""
        limit = 16 * self.max_line
        with self._open_binary() as binary:
            lines: list[bytes] = []
            size = 0
            problem = ""
            start = 1
            for line_number, data, state in self._lines(binary):
                raw = _end_stripped(data)
                if state == _CUT:
                    lines.append(raw)
                    problem = self._note_cut(f"line {line_number}")
                    yield start, None, None, problem
                    return
                if state == _LONG:
                    problem = problem or f"line {line_number} is longer than {limit:,} bytes"
                elif raw.rstrip() == b"$$$$":
                    yield _sdf_block(lines, start) if not problem else (start, None, None, problem)
                    lines, size, problem = [], 0, ""
                    start = line_number + 1
                elif not problem:
                    lines.append(raw + b"\n")
                    size += len(raw)
                    if size > limit:
                        lines, problem = [], f"record longer than {limit:,} bytes"
            if problem:
                yield start, None, None, problem
            elif any(line.strip() for line in lines):
                yield _sdf_block(lines, start)

    def _sdf_records(self) -> Iterator[Record]:
        for number, (line, molblock, fields, error) in enumerate(self._sdf_blocks(), start=1):
            name = ""
            if fields is not None:
                if self.id_col is not None:
                    name = fields.get(self.id_col, "").strip()
                elif molblock:
                    name = molblock.split("\n", 1)[0].strip()
            if error:
                record = (name or str(number), "", f"record {number} (line {line}): {error}")
            else:
                record = (name or str(number), molblock, "")
            if self.input_columns:
                record += (tuple((fields or {}).get(field, "") for field in self.input_columns),)
            yield record

    def _parquet_records(self) -> Iterator[Record]:
        parquet = self._parquet_file()
        smiles_name = self.columns[self._smiles_index]  # type: ignore[index]
        id_name = self.columns[self._id_index] if self._id_index is not None else None
        wanted = [smiles_name] + ([id_name] if id_name is not None else [])
        kept = [self.columns[i] for i in self._input_index]
        wanted += kept
        number = 0
        batches = parquet.iter_batches(batch_size=65536, columns=wanted)
        try:
            while True:
                try:
                    batch = next(batches, None)
                except (OSError, ValueError) as error:
                    self._problems.append(f"cannot read the Parquet data ({error})")
                    record = (str(number + 1), "", self._note_cut(f"row {number + 1}"))
                    yield record + (("",) * len(kept),) if kept else record
                    return
                if batch is None:
                    return
                smiles_values = batch.column(0).to_pylist()
                ids = batch.column(1).to_pylist() if id_name is not None else None
                others = [
                    [_text(value) if value is not None else "" for value in column.to_pylist()]
                    for column in batch.columns[len(wanted) - len(kept) :]
                ]
                for position, smiles in enumerate(smiles_values):
                    number += 1
                    name = ids[position] if ids is not None else None
                    name = "" if name is None else _text(name)
                    error = ""
                    if isinstance(smiles, bytes):
                        try:
                            smiles = smiles.decode("utf-8")
                        except UnicodeDecodeError:
                            smiles, error = (
                                _shown(smiles.decode("utf-8", "surrogateescape")),
                                (f"row {number}: not valid UTF-8"),
                            )
                    elif smiles is not None and not isinstance(smiles, str):
                        smiles, error = str(smiles), f"row {number}: not a SMILES string"
                    record = (name.strip() or str(number), smiles, error)
                    if kept:
                        record += (tuple(column[position] for column in others),)
                    yield record
                self._done_rows = number
        finally:
            parquet.close()


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _sdf_block(
    lines: list[bytes], start: int
) -> tuple[int, str | None, dict[str, str] | None, str]:
    """Split one SDF record into its molblock and data fields, or say why it is broken."""
    raw = b"".join(lines)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return start, None, None, _undecodable(raw, error, "molfile block")
    if not text.strip():
        return start, None, None, "empty record"
    text = text.replace("\r\n", "\n")
    end = text.find("\nM  END")
    if end < 0:
        return start, None, {}, "broken molfile block: no 'M  END' line"
    end = text.find("\n", end + 1)
    molblock = text[: end + 1] if end >= 0 else text + "\n"
    return start, molblock, _sdf_fields(text[len(molblock) :]), ""


def _sdf_fields(data: str) -> dict[str, str]:
    """The ``> <NAME>`` data items after the molblock: name to first value line.

    >>> _sdf_fields("> <ID>\\nX-1\\n\\n> <note> (1)\\nfine\\n\\n")
    {'ID': 'X-1', 'note': 'fine'}
    """
    fields: dict[str, str] = {}
    lines = data.split("\n")
    for position, line in enumerate(lines):
        if line.startswith(">") and "<" in line:
            name = line[line.index("<") + 1 : line.find(">", line.index("<"))]
            value = lines[position + 1] if position + 1 < len(lines) else ""
            fields.setdefault(name, value)
    return fields


def frame_columns(
    frame, smiles_col: str | None = None, id_col: str | None = None
) -> tuple[int, int | None, list[int]]:
    """``(SMILES column, id column or None, the other columns)`` of a DataFrame, positions."""
    columns = [str(column) for column in frame.columns]
    smiles_index = molecule_column(frame, smiles_col)
    id_index = find_column(columns, id_col, ID_COLUMN_NAMES, "id", "the DataFrame")
    if id_index == smiles_index:
        id_index = None
    others = [i for i in range(len(columns)) if i not in (smiles_index, id_index)]
    return smiles_index, id_index, others


def records_from_frame(
    frame, smiles_col: str | None = None, id_col: str | None = None, keep_input: bool = False
) -> Iterator[Record]:
    """Records from a pandas DataFrame (ids from ``id_col``, else the row number from 1).

    The molecule column follows :mod:`imidchem.evidence.frames`; RDKit Mols travel as
    their SMILES. With ``keep_input`` each record carries the frame's other columns as
    text (a fourth item; missing values as "").
    """
    smiles_index, id_index, others = frame_columns(frame, smiles_col, id_col)
    smiles_values = frame.iloc[:, smiles_index].tolist()
    ids = frame.iloc[:, id_index].tolist() if id_index is not None else None
    if keep_input and others:
        kept = [frame.iloc[:, i].tolist() for i in others]
        rows = zip(*kept, strict=True)
        texts = (tuple("" if v is None or v != v else _text(v) for v in row) for row in rows)
        return (
            (*record, extra)
            for record, extra in zip(_frame_records(smiles_values, ids), texts, strict=True)
        )
    return _frame_records(smiles_values, ids)


def _frame_records(smiles_values: list, ids: list | None) -> Iterator[Record]:
    """The :data:`Record` of each molecule value and id (None: the row number)."""

    def generate() -> Iterator[Record]:
        for number, smiles in enumerate(smiles_values, start=1):
            name = ids[number - 1] if ids is not None else None
            name = "" if name is None or name != name else _text(name).strip()
            if not name.isascii() and _has_surrogates(name):
                name = _shown(name)
            if isinstance(smiles, Chem.Mol):
                yield name or str(number), Chem.MolToSmiles(smiles), ""
            elif smiles is not None and not isinstance(smiles, str) and smiles == smiles:
                yield name or str(number), str(smiles), f"row {number}: not a SMILES string"
            elif isinstance(smiles, str) and not smiles.isascii() and _has_surrogates(smiles):
                yield name or str(number), _shown(smiles), f"row {number}: not valid UTF-8"
            else:
                yield name or str(number), smiles if isinstance(smiles, str) else None, ""

    return generate()


def read_table(path: str | os.PathLike, smiles_col: str | None = None) -> pd.DataFrame:
    """Any input file :func:`imidchem.screen` reads, as a DataFrame of text columns.

    CSV and TSV keep their columns; a SMILES file gives ``smiles`` and ``id``; an SDF
    gives ``id`` (the title line), ``smiles`` (of the molfile block) and one column per
    data field; Parquet is read as it is. Used by ``imidchem validate``, so that labels
    can live in any of these formats.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "x.smi").write_text("CCO ethanol\\nc1ccccc1\\n")
    >>> read_table(folder / "x.smi").values.tolist()
    [['ethanol', 'CCO'], ['2', 'c1ccccc1']]
    """
    import pandas as pd

    tabular = input_format(path)[0] in ("csv", "tsv", "parquet")
    reader = RecordReader(path, smiles_col=smiles_col if tabular else None)
    try:
        frame = _read_table(reader)
    except (EOFError, OSError, zlib.error) as error:
        raise InvalidArgumentError(f"cannot read {reader.path}: {read_problem(error)}") from None
    except UnicodeDecodeError as error:
        raise InvalidArgumentError(
            f"cannot read {reader.path}: not valid UTF-8 (byte 0x{error.object[error.start]:02x})"
        ) from None
    except (pd.errors.ParserError, ValueError) as error:
        shown = " ".join(str(error).split())
        raise InvalidArgumentError(f"cannot read {reader.path}: {shown}") from None
    if reader.input_error:
        raise InvalidArgumentError(f"cannot read {reader.input_error}")
    return frame


def _read_table(reader: RecordReader) -> pd.DataFrame:
    import pandas as pd

    if reader.format in ("csv", "tsv"):
        return pd.read_csv(
            reader.path, sep=reader._delimiter(), dtype=str, keep_default_na=False, na_values=[""]
        )
    if reader.format == "parquet":
        if reader.gzipped:
            with gzip.open(reader.path, "rb") as packed:
                return pd.read_parquet(io.BytesIO(packed.read()))
        return pd.read_parquet(reader.path)
    if reader.format == "smi":
        rows = [(name, text if not error else None) for name, text, error in reader]
        return pd.DataFrame(rows, columns=["id", "smiles"], dtype=object)
    rows = []
    with rdBase.BlockLogs():
        for number, (_, molblock, fields, error) in enumerate(reader._sdf_blocks(), start=1):
            mol = Chem.MolFromMolBlock(molblock) if molblock and not error else None
            title = molblock.split("\n", 1)[0].strip() if molblock else ""
            rows.append(
                {
                    "id": title or str(number),
                    "smiles": Chem.MolToSmiles(mol) if mol is not None else None,
                    **(fields or {}),
                }
            )
    return pd.DataFrame(rows, dtype=object)
