"""The ``kgru-relations`` command (also ``python -m kgru_relations``).

Every subcommand but ``validate``, ``schema`` and ``import`` reads the embedded
Kyrgyzstan–Russia dataset unless given a data file as its last argument,
``FILE`` (``-`` reads standard input). It prints aligned tables for people
(``--format text``, the default) or JSON for programs (``--format json``), and
never shows a Python traceback: problems with a file are listed with their paths.

Text fits the terminal: tables and help are as wide as the ``COLUMNS`` environment
variable says, else as the terminal the output goes to, else
[`DEFAULT_WIDTH`][kgru_relations.cli.DEFAULT_WIDTH] columns (a pipe or a file),
wrapped at spaces only, so an id is never broken.

The day a summary describes, and the day ``check`` and ``agreements`` judge expiry
and force on, is by default the dataset's
[`latest_date`][kgru_relations.dataset.Dataset.latest_date], or today for a dataset
with no dated fact: the same day for every subcommand, as ``Dataset.check()`` uses.

Files: ``FILE`` and ``export --output`` take ``-`` for standard input and output
(``/dev/stdin`` and ``/dev/stdout`` too). A data file is read only if it is a
regular file or a pipe, and at most 1 GiB of it; a silent pipe is given up on
after a minute. ``--output`` replaces only a regular file, atomically.

Exit codes: 0 success; 1 a file is not valid (and ``find`` matched nothing, an
import imported nothing); 2 a usage or I/O problem (a bad option or date, an id or
code that names nothing, a file missing, unreadable, too large or not a regular
file, an output that cannot be written). Only this package prints.
"""

from kgru_relations.cli._app import main
from kgru_relations.cli._output import DEFAULT_WIDTH

__all__ = ["DEFAULT_WIDTH", "main"]
