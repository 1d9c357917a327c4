"""Property: whatever the ids and the file's shape, every output has one row per record, in order.

Hypothesis writes a library (CSV or TSV with any quoting, a SMILES file or Parquet; ``\\n``,
``\\r\\n`` or bare ``\\r`` line ends; with or without a byte-order mark; plain or gzipped) whose ids
hold quotes, separators, line breaks, formula characters and any other Unicode text, screens it
to CSV, CSV.gz and Parquet, and reads each output back with pandas and with the csv module:
the same number of rows, the same ids, in the same order.
"""

from __future__ import annotations

import csv
import gzip
import io
import string

import pandas as pd
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from imidchem import screen  # noqa: E402
from imidchem.engine import writers  # noqa: E402

SMILES = [
    "CCO",
    "c1ccccc1",
    "O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1",
    "C1CC",  # unclosed ring: an error row
    "Xx",  # not an element
    "[Na+].[Cl-]",
    "N#N",
    "",  # empty cell (not in .smi files, where it would shift the id into the SMILES)
]
SPECIAL = ["\r", "\n", "\r\n", '"', "'", ",", "\t", ";", "=", "+", "-", "@", " ", "\x00", "\ufeff"]
_ALNUM = st.text(string.ascii_letters + string.digits, min_size=1, max_size=3)
IDS = st.one_of(
    # a quote, separator, line break or formula character inside an id: the hard cases
    st.builds(lambda a, special, b: a + special + b, _ALNUM, st.sampled_from(SPECIAL), _ALNUM),
    # anything else: any Unicode text (no lone surrogates) and special characters, any order
    st.lists(
        st.one_of(
            st.sampled_from(SPECIAL), st.text(st.characters(blacklist_categories=("Cs",)), max_size=3)
        ),
        max_size=5,
    ).map("".join),
)


@st.composite
def libraries(draw):
    """``(file name, bytes, expected ids)`` of a library file of a random shape."""
    fmt = draw(st.sampled_from(["csv", "tsv", "smi", "parquet"]))
    count = draw(st.integers(min_value=0, max_value=12))
    smiles_pool = SMILES if fmt != "smi" else SMILES[:-1]
    smiles = draw(st.lists(st.sampled_from(smiles_pool), min_size=count, max_size=count))
    ids = draw(st.lists(IDS, min_size=count, max_size=count))
    if fmt == "smi":  # a line holds the id: no line breaks in it
        ids = [name.replace("\r", "").replace("\n", "") for name in ids]
    expected = [name.strip() or str(number) for number, name in enumerate(ids, start=1)]
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        sink = io.BytesIO()
        pq.write_table(pa.table({"id": ids, "smiles": smiles}), sink)
        data = sink.getvalue()
    else:
        ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
        if fmt == "smi":
            text = "".join(f"{s} {name}{ending}" for s, name in zip(smiles, ids, strict=True))
        else:
            delimiter = "\t" if fmt == "tsv" else ","
            quote_all = draw(st.booleans())
            lines = [["id", "smiles"], *zip(ids, smiles, strict=True)]
            text = "".join(
                delimiter.join(_field(value, delimiter, quote_all) for value in line) + ending
                for line in lines
            )
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig"]))
        data = text.encode(encoding)
    name = f"library.{fmt}"
    if draw(st.booleans()):
        data, name = gzip.compress(data), name + ".gz"
    return name, data, expected


def _field(value: str, delimiter: str, quote_all: bool) -> str:
    """A CSV field: quoted when it must be (or always), quotes doubled."""
    if quote_all or any(char in value for char in (delimiter, '"', "\r", "\n")):
        return '"' + value.replace('"', '""') + '"'
    return value


def _csv_ids(data: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[0][0] == "id" and all(len(row) == len(rows[0]) for row in rows)
    return [row[0] for row in rows[1:]]


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(library=libraries())
def test_every_output_reads_back_with_the_same_rows(tmp_path_factory, monkeypatch, library):
    name, data, expected = library
    # durability is the kill-and-resume tests' business; here fsync would only cost time
    monkeypatch.setattr(writers.os, "fsync", lambda descriptor: None)
    folder = tmp_path_factory.mktemp("lib")
    source = folder / name
    source.write_bytes(data)
    statuses = None
    for output in ("out.csv", "out.csv.gz", "out.parquet"):
        path = screen(source, folder / output, chunk_size=5, quiet=True)
        if output == "out.parquet":
            back = pd.read_parquet(path)
        else:
            raw = path.read_bytes()
            text = gzip.decompress(raw) if output.endswith(".gz") else raw
            assert _csv_ids(text) == expected
            back = pd.read_csv(io.BytesIO(text), dtype=str, keep_default_na=False)
        assert back["id"].tolist() == expected
        statuses = statuses or back["status"].tolist()
        assert back["status"].tolist() == statuses
