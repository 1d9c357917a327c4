"""The graded cereblon call: four levels, each with its chemotype and its evidence.

========  =========================================  ==========================================
level     name                                       what it means
========  =========================================  ==========================================
1         IMiD-like cereblon binder                  N-H glutarimide on a phthalimide,
                                                     isoindolinone, isoindoline or benzo-fused
                                                     lactam (thalidomide to the CELMoDs)
2         cereblon binder of another chemotype       a validated non-IMiD ligand: phenyl-,
                                                     anilino-, benzamido-, aryloxy-glutarimides,
                                                     other singly C3-substituted N-H
                                                     glutarimides, phenyl-dihydrouracils
3         possible cereblon binder                   a free cyclic imide in a substitution
                                                     pattern with mixed or thin evidence
                                                     (quaternary or spiro C3, 4-substituted,
                                                     succinimides, hydantoins, other
                                                     dihydrouracils, barbiturates, uracils,
                                                     any other N-H cyclic imide), or a
                                                     benzo-fused six-membered N-H lactam
4         not a cereblon binder                      and why: imide N substituted, no cyclic
                                                     imide, only the isoindoline half, a
                                                     nucleoside, a ring-opened glutarimide
========  =========================================  ==========================================

A call is made by the first rule of :data:`RULES` whose pattern matches; every rule names a
pattern of :mod:`imidchem.chem.patterns`, whose ``reason`` gives the chemistry and the
citations (``pattern_table()``). The level is an ordinal score: lower is more likely a
binder (``5 - level`` ranks molecules for a ROC curve).

Every molecule with a free N-H cyclic imide (:data:`imidchem.chem.patterns.CYCLIC_IMIDE_NH`,
the definition the pose anchors and the 3-D skip rule share) is at level 3 or better, or is a
nucleoside: no call says "no cyclic imide" where the pose can place one.

Fast-path note: every pattern that can give level 1, 2 or 3 contains a carbonyl (all but the
benzo-fused lactam a cyclic imide, two C=O on one ring nitrogen). A standardised molecule
without a carbonyl is therefore always
level 4, and a screen may skip the SMARTS for it after a cheap string test (no ``=O`` in the
standardised SMILES); only the level-4 *reason* ("only the isoindoline half" or "no cyclic
imide") needs the isoindoline pattern, which has no carbonyl.

>>> call = crbn_call("Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O")
>>> call.level, call.name, call.chemotype
(1, 'IMiD-like cereblon binder', 'isoindolinone glutarimide (lenalidomide type)')
>>> crbn_call("O=C1CCC2(CC(c3ccccc3Cl)=NO2)C(=O)N1").name
'possible cereblon binder'
>>> crbn_call("COC1N(C2CC(N=[N+]=[N-])C(CO)O2)C(=O)NC(=O)C1(C)Br").chemotype
'nucleoside'
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from rdkit import Chem

from .. import defaults
from ..chem.mol import MolInput
from ..chem.patterns import PATTERNS
from ..chem.prefilter import CYCLIC_IMIDE, contains_cyclic_imide
from ..data.reference import resolve
from ..errors import InvalidArgumentError

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Level:
    """One level of the graded call: its number, its name (the verdict) and its meaning."""

    number: int
    name: str
    meaning: str

    @property
    def binder(self) -> bool:
        """True for :data:`imidchem.defaults.BINDER_LEVELS` (the ``crbn_pharmacophore``
        column)."""
        return self.number in defaults.BINDER_LEVELS


LEVELS: dict[int, Level] = {
    level.number: level
    for level in (
        Level(
            1,
            "IMiD-like cereblon binder",
            "N-H glutarimide carrying a phthalimide, isoindolinone, isoindoline or benzo-fused "
            "lactam on C3: thalidomide, lenalidomide, pomalidomide, the CELMoDs, their PROTACs",
        ),
        Level(
            2,
            "cereblon binder of another chemotype",
            "the cereblon-binding imide without the IMiD half: phenyl-, anilino-, benzamido-, "
            "aryloxy-glutarimides and other singly C3-substituted N-H glutarimides, "
            "phenyl-dihydrouracils",
        ),
        Level(
            3,
            "possible cereblon binder",
            "a free N-H cyclic imide whose substitution has mixed or thin evidence: quaternary "
            "or spiro C3, 4-substituted or unsubstituted glutarimides, succinimides, "
            "hydantoins, other dihydrouracils, barbiturates, uracils, any other N-H cyclic "
            "imide; or a benzo-fused six-membered N-H lactam (3,4-dihydroquinolin-2-one type)",
        ),
        Level(
            4,
            "not a cereblon binder",
            "no free cyclic imide of the cereblon-binding kind: imide N substituted, ring "
            "opened, only the isoindoline half, a nucleoside, or no cyclic imide at all",
        ),
    )
}
LEVEL_NAMES: tuple[str, ...] = tuple(level.name for level in LEVELS.values())


@dataclass(frozen=True)
class Rule:
    """One rule of the call: if ``pattern`` matches, the molecule is at ``level``."""

    pattern: str | None
    level: int
    chemotype: str
    reason: str


RULES: tuple[Rule, ...] = (
    Rule(
        "imid_glutarimide",
        1,
        "IMiD",
        "N-H glutarimide with {lactam} on C3{like}: the imide binds cereblon's tri-tryptophan "
        "pocket",
    ),
    Rule(
        "aryl_glutarimide",
        2,
        "aryl-glutarimide (phenyl-glutarimide type)",
        "N-H glutarimide with an aryl on C3 (phenyl-glutarimide type): binds cereblon without "
        "the isoindoline",
    ),
    Rule(
        "anilino_glutarimide",
        2,
        "anilino-glutarimide",
        "N-H glutarimide with an anilino NH on C3: binds cereblon without the isoindoline",
    ),
    Rule(
        "acylamino_glutarimide",
        2,
        "benzamido-glutarimide (acylamino type)",
        "N-H glutarimide with an amide NH on C3 (benzamide-type ligand): binds cereblon, "
        "often weaker than lenalidomide",
    ),
    Rule(
        "aryloxy_glutarimide",
        2,
        "aryloxy-glutarimide",
        "N-H glutarimide with an aryl ether on C3: binds cereblon without the isoindoline",
    ),
    Rule(
        "heteroaryl_n_glutarimide",
        2,
        "N-heteroaryl glutarimide",
        "N-H glutarimide with an aromatic ring nitrogen on C3: binds cereblon without the "
        "isoindoline",
    ),
    Rule(
        "c3_glutarimide",
        2,
        "3-substituted glutarimide",
        "N-H glutarimide with one group on C3 (a CH): the cereblon-binding form of the imide",
    ),
    Rule(
        "aryl_dihydrouracil",
        2,
        "phenyl-dihydrouracil",
        "N-H dihydrouracil with an aryl on N1 (phenyl-dihydrouracil type): binds cereblon "
        "without the isoindoline",
    ),
    Rule(
        "c3_quaternary_glutarimide",
        3,
        "{c3} glutarimide",
        "free N-H glutarimide, but C3 is quaternary ({c3}): spiro series bind, glutethimide "
        "has no evidence; possible",
    ),
    Rule(
        "glutarimide_nh",
        3,
        "{kind} glutarimide",
        "free N-H glutarimide, {kind}: the imide is there, the evidence for this substitution "
        "is thin or negative; possible",
    ),
    Rule(
        "succinimide_nh",
        3,
        "{spiro}succinimide",
        "free N-H succinimide: a five-membered imide; spiro series bind, few data; possible",
    ),
    Rule(
        "hydantoin_nh",
        3,
        "{spiro}hydantoin",
        "free N-H hydantoin: a five-membered imide; spiro series bind, few data; possible",
    ),
    Rule(
        "dihydrouracil_nh",
        3,
        "dihydrouracil",
        "free N-H dihydrouracil without the N1-aryl of the validated ligands; possible",
    ),
    Rule(
        "barbiturate_nh",
        3,
        "barbiturate",
        "free N-H barbiturate: a six-membered cyclic imide the pocket can hold, but no "
        "cereblon binding is reported for barbiturates; possible",
    ),
    Rule(
        "uracil_nh",
        3,
        "{fused}uracil",
        "free N-H uracil imide (aromatic pyrimidine-2,4-dione): uridine's uracil enters the "
        "tri-Trp cage, but no uracil is a reported cereblon ligand; possible",
    ),
    Rule(
        "other_imide_nh",
        3,
        "other N-H cyclic imide",
        "free N-H cyclic imide of a ring type without cereblon binding data; possible",
    ),
    Rule(
        "benzo_lactam_nh",
        3,
        "benzo-fused N-H lactam (3,4-dihydroquinolin-2-one type)",
        "no imide, but a six-membered N-H lactam on a benzene ring: its N-H and C=O can take "
        "the place of the glutarimide's; active in ChEMBL cereblon assays, no published "
        "binding study; possible",
    ),
    Rule(
        "nucleoside",
        4,
        "nucleoside",
        "a nucleoside: its uracil/thymine N-H imide can enter the tri-Trp cage, but a "
        "nucleobase on a sugar is a cellular metabolite, not a cereblon ligand",
    ),
    Rule(
        "glutarimide",
        4,
        "N-substituted glutarimide",
        "glutarimide nitrogen is substituted: the imide N-H that cereblon needs is missing",
    ),
    Rule(
        "dihydrouracil",
        4,
        "N-substituted dihydrouracil",
        "dihydrouracil imide nitrogen is substituted: the N-H that cereblon needs is missing",
    ),
    Rule(
        "succinimide",
        4,
        "N-substituted succinimide",
        "succinimide nitrogen is substituted: the N-H that cereblon needs is missing",
    ),
    Rule(
        "hydantoin",
        4,
        "N-substituted hydantoin",
        "hydantoin imide nitrogen is substituted: the N-H that cereblon needs is missing",
    ),
    Rule(
        "ring_opened_glutarimide",
        4,
        "ring-opened glutarimide",
        "the glutarimide ring is opened (hydrolysis product): no cyclic imide for cereblon",
    ),
    Rule(
        "isoindoline",
        4,
        "isoindoline only",
        "shares only the isoindoline half of thalidomide; no glutarimide, so no "
        "cereblon-binding imide",
    ),
    Rule(None, 4, "no cyclic imide", "shares neither half of thalidomide: no cyclic imide"),
)
"""The rules in the order they are tried; the first match makes the call."""

_LACTAMS = (
    ("phthalimide", "a phthalimide", "phthalimido-glutarimide (thalidomide type)",
     ", like thalidomide and pomalidomide"),
    ("isoindolinone", "an isoindolinone", "isoindolinone glutarimide (lenalidomide type)",
     ", like lenalidomide and iberdomide"),
    ("quinazolinone", "a quinazolinone", "quinazolinone glutarimide (avadomide type)",
     ", like avadomide"),
    ("isoindoline", "an isoindoline", "isoindoline glutarimide", ""),
)
"""Pattern, words, chemotype and the named examples of each level-1 C3 lactam (the examples
carry that lactam: lenalidomide is an isoindolinone, not a phthalimide)."""


@dataclass(frozen=True)
class CrbnCall:
    """One graded call: level, chemotype, the pattern and atoms behind it, and a reason."""

    level: int
    chemotype: str
    pattern: str | None
    atoms: tuple[int, ...]
    reason: str

    @property
    def name(self) -> str:
        """The level's name: the ``verdict`` column."""
        return LEVELS[self.level].name

    @property
    def binder(self) -> bool:
        """True for :data:`imidchem.defaults.BINDER_LEVELS`: the ``crbn_pharmacophore``
        column."""
        return LEVELS[self.level].binder

    @property
    def evidence(self) -> str:
        """The pattern's meaning and its reason, with citations (empty when no pattern)."""
        if self.pattern is None:
            return ""
        pattern = PATTERNS[self.pattern]
        return f"{pattern.name}: {pattern.meaning}. Why: {pattern.reason}"


