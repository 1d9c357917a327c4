"""Fingerprints by name, built with RDKit's ``rdFingerprintGenerator``.

==========  ==================================================  ==========
name        what                                                bits
==========  ==================================================  ==========
morgan      Morgan / ECFP4, radius 2 (the default)              2048
fcfp4       Morgan with feature invariants, radius 2            2048
atompair    atom pairs                                          2048
torsion     topological torsions                                2048
maccs       MACCS keys                                          167
rdkit       RDKit path fingerprint, paths up to 7 bonds         2048
==========  ==================================================  ==========

``ecfp4`` is an alias of ``morgan``.

Counted fingerprints (:data:`COUNT_FINGERPRINTS`) keep how often each environment occurs,
folded to the same 2048 positions (``UIntSparseIntVect``); RDKit's Tanimoto on counts is
sum(min) / sum(max). ``morgan_count`` (alias ``ecfp4_count``) is the counted twin of
``morgan``: a molecule that repeats an environment thalidomide has (apremilast's two
carbonyls on the phthalimide, its benzene CH) scores higher than with bits.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from rdkit import DataStructs
from rdkit.Chem import MACCSkeys, Mol, rdFingerprintGenerator

from .. import defaults
from ..errors import check_choice

FINGERPRINTS: tuple[str, ...] = ("morgan", "fcfp4", "atompair", "torsion", "maccs", "rdkit")
"""The bit-vector fingerprints (the default set of every table and figure)."""
COUNT_FINGERPRINTS: tuple[str, ...] = ("morgan_count",)
"""Counted fingerprints: accepted wherever a fingerprint name is, listed separately."""
_ALIASES = {
    "ecfp4": "morgan",
    "ecfp": "morgan",
    "fcfp": "fcfp4",
    "ap": "atompair",
    "tt": "torsion",
    "ecfp4_count": "morgan_count",
}
DEFAULT_FINGERPRINT = defaults.FINGERPRINT
FP_SIZE = 2048
MORGAN_RADIUS = 2


def fingerprint_name(name: str) -> str:
    """Resolve a fingerprint name or alias; raise with the allowed names otherwise.

    >>> fingerprint_name("ECFP4")
    'morgan'
    >>> fingerprint_name("ecfp6")
    Traceback (most recent call last):
    ...
    imidchem.errors.InvalidArgumentError: unknown fingerprint 'ecfp6'; allowed: morgan, fcfp4, atompair, torsion, maccs, rdkit, morgan_count, ecfp4, ecfp, fcfp, ap, tt, ecfp4_count
    """
    key = str(name).lower()
    key = _ALIASES.get(key, key)
    if key not in FINGERPRINTS + COUNT_FINGERPRINTS:
        check_choice(name, FINGERPRINTS + COUNT_FINGERPRINTS + tuple(_ALIASES), "fingerprint")
    return key


@cache
def _generator(name: str):
    if name in ("morgan", "morgan_count"):
        return rdFingerprintGenerator.GetMorganGenerator(radius=MORGAN_RADIUS, fpSize=FP_SIZE)
    if name == "fcfp4":
        return rdFingerprintGenerator.GetMorganGenerator(
            radius=MORGAN_RADIUS,
            fpSize=FP_SIZE,
            atomInvariantsGenerator=rdFingerprintGenerator.GetMorganFeatureAtomInvGen(),
        )
    if name == "atompair":
        return rdFingerprintGenerator.GetAtomPairGenerator(fpSize=FP_SIZE)
    if name == "torsion":
        return rdFingerprintGenerator.GetTopologicalTorsionGenerator(fpSize=FP_SIZE)
    if name == "rdkit":
        return rdFingerprintGenerator.GetRDKitFPGenerator(maxPath=7, fpSize=FP_SIZE)
    return None  # maccs has no generator


def fingerprint(mol: Mol, kind: str = DEFAULT_FINGERPRINT) -> DataStructs.ExplicitBitVect:
    """Fingerprint of one molecule: a bit vector, or a count vector for a counted kind.

    >>> from rdkit import Chem
    >>> thalidomide = Chem.MolFromSmiles("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1")
    >>> fp = fingerprint(thalidomide)
    >>> fp.GetNumBits(), fp.GetNumOnBits()
    (2048, 29)
    >>> counts = fingerprint(thalidomide, "morgan_count")
    >>> counts.GetLength(), len(counts.GetNonzeroElements()), sum(counts.GetNonzeroElements().values())
    (2048, 29, 53)
    """
    return fingerprinter(kind)(mol)


@cache
def fingerprinter(kind: str = DEFAULT_FINGERPRINT):
    """The function ``mol -> fingerprint`` of :func:`fingerprint` for one kind, resolved once
    (for loops over many molecules).

    >>> from rdkit import Chem
    >>> mol = Chem.MolFromSmiles("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1")
    >>> fingerprinter("morgan")(mol) == fingerprint(mol, "morgan")
    True
    """
    name = fingerprint_name(kind)
    if name == "maccs":
        return MACCSkeys.GenMACCSKeys
    if name in COUNT_FINGERPRINTS:
        return _generator(name).GetCountFingerprint
    return _generator(name).GetFingerprint


def fingerprints(mols: Iterable[Mol], kind: str = DEFAULT_FINGERPRINT) -> list:
    """Fingerprints of many molecules (same order)."""
    name = fingerprint_name(kind)
    return [fingerprint(mol, name) for mol in mols]
