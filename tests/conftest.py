"""Shared test setup: matplotlib never needs a screen."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
