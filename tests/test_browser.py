"""The HTML report in a real browser: headless Debian chromium renders it, and the
screenshot shows structures, their highlights and the figures (not a blank page).

Needs ``chromium`` on the PATH (``.ci/run`` installs Debian's package); skipped otherwise.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import partial
from pathlib import Path

import numpy as np
import pytest
from conftest import built_once

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium browser on the PATH")
image = pytest.importorskip("matplotlib.image")

WIDTH, HEIGHT = 1200, 10000
COLOURS = {  # what the report draws, as the browser paints it
    "deciding atoms (green)": "#009E72",
    "isoindoline half (orange)": "#E59E00",
    "common substructure (pink)": "#CC77A5",
    "figure bars and points (blue)": "#0072B2",
}


def _screenshot(html: Path, folder: Path) -> Path:
    png = folder / "report.png"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--hide-scrollbars", f"--user-data-dir={folder / 'profile'}", f"--screenshot={png}",
         f"--window-size={WIDTH},{HEIGHT}", html.resolve().as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return png


@pytest.fixture(scope="module")
def screenshot(report_files, tmp_path_factory) -> np.ndarray:
    """The report's screenshot, taken once per test run."""
    png = built_once(tmp_path_factory, "browser", partial(_screenshot, report_files["html"]))
    return (image.imread(png)[:, :, :3] * 255).round().astype(np.int16)


def pixels(picture: np.ndarray, colour: str, tolerance: int = 12) -> np.ndarray:
    """Mask of the pixels within ``tolerance`` of ``#RRGGBB``."""
    mask = np.ones(picture.shape[:2], dtype=bool)
    for channel, start in enumerate((1, 3, 5)):
        value = int(colour[start : start + 2], 16)
        mask &= np.abs(picture[:, :, channel] - value) <= tolerance
    return mask


def test_the_report_is_not_blank(screenshot):
    assert screenshot.shape == (HEIGHT, WIDTH, 3)
    inked = (screenshot < 200).any(axis=2)
    assert inked.mean() > 0.02  # text, tables, bonds
    rows = np.flatnonzero(inked.any(axis=1))
    assert rows.max() - rows.min() > 5000  # a long page, drawn top to bottom


def test_structures_highlights_and_figures_are_painted(screenshot):
    for what, colour in COLOURS.items():
        assert pixels(screenshot, colour).sum() > 2000, what


def test_the_mcs_picture_is_at_the_top(screenshot):
    top = screenshot[:450]
    assert pixels(top, COLOURS["common substructure (pink)"]).sum() > 1000
    assert pixels(top, COLOURS["deciding atoms (green)"]).sum() > 200


@pytest.fixture(scope="module")
def library_report(tmp_path_factory) -> tuple:
    """A report on 500 compounds (NCI background and the example library), with long
    columns of the user's own."""
    import pandas as pd

    from imidchem.data.background import background_smiles
    from imidchem.view.report import write_report

    folder = tmp_path_factory.mktemp("library500")
    example = pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "example_library.csv")
    smiles = list(background_smiles()[: 500 - len(example)]) + example["smiles"].fillna("").tolist()
    frame = pd.DataFrame({
        "name": [f"compound-{i + 1}" for i in range(len(smiles))],
        "smiles": smiles,
        "supplier_catalogue_number": [f"ACME-{i:08d}-long-identifier" for i in range(len(smiles))],
        "note": ["a free-text comment that a chemist typed into the spreadsheet"] * len(smiles),
    })  # fmt: skip
    source = folder / "library500.csv"
    frame.to_csv(source, index=False)
    return write_report(folder / "library500.html", focus=None, input=source), len(frame)


def page_width(path: Path, width: int) -> int:
    """The page's scroll width in a ``width`` px wide browser window (a copy of the page
    writes it into its title once laid out)."""
    probe = path.with_name("probe_" + path.name)
    probe.write_text(
        path.read_text(encoding="utf-8").replace(
            "</body>",
            "<script>document.title = 'W=' + document.documentElement.scrollWidth;</script></body>",
        ),
        encoding="utf-8",
    )
    run = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         f"--user-data-dir={path.parent / 'profile'}", f"--window-size={width},900", "--dump-dom",
         probe.resolve().as_uri()],
        check=True, capture_output=True, timeout=120, text=True,
    )  # fmt: skip
    return int(re.search(r"<title>W=(\d+)</title>", run.stdout).group(1))


def test_a_500_compound_report_fits_1300_px(library_report):
    path, rows = library_report
    html = path.read_text(encoding="utf-8")
    assert html.count("<td class='pic'") == rows == 500
    assert page_width(path, 1300) <= 1300  # no horizontal scrolling


def test_the_width_probe_sees_a_page_that_is_too_wide(tmp_path):
    wide = tmp_path / "wide.html"
    wide.write_text("<!DOCTYPE html><html><body><div style='width:2000px'>x</div></body></html>")
    assert page_width(wide, 1300) > 1300


def test_the_3d_view_draws_offline(tmp_path):
    """The interactive 3-D view carries its own 3Dmol.js: with the network off, the browser
    paints the ligand's orange carbons; the page names no web address for a script."""
    pytest.importorskip("py3Dmol")
    import imidchem
    from imidchem.view.interaction import view_3d

    page = view_3d(imidchem.pocket_fit("lenalidomide"))._make_html()
    assert not re.search(r"src\s*=\s*['\"]https?:|loadScriptAsync\('https?:", page)
    assert "data:text/javascript;base64," in page
    path = tmp_path / "view.html"
    path.write_text(f"<!DOCTYPE html><html><body>{page}</body></html>", encoding="utf-8")
    png = tmp_path / "view.png"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-background-networking",
         "--enable-unsafe-swiftshader", "--use-angle=swiftshader", "--hide-scrollbars",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=700,520",
         "--virtual-time-budget=5000", f"--screenshot={png}", path.resolve().as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    picture = (image.imread(png)[:, :, :3] * 255).round().astype(np.int16)
    red, green, blue = picture[:, :, 0], picture[:, :, 1], picture[:, :, 2]
    orange = (red > 180) & (green > 100) & (green < red - 40) & (blue < 90)
    assert orange.sum() > 2000  # the ligand's carbons (orangeCarbon), lit
