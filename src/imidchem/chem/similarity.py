"""Similarity, similarity matrices and the maximum common substructure of molecules.

Molecules only (SMILES strings or RDKit Mols, standardised here): names of reference
compounds are resolved one layer up, in :mod:`imidchem.analysis.similarity`, whose
functions are the public ``imidchem.similarity``, ``imidchem.similarity_matrix`` and
``imidchem.mcs``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdkit import Chem, DataStructs, rdBase
from rdkit.Chem import rdFMCS

from .. import defaults
from ..display import render
from ..errors import InvalidArgumentError, check_choice
from .fingerprints import DEFAULT_FINGERPRINT, fingerprint, fingerprint_name
from .mol import MolInput, to_mol

if TYPE_CHECKING:
    import pandas as pd

METRICS: tuple[str, ...] = ("tanimoto", "dice", "tversky")
DEFAULT_REFERENCE = defaults.REFERENCE
THALIDOMIDE_SMILES = "O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1"


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
    reference: MolInput,
    fingerprint: str = DEFAULT_FINGERPRINT,  # noqa: A002 - public keyword name
    metric: str = "tanimoto",
    alpha: float = 0.5,
    beta: float = 0.5,
) -> float:
    """Similarity of the molecule ``query`` to the molecule ``reference`` (SMILES or Mol).

    >>> round(similarity("Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O", THALIDOMIDE_SMILES), 3)
    0.545
    """
    kind = fingerprint_name(fingerprint)
    metric = check_choice(metric, METRICS, "metric")
    query_fp = _fp(to_mol(query), kind)
    reference_fp = _fp(to_mol(reference), kind)
    return bulk_similarity(query_fp, [reference_fp], metric, alpha, beta)[0]


_fp = fingerprint  # the public keyword ``fingerprint`` shadows the function inside callers


def similarity_matrix(
    molecules: Sequence[MolInput],
    labels: Sequence[str] | None = None,
    fingerprint: str = DEFAULT_FINGERPRINT,  # noqa: A002
    metric: str = "tanimoto",
    alpha: float = 0.5,
    beta: float = 0.5,
) -> pd.DataFrame:
    """Pairwise similarity matrix of molecules, labelled by ``labels`` (default: SMILES).

    Row ``i``, column ``j`` holds ``sim(i, j)`` with ``i`` as the query (this matters
    only for an asymmetric Tversky).

    >>> similarity_matrix(["c1ccccc1", "Cc1ccccc1"]).round(3).values.tolist()
    [[1.0, 0.273], [0.273, 1.0]]
    """
    kind = fingerprint_name(fingerprint)
    mols = [to_mol(m) for m in molecules]
    if labels is not None and len(labels) != len(mols):
        raise InvalidArgumentError(
            f"names has {len(labels)} entries but there are {len(mols)} molecules"
        )
    labels = list(labels) if labels is not None else [Chem.MolToSmiles(mol) for mol in mols]
    fps = [_fp(mol, kind) for mol in mols]
    return matrix_of(fps, labels, metric, alpha, beta)


def matrix_of(
    fps: Sequence, labels: Sequence[str], metric: str = "tanimoto", alpha=0.5, beta=0.5
) -> pd.DataFrame:
    """The labelled similarity matrix of fingerprints."""
    import pandas as pd

    rows = [bulk_similarity(fp, fps, metric, alpha, beta) for fp in fps]
    return pd.DataFrame(rows, index=pd.Index(list(labels), name="query"), columns=list(labels))


@dataclass(frozen=True)
class MCSResult:
    """Maximum common substructure of a query with a reference."""

    num_atoms: int
    num_bonds: int
    smarts: str
    fraction_of_reference: float
    fraction_of_query: float
    timed_out: bool
    query_smiles: str = ""
    reference_smiles: str = ""

    def _repr_html_(self) -> str | None:
        return render(self, "html")  # the picture and table: imidchem.view.render


def mcs(query: MolInput, reference: MolInput, timeout: int = defaults.MCS_TIMEOUT) -> MCSResult:
    """Maximum common substructure of two molecules (rdFMCS, complete rings only) with a
    time limit in seconds.

    >>> result = mcs("COc1ccc(C(CS(C)(=O)=O)N2C(=O)c3cccc(NC(C)=O)c3C2=O)cc1OCC",
    ...              THALIDOMIDE_SMILES)
    >>> result.num_atoms, round(result.fraction_of_reference, 3)
    (11, 0.579)
    """
    if timeout <= 0:
        raise InvalidArgumentError(f"timeout must be a positive number of seconds, got {timeout}")
    query_mol = to_mol(query)
    reference_mol = to_mol(reference)
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
        query_smiles=Chem.MolToSmiles(query_mol),
        reference_smiles=Chem.MolToSmiles(reference_mol),
    )
