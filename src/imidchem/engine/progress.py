"""A tiny progress line with count, rate and ETA; silent unless it writes to a terminal."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


def format_duration(seconds: float) -> str:
    """``H:MM:SS`` for a number of seconds.

    >>> format_duration(151.4)
    '0:02:31'
    >>> format_duration(3 * 3600 + 5)
    '3:00:05'
    """
    seconds = max(int(round(seconds)), 0)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def progress_text(
    count: int, elapsed: float, fraction: float | None, unit: str = "molecules"
) -> str:
    """The progress line for ``count`` items after ``elapsed`` seconds, ``fraction`` done.

    >>> progress_text(12000, 4.0, 0.25)
    '12,000 molecules  3,000/s  25%  ETA 0:00:12'
    >>> progress_text(500, 0.0, None)
    '500 molecules'
    """
    parts = [f"{count:,} {unit}"]
    if elapsed > 0:
        rate = count / elapsed
        parts.append(f"{rate:,.1f}/s" if rate < 10 else f"{rate:,.0f}/s")
    if fraction is not None:
        parts.append(f"{fraction:.0%}")
        if elapsed > 0 and 0 < fraction < 1:
            parts.append(f"ETA {format_duration(elapsed * (1 - fraction) / fraction)}")
    return "  ".join(parts)


class Progress:
    """Rewrites one line on a terminal at most ``every`` seconds; a no-op otherwise.

    >>> import io
    >>> quiet = Progress(stream=io.StringIO())  # not a terminal: prints nothing
    >>> quiet.update(10); quiet.close(); quiet.stream.getvalue()
    ''
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        enabled: bool | None = None,
        every: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
        unit: str = "molecules",
    ) -> None:
        self.stream = sys.stderr if stream is None else stream
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled
        self.every = every
        self.clock = clock
        self.unit = unit
        self.start = clock()
        self._last = -float("inf")
        self._count = 0
        self._fraction: float | None = None
        self._width = 0

    def update(self, count: int, fraction: float | None = None) -> None:
        """Record ``count`` items done (and the share of the input, if known)."""
        self._count, self._fraction = count, fraction
        if self.enabled:
            now = self.clock()
            if now - self._last >= self.every:
                self._draw(now)

    def _draw(self, now: float) -> None:
        self._last = now
        text = progress_text(self._count, now - self.start, self._fraction, self.unit)
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)

    def close(self) -> None:
        """Draw the final state and end the line."""
        if self.enabled:
            self._draw(self.clock())
            self.stream.write("\n")
            self.stream.flush()
