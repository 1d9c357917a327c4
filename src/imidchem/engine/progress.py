"""Progress of long runs: a widget in Jupyter, a line on a terminal, silent otherwise.

With the optional ``tqdm`` (``pip install "imidchem[progress]"``; part of the ``notebooks``
extra) progress goes through ``tqdm.auto``: a widget in a notebook with ipywidgets, a
tqdm bar elsewhere. Without it, imidchem draws its own one-line count, rate and ETA.
Either way nothing is printed when the output is neither a terminal nor a notebook
(a log file, a pipe, a test).
"""

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


def in_notebook() -> bool:
    """True inside a Jupyter kernel (IPython with a kernel attached)."""
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    get = getattr(shell, "get_ipython", None)
    ip = get() if get is not None else None
    return ip is not None and getattr(ip, "kernel", None) is not None


def _tqdm_class(stream: TextIO):
    """``tqdm.auto.tqdm`` (a widget in a notebook with ipywidgets), plain ``tqdm`` where
    the widget cannot show, or None without tqdm."""
    try:
        import tqdm
    except ImportError:
        return None
    if in_notebook() and stream is sys.stderr:
        try:
            import ipywidgets  # noqa: F401
            from tqdm.auto import tqdm as auto

            return auto
        except ImportError:
            pass
    return tqdm.tqdm


class Progress:
    """Progress of a run: tqdm (if installed) or one rewritten line, at most every ``every``
    seconds, on a terminal or in a notebook; a no-op otherwise.

    ``backend`` is ``"tqdm"``, ``"line"`` or None (tqdm when it is installed).

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
        backend: str | None = None,
    ) -> None:
        self.stream = sys.stderr if stream is None else stream
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty()) or (stream is None and in_notebook())
        self.enabled = enabled
        self._bar = None
        if enabled and backend != "line":
            bar_class = _tqdm_class(self.stream)
            if bar_class is None and backend == "tqdm":
                from ..errors import MissingExtraError

                raise MissingExtraError("tqdm progress bars", "progress")
            if bar_class is not None:
                self._bar = bar_class(
                    total=100, unit="%", file=self.stream, mininterval=every, leave=True,
                    bar_format="{l_bar}{bar}| {postfix}",
                )  # fmt: skip
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
        if self._bar is not None:
            if fraction is not None:
                self._bar.n = round(100 * fraction, 1)
            elapsed = self.clock() - self.start
            self._bar.set_postfix_str(progress_text(count, elapsed, None, self.unit), refresh=True)
            return
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
        if self._bar is not None:
            self._bar.close()
            return
        if self.enabled:
            self._draw(self.clock())
            self.stream.write("\n")
            self.stream.flush()
