"""Browser fixtures: Playwright driving Debian's Chromium, and local servers for built sites.

`playwright install` cannot download browsers here, so we launch the system Chromium via
``executable_path``. In CI (``CI=true``) a missing Chromium is an error; locally the
browser tests skip with a loud reason instead.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import pytest

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def find_chromium() -> str | None:
    """The system Chromium: ``$CHROMIUM`` if set, else the first of the usual names on PATH."""
    candidates = [os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"]
    for candidate in filter(None, candidates):
        found = shutil.which(candidate)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    executable = find_chromium()
    if executable is None:
        message = "no Chromium found (install Debian's `chromium` or set $CHROMIUM): browser tests cannot run"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip("SKIPPED BROWSER TESTS: " + message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@dataclass
class RequestLog:
    """Every request a page made, split by whether it stayed on the local server."""

    allowed_origins: set[str]
    local: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def record(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about", "file"} or f"{parts.scheme}://{parts.netloc}" in self.allowed_origins:
            self.local.append(url)
        else:
            self.outside.append(url)


@pytest.fixture
def browser_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Factory: a fresh page (own context) that records and BLOCKS every request leaving the local server.

    ``page, requests = browser_page(origin)``; after the test, ``requests.outside`` must be empty.
    Pass ``origin=None`` for file:// pages (then every http(s) request counts as outside).
    """
    contexts: list[Any] = []

    def _open(origin: str | None = None, **context_options: Any) -> tuple[Any, RequestLog]:
        context = browser.new_context(accept_downloads=True, **context_options)
        contexts.append(context)
        log = RequestLog(allowed_origins={origin} if origin else set())

        def _route(route: Any) -> None:
            log.record(route.request.url)
            if route.request.url in log.outside:
                route.abort()
            else:
                route.continue_()

        context.route("**/*", _route)
        return context.new_page(), log

    yield _open
    for context in contexts:
        context.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from the stdlib
        """Keep test output clean: the request log is asserted on, not printed."""


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on a free loopback port; yields the base URL (ending in ``/``)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served_bundled_site(bundled_site: Path) -> Iterator[str]:
    """The bundled site served over HTTP for the whole session; yields its base URL."""
    with serve_directory(bundled_site) as url:
        yield url


@pytest.fixture
def open_bundled_page(browser_page: Callable[..., Any], served_bundled_site: str) -> Callable[..., tuple[Any, RequestLog]]:
    """Factory: ``page, requests = open_bundled_page("glossary/")`` — a page of the served bundled
    site, loaded with its scripts run, in a fresh context that blocks outside requests.

    Extra keyword arguments are context options, e.g. ``permissions=["clipboard-read"]``.
    """

    def _open(path: str, **context_options: Any) -> tuple[Any, RequestLog]:
        page, requests = browser_page(served_bundled_site.rstrip("/"), **context_options)
        page.goto(served_bundled_site + path, wait_until="load")
        return page, requests

    return _open


def type_search_query(page: Any, query: str) -> Any:
    """Open Material's search as a reader does and type ``query`` key by key; returns the result items.

    The header's search button shows on narrow screens, the search field on wide ones, so
    click whichever is visible. Typing (not setting ``value``) is what Material reacts to.
    """
    page.locator('label.md-header__button[for="__search"]:visible, .md-search__input:visible').first.click()
    page.keyboard.type(query, delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=10_000)
    return results
