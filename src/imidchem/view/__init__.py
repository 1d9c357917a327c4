"""Formatting and pictures: depictions, grids, plots, the report."""
