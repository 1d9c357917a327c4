"""``crbn_score``: one ranked cereblon score in [0, 1], from the graded level and the pocket.

Each level of :mod:`imidchem.evidence.call` owns a quarter of [0, 1] (level 1 [0.75, 1],
2 [0.5, 0.75], 3 [0.25, 0.5], 4 [0, 0.25]); the pocket fit, when there is one, says where in
its quarter a molecule sits::

    crbn_score = bottom(level) + 0.25 * pocket_evidence

* **2-D** (every row): ``pocket_evidence`` is 0.5, so the score is the quarter's midpoint,
  :data:`LEVEL_SCORES` (0.875, 0.625, 0.375, 0.125), ordered exactly as the level.
* **3-D** (``three_d=True`` / ``--3d``), levels 2-4: ``pocket_evidence`` is the
  :func:`anchor_evidence` of the pose (``pocket_status`` "ok"): how well the anchor, the
  N-H cyclic imide (or N-H ring lactam), sits where the crystal glutarimide does::

      anchor = 0.5 * max(0, 1 - imide_rmsd / 2 A) + 0.5 * canonical H-bonds made / canonical

  (an N-H lactam has no imide to place: the fraction of the H-bonds its N-H and one C=O can
  make, :func:`anchor_hbonds`, the level having already counted the one it cannot); 0 when the
  molecule has nothing the pose can anchor (``pocket_status`` "skipped", or a shape
  overlay); 0.5 when no pose could be made ("error": too large, time limit), so a failed
  fit moves nothing.
* **3-D, level 1**: 0.5, the midpoint, whatever the fit.

Why the anchor and nothing else. The shipped pocket is one rigid crystal structure cut to
12 A around the ligand, without the neosubstrate, water or solvent. What it can check is the
anchor: whether the imide can sit in the tri-Trp cage (Trp380, Trp386, Trp400) on the crystal
glutarimide, with the canonical hydrogen bonds (imide N-H to the His378 backbone O, C=O to
the Trp380 N-H and the His378 side chain; Fischer 2014, Chamberlain 2014). It cannot check
the rest of the molecule: the part outside the cage leaves the pocket into solvent or the
neosubstrate interface, which the truncated rigid pocket does not have. So the pocket
score's shape and colour coverage of the crystal ligand (it rewards resemblance to
lenalidomide and penalises an exit vector that in reality leaves the pocket), the clash
count (whole molecule: mostly long tails meeting a rigid wall) and ``pocket_fit`` (it
requires both) are not used: they track size, which ``crbn_score`` must not use.

Why not level 1. Its chemotype (a glutarimide carrying a phthalimide, isoindolinone or
benzo-fused lactam at C3) is the crystal ligand's own core: the anchor is known to sit in
the cage (5fqd, 4ci1, 6uml), and the pose places that core from the crystal template. A
level-1 molecule whose imide the fit leaves off the crystal glutarimide has a tail that the
rigid, truncated pocket cannot accommodate, not an anchor that cannot bind; a well-placed
one is no more a binder than the chemotype already says. For levels 2-3 (other C3 groups,
quaternary or spiro C3, five-membered imides, lactams) and for an anchorable level-4
molecule (an N-H lactam outside the known chemotypes, a nucleoside's uracil), whether the
anchor can take the crystal glutarimide's place with its hydrogen bonds is the open
question, and the pose answers it.

The pocket orders molecules within their level and never across levels, and it never
changes the level itself (the level is literature-backed chemotype evidence; an
equal-weight blend across levels ranked the development half lower, docs/validation.md).
Neither formula uses the molecule's size; the heavy-atom count alone separates the ChEMBL
cereblon development set too (degraders are more often active than bare fragments), and
:class:`imidchem.analysis.validate.ValidationResult` prints it beside the score as a
baseline. What the refinement measured is in docs/validation.md, section 4b.

>>> [crbn_score(level) for level in (1, 2, 3, 4)]
[0.875, 0.625, 0.375, 0.125]
>>> crbn_score(3, "ok", imide_rmsd=0.4, pocket_hbonds=3, canonical_hbonds=3)
0.475
>>> crbn_score(3, "ok", imide_rmsd=None, pocket_hbonds=2, canonical_hbonds=3)  # a lactam
0.5
>>> crbn_score(3, "ok", imide_rmsd=None, pocket_hbonds=1, canonical_hbonds=3)
0.375
>>> crbn_score(1, "ok", imide_rmsd=1.8, pocket_hbonds=0, canonical_hbonds=3)
0.875
>>> crbn_score(4, "skipped"), crbn_score(2, "error")
(0.0, 0.625)
"""

from __future__ import annotations

import math

from ..errors import InvalidArgumentError

LEVEL_WIDTH = 0.25
"""Each level's share of [0, 1]: the range the pocket evidence spreads a level over."""

LEVEL_SCORES: dict[int, float] = {1: 0.875, 2: 0.625, 3: 0.375, 4: 0.125}
"""The 2-D ``crbn_score`` of each level: the midpoint of the level's quarter of [0, 1]."""

NO_EVIDENCE = 0.5
"""The pocket evidence of a molecule without a pose (2-D, or the fit failed): the midpoint."""

REFINED_LEVELS = (2, 3, 4)
"""The levels the pocket refines: level 1's anchor is the crystal ligand's own core."""

POCKET_STATUSES = ("ok", "skipped", "error")


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


LACTAM_GROUPS = 2
"""The canonical H-bond partners an N-H lactam brings: its N-H and its one C=O (a cyclic
imide brings three: the N-H and both C=O)."""


