"""Attachment points (``*``, ``[*:1]``) of degrader handles: capped for the fit, exit vectors
read off the pose.

A cereblon ligand written as a degrader building block carries a dummy atom where the linker
goes (``Nc1cccc2c1C(=O)N(C1CCC(=O)NC1=O)C2=O`` as ``*Nc1...``). The pocket model has no
parameters for a dummy atom, so each is replaced by a methyl carbon, the linker's first atom
(a hydrogen would hide whether the exit has room for a linker). After the fit, each
attachment's exit vector is reported: the atom that carries it, the direction towards the cap
in the PDB entry's frame, and how far along that line the path stays clear of the pocket.

>>> mol, points = cap_attachments(Chem.MolFromSmiles("[*:1]Nc1ccccc1"))
>>> Chem.MolToSmiles(mol), [(p.label, p.atom, p.cap) for p in points]
('CNc1ccccc1', [('[*:1]', 1, 0)])
>>> cap_attachments(Chem.MolFromSmiles("c1ccccc1"))[1]
()
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rdkit import Chem

from ...errors import InvalidMoleculeError
from .structures import PocketStructure

CAP_ELEMENT = 6  # a methyl: the linker's first heavy atom
EXIT_STEP = 0.5  # A, steps along the exit vector
EXIT_REACH = 10.0  # A, how far along the exit vector the path is followed
EXIT_CONTACT = 3.0  # A, a pocket heavy atom this close to the line blocks it
EXIT_OPEN = 6.0  # A of clear path: the exit points out of the pocket


@dataclass(frozen=True)
class Attachment:
    """One attachment point: its label as written, the atom that carries it and the index
    of the cap atom that stands in for it (same index as the dummy atom had)."""

    label: str
    atom: int
    cap: int


@dataclass(frozen=True)
class ExitVector:
    """Where an attachment point leaves the placed molecule (PDB entry's frame).

    ``clear`` is how far (A) the line from the carrying atom through the cap runs before a
    pocket heavy atom comes within :data:`EXIT_CONTACT` A of it, up to :data:`EXIT_REACH`;
    ``open`` when at least :data:`EXIT_OPEN` A are clear (the linker can leave the pocket
    that way). Only the pocket atoms shipped (cereblon within 12 A of the crystal ligand)
    are checked."""

    label: str
    atom: int
    element: str
    origin: tuple[float, float, float]
    direction: tuple[float, float, float]
    clear: float
    open: bool

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "atom": self.atom,
            "element": self.element,
            "origin": list(self.origin),
            "direction": list(self.direction),
            "clear": self.clear,
            "open": self.open,
        }


def cap_attachments(mol: Chem.Mol) -> tuple[Chem.Mol, tuple[Attachment, ...]]:
    """``mol`` with each dummy atom replaced by a methyl carbon (atom indices kept), and the
    attachment points; raises :class:`InvalidMoleculeError` for a dummy atom that is not a
    single-bonded end (``*`` inside a ring or bridging two atoms)."""
    dummies = [a for a in mol.GetAtoms() if a.GetAtomicNum() == 0]
    if not dummies:
        return mol, ()
    out = Chem.RWMol(mol)
    points = []
    for atom in dummies:
        bonds = atom.GetBonds()
        if len(bonds) != 1 or bonds[0].GetBondType() != Chem.BondType.SINGLE:
            raise InvalidMoleculeError(
                "an attachment point (*) must end a single bond to one atom "
                f"(atom {atom.GetIdx() + 1} has {len(bonds)} bonds)"
            )
        number = atom.GetAtomMapNum() or atom.GetIsotope()
        label = f"[*:{number}]" if number else "*"
        cap = out.GetAtomWithIdx(atom.GetIdx())
        cap.SetAtomicNum(CAP_ELEMENT)
        cap.SetAtomMapNum(0)
        cap.SetIsotope(0)
        cap.SetFormalCharge(0)
        cap.SetNoImplicit(False)
        cap.SetNumExplicitHs(0)
        cap.SetIsAromatic(False)
        points.append(Attachment(label, bonds[0].GetOtherAtomIdx(atom.GetIdx()), atom.GetIdx()))
    capped = out.GetMol()
    Chem.SanitizeMol(capped)
    return capped, tuple(points)


def exit_vectors(
    pose: Chem.Mol, points: tuple[Attachment, ...], structure: PocketStructure
) -> tuple[ExitVector, ...]:
    """The exit vector of each attachment point in ``pose`` (heavy atoms, same indices as
    the capped molecule)."""
    xyz = pose.GetConformer().GetPositions()
    pocket = structure.coords
    out = []
    for p in points:
        origin, cap = xyz[p.atom], xyz[p.cap]
        direction = (cap - origin) / np.linalg.norm(cap - origin)
        clear = 0.0
        for step in np.arange(EXIT_STEP, EXIT_REACH + 1e-9, EXIT_STEP):
            point = cap + step * direction
            if np.linalg.norm(pocket - point, axis=1).min() < EXIT_CONTACT:
                break
            clear = float(step)
        out.append(
            ExitVector(
                p.label,
                p.atom,
                pose.GetAtomWithIdx(p.atom).GetSymbol(),
                tuple(round(float(v), 3) for v in origin),
                tuple(round(float(v), 3) for v in direction),
                round(clear, 1),
                clear >= EXIT_OPEN,
            )
        )
    return tuple(out)


def restore_attachments(pose: Chem.Mol, points: tuple[Attachment, ...]) -> Chem.Mol:
    """A copy of ``pose`` with the caps written back as dummy atoms (``R`` in an SD file,
    ``*`` in a PDB file), at the cap's coordinates, with their map numbers."""
    out = Chem.RWMol(pose)
    for p in points:
        atom = out.GetAtomWithIdx(p.cap)
        atom.SetAtomicNum(0)
        atom.SetNoImplicit(True)
        atom.SetNumExplicitHs(0)
        if p.label.startswith("[*:"):
            atom.SetAtomMapNum(int(p.label[3:-1]))
    return out.GetMol()
