"""Molecules only: parsing, standardisation, fingerprints, patterns, similarity."""
