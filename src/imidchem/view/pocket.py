"""Text for :class:`imidchem.chem.pocket.PocketFit` records (CLI and ``explain``)."""

from __future__ import annotations

import json

from ..chem.pocket.fit import PocketFit
from ..chem.pocket.structures import load_structure


def pocket_lines(fit: PocketFit, indent: str = "  ") -> list[str]:
    """The pocket evidence as short text lines.

    >>> from imidchem import pocket_fit
    >>> lines = pocket_lines(pocket_fit("lenalidomide", seed=7))
    >>> lines[0]
    '  pocket:        PDB 5FQD (human cereblon-DDB1 + CK1alpha, (S)-lenalidomide), 2.45 A, chain B'
    >>> lines[1].split(":")[0].strip()
    'fits'
    """
    s = load_structure(fit.structure)
    head = (
        f"{indent}pocket:        PDB {s.pdb_id.upper()} ({s.what}), {s.resolution:.2f} A, "
        f"chain {s.chain}"
    )
    if fit.pocket_status != "ok":
        return [head, f"{indent}status:        error: {fit.pocket_reason}"]
    c = fit.clashes
    lines = [
        head,
        f"{indent}fits:          {'yes' if fit.pocket_fit else 'no'}: {fit.pocket_reason}",
        f"{indent}pocket score:  {fit.pocket_score:.3f} (cage contact {fit.cage_contact:.2f}; shape "
        f"{fit.shape:.2f}, colour {fit.colour:.2f} vs crystal {fit.crystal_ligand})",
        f"{indent}imide RMSD:    "
        + ("none (no N-H cyclic imide)" if fit.imide_rmsd is None else f"{fit.imide_rmsd:.2f} A"),
        f"{indent}clashes:       {c.count} (vdW overlap > {c.overlap:.1f} A, < {c.cutoff_hbond:.1f} A for "
        f"donor-acceptor); closest {c.worst:.2f} A, {c.worst_pair}",
    ]
    for h in fit.hbonds:
        where = "no partner atom" if h.distance is None else f"{h.distance:.2f} A"
        lines.append(
            f"{indent}H-bond {h.role + ':':<10} {h.residue} {h.atom:<4} "
            f"{'made  ' if h.made else 'missed'} {where} (crystal {h.crystal_distance:.2f} A)"
        )
    lines.append(f"{indent}stereo:        {stereo_text(fit)}")
    for v in fit.exit_vectors:
        lines.append(
            f"{indent}exit {v.label + ':':<9} from atom {v.atom + 1} ({v.element}), "
            f"direction ({v.direction[0]:.2f}, {v.direction[1]:.2f}, {v.direction[2]:.2f}); "
            f"{v.clear:.1f} A clear of the pocket ({'open' if v.open else 'blocked'})"
        )
    lines.append(
        f"{indent}placed by:     {fit.anchor}; score spread {fit.pocket_score_spread:.3f} over "
        f"starts of equal energy; {fit.seconds:.2f} s"
    )
    if fit.degrons:
        lines += degron_lines(fit, indent)
    return lines


def degron_lines(fit: PocketFit, indent: str = "  ") -> list[str]:
    """One line per degron fit (``pocket_fit(..., degron=True)``), then the caveat."""
    lines = [f"{indent}degrons (refitted with each degron present, 5fqd frame):"]
    for d in fit.degrons:
        if d.status != "ok":
            lines.append(f"{indent}  {d.gene:<8} PDB {d.pdb_id.upper()}: error: {d.reason}")
            continue
        deciding = ", ".join(
            f"{k} {v:.2f} A (glue {d.glue_deciding[k]:.2f})" for k, v in d.deciding.items()
        )
        lines.append(
            f"{indent}  {d.gene:<8} PDB {d.pdb_id.upper()}: "
            f"{'compatible' if d.compatible else 'CLASHES'}; {d.clashes} clashes (closest "
            f"{d.closest:.2f} A), {d.contacts} degron atoms in contact (crystal glue "
            f"{d.glue_contacts}); {deciding}; imide {d.imide_rmsd:.2f} A"
        )
    lines.append(
        f"{indent}  a compatible degron is not a degraded protein: geometry only, no "
        "ubiquitination, no cell"
    )
    return lines


def stereo_text(fit: PocketFit) -> str:
    """Which configuration of the anchored ring's stereocentre the pose has, and how the
    other fared.

    >>> from imidchem import pocket_fit
    >>> stereo_text(pocket_fit("lenalidomide", seed=7))[:45]
    '(S) reported: the centre is undefined in the '
    """
    if not fit.pocket_enantiomer:
        return "no stereocentre in the anchored ring"
    if fit.stereo == "given":
        return f"({fit.pocket_enantiomer}) as given"
    others = "; ".join(
        f"({o.enantiomer}) scored {o.pocket_score:.2f}{'' if o.pocket_fit else ', does not fit'}"
        for o in fit.other_forms
    )
    return f"({fit.pocket_enantiomer}) reported: the centre is undefined in the input, {others}"


def format_fit(fit: PocketFit) -> str:
    """The full text block of the ``imidchem pocket`` command."""
    title = fit.query if fit.query == fit.smiles else f"{fit.query}  {fit.smiles}"
    return "\n".join([title, *pocket_lines(fit)])


def pocket_html(fit: PocketFit) -> str:
    """The pocket fit for a notebook: the 2-D interaction diagram beside the text lines.

    >>> from imidchem import pocket_fit
    >>> html = pocket_fit("lenalidomide", seed=7)._repr_html_()
    >>> html.count("<svg") >= 1 and "imide RMSD" in html
    True
    """
    from html import escape

    from .interaction import interaction_svg

    text = escape("\n".join(pocket_lines(fit, indent="")))
    picture = interaction_svg(fit, width=480, height=360) if fit.pocket_status == "ok" else ""
    return (
        "<div style='display:flex;gap:1em;align-items:flex-start'>"
        f"<div>{picture}</div><pre style='font-size:small'>{escape(fit.query)}\n{text}</pre></div>"
    )


def fit_json(fit: PocketFit) -> str:
    """The record as JSON (no pose; write that with ``--pose``)."""
    return json.dumps(fit.as_dict(), indent=2)
