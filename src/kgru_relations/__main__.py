"""``python -m kgru_relations``: the same as the ``kgru-relations`` command."""

import sys

from kgru_relations.cli import main

if __name__ == "__main__":
    sys.exit(main())
