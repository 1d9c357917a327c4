"""Reuse of ETKDG conformers between placements of the same molecule.

A neosubstrate profile with degron fits places one molecule five times, once per shipped
degron (:func:`imidchem.chem.pocket.fit.fit_degrons`). The five placements embed the same
molecule with the same anchors, seeds and coordinate maps, so ETKDG computed the same
conformers five times: about 45 % of the CPU time of a drug-sized profile (mezigdomide: 1.7
of 3.8 s, profiled with cProfile). :func:`memoized` wraps the embedding function so that an
identical request (same atoms, bonds, stereo, conformer count, seed, coordinate map and
conformers already present) gets the stored conformers back under the same IDs: the poses
and every number computed from them are identical (``benchmarks/neo_speed.py`` checks it and
prints the CPU time with and without the cache).

>>> from rdkit import Chem
>>> calls = []
>>> def embed(mol_h, n, seed, timeout, coord_map=None, clear=True):
...     calls.append(seed)
...     from rdkit.Chem import rdDistGeom
...     return list(rdDistGeom.EmbedMultipleConfs(mol_h, n, randomSeed=seed))
>>> cached = memoized(embed)
>>> a, b = Chem.AddHs(Chem.MolFromSmiles("CCO")), Chem.AddHs(Chem.MolFromSmiles("CCO"))
>>> cached(a, 2, 7, 10.0), cached(b, 2, 7, 10.0), calls
([0, 1], [0, 1], [7])
>>> bool((a.GetConformer(1).GetPositions() == b.GetConformer(1).GetPositions()).all())
True
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable

import numpy as np
from rdkit import Chem
from rdkit.Geometry import Point3D

EMBED_CACHE_SIZE = 8
"""Embedding requests remembered (least recently used dropped first); 0 switches reuse off."""

_CACHE: OrderedDict = OrderedDict()


def clear() -> None:
    """Forget every stored embedding."""
    _CACHE.clear()


def _graph_key(mol: Chem.Mol) -> tuple:
    """Everything of a molecule with hydrogens that ETKDG reads: atoms, bonds and stereo, by
    atom index (the stored coordinates are reused by index)."""
    atoms = tuple(
        (a.GetAtomicNum(), a.GetFormalCharge(), a.GetIsotope(), int(a.GetChiralTag()),
         a.GetNumExplicitHs(), a.GetIsAromatic())
        for a in mol.GetAtoms()
    )
    bonds = tuple(
        (b.GetBeginAtomIdx(), b.GetEndAtomIdx(), int(b.GetBondType()), int(b.GetStereo()),
         tuple(b.GetStereoAtoms()), int(b.GetBondDir()))
        for b in mol.GetBonds()
    )
    return atoms, bonds


def _map_key(coord_map: dict | None) -> tuple:
    if not coord_map:
        return ()
    return tuple((int(i), tuple(float(v) for v in xyz)) for i, xyz in sorted(coord_map.items()))


def _add(mol_h: Chem.Mol, cid: int, xyz: np.ndarray) -> None:
    conf = Chem.Conformer(mol_h.GetNumAtoms())
    for i, (x, y, z) in enumerate(xyz):
        conf.SetAtomPosition(i, Point3D(float(x), float(y), float(z)))
    conf.Set3D(True)
    conf.SetId(cid)
    mol_h.AddConformer(conf, assignId=False)


def memoized(embed: Callable) -> Callable:
    """``embed(mol_h, n, seed, timeout, coord_map=None, clear=True) -> conformer IDs``, with
    identical requests answered from the store (the wall-clock ``timeout`` is not part of the
    request: a stored answer is one ETKDG gave). Failures are not stored."""

    @functools.wraps(embed)
    def wrapper(mol_h, n, seed, timeout, coord_map=None, clear=True):
        if EMBED_CACHE_SIZE <= 0:
            return embed(mol_h, n, seed, timeout, coord_map=coord_map, clear=clear)
        present = () if clear else tuple(c.GetId() for c in mol_h.GetConformers())
        key = (_graph_key(mol_h), int(n), int(seed), _map_key(coord_map), bool(clear), present)
        stored = _CACHE.get(key)
        if stored is not None:
            _CACHE.move_to_end(key)
            if clear:
                mol_h.RemoveAllConformers()
            for cid, xyz in stored:
                _add(mol_h, cid, xyz)
            return [cid for cid, _ in stored]
        ids = embed(mol_h, n, seed, timeout, coord_map=coord_map, clear=clear)
        _CACHE[key] = tuple((cid, mol_h.GetConformer(cid).GetPositions()) for cid in ids)
        while len(_CACHE) > EMBED_CACHE_SIZE:
            _CACHE.popitem(last=False)
        return ids

    return wrapper
