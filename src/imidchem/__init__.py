"""imidchem: cheminformatics for thalidomide-like IMiDs and cereblon binders."""

from .background import background_fingerprints, background_mols
from .errors import (
    ImidchemError,
    InvalidArgumentError,
    InvalidMoleculeError,
    UnknownNameError,
)
from .fingerprints import FINGERPRINTS, fingerprint, fingerprints
from .grid import StructureGrid, structure_table
from .mol import canonical_smiles, inchikey, standardize, to_mol
from .patterns import (
    PATTERNS,
    Pattern,
    decision_table,
    get_pattern,
    has_pattern,
    match_patterns,
    pattern_table,
)
from .reference import get_reference, load_reference, reference_names, resolve
from .screen import screen
from .similarity import METRICS, MCSResult, bulk_similarity, mcs, similarity, similarity_matrix
from .stats import nearest_neighbours, reference_statistics, similarity_statistics
from .validate import ValidationResult, validate
from .verdict import VERDICT_CRBN, VERDICT_DISTANT, Evidence, assess, explain, verdict_table

__version__ = "0.1.0"

__all__ = [
    "FINGERPRINTS",
    "METRICS",
    "PATTERNS",
    "VERDICT_CRBN",
    "VERDICT_DISTANT",
    "Evidence",
    "ImidchemError",
    "InvalidArgumentError",
    "InvalidMoleculeError",
    "MCSResult",
    "Pattern",
    "StructureGrid",
    "UnknownNameError",
    "ValidationResult",
    "assess",
    "background_fingerprints",
    "background_mols",
    "bulk_similarity",
    "canonical_smiles",
    "decision_table",
    "explain",
    "fingerprint",
    "fingerprints",
    "get_pattern",
    "get_reference",
    "has_pattern",
    "inchikey",
    "load_reference",
    "match_patterns",
    "mcs",
    "nearest_neighbours",
    "pattern_table",
    "reference_names",
    "reference_statistics",
    "resolve",
    "screen",
    "similarity",
    "similarity_matrix",
    "similarity_statistics",
    "standardize",
    "structure_table",
    "to_mol",
    "validate",
    "verdict_table",
]
