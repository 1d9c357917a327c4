"""Per-record limits of the library screen: size checks before the chemistry, a time watchdog.

One hostile record must not stall a screen: a SMILES of 10,000 ``C.`` fragments costs minutes
in standardisation (quadratic in the fragments), a 60,000-atom chain half a minute. Every
record therefore passes cheap checks on its text before any heavy work, and runs under a
wall-time limit; a record over a limit becomes an error row with the reason, and the run goes
on. The limits and their defaults (:mod:`imidchem.defaults`, gathered in :data:`DEFAULT_LIMITS`):

================  ========  ======================================================================
``max_chars``     20,000    characters of a SMILES
``max_fragments`` 100       dot-separated parts of a SMILES (fragments of a molfile block)
``max_atoms``     1,000     atoms as written, hydrogens written as atoms included
``max_seconds``   10        wall time of one record (parse, standardisation, evidence)
================  ========  ======================================================================

The size checks cost a few string scans: a SMILES shorter than ``max_atoms`` characters cannot
hold more atoms, so only longer ones are parsed (without sanitising, which is linear) and
counted. The time limit is kept by a watchdog thread (one per process; it works in the main
thread, in pool workers and in the threads of Dask workers alike): when a record runs over,
the watchdog raises :class:`RecordTimeout` in the thread that runs it (the screen runs SMILES
records in batches under one record's limit, and a batch over it record by record: see
:func:`imidchem.engine.screen.screen_chunk`). Python cannot stop
RDKit inside one C++ call, so the record ends when that call returns; the size limits keep
every such call short.

>>> check_record(("1", "CCO", ""), "smiles", DEFAULT_LIMITS)
('1', 'CCO', '')
>>> check_record(("2", "C." * 200 + "C", ""), "smiles", DEFAULT_LIMITS)[2]
'201 dot-separated parts, over the limit of 100 (max_fragments, --max-fragments)'
>>> check_record(("3", "CCO extra words", ""), "smiles", DEFAULT_LIMITS)[2]
"SMILES 'CCO extra words' contains whitespace: the text after it would be ignored"
"""

from __future__ import annotations

import ctypes
import math
import threading
import time
from dataclasses import asdict, dataclass

from rdkit import Chem, rdBase

from .. import defaults
from ..errors import InvalidArgumentError
from .readers import Record


class RecordTimeout(BaseException):  # noqa: N818 - like KeyboardInterrupt, not an error class
    """A record ran over the wall-time limit (raised by the watchdog in the record's thread).

    A ``BaseException``, so that the ``except Exception`` of the per-record code does not
    take it for a chemistry problem.
    """


@dataclass(frozen=True)
class Limits:
    """The per-record budget; a record over any limit becomes an error row.

    >>> Limits(max_atoms=50).max_atoms
    50
    >>> Limits(max_seconds=0)
    Traceback (most recent call last):
    ...
    imidchem.errors.InvalidArgumentError: max_seconds must be a number above 0, got 0
    """

    max_chars: int = defaults.MAX_CHARS
    max_fragments: int = defaults.MAX_FRAGMENTS
    max_atoms: int = defaults.MAX_ATOMS
    max_seconds: float = defaults.MAX_SECONDS

    def __post_init__(self) -> None:
        for name in ("max_chars", "max_fragments", "max_atoms"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidArgumentError(
                    f"{name} must be a whole number of at least 1, got {value!r}"
                )
        seconds = self.max_seconds
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, (int, float))
            or not math.isfinite(seconds)
            or seconds <= 0
        ):
            raise InvalidArgumentError(f"max_seconds must be a number above 0, got {seconds!r}")

    def settings(self) -> dict:
        """The limits as a plain dict (for the resume journal)."""
        return asdict(self)


DEFAULT_LIMITS = Limits()
"""The defaults of :func:`imidchem.screen` and of ``imidchem screen``."""


def _flag(name: str) -> str:
    return f"({name}, --{name.replace('_', '-')})"


