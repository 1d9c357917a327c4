"""Exceptions raised by imidchem for user mistakes (bad molecules, names, arguments)."""

from __future__ import annotations


class ImidchemError(ValueError):
    """Base class of every error imidchem raises for bad input."""


class InvalidMoleculeError(ImidchemError):
    """A SMILES string (or other molecule input) that cannot be turned into a molecule."""


class UnknownNameError(ImidchemError):
    """A compound name that is not in the reference set."""


class InvalidArgumentError(ImidchemError):
    """An argument outside the allowed values (unknown fingerprint, metric, column ...)."""


def check_choice(value: str, allowed, what: str) -> str:
    """Return ``value`` lower-cased if it is one of ``allowed``, else raise a helpful error.

    >>> check_choice("Dice", ["tanimoto", "dice"], "metric")
    'dice'
    >>> check_choice("cosine", ["tanimoto", "dice"], "metric")
    Traceback (most recent call last):
    ...
    imidchem.errors.InvalidArgumentError: unknown metric 'cosine'; allowed: tanimoto, dice
    """
    key = str(value).lower()
    if key not in allowed:
        raise InvalidArgumentError(f"unknown {what} {value!r}; allowed: {', '.join(allowed)}")
    return key
