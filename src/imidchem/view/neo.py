"""Text, HTML and a 2-D picture for neosubstrate profiles (:class:`imidchem.evidence.profile.
NeoProfile`): the command line, ``explain``, the report and notebooks use these."""

from __future__ import annotations

from html import escape

from rdkit import Chem

from ..data.neosubstrates import NEOSUBSTRATES
from .depict import bonds_between, draw_svg

CALL_COLOURS = {
    "reported": "#1b5e20",
    "expected": "#2e7d32",
    "possible": "#9e6a00",
    "not expected": "#455a64",
    "no cereblon binding": "#757575",
}
"""Text colour of each call in HTML."""

IMIDE_COLOUR = (0.75, 0.85, 1.0)
CORE_COLOUR = (1.0, 0.85, 0.6)
GROUP_COLOUR = (0.98, 0.65, 0.65)


def profile_lines(profile, indent: str = "  ") -> list[str]:
    """The profile as short text lines (one per gene, then the precedents).

    >>> from imidchem.evidence.profile import neosubstrates
    >>> lines = profile_lines(neosubstrates("apremilast"))
    >>> lines[1]
    '  exposed face:  no exposed face (no cereblon-binding imide)'
    """
    lines = [
        f"{indent}level:         {profile.level} ({profile.verdict})",
        f"{indent}exposed face:  {profile.face.describe()}",
    ]
    if profile.excluded:
        lines.append(f"{indent}excluded:      {', '.join(profile.excluded)}")
    width = max(len(g) for g in profile.calls)
    for gene, call in profile.calls.items():
        protein = NEOSUBSTRATES[gene].protein
        lines.append(f"{indent}{gene:<{width}}  {call:<19} {protein}: {profile.reasons[gene]}")
    if profile.precedents:
        lines.append(f"{indent}precedents (exposed-face similarity):")
        for p in profile.precedents:
            outcomes = ", ".join(f"{g} {o}" for g, o in p.outcomes.items())
            lines.append(f"{indent}  {p.similarity:.2f}  {p.compound}: {p.face} [{outcomes}]")
    if profile.degrons:
        from .pocket import degron_lines

        lines += degron_lines(profile.degrons, indent)
    lines.append(f"{indent}note:          {profile.caveat}")
    return lines


def profile_text(profile) -> str:
    """The profile as text for the terminal."""
    head = profile.name or profile.smiles
    return "\n".join([f"neosubstrate profile of {head}", *profile_lines(profile)])


def face_svg(profile, size: tuple[int, int] = (360, 260)) -> str:
    """2-D picture: the imide (blue, in the cage), the C3 group (orange) and the groups on
    it (red), the face the degron sees; positions labelled."""
    mol = Chem.MolFromSmiles(profile.smiles)
    face = profile.face
    if mol is None or face.core == "none":
        return draw_svg(mol, size=size, legend=profile.verdict) if mol is not None else ""
    mol = Chem.Mol(mol)
    for label, index in face.positions.items():
        if label[1:].isdigit() and int(label[1:]) >= 4 and index < mol.GetNumAtoms():
            mol.GetAtomWithIdx(index).SetProp("atomNote", label)
    atoms: dict[int, tuple] = {}
    for index in face.imide_atoms:
        atoms[index] = IMIDE_COLOUR
    for index in face.core_atoms:
        atoms[index] = CORE_COLOUR
    for s in face.substituents:
        for index in s.atoms:
            atoms[index] = GROUP_COLOUR
    bonds: dict[int, tuple] = {}
    for group, colour in (
        (face.imide_atoms, IMIDE_COLOUR),
        (face.core_atoms, CORE_COLOUR),
        *((s.atoms, GROUP_COLOUR) for s in face.substituents),
    ):
        for bond in bonds_between(mol, group):
            bonds[bond] = colour
    legend = "; ".join(f"{s.position} {s.kind}" for s in face.substituents) or face.core
    return draw_svg(mol, atoms, bonds, size, legend)


def profile_html(profile) -> str:
    """The profile as an HTML fragment for notebooks and the report."""
    rows = "".join(
        f"<tr><td><b>{escape(g)}</b></td><td>{escape(NEOSUBSTRATES[g].protein)}</td>"
        f"<td style='color:{CALL_COLOURS[c]}'><b>{escape(c)}</b></td>"
        f"<td>{escape(profile.reasons[g])}</td></tr>"
        for g, c in profile.calls.items()
    )
    precedents = "".join(
        f"<tr><td>{p.similarity:.2f}</td><td>{escape(p.compound)}</td><td>{escape(p.face)}</td>"
        f"<td>{escape(', '.join(f'{g} {o}' for g, o in p.outcomes.items()))}</td></tr>"
        for p in profile.precedents
    )
    head = escape(profile.name or profile.smiles)
    parts = [
        f"<div class='imidchem-neo'><h4>Neosubstrate profile: {head}</h4>",
        f"<p>Level {profile.level} ({escape(profile.verdict)}); exposed face: "
        f"{escape(profile.face.describe())}</p>",
        face_svg(profile).replace("<?xml version='1.0' encoding='iso-8859-1'?>", ""),
        "<table><tr><th>gene</th><th>protein</th><th>call</th><th>why</th></tr>",
        rows,
        "</table>",
    ]
    if precedents:
        parts += [
            "<p>Precedents (exposed-face similarity):</p><table><tr><th>face</th>"
            "<th>compound</th><th>exposed face</th><th>outcomes</th></tr>",
            precedents,
            "</table>",
        ]
    parts.append(f"<p><i>{escape(profile.caveat)}</i></p></div>")
    return "".join(parts)


def degron_facing_svg(fit, gene: str, size: tuple[int, int] = (300, 230)) -> str:
    """2-D picture of a :class:`~imidchem.chem.pocket.PocketFit` made with ``degron=True``:
    the atoms of the pose within 4 A of ``gene``'s degron hairpin in red, the imide in blue.

    >>> from imidchem import pocket_fit
    >>> "<svg" in degron_facing_svg(pocket_fit("pomalidomide", degron=True), "IKZF1")
    True
    """
    from ..errors import InvalidArgumentError

    match = [d for d in fit.degrons if d.gene == gene]
    if not match:
        genes = ", ".join(d.gene for d in fit.degrons) or "none (fit without degron=True)"
        raise InvalidArgumentError(f"no degron fit for {gene!r}; available: {genes}")
    d = match[0]
    mol = Chem.Mol(d.pose if d.pose is not None else Chem.MolFromSmiles(fit.smiles))
    mol.RemoveAllConformers()
    atoms: dict[int, tuple] = {}
    for hit in mol.GetSubstructMatches(Chem.MolFromSmarts("[#8]=[#6;R]-[#7;R;H1]-[#6;R]=[#8]")):
        for index in hit:
            atoms[index] = IMIDE_COLOUR
    for index in d.facing_atoms:
        atoms[index] = GROUP_COLOUR
    bonds = {b: GROUP_COLOUR for b in bonds_between(mol, d.facing_atoms)}
    legend = f"{d.gene} (PDB {d.pdb_id.upper()}): {d.contacts} contacts, {d.clashes} clashes"
    return draw_svg(mol, atoms, bonds, size, legend)
