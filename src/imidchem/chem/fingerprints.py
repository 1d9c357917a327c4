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
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from rdkit import DataStructs
from rdkit.Chem import MACCSkeys, Mol, rdFingerprintGenerator

from .. import defaults
from ..errors import check_choice

FINGERPRINTS: tuple[str, ...] = ("morgan", "fcfp4", "atompair", "torsion", "maccs", "rdkit")
_ALIASES = {"ecfp4": "morgan", "ecfp": "morgan", "fcfp": "fcfp4", "ap": "atompair", "tt": "torsion"}
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
    imidchem.errors.InvalidArgumentError: unknown fingerprint 'ecfp6'; allowed: morgan, fcfp4, atompair, torsion, maccs, rdkit, ecfp4, ecfp, fcfp, ap, tt
    """
    key = str(name).lower()
    key = _ALIASES.get(key, key)
    if key not in FINGERPRINTS:
        check_choice(name, FINGERPRINTS + tuple(_ALIASES), "fingerprint")
    return key


@cache
def _generator(name: str):
    if name == "morgan":
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
    """Bit-vector fingerprint of one molecule.

    >>> from rdkit import Chem
    >>> fp = fingerprint(Chem.MolFromSmiles("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1"))
    >>> fp.GetNumBits(), fp.GetNumOnBits()
    (2048, 29)
    """
    name = fingerprint_name(kind)
    if name == "maccs":
        return MACCSkeys.GenMACCSKeys(mol)
    return _generator(name).GetFingerprint(mol)


def fingerprints(mols: Iterable[Mol], kind: str = DEFAULT_FINGERPRINT) -> list:
    """Fingerprints of many molecules (same order)."""
    name = fingerprint_name(kind)
    return [fingerprint(mol, name) for mol in mols]
