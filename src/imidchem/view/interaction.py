"""A 2-D interaction diagram of a pocket pose: the ligand drawn flat, the pocket residues it
touches around it, hydrogen bonds drawn as dashed lines with their distances.

Pure SVG (RDKit's drawer plus a few added elements): no network, no JavaScript. Notebooks
show it inline (:class:`imidchem.view.depict.SVG`), the report embeds it.
"""

from __future__ import annotations

import html
import math

import numpy as np
from rdkit import Chem
from rdkit.Chem import rdDepictor
from rdkit.Chem.Draw import rdMolDraw2D

from ..chem.pocket.fit import PocketFit
from ..chem.pocket.score import ligand_types
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
    >>> {"HIS378", "TRP380"} <= {r["residue"] for r in rows if r["hbonds"]}
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


def interaction_svg(fit: PocketFit, width: int = 720, height: int = 540, title: bool = True) -> str:
    """The interaction diagram of ``fit`` as an SVG string.

    >>> from imidchem import pocket_fit
    >>> svg = interaction_svg(pocket_fit("lenalidomide", seed=7))
    >>> svg.startswith("<?xml") and "HIS378" in svg and "stroke-dasharray" in svg
    True
    """
    if fit.pose is None:
        raise ValueError(f"no pose to draw: {fit.pocket_reason}")
    rows = contacts(fit)
    flat = Chem.Mol(fit.pose)
    previous = rdDepictor.GetPreferCoordGen()
    rdDepictor.SetPreferCoordGen(True)
    try:
        rdDepictor.Compute2DCoords(flat)
    finally:
        rdDepictor.SetPreferCoordGen(previous)  # a global setting: leave it as it was
    drawer = rdMolDraw2D.MolDraw2DSVG(width, height)
    opts = drawer.drawOptions()
    opts.padding = 0.27
    opts.clearBackground = True
    opts.bondLineWidth = 2
    drawer.DrawMolecule(flat)
    drawer.FinishDrawing()
    svg = drawer.GetDrawingText()
    atom_xy = {
        i: (drawer.GetDrawCoords(i).x, drawer.GetDrawCoords(i).y) for i in range(flat.GetNumAtoms())
    }
    centre = np.mean(list(atom_xy.values()), axis=0)
    # residues on an ellipse around the ligand, each at the angle of its closest ligand atom,
    # spread so that labels do not overlap
    rx, ry = width / 2 - 70, height / 2 - 50
    angles = []
    for r in rows:
        x, y = atom_xy[r["ligand_atom"]]
        angles.append(math.atan2(y - centre[1], x - centre[0]))
    order = np.argsort(angles)
    placed = _spread([angles[i] for i in order], min_gap=2 * math.pi / max(14, len(rows) + 2))
    elements = []
    boxes = []
    for slot, i in zip(placed, order, strict=True):
        r = rows[i]
        bx = width / 2 + rx * math.cos(slot)
        by = height / 2 + ry * math.sin(slot)
        kind = _kind(r["resname"])
        ax, ay = atom_xy[r["ligand_atom"]]
        if r["hbonds"]:
            for atom, name, dist in r["hbonds"]:
                hx, hy = atom_xy[atom]
                elements.append(
                    f'<line x1="{hx:.1f}" y1="{hy:.1f}" x2="{bx:.1f}" y2="{by:.1f}" '
                    'stroke="#1b9e3e" stroke-width="2" stroke-dasharray="6,4"/>'
                )
                mx, my = (hx + bx) / 2, (hy + by) / 2
                elements.append(
                    f'<text x="{mx:.1f}" y="{my - 4:.1f}" font-size="12" fill="#1b9e3e" '
                    f'font-family="sans-serif" text-anchor="middle">{name} {dist:.2f} &#197;</text>'
                )
        else:
            elements.append(
                f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" '
                'stroke="#bbbbbb" stroke-width="1" stroke-dasharray="2,3"/>'
            )
        label = f"{r['resname'].title()}{r['resnum']}"
        boxes.append(
            f'<rect x="{bx - 38:.1f}" y="{by - 15:.1f}" width="76" height="30" rx="12" '
            f'fill="{_FILL[kind]}" stroke="{_STROKE[kind]}" stroke-width="1.5"/>'
            f'<text x="{bx:.1f}" y="{by - 1:.1f}" font-size="13" font-family="sans-serif" '
            f'text-anchor="middle" fill="#222">{html.escape(label)}</text>'
            f'<text x="{bx:.1f}" y="{by + 11:.1f}" font-size="9.5" font-family="sans-serif" '
            f'text-anchor="middle" fill="#555">{r["distance"]:.1f} &#197;</text>'
            f"<!-- {r['residue']} -->"
        )
    missed = [h for h in fit.hbonds if not h.made]
    lines = []
    if title:
        verdict = "fits" if fit.pocket_fit else "does not fit"
        rmsd = "no imide" if fit.imide_rmsd is None else f"imide {fit.imide_rmsd:.2f} &#197;"
        lines.append(
            f"{html.escape(fit.query[:60])} in PDB {fit.structure.upper()}: {verdict} "
            f"(score {fit.pocket_score:.2f}, {rmsd}, {fit.pocket_clashes} clashes)"
        )
    if missed:
        lines.append(
            "missed: "
            + "; ".join(
                f"{h.role} to {h.residue} {h.atom}"
                + ("" if h.distance is None else f" ({h.distance:.1f} &#197;)")
                for h in missed
            )
        )
    for k, text in enumerate(lines):
        elements.append(
            f'<text x="10" y="{18 + 16 * k}" font-size="{14 if k == 0 else 12}" '
            f'font-family="sans-serif" fill="{"#222" if k == 0 else "#b03a3a"}">{text}</text>'
        )
    legend = (
        f'<text x="10" y="{height - 10}" font-size="11" font-family="sans-serif" fill="#555">'
        "residues within 4 &#197; (closest heavy-atom distance); green dashes: H-bonds &#8804; 3.5 &#197;; "
        "box colour: hydrophobic / polar / charged</text>"
    )
    # the residue lines go under the molecule, boxes and text on top
    head, body = (
        svg.split("<!-- END OF HEADER -->", 1) if "<!-- END OF HEADER -->" in svg else (svg, "")
    )
    if body:
        body = body.replace("</svg>", "".join(boxes) + legend + "</svg>")
        rect_end = body.find("</rect>") + len("</rect>") if "</rect>" in body else 0
        return (
            head + "<!-- END OF HEADER -->" + body[:rect_end] + "".join(elements) + body[rect_end:]
        )
    return svg.replace("</svg>", "".join(elements) + "".join(boxes) + legend + "</svg>")


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


def view_3d(fit: PocketFit, width: int = 640, height: int = 480):
    """An interactive py3Dmol view of the pose in its pocket (optional extra ``view3d``; the
    viewer loads 3Dmol.js from the web when it is displayed)."""
    try:
        import py3Dmol
    except ImportError:
        from ..errors import MissingExtraError

        raise MissingExtraError("the interactive 3-D view", "view3d") from None
    view = py3Dmol.view(width=width, height=height)
    view.addModel(pocket_pdb(fit), "pdb")
    view.setStyle({"model": 0}, {"stick": {"colorscheme": "greyCarbon", "radius": 0.15}})
    view.addModel(Chem.MolToMolBlock(fit.pose), "sdf")
    view.setStyle({"model": 1}, {"stick": {"colorscheme": "orangeCarbon", "radius": 0.25}})
    view.zoomTo({"model": 1})
    return view
