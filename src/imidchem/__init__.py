"""imidchem: cheminformatics for thalidomide-like IMiDs and cereblon binders."""

from .analysis.similarity import (
    METRICS,
    MCSResult,
    bulk_similarity,
    mcs,
    similarity,
    similarity_matrix,
)
from .analysis.stats import nearest_neighbours, reference_statistics, similarity_statistics
from .analysis.validate import ValidationResult, validate
from .chem.fingerprints import FINGERPRINTS, fingerprint, fingerprints
from .chem.mol import canonical_smiles, inchikey, standardize, to_mol
from .chem.patterns import (
    PATTERNS,
    Pattern,
    decision_table,
    get_pattern,
    has_pattern,
    match_patterns,
    pattern_table,
)
from .data.background import background_fingerprints, background_mols
from .data.reference import get_reference, load_reference, reference_names, resolve
from .engine.screen import screen
from .errors import (
    ImidchemError,
    InvalidArgumentError,
    InvalidMoleculeError,
    UnknownNameError,
)
from .evidence.call import LEVEL_NAMES, LEVELS, CrbnCall, crbn_call, level_table, rule_table
from .evidence.verdict import (
    Evidence,
    assess,
    explain,
    verdict_table,
)
from .view.grid import StructureGrid, structure_table

__version__ = "0.1.0"

# Submodules that lived at the top level before the layered layout: ``from imidchem import plot``
# keeps working, loaded on first use so that ``import imidchem`` stays light.
_MOVED_MODULES = {
    "depict": "imidchem.view.depict",
    "grid": "imidchem.view.grid",
    "plot": "imidchem.view.plot",
    "report": "imidchem.view.report",
    "stats": "imidchem.analysis.stats",
}


def __getattr__(name: str):
    if name in _MOVED_MODULES:
        import importlib

        return importlib.import_module(_MOVED_MODULES[name])
    raise AttributeError(f"module 'imidchem' has no attribute {name!r}")

__all__ = [
    "FINGERPRINTS",
    "METRICS",
    "PATTERNS",
    "LEVELS",
    "LEVEL_NAMES",
    "CrbnCall",
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
    "crbn_call",
    "decision_table",
    "explain",
    "fingerprint",
    "fingerprints",
    "get_pattern",
    "get_reference",
    "has_pattern",
    "inchikey",
    "level_table",
    "load_reference",
    "match_patterns",
    "mcs",
    "nearest_neighbours",
    "pattern_table",
    "reference_names",
    "reference_statistics",
    "resolve",
    "rule_table",
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
