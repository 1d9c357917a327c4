"""A 2-D interaction diagram of a pocket pose: the ligand drawn flat, the pocket residues it
touches around it, hydrogen bonds drawn as dashed lines with their distances.

Pure SVG (RDKit's drawer plus a few added elements): no network, no JavaScript. Notebooks
show it inline (:class:`imidchem.view.depict.SVG`), the report embeds it.
"""

from __future__ import annotations

import base64
import html
import math
import re
from functools import cache
from importlib import resources

import numpy as np
from rdkit import Chem
from rdkit.Chem.Draw import rdMolDraw2D

from ..chem.pocket.fit import PocketFit
from ..chem.pocket.score import (
    BONDI,
    BONDI_OTHER,
    CLASH_CUTOFF_HBOND,
    CLASH_OVERLAP,
    ligand_types,
)
from ..chem.pocket.structures import HBOND_MAX, load_structure

CONTACT = 4.0  # A, a residue "touches" the ligand when a heavy atom pair is this close
_HYDROPHOBIC = {"ALA", "VAL", "LEU", "ILE", "MET", "PHE", "TRP", "PRO", "TYR", "CYS", "GLY"}
_CHARGED = {"ASP", "GLU", "LYS", "ARG"}
_FILL = {"hydrophobic": "#e8f3d6", "polar": "#dcebf7", "charged": "#f9dede"}
_STROKE = {"hydrophobic": "#6a9a3a", "polar": "#3a78b0", "charged": "#b03a3a"}


def contacts(fit: PocketFit, cutoff: float = CONTACT) -> list[dict]:
    """Pocket residues within ``cutoff`` A of the pose: residue, closest ligand atom, distance,
    and the hydrogen bonds (ligand atom, protein atom, distance) each one makes.

    >>> from imidchem import pocket_fit
    >>> rows = contacts(pocket_fit("lenalidomide", seed=7))
    >>> {"His378", "Trp380"} <= {r["residue"] for r in rows if r["hbonds"]}
    True
    """
    s = load_structure(fit.structure)
    pose = fit.pose
    xyz = pose.GetConformer().GetPositions()
    heavy = np.array([a.GetIdx() for a in pose.GetAtoms() if a.GetAtomicNum() > 1])
    types = ligand_types(pose)
    d = np.linalg.norm(xyz[heavy][:, None] - s.coords[None], axis=2)
    near = np.flatnonzero(d.min(axis=0) <= cutoff)
    residues: dict[str, dict] = {}
    for j in near:
        label = s.residue_label(j)
        i = int(np.argmin(d[:, j]))
        entry = residues.setdefault(
            label,
            {
                "residue": label,
                "resname": str(s.resnames[j]),
                "resnum": int(s.resnums[j]),
                "human_resnum": int(s.human_resnums[j]),
                "ligand_atom": int(heavy[i]),
                "distance": float(d[i, j]),
                "hbonds": [],
            },
        )
        if d[i, j] < entry["distance"]:
            entry.update(ligand_atom=int(heavy[i]), distance=float(d[i, j]))
        for k in range(len(heavy)):
            a = int(heavy[k])
            polar = (types.donor[a] and s.acceptor[j]) or (types.acceptor[a] and s.donor[j])
            if polar and d[k, j] <= HBOND_MAX:
                entry["hbonds"].append((a, str(s.atom_names[j]), round(float(d[k, j]), 2)))
    return sorted(residues.values(), key=lambda r: r["resnum"])


def _kind(resname: str) -> str:
    if resname in _CHARGED:
        return "charged"
    return "hydrophobic" if resname in _HYDROPHOBIC else "polar"


