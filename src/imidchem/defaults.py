"""Every default of imidchem, defined once: the library functions and the command line read
them from here.

>>> REFERENCE, FOCUS, FINGERPRINT, CHUNK_SIZE
('thalidomide', 'apremilast', 'morgan', 2000)
"""

from __future__ import annotations

REFERENCE = "thalidomide"
"""The compound everything is compared with."""

FOCUS = "apremilast"
"""The compound whose evidence the report and the figures show."""

STRUCTURE = "5fqd"
"""The cereblon crystal structure of the 3-D evidence (PDB 5FQD: human cereblon with
lenalidomide)."""

FINGERPRINT = "morgan"
"""The fingerprint of the verdict's similarities (Morgan radius 2, 2048 bits)."""

STATISTICS_FINGERPRINTS: tuple[str, ...] = (
    "morgan",
    "fcfp4",
    "atompair",
    "torsion",
    "maccs",
    "rdkit",
    "morgan_count",
)
"""The fingerprints of the statistics block (``explain`` and the report)."""

MCS_TIMEOUT = 2
"""Seconds the maximum common substructure search may take."""

CHUNK_SIZE = 2000
"""Records per chunk of a library screen (the unit of work, progress and resume): about a
second of work on one core."""

CHUNK_SIZE_3D = 8
"""Records per chunk of a screen with the 3-D group (``--3d``): a pose costs about a second,
so a chunk is a few seconds of work and every worker gets some of a small file (120
molecules: 15 chunks)."""

BATCH_SIZE = 32
"""Molecules that go through the evidence together, one step at a time (parse all, then
sanitise all, ...; :func:`imidchem.evidence.verdict.evidence_rows`): few enough that the
step's data stays in the processor's caches."""

WORKERS = 1
"""Local worker processes of a library screen."""

BINDER_LEVELS: tuple[int, ...] = (1, 2)
"""The levels of the graded cereblon call that count as a cereblon binder (the
``crbn_pharmacophore`` column): the one definition of "binder", from which
:data:`imidchem.chem.patterns.CRBN_PHARMACOPHORE` (the union of those levels' patterns) and
:attr:`imidchem.evidence.call.CrbnCall.binder` are built."""

SIGNIFICANCE = 0.05
"""Significance level of the similarity statistics: a query is closer to thalidomide than
the NCI background under a fingerprint when its exceedance p-value is below it."""

REMARKABLE_PERCENTILE = 90.0
"""NCI percentile from which a similarity to thalidomide is no longer called unremarkable
(though not significant) in the statistics' words."""

MAX_LIST = 50
"""Most misclassified rows ``validate`` lists."""

MAX_CHARS = 20_000
"""Per-record limit of a library screen: characters of a SMILES."""

MAX_FRAGMENTS = 100
"""Per-record limit of a library screen: dot-separated parts of a SMILES (fragments of SDF)."""

MAX_ATOMS = 1_000
"""Per-record limit of a library screen: atoms as written."""

MAX_SECONDS = 10.0
"""Per-record limit of a library screen: wall time of one record, in seconds."""