def _in_rings(mol: Chem.Mol, atom: int) -> int:
    return mol.GetRingInfo().NumAtomRings(atom)


def _imid_details(mol: Chem.Mol, match: tuple[int, ...]) -> tuple[str, str, str]:
    """Chemotype, the lactam's words and its named examples for a level-1 match (atom 4 is
    the nitrogen on C3)."""
    nitrogen = match[4]
    for name, words, chemotype, like in _LACTAMS:
        if any(nitrogen in hit for hit in PATTERNS[name].matches(mol)):
            return chemotype, words, like
    return "benzo-lactam glutarimide (IMiD analogue)", "a benzo-fused lactam", ""


def _glutarimide_kind(mol: Chem.Mol, match: tuple[int, ...]) -> str:
    """Words for a free N-H glutarimide that is not singly C3-substituted.

    ``match`` is C2, O, N1, C6, O, C5, C4, C3 of ``glutarimide_nh``.
    """
    c5, c4, c3 = (mol.GetAtomWithIdx(i) for i in match[5:8])
    if all(atom.GetTotalNumHs() == 2 for atom in (c3, c4, c5)):
        return "unsubstituted"
    if c4.GetTotalNumHs() < 2:
        return "4-substituted"
    if any(_in_rings(mol, atom.GetIdx()) > 1 for atom in (c3, c4, c5)):
        return "fused"
    return "3,5-disubstituted"


