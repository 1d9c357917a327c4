"""The words and pictures of the lower layers' result objects, registered with
:mod:`imidchem.display` (downward: the view knows the results, not the other way round).

Loaded by ``import imidchem``; each renderer imports its view module on first use.

>>> from imidchem.display import render
>>> from imidchem.chem.similarity import mcs
>>> render(mcs("c1ccccc1CC", "c1ccccc1"), "html").startswith("<")
True
"""

from __future__ import annotations

from ..display import register


@register("imidchem.evidence.verdict.Evidence", "text")
def evidence_text(record) -> str:
    from .explain import explain_text  # the sections of ``imidchem explain``

    return explain_text(record)


@register("imidchem.evidence.verdict.Evidence", "html")
def evidence_html(record) -> str:
    from .explain import evidence_html

    return evidence_html(record)


@register("imidchem.chem.pocket.fit.PocketFit", "text")
def pocket_text(fit) -> str:
    from .pocket import format_fit

    return format_fit(fit)


@register("imidchem.chem.pocket.fit.PocketFit", "html")
def pocket_html(fit) -> str:
    from .pocket import pocket_html

    return pocket_html(fit)


@register("imidchem.evidence.profile.NeoProfile", "text")
def profile_text(profile) -> str:
    from .neo import profile_text

    return profile_text(profile)


@register("imidchem.evidence.profile.NeoProfile", "html")
def profile_html(profile) -> str:
    from .neo import profile_html

    return profile_html(profile)


@register("imidchem.chem.similarity.MCSResult", "html")
def mcs_html(result) -> str:
    from .depict import draw_mcs_pair
    from .text import mcs_html

    picture = draw_mcs_pair(result) if result.query_smiles and result.reference_smiles else ""
    return mcs_html(result, picture)


@register("imidchem.analysis.validate.ValidationResult", "text")
def validation_text(result, id_col: str | None = None, max_list: int | None = None) -> str:
    from .. import defaults
    from .text import validation_text

    limit = defaults.MAX_LIST if max_list is None else max_list
    return validation_text(result, id_col=id_col, max_list=limit)


@register("imidchem.analysis.validate.ValidationResult", "html")
def validation_html(result) -> str:
    from .text import validation_html

    return validation_html(result)
