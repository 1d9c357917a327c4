"""Package data and its loaders: the curated reference set and the NCI background."""