def clashing_atoms(fit: PocketFit) -> list[dict]:
    """The ligand atoms in a clash with the pocket (the rule of
    :func:`imidchem.chem.pocket.score.clashes`): ligand atom, element, residue, protein
    atom and distance (A) of each clashing pair, closest first.

    >>> from imidchem import pocket_fit
    >>> clashing_atoms(pocket_fit("lenalidomide", seed=7))
    []
    """
    s = load_structure(fit.structure)
    pose = fit.pose
    heavy = np.array([a.GetIdx() for a in pose.GetAtoms() if a.GetAtomicNum() > 1])
    types = ligand_types(pose)
    xyz = pose.GetConformer().GetPositions()[heavy]
    d = np.linalg.norm(xyz[:, None] - s.coords[None], axis=2)
    polar = (types.donor[heavy][:, None] & s.acceptor[None]) | (
        types.acceptor[heavy][:, None] & s.donor[None]
    )
    symbols = [pose.GetAtomWithIdx(int(i)).GetSymbol() for i in heavy]
    r_lig = np.array([BONDI.get(e.upper(), BONDI_OTHER) for e in symbols])
    r_pocket = np.array([BONDI.get(e.upper(), BONDI_OTHER) for e in s.elements])
    cutoff = np.where(polar, CLASH_CUTOFF_HBOND, r_lig[:, None] + r_pocket[None] - CLASH_OVERLAP)
    rows = [
        {
            "ligand_atom": int(heavy[i]),
            "element": symbols[i],
            "residue": s.residue_label(j),
            "atom": str(s.atom_names[j]),
            "distance": round(float(d[i, j]), 2),
        }
        for i, j in zip(*np.nonzero(d < cutoff), strict=True)
    ]
    return sorted(rows, key=lambda row: row["distance"])


def _display_name(fit: PocketFit, name: str | None) -> str:
    """What the title calls the molecule: ``name``, else its reference name, else the
    query unless that is just the SMILES."""
    if name:
        return name
    from ..data.reference import name_of

    try:
        known = name_of(Chem.MolFromSmiles(fit.smiles))
    except Exception:  # noqa: BLE001 - a title never stops a picture
        known = None
    if known:
        return known
    query = fit.query
    if Chem.MolFromSmiles(query) is None or query in ("",):
        return query
    return "query molecule"


def has_imide_nh(mol: Chem.Mol) -> bool:
    """Does the molecule have an N-H cyclic imide (:data:`imidchem.chem.patterns.
    CYCLIC_IMIDE_NH`, the one definition)? Without one it cannot make the imide N-H bond.

    >>> has_imide_nh(Chem.MolFromSmiles("O=C1CCC(=O)N1")), has_imide_nh(Chem.MolFromSmiles("CN1C(=O)CCC1=O"))
    (True, False)
    """
    from ..chem.patterns import CYCLIC_IMIDE_NH

    return bool(CYCLIC_IMIDE_NH.matches(mol))

_HALO = 'stroke="white" stroke-width="4" paint-order="stroke" stroke-linejoin="round"'
_FONT = 'font-family="DejaVu Sans, Arial, Helvetica, sans-serif"'


def interaction_svg(
    fit: PocketFit,
    width: int = 720,
    height: int = 540,
    title: bool = True,
    name: str | None = None,
) -> str:
    """The interaction diagram of ``fit`` as an SVG string: the ligand flat (glutarimide
    laid as in every imidchem picture), the residues within 4 A around it, H-bonds as green
    dashes labelled with the protein atom and the distance, clashing atoms ringed in red.
    The title names the molecule ``name`` (default: its reference name, else the query
    when it is not a SMILES).

    >>> from imidchem import pocket_fit
    >>> svg = interaction_svg(pocket_fit("lenalidomide", seed=7))
    >>> svg.startswith("<?xml") and "His378" in svg and "stroke-dasharray" in svg
    True
    >>> "lenalidomide in PDB 5FQD" in svg
    True
    """
    if fit.pose is None:
        raise ValueError(f"no pose to draw: {fit.pocket_reason}")
    rows = _diagram_rows(fit)
    bumps = clashing_atoms(fit)
    flat, svg, atom_xy = _flat_ligand(fit, width, height)
    top = 64 if title else 20
    bottom = 30
    ellipse = (width / 2, top + (height - top - bottom) / 2,
               width / 2 - 50, (height - top - bottom) / 2 - 20)  # fmt: skip
    under, over = _residue_marks(rows, flat, atom_xy, ellipse)
    over += _clash_rings(bumps, atom_xy)
    lines = _title_lines(fit, name) if title else []
    return _assemble(svg, under, over, _heading(lines, width) + _legend(height))


