"""Rich display in notebooks: Evidence, MCSResult and ValidationResult show structures."""

from __future__ import annotations

import re

import pandas as pd

from imidchem import explain, mcs, validate
from imidchem.data.examples import example_path
from imidchem.view import text

GREEN = "#009E72"  # the deciding atoms (imidchem.view.depict.ROLES)


def test_evidence_shows_the_structure_with_the_deciding_atoms():
    html = explain("lenalidomide", pocket=False, stats=False)._repr_html_()
    assert html.count("<svg") == 1 and GREEN in html
    assert "<th style='text-align:left;padding-right:1em'>glutarimide_nh</th>" in html
    assert "imide N-H and substituted C3" in html  # the colour key


def test_notebook_display_has_the_sections_of_the_command_line(capsys):
    """explain() in Python and ``imidchem explain`` show the same sections, in order."""
    from imidchem.cli import main
    from imidchem.view.explain import POCKET_TITLE, STATISTICS_TITLE

    record = explain("lenalidomide", stats=True, fingerprints=("morgan",))
    html, text = record._repr_html_(), str(record)
    assert main(["explain", "lenalidomide", "--fingerprints", "morgan"]) == 0
    def timeless(block: str) -> str:  # the CPU seconds of the pocket fit differ between runs
        return re.sub(r"[0-9.]+ s CPU", "s CPU", block)

    assert timeless(capsys.readouterr().out.rstrip("\n")) == timeless(text)  # the same text
    from html import escape

    for title in (POCKET_TITLE, STATISTICS_TITLE):
        assert title in text and escape(title) in html
    assert text.index(POCKET_TITLE) < text.index(STATISTICS_TITLE)
    assert html.count("<svg") == 2  # the structure and the interaction diagram
    assert "pocket_fit" in html and "background_percentile" in html


def test_pocket_hook_adds_to_the_evidence_display(monkeypatch):
    monkeypatch.setattr(text, "EVIDENCE_HTML_EXTRAS", [lambda e: f"<p>pocket of {e.name}</p>"])
    html = explain("thalidomide", pocket=False, stats=False)._repr_html_()
    assert html.endswith("<p>pocket of thalidomide</p>")


def test_mcs_shows_both_molecules():
    html = mcs("apremilast")._repr_html_()
    assert html.count("<svg") == 3  # one picture holding two panels
    assert re.search(r"atoms in common</th><td[^>]*>11<", html)


def test_validation_result_shows_metrics_and_misclassified_structures():
    result = validate(pd.read_csv(example_path()), label_col="e3_ligase", positive="CRBN")
    html = result._repr_html_()
    assert "recall" in html and "called CRBN" in html
    assert "misclassified (2)" in html and html.count("<svg") == 2
