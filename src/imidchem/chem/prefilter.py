"""Cheap necessary conditions for a SMARTS match, read off a plain SMILES string.

A library screen runs the catalogue's substructure queries on every molecule, yet most
molecules cannot match them: a glutarimide needs two C=O double bonds, and a SMILES with
fewer than two ``=`` has fewer. :func:`requirement` derives such a condition from a query
molecule itself (so it follows the catalogue when a pattern changes), and
:func:`absent_patterns` says which catalogue patterns cannot match a molecule parsed from
a *plain* SMILES (see :func:`imidchem.chem.mol.is_plain_smiles`) and left unchanged by
standardisation.

What is derived, and why it is safe:

* **elements**: every query atom whose query fixes one element (``C``, ``[#7;R]``,
  ``[CX3;R]``, ``c``; not ``[C,N]``, ``[!#6]``, ``*`` or ``[$(...)]``) needs its own atom
  of that element. Every atom of a SMILES is written with its element symbol (in upper
  or lower case), so ``smiles.count("N") + smiles.count("n")`` is at least the number of
  nitrogen atoms (``Na`` or ``Sn`` only make it larger).
* **double bonds to oxygen**: every query bond that is exactly a double bond and ends on
  an oxygen query atom needs its own C=O (or N=O, S=O, ...) bond. In a plain SMILES
  (no charges) every double bond to an oxygen is written with ``=``: a neutral aromatic
  ``o`` has two single ring bonds, so kekulisation cannot give it a double bond.

A pattern that is one atom with a list of alternatives, ``[$(A),$(B),...]``, matches
only where one alternative does, so it needs at least the smallest need of each kind
among them.

Both are upper bounds, so a pattern ruled out here cannot match; a pattern not ruled
out is matched as usual. ``tests/test_evidence_rows.py`` checks on real sets that the
screen's output with and without this filter is the same byte for byte.

>>> from imidchem.chem.patterns import PATTERNS
>>> requirement(PATTERNS["glutarimide"].query)
Requirement(elements=(('C', 5), ('N', 1), ('O', 2)), oxo_bonds=2)
>>> "glutarimide" in absent_patterns("CCOC(=O)c1ccccc1N")  # one C=O: no imide
True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from rdkit import Chem

_OXYGEN = 8


@dataclass(frozen=True)
class Requirement:
    """What a molecule needs for a query to match it: element counts, C=O-type bonds."""

    elements: tuple[tuple[str, int], ...]
    oxo_bonds: int


def _definite_element(atom: Chem.Atom) -> int:
    """The atomic number a query atom fixes (0 when it allows several or any).

    Read from RDKit's query description: the element test must be reachable from the
    root through AND nodes only, and not negated. SMARTS cannot negate an AND group.
    """
    if not atom.HasQuery():
        return atom.GetAtomicNum()
    lines = atom.DescribeQuery().splitlines()
    for index, line in enumerate(lines):
        text = line.strip()
        if not text.endswith("= val") or text.endswith("!= val"):
            continue
        kind, _, rest = text.partition(" ")
        if kind not in ("AtomType", "AtomAtomicNum"):
            continue
        depth = (len(line) - len(line.lstrip(" "))) // 2
        ancestors_are_and = True
        for level in range(depth):  # the nearest line above at each shallower depth
            prefix = "  " * level
            parent = next(
                earlier
                for earlier in reversed(lines[:index])
                if earlier.startswith(prefix) and not earlier.startswith(prefix + " ")
            )
            if parent.strip() != "AtomAnd":
                ancestors_are_and = False
                break
        if ancestors_are_and:
            number = int(rest.split()[0])
            return number - 1000 if number > 1000 else number
    return 0


def _definite_double(bond: Chem.Bond) -> bool:
    return (
        not bond.HasQuery()
        and bond.GetBondType() == Chem.BondType.DOUBLE
        or (bond.HasQuery() and bond.DescribeQuery().strip() == "BondOrder 2 = val")
    )


def requirement(query: Chem.Mol) -> Requirement:
    """The necessary conditions of a query molecule (from SMARTS or SMILES).

    >>> requirement(Chem.MolFromSmarts("[#6,#7]C(=O)[N;R]c"))
    Requirement(elements=(('C', 2), ('N', 1), ('O', 1)), oxo_bonds=1)
    """
    table = Chem.GetPeriodicTable()
    numbers = [_definite_element(atom) for atom in query.GetAtoms()]
    counts = Counter(table.GetElementSymbol(n) for n in numbers if n > 0)
    oxo = sum(
        1
        for bond in query.GetBonds()
        if _definite_double(bond)
        and _OXYGEN in (numbers[bond.GetBeginAtomIdx()], numbers[bond.GetEndAtomIdx()])
    )
    return Requirement(tuple(sorted(counts.items())), oxo)


def _recursive_alternatives(smarts: str) -> list[str] | None:
    """``[A, B, ...]`` for a SMARTS ``[$(A),$(B),...]`` (one atom, alternatives only), else None.

    >>> _recursive_alternatives("[$(C=O),$(N~C)]")
    ['C=O', 'N~C']
    >>> _recursive_alternatives("[$(C=O);R]") is None
    True
    """
    if not (smarts.startswith("[$(") and smarts.endswith(")]")):
        return None
    parts, depth, start = [], 0, 1
    body = smarts[1:-1]
    for index, char in enumerate(body):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(body[start - 1 : index])
            start = index + 2
    parts.append(body[start - 1 :])
    if not all(part.startswith("$(") and part.endswith(")") for part in parts):
        return None
    return [part[2:-1] for part in parts]


def smarts_requirement(smarts: str) -> Requirement:
    """:func:`requirement` of a SMARTS, reading through a list of recursive alternatives.

    >>> smarts_requirement("[$(O=C1NC(=O)CC1),$(O=C1NC(=O)NC1)]")
    Requirement(elements=(('C', 3), ('N', 1), ('O', 2)), oxo_bonds=2)
    """
    alternatives = _recursive_alternatives(smarts)
    if alternatives is None:
        return requirement(Chem.MolFromSmarts(smarts))
    needs = [smarts_requirement(alternative) for alternative in alternatives]
    symbols = set.intersection(*(set(dict(need.elements)) for need in needs))
    elements = tuple(sorted((s, min(dict(need.elements)[s] for need in needs)) for s in symbols))
    return Requirement(elements, min(need.oxo_bonds for need in needs))


@lru_cache(maxsize=1)
def _catalogue_requirements() -> tuple[tuple[str, ...], tuple[str, ...], tuple]:
    """(pattern names, element symbols used, per pattern (counts by symbol, oxo bonds))."""
    from .patterns import PATTERNS

    requirements = {name: smarts_requirement(p.smarts) for name, p in PATTERNS.items()}
    symbols = tuple(sorted({s for r in requirements.values() for s, _ in r.elements}))
    rows = tuple(
        (tuple(dict(r.elements).get(s, 0) for s in symbols), r.oxo_bonds)
        for r in requirements.values()
    )
    return tuple(requirements), symbols, rows


_ABSENT_CACHE: dict[tuple[int, ...], frozenset[str]] = {}


def absent_patterns(smiles: str) -> frozenset[str]:
    """Names of catalogue patterns that cannot match the molecule of a plain SMILES.

    Valid for the molecule as parsed from ``smiles`` (a plain SMILES, see
    :func:`imidchem.chem.mol.is_plain_smiles`), not after a change of tautomer.

    >>> absent_patterns("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1")  # thalidomide: none ruled out
    frozenset()
    >>> from imidchem.chem.patterns import PATTERN_NAMES
    >>> absent_patterns("CC(=O)Oc1ccccc1C(=O)O") == set(PATTERN_NAMES)  # aspirin: no nitrogen
    True
    """
    names, symbols, rows = _catalogue_requirements()
    key = (
        *(smiles.count(s) + smiles.count(s.lower()) for s in symbols),
        smiles.count("="),
    )
    absent = _ABSENT_CACHE.get(key)
    if absent is None:
        *have, doubles = key
        absent = frozenset(
            name
            for name, (needs, oxo) in zip(names, rows, strict=True)
            if oxo > doubles or any(n > h for n, h in zip(needs, have, strict=True))
        )
        if len(_ABSENT_CACHE) < 100_000:
            _ABSENT_CACHE[key] = absent
    return absent


# -- one search for the cyclic imide that most of the call's patterns contain -----------

CYCLIC_IMIDE = Chem.MolFromSmarts("[#6;R](=[#8])[#7;R][#6;R]=[#8]")
"""Two C=O on one ring nitrogen, all three atoms in rings (bonds C-N single or aromatic).

