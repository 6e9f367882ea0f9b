"""Hand a dataset to the field's own tools, and take theirs in.

Each module here speaks one outside model, and each says, in its docs page,
what that model cannot hold:

- [`kgru_relations.interop.ftm`][kgru_relations.interop.ftm]: FollowTheMoney
  entities, as OpenSanctions and Aleph use them;
- [`kgru_relations.interop.popolo`][kgru_relations.interop.popolo]: Popolo
  persons, organizations, posts, memberships, events and speeches;
- [`kgru_relations.interop.tables`][kgru_relations.interop.tables]: flat
  tables as CSV and Parquet, for pandas, Polars, DuckDB and Spark;
- [`kgru_relations.interop.wikidata`][kgru_relations.interop.wikidata]:
  people, offices and tenures read from Wikidata's entity JSON;
- [`kgru_relations.interop.sdmx`][kgru_relations.interop.sdmx]: economic
  series from SDMX (SDMX-ML, SDMX-JSON, SDMX-CSV), as the IMF, the World
  Bank, the OECD and Eurostat publish them.

Every import returns one
[`ImportResult`][kgru_relations.interop.importing.ImportResult] (what was made,
what was left out and why, what was adapted), made with the machinery of
[`kgru_relations.interop.importing`][kgru_relations.interop.importing]:
the place to start a new importer.

None of them imports a heavy package when it is imported: the exports write
plain Python values, and a module that needs an extra (pyarrow for Parquet,
followthemoney to check FtM output) imports it when it is called, and says
which extra to install when it is missing.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from kgru_relations.dates import PartialDate, Period

__all__ = ["MissingExtra", "dated_sides", "require"]


class MissingExtra(ModuleNotFoundError):
    """An export needs a package that is not installed; the message names the extra to install.

    A `ModuleNotFoundError`, so code that already handles missing modules
    handles this too; the command line prints its message as one line and
    exits with 2.

    Examples:
        >>> try:
        ...     require("not_installed.io", extra="example", doing="reading this")
        ... except MissingExtra as error:
        ...     print(error)
        reading this needs not_installed: pip install 'kgru-relations[example]'
    """


def require(module: str, *, extra: str, doing: str) -> ModuleType:
    """Import *module*, an optional dependency, or say which extra installs it.

    Args:
        module: The module to import (``pyarrow.parquet``).
        extra: The extra of this package that installs it (``parquet``).
        doing: What needs it, for the message (``writing Parquet``).

    Raises:
        MissingExtra: If the module's package is not installed. A module that
            is installed but fails to import for another reason raises its
            own error, unchanged.
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        package = module.partition(".")[0]
        if error.name is not None and error.name not in (package, module):
            raise  # the package is there, but something it imports is not: its own error
        message = f"{doing} needs {package}: pip install 'kgru-relations[{extra}]'"
        raise MissingExtra(message, name=package) from None


def dated_sides(period: Period) -> tuple[PartialDate | None, PartialDate | None]:
    """A period's start and end where each is a date; ``None`` for an open or unknown side.

    What an export writes as a period's dates; whether a side with no date is
    open or unknown is for the export to say in its own form.

    Examples:
        >>> from kgru_relations.dates import Period
        >>> dated_sides(Period.parse("2000-05-07/"))
        (PartialDate.parse('2000-05-07'), None)
    """
    start, end = period.start, period.end
    return (
        start if isinstance(start, PartialDate) else None,
        end if isinstance(end, PartialDate) else None,
    )
