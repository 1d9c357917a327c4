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


class MissingExtraError(ImportError, ImidchemError):
    """An optional dependency is missing; the message names the extra to install.

    It is an :class:`ImportError` (so ``except ImportError`` works as for any missing
    module) and an :class:`ImidchemError` (so the command line prints one line).

    >>> raise MissingExtraError("Parquet files", "parquet")
    Traceback (most recent call last):
    ...
    imidchem.errors.MissingExtraError: Parquet files need the optional extra 'parquet': pip install "imidchem[parquet]"
    """

    def __init__(self, what: str, extra: str, detail: str = "") -> None:
        self.what = what
        self.extra = extra
        verb = "need" if what.endswith("s") and not what.endswith("ss") else "needs"
        message = f"{what} {verb} the optional extra {extra!r}"
        if detail:
            message += f" ({detail})"
        super().__init__(f'{message}: pip install "imidchem[{extra}]"')
        self.name = extra


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