def anchor_hbonds(canonical_hbonds: int, imide: bool) -> int:
    """How many of a structure's ``canonical_hbonds`` an anchor can make: all of them for a
    cyclic imide, at most :data:`LACTAM_GROUPS` for an N-H lactam (``imide`` False), whose
    missing second carbonyl cannot accept the other one.

    >>> anchor_hbonds(3, imide=True), anchor_hbonds(3, imide=False), anchor_hbonds(2, False)
    (3, 2, 2)
    """
    return canonical_hbonds if imide else min(canonical_hbonds, LACTAM_GROUPS)


def anchor_evidence(
    imide_rmsd: float | None, pocket_hbonds: int | None, canonical_hbonds: int | None = None
) -> float:
    """How well a pose's anchor sits in the tri-Trp cage, 0-1: half the imide's placement on
    the crystal glutarimide (1 at 0 A, 0 from :data:`imidchem.chem.pocket.score.IMIDE_ZERO`,
    2 A, the pocket score's own scale), half the fraction of the structure's canonical
    hydrogen bonds made (``canonical_hbonds``; None: the default structure's, 3 in 5fqd).
    Without a cyclic imide (``imide_rmsd`` None or NaN: an N-H lactam) the H-bond fraction
    alone, counted against the bonds a lactam can make (:func:`anchor_hbonds`: 2 of 3). The
    bond a lactam cannot make is what put it a level below the imides
    (:mod:`imidchem.evidence.call`); counting it again here would charge it twice.

    >>> anchor_evidence(0.0, 3, 3), anchor_evidence(1.0, 2, 3), anchor_evidence(None, 2, 3)
    (1.0, 0.583333, 1.0)
    >>> anchor_evidence(2.5, 0, 3), anchor_evidence(None, None, 3), anchor_evidence(None, 1, 3)
    (0.0, 0.0, 0.5)
    """
    from ..chem.pocket.score import IMIDE_ZERO

    if canonical_hbonds is None:
        from ..chem.pocket.structures import load_structure

        canonical_hbonds = len(load_structure().made_hbonds)
    imide = not _missing(imide_rmsd)
    reachable = anchor_hbonds(canonical_hbonds, imide)
    bonds = 0.0 if _missing(pocket_hbonds) else min(1.0, int(pocket_hbonds) / reachable)
    if not imide:
        return round(bonds, 6)
    placed = max(0.0, 1.0 - float(imide_rmsd) / IMIDE_ZERO)
    return round(0.5 * placed + 0.5 * bonds, 6)


def pocket_evidence(
    level: int,
    pocket_status: str | None,
    imide_rmsd: float | None = None,
    pocket_hbonds: int | None = None,
    canonical_hbonds: int | None = None,
) -> float:
    """The pocket evidence (0-1) that places a molecule at ``level`` within its quarter:
    :data:`NO_EVIDENCE` at level 1, without a pose or without 3-D (``pocket_status`` None);
    :func:`anchor_evidence` for a pose ("ok"); 0 for nothing to anchor ("skipped").

    >>> pocket_evidence(2, "ok", 0.2, 3, 3), pocket_evidence(1, "ok", 0.2, 3, 3)
    (0.95, 0.5)
    >>> pocket_evidence(2, "maybe")
    Traceback (most recent call last):
    ...
    imidchem.errors.InvalidArgumentError: unknown pocket_status 'maybe'; allowed: ok, skipped, error
    """
    if pocket_status is not None and pocket_status not in POCKET_STATUSES:
        raise InvalidArgumentError(
            f"unknown pocket_status {pocket_status!r}; allowed: {', '.join(POCKET_STATUSES)}"
        )
    if level not in REFINED_LEVELS or pocket_status in (None, "error"):
        return NO_EVIDENCE
    if pocket_status == "skipped":
        return 0.0
    return anchor_evidence(imide_rmsd, pocket_hbonds, canonical_hbonds)


def crbn_score(
    level: int,
    pocket_status: str | None = None,
    imide_rmsd: float | None = None,
    pocket_hbonds: int | None = None,
    canonical_hbonds: int | None = None,
) -> float:
    """The ranked cereblon score of one molecule: from its ``level`` alone, or refined by
    the pocket fit when ``pocket_status`` is given (see the module's formulas).

    >>> crbn_score(5)
    Traceback (most recent call last):
    ...
    imidchem.errors.InvalidArgumentError: unknown cereblon level 5; allowed: 1, 2, 3, 4
    """
    if level not in LEVEL_SCORES:
        allowed = ", ".join(map(str, LEVEL_SCORES))
        raise InvalidArgumentError(f"unknown cereblon level {level!r}; allowed: {allowed}")
    evidence = pocket_evidence(level, pocket_status, imide_rmsd, pocket_hbonds, canonical_hbonds)
    evidence = min(1.0, max(0.0, evidence))
    return round(LEVEL_SCORES[level] + LEVEL_WIDTH * (evidence - NO_EVIDENCE), 6)


def refine(
    level: int | None,
    pocket_status: str | None,
    imide_rmsd: float | None = None,
    pocket_hbonds: int | None = None,
    canonical_hbonds: int | None = None,
) -> float | None:
    """:func:`crbn_score` of a table row: None when the row has no level (a molecule that
    could not be read).

    >>> refine(3, "ok", 0.4, 3, 3), refine(None, "error")
    (0.475, None)
    """
    if _missing(level):
        return None
    return crbn_score(int(level), pocket_status, imide_rmsd, pocket_hbonds, canonical_hbonds)
