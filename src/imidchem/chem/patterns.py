"""The catalogue of substructure patterns: one definition of each, used everywhere.

Each :class:`Pattern` has a name, a SMARTS, a one-line meaning and the reason for its
definition. ``match_patterns`` says which patterns match a molecule and on which atoms.
Molecules are standardised first (see :mod:`imidchem.chem.mol`), so tautomers, salts,
Kekulé forms and isotopes do not change the answer.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from rdkit import Chem

from ..errors import check_choice
from .mol import MolInput, to_mol

if TYPE_CHECKING:
    import pandas as pd


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
        "[NX3H1;R1]1[CX3;R1](=O)[$([CX4H1;R1]!@[#6,#7,#8,#16,#0]),$([NX3H0;R1]!@[#6,#0])]"
        "[CX4;R1][CX4;R1][CX3;R1]1=O",
        "cereblon-binding cyclic imide: N-H glutarimide (or dihydrouracil) carrying exactly one "
        "exocyclic substituent on the ring atom next to a carbonyl",
        "the glutarimide sits in CRBN's tri-tryptophan pocket via its imide N-H and both "
        "carbonyls, so the imide N must be N-H (N-methylthalidomide and N-caged prodrugs such "
        "as the o-nitrobenzyl opto-PROTAC NR-3d are not ligands); C3 must be a CH with one "
        "exocyclic group (3,3-disubstituted glutethimide and 4-substituted cycloheximide are "
        "not ligands; 3-fluoro or 3-methyl analogues are therefore not called, a deliberate "
        "conservative choice); the C3 position may also be an N-aryl/alkyl nitrogen so that "
        "phenyl-dihydrouracils, real CRBN ligands, are included; the exocyclic group may be an "
        "attachment-point dummy atom (*) because E3-binder fragments of degraders are written "
        "that way ('*C1CCC(=O)NC1=O' is the C3-linked glutarimide handle); the ring must be "
        "closed: ring-opened hydrolysis products lose the imide and are not called; imidic-acid "
        "tautomers are matched after standardisation (imidchem.chem.mol). Checked on 691 CRBN "
        "PROTACs of PROTAC-Pedia, their E3-binder fragments, 511 non-CRBN PROTACs, 4,991 NCI "
        "and 1,760,737 MOSES test and train molecules (docs/validation.md)",
    ),
    Pattern(
        "dihydrouracil",
        "[CX3;R](=O)1[NX3;R][CX3;R](=O)[NX3;R][CX4;R][CX4;R]1",
        "dihydrouracil ring (dihydropyrimidine-2,4-dione), any substitution",
        "the cyclic imide of the phenyl-dihydrouracil CRBN ligands (achiral, no racemisation); "
        "informative only: the cereblon call comes from crbn_pharmacophore, which accepts an "
        "N-H dihydrouracil substituted on N1; the 'glutarimide' pattern deliberately does not "
        "match it (one ring atom is N, not sp3 C)",
    ),
    Pattern(
        "ring_opened_glutarimide",
        "[#7;R]-[CX4H1;!R](-[CX3;!R](=O)[OX2H1,OX1-,NX3])-[CH2;!R]-[CH2;!R]-[CX3;!R](=O)"
        "[OX2H1,OX1-,NX3]",
        "ring-opened glutarimide: a glutamine or glutamic acid chain on a ring nitrogen (the "
        "imide/lactam N of the other half), the hydrolysis product of the glutarimide ring "
        "(e.g. N-phthaloylglutamine)",
        "thalidomide hydrolyses in water at pH 7.4; opening the glutarimide removes the "
        "cyclic imide CRBN needs, so these products are recognised for explanation but never "
        "called binders; products that open the phthalimide instead keep the glutarimide and "
        "are still called by crbn_pharmacophore. The nitrogen must be in a ring: a first "
        "version with any N matched 6 N-acyl glutamates of the NCI set (methotrexate, "
        "aminopterin and other folates, Cbz-glutamic acid), which are no hydrolysis products",
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
    import pandas as pd

    return pd.DataFrame(
        [(p.name, p.smarts, p.meaning, p.reason) for p in _CATALOGUE],
        columns=["name", "smarts", "meaning", "reason"],
    )


@dataclass(frozen=True)
class Decision:
    """One recorded decision about the cereblon motif: a case, an example, the call, why."""

    case: str
    smiles: str
    motif: bool
    reason: str


DECISIONS: tuple[Decision, ...] = (
    Decision(
        "imidic-acid tautomer",
        "OC1=NC(=O)C(CC1)N1C(=O)c2c(C1=O)cccc2",
        True,
        "a public database writes thalidomide this way; the canonical tautomer restores the imide",
    ),
    Decision(
        "salt, isotope label",
        "Nc1cccc2c1CN([C@]1([2H])CCC(=O)NC1=O)C2=O.Cl",
        True,
        "deuterated C3 (used to stop racemisation) and the HCl salt are notation, not chemistry",
    ),
    Decision(
        "deprotonated imide salt",
        "[Na+].Nc1cccc2c1C(=O)N(C1CCC(=O)[N-]C1=O)C2=O",
        True,
        "the imide anion is neutralised by standardisation; the N-H is restored",
    ),
    Decision(
        "linker attachment point on the isoindoline",
        "O=C1CCC(N2C(=O)c3cccc(N*)c3C2=O)C(=O)N1",
        True,
        "E3-binder fragments of PROTACs carry a dummy atom where the linker was cut",
    ),
    Decision(
        "attachment point at C3 of the glutarimide",
        "*C1CCC(=O)NC1=O",
        True,
        "the C3-linked glutarimide handle: the dummy atom counts as the one exocyclic group",
    ),
    Decision(
        "attachment point at N1 of a dihydrouracil",
        "*N1CCC(=O)NC1=O",
        True,
        "the N1-linked dihydrouracil handle of phenyl-dihydrouracil degraders",
    ),
    Decision(
        "phenyl-dihydrouracil",
        "O=C1CCN(c2ccccc2)C(=O)N1",
        True,
        "real CRBN ligand without the isoindoline (Jarusiewicz 2023): N1 takes the C3 role",
    ),
    Decision(
        "phenyl-glutarimide",
        "O=C1CCC(c2ccccc2)C(=O)N1",
        True,
        "real CRBN ligand without the isoindoline (Min 2021): a C-linked C3 substituent",
    ),
    Decision(
        "phthalimide ring opened, glutarimide intact",
        "OC(=O)c1ccccc1C(=O)NC1CCC(=O)NC1=O",
        True,
        "hydrolysis of the phthalimide leaves the 3-amido glutarimide that binds CRBN",
    ),
    Decision(
        "glutarimide ring opened (N-phthaloylglutamine)",
        "NC(=O)CCC(C(=O)O)N1C(=O)c2ccccc2C1=O",
        False,
        "hydrolysis of the glutarimide removes the cyclic imide CRBN needs",
    ),
    Decision(
        "N-methyl imide",
        "CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O",
        False,
        "N-methylthalidomide: the standard negative control, the imide N-H is gone",
    ),
    Decision(
        "N-caged imide (photocaged PROTAC handle)",
        "Nc1cccc2c1C(=O)N(C1CCC(=O)N(Cc3ccccc3[N+](=O)[O-])C1=O)C2=O",
        False,
        "an o-nitrobenzyl on the imide N blocks binding until light removes it "
        "(opto-PROTACs; PROTAC-Pedia NR-3d is labelled CRBN but is caged)",
    ),
    Decision(
        "3,3-disubstituted glutarimide",
        "CCC1(c2ccccc2)CCC(=O)NC1=O",
        False,
        "glutethimide: not a CRBN ligand",
    ),
    Decision(
        "4-substituted glutarimide",
        "C[C@H]1C[C@H](C)C(=O)[C@@H](C1)[C@H](O)CC1CC(=O)NC(=O)C1",
        False,
        "cycloheximide: not a CRBN ligand",
    ),
    Decision(
        "3-fluoro at C3",
        "O=C1CCC(F)(N2C(=O)c3ccccc3C2=O)C(=O)N1",
        False,
        "conservative: C3 carries two exocyclic groups, like glutethimide; binding data "
        "for such analogues were not checked here, so they are not called",
    ),
    Decision(
        "isoindoline-1,3-dione without a glutarimide",
        "CCOc1cc([C@@H](CS(C)(=O)=O)N2C(=O)c3cccc(NC(C)=O)c3C2=O)ccc1OC",
        False,
        "apremilast: shares the isoindoline half only; the isoindoline does not bind CRBN",
    ),
)


def decision_table() -> pd.DataFrame:
    """The recorded motif decisions with the call the catalogue makes today.

    ``agrees`` is True where the ``crbn_pharmacophore`` pattern gives the recorded call.

    >>> table = decision_table()
    >>> bool(table["agrees"].all()), int(table["motif"].sum())
    (True, 9)
    """
    import pandas as pd

    query = PATTERNS["crbn_pharmacophore"].query
    rows = []
    for d in DECISIONS:
        observed = to_mol(d.smiles).HasSubstructMatch(query)
        rows.append((d.case, d.smiles, d.motif, observed, observed == d.motif, d.reason))
    return pd.DataFrame(rows, columns=["case", "smiles", "motif", "observed", "agrees", "reason"])


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


def pattern_flags(mol: Chem.Mol, absent: Container[str] = ()) -> dict[str, bool]:
    """The four yes/no flags the verdict needs, for an already standardised Mol.

    ``absent`` names patterns known not to match (from :mod:`imidchem.chem.prefilter`);
    they are not searched. The library screen uses it to skip most searches.

    >>> pattern_flags(to_mol("CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O"))
    {'has_isoindoline': True, 'has_glutarimide': True, 'glutarimide_nh': False, 'crbn_pharmacophore': False}
    """
    isoindoline, glutarimide, glutarimide_nh, pharmacophore = _flag_queries()
    has_glutarimide = "glutarimide" not in absent and mol.HasSubstructMatch(glutarimide)
    return {
        "has_isoindoline": "isoindoline" not in absent and mol.HasSubstructMatch(isoindoline),
        "has_glutarimide": has_glutarimide,
        "glutarimide_nh": has_glutarimide
        and "glutarimide_nh" not in absent
        and mol.HasSubstructMatch(glutarimide_nh),
        "crbn_pharmacophore": "crbn_pharmacophore" not in absent
        and mol.HasSubstructMatch(pharmacophore),
    }