def _diagram_rows(fit: PocketFit) -> list[dict]:
    """The residues of the diagram (:func:`contacts`), one box each; a residue that
    H-bonds two ligand atoms gets one box per atom: one box between them would send a dash
    across the ring."""
    rows = []
    for r in contacts(fit):
        atoms = sorted({atom for atom, _, _ in r["hbonds"]})
        if len(atoms) < 2:
            rows.append(r)
            continue
        for atom in atoms:
            bonds = [h for h in r["hbonds"] if h[0] == atom]
            rows.append({**r, "hbonds": bonds, "ligand_atom": atom,
                         "distance": min(h[2] for h in bonds)})  # fmt: skip
    return rows


def _flat_ligand(fit: PocketFit, width: int, height: int) -> tuple[Chem.Mol, str, dict]:
    """The pose drawn flat by RDKit: the molecule, the SVG and each atom's drawing
    coordinates."""
    from .depict import prepared

    flat = Chem.Mol(fit.pose)
    flat.RemoveAllConformers()
    flat = prepared(flat)
    drawer = rdMolDraw2D.MolDraw2DSVG(width, height)
    opts = drawer.drawOptions()
    opts.clearBackground = True
    opts.bondLineWidth = 2
    opts.minFontSize = 13
    opts.fixedBondLength = 32  # pixels: small ligands are not blown up, large ones shrink
    opts.padding = 0.24  # the residues' ring around the ligand needs the margin
    drawer.DrawMolecule(flat)
    drawer.FinishDrawing()
    atom_xy = {
        i: (drawer.GetDrawCoords(i).x, drawer.GetDrawCoords(i).y) for i in range(flat.GetNumAtoms())
    }
    return flat, drawer.GetDrawingText(), atom_xy


def _outward(flat: Chem.Mol, atom_xy: dict, centre: np.ndarray, atom: int) -> float:
    """Angle pointing away from the atom's neighbours (off the ring, not across it)."""
    x, y = atom_xy[atom]
    near = [atom_xy[n.GetIdx()] for n in flat.GetAtomWithIdx(atom).GetNeighbors()]
    if near:
        nx, ny = np.mean(near, axis=0)
        if math.hypot(x - nx, y - ny) > 1e-3:
            return math.atan2(y - ny, x - nx)
    return math.atan2(y - centre[1], x - centre[0])


def _slots(rows: list[dict], flat: Chem.Mol, atom_xy: dict, ellipse: tuple) -> list[tuple]:
    """``(angle on the ellipse, row)`` of each residue box: where a ray from its ligand
    atom, pointing outward, meets the ellipse, spread apart so that boxes do not overlap."""
    cx, cy, rx, ry = ellipse
    centre = np.array(list(atom_xy.values())).mean(axis=0)
    angles = []
    for r in rows:
        anchor = r["hbonds"][0][0] if r["hbonds"] else r["ligand_atom"]
        ax, ay = atom_xy[anchor]
        direction = _outward(flat, atom_xy, centre, anchor)
        # where a ray from the anchor atom along ``direction`` meets the ellipse
        dx, dy = math.cos(direction), math.sin(direction)
        a = (dx / rx) ** 2 + (dy / ry) ** 2
        b = 2 * ((ax - cx) * dx / rx**2 + (ay - cy) * dy / ry**2)
        c = ((ax - cx) / rx) ** 2 + ((ay - cy) / ry) ** 2 - 1
        t = (-b + math.sqrt(max(b * b - 4 * a * c, 0.0))) / (2 * a)
        angles.append(math.atan2((ay + t * dy - cy) / ry, (ax + t * dx - cx) / rx))
    order = np.argsort(angles)
    placed = _spread([angles[i] for i in order], min_gap=2 * math.pi / max(12, len(rows) + 1))
    return [(slot, rows[i]) for slot, i in zip(placed, order, strict=True)]


