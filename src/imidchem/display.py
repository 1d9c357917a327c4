"""How result objects show themselves, with the layers pointing one way.

A result of a lower layer (:class:`imidchem.Evidence`, :class:`imidchem.PocketFit`,
:class:`imidchem.MCSResult`, :class:`imidchem.ValidationResult`) is data: its ``__str__``
and ``_repr_html_`` ask :func:`render`, and the view layer registers the words and
pictures for it (:mod:`imidchem.view.render`, loaded by ``import imidchem``). Nothing
below :mod:`imidchem.view` imports it; the registry is keyed by the class's dotted name,
so that registering loads none of the classes.

>>> class Note:
...     def __str__(self):
...         return render(self, "text") or "a note"
>>> str(Note())
'a note'
>>> _ = register(f"{__name__}.Note", "text")(lambda note: "a registered note")
>>> str(Note())
'a registered note'
>>> unregister(f"{__name__}.Note", "text")
"""

from __future__ import annotations

from collections.abc import Callable

_RENDERERS: dict[tuple[str, str], Callable[..., str]] = {}

KINDS = ("text", "html")
"""``text`` for ``str()`` and print, ``html`` for notebooks (``_repr_html_``)."""


def register(class_path: str, kind: str) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """Decorator: the ``kind`` renderer of instances of the class at ``class_path``
    (``module.QualifiedName``)."""
    if kind not in KINDS:
        raise ValueError(f"unknown display kind {kind!r}; allowed: {', '.join(KINDS)}")

    def add(function: Callable[..., str]) -> Callable[..., str]:
        _RENDERERS[(class_path, kind)] = function
        return function

    return add


def unregister(class_path: str, kind: str) -> None:
    """Forget a renderer (for tests)."""
    _RENDERERS.pop((class_path, kind), None)


def render(obj: object, kind: str, **options) -> str | None:
    """``obj`` in words (``text``) or HTML (``html``) by the renderer registered for its
    class or a base class; None when there is none (callers fall back to ``repr``)."""
    for cls in type(obj).__mro__:
        function = _RENDERERS.get((f"{cls.__module__}.{cls.__qualname__}", kind))
        if function is not None:
            return function(obj, **options)
    return None