def _spiro(mol: Chem.Mol, match: tuple[int, ...]) -> bool:
    return any(
        _in_rings(mol, i) > 1 and mol.GetAtomWithIdx(i).GetAtomicNum() == 6
        and not mol.GetAtomWithIdx(i).GetIsAromatic()
        for i in match
    )


def _describe(rule: Rule, mol: Chem.Mol, match: tuple[int, ...]) -> tuple[str, str]:
    """Fill the chemotype and reason templates of ``rule`` for one match."""
    if rule.pattern == "imid_glutarimide":
        chemotype, words, like = _imid_details(mol, match)
        return chemotype, rule.reason.format(lactam=words, like=like)
    if rule.pattern == "c3_quaternary_glutarimide":
        c3 = "spiro-C3" if _in_rings(mol, match[3]) > 1 else "3,3-disubstituted"
        return rule.chemotype.format(c3=c3), rule.reason.format(c3=c3)
    if rule.pattern == "glutarimide_nh":
        kind = _glutarimide_kind(mol, match)
        return rule.chemotype.format(kind=kind), rule.reason.format(kind=kind)
    if rule.pattern in ("succinimide_nh", "hydantoin_nh"):
        spiro = "spiro-" if _spiro(mol, match) else ""
        return rule.chemotype.format(spiro=spiro), rule.reason
    if rule.pattern == "uracil_nh":
        fused = "fused " if any(_in_rings(mol, i) > 1 for i in match) else ""
        return rule.chemotype.format(fused=fused), rule.reason
    return rule.chemotype, rule.reason


