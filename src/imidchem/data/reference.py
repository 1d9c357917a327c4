"""The curated reference set: IMiDs, CELMoDs, apremilast, alternative CRBN ligands, controls.

The set ships inside the package (``imidchem/data/smiles.csv``, a copy of the repository's
``data/smiles.csv``). Loading validates every row: the SMILES parses, the recomputed
InChIKey equals the stored one, names are unique.
"""

from __future__ import annotations

import csv
import re
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

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


def validate_reference(frame, source: str = "reference set") -> None:
    """Raise :class:`ReferenceDataError` naming the first broken row and column of a
    reference table (a DataFrame, or a list of row dicts)."""
    if hasattr(frame, "to_dict"):
        columns = [str(column) for column in frame.columns]
        rows = frame.to_dict("records")
    else:
        rows = list(frame)
        columns = list(rows[0]) if rows else list(REFERENCE_COLUMNS)
    missing = [column for column in REFERENCE_COLUMNS if column not in columns]
    if missing:
        raise ReferenceDataError(f"{source}: missing column(s) {', '.join(missing)}")
    seen: dict[str, int] = {}
    for position, row in enumerate(rows, start=2):
        name = row["name"]
        where = f"{source}, line {position} ({name or '?'})"
        if not name:
            raise ReferenceDataError(f"{where}, column 'name': empty name")
        key = name.lower()
        if key in seen:
            raise ReferenceDataError(f"{where}, column 'name': duplicate of line {seen[key]}")
        seen[key] = position
        try:
            mol = parse_smiles(row["smiles"])
        except ImidchemError as error:
            raise ReferenceDataError(f"{where}, column 'smiles': {error}") from None
        with rdBase.BlockLogs():
            computed = Chem.MolToInchiKey(mol)
        if computed != row["inchikey"]:
            raise ReferenceDataError(
                f"{where}, column 'inchikey': stored {row['inchikey']!r} but the SMILES gives "
                f"{computed!r}"
            )
        if row["crbn_binder"] not in CRBN_VALUES:
            raise ReferenceDataError(
                f"{where}, column 'crbn_binder': {row['crbn_binder']!r} is not one of {CRBN_VALUES}"
            )


def read_reference(path: str | Path):
    """Read and validate a reference CSV (same columns as the shipped one) as a DataFrame."""
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    validate_reference(frame, source=str(path))
    return frame


@lru_cache(maxsize=1)
def _rows() -> tuple[dict[str, str], ...]:
    """The validated rows of the shipped reference set (read without pandas: fast)."""
    with open(reference_path(), newline="", encoding="utf-8") as handle:
        rows = tuple(csv.DictReader(handle))
    validate_reference(rows, source=str(reference_path()))
    return rows


@lru_cache(maxsize=1)
def _cached_reference():
    import pandas as pd

    return pd.DataFrame(list(_rows()), columns=list(_rows()[0]), dtype=str)


def load_reference():
    """The validated reference set as a new DataFrame (one row per compound).

    >>> ref = load_reference()
    >>> ref.loc[ref.name == "apremilast", ["class", "crbn_binder", "inchikey"]].iloc[0].tolist()
    ['IMiD-like non-CRBN', 'no', 'IMOZEMNVLZVGJZ-QGZVFWFLSA-N']
    """
    return _cached_reference().copy()


# Words of a salt or solvate form: "lenalidomide hydrochloride" is lenalidomide.
SALT_WORDS: frozenset[str] = frozenset(
    """hydrochloride dihydrochloride monohydrochloride hcl hydrobromide hbr sodium potassium
    calcium magnesium mesylate mesilate maleate fumarate hemifumarate tartrate bitartrate citrate
    succinate sulfate sulphate bisulfate phosphate besylate besilate tosylate acetate lactate
    malate oxalate nitrate hydrate monohydrate dihydrate trihydrate hemihydrate sesquihydrate
    anhydrous salt form free base acid""".split()
)
_INCHIKEY = re.compile(r"^[A-Z]{14}-[A-Z]{8}[SN][A-Z]-[A-Z]$")


def _without_salt_words(text: str) -> str:
    """``text`` without trailing salt/solvate words and brackets.

    >>> _without_salt_words("Lenalidomide hydrochloride hydrate")
    'Lenalidomide'
    >>> _without_salt_words("pomalidomide (HCl)")
    'pomalidomide'
    """
    words = re.split(r"[\s,;()\[\]]+", text.strip())
    while len(words) > 1 and (not words[-1] or words[-1].lower() in SALT_WORDS):
        words.pop()
    return " ".join(words).strip()


