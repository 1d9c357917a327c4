"""Text for :class:`imidchem.chem.pocket.PocketFit` records (CLI, ``explain``, the report):
plain words, units, residues as His378, ligand atoms with their element."""

from __future__ import annotations

import json

from ..chem.pocket.fit import PocketFit
from ..chem.pocket.structures import load_structure
from .interaction import has_imide_nh, interaction_svg


def hbond_words(fit: PocketFit, h) -> str:
    """One canonical H-bond in words; a molecule without an imide N-H is not said to
    'miss' the imide N-H bond (apremilast's phthalimide N carries no H).

    >>> from imidchem import pocket_fit
    >>> fit = pocket_fit("apremilast", seed=7)
    >>> hbond_words(fit, fit.hbonds[0])
    'no imide N-H to bond His378 O (crystal 2.85 Å)'
    """
    if h.role == "imide N-H" and not h.made and fit.pose is not None:
        if not has_imide_nh(fit.pose):
            return f"no imide N-H to bond {h.residue} {h.atom} (crystal {h.crystal_distance:.2f} Å)"
    where = "no partner atom" if h.distance is None else f"{h.distance:.2f} Å"
    return (
        f"{h.residue} {h.atom} {'made' if h.made else 'missed'}, {where} "
        f"(crystal {h.crystal_distance:.2f} Å)"
    )


def _plural(count: int, word: str) -> str:
    """``1 clash``, ``2 clashes``.

    >>> _plural(1, "clash"), _plural(0, "clash"), _plural(3, "H-bond")
    ('1 clash', '0 clashes', '3 H-bonds')
    """
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word}es" if word.endswith(("s", "sh", "ch", "x")) else f"{count} {word}s"


def pocket_pairs(fit: PocketFit) -> list[tuple[str, str]]:
    """The pocket evidence as ``(label, value)`` pairs.

    >>> from imidchem import pocket_fit
    >>> pairs = dict(pocket_pairs(pocket_fit("lenalidomide", seed=7)))
    >>> pairs["structure"]
    'PDB 5FQD (human cereblon-DDB1 + CK1alpha, (S)-lenalidomide), 2.45 Å resolution, chain B'
    >>> pairs["pocket_fit"].split(":")[0], pairs["H-bond imide N-H"].split(",")[0]
    ('yes', 'His378 O made')
    """
    s = load_structure(fit.structure)
    rows = [
        (
            "structure",
            f"PDB {s.pdb_id.upper()} ({s.what}), {s.resolution:.2f} Å resolution, chain {s.chain}",
        )
    ]
    if fit.pocket_status != "ok":
        return rows + [("pocket_status", f"error: {fit.pocket_reason}")]
    c = fit.clashes
    rows += [
        ("pocket_fit", f"{'yes' if fit.pocket_fit else 'no'}: {fit.pocket_reason}"),
        (
            "pocket_score",
            f"{fit.pocket_score:.3f} of 1 (cage contact {fit.cage_contact:.2f}; shape "
            f"{fit.shape:.2f} and colour {fit.colour:.2f} Tanimoto to the crystal "
            f"{fit.crystal_ligand})",
        ),
        (
            "imide_rmsd",
            "none (no N-H cyclic imide)"
            if fit.imide_rmsd is None
            else f"{fit.imide_rmsd:.2f} Å from the crystal glutarimide",
        ),
        (
            "pocket_clashes",
            f"{_plural(c.count, 'clash')} (van der Waals overlap over {c.overlap:.1f} Å, or "
            f"closer than {c.cutoff_hbond:.1f} Å for a donor-acceptor pair); closest contact "
            f"{c.worst:.2f} Å, {c.worst_pair}",
        ),
        ("pocket_hbonds", f"{fit.pocket_hbonds} of {len(fit.hbonds)} canonical H-bonds made"),
    ]
    rows += [(f"H-bond {h.role}", hbond_words(fit, h)) for h in fit.hbonds]
    rows.append(("pocket_enantiomer", stereo_text(fit)))
    for v in fit.exit_vectors:
        rows.append(
            (
                f"exit {v.label}",
                f"from atom {v.atom + 1} ({v.element}), direction ({v.direction[0]:.2f}, "
                f"{v.direction[1]:.2f}, {v.direction[2]:.2f}); {v.clear:.1f} Å clear of the "
                f"pocket ({'open' if v.open else 'blocked'})",
            )
        )
    rows.append(
        (
            "pocket_score_spread",
            f"{fit.pocket_score_spread:.3f} (range of pocket_score over the refined starts within "
            "1 kcal/mol of this pose)",
        )
    )
    rows.append(("anchor", f"placed by {fit.anchor}"))
    if fit.energy is not None:
        rows.append(("energy", f"{fit.energy:.2f} kcal/mol (interaction energy, Vina terms)"))
    rows.append(("seconds", f"{fit.seconds:.2f} s CPU"))
    return rows


def pocket_lines(fit: PocketFit, indent: str = "  ") -> list[str]:
    """The pocket evidence as aligned text lines.

    >>> from imidchem import pocket_fit
    >>> lines = pocket_lines(pocket_fit("lenalidomide", seed=7))
    >>> lines[1].split()[0]
    'pocket_fit'
    """
    rows = pocket_pairs(fit)
    width = max(len(label) for label, _ in rows)
    lines = [f"{indent}{label:<{width}}  {value}" for label, value in rows]
    if getattr(fit, "degrons", None):
        lines += degron_lines(fit.degrons, indent)
    return lines


def degron_lines(degrons, indent: str = "  ") -> list[str]:
    """One line per degron fit (``pocket_fit(..., degron=True)`` or a neosubstrate profile
    with ``degrons=True``), then the caveat."""
    lines = [f"{indent}degrons (refitted with each degron present, 5fqd frame):"]
    for d in degrons:
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
    >>> html.count("<svg") >= 1 and "imide_rmsd" in html
    True
    """
    from html import escape

    text = escape("\n".join(pocket_lines(fit, indent="")))
    picture = interaction_svg(fit) if fit.pocket_status == "ok" else ""
    return (
        "<div style='display:flex;gap:1em;align-items:flex-start'>"
        f"<div>{picture}</div><pre style='font-size:small;white-space:pre-wrap'>"
        f"{escape(fit.query)}\n{text}</pre></div>"
    )


def fit_json(fit: PocketFit) -> str:
    """The record as JSON (no pose; write that with ``--pose``), with the old keys for one
    version (:func:`imidchem.view.json_keys.with_old_keys`)."""
    from .json_keys import with_old_keys

    return json.dumps(with_old_keys(fit.as_dict(), "pocket"), indent=2, ensure_ascii=False)
