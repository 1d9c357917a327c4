"""What imidchem concludes, as data: evidence records and the cereblon call."""
