"""``python -m imidchem``: the same as the ``imidchem`` command."""

import sys

from .cli import main

sys.exit(main())
