"""Matplotlib figures of the IMiD story: similarity bars, clustered heatmap, background
histogram and a 2-D map of fingerprint space.

Every function returns a :class:`PlotResult` ``(figure, data)``: the matplotlib Figure and
the DataFrame it plotted, so numbers can be printed and tested. A PlotResult shows itself
as SVG in Jupyter. Figures are built with matplotlib's object API (no pyplot), so they
work under any backend and never pile up in a global figure list.

Needs the ``plot`` extra (matplotlib, scipy, scikit-learn); ``method="umap"`` needs
the ``extras`` extra (umap-learn).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from rdkit import DataStructs

from .. import defaults
from ..chem.fingerprints import DEFAULT_FINGERPRINT, FINGERPRINTS, fingerprint, fingerprint_name
from ..chem.similarity import DEFAULT_REFERENCE, bulk_similarity
from ..data.background import background_fingerprints, exceedance_pvalue, percentile
from ..data.reference import load_reference, reference_fingerprints, resolve
from ..errors import InvalidArgumentError, MissingExtraError, check_choice
from .depict import SVG

try:
    import matplotlib as mpl
    from matplotlib.figure import Figure
except ImportError as _error:
    raise MissingExtraError("imidchem.plot", "plot", "matplotlib") from _error

MAP_METHODS = ("pca", "tsne", "umap")
LINKAGE_METHODS = ("average", "complete", "single", "weighted")
# Compounds of the bar chart: every drug of the reference set (IMiDs, CELMoDs, glues),
# an isoindoline-free CRBN ligand, the N-methyl control, the isoindoline half alone, the
# ring-opened hydrolysis product, and apremilast.
BAR_COMPOUNDS: tuple[str, ...] = (
    "lenalidomide",
    "pomalidomide",
    "iberdomide",
    "mezigdomide",
    "golcadomide",
    "avadomide",
    "CC-885",
    "eragidomide",
    "phenyl-glutarimide",
    "N-methylthalidomide",
    "phthalimide",
    "N-phthaloylglutamine",
    "apremilast",
)
FOCUS = defaults.FOCUS
# Okabe-Ito colours, colour-blind safe; one per fingerprint and one per map group.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
BINDER_COLOURS = {"yes": "#0072B2", "no": "#D55E00", "unknown": "#7F7F7F"}
FOCUS_COLOUR = "#D55E00"


_fp = fingerprint  # the public keyword ``fingerprint`` shadows the function inside callers


def _need(module: str, extra: str = "plot"):
    """Import an optional dependency or raise :class:`MissingExtraError` naming the extra."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise MissingExtraError(module.split(".")[0], extra, str(error)) from error


def figure_to_svg(figure: Figure) -> SVG:
    """The figure as an SVG string with real text (searchable labels) and no timestamp.

    >>> fig = Figure(figsize=(2, 2))
    >>> _ = fig.add_subplot().set_title("hello")
    >>> svg = figure_to_svg(fig)
    >>> svg.lstrip().startswith("<?xml") and ">hello<" in svg
    True
    """
    buffer = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "imidchem"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return SVG(buffer.getvalue())


class PlotResult(NamedTuple):
    """A figure and the data it plotted; unpacks as ``figure, data``."""

    figure: Figure
    data: pd.DataFrame

    def to_svg(self) -> SVG:
        """The figure as SVG text."""
        return figure_to_svg(self.figure)

    def _repr_svg_(self) -> str:
        return str(self.to_svg())

    def __repr__(self) -> str:
        titles = [self.figure.get_suptitle()] + [axis.get_title() for axis in self.figure.axes]
        title = next((t for t in titles if t), "Figure")
        rows, columns = self.data.shape
        return f"PlotResult(figure=<{title}>, data=<{rows}x{columns} DataFrame>)"


def get_axis(figure: Figure, label: str):
    """The axes of ``figure`` with the given label; each figure here names its axes
    (``bars``, ``dendrogram``, ``heatmap``, ``colourbar``, ``histogram``, ``map``).

    >>> get_axis(similarity_bars(["apremilast"]).figure, "bars").get_ylabel()
    'Tanimoto to thalidomide'
    """
    labels = [axis.get_label() for axis in figure.axes]
    for axis in figure.axes:
        if axis.get_label() == label:
            return axis
    raise InvalidArgumentError(f"no axes labelled {label!r}; available: {', '.join(labels)}")


