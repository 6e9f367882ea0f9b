"""The configured cattrs converter: the careful readers and the writers of every model type."""

from __future__ import annotations

from typing import Any

import cattrs

from kgru_relations._codegen import compiled
from kgru_relations.io._careful import register_readers
from kgru_relations.io._write import register_writers

__all__ = ["configure_converter", "converter", "make_converter"]


def configure_converter(converter: cattrs.Converter) -> None:
    """Configure *converter* for kgru_relations' model, as cattrs' preconf modules do.

    Values structure strictly (text must be text, ``"5"`` is not an integer,
    amounts are decimal strings), unknown keys are errors, and every problem
    in a record is reported as a [`ValidationError`][kgru_relations.ValidationError]
    issue with its path. Unstructured records leave out fields at their defaults.
    Each value is read by its field's check (the model's one rule for it).
    """
    register_readers(converter)
    register_writers(converter)


def make_converter(**kwargs: Any) -> cattrs.Converter:
    """Return a new cattrs converter configured for the model (never the global one).

    Args:
        **kwargs: Passed to ``cattrs.Converter``.
    """
    converter = cattrs.Converter(**kwargs)
    configure_converter(converter)
    return converter


@compiled
def converter() -> cattrs.Converter:
    """The converter the library itself uses, made once."""
    return make_converter()