def _residue_marks(
    rows: list[dict], flat: Chem.Mol, atom_xy: dict, ellipse: tuple
) -> tuple[list[str], list[str]]:
    """SVG elements of the residues: the dashes (drawn under the ligand) and the boxes and
    H-bond labels (drawn over it)."""
    cx, cy, rx, ry = ellipse
    under, over = [], []
    for slot, r in _slots(rows, flat, atom_xy, ellipse):
        bx, by = cx + rx * math.cos(slot), cy + ry * math.sin(slot)
        kind = _kind(r["resname"])
        for atom, protein_atom, dist in r["hbonds"]:
            hx, hy = atom_xy[atom]
            under.append(
                f'<line x1="{hx:.1f}" y1="{hy:.1f}" x2="{bx:.1f}" y2="{by:.1f}" '
                'stroke="#1b9e3e" stroke-width="2.5" stroke-dasharray="7,4"/>'
            )
            over.append(_hbond_label(hx, hy, bx, by, protein_atom, dist))
        if not r["hbonds"]:
            ax, ay = atom_xy[r["ligand_atom"]]
            under.append(
                f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" '
                'stroke="#c8c8c8" stroke-width="1.2" stroke-dasharray="2,3"/>'
            )
        over.append(
            f'<rect x="{bx - 42:.1f}" y="{by - 17:.1f}" width="84" height="34" rx="14" '
            f'fill="{_FILL[kind]}" stroke="{_STROKE[kind]}" stroke-width="1.5"/>'
            f'<text x="{bx:.1f}" y="{by - 1:.1f}" font-size="14" {_FONT} font-weight="bold" '
            f'text-anchor="middle" fill="#222">{html.escape(r["residue"])}</text>'
            f'<text x="{bx:.1f}" y="{by + 12:.1f}" font-size="11" {_FONT} '
            f'text-anchor="middle" fill="#444">{r["distance"]:.1f} &#197;</text>'
        )
    return under, over


def _hbond_label(hx: float, hy: float, bx: float, by: float, protein_atom: str, dist: float) -> str:
    """The protein atom and distance beside an H-bond dash, not on it: offset along the
    line's normal."""
    length = max(math.hypot(bx - hx, by - hy), 1e-6)
    nx, ny = -(by - hy) / length, (bx - hx) / length
    mx, my = hx + 0.55 * (bx - hx) + 11 * nx, hy + 0.55 * (by - hy) + 11 * ny
    return (
        f'<text x="{mx:.1f}" y="{my + 4:.1f}" font-size="12" fill="#137a30" {_FONT} '
        f'text-anchor="middle" {_HALO}>{html.escape(protein_atom)} {dist:.1f} &#197;</text>'
    )


def _clash_rings(bumps: list[dict], atom_xy: dict) -> list[str]:
    """A red ring around each clashing ligand atom."""
    return [
        f'<circle cx="{atom_xy[atom][0]:.1f}" cy="{atom_xy[atom][1]:.1f}" r="13" fill="none" '
        'stroke="#d62728" stroke-width="2.5"/>'
        for atom in sorted({b["ligand_atom"] for b in bumps})
    ]


