"""Structure pictures (SVG) that show why a compound is, or is not, a cereblon binder.

By default a picture highlights what decides the call, not merely which rings are there:

* the imide N-H and the singly substituted C3 of a cereblon-binding cyclic imide
  (the *deciding atoms*) in green, on its ring in blue;
* an imide ring that cannot bind in grey, with the atom that spoils it in vermillion
  (the methylated N of N-methylthalidomide, the quaternary C3 of glutethimide);
* the isoindoline half in orange (shared with thalidomide, but not what binds).

``patterns=[...]`` draws chosen catalogue patterns instead, one colour each. Pictures
drawn together (:func:`draw_many`, grids, the report) share one bond length.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from rdkit import Chem
from rdkit.Chem import rdDepictor
from rdkit.Chem.Draw import rdMolDraw2D

from ..chem.mol import MolInput, to_mol
from ..chem.patterns import get_pattern
from ..data.reference import resolve

# Colour-blind safe pair (Okabe-Ito): isoindoline orange, glutarimide blue.
HALF_COLOURS: dict[str, tuple[float, float, float]] = {
    "isoindoline": (0.90, 0.62, 0.0),
    "glutarimide": (0.34, 0.71, 0.91),
}
DEFAULT_COLOUR = (0.80, 0.47, 0.65)

Colour = tuple[float, float, float]
# The roles of atoms in a decision picture, in drawing priority, with their colours
# (Okabe-Ito, colour-blind safe) and what the key says about them.
ROLES: dict[str, tuple[Colour, str]] = {
    "deciding": ((0.0, 0.62, 0.45), "imide N-H and substituted C3: why it binds"),
    "binding ring": ((0.34, 0.71, 0.91), "cereblon-binding imide ring"),
    "spoiler": ((0.84, 0.37, 0.0), "what stops the imide binding"),
    "inert ring": ((0.80, 0.80, 0.80), "imide ring that cannot bind"),
    "isoindoline": ((0.90, 0.62, 0.0), "isoindoline half (shared, not binding)"),
}
DECIDING_RADIUS = 0.45
RADIUS = 0.35
MAX_BOND_LENGTH = 28.0  # pixels: small molecules are not blown up
MIN_BOND_LENGTH = 15.0  # pixels: below this labels are unreadable; larger molecules shrink alone


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


def _exocyclic_heavy(mol: Chem.Mol, atom: int, ring: set[int]) -> list[int]:
    return [
        n.GetIdx()
        for n in mol.GetAtomWithIdx(atom).GetNeighbors()
        if n.GetIdx() not in ring and n.GetAtomicNum() > 1
    ]


def _carbonyl_oxygen(mol: Chem.Mol, atom: Chem.Atom) -> int | None:
    if atom.GetAtomicNum() != 6:
        return None
    for bond in atom.GetBonds():
        other = bond.GetOtherAtom(atom)
        if other.GetAtomicNum() == 8 and bond.GetBondType() == Chem.BondType.DOUBLE:
            return other.GetIdx()
    return None


def imide_rings(mol: Chem.Mol) -> list[tuple[int, tuple[int, ...], tuple[int, ...]]]:
    """``(imide N, ring atoms, carbonyl oxygens)`` of every saturated 5- or 6-membered
    cyclic imide (an N between two ring C=O; rings fused to an aromatic ring, such as
    phthalimide, do not count: they are the isoindoline half).

    >>> imide_rings(Chem.MolFromSmiles("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1"))
    [(18, (1, 2, 3, 4, 16, 18), (0, 17))]
    """
    found = []
    for ring in mol.GetRingInfo().AtomRings():
        if len(ring) not in (5, 6) or any(mol.GetAtomWithIdx(i).GetIsAromatic() for i in ring):
            continue
        members = set(ring)
        for index in ring:
            atom = mol.GetAtomWithIdx(index)
            if atom.GetAtomicNum() != 7:
                continue
            oxygens = [
                _carbonyl_oxygen(mol, n) for n in atom.GetNeighbors() if n.GetIdx() in members
            ]
            if len(oxygens) == 2 and None not in oxygens:
                found.append((index, tuple(sorted(ring)), tuple(sorted(oxygens))))
    return found


def decision_roles(mol: Chem.Mol) -> dict[int, str]:
    """The role of every highlighted atom of a standardised Mol (see :data:`ROLES`).

    The cyclic imide of a cereblon binder (levels 1 and 2 of
    :func:`imidchem.evidence.call.crbn_call`) shows its deciding atoms: the imide N-H and
    the ring atom next to a carbonyl that carries the one substituent (C3, or N1 of a
    dihydrouracil). Any other cyclic imide is inert, with what spoils it: a substituted
    imide N, a crowded (quaternary, spiro) or 4-substituted ring, or nothing on C3.

    >>> roles = decision_roles(Chem.MolFromSmiles("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1"))
    >>> sorted(i for i, role in roles.items() if role == "deciding")  # N-H and C3
    [4, 18]
    >>> roles = decision_roles(Chem.MolFromSmiles("CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O"))
    >>> sorted(i for i, role in roles.items() if role == "spoiler")  # the N and its methyl
    [0, 1]
    >>> roles = decision_roles(Chem.MolFromSmiles("CCC1(c2ccccc2)CCC(=O)NC1=O"))
    >>> [i for i, role in roles.items() if role == "spoiler"]  # the quaternary C3
    [2]
    """
    from ..evidence.call import call_mol

    call = call_mol(mol)
    roles: dict[int, str] = {}
    for nitrogen, ring, oxygens in imide_rings(mol):
        members = set(ring)
        carbonyls = {mol.GetAtomWithIdx(o).GetNeighbors()[0].GetIdx() for o in oxygens}
        alpha = [
            n.GetIdx()
            for c in carbonyls
            for n in mol.GetAtomWithIdx(c).GetNeighbors()
            if n.GetIdx() in members and n.GetIdx() != nitrogen
        ]
        substituents = {i: len(_exocyclic_heavy(mol, i, members)) for i in ring}
        has_h = mol.GetAtomWithIdx(nitrogen).GetTotalNumHs() > 0
        single = [a for a in alpha if substituents[a] == 1]
        binding = call.binder and has_h and single and (not call.atoms or members & set(call.atoms))
        if binding:
            for atom in (*ring, *oxygens):
                roles.setdefault(atom, "binding ring")
            roles[nitrogen] = roles[single[0]] = "deciding"
            continue
        for atom in (*ring, *oxygens):
            roles.setdefault(atom, "inert ring")
        if not has_h:
            spoilers = [nitrogen, *_exocyclic_heavy(mol, nitrogen, members)]
        else:
            crowded = [a for a in alpha if substituents[a] > 1]
            others = [i for i in ring if i not in alpha and i not in carbonyls and i != nitrogen]
            spoilers = crowded + [i for i in others if substituents[i]] or alpha
        for atom in spoilers:
            roles[atom] = "spoiler"
    for atom in highlight_atoms(mol, ["isoindoline"])["isoindoline"]:
        roles.setdefault(atom, "isoindoline")
    return roles


def _decision_colours(mol: Chem.Mol):
    roles = decision_roles(mol)
    atom_colours = {atom: ROLES[role][0] for atom, role in roles.items()}
    bond_colours = {}
    for bond in mol.GetBonds():
        a, b = bond.GetBeginAtomIdx(), bond.GetEndAtomIdx()
        if a in roles and b in roles:
            pair = {roles[a], roles[b]}
            if pair <= {"deciding", "binding ring"}:
                bond_colours[bond.GetIdx()] = ROLES["binding ring"][0]
            elif pair == {"spoiler"}:
                bond_colours[bond.GetIdx()] = ROLES["spoiler"][0]
            elif pair <= {"spoiler", "inert ring"}:
                bond_colours[bond.GetIdx()] = ROLES["inert ring"][0]
            elif len(pair) == 1:
                bond_colours[bond.GetIdx()] = ROLES[roles[a]][0]
    radii = {atom: DECIDING_RADIUS if role in ("deciding", "spoiler") else RADIUS
             for atom, role in roles.items()}  # fmt: skip
    return atom_colours, bond_colours, radii


def _pattern_colours(mol: Chem.Mol, patterns: Sequence[str], colours: dict | None):
    colours = {**HALF_COLOURS, **(colours or {})}
    atom_colours: dict[int, Colour] = {}
    bond_colours: dict[int, Colour] = {}
    for name, atoms in highlight_atoms(mol, [get_pattern(p).name for p in patterns]).items():
        colour = colours.get(name, DEFAULT_COLOUR)
        for atom in atoms:
            atom_colours.setdefault(atom, colour)
        for bond in bonds_between(mol, atoms):
            bond_colours.setdefault(bond, colour)
    return atom_colours, bond_colours, None


def draw_highlighted(
    molecule: MolInput,
    patterns: Sequence[str] | None = None,
    colours: dict[str, Colour] | None = None,
    size: tuple[int, int] = (350, 260),
    legend: str = "",
    bond_length: float | None = None,
) -> SVG:
    """SVG of the standardised molecule: the atoms that decide the cereblon call (default)
    or each catalogue pattern of ``patterns`` in its own colour (earlier patterns win).

    >>> svg = draw_highlighted("thalidomide")
    >>> svg.startswith("<?xml") and "<svg" in svg
    True
    """
    _, mol = resolve(molecule)
    if patterns is None:
        atom_colours, bond_colours, radii = _decision_colours(mol)
    else:
        atom_colours, bond_colours, radii = _pattern_colours(mol, patterns, colours)
    return draw_svg(mol, atom_colours, bond_colours, size, legend, radii, bond_length)


_GLUTARIMIDE = Chem.MolFromSmarts("O=C1-[CX4]-[CX4]-[CX4]-C(=O)-N1")


def _glutarimide_template() -> Chem.Mol:
    """A glutarimide with fixed 2-D coordinates: ring N-H up, C3 on the right (as thalidomide
    is usually drawn), the template every glutarimide is drawn on."""
    global _TEMPLATE
    if _TEMPLATE is None:
        template = Chem.MolFromSmiles("O=C1CCCC(=O)N1")
        rdDepictor.Compute2DCoords(template)
        xyz = template.GetConformer().GetPositions()
        ring = [1, 2, 3, 4, 5, 7]
        centre = xyz[ring].mean(axis=0)
        # rotate so that the N (atom 7) points straight up (+y), then C3 (atom 4) lies right
        angle = math.atan2(xyz[7, 1] - centre[1], xyz[7, 0] - centre[0])
        turn = math.pi / 2 - angle
        c, s_ = math.cos(turn), math.sin(turn)
        conf = template.GetConformer()
        for i in range(template.GetNumAtoms()):
            x, y = xyz[i, 0] - centre[0], xyz[i, 1] - centre[1]
            conf.SetAtomPosition(i, (c * x - s_ * y, s_ * x + c * y, 0.0))
        if conf.GetAtomPosition(4).x < 0:  # mirror so that C3 is on the right
            for i in range(template.GetNumAtoms()):
                point = conf.GetAtomPosition(i)
                conf.SetAtomPosition(i, (-point.x, point.y, 0.0))
        _TEMPLATE = template
    return _TEMPLATE


_TEMPLATE: Chem.Mol | None = None
_TEMPLATE_ORDER = (0, 1, 2, 3, 4, 5, 6, 7)  # O=C1CCCC(=O)N1: template atoms in pattern order


def prepared(mol: Chem.Mol) -> Chem.Mol:
    """A copy of ``mol`` with 2-D coordinates (RDKit's depiction, bond length 1.5); a
    glutarimide is laid on one template (N-H up, C3 on the right), so that glutarimides
    drawn side by side line up.

    >>> a = prepared(Chem.MolFromSmiles("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1"))
    >>> b = prepared(Chem.MolFromSmiles("O=C1CCC(c2ccccc2)C(=O)N1"))
    >>> nh = lambda m: m.GetConformer().GetAtomPosition(m.GetSubstructMatch(_GLUTARIMIDE)[7])
    >>> round(nh(a).x - nh(b).x, 6) == 0 and nh(a).y > 0
    True
    """
    copy = Chem.Mol(mol)
    if not copy.GetNumConformers():
        previous = rdDepictor.GetPreferCoordGen()
        rdDepictor.SetPreferCoordGen(False)  # the same layout whatever another caller set
        try:
            rdDepictor.Compute2DCoords(copy)
            matches = copy.GetSubstructMatches(_GLUTARIMIDE, uniquify=False)
            if matches:
                # the match whose C3 (pattern atom 4) carries the substituent, first glutarimide
                match = max(matches, key=lambda m: (copy.GetAtomWithIdx(m[4]).GetDegree(),
                                                    -min(m)))  # fmt: skip
                template = _glutarimide_template()
                pairs = [(t, m) for t, m in zip(_TEMPLATE_ORDER, match, strict=True)]
                try:
                    rdDepictor.GenerateDepictionMatching2DStructure(copy, template, pairs)
                except ValueError:  # a ring system the template cannot hold: RDKit's own layout
                    rdDepictor.Compute2DCoords(copy)
        finally:
            rdDepictor.SetPreferCoordGen(previous)
    return copy


def common_bond_length(
    mols: Sequence[Chem.Mol],
    size: tuple[int, int],
    legend: bool = True,
    largest: float = MAX_BOND_LENGTH,
):
    """The bond length in pixels at which every molecule fits a ``size`` panel: drawn with
    it, molecules side by side are to one scale. It is never below
    :data:`MIN_BOND_LENGTH`: a molecule too large for that (a degrader beside the drugs) is
    scaled down on its own rather than shrinking every other picture to unreadable.

    >>> from rdkit import Chem
    >>> small = common_bond_length([Chem.MolFromSmiles("CCO")], (240, 190))
    >>> large = common_bond_length([Chem.MolFromSmiles("CCO"), Chem.MolFromSmiles("C" * 12)],
    ...                            (240, 190))
    >>> huge = common_bond_length([Chem.MolFromSmiles("C" * 60)], (240, 190))
    >>> small == MAX_BOND_LENGTH and MIN_BOND_LENGTH < large < small, huge == MIN_BOND_LENGTH
    (True, True)
    """
    width, height = size
    usable_w = width * 0.82
    usable_h = height * (0.82 - (0.1 if legend else 0.0))
    best = largest
    for mol in mols:
        if mol is None or not mol.GetNumAtoms():
            continue
        points = prepared(mol).GetConformer().GetPositions()
        dx = max(points[:, 0].max() - points[:, 0].min(), 1.5)
        dy = max(points[:, 1].max() - points[:, 1].min(), 1.5)
        best = min(best, 1.5 * usable_w / dx, 1.5 * usable_h / dy)
    return float(max(best, MIN_BOND_LENGTH))


def shared_bond_length(
    mols: Sequence[Chem.Mol],
    size: tuple[int, int],
    legend: bool = True,
    share: float = 0.75,
    largest: float = MAX_BOND_LENGTH,
) -> float:
    """The bond length at which the smaller ``share`` of ``mols`` fit a ``size`` panel: they
    are drawn to one scale, filling their panels; the largest few (degraders beside the
    drugs) are scaled down on their own instead of shrinking every picture.

    >>> from rdkit import Chem
    >>> mols = [Chem.MolFromSmiles(s) for s in ["CCO", "c1ccccc1", "CCCCCC", "C" * 60]]
    >>> shared_bond_length(mols, (240, 190)) > common_bond_length(mols, (240, 190))
    True
    """
    fits = sorted(common_bond_length([m], size, legend, largest) for m in mols if m is not None)
    if not fits:
        return largest
    return fits[min(len(fits) - 1, int((1 - share) * len(fits)))]


def draw_many(
    molecules: Sequence[MolInput],
    legends: Sequence[str] | None = None,
    size: tuple[int, int] = (240, 190),
    patterns: Sequence[str] | None = None,
    largest: float = MAX_BOND_LENGTH,
) -> list[SVG]:
    """Pictures of several molecules at one bond length, at most ``largest`` pixels (see
    :func:`draw_highlighted` and :func:`shared_bond_length`).

    >>> svgs = draw_many(["thalidomide", "mezigdomide"], size=(200, 160))
    >>> len(svgs)
    2
    """
    mols = [resolve(m)[1] for m in molecules]
    length = shared_bond_length(mols, size, legend=bool(legends), largest=largest)
    labels = list(legends) if legends is not None else [""] * len(mols)
    return [
        draw_highlighted(mol, patterns, size=size, legend=label, bond_length=length)
        for mol, label in zip(mols, labels, strict=True)
    ]


def draw_svg(
    mol: Chem.Mol,
    atom_colours: dict[int, Colour] | None = None,
    bond_colours: dict[int, Colour] | None = None,
    size: tuple[int, int] = (350, 260),
    legend: str = "",
    radii: dict[int, float] | None = None,
    bond_length: float | None = None,
) -> SVG:
    """Draw one Mol as SVG with optional per-atom and per-bond highlight colours, atom
    highlight radii and a fixed bond length in pixels."""
    atom_colours = atom_colours or {}
    bond_colours = bond_colours or {}
    drawer = rdMolDraw2D.MolDraw2DSVG(*size)
    options = drawer.drawOptions()
    options.addStereoAnnotation = True
    if bond_length is not None:
        options.fixedBondLength = float(bond_length) / 1.5  # pixels per unit; bonds are 1.5
    rdMolDraw2D.PrepareAndDrawMolecule(
        drawer,
        prepared(mol),
        legend=legend,
        highlightAtoms=list(atom_colours),
        highlightAtomColors=atom_colours,
        highlightBonds=list(bond_colours),
        highlightBondColors=bond_colours,
        highlightAtomRadii=radii or {},
    )
    drawer.FinishDrawing()
    return SVG(drawer.GetDrawingText())


MCS_COLOUR = DEFAULT_COLOUR


def _mcs_colours(mol: Chem.Mol, smarts: str):
    """MCS atoms in the MCS colour; outside it, the decision roles of the molecule."""
    query = Chem.MolFromSmarts(smarts) if smarts else None
    atoms = set(mol.GetSubstructMatch(query)) if query is not None else set()
    atom_colours, bond_colours, radii = _decision_colours(mol)
    for atom in atoms:
        atom_colours[atom] = MCS_COLOUR
        radii[atom] = RADIUS
    for bond in bonds_between(mol, atoms):
        bond_colours[bond] = MCS_COLOUR
    return atom_colours, bond_colours, radii


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


def nested(svg: str, x: int, y: int) -> str:
    """An SVG document as a nested ``<svg>`` element placed at ``(x, y)``."""
    body = svg.split("?>", 1)[-1].strip() if svg.lstrip().startswith("<?xml") else svg.strip()
    return re.sub(r"^<svg\b", f"<svg x='{x}' y='{y}'", body, count=1)


def draw_mcs_pair(
    result, names: tuple[str, str] | None = None, size: tuple[int, int] = (340, 260)
) -> SVG:
    """The query and the reference of an :class:`imidchem.MCSResult` side by side, at one
    bond length: the common substructure in pink in both, and outside it what decides
    the cereblon call (green N-H and C3 of the reference's imide, see :data:`ROLES`).

    >>> from imidchem import mcs
    >>> svg = draw_mcs_pair(mcs("apremilast"), ("apremilast", "thalidomide"))
    >>> svg.count("<svg") == 3
    True
    """
    from ..data.reference import name_of

    mols = [to_mol(result.query_smiles), to_mol(result.reference_smiles)]
    if names is None:
        names = tuple(name_of(mol) or "" for mol in mols)
    length = common_bond_length(mols, size)
    panels = []
    for mol, name in zip(mols, names, strict=True):
        atom_colours, bond_colours, radii = _mcs_colours(mol, result.smarts)
        share = f"{result.num_atoms} of {mol.GetNumHeavyAtoms()} atoms in common"
        legend = f"{name}: {share}" if name else share
        panels.append(
            draw_svg(mol, atom_colours, bond_colours, size, legend, radii, bond_length=length)
        )
    width, height = size
    return SVG(
        "<?xml version='1.0' encoding='utf-8'?>\n"
        f"<svg xmlns='http://www.w3.org/2000/svg' version='1.1' width='{2 * width}px' "
        f"height='{height}px' viewBox='0 0 {2 * width} {height}'>"
        f"<rect width='{2 * width}' height='{height}' fill='white'/>"
        f"{nested(panels[0], 0, 0)}{nested(panels[1], width, 0)}</svg>"
    )


def key_html(roles: Sequence[str] = tuple(ROLES), mcs: bool = False) -> str:
    """The colour key of decision pictures as a line of HTML."""
    from html import escape

    items = [(ROLES[role][0], ROLES[role][1]) for role in roles]
    if mcs:
        items.insert(0, (MCS_COLOUR, "maximum common substructure"))
    return " ".join(
        f"<span style='white-space:nowrap'><span style='display:inline-block;width:.9em;"
        f"height:.9em;border-radius:50%;background:{hex_colour(colour)};vertical-align:middle'>"
        f"</span> {escape(text)}</span>&nbsp;"
        for colour, text in items
    )


def hex_colour(colour: Colour) -> str:
    """``(r, g, b)`` in 0..1 as ``#RRGGBB`` (RDKit's SVG spelling).

    >>> hex_colour((0.90, 0.62, 0.0))
    '#E59E00'
    """
    return "#" + "".join(f"{int(channel * 255):02X}" for channel in colour)
