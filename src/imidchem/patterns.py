"""The catalogue of substructure patterns: one definition of each, used everywhere.

Each :class:`Pattern` has a name, a SMARTS, a one-line meaning and the reason for its
definition. ``match_patterns`` says which patterns match a molecule and on which atoms.
Molecules are standardised first (see :mod:`imidchem.mol`), so tautomers, salts,
Kekulé forms and isotopes do not change the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
from rdkit import Chem

from .errors import check_choice
from .mol import MolInput, to_mol


@dataclass(frozen=True)
class Pattern:
    """A named SMARTS with its meaning and the reason for its exact definition."""

    name: str
    smarts: str
    meaning: str
    reason: str
    query: Chem.Mol = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        query = Chem.MolFromSmarts(self.smarts)
        if query is None:  # pragma: no cover - catalogue is fixed and tested
            raise ValueError(f"bad SMARTS for pattern {self.name!r}: {self.smarts}")
        object.__setattr__(self, "query", query)

    def matches(self, mol: Chem.Mol) -> tuple[tuple[int, ...], ...]:
        """Atom-index tuples of every match in an already standardised Mol."""
        return mol.GetSubstructMatches(self.query, uniquify=True, maxMatches=1000)


_CATALOGUE = (
    Pattern(
        "isoindoline",
        "[#6;!a;R]1[#7;!a;R][#6;!a;R]c2ccccc12",
        "isoindoline core (2,3-dihydro-1H-isoindole) at any oxidation level: "
        "thalidomide's 'left' half",
        "the document's 'Chem. 2,3-dihydro-1H-isoindole'; covers phthalimides and "
        "isoindolin-1-ones alike, and any substitution on the benzene ring",
    ),
    Pattern(
        "phthalimide",
        "O=[CX3;R]1[NX3;R][CX3;R](=O)c2ccccc12",
        "phthalimide (isoindoline-1,3-dione), as in thalidomide, pomalidomide, apremilast",
        "both carbonyls of the five-membered ring; N may carry any substituent",
    ),
    Pattern(
        "isoindolinone",
        "O=[CX3;R]1[NX3;R][CH2;R]c2ccccc12",
        "isoindolin-1-one, as in lenalidomide and most CELMoDs",
        "one carbonyl and one CH2 in the five-membered ring",
    ),
    Pattern(
        "quinazolinone",
        "O=c1n([#6])c([#6,#1])nc2ccccc12",
        "3-substituted quinazolin-4-one, avadomide's replacement for the isoindoline",
        "avadomide shows the isoindoline half is replaceable; recorded as a related core",
    ),
    Pattern(
        "glutarimide",
        "[CX3;R](=O)1[NX3;R][CX3;R](=O)[CX4;R][CX4;R][CX4;R]1",
        "glutarimide ring (piperidine-2,6-dione), any substitution: thalidomide's 'right' half",
        "six-membered cyclic imide with three sp3 ring carbons; N-substituted and "
        "C-substituted variants all count as sharing the half",
    ),
    Pattern(
        "glutarimide_nh",
        "[CX3;R](=O)1[NX3H1;R][CX3;R](=O)[CX4;R][CX4;R][CX4;R]1",
        "glutarimide with a free imide N-H (the hydrogen-bond donor CRBN needs)",
        "N-alkylation abolishes CRBN binding (N-methylthalidomide is the standard negative control)",
    ),
    Pattern(
        "crbn_pharmacophore",
        "[NX3H1;R1]1[CX3;R1](=O)[$([CX4H1;R1]!@[#6,#7,#8,#16]),$([NX3H0;R1]!@[#6])]"
        "[CX4;R1][CX4;R1][CX3;R1]1=O",
        "cereblon-binding cyclic imide: N-H glutarimide (or dihydrouracil) carrying exactly one "
        "exocyclic substituent on the ring atom next to a carbonyl",
        "the glutarimide sits in CRBN's tri-tryptophan pocket via its imide N-H and both "
        "carbonyls; C3 must be a CH with one exocyclic group (3,3-disubstituted glutethimide "
        "and 4-substituted cycloheximide are not ligands); the C3 position may also be an "
        "N-aryl/alkyl nitrogen so that phenyl-dihydrouracils, real CRBN ligands, are included",
    ),
)

PATTERNS: dict[str, Pattern] = {pattern.name: pattern for pattern in _CATALOGUE}
PATTERN_NAMES: tuple[str, ...] = tuple(PATTERNS)


def get_pattern(name: str) -> Pattern:
    """The catalogue entry for ``name``; raises with the allowed names otherwise.

    >>> get_pattern("glutarimide_nh").meaning
    'glutarimide with a free imide N-H (the hydrogen-bond donor CRBN needs)'
    """
    return PATTERNS[check_choice(name, PATTERN_NAMES, "pattern")]


def pattern_table() -> pd.DataFrame:
    """The catalogue as a DataFrame: name, smarts, meaning, reason."""
    return pd.DataFrame(
        [(p.name, p.smarts, p.meaning, p.reason) for p in _CATALOGUE],
        columns=["name", "smarts", "meaning", "reason"],
    )


def match_patterns(
    molecule: MolInput, names: tuple[str, ...] | list[str] | None = None
) -> dict[str, tuple[tuple[int, ...], ...]]:
    """Which catalogue patterns match, and on which atoms (indices of the standardised Mol).

    Patterns that do not match map to an empty tuple.

    >>> hits = match_patterns("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1")
    >>> sorted(name for name, atoms in hits.items() if atoms)
    ['crbn_pharmacophore', 'glutarimide', 'glutarimide_nh', 'isoindoline', 'phthalimide']
    >>> hits["glutarimide_nh"]
    ((1, 0, 18, 16, 17, 4, 3, 2),)
    """
    mol = to_mol(molecule)
    selected = PATTERN_NAMES if names is None else [get_pattern(n).name for n in names]
    return {name: PATTERNS[name].matches(mol) for name in selected}


def has_pattern(molecule: MolInput, name: str) -> bool:
    """True when the named pattern matches the standardised molecule.

    >>> has_pattern("CCOc1cc([C@@H](CS(C)(=O)=O)N2C(=O)c3cccc(NC(C)=O)c3C2=O)ccc1OC", "crbn_pharmacophore")
    False
    """
    return to_mol(molecule).HasSubstructMatch(get_pattern(name).query)


@lru_cache(maxsize=1)
def _flag_queries() -> tuple[Chem.Mol, Chem.Mol, Chem.Mol, Chem.Mol]:
    return (
        PATTERNS["isoindoline"].query,
        PATTERNS["glutarimide"].query,
        PATTERNS["glutarimide_nh"].query,
        PATTERNS["crbn_pharmacophore"].query,
    )


def pattern_flags(mol: Chem.Mol) -> dict[str, bool]:
    """The four yes/no flags the verdict needs, for an already standardised Mol.

    >>> pattern_flags(to_mol("CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O"))
    {'has_isoindoline': True, 'has_glutarimide': True, 'glutarimide_nh': False, 'crbn_pharmacophore': False}
    """
    isoindoline, glutarimide, glutarimide_nh, pharmacophore = _flag_queries()
    has_glutarimide = mol.HasSubstructMatch(glutarimide)
    return {
        "has_isoindoline": mol.HasSubstructMatch(isoindoline),
        "has_glutarimide": has_glutarimide,
        "glutarimide_nh": has_glutarimide and mol.HasSubstructMatch(glutarimide_nh),
        "crbn_pharmacophore": mol.HasSubstructMatch(pharmacophore),
    }