def _title_lines(fit: PocketFit, name: str | None) -> list[tuple]:
    """The title's lines ``(font size, colour, text, weight)``: who and the verdict; the
    numbers; the canonical H-bonds not made."""
    who = html.escape(_display_name(fit, name)[:60])
    verdict = "fits the pocket" if fit.pocket_fit else "does not fit the pocket"
    lines = [(16, "#111", f"{who} in PDB {fit.structure.upper()}: {verdict}", "bold")]
    rmsd = "no N-H cyclic imide" if fit.imide_rmsd is None else (
        f"imide_rmsd {fit.imide_rmsd:.2f} &#197;")
    clash_words = "1 clash" if fit.pocket_clashes == 1 else f"{fit.pocket_clashes} clashes"
    lines.append((13, "#333", f"pocket_score {fit.pocket_score:.2f} &#183; {rmsd} &#183; "
                  f"{fit.pocket_hbonds} of {len(fit.hbonds)} canonical H-bonds &#183; "
                  f"{clash_words}", "normal"))  # fmt: skip
    has_nh = has_imide_nh(fit.pose)
    missing = []
    for h in fit.hbonds:
        if h.made:
            continue
        if h.role == "imide N-H" and not has_nh:
            missing.append(f"no imide N-H for {h.residue} {h.atom}")
        else:
            where = "" if h.distance is None else f" ({h.distance:.1f} &#197;)"
            missing.append(f"{h.role} to {h.residue} {h.atom} not made{where}")
    if missing:
        lines.append((12, "#b03a3a", html.escape("; ".join(missing)).replace("&amp;#197;", "&#197;"),
                      "normal"))  # fmt: skip
    return lines


def _heading(lines: list[tuple], width: int) -> str:
    """The title lines as SVG text; a line too long for the width gets a smaller font."""

    def fitted(size: float, text: str) -> float:
        room = (width - 24) / (0.56 * size)
        plain = len(re.sub(r"&#?\w+;", "x", text))
        return size if plain <= room else max(9.0, size * room / plain)

    return "".join(
        f'<text x="12" y="{20 + 18 * k}" font-size="{fitted(size, text):.1f}" '
        f'font-weight="{weight}" {_FONT} fill="{colour}">{text}</text>'
        for k, (size, colour, text, weight) in enumerate(lines)
    )


def _legend(height: int) -> str:
    """The key along the bottom: H-bond, closest contact, clashing atom, residue kinds."""
    y = height - 14
    return (
        f'<line x1="12" y1="{y - 4}" x2="40" y2="{y - 4}" stroke="#1b9e3e" stroke-width="2.5" '
        f'stroke-dasharray="7,4"/><text x="46" y="{y}" font-size="11.5" {_FONT} fill="#444">'
        f"H-bond (&#8804; 3.5 &#197;)</text>"
        f'<line x1="160" y1="{y - 4}" x2="188" y2="{y - 4}" stroke="#c8c8c8" stroke-width="1.2" '
        f'stroke-dasharray="2,3"/><text x="194" y="{y}" font-size="11.5" {_FONT} fill="#444">'
        f"closest contact (&#8804; 4 &#197;)</text>"
        f'<circle cx="352" cy="{y - 4}" r="7" fill="none" stroke="#d62728" stroke-width="2"/>'
        f'<text x="364" y="{y}" font-size="11.5" {_FONT} fill="#444">clashing atom</text>'
        + "".join(
            f'<rect x="{460 + 96 * k}" y="{y - 11}" width="14" height="12" rx="4" fill="{_FILL[kind]}" '
            f'stroke="{_STROKE[kind]}"/><text x="{478 + 96 * k}" y="{y}" font-size="11.5" {_FONT} '
            f'fill="#444">{kind}</text>'
            for k, kind in enumerate(("hydrophobic", "polar", "charged"))
        )
    )


def _assemble(svg: str, under: list[str], over: list[str], top: str) -> str:
    """RDKit's drawing with the dashes under the ligand (after the background rectangle)
    and the boxes, labels, title and legend (``top``) over it."""
    head, body = (
        svg.split("<!-- END OF HEADER -->", 1) if "<!-- END OF HEADER -->" in svg else (svg, "")
    )
    if body:
        rect_end = body.find("</rect>") + len("</rect>") if "</rect>" in body else 0
        body = body[:rect_end] + "".join(under) + body[rect_end:]
        body = body.replace("</svg>", "".join(over) + top + "</svg>")
        return head + "<!-- END OF HEADER -->" + body
    return svg.replace("</svg>", "".join(under) + "".join(over) + top + "</svg>")


