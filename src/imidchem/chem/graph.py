"""Walks over a molecule's atom graph: the atoms on one side of a cut, a fused ring system.

One definition of each, for the pose's torsion tree and head cut
(:mod:`imidchem.chem.pocket`) and the exposed face (:mod:`imidchem.evidence.exposed`).

>>> mol = Chem.MolFromSmiles("OCc1ccc2ccccc2c1")
>>> sorted(connected_atoms(mol, 1, blocked={2}))
[0, 1]
>>> sorted(ring_system(mol, 3)), ring_system(mol, 0)
([2, 3, 4, 5, 6, 7, 8, 9, 10, 11], set())
"""

from __future__ import annotations

from collections.abc import Container

from rdkit import Chem


def connected_atoms(mol: Chem.Mol, start: int, blocked: Container[int] = ()) -> set[int]:
    """The atoms reachable from ``start`` without entering an atom in ``blocked``
    (``start`` included): the side of ``mol`` that a cut before ``start`` leaves."""
    seen, stack = {start}, [start]
    while stack:
        for neighbour in mol.GetAtomWithIdx(stack.pop()).GetNeighbors():
            j = neighbour.GetIdx()
            if j not in seen and j not in blocked:
                seen.add(j)
                stack.append(j)
    return seen


def ring_system(mol: Chem.Mol, atom: int) -> set[int]:
    """The atoms of the fused ring system that holds ``atom`` (rings sharing a bond with it,
    recursively); empty when ``atom`` is in no ring."""
    rings = [set(ring) for ring in mol.GetRingInfo().AtomRings()]
    system: set[int] = set()
    grow = [ring for ring in rings if atom in ring]
    while grow:
        ring = grow.pop()
        if ring <= system:
            continue
        system |= ring
        grow += [r for r in rings if len(r & system) >= 2 and not r <= system]
    return system
