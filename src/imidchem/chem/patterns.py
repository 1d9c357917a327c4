"""The catalogue of substructure patterns: one definition of each, used everywhere.

Each :class:`Pattern` has a name, a SMARTS, a one-line meaning and the reason for its
definition. ``match_patterns`` says which patterns match a molecule and on which atoms.
Molecules are standardised first (see :mod:`imidchem.chem.mol`), so tautomers, salts,
Kekulé forms and isotopes do not change the answer.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdkit import Chem

from .. import defaults
from ..errors import InvalidMoleculeError, check_choice
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
    parts: tuple[Pattern, ...] = field(default=(), repr=False)
    """For a union pattern: the patterns it is the union of; its matches are theirs."""
    query: Chem.Mol = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        query = Chem.MolFromSmarts(self.smarts)
        if query is None:  # pragma: no cover - catalogue is fixed and tested
            raise ValueError(f"bad SMARTS for pattern {self.name!r}: {self.smarts}")
        object.__setattr__(self, "query", query)

    def matches(self, mol: Chem.Mol) -> tuple[tuple[int, ...], ...]:
        """Atom-index tuples of every match in an already standardised Mol (for a union
        pattern, the matches of its parts, in their order, without repeats)."""
        if self.parts:
            found: dict[tuple[int, ...], None] = {}
            for part in self.parts:
                found.update(dict.fromkeys(part.matches(mol)))
            return tuple(found)
        return mol.GetSubstructMatches(self.query, uniquify=True, maxMatches=1000)


# -- the one definition of a cyclic imide (the call, the pose's anchor, the 3-D skip rule) --
_IMIDE_NH_SMARTS = "[#6;R](=[#8])@[#7H1;r5,r6]@[#6;R]=[#8]"
_NUCLEOSIDE_N3 = "$([#7]1~[#6](=[#8])~[#7](!@[CX4;R]@[OX2;R])~[#6]~[#6]~[#6]1=[#8])"
"""The N3 of a pyrimidine-2,4-dione whose N1 carries a sugar carbon (bonded to a ring O)."""

CYCLIC_IMIDE_NH = Pattern(
    "cyclic_imide_nh",
    _IMIDE_NH_SMARTS,
    "N-H cyclic imide: a ring N-H between two ring carbonyls (C(=O)-NH-C(=O)) in a five- or "
    "six-membered ring, saturated or aromatic: glutarimides, succinimides, hydantoins, "
    "dihydrouracils, barbiturates, uracils (5-FU, thymine, thymidine), phthalimide N-H, "
    "maleimides, quinazoline-2,4-diones, xanthine N1-H",
    "the one definition of a cyclic imide used by the graded call, by the pose's anchor "
    "(imidchem.chem.pocket.pose) and by the 3-D skip rule (anchor_atoms, can_anchor): the "
    "imide N-H donates to the backbone O of His378 and both C=O accept in CRBN's tri-Trp cage "
    "(Fischer 2014 Nature doi:10.1038/nature13527; Chamberlain 2014 Nat Struct Mol Biol "
    "doi:10.1038/nsmb.2874); five- and six-membered imides both enter it (C-terminal "
    "glutarimide and succinimide degrons, Ichikawa 2022 Nature doi:10.1038/s41586-022-05333-5), "
    "and the planar uracil of uridine does too (Hartmann 2014 J Struct Biol "
    "doi:10.1016/j.jsb.2014.10.010), so aromatic imides count; the N-H is required "
    "(N-methylthalidomide does not bind). Which of these bind is the call's business, not "
    "this pattern's",
)
NH_LACTAM = Pattern(
    "nh_lactam",
    "[#8]=[#6;R]@[#7H1;r5,r6]",
    "N-H ring lactam: a ring N-H next to a ring carbonyl in a five- or six-membered ring "
    "(also each half of an N-H imide)",
    "the pose's second anchor: an N-H lactam offers the imide's N-H and one of its C=O, so "
    "it can be laid on one half of the crystal glutarimide; it is not an imide, and only "
    "the benzo-fused six-membered N-H lactam has a level above 4 (benzo_lactam_nh)",
)


# -- the graded cereblon call (imidchem.evidence.call) -------------------------------
# Every pattern below that can put a molecule at level 1, 2 or 3 contains a cyclic imide:
# two C=O on one ring nitrogen. A molecule with no carbonyl (no "=O" in its standardised
# SMILES) can therefore only be level 4, so a fast path may skip these SMARTS for it.
# Ring numbering of the glutarimide: N1, C2(=O), C3 (where thalidomide's isoindoline
# sits), C4, C5, C6(=O); of the dihydrouracil: N3-H, C2(=O), N1, C6, C5, C4(=O).

_GLUTARIMIDE_C3 = "[NX3H1;R1]1[CX3;R1](=O){c3}[CH2;R1][CH2;R1][CX3;R1]1=O"
"""N-H glutarimide whose C4 and C5 are CH2; ``{c3}`` is the C3 atom with its substituent."""
_BENZO_LACTAM_N = (
    "[#7;R;"
    "$([#7]1~[#6;X4,$([#6]=[#8])]~[#6;a]~[#6;a]~[#6;X4,$([#6]=[#8])]1),"
    "$([#7]1~[#6](=[#8])~[#6;a]~[#6;a]~[#6,#7]~[#6,#7]1)]"
)
"""A ring N of a benzo-fused five-membered ring (phthalimide, isoindolin-1-one, isoindoline)
or a benzo-fused six-membered lactam (quinazolin-4-one, benzotriazin-4-one,
dihydroisoquinolin-1-one)."""
_NOT_SUGAR_N = "!$([#7]!@[CX4;R]@[OX2;R])"
"""Not a glycosidic nitrogen (its exocyclic carbon is not bonded to a ring oxygen)."""

_IMID_PATTERNS = (
    Pattern(
        "imid_glutarimide",
        _GLUTARIMIDE_C3.format(c3=f"[CX4H1;R1](!@{_BENZO_LACTAM_N})"),
        "IMiD-like cereblon binder: N-H glutarimide whose C3 (a CH) carries the nitrogen of a "
        "phthalimide, isoindolin-1-one, isoindoline or benzo-fused six-membered lactam "
        "(quinazolinone, benzotriazinone)",
        "thalidomide, lenalidomide, pomalidomide, the CELMoDs and avadomide: the glutarimide "
        "sits in CRBN's tri-tryptophan pocket with its N-H and both C=O (Ito 2010 Science "
        "doi:10.1126/science.1177319; Fischer 2014 Nature doi:10.1038/nature13527; Chamberlain "
        "2014 Nat Struct Mol Biol doi:10.1038/nsmb.2874), the benzo-fused lactam on C3 is the "
        "solvent-exposed half that recruits neosubstrates; avadomide (quinazolinone, Hagner 2015 "
        "Blood 126:779) shows the lactam may be six-membered. C4 and C5 must be CH2 (substituents "
        "there are level 3). 129 of 141 such compounds of the ChEMBL cereblon development set "
        "are labelled active (docs/validation.md)",
    ),
)

_OTHER_BINDER_PATTERNS = (
    Pattern(
        "aryl_glutarimide",
        _GLUTARIMIDE_C3.format(c3="[CX4H1;R1](!@c)"),
        "phenyl-glutarimide type: N-H glutarimide with an aromatic carbon on C3",
        "validated non-IMiD cereblon ligands (Min 2021 Angew Chem Int Ed 60:26663); the phenyl "
        "replaces the isoindoline and the imide binds as in thalidomide; indolyl, indazolyl and "
        "pyrazolyl analogues and phenyl-glutarimide PROTACs are active in the ChEMBL set",
    ),
    Pattern(
        "anilino_glutarimide",
        _GLUTARIMIDE_C3.format(c3="[CX4H1;R1](!@[NX3H1]-a)"),
        "anilino-glutarimide: N-H glutarimide whose C3 carries an aryl-NH",
        "an aniline N on C3 in place of the isoindoline nitrogen; the anilino-glutarimide "
        "degraders of the ChEMBL set (BRD4 and BTK PROTACs) are active",
    ),
    Pattern(
        "acylamino_glutarimide",
        _GLUTARIMIDE_C3.format(c3="[CX4H1;R1](!@[NX3H1]-[CX3]=O)"),
        "benzamido-glutarimide type: N-H glutarimide whose C3 carries an amide N-H "
        "(3-acylaminopiperidine-2,6-dione)",
        "benzamide-type cereblon binders (Steinebach 2023 J Med Chem, citation unverified) and "
        "the phthalamic acid left when thalidomide's phthalimide hydrolyses keep the whole "
        "imide; affinities are mostly weaker than lenalidomide's: only 2 of 15 such compounds "
        "of the ChEMBL set reach the 10 uM activity cut-off, so 'binder' here means 'binds', "
        "not 'binds below 10 uM'",
    ),
    Pattern(
        "aryloxy_glutarimide",
        _GLUTARIMIDE_C3.format(c3="[CX4H1;R1](!@[OX2]-a)"),
        "aryloxy-glutarimide: N-H glutarimide whose C3 carries an aryl ether oxygen",
        "an ether oxygen in place of the isoindoline nitrogen keeps the imide and one C3 "
        "substituent; the three aryloxy-glutarimides of the ChEMBL set are active",
    ),
    Pattern(
        "heteroaryl_n_glutarimide",
        _GLUTARIMIDE_C3.format(c3="[CX4H1;R1](!@n)"),
        "N-linked heteroaryl glutarimide: an aromatic ring nitrogen (triazole, pyrazole, "
        "benzimidazolone) on C3",
        "the same single C3 substituent as in lenalidomide, through an aromatic N; the "
        "triazolyl glutarimides of the ChEMBL set are active",
    ),
    Pattern(
        "c3_glutarimide",
        _GLUTARIMIDE_C3.format(c3="[CX4H1;R1](!@[#6,#7,#8,#16,#0])"),
        "N-H glutarimide with exactly one exocyclic group on C3 (a CH), C4 and C5 CH2: the "
        "cereblon-binding form of the glutarimide, any C3 substituent",
        "the general rule behind the named glutarimide chemotypes (3-arylthiomethyl "
        "glutarimides of the ChEMBL set are active); the group may be an attachment-point dummy "
        "atom (*) because E3-binder fragments of degraders are written that way "
        "('*C1CCC(=O)NC1=O' is the C3-linked glutarimide handle); the imide N must be N-H "
        "(N-methylthalidomide and N-caged prodrugs such as the o-nitrobenzyl opto-PROTAC NR-3d "
        "are not ligands)",
    ),
    Pattern(
        "aryl_dihydrouracil",
        "[NX3H1;R1]1[CX3;R1](=O)[NX3;R1](!@[c,n,#0])[CH2;R1][CH2;R1][CX3;R1]1=O",
        "phenyl-dihydrouracil type: N-H dihydrouracil with an aryl (or an attachment point) on "
        "N1 and CH2 at C5 and C6",
        "validated achiral non-IMiD cereblon ligands (Jarusiewicz 2023 ACS Med Chem Lett "
        "14:141): N1 takes the place of C3. Only an aromatic N1 substituent and an unsubstituted "
        "C5-C6 are accepted: an earlier rule that took any carbon on N1 and any C5/C6 "
        "substitution called 5-halo-6-alkoxy-5,6-dihydrothymidine nucleosides cereblon binders",
    ),
)

_POSSIBLE_PATTERNS = (
    Pattern(
        "c3_quaternary_glutarimide",
        "[NX3H1;R1]1[CX3;R1](=O)[CX4H0;R][CX4;R][CX4;R][CX3;R1]1=O",
        "N-H glutarimide with a quaternary C3: two exocyclic groups or a spiro ring",
        "mixed evidence: spiro-piperidine and spiro-pyrrolidine glutarimides are active in "
        "cereblon assays (ChEMBL set, 25 of 25), spiro-isoxazoline glutarimides partly (1 of 6 "
        "in the development half), while the 3,3-disubstituted sedative glutethimide and "
        "3-fluoro-thalidomide analogues have no binding evidence; C3 carries no H, so the "
        "geometry of the pocket complex differs from thalidomide's",
    ),
    Pattern(
        "succinimide_nh",
        "[NX3H1;R1]1[CX3;R1](=O)[CX4;R][CX4;R][CX3;R1]1=O",
        "free N-H succinimide (pyrrolidine-2,5-dione) with sp3 ring carbons",
        "a five-membered cyclic imide: spiro-succinimides of the spiro-piperidine series are "
        "active in the ChEMBL set (5 of 5); the pocket accepts the smaller ring but binding "
        "data are few; phthalimides (sp2 ring carbons) are not included",
    ),
    Pattern(
        "hydantoin_nh",
        "[NX3H1;R1]1[CX3;R1](=O)[NX3;R][CX4;R][CX3;R1]1=O",
        "hydantoin (imidazolidine-2,4-dione) with a free imide N3-H",
        "a five-membered cyclic imide: spiro-hydantoins of the spiro-piperidine series are "
        "active in the ChEMBL set (10 of 10); no binding data for simple 5,5-disubstituted "
        "hydantoins such as phenytoin",
    ),
    Pattern(
        "dihydrouracil_nh",
        f"[NX3H1;R1]1[CX3;R1](=O)[NX3;R1;{_NOT_SUGAR_N}][CX4;R1][CX4;R1][CX3;R1]1=O",
        "any other free N-H dihydrouracil, not a nucleoside: N1-H or N1-alkyl, or substituted "
        "at C5/C6",
        "the imide of the phenyl-dihydrouracil ligands without their N1-aryl: plain "
        "dihydrouracil is inactive in the ChEMBL set; a glycosidic N1 (a carbon bonded to a "
        "ring oxygen, as in dihydrothymidine nucleosides) is excluded",
    ),
    Pattern(
        "barbiturate_nh",
        "[#7H1;R]1[#6;R](=[#8])[#7;R][#6;R](=[#8])[#6X4;R][#6;R]1=[#8]",
        "barbiturate (pyrimidine-2,4,6-trione) with a free imide N-H, e.g. phenobarbital",
        "a six-membered N-H cyclic imide like the glutarimide, with a 5,5-disubstituted "
        "carbon where glutethimide has its quaternary C3; the pose places its imide in the "
        "cage, but no cereblon binding is reported for barbiturates: possible, like "
        "glutethimide (an earlier call said 'no cyclic imide' while the pose placed the "
        "imide)",
    ),
    Pattern(
        "uracil_nh",
        f"[#7H1;a]1[#6;a](=[#8])[#7;a;{_NOT_SUGAR_N}][#6;a][#6;a][#6;a]1=[#8]",
        "uracil in aromatic form (pyrimidine-2,4-dione) with a free N3-H imide, not a "
        "nucleoside: 5-fluorouracil, thymine, 1-aryluracils, and fused uracils (xanthine "
        "N1-H, quinazoline-2,4-dione, lumazine)",
        "the planar, unsaturated form of the dihydrouracil imide: uridine's uracil binds the "
        "tri-Trp cage of a bacterial cereblon homologue and competes with thalidomide "
        "(Hartmann 2014 J Struct Biol doi:10.1016/j.jsb.2014.10.010), and the phenyl-"
        "dihydrouracil ligands (Jarusiewicz 2023) are its 5,6-dihydro form, but no uracil is "
        "a reported cereblon ligand: possible (1-aminouracil is inactive in the ChEMBL set); a "
        "glycosidic N1 is a nucleoside (level 4)",
    ),
    Pattern(
        "other_imide_nh",
        f"[#6;R](=[#8])@[#7H1;r5,r6;!{_NUCLEOSIDE_N3}]@[#6;R]=[#8]",
        "a free N-H cyclic imide (cyclic_imide_nh) that is not a nucleoside's: the level-3 "
        "catch-all, which the call reaches only for ring types no rule before it names (N-H "
        "phthalimide, maleimide, triazinediones ...)",
        "the imide the cage holds, in a ring type without cereblon binding data: possible, "
        "so that no molecule whose imide the pose can place is called 'no cyclic imide'",
    ),
    Pattern(
        "benzo_lactam_nh",
        "[#8]=[#6;R]1[#6X4,#7X3;R][#6X4;R]c2aaaac2[#7H1;R]1",
        "benzo-fused six-membered N-H lactam: 3,4-dihydroquinolin-2(1H)-one, its aza "
        "(1,8-naphthyridinone) and 3,4-dihydroquinazolin-2(1H)-one analogues",
        "not an imide: the ring has the glutarimide's shape and offers its N-H (more acidic "
        "as an anilide than an alkyl lactam's) and one C=O, the fused benzene taking the "
        "place of the second C=O, so two of the three canonical H-bonds can be made; the "
        "ChEMBL cereblon development set has all 25 active (20 3,4-dihydroquinolin-2-ones, "
        "4 aza analogues, 1 dihydroquinazolinone) while the five-membered oxindoles of the "
        "same assays are not (2 of 52 active), and plain piperidin-2-one is inactive. No "
        "published binding study or structure of these lactams with cereblon was found "
        "(searched: dihydroquinolinone, lactam and non-imide cereblon ligands), so they are "
        "possible (level 3), not called",
    ),
)

_NEGATIVE_PATTERNS = (
    Pattern(
        "nucleoside",
        "[#8]=[#6]1~[#7]~[#6](=[#8])~[#7](!@[CX4;R]@[OX2;R])~[#6]~[#6]1",
        "pyrimidine-2,4-dione nucleoside: uracil, thymine or their 5,6-dihydro forms with a "
        "sugar (a carbon bonded to a ring oxygen) on N1",
        "nucleosides and nucleotides (uridine, thymidine, 5-halo-6-alkoxy-5,6-"
        "dihydrothymidines) carry an N-H cyclic imide that can enter the tri-Trp cage "
        "(uridine competes with thalidomide in a bacterial homologue, Hartmann 2014 J Struct "
        "Biol doi:10.1016/j.jsb.2014.10.010), but they are cellular metabolites with no "
        "cereblon-mediated activity and not cereblon ligands in any assay used here (UMP is "
        "inactive in the ChEMBL set); they are named so that a nucleoside is never called a "
        "binder",
    ),
    Pattern(
        "succinimide",
        "[CX3;R](=O)1[NX3;R][CX3;R](=O)[CX4;R][CX4;R]1",
        "succinimide ring (pyrrolidine-2,5-dione), any substitution",
        "informative: with a substituted N it explains a level-4 call (imide N-H missing)",
    ),
    Pattern(
        "hydantoin",
        "[CX3;R](=O)1[NX3;R][CX3;R](=O)[NX3;R][CX4;R]1",
        "hydantoin ring (imidazolidine-2,4-dione), any substitution",
        "informative: with a substituted N3 it explains a level-4 call (imide N-H missing)",
    ),
)

_CALL_PATTERNS = _IMID_PATTERNS + _OTHER_BINDER_PATTERNS + _POSSIBLE_PATTERNS + _NEGATIVE_PATTERNS

LEVEL_PATTERNS: dict[int, tuple[Pattern, ...]] = {
    1: _IMID_PATTERNS,
    2: _OTHER_BINDER_PATTERNS,
    3: _POSSIBLE_PATTERNS,
    4: _NEGATIVE_PATTERNS,
}
"""The call's patterns by the level they give (the rules of :mod:`imidchem.evidence.call`
say so for each pattern; a test checks that the two agree)."""

_BINDER_PATTERNS = tuple(p for level in defaults.BINDER_LEVELS for p in LEVEL_PATTERNS[level])
CRBN_PHARMACOPHORE = Pattern(
    "crbn_pharmacophore",
    "[" + ",".join(f"$({p.smarts})" for p in _BINDER_PATTERNS) + "]",
    "cereblon-binding cyclic imide: any level-1 or level-2 pattern of the graded call "
    "(an N-H glutarimide with one exocyclic group on C3, or an N1-aryl N-H dihydrouracil)",
    "the union of "
    + ", ".join(p.name for p in _BINDER_PATTERNS)
    + ", built from their SMARTS (one definition): True exactly when the graded call "
    "(imidchem.evidence.call) gives level 1 or 2; its atoms are those of the matching part. "
    "Kept for "
    "existing users of the crbn_pharmacophore column. Checked on 691 CRBN PROTACs of "
    "PROTAC-Pedia, their E3-binder fragments, 511 non-CRBN PROTACs, 4,991 NCI and 1,760,737 "
    "MOSES molecules (docs/validation.md)",
    parts=_BINDER_PATTERNS,
)

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
        "N-alkylation abolishes CRBN binding (N-methylthalidomide is the standard negative "
        "control). In the graded call it is the level-3 catch-all: a free N-H glutarimide "
        "that no level-1/2 pattern and no quaternary-C3 pattern takes (unsubstituted, "
        "4-substituted such as cycloheximide or the 3,5-dicyano-4-aryl Guareschi imides, "
        "3,5-disubstituted, fused) has the imide the pocket binds, but thin or negative "
        "evidence: plain glutarimide and 4-methylglutarimide are inactive in the ChEMBL set, "
        "cycloheximide is not a known ligand, 4-spiro analogues of the spiro-piperidine series "
        "are active; all are 'possible', whatever the C4 substituent (an earlier rule split "
        "them on whether C4 was spiro)",
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

_CATALOGUE = (*_CATALOGUE, CRBN_PHARMACOPHORE, CYCLIC_IMIDE_NH, NH_LACTAM, *_CALL_PATTERNS)

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
    level: int = 0
    """The level of the graded call (imidchem.evidence.call); ``motif`` is level 1 or 2."""


DECISIONS: tuple[Decision, ...] = (
    Decision(
        "imidic-acid tautomer",
        "OC1=NC(=O)C(CC1)N1C(=O)c2c(C1=O)cccc2",
        True,
        "a public database writes thalidomide this way; the canonical tautomer restores the imide",
        level=1,
    ),
    Decision(
        "salt, isotope label",
        "Nc1cccc2c1CN([C@]1([2H])CCC(=O)NC1=O)C2=O.Cl",
        True,
        "deuterated C3 (used to stop racemisation) and the HCl salt are notation, not chemistry",
        level=1,
    ),
    Decision(
        "deprotonated imide salt",
        "[Na+].Nc1cccc2c1C(=O)N(C1CCC(=O)[N-]C1=O)C2=O",
        True,
        "the imide anion is neutralised by standardisation; the N-H is restored",
        level=1,
    ),
    Decision(
        "linker attachment point on the isoindoline",
        "O=C1CCC(N2C(=O)c3cccc(N*)c3C2=O)C(=O)N1",
        True,
        "E3-binder fragments of PROTACs carry a dummy atom where the linker was cut",
        level=1,
    ),
    Decision(
        "attachment point at C3 of the glutarimide",
        "*C1CCC(=O)NC1=O",
        True,
        "the C3-linked glutarimide handle: the dummy atom counts as the one exocyclic group",
        level=2,
    ),
    Decision(
        "attachment point at N1 of a dihydrouracil",
        "*N1CCC(=O)NC1=O",
        True,
        "the N1-linked dihydrouracil handle of phenyl-dihydrouracil degraders",
        level=2,
    ),
    Decision(
        "phenyl-dihydrouracil",
        "O=C1CCN(c2ccccc2)C(=O)N1",
        True,
        "real CRBN ligand without the isoindoline (Jarusiewicz 2023): N1 takes the C3 role",
        level=2,
    ),
    Decision(
        "phenyl-glutarimide",
        "O=C1CCC(c2ccccc2)C(=O)N1",
        True,
        "real CRBN ligand without the isoindoline (Min 2021): a C-linked C3 substituent",
        level=2,
    ),
    Decision(
        "phthalimide ring opened, glutarimide intact",
        "OC(=O)c1ccccc1C(=O)NC1CCC(=O)NC1=O",
        True,
        "hydrolysis of the phthalimide leaves the 3-amido glutarimide that binds CRBN",
        level=2,
    ),
    Decision(
        "glutarimide ring opened (N-phthaloylglutamine)",
        "NC(=O)CCC(C(=O)O)N1C(=O)c2ccccc2C1=O",
        False,
        "hydrolysis of the glutarimide removes the cyclic imide CRBN needs",
        level=4,
    ),
    Decision(
        "N-methyl imide",
        "CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O",
        False,
        "N-methylthalidomide: the standard negative control, the imide N-H is gone",
        level=4,
    ),
    Decision(
        "N-caged imide (photocaged PROTAC handle)",
        "Nc1cccc2c1C(=O)N(C1CCC(=O)N(Cc3ccccc3[N+](=O)[O-])C1=O)C2=O",
        False,
        "an o-nitrobenzyl on the imide N blocks binding until light removes it "
        "(opto-PROTACs; PROTAC-Pedia NR-3d is labelled CRBN but is caged)",
        level=4,
    ),
    Decision(
        "3,3-disubstituted glutarimide",
        "CCC1(c2ccccc2)CCC(=O)NC1=O",
        False,
        "glutethimide: free imide, no binding evidence, while spiro-C3 analogues bind: "
        "a possible binder (level 3), not called",
        level=3,
    ),
    Decision(
        "4-substituted glutarimide",
        "C[C@H]1C[C@H](C)C(=O)[C@@H](C1)[C@H](O)CC1CC(=O)NC(=O)C1",
        False,
        "cycloheximide: free imide, not a known ligand, while 4-spiro analogues bind: a "
        "possible binder (level 3), not called",
        level=3,
    ),
    Decision(
        "3-fluoro at C3",
        "O=C1CCC(F)(N2C(=O)c3ccccc3C2=O)C(=O)N1",
        False,
        "conservative: C3 carries two exocyclic groups, like glutethimide; binding data "
        "for such analogues were not checked here: possible (level 3), not called",
        level=3,
    ),
    Decision(
        "isoindoline-1,3-dione without a glutarimide",
        "CCOc1cc([C@@H](CS(C)(=O)=O)N2C(=O)c3cccc(NC(C)=O)c3C2=O)ccc1OC",
        False,
        "apremilast: shares the isoindoline half only; the isoindoline does not bind CRBN",
        level=4,
    ),
    Decision(
        "spiro C3 glutarimide",
        "O=C1CCC2(CC(c3ccccc3Cl)=NO2)C(=O)N1",
        False,
        "spiro-isoxazoline glutarimide: the series is partly active in ChEMBL cereblon assays "
        "and the C3 carries no H: possible (level 3), not called",
        level=3,
    ),
    Decision(
        "spiro-hydantoin",
        "O=C1NC(=O)C2(CCN(C(=O)c3ccccc3)CC2)N1",
        False,
        "a five-membered imide; the spiro-piperidine hydantoins are active in the ChEMBL set, "
        "few data otherwise: possible (level 3), not called",
        level=3,
    ),
    Decision(
        "Guareschi imide (3,5-dicyano-4-aryl)",
        "N#CC1C(=O)NC(=O)C(C#N)C1c1ccccc1",
        False,
        "4-substituted like cycloheximide, whether C4 is spiro or not: possible (level 3)",
        level=3,
    ),
    Decision(
        "5-halo-6-alkoxy-5,6-dihydrothymidine nucleoside",
        "COC1N(C2CC(N=[N+]=[N-])C(CO)O2)C(=O)NC(=O)C1(C)Br",
        False,
        "a dihydrouracil imide on a sugar: a nucleoside, not a cereblon ligand (an earlier "
        "rule called it one because N1 carried a carbon)",
        level=4,
    ),
    Decision(
        "anilino-glutarimide",
        "O=C1CCC(Nc2ccccc2)C(=O)N1",
        True,
        "an aniline N on C3 in place of the isoindoline: binder of another chemotype (level 2)",
        level=2,
    ),
    Decision(
        "benzamido-glutarimide",
        "O=C1CCC(NC(=O)c2ccccc2)C(=O)N1",
        True,
        "benzamide-type ligand: the whole imide, one C3 substituent; binder of another "
        "chemotype (level 2), often weaker than lenalidomide",
        level=2,
    ),
)


def decision_table() -> pd.DataFrame:
    """The recorded motif decisions with the call the catalogue makes today.

    ``agrees`` is True where the ``crbn_pharmacophore`` pattern gives the recorded call
    (levels 1 and 2; the level itself is checked against imidchem.evidence.call by the tests).

    >>> table = decision_table()
    >>> bool(table["agrees"].all()), int(table["motif"].sum())
    (True, 11)
    """
    import pandas as pd

    query = PATTERNS["crbn_pharmacophore"].query
    rows = []
    for d in DECISIONS:
        observed = to_mol(d.smiles).HasSubstructMatch(query)
        rows.append(
            (d.case, d.smiles, d.level, d.motif, observed, observed == d.motif, d.reason)
        )
    return pd.DataFrame(
        rows, columns=["case", "smiles", "level", "motif", "observed", "agrees", "reason"]
    )


def match_patterns(
    molecule: MolInput, names: tuple[str, ...] | list[str] | None = None
) -> dict[str, tuple[tuple[int, ...], ...]]:
    """Which catalogue patterns match, and on which atoms (indices of the standardised Mol).

    Patterns that do not match map to an empty tuple.

    >>> hits = match_patterns("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1")
    >>> sorted(name for name, atoms in hits.items() if atoms)  # doctest: +NORMALIZE_WHITESPACE
    ['c3_glutarimide', 'crbn_pharmacophore', 'cyclic_imide_nh', 'glutarimide', 'glutarimide_nh',
     'imid_glutarimide', 'isoindoline', 'nh_lactam', 'other_imide_nh', 'phthalimide']
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


