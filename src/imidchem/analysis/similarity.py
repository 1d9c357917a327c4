"""Similarity and MCS of compounds given by name: the public ``imidchem.similarity``,
``imidchem.similarity_matrix`` and ``imidchem.mcs``.

Names (and synonyms, salt forms, InChI, InChIKeys of reference compounds) become molecules
here, through :func:`imidchem.data.reference.resolve`; the computation is
:mod:`imidchem.chem.similarity`'s, on molecules.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from rdkit import Chem

from .. import defaults
from ..chem import similarity as chem
from ..chem.fingerprints import DEFAULT_FINGERPRINT, fingerprint_name
from ..chem.mol import MolInput
from ..chem.similarity import METRICS, MCSResult, bulk_similarity
from ..data.reference import reference_fingerprints, resolve
from ..errors import check_choice

__all__ = ["METRICS", "MCSResult", "bulk_similarity", "mcs", "similarity", "similarity_matrix"]


def similarity(
    query: MolInput,
    reference: MolInput = defaults.REFERENCE,
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
    return chem.similarity(
        resolve(query)[1], resolve(reference)[1], fingerprint, metric, alpha, beta
    )


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
    >>> float(m.loc["thalidomide", "thalidomide"]), m.shape[0] == m.shape[1]
    (1.0, True)
    """
    kind = fingerprint_name(fingerprint)
    check_choice(metric, METRICS, "metric")
    if molecules is None:
        labels, fps = reference_fingerprints(kind)
        return chem.matrix_of(fps, labels, metric, alpha, beta)
    resolved = [resolve(m) for m in molecules]
    if names is None:
        names = [name or Chem.MolToSmiles(mol) for name, mol in resolved]
    return chem.similarity_matrix([mol for _, mol in resolved], names, kind, metric, alpha, beta)


def mcs(
    query: MolInput, reference: MolInput = defaults.REFERENCE, timeout: int = defaults.MCS_TIMEOUT
) -> MCSResult:
    """Maximum common substructure (rdFMCS, complete rings only) with a time limit in seconds.

    >>> result = mcs("apremilast")
    >>> result.num_atoms, round(result.fraction_of_reference, 3)
    (11, 0.579)
    """
    return chem.mcs(resolve(query)[1], resolve(reference)[1], timeout)

