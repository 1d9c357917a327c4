"""imidchem: cheminformatics for thalidomide-like IMiDs and cereblon binders.

The public API is listed once, in :data:`__all__` (each name with its own docstring);
``help(imidchem.NAME)`` says what it does. Names are imported on first use, so
``import imidchem`` is instant and a command pays only for what it runs.

>>> import imidchem
>>> imidchem.explain("apremilast").verdict
'not a cereblon binder'
>>> sorted(set(imidchem.__all__) - set(dir(imidchem)))
[]
"""

from __future__ import annotations

import importlib

from .view import render as _render  # noqa: F401 - registers the displays (light: no imports)

__version__ = "0.1.0"

# public name -> module that defines it (the one place the public API is listed)
_PUBLIC: dict[str, str] = {
    # the verdict and its evidence
    "assess": "imidchem.engine.assess",
    "explain": "imidchem.evidence.verdict",
    "verdict_table": "imidchem.engine.assess",
    "Evidence": "imidchem.evidence.verdict",
    "crbn_call": "imidchem.evidence.call",
    "CrbnCall": "imidchem.evidence.call",
    "LEVELS": "imidchem.evidence.call",
    "LEVEL_NAMES": "imidchem.evidence.call",
    "level_table": "imidchem.evidence.call",
    "rule_table": "imidchem.evidence.call",
    "SCHEMA": "imidchem.evidence.schema",
    # libraries and labelled sets
    "screen": "imidchem.engine.screen",
    "validate": "imidchem.analysis.validate",
    "ValidationResult": "imidchem.analysis.validate",
    # molecules
    "to_mol": "imidchem.chem.mol",
    "standardize": "imidchem.chem.mol",
    "canonical_smiles": "imidchem.chem.mol",
    "inchikey": "imidchem.chem.mol",
    "FINGERPRINTS": "imidchem.chem.fingerprints",
    "fingerprint": "imidchem.chem.fingerprints",
    "fingerprints": "imidchem.chem.fingerprints",
    "PATTERNS": "imidchem.chem.patterns",
    "Pattern": "imidchem.chem.patterns",
    "get_pattern": "imidchem.chem.patterns",
    "has_pattern": "imidchem.chem.patterns",
    "match_patterns": "imidchem.chem.patterns",
    "pattern_table": "imidchem.chem.patterns",
    "decision_table": "imidchem.chem.patterns",
    # similarity (names of reference compounds accepted)
    "METRICS": "imidchem.analysis.similarity",
    "MCSResult": "imidchem.analysis.similarity",
    "bulk_similarity": "imidchem.analysis.similarity",
    "mcs": "imidchem.analysis.similarity",
    "similarity": "imidchem.analysis.similarity",
    "similarity_matrix": "imidchem.analysis.similarity",
    "similarity_statistics": "imidchem.analysis.stats",
    "reference_statistics": "imidchem.analysis.stats",
    "nearest_neighbours": "imidchem.analysis.stats",
    "Findings": "imidchem.analysis.findings",
    "similarity_findings": "imidchem.analysis.findings",
    # the reference set and the background
    "load_reference": "imidchem.data.reference",
    "get_reference": "imidchem.data.reference",
    "reference_names": "imidchem.data.reference",
    "resolve": "imidchem.data.reference",
    "background_mols": "imidchem.data.background",
    "background_fingerprints": "imidchem.data.background",
    # 3-D: cereblon's thalidomide pocket (crystal structures)
    "pocket_fit": "imidchem.evidence.pocket",
    "PocketFit": "imidchem.chem.pocket",
    # what cereblon does with it: neosubstrates
    "neosubstrates": "imidchem.evidence.profile",
    "NeoProfile": "imidchem.evidence.profile",
    "exposed_face": "imidchem.evidence.exposed",
    "ExposedFace": "imidchem.evidence.exposed",
    "NEOSUBSTRATES": "imidchem.data.neosubstrates",
    "load_outcomes": "imidchem.data.neosubstrates",
    # pictures
    "StructureGrid": "imidchem.view.grid",
    "structure_table": "imidchem.view.grid",
    # errors
    "ImidchemError": "imidchem.errors",
    "InvalidArgumentError": "imidchem.errors",
    "InvalidMoleculeError": "imidchem.errors",
    "UnknownNameError": "imidchem.errors",
    "MissingExtraError": "imidchem.errors",
}

# Submodules that lived at the top level before the layered layout: ``from imidchem import plot``
# keeps working, loaded on first use.
_MOVED_MODULES = {
    "depict": "imidchem.view.depict",
    "grid": "imidchem.view.grid",
    "plot": "imidchem.view.plot",
    "report": "imidchem.view.report",
    "stats": "imidchem.analysis.stats",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    if name in _MOVED_MODULES:
        return importlib.import_module(_MOVED_MODULES[name])
    raise AttributeError(f"module 'imidchem' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC, *_MOVED_MODULES})