def _whitespace_problem(text: str) -> str:
    """Why a SMILES with whitespace inside is refused ("" for CXSMILES ``SMILES |...|``)."""
    stripped = text.strip()
    parts = stripped.split(None, 1)
    if len(parts) == 2 and parts[1].startswith("|"):
        return ""  # ChemAxon extended SMILES: RDKit reads the |...| block
    if len(parts) == 2:
        return f"SMILES {stripped!r} contains whitespace: the text after it would be ignored"
    return ""


def check_smiles(text: str, limits: Limits) -> str:
    """The reason ``text`` is refused before any chemistry, or "" if it may go on.

    >>> check_smiles("C" * 1500, DEFAULT_LIMITS)
    '1,500 atoms, over the limit of 1,000 (max_atoms, --max-atoms)'
    >>> check_smiles("C[C@H](O)F |&1:1|", DEFAULT_LIMITS)
    ''
    """
    length = len(text)
    if length > limits.max_chars:
        return (
            f"SMILES of {length:,} characters, over the limit of {limits.max_chars:,} "
            + _flag("max_chars")
        )
    if not text.isprintable() or " " in text:
        problem = _whitespace_problem(text)
        if problem:
            return problem
    if length > 2 * limits.max_fragments:
        parts = text.split(" ", 1)[0].count(".") + 1
        if parts > limits.max_fragments:
            return (
                f"{parts:,} dot-separated parts, over the limit of {limits.max_fragments:,} "
                + _flag("max_fragments")
            )
    if length > limits.max_atoms:
        with rdBase.BlockLogs():
            mol = Chem.MolFromSmiles(text.strip(), sanitize=False)
        atoms = mol.GetNumAtoms() if mol is not None else 0
        if atoms > limits.max_atoms:
            return f"{atoms:,} atoms, over the limit of {limits.max_atoms:,} " + _flag("max_atoms")
    return ""


def _molblock_atoms(block: str) -> int:
    """Atoms declared by a molfile block's counts line (V2000 or V3000); 0 if unreadable."""
    lines = block.split("\n", 4)
    if len(lines) < 4:
        return 0
    counts = lines[3]
    if "V3000" in counts:
        start = block.find("M  V30 COUNTS")
        if start < 0:
            return 0
        fields = block[start : start + 80].split()
        return int(fields[3]) if len(fields) > 3 and fields[3].isdigit() else 0
    head = counts[:3].strip()
    return int(head) if head.isdigit() else 0


def check_molblock(block: str, limits: Limits) -> str:
    """The reason a molfile block is refused before any chemistry, or "".

    >>> block = "x\\n\\n\\n600  0  0  0  0  0  0  0  0  0999 V2000\\nM  END\\n"
    >>> check_molblock(block, Limits(max_atoms=500))
    '600 atoms, over the limit of 500 (max_atoms, --max-atoms)'
    """
    atoms = _molblock_atoms(block)
    if atoms > limits.max_atoms:
        return f"{atoms:,} atoms, over the limit of {limits.max_atoms:,} " + _flag("max_atoms")
    return ""


def check_fragments(mol: Chem.Mol, limits: Limits) -> str:
    """The reason a parsed molecule has too many fragments, or "" (cheap when it cannot)."""
    if mol.GetNumAtoms() <= limits.max_fragments:
        return ""
    count = len(Chem.GetMolFrags(mol))
    if count > limits.max_fragments:
        return (
            f"{count:,} fragments, over the limit of {limits.max_fragments:,} "
            + _flag("max_fragments")
        )
    return ""


def check_record(record: Record, kind: str, limits: Limits) -> Record:
    """``record`` unchanged, or with the reason in its error field when it is over a size limit."""
    name, text, error = record
    if error or not isinstance(text, str):
        return record
    problem = check_smiles(text, limits) if kind == "smiles" else check_molblock(text, limits)
    return (name, text, problem) if problem else record


def timeout_message(limits: Limits) -> str:
    """The error of a record stopped by the watchdog."""
    return f"took longer than the limit of {limits.max_seconds:g} s " + _flag("max_seconds")


# -- the wall-time watchdog --------------------------------------------------------------


class _Slot:
    """The record a thread is working on: when it started, and whether the watchdog fired."""

    __slots__ = ("deadline", "fired", "interval", "thread_id")

    def __init__(self, thread_id: int) -> None:
        self.thread_id = thread_id
        self.deadline = math.inf
        self.fired = False
        self.interval = _IDLE


