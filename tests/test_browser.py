"""The HTML report in a real browser: headless Debian chromium renders it, and the
screenshot shows structures, their highlights and the figures (not a blank page).

Needs ``chromium`` on the PATH (``.ci/run`` installs Debian's package); skipped otherwise.
"""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest

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


@pytest.fixture(scope="module")
def screenshot(report_files, tmp_path_factory) -> np.ndarray:
    folder = tmp_path_factory.mktemp("browser")
    png = folder / "report.png"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--hide-scrollbars", f"--user-data-dir={folder / 'profile'}", f"--screenshot={png}",
         f"--window-size={WIDTH},{HEIGHT}", report_files["html"].resolve().as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
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
