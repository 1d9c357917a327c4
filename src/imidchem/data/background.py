"""A background of ordinary compounds: the 5,000 NCI molecules that ship with RDKit.

Used to turn a similarity into a percentile: how unusual is this similarity to
thalidomide among compounds nobody designed to look like it?

The standardised molecules (``nci_background.smi``) and their fingerprints
(``nci_background_fps.npz``, one set per kind of :data:`imidchem.chem.fingerprints.
FINGERPRINTS`) ship with the package, built by ``tools/build_background.py`` from RDKit's
``first_5K.smi``; a test checks them against a fresh computation. Loading them takes
milliseconds where standardising and fingerprinting took seconds. A fingerprint kind that
is not shipped is computed from the shipped molecules on first use.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from rdkit import Chem, DataStructs, RDConfig, rdBase

from ..chem.fingerprints import DEFAULT_FINGERPRINT, fingerprint, fingerprint_name
from ..chem.mol import standardize

NCI_PATH = Path(RDConfig.RDDataDir) / "NCI" / "first_5K.smi"
SMILES_FILE = "nci_background.smi"
FINGERPRINT_FILE = "nci_background_fps.npz"


def data_path(name: str) -> Path:
    """Path of a file shipped in ``imidchem/data``."""
    return Path(str(resources.files("imidchem") / "data" / name))


def compute_background(path: str | Path = NCI_PATH) -> list[tuple[str, Chem.Mol]]:
    """``(NCI id, standardised Mol)`` of every readable molecule of RDKit's NCI file,
    computed from scratch (what ``tools/build_background.py`` ships)."""
    with rdBase.BlockLogs():
        supplier = Chem.SmilesMolSupplier(str(path), delimiter="\t", titleLine=False)
        return [(mol.GetProp("_Name"), standardize(mol)) for mol in supplier if mol is not None]


@lru_cache(maxsize=1)
def background_smiles() -> tuple[str, ...]:
    """The standardised SMILES of the background molecules (shipped), in NCI file order.

    >>> len(background_smiles())
    4991
    """
    text = data_path(SMILES_FILE).read_text(encoding="utf-8")
    return tuple(line.split("\t", 1)[0] for line in text.splitlines() if line)


@lru_cache(maxsize=1)
def background_mols() -> tuple[Chem.Mol, ...]:
    """The standardised NCI background molecules (unparsable entries skipped), read from
    the shipped SMILES. The shipped fingerprints were computed on the molecules as
    standardised, before writing SMILES: for one organometallic (a ferrocene) the
    topological torsion fingerprint of the re-read SMILES differs by one bit."""
    with rdBase.BlockLogs():
        return tuple(Chem.MolFromSmiles(smiles) for smiles in background_smiles())


@lru_cache(maxsize=1)
def _shipped() -> dict:
    import numpy as np

    with np.load(data_path(FINGERPRINT_FILE), allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def _unpack(data, offsets) -> tuple:
    raw = data.tobytes()
    bounds = offsets.tolist()
    return tuple(
        DataStructs.ExplicitBitVect(raw[start:end])
        for start, end in zip(bounds, bounds[1:], strict=False)
    )


@cache
def background_fingerprints(kind: str = DEFAULT_FINGERPRINT) -> tuple:
    """Fingerprints of the background molecules, cached per fingerprint kind.

    >>> len(background_fingerprints("maccs"))
    4991
    """
    kind = fingerprint_name(kind)
    shipped = _shipped()
    if f"{kind}_data" in shipped:
        return _unpack(shipped[f"{kind}_data"], shipped[f"{kind}_offsets"])
    return tuple(fingerprint(mol, kind) for mol in background_mols())


def pack_fingerprints(fps) -> tuple:
    """``(data, offsets)`` numpy arrays holding RDKit bit vectors (their binary form)."""
    import numpy as np

    blobs = [fp.ToBinary() for fp in fps]
    offsets = np.zeros(len(blobs) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(blob) for blob in blobs])
    return np.frombuffer(b"".join(blobs), dtype=np.uint8), offsets


def percentile(value: float, sorted_values: list[float] | tuple[float, ...]) -> float:
    """Percentile rank of ``value`` in ``sorted_values`` (ties count half), 0 to 100.

    >>> percentile(0.5, [0.1, 0.2, 0.5, 0.9])
    62.5
    """
    below = bisect_left(sorted_values, value)
    equal = bisect_right(sorted_values, value) - below
    return 100.0 * (below + 0.5 * equal) / len(sorted_values)


def exceedance_pvalue(value: float, sorted_values: list[float] | tuple[float, ...]) -> float:
    """Empirical p-value: share of background at least as similar, with the +1 correction.

    >>> exceedance_pvalue(0.5, [0.1, 0.2, 0.5, 0.9])
    0.6
    """
    at_least = len(sorted_values) - bisect_left(sorted_values, value)
    return (at_least + 1) / (len(sorted_values) + 1)