def _names(compounds: Sequence[str] | None) -> list[str]:
    """Reference names (canonical) for ``compounds``; all reference compounds for None."""
    if compounds is None:
        return load_reference()["name"].tolist()
    compounds = list(compounds)
    if not compounds:
        raise InvalidArgumentError("the list of compounds is empty")
    return [resolve(c)[0] or c for c in compounds]


def similarity_bars(
    compounds: Sequence[str] | None = BAR_COMPOUNDS,
    reference: str = DEFAULT_REFERENCE,
    fingerprints: Sequence[str] = FINGERPRINTS,
    metric: str = "tanimoto",
    focus: str | None = FOCUS,
) -> PlotResult:
    """Grouped bar chart: each compound's similarity to ``reference`` under several fingerprints.

    The ``focus`` compound's label is drawn in bold orange.

    ``data`` has one row per compound (in the order given) and one column per fingerprint.
    Compounds are reference names, synonyms or SMILES (labelled by the SMILES).

    >>> fig, data = similarity_bars(["lenalidomide", "apremilast"], fingerprints=["morgan", "maccs"])
    >>> data.round(3)
                  morgan  maccs
    compound
    lenalidomide   0.545  0.833
    apremilast     0.128  0.462
    """
    kinds = list(dict.fromkeys(fingerprint_name(f) for f in fingerprints))  # aliases once
    if not kinds:
        raise InvalidArgumentError(f"no fingerprints given; allowed: {', '.join(FINGERPRINTS)}")
    metric = check_choice(metric, ("tanimoto", "dice"), "metric")
    names = _names(compounds)
    mols = [resolve(c)[1] for c in names]
    reference_mol = resolve(reference)[1]
    values = {
        kind: bulk_similarity(
            fingerprint(reference_mol, kind), [fingerprint(m, kind) for m in mols], metric
        )
        for kind in kinds
    }
    data = pd.DataFrame(values, index=pd.Index(names, name="compound"))

    figure = Figure(figsize=(max(6.0, 0.75 * len(names) + 2), 4.2), layout="constrained")
    axis = figure.add_subplot(label="bars")
    width = 0.8 / len(kinds)
    positions = np.arange(len(names))
    for i, kind in enumerate(kinds):
        axis.bar(
            positions + (i - (len(kinds) - 1) / 2) * width,
            data[kind].to_numpy(),
            width=width,
            label=kind,
            color=PALETTE[i % len(PALETTE)],
        )
    axis.set_xticks(positions, names, rotation=30, ha="right")
    marked = _focus_label(focus)
    for tick in axis.get_xticklabels():
        if tick.get_text() == marked:
            tick.set_color(FOCUS_COLOUR)
            tick.set_fontweight("bold")
    axis.set_ylim(0, 1.25)
    axis.set_yticks(np.linspace(0, 1, 6))
    axis.set_ylabel(f"{metric.capitalize()} to {resolve(reference)[0] or reference}")
    axis.set_title(
        f"Similarity to {resolve(reference)[0] or reference} under {len(kinds)} fingerprint"
        + ("s" if len(kinds) > 1 else "")
    )
    axis.legend(title="fingerprint", ncols=min(len(kinds), 6), fontsize="small", loc="upper center")
    axis.grid(axis="y", alpha=0.3)
    return PlotResult(figure, data)


