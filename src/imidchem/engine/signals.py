"""The signals that stop a run, defined once: the command line turns them into a clean
stop (:mod:`imidchem.cli`), and the screen holds them while worker processes start.

>>> import signal
>>> signal.SIGINT in STOP_SIGNALS and signal.SIGTERM in STOP_SIGNALS
True
"""

from __future__ import annotations

import contextlib
import signal
import threading

STOP_SIGNALS: tuple[int, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
"""Ctrl-C, ``kill`` and a closed terminal: each ends a run like Ctrl-C (the journal stays)."""


@contextlib.contextmanager
def signals_held():
    """Ctrl-C, SIGTERM and SIGHUP that arrive inside take effect at its end.

    Worker processes start in between: a stop raised while one is half launched would
    leave it behind, reading data its parent no longer sends (a traceback on stderr).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list = []
    previous: dict = {}
    try:
        for signum in STOP_SIGNALS:
            handler = signal.getsignal(signum)
            if handler is None or handler == signal.SIG_IGN:
                continue  # set outside Python, or ignored: leave it alone
            previous[signum] = signal.signal(signum, lambda *args: caught.append(args))
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if caught:
            signum, frame = caught[0]
            handler = previous[signum]
            if callable(handler):
                handler(signum, frame)
            else:  # SIG_DFL: what would have happened at once
                signal.raise_signal(signum)
