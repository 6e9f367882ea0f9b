"""The ``hypothesis`` entry point: hypothesis calls `setup` once, when it is imported.

It lives apart from `kgru_relations.strategies`, which imports hypothesis
itself: when a user imports the strategies first, hypothesis starts while that
module is half built, and an entry point naming a function inside it would not
yet find the function. Importing the module instead returns it as it stands, and
the module registers its strategies when its own import ends.
"""

from __future__ import annotations

import importlib

__all__ = ["setup"]


def setup() -> None:
    """Make ``st.from_type`` draw valid values of every model class and value type."""
    importlib.import_module("kgru_relations.strategies")
