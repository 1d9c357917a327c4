"""Every notebook runs top to bottom in a fresh kernel, shows computed (not typed) numbers,
and the committed copy carries up-to-date outputs.

Runs the notebooks with tools/run_notebooks.py's ``execute`` (the same code that
regenerates the committed outputs), in memory: the files are not rewritten.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from conftest import ROOT

pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

from imidchem.engine.assess import assess  # noqa: E402
from imidchem.evidence.verdict import explain  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NAMES = [path.name for path in NOTEBOOKS]


@pytest.fixture(scope="module")
def executed() -> dict:
    """Every notebook executed in a fresh kernel (started in the background by conftest)."""
    from conftest import executed_notebooks

    return executed_notebooks(NOTEBOOKS)


def code_sources(notebook: dict) -> list[str]:
    return ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]


def all_sources(notebook: dict) -> str:
    return "\n".join("".join(cell["source"]) for cell in notebook["cells"])


def markdown_outputs(notebook: dict) -> list[str]:
    return [
        "".join(output["data"]["text/markdown"])
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
        for output in cell.get("outputs", [])
        if "text/markdown" in output.get("data", {})
    ]


def output_types(notebook: dict) -> set[str]:
    return {
        mime
        for cell in notebook["cells"]
        for output in cell.get("outputs", [])
        for mime in output.get("data", {})
    }


def test_the_expected_notebooks_exist():
    assert NAMES[:2] == ["01_imid_classes.ipynb", "02_screen_your_compounds.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_notebook_metadata_and_public_api_only(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    for source in code_sources(notebook):
        assert not re.search(r"\._[A-Za-z]|import _|\bimidchem\.\w+\._", source), source
        for module in re.findall(r"from (imidchem[\w.]*) import", source):
            assert not any(part.startswith("_") for part in module.split("."))


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_top_to_bottom(executed, name):
    notebook = executed[name]
    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output["output_type"] == "error" or output.get("name") == "stderr"
    ]
    assert errors == []
    assert "image/svg+xml" in output_types(notebook)  # figures and structures are shown


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_committed_notebook_carries_current_outputs(executed, path):
    committed = json.loads(path.read_text(encoding="utf-8"))
    counts = [cell["execution_count"] for cell in committed["cells"] if cell["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1)), (
        "run .venv/bin/python tools/run_notebooks.py to save the notebooks with outputs"
    )
    assert markdown_outputs(committed) == markdown_outputs(executed[path.name]), (
        "committed outputs are stale: run .venv/bin/python tools/run_notebooks.py"
    )


def test_notebook_1_conclusion_is_computed_not_typed(executed):
    notebook = executed["01_imid_classes.ipynb"]
    evidence = explain("apremilast")
    percentile = f"{evidence.background_percentile:.0f}%"
    tanimoto = f"{evidence.sim_thalidomide:.2f}"
    (conclusion,) = markdown_outputs(notebook)
    assert f"Morgan Tanimoto to thalidomide is {tanimoto}" in conclusion
    assert f"closer to apremilast than\n  {percentile} of them" in conclusion
    assert (
        f"{evidence.mcs_atoms} of thalidomide's atoms ({evidence.mcs_fraction:.0%})" in conclusion
    )
    assert f"Verdict: {evidence.verdict}" in conclusion
    assert "shares thalidomide's isoindoline core" in conclusion
    assert "does not carry the cereblon-binding motif" in conclusion
    sources = all_sources(notebook)
    assert percentile not in sources and tanimoto not in sources


def test_notebook_2_ranks_the_library_and_lists_the_bad_rows(executed):
    notebook = executed["02_screen_your_compounds.ipynb"]
    library = pd.read_csv(ROOT / "data" / "example_library.csv")
    screened = assess(library)
    bad = screened[screened.status == "error"]
    assert len(bad) >= 3
    (summary,) = markdown_outputs(notebook)
    for row in bad.itertuples(index=False):
        assert f"{row.name}: {row.error}" in summary
    ok = screened[screened.status == "ok"].astype({"crbn_pharmacophore": bool})
    hits = ok[ok.crbn_pharmacophore].sort_values("sim_thalidomide", ascending=False)
    assert f"{len(hits)} carry the cereblon-binding motif: {', '.join(hits.name)}." in summary
    assert "apremilast" not in set(hits.name) and "N-methylthalidomide" not in set(hits.name)
    # the shipped copy: the notebook runs wherever it is copied to
    assert 'LIBRARY = example_path("library.csv")' in all_sources(notebook)
    assert "../data" not in all_sources(notebook)


def test_notebook_3_pocket_conclusion_is_computed(executed):
    from imidchem import pocket_fit

    notebook = executed["03_the_pocket.ipynb"]
    (conclusion,) = markdown_outputs(notebook)
    apremilast = pocket_fit("apremilast", structure="5fqd")
    assert f"Apremilast scores {apremilast.pocket_score:.2f}" in conclusion
    assert apremilast.imide_rmsd is None  # its phthalimide N is substituted: no N-H imide
    assert "no N-H cyclic imide for the cage (imide RMSD: none)" in conclusion
    assert f"it makes {apremilast.pocket_hbonds} of {len(apremilast.hbonds)} canonical H-bonds" in conclusion
    assert f"{apremilast.pocket_score:.2f}" not in all_sources(notebook)


def test_notebook_4_neosubstrate_conclusion_is_computed(executed):
    from imidchem import neosubstrates

    notebook = executed["04_what_cereblon_does.ipynb"]
    (conclusion,) = markdown_outputs(notebook)
    lena = neosubstrates("lenalidomide", exclude=["lenalidomide"])
    assert "every call is 'no cereblon binding'" in conclusion
    assert f"GSPT1 '{lena.calls['GSPT1']}', IKZF1 '{lena.calls['IKZF1']}'" in conclusion
    assert f"face similarity {lena.precedents[0].similarity:.2f}" in conclusion
    assert "A compatible degron is not a degraded protein" in conclusion
    assert f"{lena.precedents[0].similarity:.2f}" not in all_sources(notebook)


def test_progress_is_a_widget_in_jupyter():
    """A screen in a notebook shows its progress as a tqdm widget (the ``progress`` extra)."""
    pytest.importorskip("tqdm")
    pytest.importorskip("ipywidgets")
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            "import imidchem\n"
            "from imidchem.data.background import background_smiles\n"
            "len(imidchem.screen(list(background_smiles()[:3000])))"
        )
    )
    NotebookClient(notebook, kernel_name="python3", timeout=120).execute()
    outputs = notebook.cells[0].outputs
    mimes = [mime for output in outputs for mime in output.get("data", {})]
    assert "application/vnd.jupyter.widget-view+json" in mimes
    assert outputs[-1]["data"]["text/plain"] == "3000"
    assert not [output for output in outputs if output.get("name") == "stderr"]
