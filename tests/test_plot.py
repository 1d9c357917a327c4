"""Figures of imidchem.plot: each one's data is checked against RDKit/scipy/sklearn
computed here independently, and the figure is checked to show exactly that data."""

from __future__ import annotations

import base64
import re
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from rdkit import Chem, DataStructs
from rdkit.Chem import MACCSkeys, rdFingerprintGenerator

from imidchem.data.background import background_fingerprints
from imidchem.data.reference import load_reference
from imidchem.errors import ImidchemError, InvalidArgumentError
from imidchem.evidence.verdict import explain
from imidchem.view import report

plot = pytest.importorskip("imidchem.view.plot")
hierarchy = pytest.importorskip("scipy.cluster.hierarchy")
PCA = pytest.importorskip("sklearn.decomposition").PCA

REFERENCE = load_reference().set_index("name")
NAMES = list(REFERENCE.index)


def smiles(name: str) -> str:
    return REFERENCE.loc[name, "smiles"]


def morgan(smi: str):
    generator = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)
    return generator.GetFingerprint(Chem.MolFromSmiles(smi))


def tick_texts(labels) -> list[str]:
    return [label.get_text() for label in labels]


# --- bar chart ---------------------------------------------------------------


def test_bars_values_match_rdkit_and_the_bars_drawn():
    compounds = ["lenalidomide", "avadomide", "apremilast"]
    fig, data = plot.similarity_bars(compounds, fingerprints=["morgan", "maccs", "ecfp4"])
    assert list(data.index) == compounds
    assert list(data.columns) == ["morgan", "maccs"]  # the alias ecfp4 is morgan: drawn once
    thalidomide = Chem.MolFromSmiles(smiles("thalidomide"))
    for name in compounds:
        mol = Chem.MolFromSmiles(smiles(name))
        expected_morgan = DataStructs.TanimotoSimilarity(
            morgan(smiles(name)), morgan(smiles("thalidomide"))
        )
        expected_maccs = DataStructs.TanimotoSimilarity(
            MACCSkeys.GenMACCSKeys(mol), MACCSkeys.GenMACCSKeys(thalidomide)
        )
        assert data.loc[name, "morgan"] == pytest.approx(expected_morgan)
        assert data.loc[name, "maccs"] == pytest.approx(expected_maccs)
    assert data.loc["apremilast", "morgan"] == pytest.approx(0.128, abs=1e-3)

    axis = plot.get_axis(fig, "bars")
    assert [c.get_label() for c in axis.containers] == ["morgan", "maccs"]
    for column, container in enumerate(axis.containers):
        heights = [bar.get_height() for bar in container]
        assert heights == pytest.approx(data.iloc[:, column].tolist())
    assert tick_texts(axis.get_xticklabels()) == compounds
    # bars of one compound sit together, in fingerprint order, around its tick
    centres = [[bar.get_x() + bar.get_width() / 2 for bar in c] for c in axis.containers]
    for i, tick in enumerate(axis.get_xticks()):
        xs = [centres[j][i] for j in range(2)]
        assert xs == sorted(xs) and np.mean(xs) == pytest.approx(tick)


def test_bars_default_set_and_dice_metric():
    fig, data = plot.similarity_bars(metric="dice", fingerprints=["morgan"])
    assert list(data.index) == list(plot.BAR_COMPOUNDS)
    tanimoto = DataStructs.TanimotoSimilarity(
        morgan(smiles("apremilast")), morgan(smiles("thalidomide"))
    )
    assert data.loc["apremilast", "morgan"] == pytest.approx(2 * tanimoto / (1 + tanimoto))
    assert "Dice" in plot.get_axis(fig, "bars").get_ylabel()


def test_bars_accept_smiles_and_reject_bad_arguments():
    _, data = plot.similarity_bars(["CC(=O)Oc1ccccc1C(=O)O"], fingerprints=["morgan"])
    assert data.index[0] == "CC(=O)Oc1ccccc1C(=O)O"
    with pytest.raises(InvalidArgumentError, match="allowed: morgan"):
        plot.similarity_bars(["apremilast"], fingerprints=["ecfp6"])
    with pytest.raises(InvalidArgumentError, match="allowed: tanimoto, dice"):
        plot.similarity_bars(["apremilast"], metric="tversky")
    with pytest.raises(InvalidArgumentError, match="empty"):
        plot.similarity_bars([])
    with pytest.raises(ImidchemError, match="neither a reference compound name nor a valid SMILES"):
        plot.similarity_bars(["C1CC"])


# --- heatmap -----------------------------------------------------------------


def independent_matrix(names: list[str]) -> np.ndarray:
    fps = [morgan(smiles(n)) for n in names]
    return np.array([DataStructs.BulkTanimotoSimilarity(fp, fps) for fp in fps])