_IDLE = 0.25
"""Seconds between the watchdog's looks when no record asks for more often."""


def poll_interval(seconds: float) -> float:
    """How often the watchdog looks at a record with a limit of ``seconds``: a quarter of
    it, 0.01 to 0.25 s.

    >>> poll_interval(10), poll_interval(0.02)
    (0.25, 0.01)
    """
    return min(max(seconds / 4, 0.01), _IDLE)


class Watchdog:
    """Raises :class:`RecordTimeout` in a thread whose record runs past its deadline.

    Everything is per call: :meth:`run` arms the calling thread only (no other thread of
    the process ever receives the exception, a notebook kernel's included), with its own
    limit and its own polling interval; a call with a short limit does not change how
    often another call's record is looked at, and after the call nothing stays armed.
    One daemon thread per process polls the armed slots. Each arm
    is fired at most once, and :meth:`run` waits until a fired exception has arrived, so
    the exception lands inside :meth:`run` and nowhere else. A record that ends after its
    deadline, before the watchdog looked, is over the limit all the same.

    >>> dog = Watchdog()
    >>> dog.run(lambda: "done", 5.0)
    (True, 'done')
    >>> import time
    >>> dog.run(lambda: [time.sleep(0.01) for _ in range(300)], 0.2)
    (False, None)
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._slots: dict[int, _Slot] = {}
        self._thread: threading.Thread | None = None
        self._wake = threading.Event()

    def _interval(self) -> float:
        """The shortest polling interval of the records armed now."""
        armed = [slot.interval for slot in self._slots.values() if slot.deadline < math.inf]
        return min(armed, default=_IDLE)

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._watch, name="imidchem-watchdog")
            self._thread.daemon = True
            self._thread.start()

    def _watch(self) -> None:
        while True:
            with self._lock:
                interval = self._interval()
            self._wake.wait(interval)
            self._wake.clear()
            now = time.monotonic()
            with self._lock:
                for slot in self._slots.values():
                    if not slot.fired and now > slot.deadline:
                        slot.fired = True
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(
                            ctypes.c_ulong(slot.thread_id), ctypes.py_object(RecordTimeout)
                        )

    def run(self, function, seconds: float, *args):
        """``(True, function(*args))``, or ``(False, None)`` when it ran over ``seconds``."""
        ident = threading.get_ident()
        slot = self._slots.get(ident)
        if slot is None or self._thread is None or not self._thread.is_alive():
            with self._lock:
                slot = self._slots.setdefault(ident, _Slot(ident))
                self._ensure_thread()
        try:
            slot.fired = False
            slot.interval = interval = poll_interval(seconds)
            slot.deadline = deadline = time.monotonic() + seconds
            if interval < _IDLE:
                self._wake.set()  # the watcher may be in a longer sleep: look again sooner
            result = function(*args)
            if self._disarm(slot):  # fired as the record ended: let it arrive here, not later
                _await_delivery()
            if time.monotonic() > deadline:  # over the limit, though done before the watchdog saw
                return False, None
        except RecordTimeout:
            self._disarm(slot)  # fired at most once per record: nothing else is coming
            return False, None
        except BaseException:
            try:
                if self._disarm(slot):
                    _await_delivery()
            except RecordTimeout:
                pass
            raise
        return True, result

    def _disarm(self, slot: _Slot) -> bool:
        """Stop watching ``slot``; whether the watchdog fired at it."""
        with self._lock:
            slot.deadline = math.inf
            return slot.fired


def _await_delivery(limit: float = 5.0) -> None:
    """Wait in Python code (where asynchronous exceptions arrive) for the fired exception."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        time.sleep(0.0005)


_WATCHDOGS: dict[int, Watchdog] = {}


def watchdog() -> Watchdog:
    """This process's watchdog (a forked worker gets its own)."""
    import os

    pid = os.getpid()
    dog = _WATCHDOGS.get(pid)
    if dog is None:
        dog = _WATCHDOGS[pid] = Watchdog()
    return dog
