"""The screen's fast path gives the same rows, byte for byte, as the full path.

The fast path (``screen_record(..., fast=True)``, the default) skips standardisation
steps that cannot change a plain SMILES and substructure searches its SMILES rules out;
the full path standardises everything and runs every search. Checked on MOSES, on
stereo-rich PROTAC-Pedia molecules and on RDKit's NCI set (salts, charges, isotopes).
"""

from __future__ import annotations

import csv
import gzip
import re
from functools import cache
from itertools import islice
from pathlib import Path

import pytest
from conftest import SHARED, THALIDOMIDE
from rdkit import Chem, DataStructs, RDConfig, rdBase

from imidchem.chem.fingerprints import fingerprint
from imidchem.chem.mol import (
    _HIDDEN_AMIDE,
    canonical_imide,
    is_plain_smiles,
    may_hide_imide,
    parse_plain_smiles,
    parse_smiles,
    standardize,
)
from imidchem.chem.patterns import PATTERNS
from imidchem.chem.prefilter import Requirement, absent_patterns, requirement
from imidchem.data.reference import load_reference
from imidchem.engine.screen import screen_chunk, screen_record
from imidchem.evidence.schema import OUTPUT_COLUMNS

MOSES = SHARED / "bench" / "moses_train.csv.gz"
PROTACPEDIA = SHARED / "data" / "protacpedia_protacs.csv.gz"
NCI = Path(RDConfig.RDDataDir) / "NCI" / "first_5K.smi"
# Written ways in which a SMILES can hide an imide or lactam as an imidic acid or a
# hydroxy-azine (the tautomer step of standardisation): enriches the MOSES sample.
_TAUTOMER_HINT = re.compile(r"O\)?=N|=N[^=]*\(O\)|c\(O\)n|Oc\d*n|nc\d*\(?O\b|\(O\)=N")

TRICKY = [
    "O=C1CC[C@H](N2C(=O)c3ccccc3C2=O)C(=O)N1",  # S-thalidomide
    "OC1=NC(=O)[C@@H](CC1)N1C(=O)c2ccccc2C1=O",  # imidic acid with a stereocentre
    "O=C1CCC(N2C(=O)c3ccccc3C2=O)C(O)=N1",  # imidic acid at the other carbonyl
    "Oc1ccccn1",  # 2-hydroxypyridine: the lactam tautomer
    "Oc1ncc[nH]1",
    "C/C=C/C(=O)N[C@@H](C)C(=O)O",  # E double bond and a stereocentre
    "F/C=C\\F",
    "[C@@H]1(F)CCCC1",
    "C[C@H](O)[C@@H](N)C(=O)NC1CCC(=O)NC1=O",
    "O=C1CCC(c2ccc3[nH]ccc3c2)C(=O)N1",
    "CC1(C)C(=O)NC(=O)C1",
    "O=C1CCN(c2ccccc2)C(=O)N1",
    "O=c1cc[nH]c(=O)[nH]1",  # uracil written aromatic
    "O=C1C=CC(=O)N1",
    "C1=CC=CC=CC=C1",  # cyclooctatetraene
    "c1ccc2c(c1)C(=O)N(C1CCC(=O)NC1=O)C2=O",
    "O=C1N(C2CCC(=O)NC2=O)C(=O)c2c1cccc2[Se]C",
    "N=C(O)C1CCCCC1",
    "[H]C(=O)N1CCCC1",  # hydrogen atom: full path
    "[2H]C1CCC(=O)NC1=O",  # isotope: full path
    "O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)[N-]1.[Na+]",  # salt and charge: full path
    "*C1CCC(=O)NC1=O",  # dummy atom: full path
    "C1CC",  # unclosed ring: error row from the full path
    "c1cccc1",  # cannot be kekulised
    "C(C)(C)(C)(C)C",  # valence
    "",
    "CCO extra words",
    "C[N+](C)(C)C",
    "c1ccnc(c1)O",  # hydroxy at the end
    "n1ccccc1O",
    "C/C(O)=N/C",
    "CN(=O)=O",  # nitro, N-oxides, azide: sanitisation writes them with charges
    "O=N(=O)c1ccc(O)nc1",
    "c1ccn(=O)cc1",
    "CN(C)(C)=O",
    "CN=N#N",
    "CC#N=O",
    "CI(=O)=O",
    "OCl(=O)(=O)=O",
    "[Pt](N)(N)(Cl)Cl",
    # hostile or unusual input for a parse that trusts the SMILES as written
    "C1=CC=CC=C1",  # kekule benzene: sanitisation makes it aromatic
    "O=C1C=CNC=C1",  # 4-pyridone written with double bonds: aromatic after sanitisation
    "O=C1NC(=O)NC(=O)N1",  # cyanuric acid: aromatic without a ring double bond
    "O=C1Nc2ccccc2N1",  # benzimidazolone written with an uppercase ring
    "c1ccc2cccc3cccc1c23",  # phenalene written aromatic: cannot be kekulised
    "c1ccnc1",  # aromatic nitrogen without its H: cannot be kekulised
    "C1CC1(C)(C)C",  # five bonds on carbon
    "O=c1c2ccccc2nc2n1-n1cnnc1-c1ccccc1-2",  # fused systems RDKit re-perceives
    "CCOC(=O)c1sc2nccc3c2c1ncn3-c1ccccc1",
    "[H]c1ccccc1",  # hydrogen atom
    "c1ccccc1c1ccccc1",  # biphenyl without the '-' between the rings
    "CC(=O)Nc1ccc(O)cc1.Cl",  # salt
    f"{THALIDOMIDE}.{THALIDOMIDE}",  # the same molecule twice
]


