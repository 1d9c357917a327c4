"""The JSON the command line writes: schema names, plus the old keys for one version.

The old keys (:data:`imidchem.evidence.schema.RENAMED_JSON_KEYS`) are copies of the new ones,
listed under ``deprecated_keys`` so that a script written against the old names keeps
working until the next version and can see what to read instead.
"""

from __future__ import annotations

from ..evidence.schema import RENAMED_JSON_KEYS


def with_old_keys(payload: dict, kind: str) -> dict:
    """A copy of ``payload`` with the deprecated old keys of ``kind`` ("evidence" or "pocket")
    beside their schema names, and ``deprecated_keys`` (old -> new); ``payload`` is unchanged.

    >>> with_old_keys({"pocket_fit": True, "pocket_clashes": 0}, "pocket")
    {'pocket_fit': True, 'pocket_clashes': 0, 'fits': True, 'clash_count': 0, 'deprecated_keys': {'fits': 'pocket_fit', 'clash_count': 'pocket_clashes'}}
    >>> with_old_keys({"x": 1}, "shape")
    Traceback (most recent call last):
    ...
    ValueError: unknown JSON kind 'shape'; allowed: evidence, pocket
    """
    if kind not in RENAMED_JSON_KEYS:
        raise ValueError(f"unknown JSON kind {kind!r}; allowed: {', '.join(RENAMED_JSON_KEYS)}")
    renamed = {old: new for old, new in RENAMED_JSON_KEYS[kind].items() if new in payload}
    if not renamed:
        return dict(payload)
    return {**payload, **{old: payload[new] for old, new in renamed.items()},
            "deprecated_keys": renamed}  # fmt: skip


def old_keys_warning(payload: dict) -> str | None:
    """The one line that tells a user of the old keys what to read instead (None without any).

    >>> old_keys_warning(with_old_keys({"pocket_fit": True}, "pocket"))
    'imidchem: warning: the JSON keys fits are deprecated copies of pocket_fit and go in the next version'
    """
    found: dict[str, str] = {}

    def collect(value) -> None:
        if isinstance(value, dict):
            found.update(value.get("deprecated_keys", {}))
            for item in value.values():
                collect(item)

    collect(payload)
    if not found:
        return None
    return (f"imidchem: warning: the JSON keys {', '.join(found)} are deprecated copies of "
            f"{', '.join(found.values())} and go in the next version")  # fmt: skip
