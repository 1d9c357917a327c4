"""Structure pictures (SVG) with pattern atoms and bonds highlighted."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rdkit import Chem
from rdkit.Chem.Draw import rdMolDraw2D

from ..chem.mol import MolInput
from ..chem.patterns import get_pattern
from ..data.reference import resolve

# Colour-blind safe pair (Okabe-Ito): isoindoline orange, glutarimide blue.
HALF_COLOURS: dict[str, tuple[float, float, float]] = {
    "isoindoline": (0.90, 0.62, 0.0),
    "glutarimide": (0.34, 0.71, 0.91),
}
DEFAULT_COLOUR = (0.80, 0.47, 0.65)


class SVG(str):
    """An SVG string that shows itself as a picture in Jupyter (and briefly as text).

    >>> SVG("<svg>...</svg>")
    <SVG picture, 14 characters>
    """

    def _repr_svg_(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"<SVG picture, {len(self):,} characters>"


def bonds_between(mol: Chem.Mol, atoms: Iterable[int]) -> list[int]:
    """Indices of bonds whose two atoms are both in ``atoms``.

    >>> bonds_between(Chem.MolFromSmiles("CCO"), [0, 1])
    [0]
    """
    chosen = set(atoms)
    return [
        bond.GetIdx()
        for bond in mol.GetBonds()
        if bond.GetBeginAtomIdx() in chosen and bond.GetEndAtomIdx() in chosen
    ]


def highlight_atoms(mol: Chem.Mol, patterns: Sequence[str]) -> dict[str, list[int]]:
    """For each named pattern, the sorted atom indices it covers in ``mol`` (all matches)."""
    return {
        name: sorted({i for match in get_pattern(name).matches(mol) for i in match})
        for name in patterns
    }


def draw_highlighted(
    molecule: MolInput,
    patterns: Sequence[str] = ("isoindoline", "glutarimide"),
    colours: dict[str, tuple[float, float, float]] | None = None,
    size: tuple[int, int] = (350, 260),
    legend: str = "",
) -> SVG:
    """SVG of the standardised molecule with each pattern's atoms and bonds highlighted.

    Earlier patterns win where two overlap.

    >>> svg = draw_highlighted("thalidomide")
    >>> svg.startswith("<?xml") and "<svg" in svg
    True
    """
    _, mol = resolve(molecule)
    colours = {**HALF_COLOURS, **(colours or {})}
    atom_colours: dict[int, tuple[float, float, float]] = {}
    bond_colours: dict[int, tuple[float, float, float]] = {}
    for name, atoms in highlight_atoms(mol, [get_pattern(p).name for p in patterns]).items():
        colour = colours.get(name, DEFAULT_COLOUR)
        for atom in atoms:
            atom_colours.setdefault(atom, colour)
        for bond in bonds_between(mol, atoms):
            bond_colours.setdefault(bond, colour)
    return draw_svg(mol, atom_colours, bond_colours, size=size, legend=legend)


def draw_svg(
    mol: Chem.Mol,
    atom_colours: dict[int, tuple[float, float, float]] | None = None,
    bond_colours: dict[int, tuple[float, float, float]] | None = None,
    size: tuple[int, int] = (350, 260),
    legend: str = "",
) -> SVG:
    """Draw one Mol as SVG with optional per-atom and per-bond highlight colours."""
    atom_colours = atom_colours or {}
    bond_colours = bond_colours or {}
    drawer = rdMolDraw2D.MolDraw2DSVG(*size)
    drawer.drawOptions().addStereoAnnotation = True
    rdMolDraw2D.PrepareAndDrawMolecule(
        drawer,
        mol,
        legend=legend,
        highlightAtoms=list(atom_colours),
        highlightAtomColors=atom_colours,
        highlightBonds=list(bond_colours),
        highlightBondColors=bond_colours,
    )
    drawer.FinishDrawing()
    return SVG(drawer.GetDrawingText())


def draw_mcs(
    molecule: MolInput,
    reference: MolInput = "thalidomide",
    timeout: int = 2,
    size: tuple[int, int] = (350, 260),
) -> SVG:
    """SVG of ``molecule`` with the atoms of its MCS with ``reference`` highlighted."""
    from ..analysis.similarity import mcs

    _, mol = resolve(molecule)
    result = mcs(mol, reference, timeout=timeout)
    query = Chem.MolFromSmarts(result.smarts)
    atoms = mol.GetSubstructMatch(query) if query is not None else ()
    colour = DEFAULT_COLOUR
    return draw_svg(
        mol,
        {atom: colour for atom in atoms},
        {bond: colour for bond in bonds_between(mol, atoms)},
        size=size,
        legend=f"MCS: {result.num_atoms} atoms",
    )
