"""The curated reference set: IMiDs, CELMoDs, apremilast, alternative CRBN ligands, controls.

The set ships inside the package (``imidchem/data/smiles.csv``, a copy of the repository's
``data/smiles.csv``). Loading validates every row: the SMILES parses, the recomputed
InChIKey equals the stored one, names are unique.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd
from rdkit import Chem, rdBase

from ..chem.fingerprints import DEFAULT_FINGERPRINT, fingerprint, fingerprint_name
from ..chem.mol import MolInput, parse_smiles, to_mol
from ..errors import ImidchemError, InvalidMoleculeError, UnknownNameError

REFERENCE_COLUMNS: tuple[str, ...] = (
    "name",
    "synonyms",
    "class",
    "smiles",
    "inchikey",
    "formula",
    "crbn_binder",
    "crbn_source",
    "atc_code",
    "note",
)
CRBN_VALUES = ("yes", "no", "unknown")


class ReferenceDataError(ImidchemError):
    """A row of the reference file is broken (names the row and the column)."""


def reference_path() -> Path:
    """Path of the reference CSV shipped with the package."""
    return Path(str(resources.files("imidchem") / "data" / "smiles.csv"))


def validate_reference(frame: pd.DataFrame, source: str = "reference set") -> None:
    """Raise :class:`ReferenceDataError` naming the first broken row and column."""
    missing = [column for column in REFERENCE_COLUMNS if column not in frame.columns]
    if missing:
        raise ReferenceDataError(f"{source}: missing column(s) {', '.join(missing)}")
    seen: dict[str, int] = {}
    for position, row in enumerate(frame.itertuples(index=False), start=2):
        where = f"{source}, line {position} ({row.name or '?'})"
        if not row.name:
            raise ReferenceDataError(f"{where}, column 'name': empty name")
        key = row.name.lower()
        if key in seen:
            raise ReferenceDataError(f"{where}, column 'name': duplicate of line {seen[key]}")
        seen[key] = position
        try:
            mol = parse_smiles(row.smiles)
        except ImidchemError as error:
            raise ReferenceDataError(f"{where}, column 'smiles': {error}") from None
        with rdBase.BlockLogs():
            computed = Chem.MolToInchiKey(mol)
        if computed != row.inchikey:
            raise ReferenceDataError(
                f"{where}, column 'inchikey': stored {row.inchikey!r} but the SMILES gives {computed!r}"
            )
        if row.crbn_binder not in CRBN_VALUES:
            raise ReferenceDataError(
                f"{where}, column 'crbn_binder': {row.crbn_binder!r} is not one of {CRBN_VALUES}"
            )


def read_reference(path: str | Path) -> pd.DataFrame:
    """Read and validate a reference CSV (same columns as the shipped one)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    validate_reference(frame, source=str(path))
    return frame


@lru_cache(maxsize=1)
def _cached_reference() -> pd.DataFrame:
    return read_reference(reference_path())


def load_reference() -> pd.DataFrame:
    """The validated reference set as a new DataFrame (one row per compound).

    >>> ref = load_reference()
    >>> ref.loc[ref.name == "apremilast", ["class", "crbn_binder", "inchikey"]].iloc[0].tolist()
    ['IMiD-like non-CRBN', 'no', 'IMOZEMNVLZVGJZ-QGZVFWFLSA-N']
    """
    return _cached_reference().copy()


@lru_cache(maxsize=1)
def _name_index() -> dict[str, int]:
    ref = _cached_reference()
    index: dict[str, int] = {}
    for position, row in enumerate(ref.itertuples(index=False)):
        index[row.name.lower()] = position
        for synonym in filter(None, (s.strip() for s in row.synonyms.split(";"))):
            index.setdefault(synonym.lower(), position)
    return index


def reference_names() -> list[str]:
    """Names of all reference compounds, in file order."""
    return _cached_reference()["name"].tolist()


def find_reference(name: str) -> pd.Series | None:
    """The reference row for a name or synonym (case-insensitive), or None."""
    if not isinstance(name, str):
        return None
    position = _name_index().get(name.strip().lower())
    return None if position is None else _cached_reference().iloc[position].copy()


def get_reference(name: str) -> pd.Series:
    """The reference row for a name or synonym; raise :class:`UnknownNameError` otherwise.

    >>> get_reference("CC-4047")["name"]
    'pomalidomide'
    >>> get_reference("aspirin")
    Traceback (most recent call last):
    ...
    imidchem.errors.UnknownNameError: unknown compound 'aspirin': not in the reference set ...
    """
    row = find_reference(name)
    if row is None:
        raise UnknownNameError(
            f"unknown compound {name!r}: not in the reference set "
            f"(known: {', '.join(reference_names())})"
        )
    return row


def resolve(molecule: MolInput) -> tuple[str | None, Chem.Mol]:
    """Resolve a reference name, synonym, SMILES or Mol to ``(name or None, standardised Mol)``.

    A string that is a reference name wins over reading it as SMILES.

    >>> name, mol = resolve("Revlimid")
    >>> name, mol.GetNumHeavyAtoms()
    ('lenalidomide', 19)
    """
    if isinstance(molecule, str):
        row = find_reference(molecule)
        if row is not None:
            return row["name"], to_mol(row["smiles"])
        try:
            return None, to_mol(molecule)
        except InvalidMoleculeError as error:
            if not molecule.strip():
                raise
            raise InvalidMoleculeError(
                f"{molecule!r} is neither a reference compound name nor a valid SMILES ({error}); "
                f"known names: {', '.join(reference_names())}"
            ) from None
    return None, to_mol(molecule)


@lru_cache(maxsize=1)
def reference_mols() -> tuple[tuple[str, ...], tuple[Chem.Mol, ...]]:
    """Names and standardised molecules of the reference set, in file order."""
    ref = _cached_reference()
    return tuple(ref["name"]), tuple(to_mol(smiles) for smiles in ref["smiles"])


def reference_mol(name: str) -> Chem.Mol:
    """The standardised molecule of a reference compound (name or synonym).

    >>> reference_mol("thalidomide").GetNumHeavyAtoms()
    19
    """
    names, mols = reference_mols()
    return mols[names.index(get_reference(name)["name"])]


@cache
def reference_fingerprints(kind: str = DEFAULT_FINGERPRINT) -> tuple[tuple[str, ...], tuple]:
    """Names and fingerprints of the (standardised) reference set, cached per fingerprint."""
    kind = fingerprint_name(kind)
    names, mols = reference_mols()
    return names, tuple(fingerprint(mol, kind) for mol in mols)