@cache
def moses_sample() -> list[str]:
    if not MOSES.exists():
        pytest.skip(f"MOSES not found: {MOSES} (../shared is not checked out)")
    with gzip.open(MOSES, "rt") as lines:
        next(lines)
        first = [line.strip() for line in islice(lines, 100_000)]
    hinted = [smiles for smiles in first[2500:] if _TAUTOMER_HINT.search(smiles)]
    bracketed = [smiles for smiles in first[2500:] if "[H]" in smiles]
    return first[:2000] + hinted[:400] + bracketed[:40]


@cache
def protacpedia() -> list[str]:
    if not PROTACPEDIA.exists():
        pytest.skip(f"PROTAC-Pedia not found: {PROTACPEDIA} (../shared is not checked out)")
    with gzip.open(PROTACPEDIA, "rt", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = ("protac_smiles", "e3_binder_smiles")
    return [row[column] for row in rows for column in columns if row[column]]


@cache
def nci() -> list[str]:
    lines = NCI.read_text().splitlines()[:2500]
    return [line.split()[0] for line in lines if line.strip()]


@cache
def reference() -> list[str]:
    """The shipped reference set: drugs with stereocentres, present without ../shared."""
    return load_reference()["smiles"].tolist()


SETS = {
    "tricky": lambda: TRICKY,
    "reference": reference,
    "moses": moses_sample,
    "protacpedia": protacpedia,
    "nci": nci,
}


@pytest.mark.parametrize("name", list(SETS))
def test_fast_rows_equal_full_rows(name):
    smiles = SETS[name]()
    records = [(str(i), text, "") for i, text in enumerate(smiles, 1)]
    fast = screen_chunk("smiles", records, "csv")
    full = screen_chunk("smiles", records, "csv", fast=False)
    assert fast[1:] == full[1:]
    fast_lines, full_lines = fast[0].splitlines(), full[0].splitlines()
    assert len(fast_lines) == len(full_lines) >= len(records)
    different = [(a, b) for a, b in zip(fast_lines, full_lines, strict=True) if a != b]
    assert different == []
    assert fast[0] == full[0]


def test_fast_path_is_taken_and_covers_stereo_and_tautomers():
    """The sets exercise what the fast path does, not only the fallback."""
    sample = TRICKY + reference() + nci() + (protacpedia() if PROTACPEDIA.exists() else [])
    plain = [s for s in sample if is_plain_smiles(s)]
    assert len(plain) > 0.5 * len(sample)
    with rdBase.BlockLogs():
        stereo = [s for s in plain if "@" in s or "/" in s]
        assert len(stereo) >= 10
        parsed = [mol for s in plain if (mol := parse_plain_smiles(s)) is not None]
        tautomers = [mol for mol in parsed if canonical_imide(mol) is not mol]
    assert len(tautomers) >= 5


@pytest.mark.parametrize("name", list(SETS))
def test_plain_smiles_standardisation_is_the_full_standardisation(name):
    """Same atoms, canonical isomeric SMILES and fingerprint as the full standardisation.

    On the first 500 molecules of each set and every one with stereo marks or an
    imidic-acid tautomer.
    """
    checked = 0
    with rdBase.BlockLogs():
        for i, text in enumerate(SETS[name]()):
            parsed = parse_plain_smiles(text)
            if parsed is None:
                continue
            fast = canonical_imide(parsed)  # standardize_plain, with the tautomer step always
            stereo = "@" in text or "/" in text or "\\" in text
            if i >= 500 and not stereo and fast is parsed:
                continue
            full = standardize(parse_smiles(text))
            assert fast.GetNumAtoms() == full.GetNumAtoms(), text
            assert Chem.MolToSmiles(fast) == Chem.MolToSmiles(full), text
            assert fingerprint(fast) == fingerprint(full), text
            checked += 1
    assert checked > 0


@pytest.mark.parametrize("name", list(SETS))
def test_prefilter_never_rules_out_a_match(name):
    """A pattern the SMILES rules out does not match the parsed molecule (whole catalogue).

    Likewise the tautomer step's imidic-acid query where :func:`may_hide_imide` says no.
    """
    ruled_out = 0
    with rdBase.BlockLogs():
        for text in SETS[name]():
            mol = parse_plain_smiles(text)
            if mol is None:
                continue
            if not may_hide_imide(text):
                assert not mol.HasSubstructMatch(_HIDDEN_AMIDE), text
            for pattern in absent_patterns(text):
                assert not mol.HasSubstructMatch(PATTERNS[pattern].query), (text, pattern)
                ruled_out += 1
    assert ruled_out > 0


@pytest.mark.parametrize("name", list(SETS))
def test_one_imide_search_stands_for_the_imide_rules(name):
    """The call with its cyclic-imide gate and the flags read off the call are what every
    rule's and flag's own search gives (on the standardised molecules of each set)."""
    from imidchem.chem.patterns import half_flags
    from imidchem.chem.prefilter import CYCLIC_IMIDE
    from imidchem.evidence.call import RULES, _describe, _imide_rules, call_mol
    from imidchem.evidence.verdict import _half_flags

    gated = _imide_rules()
    assert "isoindoline" not in gated and "ring_opened_glutarimide" not in gated
    assert {"glutarimide", "imid_glutarimide", "nucleoside", "hydantoin_nh"} <= gated
    imides = 0
    with rdBase.BlockLogs():
        for text in SETS[name]():
            try:
                mol = standardize(parse_smiles(text))
            except Exception:  # noqa: BLE001 - error rows are tested elsewhere
                continue
            imide = mol.HasSubstructMatch(CYCLIC_IMIDE)
            imides += imide
            for pattern in gated:
                if PATTERNS[pattern].matches(mol):
                    assert imide, (text, pattern)
            expected = None  # the call without the gate: every rule searched in order
            for rule in RULES:
                found = PATTERNS[rule.pattern].matches(mol) if rule.pattern else ((),)
                if found:
                    chemotype, reason = (
                        _describe(rule, mol, found[0])
                        if rule.pattern
                        else (rule.chemotype, rule.reason)
                    )
                    expected = (rule.level, chemotype, reason, rule.pattern)
                    break
            call = call_mol(mol)
            assert (call.level, call.chemotype, call.reason, call.pattern) == expected, text
            flags = tuple(half_flags(mol).values())
            assert _half_flags(mol, (), call.pattern) == flags, text
    assert imides > 0


@pytest.mark.parametrize(
    ("smarts", "elements", "oxo"),
    [
        ("[#6,#7]C(=O)[N;R]c", (("C", 2), ("N", 1), ("O", 1)), 1),
        ("[!#6]~[$(C=O)]", (), 0),  # negation, recursion: nothing definite
        ("*=O", (("O", 1),), 1),
        ("C~O", (("C", 1), ("O", 1)), 0),  # any bond: not a double bond
        ("C=,:O", (("C", 1), ("O", 1)), 0),
        ("[C;!H0;R]=[O,S]", (("C", 1),), 0),
        ("[n,o]1cccc1", (("C", 4),), 0),
        ("O=C1NC(=O)CC1", (("C", 4), ("N", 1), ("O", 2)), 2),  # a SMILES-style query
    ],
)
def test_requirement_reads_only_what_the_query_fixes(smarts, elements, oxo):
    query = Chem.MolFromSmarts(smarts)
    assert requirement(query) == Requirement(elements, oxo)


def test_sim_thalidomide_from_the_bulk_call_is_rdkits_number():
    """sim_thalidomide read from the one bulk call equals a separate TanimotoSimilarity."""
    text = "Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O"
    row = dict(zip(OUTPUT_COLUMNS, screen_record(("1", text, "")), strict=True))
    mol = Chem.MolFromSmiles(text)
    thalidomide = Chem.MolFromSmiles(THALIDOMIDE)
    expected = DataStructs.TanimotoSimilarity(fingerprint(mol), fingerprint(thalidomide))
    assert row["sim_thalidomide"] == expected
    # a panel without thalidomide still reports the similarity to thalidomide
    subset = screen_record(("1", text, ""), references=("lenalidomide", "apremilast"))
    subset = dict(zip(OUTPUT_COLUMNS, subset, strict=True))
    assert subset["sim_thalidomide"] == expected
    assert subset["nearest_reference"] == "lenalidomide"
    assert subset["nearest_similarity"] == 1.0


def test_plain_smiles_check_is_linear_on_long_input():
    """No regex backtracking: a long SMILES that is not plain is refused at once."""
    assert not is_plain_smiles("CC(=O)N" * 5000 + ".[Na+]")
    assert is_plain_smiles("CC(=O)N" * 5000 + "[nH]")
