"""Small example files shipped with imidchem, to try the commands without data of your own.

``labelled.csv``: 14 compounds labelled with the E3 ligase they bind or recruit
(``e3_ligase``: CRBN, VHL or none), including the hard cases (N-methylthalidomide,
glutethimide, a caged prodrug, an unreadable SMILES, a missing label):
``imidchem validate --example``.

``library.csv``: 27 compounds to screen or report on (drugs, look-alikes and four broken
rows), the library of notebook 02: ``imidchem report mine.html --input
$(python -c "from imidchem.data.examples import example_path; print(example_path('library.csv'))")``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ...errors import check_choice

EXAMPLES: tuple[str, ...] = ("labelled.csv", "library.csv")


def example_path(name: str = "labelled.csv") -> Path:
    """Path of a shipped example file.

    >>> example_path().name, example_path("library.csv").name
    ('labelled.csv', 'library.csv')
    """
    name = check_choice(name, EXAMPLES, "example")
    return Path(str(resources.files(__name__) / name))
