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
CSV row with the wrong number of fields, an SDF block without ``M  END``). Broken
records stay in the stream so that the output keeps one row per input record. The id
is the id column (or SMILES title, SDF title line) and the record number (from 1)
when there is none.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pandas as pd
from rdkit import Chem, rdBase

from ..errors import InvalidArgumentError, MissingExtraError
from ..evidence.frames import ID_COLUMN_NAMES, SMILES_COLUMN_NAMES, find_column, molecule_column

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
    ) -> None:
        self.path = Path(path)
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
        if self.format in ("csv", "tsv"):
            self._check_header()
        elif self.format == "parquet":
            self._check_parquet()
        elif self.format == "sdf" and id_col is not None:
            self._check_sdf_field()

    # -- opening ---------------------------------------------------------------------

    def _open_binary(self) -> BinaryIO:
        raw = open(self.path, "rb")  # noqa: SIM115 - closed by the iterators
        self._raw = raw
        if self.gzipped:
            return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
        return raw

    def _open_text(self, binary: BinaryIO) -> io.TextIOWrapper:
        return io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")

    def _delimiter(self) -> str:
        return "\t" if self.format == "tsv" else ","

    def _check_header(self) -> None:
        with self._open_binary() as binary, self._open_text(binary) as text:
            header = next(csv.reader(text, delimiter=self._delimiter()), None)
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

    def _parquet_file(self):
        try:
            import pyarrow.parquet as pq
        except ImportError:  # pragma: no cover - pyarrow is in the test environment
            raise MissingExtraError("Parquet files", "parquet") from None
        if not self.gzipped:
            return pq.ParquetFile(self.path)
        # Parquet needs random access: unpack a gzipped file to a temporary file first.
        spooled = tempfile.TemporaryFile()
        with gzip.open(self.path, "rb") as packed:
            shutil.copyfileobj(packed, spooled, 1 << 20)
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
        if self.format in ("csv", "tsv"):
            return self._csv_records()
        if self.format == "sdf":
            return self._sdf_records()
        return self._parquet_records()

    def _smi_records(self) -> Iterator[Record]:
        with self._open_binary() as binary:
            number = 0
            for line_number, raw in enumerate(binary, start=1):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as error:
                    number += 1
                    shown = raw.decode("utf-8", "replace").strip()
                    yield str(number), shown, _undecodable(raw, error, f"line {line_number}")
                    continue
                if line_number == 1:
                    line = line.lstrip("\ufeff")
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

    def _csv_records(self) -> Iterator[Record]:
        smiles_index, id_index = self._smiles_index, self._id_index
        assert smiles_index is not None
        width = len(self.columns)
        with self._open_binary() as binary, self._open_text(binary) as text:
            rows = csv.reader(text, delimiter=self._delimiter())
            next(rows, None)
            number = 0
            for row in rows:
                number += 1
                where = f"line {rows.line_num}"
                if not row:
                    yield str(number), "", f"{where}: empty line"
                    continue
                smiles = row[smiles_index] if smiles_index < len(row) else ""
                name = row[id_index].strip() if id_index is not None and id_index < len(row) else ""
                if len(row) != width:
                    error = f"{where}: {len(row)} fields, but the header has {width}"
                    yield name or str(number), _shown(smiles), error
                elif _has_surrogates(smiles) or _has_surrogates(name):
                    error = f"{where}: not valid UTF-8"
                    yield _shown(name) or str(number), _shown(smiles), error
                else:
                    yield name or str(number), smiles, ""

    def _sdf_blocks(self) -> Iterator[tuple[int, str | None, dict[str, str] | None, str]]:
        """``(first line number, molblock, data fields, error)`` of each SDF record."""
        with self._open_binary() as binary:
            lines: list[bytes] = []
            start = 1
            for line_number, raw in enumerate(binary, start=1):
                if raw.rstrip() == b"$$$$":
                    yield _sdf_block(lines, start)
                    lines = []
                    start = line_number + 1
                else:
                    lines.append(raw)
            if any(line.strip() for line in lines):
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
                yield name or str(number), "", f"record {number} (line {line}): {error}"
            else:
                yield name or str(number), molblock, ""

    def _parquet_records(self) -> Iterator[Record]:
        parquet = self._parquet_file()
        smiles_name = self.columns[self._smiles_index]  # type: ignore[index]
        id_name = self.columns[self._id_index] if self._id_index is not None else None
        wanted = [smiles_name] + ([id_name] if id_name is not None else [])
        number = 0
        try:
            for batch in parquet.iter_batches(batch_size=65536, columns=wanted):
                smiles_values = batch.column(0).to_pylist()
                ids = batch.column(1).to_pylist() if id_name is not None else None
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
                    yield name.strip() or str(number), smiles, error
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


def records_from_frame(
    frame, smiles_col: str | None = None, id_col: str | None = None
) -> Iterator[Record]:
    """Records from a pandas DataFrame (ids from ``id_col``, else the row number from 1).

    The molecule column follows :mod:`imidchem.evidence.frames`; RDKit Mols travel as
    their SMILES.
    """
    columns = [str(column) for column in frame.columns]
    smiles_index = molecule_column(frame, smiles_col)
    id_index = find_column(columns, id_col, ID_COLUMN_NAMES, "id", "the DataFrame")
    smiles_values = frame.iloc[:, smiles_index].tolist()
    ids = frame.iloc[:, id_index].tolist() if id_index not in (None, smiles_index) else None

    def generate() -> Iterator[Record]:
        for number, smiles in enumerate(smiles_values, start=1):
            name = ids[number - 1] if ids is not None else None
            name = "" if name is None or name != name else _text(name).strip()
            if isinstance(smiles, Chem.Mol):
                yield name or str(number), Chem.MolToSmiles(smiles), ""
            elif smiles is not None and not isinstance(smiles, str) and smiles == smiles:
                yield name or str(number), str(smiles), f"row {number}: not a SMILES string"
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
    tabular = input_format(path)[0] in ("csv", "tsv", "parquet")
    reader = RecordReader(path, smiles_col=smiles_col if tabular else None)
    if reader.format in ("csv", "tsv"):
        return pd.read_csv(
            reader.path, sep=reader._delimiter(), dtype=str, keep_default_na=False, na_values=[""]
        )
    if reader.format == "parquet":
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