def similarity_heatmap(
    compounds: Sequence[str] | None = None,
    fingerprint: str = DEFAULT_FINGERPRINT,  # noqa: A002 - same keyword as imidchem.similarity
    metric: str = "tanimoto",
    method: str = "average",
    focus: str | None = FOCUS,
) -> PlotResult:
    """Pairwise similarity heatmap ordered by hierarchical clustering, dendrogram on top;
    the ``focus`` compound's labels in bold orange.

    Clustering uses ``1 - similarity`` as the distance and scipy's ``linkage``. ``data``
    is the similarity matrix with rows and columns in dendrogram (leaf) order.

    >>> fig, data = similarity_heatmap(["thalidomide", "lenalidomide", "phthalimide"])
    >>> data.shape, float(data.loc["thalidomide", "thalidomide"])
    ((3, 3), 1.0)
    """
    from ..analysis.similarity import similarity_matrix

    hierarchy = _need("scipy.cluster.hierarchy")
    distance = _need("scipy.spatial.distance")
    method = check_choice(method, LINKAGE_METHODS, "linkage method")
    metric = check_choice(metric, ("tanimoto", "dice"), "metric")
    if compounds is None:
        matrix = similarity_matrix(fingerprint=fingerprint, metric=metric)
    else:
        names = _names(compounds)
        matrix = similarity_matrix(names, names=names, fingerprint=fingerprint, metric=metric)
    if len(matrix) < 2:
        raise InvalidArgumentError("a heatmap needs at least two compounds")
    condensed = distance.squareform(1.0 - matrix.to_numpy(), checks=False)
    tree = hierarchy.linkage(condensed, method=method)
    order = hierarchy.leaves_list(tree)
    data = matrix.iloc[order, order]
    data.index.name = "compound"

    n = len(data)
    size = max(5.0, 0.32 * n + 2.5)
    figure = Figure(figsize=(size + 1.0, size + 1.2), layout="constrained")
    grid = figure.add_gridspec(2, 2, height_ratios=(1, 4), width_ratios=(30, 1))
    top = figure.add_subplot(grid[0, 0], label="dendrogram")
    hierarchy.dendrogram(
        tree, ax=top, no_labels=True, color_threshold=0, above_threshold_color="#555555"
    )
    top.set_axis_off()
    axis = figure.add_subplot(grid[1, 0], label="heatmap")
    image = axis.imshow(data.to_numpy(), vmin=0, vmax=1, cmap="viridis", aspect="auto")
    labels = list(data.index)
    axis.set_xticks(range(n), labels, rotation=90, fontsize="small")
    axis.set_yticks(range(n), labels, fontsize="small")
    marked = _focus_label(focus)
    for tick in (*axis.get_xticklabels(), *axis.get_yticklabels()):
        if tick.get_text() == marked:
            tick.set_color(FOCUS_COLOUR)
            tick.set_fontweight("bold")
    colourbar = figure.add_subplot(grid[1, 1], label="colourbar")
    figure.colorbar(
        image, cax=colourbar, label=f"{metric.capitalize()} ({fingerprint_name(fingerprint)})"
    )
    figure.suptitle(f"Pairwise similarity, clustered ({method} linkage on 1 - {metric})")
    return PlotResult(figure, data)


def background_histogram(
    compound: str = FOCUS,
    references: Sequence[str] = ("thalidomide", "lenalidomide", "pomalidomide"),
    fingerprint: str = DEFAULT_FINGERPRINT,  # noqa: A002
    bins: int = 40,
    label: str | None = None,
) -> PlotResult:
    """Histogram of ``compound``'s similarity to each NCI compound, references marked.

    This is the background behind the percentile of :func:`imidchem.explain`: a marked
    reference at the 78th percentile is more similar to ``compound`` than 78 % of
    ordinary compounds are. ``data`` has one row per NCI compound
    (``group='background'``) and one per reference (``group='reference'``, with its
    ``percentile`` and empirical ``p_value``, the share of NCI compounds at least as
    similar).

    >>> fig, data = background_histogram("apremilast", ["thalidomide"])
    >>> row = data.set_index("name").loc["thalidomide"]
    >>> round(float(row.similarity), 3), round(float(row.percentile), 1)
    (0.128, 78.0)
    """
    if bins < 1:
        raise InvalidArgumentError(f"bins must be a positive number, got {bins}")
    kind = fingerprint_name(fingerprint)
    compound_name = label or resolve(compound)[0] or compound
    query_fp = _fp(resolve(compound)[1], kind)
    background = np.array(
        DataStructs.BulkTanimotoSimilarity(query_fp, background_fingerprints(kind))
    )
    ordered = sorted(background)
    names = _names(references)
    marked = [DataStructs.TanimotoSimilarity(query_fp, _fp(resolve(r)[1], kind)) for r in names]
    data = pd.concat(
        [
            pd.DataFrame(
                {
                    "name": [f"NCI {i}" for i in range(len(background))],
                    "group": "background",
                    "similarity": background,
                    "percentile": np.nan,
                    "p_value": np.nan,
                }
            ),
            pd.DataFrame(
                {
                    "name": names,
                    "group": "reference",
                    "similarity": marked,
                    "percentile": [percentile(v, ordered) for v in marked],
                    "p_value": [exceedance_pvalue(v, ordered) for v in marked],
                }
            ),
        ],
        ignore_index=True,
    )

    figure = Figure(figsize=(7, 3.8), layout="constrained")
    axis = figure.add_subplot(label="histogram")
    marks = data[data.group == "reference"]
    upper = min(1.0, max(background.max(initial=0), marks.similarity.max()) + 0.05)
    axis.hist(background, bins=bins, range=(0, upper), color="#BBBBBB", edgecolor="white")
    for i, row in enumerate(marks.itertuples(index=False)):
        axis.axvline(
            row.similarity,
            color=PALETTE[i % len(PALETTE)],
            linewidth=2,
            label=f"{row.name}: {row.similarity:.2f} ({row.percentile:.0f}th percentile)",
        )
    axis.set_xlim(0, upper)
    axis.set_xlabel(f"Tanimoto to {compound_name} ({kind})")
    axis.set_ylabel(f"NCI compounds (n={len(background)})")
    axis.set_title(f"Is a reference closer to {compound_name} than ordinary compounds are?")
    axis.legend(fontsize="small")
    return PlotResult(figure, data)


