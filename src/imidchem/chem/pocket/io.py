"""Write poses (SDF or PDB, by extension) and the pocket with the pose (PDB), in the
coordinate frame of the PDB entry: the files open on top of that entry in PyMOL or ChimeraX.

>>> check_output("pose.sdf"), check_output("pose.PDB")
('sdf', 'pdb')
>>> check_output("pose.mol2")
Traceback (most recent call last):
...
imidchem.errors.InvalidArgumentError: cannot write a pose to 'pose.mol2': the name must end in .sdf, .sd or .pdb
>>> check_output("complex.sdf", formats=("pdb",))
Traceback (most recent call last):
...
imidchem.errors.InvalidArgumentError: cannot write a complex to 'complex.sdf': the name must end in .pdb
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

from rdkit import Chem

from ...errors import InvalidArgumentError
from .attach import restore_attachments
from .fit import PocketFit
from .structures import load_structure

EXTENSIONS = {".sdf": "sdf", ".sd": "sdf", ".pdb": "pdb"}
LIGAND_RESNAME = "LIG"
LIGAND_CHAIN = "L"


def check_output(path: str | Path, formats: tuple[str, ...] = ("sdf", "pdb")) -> str:
    """The format (``"sdf"`` or ``"pdb"``) that ``path`` names by its extension, after
    checking that it can be written (the folder exists and is writable, the path is not a
    folder); :class:`InvalidArgumentError` otherwise, before any work is done."""
    path = Path(path)
    what = "a pose" if "sdf" in formats else "a complex"
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind not in formats:
        allowed = ", ".join(e for e, k in EXTENSIONS.items() if k in formats)
        allowed = " or ".join(allowed.rsplit(", ", 1))
        raise InvalidArgumentError(
            f"cannot write {what} to '{path}': the name must end in {allowed}"
        )
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InvalidArgumentError(f"cannot write {what} to '{path}': it is a folder")
    if not folder.is_dir():
        raise InvalidArgumentError(
            f"cannot write {what} to '{path}': the folder '{folder}' does not exist"
        )
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InvalidArgumentError(f"cannot write {what} to '{path}': permission denied")
    _probe(path, what)
    return kind


def _probe(path: Path, what: str) -> None:
    """Open ``path`` for appending (nothing written; a new file is removed again), so that a
    path the permission bits allow but the file system refuses (``/proc``, a read-only mount,
    running as root) fails here, before the fit, and not in RDKit's writer afterwards."""
    existed = path.exists()
    try:
        with open(path, "a"):
            pass
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise InvalidArgumentError(f"cannot write {what} to '{path}': {reason}") from None
    if not existed:
        path.unlink(missing_ok=True)


def _pose_for_output(fit: PocketFit) -> Chem.Mol:
    if fit.pose is None:
        raise InvalidArgumentError(f"no pose to write: {fit.pocket_reason}")
    return Chem.Mol(fit.pose)


def write_pose(fit: PocketFit, path: str | Path) -> Path:
    """Write ``fit.pose`` to ``path``: SDF (one record, the scores as SD fields, attachment
    points as R atoms) for ``.sdf``/``.sd``, PDB (HETATM records of residue LIG, scores as
    REMARK lines) for ``.pdb``; any other extension raises :class:`InvalidArgumentError`."""
    kind = check_output(path)
    path = Path(path)
    if kind == "pdb":
        path.write_text(_remarks(fit) + _ligand_records(fit, 1)[0] + "END\n", encoding="ascii", errors="replace")
        return path
    mol = restore_attachments(_pose_for_output(fit), fit.attachments)
    for key, value in fit.as_dict().items():
        if key not in ("hbonds", "other_forms", "exit_vectors") and value is not None:
            mol.SetProp(key, str(value))
    for h in fit.hbonds:
        mol.SetProp(
            f"hbond {h.role}",
            f"{h.residue} {h.atom} {'made' if h.made else 'missed'} {h.distance}",
        )
    for v in fit.exit_vectors:
        mol.SetProp(f"exit {v.label}", _exit_text(v))
    with Chem.SDWriter(str(path)) as writer:
        writer.write(mol)
    return path


def write_complex(fit: PocketFit, path: str | Path) -> Path:
    """Write the pocket of ``fit.structure`` (the cereblon atoms shipped: those within 12 A
    of the crystal ligand, one chain) with the pose as residue LIG of chain L, as PDB.

    >>> import tempfile
    >>> from imidchem.chem.pocket import pocket_fit
    >>> fit = pocket_fit("Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O", seed=7)  # lenalidomide
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     text = write_complex(fit, Path(folder) / "c.pdb").read_text()
    >>> text.count("HETATM"), "ATOM      1" in text, text.rstrip().endswith("END")
    (19, True, True)
    """
    check_output(path, formats=("pdb",))
    pose = _pose_for_output(fit)
    s = load_structure(fit.structure)
    lines = []
    serial = 0
    for i, xyz in enumerate(s.coords):
        serial += 1
        lines.append(
            _atom_line(
                "ATOM",
                serial,
                str(s.atom_names[i]),
                str(s.resnames[i]),
                s.chain,
                int(s.resnums[i]),
                xyz,
                str(s.elements[i]),
            )
        )
    serial += 1
    last = lines[-1]
    lines.append(f"TER   {serial:5d}      {last[17:20]} {last[21]}{last[22:26]}")
    ligand, _ = _ligand_records(fit, serial + 1, pose)
    text = _remarks(fit, complex_=True) + "\n".join(lines) + "\n" + ligand + "END\n"
    Path(path).write_text(text, encoding="ascii", errors="replace")
    return Path(path)


