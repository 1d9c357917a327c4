"""3-D evidence: does a molecule fit cereblon's thalidomide pocket (four shipped PDB entries)?"""

from .fit import PocketFit, imide_rmsd, pocket_fit
from .structures import (
    DEFAULT_STRUCTURE,
    STRUCTURE_IDS,
    PocketStructure,
    load_structure,
    superpose_pockets,
)

__all__ = [
    "DEFAULT_STRUCTURE",
    "STRUCTURE_IDS",
    "PocketFit",
    "PocketStructure",
    "imide_rmsd",
    "load_structure",
    "pocket_fit",
    "superpose_pockets",
]
