"""imidchem: cheminformatics for thalidomide-like IMiDs and cereblon binders.

The public names below are loaded on first use, so that ``import imidchem`` (and the
``imidchem`` command, which must catch Ctrl-C and signals from its first moment) stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_EXPORTS = {
    "METRICS": "imidchem.analysis.similarity",
    "MCSResult": "imidchem.analysis.similarity",
    "bulk_similarity": "imidchem.analysis.similarity",
    "mcs": "imidchem.analysis.similarity",
    "similarity": "imidchem.analysis.similarity",
    "similarity_matrix": "imidchem.analysis.similarity",
    "nearest_neighbours": "imidchem.analysis.stats",
    "reference_statistics": "imidchem.analysis.stats",
    "similarity_statistics": "imidchem.analysis.stats",
    "ValidationResult": "imidchem.analysis.validate",
    "validate": "imidchem.analysis.validate",
    "FINGERPRINTS": "imidchem.chem.fingerprints",
    "fingerprint": "imidchem.chem.fingerprints",
    "fingerprints": "imidchem.chem.fingerprints",
    "canonical_smiles": "imidchem.chem.mol",
    "inchikey": "imidchem.chem.mol",
    "standardize": "imidchem.chem.mol",
    "to_mol": "imidchem.chem.mol",
    "PATTERNS": "imidchem.chem.patterns",
    "Pattern": "imidchem.chem.patterns",
    "decision_table": "imidchem.chem.patterns",
    "get_pattern": "imidchem.chem.patterns",
    "has_pattern": "imidchem.chem.patterns",
    "match_patterns": "imidchem.chem.patterns",
    "pattern_table": "imidchem.chem.patterns",
    "background_fingerprints": "imidchem.data.background",
    "background_mols": "imidchem.data.background",
    "get_reference": "imidchem.data.reference",
    "load_reference": "imidchem.data.reference",
    "reference_names": "imidchem.data.reference",
    "resolve": "imidchem.data.reference",
    "screen": "imidchem.engine.screen",
    "ImidchemError": "imidchem.errors",
    "InvalidArgumentError": "imidchem.errors",
    "InvalidMoleculeError": "imidchem.errors",
    "UnknownNameError": "imidchem.errors",
    "VERDICT_CRBN": "imidchem.evidence.verdict",
    "VERDICT_DISTANT": "imidchem.evidence.verdict",
    "Evidence": "imidchem.evidence.verdict",
    "assess": "imidchem.evidence.verdict",
    "explain": "imidchem.evidence.verdict",
    "verdict_table": "imidchem.evidence.verdict",
    "StructureGrid": "imidchem.view.grid",
    "structure_table": "imidchem.view.grid",
}
"""Public name -> the module that defines it."""

# Submodules that lived at the top level before the layered layout: ``from imidchem import plot``
# keeps working, loaded on first use.
_MOVED_MODULES = {
    "depict": "imidchem.view.depict",
    "grid": "imidchem.view.grid",
    "plot": "imidchem.view.plot",
    "report": "imidchem.view.report",
    "stats": "imidchem.analysis.stats",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    if name in _MOVED_MODULES:
        return importlib.import_module(_MOVED_MODULES[name])
    raise AttributeError(f"module 'imidchem' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS) | set(_MOVED_MODULES))


if TYPE_CHECKING:  # pragma: no cover - what the names are, for type checkers and editors
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
    from .evidence.verdict import (
        VERDICT_CRBN,
        VERDICT_DISTANT,
        Evidence,
        assess,
        explain,
        verdict_table,
    )
    from .view.grid import StructureGrid, structure_table

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
