"""Check a built docs site in a real browser: what a reader sees, page by page.

Usage: ``python .ci/check_browser.py SITE_DIR`` (the directory ``mkdocs build``
or ``properdocs build`` wrote). Serves the site on 127.0.0.1, opens every page
in headless Chromium (through playwright, with the Chromium of the system:
``/usr/bin/chromium``, or ``$CHROMIUM``) and reports:

1. any console error or uncaught exception of a page (a missing script, style
   sheet or picture is one too);
2. any picture that does not load (an ``<img>`` whose ``naturalWidth`` is 0);
3. any request that leaves 127.0.0.1 (the docs reach no network: no web fonts,
   no analytics), which is refused, so the check itself needs no network;
4. any entry of the left menu that sits half-hidden under the menu's sticky
   title (the site's ``stylesheets/extra.css`` snaps the menu to whole entries);
5. a search for ``Japarov`` (in the search box of the home page) that finds nothing.

Prints one line per problem and exits 1 if there is any, 0 if there is none, 2
on a usage error. Needs the ``playwright`` package (never ``playwright install``:
the browser is the system's).
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route, ViewportSize

__all__ = ["CHROMIUM_FLAGS", "SEARCH", "check", "main", "pages"]

#: How Chromium is started: headless, and reaching for nothing on its own.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
#: A word the search must find: a name the docs are full of.
SEARCH = "Japarov"

_VIEWPORT: ViewportSize = {"width": 1280, "height": 720}  # a laptop's screen
_TIMEOUT = 20_000  # milliseconds for a page, or the search, to answer

# Wait for every picture (lazy ones too), then name each that did not load.
_BROKEN_PICTURES = """async () => {
  const pictures = [...document.images];
  for (const picture of pictures) picture.loading = "eager";
  await Promise.all(pictures.map((picture) => picture.decode().catch(() => null)));
  return pictures
    .filter((picture) => picture.naturalWidth === 0)
    .map((picture) => picture.getAttribute("src") || "(no src)");
}"""

# The left menu's entries that straddle the lower edge of its sticky title and
# the band under it: part shown, part hidden. One pixel of slack for rounding.
_HALF_HIDDEN_ENTRIES = """() => {
  const wrap = document.querySelector(".md-sidebar--primary .md-sidebar__scrollwrap");
  const title = wrap && wrap.querySelector(".md-nav__title");
  if (!wrap || !title || getComputedStyle(title).position !== "sticky") return [];
  // The solid band a box-shadow draws under the title: its y offset plus its spread.
  const px = (getComputedStyle(title).boxShadow.match(/-?[0-9.]+px/g) || []).map(parseFloat);
  const band = px.length >= 2 ? px[1] + (px[3] || 0) : 0;
  const edge = title.getBoundingClientRect().bottom + band;
  return [...wrap.querySelectorAll(".md-nav__link")]
    .filter((link) => !title.contains(link) && link.offsetParent !== null)
    .filter((link) => {
      const box = link.getBoundingClientRect();
      return box.height > 0 && box.top < edge - 1 && box.bottom > edge + 1;
    })
    .map((link) => link.textContent.trim().replace(/\\s+/g, " "));
}"""


def pages(site: Path) -> list[str]:
    """Every page of *site*, as its path from the site's root (``""`` for the home page)."""
    found = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        found.append(relative.removesuffix("index.html"))
    return sorted(found, key=lambda page: (page != "", page))


class _Quiet(SimpleHTTPRequestHandler):
    """Serves files without writing a line for each request."""

    def log_message(self, format: str, *args: Any) -> None:
        """Write nothing."""


@contextmanager
def _served(site: Path) -> Iterator[str]:
    """The site served on 127.0.0.1, on a free port: its root's address."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _check_page(browser: Browser, root: str, page_path: str) -> list[str]:
    """The problems of one page, each starting with its path."""
    where = page_path or "(home)"
    problems: list[str] = []
    page = browser.new_page(viewport=_VIEWPORT)
    page.set_default_timeout(_TIMEOUT)

    def local_only(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            problems.append(f"{where}: reaches the network: {route.request.url}")
            route.abort()

    page.route("**/*", local_only)
    page.on(
        "console",
        lambda message: (
            problems.append(f"{where}: console error: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"{where}: uncaught error: {error}"))
    try:
        response = page.goto(root + page_path, wait_until="networkidle")
        if response is None or not response.ok:
            status = "no response" if response is None else response.status
            problems.append(f"{where}: not served ({status})")
        problems += [
            f"{where}: a picture does not load: {src}" for src in page.evaluate(_BROKEN_PICTURES)
        ]
        problems += [
            f"{where}: a menu entry is half-hidden under the menu's title: {entry!r}"
            for entry in page.evaluate(_HALF_HIDDEN_ENTRIES)
        ]
        if page_path == "":
            problems += _check_search(page)
    finally:
        page.close()
    return problems


def _check_search(page: Page) -> list[str]:
    """Type the search word into the search box: a problem if nothing is found."""
    from playwright.sync_api import Error  # noqa: PLC0415 - only where it is installed

    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially(SEARCH)  # key by key, as a reader types: the search listens to keys
    try:
        page.wait_for_selector(".md-search-result__item", timeout=_TIMEOUT)
    except Error:
        meta = page.text_content(".md-search-result__meta") or "no answer"
        return [f"(home): a search for {SEARCH!r} finds nothing ({' '.join(meta.split())})"]
    return []


def check(site: Path) -> list[str]:
    """Every problem a reader would meet on the built site in *site*."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only where it is installed

    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    problems: list[str] = []
    with _served(site.resolve()) as root, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=list(CHROMIUM_FLAGS), headless=True
        )
        try:
            for page_path in pages(site):
                problems += _check_page(browser, root, page_path)
        finally:
            browser.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    """Check the site named on the command line; print each problem; 1 if any."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: check_browser.py SITE_DIR (a built docs site)", file=sys.stderr)
        return 2
    site = Path(args[0])
    problems = check(site)
    for problem in problems:
        print(problem)
    count = len(pages(site))
    print(f"{count} pages opened, {len(problems)} problem{'s' * (len(problems) != 1)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