@lru_cache(maxsize=1)
def _name_index() -> dict[str, int]:
    index: dict[str, int] = {}
    for position, row in enumerate(_rows()):
        index[row["name"].lower()] = position
        for synonym in filter(None, (s.strip() for s in row["synonyms"].split(";"))):
            index.setdefault(synonym.lower(), position)
    return index


@lru_cache(maxsize=1)
def _key_index() -> dict[str, int]:
    """InChIKey (stored, and of the standardised structure) to row position."""
    index: dict[str, int] = {}
    for position, row in enumerate(_rows()):
        index.setdefault(row["inchikey"], position)
    for position, mol in enumerate(reference_mols()[1]):
        with rdBase.BlockLogs():
            index.setdefault(Chem.MolToInchiKey(mol), position)
    return index


def _key(text: str) -> str:
    """A name as compared for suggestions: lower case, no spaces, hyphens or underscores.

    >>> _key("CC-4047"), _key("Lenalidomid ")
    ('cc4047', 'lenalidomid')
    """
    return re.sub(r"[\s_\-]+", "", str(text)).lower()


@lru_cache(maxsize=1)
def _suggestion_index() -> dict[str, str]:
    """Every name and synonym, as compared (:func:`_key`), to its reference name."""
    index: dict[str, str] = {}
    for row in _rows():
        for word in (row["name"], *row["synonyms"].split(";")):
            if word.strip():
                index.setdefault(_key(word), row["name"])
    return index


def suggest(name: str, limit: int = 3) -> list[str]:
    """Reference names close to a mistyped ``name`` (case, spaces and hyphens ignored),
    best first.

    >>> suggest("lenalidomid"), suggest("CC4047"), suggest("Pomalidomide HCL")
    (['lenalidomide'], ['pomalidomide'], ['pomalidomide'])
    >>> suggest("aspirin")
    []
    """
    import difflib

    index = _suggestion_index()
    key = _key(_without_salt_words(str(name))) or _key(name)
    if key in index:
        return [index[key]]
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, other).ratio(), index[other]) for other in index),
        reverse=True,
    )
    best = scored[0][0] if scored else 0.0
    close = [name for score, name in scored if score >= max(0.8, best - 0.03)]
    return list(dict.fromkeys(close))[:limit]


def unknown_name_hint(name: str) -> str:
    """``"did you mean X?"``, or where the reference names are listed.

    >>> unknown_name_hint("lenalidomid")
    'did you mean lenalidomide?'
    """
    close = suggest(name)
    if close:
        return "did you mean " + " or ".join(close) + "?"
    return f"paste its SMILES, or see the {len(_rows())} reference compounds with `imidchem table`"


def reference_names() -> list[str]:
    """Names of all reference compounds, in file order."""
    return [row["name"] for row in _rows()]


def _position(name: str) -> int | None:
    if not isinstance(name, str):
        return None
    text = name.strip()
    index = _name_index()
    position = index.get(text.lower())
    if position is None:
        position = index.get(_without_salt_words(text).lower())
    if position is None and _INCHIKEY.match(text):
        position = _key_index().get(text)
    return position


def find_reference(name: str):
    """The reference row (a pandas Series) for a name, synonym (salt words allowed) or
    InChIKey, or None."""
    position = _position(name)
    return None if position is None else _cached_reference().iloc[position].copy()


def get_reference(name: str):
    """The reference row for a name or synonym; raise :class:`UnknownNameError` otherwise.

    >>> get_reference("CC-4047")["name"]
    'pomalidomide'
    >>> get_reference("aspirin")
    Traceback (most recent call last):
    ...
    imidchem.errors.UnknownNameError: unknown compound 'aspirin': not in the reference set; paste its SMILES, or see the ... reference compounds with `imidchem table`
    """
    row = find_reference(name)
    if row is None:
        raise UnknownNameError(
            f"unknown compound {name!r}: not in the reference set; {unknown_name_hint(name)}"
        )
    return row


def canonical_name(name: str) -> str:
    """The reference name for a name, synonym or InChIKey; raise
    :class:`UnknownNameError` otherwise (no pandas needed).

    >>> canonical_name("Revlimid")
    'lenalidomide'
    """
    position = _position(name)
    if position is None:
        get_reference(name)  # raises with the known names
    return _rows()[position]["name"]


def reference_inchikeys() -> tuple[str, ...]:
    """The stored InChIKeys of the reference set, in file order."""
    return tuple(row["inchikey"] for row in _rows())


