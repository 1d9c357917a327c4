"""``python -m imidchem``: the same as the ``imidchem`` command."""

import sys

try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while the modules load
    print("imidchem: interrupted", file=sys.stderr)
    sys.exit(130)

sys.exit(main())
