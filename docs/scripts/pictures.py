"""Draw the pictures the docs show, from the embedded dataset, each time the docs are built.

A MkDocs hook (``hooks:`` in ``mkdocs.yml``, read by MkDocs and ProperDocs
alike): the pictures join the site as generated files and are never written
into ``docs/``, so a picture cannot go stale. The test suite calls
[`pictures`][] too (``tests/test_plot.py``), so a picture that cannot be drawn
fails the tests as well as the build. Nothing here reaches the network.
"""

from __future__ import annotations

import datetime
import importlib
from typing import Any

from kgru_relations import load_default
from kgru_relations.plot import plot_series, plot_tenures, render

#: The first day the docs' picture of offices shows: the years the article covers.
OFFICES_FROM = datetime.date(2020, 1, 1)


def pictures() -> dict[str, bytes]:
    """Each picture the docs show, as SVG, by its path in the site."""
    data = load_default()
    trade = plot_series(data, "indicator:trade-turnover", "KG", "RU")
    offices = plot_tenures(data, start=OFFICES_FROM)
    return {
        "images/trade-turnover.svg": render(trade, "svg"),
        "images/offices.svg": render(offices, "svg"),
    }


def on_files(files: Any, config: Any) -> Any:
    """Add the pictures to the site's files (MkDocs' ``on_files`` event)."""
    # The File class of whichever tool is building: MkDocs' or ProperDocs'.
    file_class = importlib.import_module(type(files).__module__).File
    for path, content in pictures().items():
        files.append(file_class.generated(config, path, content=content))
    return files
