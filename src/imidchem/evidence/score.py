"""``crbn_score``: one ranked cereblon score in [0, 1], from the graded level and the pocket.

Each level of :mod:`imidchem.evidence.call` owns a quarter of [0, 1] (level 1 [0.75, 1],
2 [0.5, 0.75], 3 [0.25, 0.5], 4 [0, 0.25]); the pocket fit, when there is one, says where in
its quarter a molecule sits::

    crbn_score = bottom(level) + 0.25 * pocket_evidence

* **2-D** (every row): ``pocket_evidence`` is 0.5, so the score is the quarter's midpoint,
  :data:`LEVEL_SCORES` (0.875, 0.625, 0.375, 0.125), ordered exactly as the level.
* **3-D** (``three_d=True`` / ``--3d``): ``pocket_evidence`` is the pocket score of
  :func:`imidchem.pocket_fit` (0-1) when a pose was made (``pocket_status`` "ok"); 0 when
  the molecule has nothing the pose can anchor (``pocket_status`` "skipped", or a shape
  overlay: no N-H cyclic imide or N-H lactam, so nothing can sit in the tri-Trp cage); and
  0.5 when no pose could be made ("error": too large, time limit), so a failed fit moves
  nothing.

The pocket orders molecules within their level and never across levels, and it never
changes the level itself. Why not more: the level is literature-backed chemotype evidence;
the pocket score is a plausibility check of the imide's place, which within one chemotype
ranks actives over inactives no better than chance (within-level ROC AUC 0.41-0.51 on the
ChEMBL development half, 0.56 among its glutarimides, docs/pocket.md); letting it cross
levels (an equal-weight blend) ranked the development half lower (docs/validation.md).

Neither formula uses the molecule's size; the heavy-atom count alone separates the ChEMBL
cereblon development set too (degraders are more often active than bare fragments), and
:class:`imidchem.analysis.validate.ValidationResult` prints it beside the score as a
baseline.

>>> [crbn_score(level) for level in (1, 2, 3, 4)]
[0.875, 0.625, 0.375, 0.125]
>>> crbn_score(3, "ok", 0.9), crbn_score(2, "ok", 0.3), crbn_score(4, "skipped")
(0.475, 0.575, 0.0)
>>> crbn_score(1, "error")
0.875
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

POCKET_STATUSES = ("ok", "skipped", "error")


def crbn_score(
    level: int, pocket_status: str | None = None, pocket_score: float | None = None
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
    base = LEVEL_SCORES[level]
    if pocket_status is None:
        return base
    return refine(base, pocket_status, pocket_score)


def refine(
    score: float | None, pocket_status: str | None, pocket_score: float | None = None
) -> float | None:
    """The 3-D ``crbn_score`` from the 2-D one (``score``, a level's midpoint) and the pocket
    fit's status and score; None stays None (a row whose molecule could not be read).

    >>> refine(0.375, "ok", 0.8), refine(None, "error")
    (0.45, None)
    """
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    if pocket_status == "ok" and pocket_score is not None and not math.isnan(pocket_score):
        evidence = float(pocket_score)
    elif pocket_status == "skipped":
        evidence = 0.0
    elif pocket_status in POCKET_STATUSES or pocket_status is None:
        evidence = NO_EVIDENCE  # no pose could be made: the pocket says nothing
    else:
        raise InvalidArgumentError(
            f"unknown pocket_status {pocket_status!r}; allowed: {', '.join(POCKET_STATUSES)}"
        )
    evidence = min(1.0, max(0.0, evidence))
    return round(score + LEVEL_WIDTH * (evidence - NO_EVIDENCE), 6)

