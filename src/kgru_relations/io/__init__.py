"""The load and save machinery, compiled once per model class from the fields' checks.

The public faces are [`kgru_relations.serialize`][kgru_relations.serialize],
[`kgru_relations.schema`][kgru_relations.schema] and
[`kgru_relations.files`][kgru_relations.files]; the modules here are their
rooms: exact JSON decoding (``_json``), the code generator (``_codegen``),
the careful path (``_careful``), the writers (``_write``), migrations
(``_migrations``). This package imports nothing else at import time.
"""

from kgru_relations.io._codegen import forget_compiled

__all__ = ["forget_compiled"]
