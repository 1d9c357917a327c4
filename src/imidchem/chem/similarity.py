"""Similarity to thalidomide (or any reference compound or SMILES), matrices and MCS."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import pandas as pd
from rdkit import Chem, DataStructs, rdBase
from rdkit.Chem import rdFMCS

from ..data.reference import load_reference, resolve
from ..errors import InvalidArgumentError, check_choice
from .fingerprints import DEFAULT_FINGERPRINT, fingerprint, fingerprint_name
from .mol import MolInput

METRICS: tuple[str, ...] = ("tanimoto", "dice", "tversky")
DEFAULT_REFERENCE = "thalidomide"


def _check_tversky(alpha: float, beta: float) -> None:
    if alpha < 0 or beta < 0:
        raise InvalidArgumentError(f"Tversky alpha and beta must be >= 0, got {alpha}, {beta}")


def bulk_similarity(
    query_fp, fps: Sequence, metric: str = "tanimoto", alpha: float = 0.5, beta: float = 0.5
) -> list[float]:
    """Similarity of one fingerprint to many, with RDKit's bulk functions.

    For Tversky, ``alpha`` weighs the query's own bits and ``beta`` the other's.
    """
    metric = check_choice(metric, METRICS, "metric")
    if metric == "tanimoto":
        return list(DataStructs.BulkTanimotoSimilarity(query_fp, fps))
    if metric == "dice":
        return list(DataStructs.BulkDiceSimilarity(query_fp, fps))
    _check_tversky(alpha, beta)
    return list(DataStructs.BulkTverskySimilarity(query_fp, fps, alpha, beta))


def similarity(
    query: MolInput,
    reference: MolInput = DEFAULT_REFERENCE,
    fingerprint: str = DEFAULT_FINGERPRINT,  # noqa: A002 - public keyword name
    metric: str = "tanimoto",
    alpha: float = 0.5,
    beta: float = 0.5,
) -> float:
    """Similarity of ``query`` to ``reference`` (thalidomide by default).

    Both may be a reference name or synonym, a SMILES string or an RDKit Mol.

    >>> round(similarity("lenalidomide"), 3)
    0.545
    >>> round(similarity("apremilast", fingerprint="maccs", metric="dice"), 3)
    0.632
    """
    kind = fingerprint_name(fingerprint)
    metric = check_choice(metric, METRICS, "metric")
    query_fp = _fingerprint_of(query, kind)
    reference_fp = _fingerprint_of(reference, kind)
    return bulk_similarity(query_fp, [reference_fp], metric, alpha, beta)[0]


def _fingerprint_of(molecule: MolInput, kind: str):
    _, mol = resolve(molecule)
    return _fp(mol, kind)


_fp = fingerprint  # the public keyword ``fingerprint`` shadows the function inside callers


@cache
def reference_fingerprints(kind: str = DEFAULT_FINGERPRINT) -> tuple[tuple[str, ...], tuple]:
    """Names and fingerprints of the (standardised) reference set, cached per fingerprint."""
    kind = fingerprint_name(kind)
    ref = load_reference()
    names = tuple(ref["name"])
    fps = tuple(_fp(resolve(name)[1], kind) for name in names)
    return names, fps


def similarity_matrix(
    molecules: Sequence[MolInput] | None = None,
    names: Sequence[str] | None = None,
    fingerprint: str = DEFAULT_FINGERPRINT,  # noqa: A002
    metric: str = "tanimoto",
    alpha: float = 0.5,
    beta: float = 0.5,
) -> pd.DataFrame:
    """Pairwise similarity matrix, labelled by name (the reference set by default).

    Row ``i``, column ``j`` holds ``sim(i, j)`` with ``i`` as the query (this matters
    only for an asymmetric Tversky).

    >>> m = similarity_matrix()
    >>> m.shape == (len(load_reference()), len(load_reference()))
    True
    >>> float(m.loc["thalidomide", "thalidomide"])
    1.0
    """
    kind = fingerprint_name(fingerprint)
    if molecules is None:
        labels, fps = reference_fingerprints(kind)
        labels = list(labels)
    else:
        molecules = list(molecules)
        if names is not None and len(names) != len(molecules):
            raise InvalidArgumentError(
                f"names has {len(names)} entries but there are {len(molecules)} molecules"
            )
        resolved = [resolve(m) for m in molecules]
        labels = (
            list(names)
            if names is not None
            else [name or Chem.MolToSmiles(mol) for name, mol in resolved]
        )
        fps = [_fp(mol, kind) for _, mol in resolved]
    rows = [bulk_similarity(fp, fps, metric, alpha, beta) for fp in fps]
    return pd.DataFrame(rows, index=pd.Index(labels, name="query"), columns=labels)


@dataclass(frozen=True)
class MCSResult:
    """Maximum common substructure of a query with a reference."""

    num_atoms: int
    num_bonds: int
    smarts: str
    fraction_of_reference: float
    fraction_of_query: float
    timed_out: bool


def mcs(query: MolInput, reference: MolInput = DEFAULT_REFERENCE, timeout: int = 2) -> MCSResult:
    """Maximum common substructure (rdFMCS, complete rings only) with a time limit in seconds.

    >>> result = mcs("apremilast")
    >>> result.num_atoms, round(result.fraction_of_reference, 3)
    (11, 0.579)
    """
    if timeout <= 0:
        raise InvalidArgumentError(f"timeout must be a positive number of seconds, got {timeout}")
    _, query_mol = resolve(query)
    _, reference_mol = resolve(reference)
    with rdBase.BlockLogs():
        found = rdFMCS.FindMCS(
            [query_mol, reference_mol],
            timeout=int(timeout),
            ringMatchesRingOnly=True,
            completeRingsOnly=True,
        )
    return MCSResult(
        num_atoms=found.numAtoms,
        num_bonds=found.numBonds,
        smarts=found.smartsString,
        # max(..., 1): a molecule without heavy atoms ('[H+]', '*') shares nothing, 0.0
        fraction_of_reference=found.numAtoms / max(reference_mol.GetNumHeavyAtoms(), 1),
        fraction_of_query=found.numAtoms / max(query_mol.GetNumHeavyAtoms(), 1),
        timed_out=found.canceled,
    )
