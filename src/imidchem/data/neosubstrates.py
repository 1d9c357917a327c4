"""Cereblon neosubstrates and the known outcomes of reference compounds, as package data.

Two things live here:

- :data:`NEOSUBSTRATES`: the proteins imidchem profiles, by HGNC gene symbol, with what
  their degradation means and the residue of the degron that decides recruitment.
- the outcome table (``imidchem/data/neosubstrate_outcomes.csv``): one row per compound
  and gene, ``yes``/``no``/``weak``, the basis (``measured`` in the cited paper, ``stated``
  there as a selectivity claim or with citations, or ``structure``: recruited in a
  ternary crystal structure), the measure and system, and a DOI, PMID or citation.

Loading checks every row as the reference set is checked: the compound is a reference
compound (its structure comes from ``smiles.csv``, checked by InChIKey there), the gene
is one of :data:`NEOSUBSTRATES`, the outcome and basis are allowed values, and the row
names its source.

>>> table = load_outcomes()
>>> table.loc[(table.compound == "lenalidomide") & (table.gene == "CSNK1A1"), "outcome"].item()
'yes'
>>> check_gene("ck1a")
Traceback (most recent call last):
...
imidchem.errors.InvalidArgumentError: unknown neosubstrate gene 'ck1a'; allowed: IKZF1, IKZF3, IKZF2, CSNK1A1, GSPT1, SALL4, TP63, ZBTB16, ZNF692
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import InvalidArgumentError


@dataclass(frozen=True)
class Neosubstrate:
    """A protein cereblon recruits with a glue: gene symbol, name, why it matters, and the
    degron residue that decides."""

    gene: str
    protein: str
    meaning: str
    decides: str


NEOSUBSTRATES: dict[str, Neosubstrate] = {
    n.gene: n
    for n in (
        Neosubstrate(
            "IKZF1",
            "Ikaros",
            "immunomodulatory and anti-myeloma effect of the approved IMiDs",
            "Gln146 of the zinc-finger-2 hairpin (Q146H abolishes degradation)",
        ),
        Neosubstrate(
            "IKZF3",
            "Aiolos",
            "immunomodulatory and anti-myeloma effect of the approved IMiDs",
            "Gln147 of the zinc-finger-2 hairpin (the Ikaros Gln146 position)",
        ),
        Neosubstrate(
            "IKZF2",
            "Helios",
            "regulatory T-cell identity; spared by the classical IMiDs",
            "His141 where Ikaros and Aiolos have Gln",
        ),
        Neosubstrate(
            "CSNK1A1",
            "casein kinase 1 alpha (CK1alpha)",
            "lenalidomide's effect in del(5q) myelodysplastic syndrome",
            "the beta-hairpin glycine (Gly40) of the N-lobe",
        ),
        Neosubstrate(
            "GSPT1",
            "eRF3a",
            "cytotoxic: the aim of CC-885 and eragidomide, an anti-target for the rest",
            "Gly575 of the beta-hairpin (G575N abolishes degradation)",
        ),
        Neosubstrate(
            "SALL4",
            "Sal-like protein 4",
            "teratogenicity of thalidomide (human, primate, rabbit)",
            "the zinc-finger-2 hairpin glycine",
        ),
        Neosubstrate(
            "TP63",
            "p63",
            "teratogenicity of thalidomide (limb and ear defects in models)",
            "not in a shipped structure",
        ),
        Neosubstrate(
            "ZBTB16",
            "PLZF",
            "teratogenicity of thalidomide and 5-hydroxythalidomide (chicken limb models)",
            "not in a shipped structure",
        ),
        Neosubstrate(
            "ZNF692",
            "zinc finger protein 692",
            "a zinc-finger off-target of pomalidomide (degrome screen)",
            "the zinc-finger hairpin glycine",
        ),
    )
}
"""The neosubstrates imidchem profiles, by HGNC symbol, in display order."""

GENES: tuple[str, ...] = tuple(NEOSUBSTRATES)
"""HGNC symbols of :data:`NEOSUBSTRATES`, in display order."""

OUTCOMES: tuple[str, ...] = ("yes", "no", "weak")
"""Allowed outcomes: degraded (or, basis 'structure', recruited), not degraded, weakly."""

BASES: tuple[str, ...] = ("measured", "stated", "structure")
"""How the cited paper supports the outcome: measured there; stated there (a selectivity
claim, or a statement citing earlier measurements); recruited in a ternary crystal."""

OUTCOME_COLUMNS: tuple[str, ...] = (
    "compound",
    "gene",
    "outcome",
    "basis",
    "measure",
    "source",
    "note",
)
_SOURCE = re.compile(r"^(doi:10\.\S+/\S+|pmid:\d+|cite:.+)$")


def check_gene(gene: str) -> str:
    """The HGNC symbol for ``gene`` (case-insensitive); raise naming the allowed ones.

    >>> check_gene("gspt1")
    'GSPT1'
    """
    key = str(gene).strip().upper()
    if key not in NEOSUBSTRATES:
        raise InvalidArgumentError(
            f"unknown neosubstrate gene {gene!r}; allowed: {', '.join(GENES)}"
        )
    return key


def outcomes_path() -> Path:
    """Path of the outcome table shipped with the package."""
    return Path(str(resources.files("imidchem") / "data" / "neosubstrate_outcomes.csv"))


def validate_outcomes(rows: Iterable[dict], source: str = "outcome table") -> None:
    """Raise :class:`~imidchem.data.reference.ReferenceDataError` naming the first broken
    row and column: unknown compound or gene, bad outcome or basis, no source, a repeat."""
    from .reference import ReferenceDataError, canonical_name, find_reference

    seen: dict[tuple[str, str], int] = {}
    for position, row in enumerate(rows, start=2):
        missing = [column for column in OUTCOME_COLUMNS if column not in row]
        if missing:
            raise ReferenceDataError(f"{source}: missing column(s) {', '.join(missing)}")
        where = f"{source}, line {position} ({row['compound']}, {row['gene']})"
        if find_reference(row["compound"]) is None:
            raise ReferenceDataError(
                f"{where}, column 'compound': not a reference compound (add it to smiles.csv)"
            )
        if row["gene"] not in NEOSUBSTRATES:
            raise ReferenceDataError(
                f"{where}, column 'gene': {row['gene']!r} is not one of {', '.join(GENES)}"
            )
        for column, allowed in (("outcome", OUTCOMES), ("basis", BASES)):
            if row[column] not in allowed:
                raise ReferenceDataError(
                    f"{where}, column {column!r}: {row[column]!r} is not one of {allowed}"
                )
        if not _SOURCE.match(row["source"].strip()):
            raise ReferenceDataError(
                f"{where}, column 'source': {row['source']!r} is not 'doi:...', 'pmid:...' "
                "or 'cite:...'"
            )
        if not row["measure"].strip():
            raise ReferenceDataError(f"{where}, column 'measure': empty")
        key = (canonical_name(row["compound"]), row["gene"])
        if key in seen:
            raise ReferenceDataError(f"{where}: repeats line {seen[key]}")
        seen[key] = position


@lru_cache(maxsize=1)
def outcome_rows() -> tuple[dict[str, str], ...]:
    """The validated rows of the shipped outcome table (compound names canonical)."""
    with open(outcomes_path(), newline="", encoding="utf-8") as handle:
        rows = tuple(csv.DictReader(handle))
    validate_outcomes(rows, source=str(outcomes_path()))
    from .reference import canonical_name

    return tuple({**row, "compound": canonical_name(row["compound"])} for row in rows)


def load_outcomes():
    """The outcome table as a new DataFrame (one row per compound and gene)."""
    import pandas as pd

    return pd.DataFrame(list(outcome_rows()), columns=list(OUTCOME_COLUMNS))


def outcome_compounds() -> tuple[str, ...]:
    """Reference names of the compounds with at least one outcome, in table order.

    >>> outcome_compounds()[:3]
    ('thalidomide', 'lenalidomide', 'pomalidomide')
    """
    return tuple(dict.fromkeys(row["compound"] for row in outcome_rows()))