def test_heatmap_of_reference_set_has_shape_order_and_labels():
    fig, data = plot.similarity_heatmap()
    n = len(NAMES)
    assert data.shape == (n, n)
    matrix = independent_matrix(NAMES)
    condensed = matrix[np.triu_indices(n, k=1)]
    order = hierarchy.leaves_list(hierarchy.linkage(1 - condensed, method="average"))
    expected = [NAMES[i] for i in order]
    assert list(data.index) == expected and list(data.columns) == expected
    assert data.to_numpy() == pytest.approx(matrix[np.ix_(order, order)])
    assert np.diag(data.to_numpy()) == pytest.approx(np.ones(n))

    axis = plot.get_axis(fig, "heatmap")
    assert tick_texts(axis.get_xticklabels()) == expected
    assert tick_texts(axis.get_yticklabels()) == expected
    image = axis.get_images()[0]
    assert np.asarray(image.get_array()) == pytest.approx(data.to_numpy())
    assert image.get_clim() == (0, 1)
    dendrogram = plot.get_axis(fig, "dendrogram")
    assert len(dendrogram.collections[0].get_paths()) == n - 1  # one link per merge
    # the IMiD stereo-isomers are identical in this fingerprint and end up side by side
    positions = [expected.index(x) for x in ("thalidomide", "(S)-thalidomide", "(R)-thalidomide")]
    assert max(positions) - min(positions) == 2


def test_heatmap_of_chosen_compounds_and_bad_arguments():
    names = ["apremilast", "thalidomide", "lenalidomide", "phthalimide"]
    _, data = plot.similarity_heatmap(names, method="complete")
    assert sorted(data.index) == sorted(names)
    assert data.loc["lenalidomide", "thalidomide"] == pytest.approx(0.545, abs=1e-3)
    with pytest.raises(InvalidArgumentError, match="allowed: average, complete, single, weighted"):
        plot.similarity_heatmap(names, method="ward")
    with pytest.raises(InvalidArgumentError, match="at least two"):
        plot.similarity_heatmap(["thalidomide"])


# --- background histogram ----------------------------------------------------


def test_background_histogram_matches_explain_and_rdkit():
    fig, data = plot.background_histogram("apremilast", ["thalidomide", "lenalidomide"])
    background = data[data.group == "background"]
    fps = background_fingerprints("morgan")
    assert len(background) == len(fps) > 4900
    query = morgan(smiles("apremilast"))
    expected = DataStructs.BulkTanimotoSimilarity(query, list(fps))
    assert background.similarity.to_numpy() == pytest.approx(np.array(expected))

    marks = data[data.group == "reference"].set_index("name")
    assert list(marks.index) == ["thalidomide", "lenalidomide"]
    evidence = explain("apremilast")
    assert marks.loc["thalidomide", "similarity"] == pytest.approx(evidence.sim_thalidomide)
    assert marks.loc["thalidomide", "percentile"] == pytest.approx(evidence.background_percentile)
    at_least = sum(v >= marks.loc["thalidomide", "similarity"] for v in expected)
    assert marks.loc["thalidomide", "p_value"] == pytest.approx((at_least + 1) / (len(fps) + 1))

    axis = plot.get_axis(fig, "histogram")
    assert sum(patch.get_height() for patch in axis.patches) == len(fps)
    lines = [line.get_xdata()[0] for line in axis.get_lines()]
    assert lines == pytest.approx(marks.similarity.tolist())
    legend = [text.get_text() for text in axis.get_legend().get_texts()]
    assert legend[0].startswith("thalidomide: 0.13 (78th")


def test_background_histogram_rejects_bad_bins():
    with pytest.raises(InvalidArgumentError, match="bins"):
        plot.background_histogram(bins=0)


# --- fingerprint map ---------------------------------------------------------


def binder_distances(data: pd.DataFrame) -> tuple[float, pd.Series]:
    refs = data[data.group == "reference"].set_index("name")
    binders = refs[refs.crbn_binder == "yes"]
    centre = binders[["x", "y"]].mean()
    distance = np.hypot(refs.x - centre.x, refs.y - centre.y)
    return distance["apremilast"], distance[binders.index]


def test_pca_map_places_each_compound_like_sklearn():
    fig, data = plot.fingerprint_map("pca", background_size=400, random_state=3)
    assert list(data.columns) == ["name", "group", "class", "crbn_binder", "x", "y"]
    refs = data[data.group == "reference"]
    assert refs.name.tolist() == NAMES
    assert (data.group == "background").sum() == 400
    assert data[["x", "y"]].notna().all().all()

    chosen = np.sort(
        np.random.default_rng(3).choice(len(background_fingerprints()), 400, replace=False)
    )
    fps = [morgan(smiles(n)) for n in NAMES] + [background_fingerprints()[i] for i in chosen]
    bits = np.array([list(fp) for fp in fps], dtype=float)
    expected = PCA(n_components=2, random_state=3).fit_transform(bits)
    got = data[["x", "y"]].to_numpy()
    for column in range(2):  # a principal axis is defined up to its sign
        sign = np.sign(expected[0, column] * got[0, column]) or 1.0
        assert got[:, column] == pytest.approx(sign * expected[:, column], abs=1e-6)
    assert data.name.iloc[len(NAMES) :].tolist() == [f"NCI {i}" for i in chosen]

    axis = plot.get_axis(fig, "map")
    offsets = np.vstack([c.get_offsets() for c in axis.collections])
    assert len(offsets) == len(data)
    star = [c for c in axis.collections if c.get_label() == "apremilast"][0]
    apremilast = refs.set_index("name").loc["apremilast"]
    assert list(np.asarray(star.get_offsets())[0]) == pytest.approx([apremilast.x, apremilast.y])
    annotated = {text.get_text() for text in axis.texts}
    assert annotated == {"thalidomide", "apremilast"}

    apremilast_distance, binders = binder_distances(data)
    assert apremilast_distance > binders.max()


