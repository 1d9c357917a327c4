"""``python -m imidchem``: the same as the ``imidchem`` command."""

import sys

try:
    from .cli import entry_point
except KeyboardInterrupt:  # Ctrl-C while the modules load
    print("imidchem: interrupted", file=sys.stderr)
    sys.exit(130)

entry_point()