def _bits(fps: Sequence) -> np.ndarray:
    """Fingerprints as a 0/1 uint8 matrix, one row per fingerprint."""
    matrix = np.zeros((len(fps), fps[0].GetNumBits()), dtype=np.uint8)
    for row, fp in zip(matrix, fps, strict=True):
        DataStructs.ConvertToNumpyArray(fp, row)
    return matrix


def _tanimoto_distances(fps: Sequence) -> np.ndarray:
    return 1.0 - np.array([DataStructs.BulkTanimotoSimilarity(fp, fps) for fp in fps])


def map_coordinates(
    fps: Sequence, method: str = "pca", random_state: int = 0, perplexity: float = 30.0
) -> np.ndarray:
    """2-D coordinates of fingerprints: PCA of the bits, or t-SNE / UMAP on Tanimoto distance.

    >>> from imidchem.data.reference import reference_fingerprints
    >>> fps = reference_fingerprints()[1]
    >>> map_coordinates(fps).shape == (len(fps), 2)
    True
    """
    method = check_choice(method, MAP_METHODS, "map method")
    if len(fps) < 3:
        raise InvalidArgumentError(f"a map needs at least 3 molecules, got {len(fps)}")
    if method == "pca":
        decomposition = _need("sklearn.decomposition")
        return decomposition.PCA(n_components=2, random_state=random_state).fit_transform(
            _bits(fps).astype(float)
        )
    distances = _tanimoto_distances(fps)
    if method == "tsne":
        manifold = _need("sklearn.manifold")
        tsne = manifold.TSNE(
            n_components=2,
            metric="precomputed",
            init="random",
            perplexity=min(perplexity, (len(fps) - 1) / 3),
            random_state=random_state,
        )
        # One OpenMP thread: for a few hundred points more threads only spin (measured on
        # a busy 2-core machine: 13 s of CPU with two threads, 1.5 s with one).
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            return tsne.fit_transform(distances)
    umap = _need("umap", extra="extras")
    return umap.UMAP(metric="precomputed", random_state=random_state).fit_transform(distances)


