"""``crbn_score``: one ranked cereblon score in [0, 1], from the graded level and the pocket.

Two formulas, set once from what the evidence means (not fitted to any labelled set):

* **2-D** (every row): each level of :mod:`imidchem.evidence.call` owns a quarter of [0, 1]
  and scores its midpoint, :data:`LEVEL_SCORES` (level 1 0.875, 2 0.625, 3 0.375,
  4 0.125). The score is therefore ordered exactly as the level, and it says no more than
  the level does.
* **3-D** (``three_d=True`` / ``--3d``): the 2-D score and the pocket score of
  :func:`imidchem.pocket_fit` weigh the same, :data:`POCKET_WEIGHT` = 0.5::

      crbn_score = (1 - w) * level_score + w * pocket_evidence

  ``pocket_evidence`` is the pocket score when a pose was made (``pocket_status`` "ok");
  0 when the molecule has nothing the pose can anchor (``pocket_status`` "skipped": no
  N-H cyclic imide or N-H lactam, so nothing can sit in the tri-Trp cage); and the level's
  own score when no pose could be made ("error": too large, time limit), so that a failed
  fit moves nothing. A molecule can thus pass the next level's score only on its pocket
  evidence: a possible binder (level 3) whose imide sits in the cage with all H-bonds can
  rank above a binder of another chemotype (level 2) that the pocket rejects.

Neither formula uses the molecule's size; the heavy-atom count alone separates the ChEMBL
cereblon development set too (degraders are more often active than bare fragments), and
:class:`imidchem.analysis.validate.ValidationResult` prints it beside the score as a
baseline. See docs/validation.md for the measured ROC AUCs.

>>> [crbn_score(level) for level in (1, 2, 3, 4)]
[0.875, 0.625, 0.375, 0.125]
>>> crbn_score(3, "ok", 0.9), crbn_score(2, "ok", 0.3), crbn_score(4, "skipped")
(0.6375, 0.4625, 0.0625)
>>> crbn_score(1, "error")
0.875
"""

from __future__ import annotations

import math

from ..errors import InvalidArgumentError

LEVEL_SCORES: dict[int, float] = {1: 0.875, 2: 0.625, 3: 0.375, 4: 0.125}
"""The 2-D ``crbn_score`` of each level: the midpoint of the level's quarter of [0, 1]."""

POCKET_WEIGHT = 0.5
"""Weight of the pocket evidence in the 3-D ``crbn_score`` (the 2-D score has the rest)."""

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
    """The 3-D ``crbn_score`` from the 2-D one (``score``) and the pocket fit's status and
    score; None stays None (a row whose molecule could not be read).

    >>> refine(0.375, "ok", 0.8), refine(None, "error")
    (0.5875, None)
    """
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    if pocket_status == "ok" and pocket_score is not None and not math.isnan(pocket_score):
        evidence = float(pocket_score)
    elif pocket_status == "skipped":
        evidence = 0.0
    elif pocket_status in POCKET_STATUSES or pocket_status is None:
        evidence = score  # no pose could be made: the pocket says nothing
    else:
        raise InvalidArgumentError(
            f"unknown pocket_status {pocket_status!r}; allowed: {', '.join(POCKET_STATUSES)}"
        )
    return round((1 - POCKET_WEIGHT) * score + POCKET_WEIGHT * evidence, 6)