@lru_cache(maxsize=1)
def _imide_rules() -> frozenset[str]:
    """The rule patterns that contain a cyclic imide (all but the ring-opened glutarimide
    and the isoindoline), read off the catalogue's queries
    (:func:`imidchem.chem.prefilter.contains_cyclic_imide`)."""
    return frozenset(
        rule.pattern
        for rule in RULES
        if rule.pattern is not None and contains_cyclic_imide(PATTERNS[rule.pattern].query)
    )


RULE_INDEX: dict[str | None, int] = {rule.pattern: i for i, rule in enumerate(RULES)}
"""Where each rule's pattern (None: the last rule) stands in :data:`RULES`."""


def call_mol(mol: Chem.Mol, absent: Container[str] = ()) -> CrbnCall:
    """The graded call for an already standardised Mol (see :func:`crbn_call`).

    ``absent`` names patterns known not to match (from :mod:`imidchem.chem.prefilter`);
    their rules are passed over without a search, as they would be after one. Rules whose
    pattern contains a cyclic imide are passed over likewise when one search for any
    cyclic imide (:data:`imidchem.chem.prefilter.CYCLIC_IMIDE`) finds none, so most
    molecules need one or two searches, not twenty.
    """
    imide_rules = _imide_rules()
    imide = None  # whether the molecule has a cyclic imide: searched once, when first needed
    for rule in RULES:
        if rule.pattern is None:
            return CrbnCall(rule.level, rule.chemotype, None, (), rule.reason)
        if rule.pattern in absent:
            continue
        if rule.pattern in imide_rules:
            if imide is None:
                imide = mol.HasSubstructMatch(CYCLIC_IMIDE)
            if not imide:
                continue
        matches = PATTERNS[rule.pattern].matches(mol)
        if matches:
            chemotype, reason = _describe(rule, mol, matches[0])
            return CrbnCall(rule.level, chemotype, rule.pattern, matches[0], reason)
    raise AssertionError("the last rule always matches")  # pragma: no cover


