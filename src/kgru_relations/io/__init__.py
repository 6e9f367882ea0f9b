"""The load and save machinery, compiled once per model class from the fields' checks.

The public faces are [`kgru_relations.serialize`][kgru_relations.serialize],
[`kgru_relations.schema`][kgru_relations.schema] and
[`kgru_relations.files`][kgru_relations.files]; the modules here are their
rooms: exact JSON decoding (``_json``), the careful path (``_careful``), the
fast path (``_fast``), the writers (``_write``), the configured converter
(``_convert``), JSON Lines (``_jsonl``) and migrations (``_migrations``).
Every function they generate is compiled by ``kgru_relations._codegen``,
which the dataset's checks and the model's constructors use too. This
package imports nothing else at import time.
"""

from kgru_relations._codegen import forget_compiled

__all__ = ["forget_compiled"]