def half_flags(mol: Chem.Mol, absent: Container[str] = ()) -> dict[str, bool]:
    """Which halves of thalidomide an already standardised Mol carries: the first three
    flags of :func:`pattern_flags` (the cereblon call, which gives the fourth, is made
    by :func:`imidchem.evidence.call.call_mol`).

    >>> half_flags(to_mol("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1"))
    {'has_isoindoline': True, 'has_glutarimide': True, 'glutarimide_nh': True}
    """
    return dict(zip(HALF_FLAGS, half_flag_values(mol, absent), strict=True))


HALF_FLAGS = ("has_isoindoline", "has_glutarimide", "glutarimide_nh")
HALF_FLAG_PATTERNS = ("isoindoline", "glutarimide", "glutarimide_nh")
"""The catalogue patterns behind :data:`HALF_FLAGS`, in the same order."""


def half_flag_values(
    mol: Chem.Mol, absent: Container[str] = (), present: Container[str] = ()
) -> tuple[bool, bool, bool]:
    """:func:`half_flags` as a tuple in :data:`HALF_FLAGS` order; patterns named in
    ``absent`` (known not to match) or ``present`` (known to match) are not searched.

    >>> half_flag_values(to_mol("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1"), present=("glutarimide",))
    (True, True, True)
    """

    def has(name: str) -> bool:
        return name in present or (name not in absent and mol.HasSubstructMatch(PATTERNS[name].query))

    isoindoline, glutarimide, glutarimide_nh = HALF_FLAG_PATTERNS
    has_glutarimide = has(glutarimide)
    return has(isoindoline), has_glutarimide, has_glutarimide and has(glutarimide_nh)


