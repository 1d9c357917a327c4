"""Turn user input (SMILES, Mol) into clean, standardised RDKit molecules.

Standardisation keeps what a chemist means and drops what only the notation says:
the largest organic fragment (salts, hydrates), no isotopes, neutral charges where
possible, and the canonical tautomer when a hidden imide is written as an imidic acid
or hydroxy-pyridine. Stereocentres survive: the tautomer step keeps sp3 stereo.
"""

from __future__ import annotations

import math
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
        if mol.HasSubstructMatch(_HIDDEN_AMIDE):
            mol = _tautomer_enumerator().Canonicalize(mol)
            Chem.AssignStereochemistry(mol, cleanIt=True, force=True)
    return mol


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