def fingerprint_map(
    method: str = "pca",
    fingerprint: str = DEFAULT_FINGERPRINT,  # noqa: A002
    background_size: int | None = None,
    label: Sequence[str] = ("thalidomide",),
    random_state: int = 0,
    focus: str | None = FOCUS,
) -> PlotResult:
    """2-D map of fingerprint space: the reference set over the NCI background, the
    ``focus`` compound as a labelled star (added to the map when it is not a reference).

    ``method`` is ``pca`` (fast, the default), ``tsne`` (on Tanimoto distances) or
    ``umap`` (needs the ``extras`` extra). ``background_size`` draws a random sample of
    the 5,000 NCI compounds (seeded by ``random_state``); None keeps them all for PCA and
    1,000 for t-SNE and UMAP. ``data`` has one row per plotted molecule: ``name``,
    ``group`` (``reference`` or ``background``), ``class``, ``crbn_binder``, ``x``, ``y``.

    >>> fig, data = fingerprint_map(background_size=300)
    >>> counts = data.group.value_counts()
    >>> int(counts["background"]), int(counts["reference"]) == len(load_reference())
    (300, True)
    """
    method = check_choice(method, MAP_METHODS, "map method")
    kind = fingerprint_name(fingerprint)
    marked = _focus_label(focus)
    data = _map_data(method, kind, background_size, random_state, focus, marked)
    figure = Figure(figsize=(7.5, 6), layout="constrained")
    axis = figure.add_subplot(label="map")
    _draw_map_points(axis, data, marked)
    wanted = [resolve(name)[0] or name for name in label] + ([marked] if marked else [])
    _label_map_points(axis, data[data.group != "background"], wanted, marked)
    titles = {
        "pca": "PCA of fingerprint bits",
        "tsne": "t-SNE on Tanimoto distance",
        "umap": "UMAP on Tanimoto distance",
    }
    axis.set_title(f"Fingerprint space ({kind}): {titles[method]}")
    axis.set_xlabel(f"{method.upper()} 1")
    axis.set_ylabel(f"{method.upper()} 2")
    axis.legend(fontsize="small", loc="best")
    return PlotResult(figure, data)


def _map_data(
    method: str,
    kind: str,
    background_size: int | None,
    random_state: int,
    focus: str | None,
    marked: str | None,
) -> pd.DataFrame:
    """The map's points (the data of :func:`fingerprint_map`): the reference set, a seeded
    sample of the NCI background, and the focus compound when it is not a reference."""
    names, reference_fps = reference_fingerprints(kind)
    background = background_fingerprints(kind)
    if background_size is None:
        background_size = len(background) if method == "pca" else 1000
    if not 0 <= background_size <= len(background):
        raise InvalidArgumentError(
            f"background_size must be between 0 and {len(background)}, got {background_size}"
        )
    rng = np.random.default_rng(random_state)
    chosen = np.sort(rng.choice(len(background), size=background_size, replace=False))
    extra = [] if marked is None or marked in names else [marked]
    fps = list(reference_fps) + [background[i] for i in chosen]
    fps += [_fp(resolve(focus)[1], kind) for _ in extra]
    xy = map_coordinates(fps, method, random_state=random_state)
    reference = load_reference().set_index("name")
    return pd.DataFrame(
        {
            "name": list(names) + [f"NCI {i}" for i in chosen] + extra,
            "group": ["reference"] * len(names) + ["background"] * len(chosen)
            + ["focus"] * len(extra),
            "class": [reference.loc[n, "class"] for n in names] + [""] * (len(chosen) + len(extra)),
            "crbn_binder": [reference.loc[n, "crbn_binder"] for n in names]
            + [""] * (len(chosen) + len(extra)),
            "x": xy[:, 0],
            "y": xy[:, 1],
        }
    )


def _draw_map_points(axis, data: pd.DataFrame, marked: str | None) -> None:
    """The background in grey, the references coloured by CRBN-binder label, the focus
    compound as a star."""
    back = data[data.group == "background"]
    axis.scatter(
        back.x,
        back.y,
        s=6,
        color="#CCCCCC",
        label=f"NCI background (n={len(back)})",
        rasterized=True,
    )
    refs = data[data.group == "reference"]
    for value, colour in BINDER_COLOURS.items():
        part = refs[(refs.crbn_binder == value) & (refs.name != marked)]
        if len(part):
            axis.scatter(
                part.x,
                part.y,
                s=40,
                color=colour,
                edgecolor="black",
                linewidth=0.5,
                label=f"reference, CRBN binder: {value}",
            )
    star = data[(data.group != "background") & (data.name == marked)]
    if len(star):
        axis.scatter(
            star.x,
            star.y,
            s=220,
            marker="*",
            color=FOCUS_COLOUR,
            edgecolor="black",
            linewidth=0.8,
            label=_short(marked),
            zorder=5,
        )


def _label_map_points(axis, shown: pd.DataFrame, wanted: list[str], marked: str | None) -> None:
    """Names beside the ``wanted`` points (the focus compound in bold, in its colour)."""
    for name in dict.fromkeys(wanted):
        for item in shown[shown.name == name].itertuples(index=False):
            axis.annotate(
                _short(item.name),
                (item.x, item.y),
                xytext=(6, 6),
                textcoords="offset points",
                fontsize="small",
                fontweight="bold" if item.name == marked else "normal",
                color=FOCUS_COLOUR if item.name == marked else "black",
            )