def _remarks(fit: PocketFit, complex_: bool = False) -> str:
    s = load_structure(fit.structure)
    lines = [
        f"imidchem pocket_fit pose of {fit.query} in PDB {fit.structure.upper()} ({s.what})",
        f"frame of PDB {fit.structure.upper()}; ligand residue {LIGAND_RESNAME} chain {LIGAND_CHAIN}",
        f"pocket_fit {fit.pocket_fit}, pocket_score {fit.pocket_score}, imide_rmsd {fit.imide_rmsd}, "
        f"pocket_hbonds {fit.pocket_hbonds}, pocket_clashes {fit.pocket_clashes}",
        f"pocket_enantiomer {fit.pocket_enantiomer or '-'}; {fit.pocket_reason}",
    ]
    if complex_:
        lines.append(
            f"pocket: chain {s.chain} atoms within 12 A of the crystal ligand only "
            "(not the whole protein)"
        )
    for k, v in enumerate(fit.exit_vectors, start=1):
        lines.append(f"R{k}: methyl cap for attachment point {v.label}; {_exit_text(v)}")
    # PDB files are ASCII: the angstrom sign becomes A
    lines = [line.replace("\u00c5", "A") for line in lines]
    wrapped = [part for line in lines for part in textwrap.wrap(line, 69)]
    return "".join(f"REMARK 250 {part}\n" for part in wrapped)


def _exit_text(v) -> str:
    return (
        f"from atom {v.atom + 1} ({v.element}) direction {v.direction[0]:.3f} "
        f"{v.direction[1]:.3f} {v.direction[2]:.3f}, clear {v.clear:.1f} A"
        f"{' (open)' if v.open else ' (blocked)'}"
    )


def _ligand_records(fit: PocketFit, first: int, pose: Chem.Mol | None = None) -> tuple[str, int]:
    """HETATM and CONECT records of the pose, serial numbers from ``first``."""
    pose = _pose_for_output(fit) if pose is None else pose
    caps = {p.cap: k for k, p in enumerate(fit.attachments, start=1)}
    xyz = pose.GetConformer().GetPositions()
    counts: dict[str, int] = {}
    lines = []
    for atom in pose.GetAtoms():
        i = atom.GetIdx()
        element = atom.GetSymbol()
        if i in caps:
            name = f"R{caps[i]}"
        else:
            counts[element] = counts.get(element, 0) + 1
            name = f"{element}{counts[element]}"
        lines.append(
            _atom_line("HETATM", first + i, name, LIGAND_RESNAME, LIGAND_CHAIN, 1, xyz[i], element)
        )
    for atom in _kekule(pose).GetAtoms():
        i = atom.GetIdx()
        # a double (triple) bond lists its partner twice (three times), as RDKit, Open Babel
        # and PyMOL write and read it: the bond orders survive the PDB file
        partners = sorted(
            first + bond.GetOtherAtomIdx(i)
            for bond in atom.GetBonds()
            for _ in range(max(1, int(bond.GetBondTypeAsDouble())))
        )
        for k in range(0, len(partners), 4):
            lines.append(f"CONECT{first + i:5d}" + "".join(f"{p:5d}" for p in partners[k : k + 4]))
    return "\n".join(lines) + "\n", first + pose.GetNumAtoms()


def _kekule(pose: Chem.Mol) -> Chem.Mol:
    """A copy of ``pose`` with Kekule bonds (PDB has no aromatic bond order); the pose itself
    where it cannot be kekulised (its aromatic bonds are then written as single)."""
    mol = Chem.Mol(pose)
    try:
        Chem.Kekulize(mol, clearAromaticFlags=True)
    except Chem.KekulizeException:
        return pose
    return mol


def _atom_line(
    record: str, serial: int, name: str, resname: str, chain: str, resnum: int, xyz, element: str
) -> str:
    element = element.strip().upper()
    # atom names start in column 14 when the element symbol has one letter (PDB convention)
    label = name if len(name) >= 4 or len(element) == 2 else f" {name:<3s}"
    return (
        f"{record:<6s}{serial % 100000:5d} {label:<4s} {resname:>3s} {chain:1s}"
        f"{resnum:4d}    {xyz[0]:8.3f}{xyz[1]:8.3f}{xyz[2]:8.3f}{1.0:6.2f}{0.0:6.2f}"
        f"          {element:>2s}"
    )