def pattern_flags(mol: Chem.Mol, absent: Container[str] = ()) -> dict[str, bool]:
    """The four yes/no flags the verdict needs, for an already standardised Mol.

    ``absent`` names patterns known not to match (from :mod:`imidchem.chem.prefilter`);
    they are not searched. The library screen uses it to skip most searches.

    >>> pattern_flags(to_mol("CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O"))
    {'has_isoindoline': True, 'has_glutarimide': True, 'glutarimide_nh': False, 'crbn_pharmacophore': False}
    """
    pharmacophore = PATTERNS["crbn_pharmacophore"].query
    return {
        **half_flags(mol, absent),
        "crbn_pharmacophore": "crbn_pharmacophore" not in absent
        and mol.HasSubstructMatch(pharmacophore),
    }


def anchor_atoms(mol: Chem.Mol | str) -> tuple[tuple[int, ...], ...]:
    """What the pose can anchor in cereblon's tri-Trp cage: the atoms (O, C, N, C, O) of
    every N-H cyclic imide (:data:`CYCLIC_IMIDE_NH`), or, when there is none, the atoms
    (O, C, N) of every N-H ring lactam (:data:`NH_LACTAM`); empty when there is neither.

    The one definition shared by the graded call (every molecule with an N-H cyclic imide
    is at level 3 or better, or a nucleoside), the pose's anchor finder
    (:func:`imidchem.chem.pocket.pose.find_anchors`) and the 3-D skip rule
    (:func:`can_anchor`). ``mol`` is an already standardised Mol (hydrogens explicit or
    not) or its SMILES (``smiles_std``, parsed as written). Both patterns need a C=O, so a
    standardised SMILES without ``=O`` has nothing to anchor.

    >>> anchor_atoms("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1")  # the glutarimide, not the phthalimide
    ((0, 1, 18, 16, 17),)
    >>> anchor_atoms("O=C1CCc2ccccc2N1")  # 3,4-dihydroquinolin-2-one: an N-H lactam
    ((0, 1, 10),)
    >>> anchor_atoms("CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O")  # N-methylthalidomide
    ()
    """
    if isinstance(mol, str):
        parsed = Chem.MolFromSmiles(mol)
        if parsed is None:
            raise InvalidMoleculeError(f"invalid SMILES {mol!r}")
        mol = parsed
    imides = CYCLIC_IMIDE_NH.matches(mol)
    if imides:
        return tuple((m[1], m[0], m[2], m[3], m[4]) for m in imides)
    return NH_LACTAM.matches(mol)


def can_anchor(mol: Chem.Mol | str) -> bool:
    """True when the pose has an N-H cyclic imide or N-H ring lactam to anchor
    (:func:`anchor_atoms` is not empty): the 3-D skip rule fits exactly these.

    >>> [can_anchor(s) for s in ("O=C1NC(=O)C(CC)(c2ccccc2)C(=O)N1", "O=c1[nH]cc(F)c(=O)[nH]1",
    ...                          "CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O", "c1ccccc1")]
    [True, True, False, False]
    """
    return bool(anchor_atoms(mol))
