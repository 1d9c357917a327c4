"""What ``imidchem explain`` prints and what ``imidchem.explain(...)`` shows in a notebook: the
same sections, from one function each (the evidence, the 3-D pocket fit, the statistics)."""

from __future__ import annotations

from html import escape

POCKET_TITLE = "3-D: cereblon's thalidomide pocket (skip with --no-pocket, or pocket=False)"
STATISTICS_TITLE = "Similarity statistics (skip with --no-stats, or stats=False)"
NEO_TITLE = "neosubstrates: what cereblon is expected to recruit (imidchem neosubstrates)"


def explain_sections(evidence, stats: bool = True) -> list[tuple[str, list[tuple[str, str]]]]:
    """The sections of ``imidchem explain`` and of ``str(imidchem.explain(...))`` as
    ``(title, [(label, value), ...])``: the evidence, then the pocket when the record has
    one (the statistics, a table, are added by :func:`explain_text`).

    >>> from imidchem import explain
    >>> [title for title, _ in explain_sections(explain("thalidomide", stats=False))]
    ['Evidence', "3-D: cereblon's thalidomide pocket (skip with --no-pocket, or pocket=False)"]
    """
    from .pocket import pocket_pairs
    from .text import evidence_lines

    lines = evidence_lines(evidence)
    sections = [("Evidence", lines)]
    if evidence.pocket is not None:
        pairs = pocket_pairs(evidence.pocket)
        score, used = evidence.crbn_score_with_pocket
        # one crbn_score per record: with the pocket shown, the refined one (as assess and
        # screen write it with --3d), the level's own value said beside it
        lines[:] = [
            (label, f"{score:.3f} (level {evidence.crbn_level} refined by the 3-D pocket fit "
                    f"below; {evidence.crbn_score:.3f} from the level alone)")
            if label == "crbn_score" else (label, value)
            for label, value in lines
        ]  # fmt: skip
        if evidence.crbn_level == 1:
            how = ("level 1 is not refined: its anchor is the crystal ligand's own core, "
                   "the level stays the 2-D one")  # fmt: skip
        else:
            how = (f"the pocket evidence {used:.3f} places it within the level's quarter, "
                   "the level stays the 2-D one")  # fmt: skip
        pairs.append((
            "crbn_score",
            f"{score:.3f} with the pocket (level {evidence.crbn_level} alone "
            f"{evidence.crbn_score:.3f}; {how})",
        ))  # fmt: skip
        sections.append((POCKET_TITLE, pairs))
    return sections


def explain_text(evidence) -> str:
    """Every section of an evidence record as text: what ``imidchem explain`` prints and
    ``print(imidchem.explain(...))`` shows (the same function)."""
    from . import text as words
    from .neo import profile_lines

    blocks = []
    for k, (title, rows) in enumerate(explain_sections(evidence)):
        text = words.aligned(rows) if k == 0 else "\n".join("  " + line for line in words.aligned(rows).splitlines())
        blocks.append(text if k == 0 else f"{title}\n{text}")
        if k == 0:  # the neosubstrates follow the evidence, as in ``imidchem neosubstrates``
            blocks.append(NEO_TITLE + "\n" + "\n".join(profile_lines(evidence.neosubstrates)))
    if evidence.statistics_fingerprints:
        from .statistics import statistics_summary

        summary = statistics_summary(
            evidence.smiles_std, fingerprints=evidence.statistics_fingerprints,
            label=evidence.name or evidence.query,
        )  # fmt: skip
        blocks.append(f"{STATISTICS_TITLE}\n{words.statistics_text(summary)}")
    return "\n\n".join(blocks)


def evidence_html(evidence) -> str:
    """The evidence record for a notebook, with the sections of ``imidchem explain``: the
    structure with the atoms that decide the call highlighted beside the evidence; the
    pocket fit with its interaction diagram; the similarity statistics; then any
    registered extras.

    >>> from imidchem import explain
    >>> html = explain("lenalidomide", stats=False)._repr_html_()
    >>> html.count("<svg") >= 2 and "glutarimide_nh" in html and "pocket_fit" in html
    True
    """
    from . import text as words
    from .depict import draw_highlighted, key_html

    picture = draw_highlighted(evidence.smiles_std, size=(320, 240))
    sections = explain_sections(evidence)
    html = (
        "<div style='display:flex;gap:1em;align-items:flex-start'>"
        f"<div>{picture}<div style='font-size:small;max-width:320px'>{key_html()}</div></div>"
        f"<table>{words._html_rows(sections[0][1])}</table></div>"
    )
    from .neo import profile_lines

    neo = escape("\n".join(profile_lines(evidence.neosubstrates)))
    html += f"<h4>{escape(NEO_TITLE)}</h4><pre style='white-space:pre-wrap'>{neo}</pre>"
    if len(sections) > 1:
        from .interaction import interaction_svg

        fit = evidence.pocket
        diagram = interaction_svg(fit) if fit.pose is not None else ""
        html += (
            f"<h4>{escape(sections[1][0])}</h4><div style='display:flex;gap:1em;"
            f"align-items:flex-start'><div>{diagram}</div><table>{words._html_rows(sections[1][1])}"
            "</table></div>"
        )
    if evidence.statistics_fingerprints:
        from .statistics import statistics_summary

        summary = statistics_summary(
            evidence.smiles_std, fingerprints=evidence.statistics_fingerprints,
            label=evidence.name or evidence.query,
        )  # fmt: skip
        items = "".join(f"<li>{escape(sentence)}</li>" for sentence in summary["conclusions"])
        html += (
            f"<h4>{escape(STATISTICS_TITLE)}</h4><p>{escape(summary['title'])}</p>"
            f"{summary['table'].to_html(index=False)}<p><small>{escape(summary['note'])}"
            f"</small></p>{summary['neighbours'].to_html(index=False)}<ul>{items}</ul>"
        )
    extras = "".join(extra(evidence) or "" for extra in words.EVIDENCE_HTML_EXTRAS)
    return html + extras