def crbn_call(molecule: MolInput) -> CrbnCall:
    """The graded cereblon call for a SMILES, reference name or Mol (standardised first).

    >>> call = crbn_call("O=C1CCN(c2ccccc2)C(=O)N1")
    >>> call.level, call.chemotype, call.pattern, call.binder
    (2, 'phenyl-dihydrouracil', 'aryl_dihydrouracil', True)
    >>> crbn_call("glutethimide").chemotype
    '3,3-disubstituted glutarimide'
    >>> crbn_call("CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O").reason
    'glutarimide nitrogen is substituted: the imide N-H that cereblon needs is missing'
    """
    return call_mol(resolve(molecule)[1])


def level_name(level: int) -> str:
    """The name of a level; raises with the allowed levels otherwise.

    >>> level_name(3)
    'possible cereblon binder'
    """
    if level not in LEVELS:
        raise InvalidArgumentError(
            f"unknown cereblon level {level!r}; allowed: {', '.join(map(str, LEVELS))}"
        )
    return LEVELS[level].name


def level_score(level: int) -> int:
    """The ordinal score of a level for ranking (higher = more likely a binder): ``5 - level``.

    >>> [level_score(level) for level in LEVELS]
    [4, 3, 2, 1]
    """
    level_name(level)
    return 5 - level


def level_table() -> pd.DataFrame:
    """The four levels: number, name, meaning."""
    import pandas as pd

    return pd.DataFrame(
        [(lv.number, lv.name, lv.meaning) for lv in LEVELS.values()],
        columns=["level", "name", "meaning"],
    )


def rule_table() -> pd.DataFrame:
    """The rules in the order they are tried: level, chemotype, pattern, its meaning and reason.

    >>> table = rule_table()
    >>> table.loc[0, "pattern"], int(table.loc[0, "level"])
    ('imid_glutarimide', 1)
    >>> bool(table["level"].is_monotonic_increasing)
    True
    """
    import pandas as pd

    rows = []
    for rule in RULES:
        pattern = PATTERNS[rule.pattern] if rule.pattern else None
        rows.append(
            (
                rule.level,
                LEVELS[rule.level].name,
                rule.chemotype.replace(
                    "IMiD", "IMiD: phthalimido-, isoindolinone, isoindoline, quinazolinone or "
                    "benzo-lactam glutarimide"
                )
                .replace("{c3}", "spiro-C3 / 3,3-disubstituted")
                .replace("{kind}", "unsubstituted / 4-substituted / other")
                .replace("{spiro}", "(spiro-)")
                .replace("{fused}", "(fused) "),
                rule.pattern or "",
                pattern.meaning if pattern else "none of the patterns above",
                pattern.reason if pattern else "",
            )
        )
    return pd.DataFrame(
        rows, columns=["level", "name", "chemotype", "pattern", "meaning", "reason"]
    )