def _spread(angles: list[float], min_gap: float) -> list[float]:
    """Angles (sorted) nudged apart to at least ``min_gap``, keeping their order."""
    n = len(angles)
    if n == 0:
        return []
    out = list(angles)
    for _ in range(50):
        moved = False
        for k in range(n):
            a, b = out[k], out[(k + 1) % n] + (2 * math.pi if k == n - 1 else 0.0)
            gap = b - a
            if gap < min_gap and n > 1:
                push = (min_gap - gap) / 2
                out[k] -= push
                out[(k + 1) % n] += push
                moved = True
        if not moved:
            break
    return out


def pocket_pdb(fit: PocketFit, within: float = 8.0) -> str:
    """PDB ATOM records of the pocket residues with an atom within ``within`` A of the pose
    (whole residues), in the entry's frame.

    >>> from imidchem import pocket_fit
    >>> text = pocket_pdb(pocket_fit("lenalidomide", seed=7))
    >>> " CA  TRP B 380 " in text, text.splitlines()[0][:16]
    (True, 'ATOM      1  N  ')
    """
    s = load_structure(fit.structure)
    xyz = fit.pose.GetConformer().GetPositions()
    near = np.linalg.norm(s.coords[:, None] - xyz[None], axis=2).min(axis=1) <= within
    keep = set(s.resnums[near].tolist())
    lines = []
    for j in range(len(s.coords)):
        if s.resnums[j] not in keep:
            continue
        name = s.atom_names[j]
        name = name if len(name) == 4 else f" {name:<3}"
        x, y, z = s.coords[j]
        lines.append(
            f"ATOM  {len(lines) + 1:5d} {name} {s.resnames[j]:>3} {s.chain}{s.resnums[j]:4d}    "
            f"{x:8.3f}{y:8.3f}{z:8.3f}  1.00 20.00          {s.elements[j]:>2}"
        )
    return "\n".join(lines) + "\nEND\n"


THREE_DMOL_VERSION = "2.5.5"
"""The 3Dmol.js shipped in ``imidchem/view/static`` (BSD-3-Clause, its licence beside it)."""


@cache
def three_dmol_js() -> str:
    """The shipped 3Dmol.js as a ``data:`` URI, so the 3-D view needs no network.

    >>> three_dmol_js().startswith("data:text/javascript;base64,")
    True
    """
    script = resources.files("imidchem.view").joinpath("static", "3Dmol-min.js").read_bytes()
    return "data:text/javascript;base64," + base64.b64encode(script).decode("ascii")


def view_3d(fit: PocketFit, width: int = 640, height: int = 480):
    """An interactive py3Dmol view of the pose in its pocket (optional extra ``view3d``).

    Works offline: 3Dmol.js ships with imidchem (version :data:`THREE_DMOL_VERSION`) and is
    embedded in the view (about 0.7 MB per view), so nothing is fetched from a CDN. For a
    picture without JavaScript use :func:`interaction_svg`, or write the pose with
    ``imidchem pocket NAME --pose pose.sdf`` (``--complex`` for the pocket) for PyMOL or ChimeraX."""
    try:
        import py3Dmol
    except ImportError:
        from ..errors import MissingExtraError

        raise MissingExtraError("the interactive 3-D view", "view3d") from None
    view = py3Dmol.view(width=width, height=height, js=three_dmol_js())
    view.addModel(pocket_pdb(fit), "pdb")
    view.setStyle({"model": 0}, {"stick": {"colorscheme": "greyCarbon", "radius": 0.15}})
    view.addModel(Chem.MolToMolBlock(fit.pose), "sdf")
    view.setStyle({"model": 1}, {"stick": {"colorscheme": "orangeCarbon", "radius": 0.25}})
    view.zoomTo({"model": 1})
    return view
