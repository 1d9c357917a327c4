"""Write poses as SDF, in the coordinate frame of the PDB entry."""

from __future__ import annotations

from pathlib import Path

from rdkit import Chem

from .fit import PocketFit


def write_pose(fit: PocketFit, path: str | Path) -> Path:
    """Write ``fit.pose`` (one record, with the scores as SD fields) to ``path``.

    The coordinates are those of the PDB entry ``fit.structure``: the file opens on top of
    that entry in PyMOL or ChimeraX.
    """
    path = Path(path)
    mol = Chem.Mol(fit.pose)
    for key, value in fit.as_dict().items():
        if key != "hbonds" and value is not None:
            mol.SetProp(key, str(value))
    for h in fit.hbonds:
        mol.SetProp(
            f"hbond {h.role}",
            f"{h.residue} {h.atom} {'made' if h.made else 'missed'} {h.distance}",
        )
    with Chem.SDWriter(str(path)) as writer:
        writer.write(mol)
    return path
