"""Small example files shipped with imidchem, to try the commands without data of your own.

``labelled.csv``: 14 compounds labelled with the E3 ligase they bind or recruit
(``e3_ligase``: CRBN, VHL or none), including the hard cases (N-methylthalidomide,
glutethimide, a caged prodrug, an unreadable SMILES, a missing label):
``imidchem validate --example``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ...errors import check_choice

EXAMPLES: tuple[str, ...] = ("labelled.csv",)


def example_path(name: str = "labelled.csv") -> Path:
    """Path of a shipped example file.

    >>> example_path().name
    'labelled.csv'
    """
    name = check_choice(name, EXAMPLES, "example")
    return Path(str(resources.files(__name__) / name))
