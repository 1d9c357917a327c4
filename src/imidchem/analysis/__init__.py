"""Statistics and validation on labelled data."""