def _focus_label(focus: str | None) -> str | None:
    """The label a focus compound has on the figures: its reference name, else as given."""
    if focus is None:
        return None
    return resolve(focus)[0] or focus


def _short(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 3] + "..."


def report_figures(
    focus: str = FOCUS, map_method: str = "pca", label: str | None = None
) -> list[tuple[str, PlotResult]]:
    """The report's figures with their titles: bar chart (with ``focus`` added if it is
    not among the compounds), clustered heatmap, ``focus``'s background histogram, map;
    ``focus`` is marked on each and named ``label`` (default: its reference name, else as
    given).

    >>> [title for title, _ in report_figures("iberdomide")][2]
    'Similarity of iberdomide to the IMiDs among 5,000 NCI compounds'
    """
    name = label or _focus_label(focus)
    compounds = list(BAR_COMPOUNDS) + ([] if name in BAR_COMPOUNDS else [focus])
    return [
        (
            f"Similarity to thalidomide under several fingerprints ({_short(name)} marked)",
            similarity_bars(compounds, focus=focus),
        ),
        ("Pairwise similarity of the reference set, clustered", similarity_heatmap(focus=focus)),
        (
            f"Similarity of {_short(name)} to the IMiDs among 5,000 NCI compounds",
            background_histogram(focus, label=name),
        ),
        (
            f"Fingerprint space: reference set over the NCI background ({_short(name)} starred)",
            fingerprint_map(map_method, focus=focus),
        ),
    ]


def library_histogram(frame: pd.DataFrame, title: str = "your compounds") -> PlotResult:
    """Histogram of a screened frame's ``sim_thalidomide`` by cereblon level (stacked),
    over the NCI background's similarity to thalidomide (grey, scaled to the same count).

    ``data`` has one row per level and bin: ``level``, ``low``, ``high``, ``count``.

    >>> import imidchem
    >>> fig, data = library_histogram(imidchem.assess())
    >>> int(data["count"].sum()) == len(imidchem.load_reference())
    True
    """
    from ..evidence.call import LEVELS

    ok = frame[frame["status"] == "ok"]
    edges = np.linspace(0, 1, 41)
    names, thalidomide = reference_fingerprints(DEFAULT_FINGERPRINT)
    background = np.array(
        DataStructs.BulkTanimotoSimilarity(
            thalidomide[names.index("thalidomide")], background_fingerprints(DEFAULT_FINGERPRINT)
        )
    )
    rows = []
    figure = Figure(figsize=(7, 3.8), layout="constrained")
    axis = figure.add_subplot(label="histogram")
    scale = max(len(ok), 1) / len(background)
    counts, _ = np.histogram(background, bins=edges)
    axis.stairs(counts * scale, edges, color="#999999", fill=True, alpha=0.35,
                label=f"NCI background (n={len(background):,}, scaled)")  # fmt: skip
    bottom = np.zeros(len(edges) - 1)
    colours = {1: "#009E73", 2: "#0072B2", 3: "#E69F00", 4: "#999999"}
    for level, item in LEVELS.items():
        name = item.name
        values = ok.loc[ok["crbn_level"] == level, "sim_thalidomide"].astype(float)
        counts, _ = np.histogram(values, bins=edges)
        rows += [
            {"level": level, "low": lo, "high": hi, "count": int(c)}
            for lo, hi, c in zip(edges[:-1], edges[1:], counts, strict=True)
        ]
        if counts.sum():
            axis.bar(edges[:-1], counts, width=np.diff(edges), bottom=bottom, align="edge",
                     color=colours.get(level, "#555555"), edgecolor="white", linewidth=0.5,
                     label=f"level {level}, {name} ({int(counts.sum())})")  # fmt: skip
            bottom += counts
    axis.set_xlim(0, 1)
    axis.set_xlabel("Tanimoto to thalidomide (Morgan radius 2, 2048 bits)")
    axis.set_ylabel("compounds")
    axis.set_title(f"Similarity to thalidomide of {title}, by cereblon level")
    axis.legend(fontsize="small")
    return PlotResult(figure, pd.DataFrame(rows, columns=["level", "low", "high", "count"]))
