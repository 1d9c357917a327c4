"""Turn user input (SMILES, Mol) into clean, standardised RDKit molecules.

Standardisation keeps what a chemist means and drops what only the notation says:
the largest organic fragment (salts, hydrates), no isotopes, neutral charges where
possible, and the canonical tautomer when a hidden imide is written as an imidic acid
or hydroxy-pyridine. Stereocentres survive: the tautomer step keeps sp3 stereo.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from rdkit import Chem, rdBase
from rdkit.Chem.MolStandardize import rdMolStandardize

from ..errors import InvalidMoleculeError

MolInput = str | Chem.Mol

# Tautomer canonicalisation is slow, so it only runs where a tautomer can hide an imide
# or lactam: an imidic acid (HO-C=N) or an aromatic hydroxy next to a ring nitrogen.
_HIDDEN_AMIDE = Chem.MolFromSmarts("[OX2H1]-[#6]=,:[#7]")
# Any atom with an isotope label / a formal charge. Matching these in C++ is ten times
# faster than a Python loop over the atoms, and that matters in a library screen.
_ISOTOPE_ATOM = Chem.MolFromSmarts("[!0*]")
_CHARGED_ATOM = Chem.MolFromSmarts("[!+0]")
_ISOTOPE_OR_CHARGED_ATOM = Chem.MolFromSmarts("[!0*,!+0]")  # one pass for the common case

# A "plain" SMILES: one fragment (no '.'), no dummy atom ('*'), and bracket atoms only of
# the form [C@@H], [nH], [Se] -- no isotope, no charge, no atom map, no hydrogen atom, no
# CXSMILES extension, no whitespace. Such a SMILES cannot carry a salt, an isotope, a
# charge or an explicit hydrogen atom, so of the standardisation only the tautomer step
# can change it (see parse_plain_smiles).
_PLAIN_BRACKET = r"\[(?:[A-GI-Z][a-z]?|H[a-z]|[a-z]{1,2})(?:@@?)?(?:H[1-9]?)?\]"
_PLAIN_CHARS = r"[BCNOPSFIlrbcnosp0-9%()=#$:/\\-]*"  # '[' starts a bracket: no backtracking
_PLAIN_SMILES = re.compile(rf"{_PLAIN_CHARS}(?:{_PLAIN_BRACKET}{_PLAIN_CHARS})*")
# Sanitisation without its clean-up step, which rewrites hypervalent nitrogen and
# halogens (N(=O)=O -> [N+](=O)[O-], N=N#N, Cl(=O)(=O)(=O)O) into charged forms: without
# it such a molecule fails the valence check and takes the full path, so a plain SMILES
# that sanitises this way has no charged atom.
_SANITIZE_NO_CLEANUP = Chem.SanitizeFlags.SANITIZE_ALL ^ Chem.SanitizeFlags.SANITIZE_CLEANUP


@lru_cache(maxsize=1)
def _tautomer_enumerator() -> rdMolStandardize.TautomerEnumerator:
    enumerator = rdMolStandardize.TautomerEnumerator()
    enumerator.SetRemoveSp3Stereo(False)
    enumerator.SetRemoveBondStereo(False)
    return enumerator


@lru_cache(maxsize=1)
def _fragment_chooser() -> rdMolStandardize.LargestFragmentChooser:
    return rdMolStandardize.LargestFragmentChooser(preferOrganic=True)


@lru_cache(maxsize=1)
def _uncharger() -> rdMolStandardize.Uncharger:
    return rdMolStandardize.Uncharger()


def parse_smiles(smiles: str) -> Chem.Mol:
    """Parse a SMILES string quietly; raise :class:`InvalidMoleculeError` naming the input.

    >>> parse_smiles("c1ccccc1").GetNumAtoms()
    6
    >>> parse_smiles("C1CC")
    Traceback (most recent call last):
    ...
    imidchem.errors.InvalidMoleculeError: invalid SMILES 'C1CC': unclosed ring
    """
    if (
        smiles is None
        or (isinstance(smiles, float) and math.isnan(smiles))
        or type(smiles).__name__ == "NAType"  # pandas.NA in nullable string columns
    ):
        raise InvalidMoleculeError("missing SMILES (empty cell or None)")
    if not isinstance(smiles, str):
        raise InvalidMoleculeError(
            f"expected a SMILES string or RDKit Mol, got {type(smiles).__name__}"
        )
    text = smiles.strip()
    if not text:
        raise InvalidMoleculeError("empty SMILES")
    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(text)
    if mol is None:
        raise InvalidMoleculeError(f"invalid SMILES {smiles!r}: {_smiles_problem(text)}")
    if mol.GetNumAtoms() == 0:
        raise InvalidMoleculeError(f"invalid SMILES {smiles!r}: no atoms")
    return mol


def _smiles_problem(text: str) -> str:
    """Say in a few words why RDKit refused a SMILES (syntax or chemistry)."""
    with rdBase.BlockLogs():
        unsanitized = Chem.MolFromSmiles(text, sanitize=False)
        if unsanitized is None:
            if text.count("(") != text.count(")"):
                return "unbalanced parentheses"
            digits = [c for c in text if c.isdigit()]
            if any(digits.count(d) % 2 for d in set(digits)):
                return "unclosed ring"
            return "syntax error"
        problems = Chem.DetectChemistryProblems(unsanitized)
    if problems:
        return problems[0].Message()
    return "cannot be sanitised"


def standardize(mol: Chem.Mol) -> Chem.Mol:
    """Return the parent molecule: largest fragment, no isotopes, neutral, canonical imide.

    The input is not modified.

    >>> smi = "OC1=NC(=O)[C@H](CC1)N1C(=O)c2ccccc2C1=O.Cl"
    >>> Chem.MolToSmiles(standardize(parse_smiles(smi)))
    'O=C1CC[C@H](N2C(=O)c3ccccc3C2=O)C(=O)N1'
    """
    with rdBase.BlockLogs():
        if len(Chem.GetMolFrags(mol)) > 1:
            mol = _fragment_chooser().choose(mol)
        marked = mol.HasSubstructMatch(_ISOTOPE_OR_CHARGED_ATOM)
        if marked and mol.HasSubstructMatch(_ISOTOPE_ATOM):
            mol = Chem.Mol(mol)
            for atom in mol.GetAtoms():
                atom.SetIsotope(0)
            mol = Chem.RemoveHs(mol)
        if mol.GetNumAtoms() != mol.GetNumHeavyAtoms():
            mol = Chem.RemoveHs(mol)  # explicit H atoms (Chem.AddHs, SDF) change fingerprints
        if marked and mol.HasSubstructMatch(_CHARGED_ATOM):
            mol = _uncharger().uncharge(mol)
        return canonical_imide(mol)


def canonical_imide(mol: Chem.Mol) -> Chem.Mol:
    """The canonical tautomer where an imide or lactam hides as an imidic acid.

    The last step of :func:`standardize`. Returns ``mol`` itself when nothing hides.

    >>> mol = Chem.MolFromSmiles("CCO")
    >>> canonical_imide(mol) is mol
    True
    """
    if mol.HasSubstructMatch(_HIDDEN_AMIDE):
        mol = _tautomer_enumerator().Canonicalize(mol)
        Chem.AssignStereochemistry(mol, cleanIt=True, force=True)
    return mol


def is_plain_smiles(smiles: str) -> bool:
    """True for a SMILES that cannot carry a salt, isotope, charge or hydrogen atom.

    One fragment, no dummy atom, and bracket atoms only like ``[nH]`` or ``[C@@H]``.
    For such input :func:`standardize_plain` gives the standardised molecule without
    the fragment, isotope, charge and hydrogen steps of :func:`standardize`.

    >>> is_plain_smiles("O=C1CC[C@H](N2C(=O)c3ccccc3C2=O)C(=O)N1"), is_plain_smiles("CC[nH]")
    (True, True)
    >>> [is_plain_smiles(s) for s in ("CCO.Cl", "[2H]C", "C[NH3+]", "[H]C", "*C", "CC O")]
    [False, False, False, False, False, False]
    """
    return bool(smiles) and _PLAIN_SMILES.fullmatch(smiles) is not None


def parse_plain_smiles(smiles: str) -> Chem.Mol | None:
    """Parse a plain SMILES (see :func:`is_plain_smiles`) as ``Chem.MolFromSmiles`` does.

    None means "take the full path" (:func:`to_mol`): the SMILES is not plain, or RDKit
    cannot read it, or it holds a hypervalent group that sanitisation would rewrite with
    charges (the full path deals with those). Parsing without sanitising, then
    sanitising and (only where the SMILES has stereo marks) assigning stereochemistry is
    the work ``Chem.MolFromSmiles`` does, minus a hydrogen-removal pass that has nothing
    to remove in a plain SMILES, and about a fifth faster. Log messages are not blocked
    here: callers in a loop block them once around it.

    >>> Chem.MolToSmiles(parse_plain_smiles("C[C@H](N)C(=O)O"))
    'C[C@H](N)C(=O)O'
    >>> [parse_plain_smiles(s) is None for s in ("CCO.Cl", "C1CC", "CN(=O)=O")]
    [True, True, True]
    """
    mol = read_plain_smiles(smiles)
    return None if mol is None else sanitize_plain(mol, smiles)


def read_plain_smiles(smiles: str) -> Chem.Mol | None:
    """The first step of :func:`parse_plain_smiles`: the unsanitised Mol, or None.

    None: ``smiles`` is not plain (:func:`is_plain_smiles`) or RDKit cannot read it.

    >>> read_plain_smiles("c1ccccc1").GetNumAtoms(), read_plain_smiles("CCO.Cl")
    (6, None)
    """
    if not smiles or _PLAIN_SMILES.fullmatch(smiles) is None:
        return None
    mol = Chem.MolFromSmiles(smiles, sanitize=False)
    if mol is None or mol.GetNumAtoms() == 0:
        return None
    return mol


def sanitize_plain(mol: Chem.Mol, smiles: str) -> Chem.Mol | None:
    """The second step of :func:`parse_plain_smiles`: sanitise ``mol`` (read from
    ``smiles`` by :func:`read_plain_smiles`) in place and return it, or None.

    None: sanitisation failed or would rewrite a hypervalent group (take the full path).

    >>> smiles = "C[C@H](N)C(=O)O"
    >>> Chem.MolToSmiles(sanitize_plain(read_plain_smiles(smiles), smiles))
    'C[C@H](N)C(=O)O'
    >>> sanitize_plain(read_plain_smiles("CN(=O)=O"), "CN(=O)=O") is None
    True
    """
    try:
        Chem.SanitizeMol(mol, _SANITIZE_NO_CLEANUP)
    except Exception:  # noqa: BLE001 - RDKit raises several types; the full path says why
        return None
    if "@" in smiles or "/" in smiles or "\\" in smiles:
        Chem.AssignStereochemistry(mol, cleanIt=True, force=True)
    return mol


def may_hide_imide(smiles: str) -> bool:
    """False when a plain SMILES cannot hold the imidic-acid/hydroxy-azine of the tautomer step.

    That step (:func:`canonical_imide`) looks for an O-H on a carbon double- or
    aromatic-bonded to a nitrogen. In a plain SMILES (no charges) an O-H is an oxygen
    with exactly one single bond, which is written as ``O`` right before ``)`` or at the
    end (bonded only to the atom before it, not by ``=``), ``O`` at the start (its only
    bond follows it), or in brackets; an aromatic ``o`` has two ring bonds. Without any of
    these, or without a nitrogen, nothing hides.

    >>> may_hide_imide("OC1=NC(=O)CCC1"), may_hide_imide("CC(=O)NC(C)=O")
    (True, False)
    >>> may_hide_imide("c1ccnc(O)c1"), may_hide_imide("Oc1ccccn1"), may_hide_imide("OCCO")
    (True, True, False)
    """
    if "N" not in smiles and "n" not in smiles:
        return False
    return (
        smiles.count("O)") > smiles.count("=O)")
        or (smiles[-1] == "O" and smiles[-2:] != "=O")
        or (smiles[0] == "O" and smiles[:2] != "O=")
        or "[O" in smiles
    )


def standardize_plain(mol: Chem.Mol, smiles: str) -> Chem.Mol:
    """The standardised Mol of a plain SMILES (see :func:`is_plain_smiles`), from its Mol
    as :func:`parse_plain_smiles` made it (returned itself when nothing changes).

    The result equals ``standardize(parse_smiles(smiles))`` atom for atom: for a plain
    SMILES, the fragment, isotope, charge and hydrogen steps of :func:`standardize`
    provably do nothing, and the tautomer step is the same code (:func:`canonical_imide`),
    skipped where :func:`may_hide_imide` rules it out. ``tests/test_evidence_rows.py`` checks
    the equality on MOSES, PROTAC-Pedia and RDKit's NCI set.

    >>> smiles = "OC1=NC(=O)C(CC1)N1C(=O)c2c(C1=O)cccc2"
    >>> Chem.MolToSmiles(standardize_plain(parse_plain_smiles(smiles), smiles))
    'O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1'
    """
    return canonical_imide(mol) if may_hide_imide(smiles) else mol


def to_mol(molecule: MolInput, *, standardized: bool = True) -> Chem.Mol:
    """Turn a SMILES string or RDKit Mol into a (standardised) Mol.

    Raises :class:`InvalidMoleculeError` with the input in the message for None,
    empty or unparsable input.

    >>> Chem.MolToSmiles(to_mol("[2H]N1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O"))
    'O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1'
    >>> to_mol("")
    Traceback (most recent call last):
    ...
    imidchem.errors.InvalidMoleculeError: empty SMILES
    """
    if isinstance(molecule, Chem.Mol):
        if molecule.GetNumAtoms() == 0:
            raise InvalidMoleculeError("empty molecule (no atoms)")
        mol = molecule
    else:
        mol = parse_smiles(molecule)
    return standardize(mol) if standardized else mol


def canonical_smiles(molecule: MolInput) -> str:
    """Canonical isomeric SMILES of the standardised molecule.

    >>> canonical_smiles("C1=CC=C2C(=C1)C(=O)N(C2=O)C3CCC(=O)NC3=O")
    'O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1'
    """
    return Chem.MolToSmiles(to_mol(molecule))


def inchikey(molecule: MolInput) -> str:
    """Standard InChIKey of the standardised molecule.

    >>> inchikey("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1")
    'UEJJHQNACJXSKW-UHFFFAOYSA-N'
    """
    with rdBase.BlockLogs():
        return Chem.MolToInchiKey(to_mol(molecule))