A pattern that contains this (see :func:`contains_cyclic_imide`) cannot match a molecule
in which this query finds nothing, so one search of it can stand for all such patterns.
"""


def _double_to_oxygen(atom: Chem.Atom, numbers: list[int]) -> bool:
    return any(
        _definite_double(bond) and numbers[bond.GetOtherAtomIdx(atom.GetIdx())] == _OXYGEN
        for bond in atom.GetBonds()
    )


def _single_or_aromatic(bond: Chem.Bond) -> bool:
    """The query bond can only match a single or aromatic bond, or it is the SMARTS default
    (single or aromatic), or it is ``~`` (any) next to a carbonyl carbon (a C with a double
    bond to O and two ring bonds has no valence left for a second double bond)."""
    if not bond.HasQuery():
        return bond.GetBondType() in (Chem.BondType.SINGLE, Chem.BondType.AROMATIC)
    return bond.DescribeQuery().strip() in (
        "BondOrder 1 = val",
        "BondOr",  # the SMARTS default: single or aromatic
        "BondNull",  # ~: see above (only asked for bonds to a carbonyl carbon)
        "SingleOrAromaticBond 1 = val",
    )


def contains_cyclic_imide(query: Chem.Mol) -> bool:
    """True when every match of ``query`` contains a :data:`CYCLIC_IMIDE` match.

    Read off the query graph: a nitrogen atom fixed as nitrogen, on a ring of the query
    with two carbons fixed as carbon, each with a definite double bond to a fixed oxygen
    and a ring bond to the nitrogen that can only be single or aromatic. Atoms matched by
    a query ring are ring atoms of the molecule.

    >>> from imidchem.chem.patterns import PATTERNS
    >>> contains_cyclic_imide(PATTERNS["glutarimide"].query)
    True
    >>> contains_cyclic_imide(PATTERNS["isoindoline"].query)
    False
    """
    query = Chem.Mol(query)
    query.UpdatePropertyCache(strict=False)
    Chem.FastFindRings(query)
    numbers = [_definite_element(atom) for atom in query.GetAtoms()]
    for atom in query.GetAtoms():
        if numbers[atom.GetIdx()] != 7 or not atom.IsInRing():
            continue
        carbonyls = 0
        for bond in atom.GetBonds():
            other = bond.GetOtherAtom(atom)
            if (
                numbers[other.GetIdx()] == 6
                and bond.IsInRing()
                and _single_or_aromatic(bond)
                and _double_to_oxygen(other, numbers)
            ):
                carbonyls += 1
        if carbonyls >= 2:
            return True
    return False
