"""A background of ordinary compounds that ships with RDKit: the 5,000 NCI molecules.

Used to turn a similarity into a percentile: how unusual is this similarity to
thalidomide among compounds nobody designed to look like it?
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cache, lru_cache
from pathlib import Path

from rdkit import RDConfig, rdBase
from rdkit.Chem import Mol, SmilesMolSupplier

from ..chem.fingerprints import DEFAULT_FINGERPRINT, fingerprint, fingerprint_name
from ..chem.mol import standardize

NCI_PATH = Path(RDConfig.RDDataDir) / "NCI" / "first_5K.smi"


@lru_cache(maxsize=1)
def background_mols() -> tuple[Mol, ...]:
    """The standardised NCI background molecules (unparsable entries skipped)."""
    with rdBase.BlockLogs():
        supplier = SmilesMolSupplier(str(NCI_PATH), delimiter="\t", titleLine=False)
        return tuple(standardize(mol) for mol in supplier if mol is not None)


@cache
def background_fingerprints(kind: str = DEFAULT_FINGERPRINT) -> tuple:
    """Fingerprints of the background molecules, cached per fingerprint kind."""
    kind = fingerprint_name(kind)
    return tuple(fingerprint(mol, kind) for mol in background_mols())


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