def name_of(mol: Chem.Mol) -> str | None:
    """The reference name of a standardised molecule, by InChIKey; None if it is not one.

    >>> name_of(to_mol("Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O.Cl"))
    'lenalidomide'
    """
    with rdBase.BlockLogs():
        key = Chem.MolToInchiKey(mol)
    position = _key_index().get(key)
    return None if position is None else _rows()[position]["name"]


def _from_inchi(text: str) -> Chem.Mol:
    with rdBase.BlockLogs():
        mol = Chem.MolFromInchi(text.strip(), sanitize=True, removeHs=True, logLevel=None)
    if mol is None or mol.GetNumAtoms() == 0:
        raise InvalidMoleculeError(f"invalid InChI {text!r}: RDKit cannot read it")
    return to_mol(mol)


def resolve(molecule: MolInput) -> tuple[str | None, Chem.Mol]:
    """Turn what a chemist pastes into ``(reference name or None, standardised Mol)``.

    Accepted: a reference name or synonym (case-insensitive, salt words such as
    "hydrochloride" allowed), the InChIKey of a reference compound, an InChI string, a
    SMILES string (salts and solvents are stripped) or an RDKit Mol. A name wins over
    reading the text as SMILES; any structure that is a reference compound is
    recognised by its InChIKey and named.

    >>> resolve("lenalidomide hydrochloride")[0]
    'lenalidomide'
    >>> resolve("UEJJHQNACJXSKW-UHFFFAOYSA-N")[0]
    'thalidomide'
    >>> resolve("InChI=1S/C13H10N2O4/c16-10-6-5-9(11(17)14-10)15-12(18)7-3-1-2-4-8(7)13(15)19"
    ...         "/h1-4,9H,5-6H2,(H,14,16,17)")[0]
    'thalidomide'
    >>> resolve("Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O.Cl")[0]
    'lenalidomide'
    >>> resolve("BSYNRYMUTXBXSQ-UHFFFAOYSA-N")
    Traceback (most recent call last):
    ...
    imidchem.errors.UnknownNameError: InChIKey 'BSYNRYMUTXBXSQ-UHFFFAOYSA-N' is not one of the reference set, and InChIKeys cannot be resolved offline: paste the SMILES or InChI instead
    """
    if isinstance(molecule, str):
        position = _position(molecule)
        if position is not None:
            row = _rows()[position]
            return row["name"], Chem.Mol(reference_mols()[1][position])  # a copy: callers may draw
        text = molecule.strip()
        if text.startswith("InChI="):
            mol = _from_inchi(text)
            return name_of(mol), mol
        if _INCHIKEY.match(text):
            raise UnknownNameError(
                f"InChIKey {text!r} is not one of the reference set, and InChIKeys cannot be "
                "resolved offline: paste the SMILES or InChI instead"
            )
        try:
            mol = to_mol(molecule)
        except InvalidMoleculeError as error:
            if not text:
                raise
            raise InvalidMoleculeError(
                f"{molecule!r} is neither a reference compound name nor a valid SMILES ({error}); "
                f"{unknown_name_hint(molecule)}"
            ) from None
        return name_of(mol), mol
    mol = to_mol(molecule)
    return name_of(mol), mol


@lru_cache(maxsize=1)
def reference_mols() -> tuple[tuple[str, ...], tuple[Chem.Mol, ...]]:
    """Names and standardised molecules of the reference set, in file order (cached and
    shared: read them, or copy with ``Chem.Mol(mol)``; :func:`reference_mol` hands out a
    copy; ``reference_mols.cache_clear()`` empties the cache)."""
    rows = _rows()
    return tuple(row["name"] for row in rows), tuple(to_mol(row["smiles"]) for row in rows)


def reference_mol(name: str) -> Chem.Mol:
    """The standardised molecule of a reference compound (name or synonym), a new copy
    (drawing or changing it changes no cache).

    >>> reference_mol("thalidomide").GetNumHeavyAtoms()
    19
    >>> reference_mol("thalidomide") is reference_mol("thalidomide")
    False
    """
    names, mols = reference_mols()
    return Chem.Mol(mols[names.index(canonical_name(name))])


@cache
def reference_fingerprints(kind: str = DEFAULT_FINGERPRINT) -> tuple[tuple[str, ...], tuple]:
    """Names and fingerprints of the (standardised) reference set, cached per fingerprint."""
    kind = fingerprint_name(kind)
    names, mols = reference_mols()
    return names, tuple(fingerprint(mol, kind) for mol in mols)