def test_tsne_map_puts_apremilast_outside_the_binder_cluster():
    _, data = plot.fingerprint_map("tsne", background_size=150)
    assert len(data) == len(NAMES) + 150
    apremilast_distance, binders = binder_distances(data)
    assert apremilast_distance > binders.max()


def test_map_bad_arguments_and_optional_umap():
    with pytest.raises(InvalidArgumentError, match="allowed: pca, tsne, umap"):
        plot.fingerprint_map("mds")
    with pytest.raises(InvalidArgumentError, match="background_size"):
        plot.fingerprint_map(background_size=10**6)
    try:
        import umap  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match=r"imidchem\[extras\]"):
            plot.fingerprint_map("umap", background_size=50)


# --- SVG output --------------------------------------------------------------


def test_plot_result_shows_itself_as_svg_with_real_text():
    result = plot.similarity_bars(["apremilast"], fingerprints=["morgan"])
    figure, data = result  # unpacks like a tuple
    svg = result._repr_svg_()
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    assert ">apremilast<" in svg and "Similarity to thalidomide" in svg
    assert "<dc:date>" not in svg
    assert plot.figure_to_svg(figure) == svg  # deterministic
    assert repr(result) == (
        "PlotResult(figure=<Similarity to thalidomide under 1 fingerprint>, data=<1x1 DataFrame>)"
    )


# --- the report gets the same figures ----------------------------------------


@pytest.fixture(scope="module")
def sections():
    return report.report_sections("lenalidomide")


def decoded_figures(text: str) -> list[ET.Element]:
    uris = re.findall(r"data:image/svg\+xml;charset=utf-8;base64,([A-Za-z0-9+/=]+)", text)
    return [ET.fromstring(base64.b64decode(uri)) for uri in uris]


def test_report_figures_follow_the_focus():
    figures = plot.report_figures("EM-12")
    titles = [title for title, _ in figures]
    assert titles[2] == "Similarity of EM-12 to the IMiDs among 5,000 NCI compounds"
    bars, heat, hist, mapped = (result for _, result in figures)
    assert list(bars.data.index) == [*plot.BAR_COMPOUNDS, "EM-12"]
    assert heat.data.shape == (len(NAMES), len(NAMES))
    marks = hist.data[hist.data.group == "reference"]
    expected = DataStructs.TanimotoSimilarity(
        morgan(smiles("EM-12")), morgan(smiles("thalidomide"))
    )
    assert marks.set_index("name").loc["thalidomide", "similarity"] == pytest.approx(expected)
    assert mapped.data.group.value_counts()["reference"] == len(NAMES)


def test_report_embeds_the_four_figures_as_svg(sections):
    figures_section = next(s for s in sections.sections if s.id == "figures")
    html = report.render_html(sections)
    figures = decoded_figures(figures_section.html)
    assert len(figures) == 4 and all(f.tag == "{http://www.w3.org/2000/svg}svg" for f in figures)
    heatmap_text = {t.text for t in figures[1].iter("{http://www.w3.org/2000/svg}text")}
    assert set(NAMES) <= heatmap_text  # every compound labelled in the heatmap
    assert html.index("<h2>Figures</h2>") < html.index("<h2>Structures</h2>")
    assert "Similarity of lenalidomide to the IMiDs" in html
    text, files = report.render_markdown(sections, folder="out_files")
    named = re.findall(r"!\[([^\]]*)\]\(out_files/(figure_[^)]+)\)", text)
    assert [title.split()[0] for title, _ in named] == ["Similarity", "Pairwise", "Similarity",
                                                        "Fingerprint"]  # fmt: skip
    for _, name in named:
        assert ET.fromstring(files[name].encode()).tag.endswith("svg")


def test_report_without_matplotlib_says_how_to_get_the_figures(monkeypatch, sections):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.delitem(sys.modules, "imidchem.view.plot")
    missing = report.figures(sections.context)
    assert missing.html == (
        "<p>Figures skipped: imidchem.plot needs the optional extra &#x27;plot&#x27; "
        "(matplotlib): pip install &quot;imidchem[plot]&quot;</p>"
    )
    assert decoded_figures(missing.html) == []
    assert "Figures skipped" in "\n".join(missing.markdown(report.MarkdownImages("x")))
