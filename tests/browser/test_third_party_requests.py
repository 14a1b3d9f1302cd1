"""In a real browser, the bundled site asks no other host for anything — on any page, while searching, in the lightbox.

The build-time check reads the HTML; this test watches what Chromium actually requests,
which also covers URLs computed by JavaScript (fonts, polyfills, search languages, the
lightbox). Every request that leaves the local server is blocked and recorded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from tests.browser.conftest import type_search_query
pytestmark = pytest.mark.browser

PARALLEL_TABS = 4


def page_url(site: Path, base_url: str, index_file: Path) -> str:
    """The served URL of one page of a site built with directory URLs (one ``index.html`` per page)."""
    folder = index_file.parent.relative_to(site).as_posix()
    return base_url if folder == "." else f"{base_url}{folder}/"


def test_no_page_requests_anything_from_another_host(
    bundled_site: Path, served_bundled_site: str, browser_page: Callable[..., Any]
) -> None:
    page, requests = browser_page(served_bundled_site.rstrip("/"))
    urls = [page_url(bundled_site, served_bundled_site, index) for index in sorted(bundled_site.rglob("index.html"))]
    assert len(urls) >= 11, f"expected every paper page, glossary and references, got {urls}"
    # Several tabs of the same recorded context load at once: each page waits for network
    # silence (so late requests — search index, lazy images — are seen), and those waits overlap.
    tabs = [page, *(page.context.new_page() for _ in range(PARALLEL_TABS - 1))]
    for first in range(0, len(urls), PARALLEL_TABS):
        batch = list(zip(tabs, urls[first:first + PARALLEL_TABS]))
        for tab, url in batch:
            response = tab.goto(url, wait_until="commit")
            assert response is not None and response.ok, url
        for tab, _ in batch:
            tab.wait_for_load_state("networkidle")
    assert requests.outside == []
    assert any(url.endswith(".css") for url in requests.local), "the log must see the pages' own assets"


def test_searching_makes_no_outside_request(served_bundled_site: str, browser_page: Callable[..., Any]) -> None:
    page, requests = browser_page(served_bundled_site.rstrip("/"))
    page.goto(served_bundled_site, wait_until="networkidle")
    assert type_search_query(page, "attachment").count() > 0
    page.wait_for_load_state("networkidle")
    assert requests.outside == []
    assert any("search_index.json" in url for url in requests.local), "search must load the site's own index"


def test_opening_the_lightbox_makes_no_outside_request(
    bundled_site: Path, served_bundled_site: str, browser_page: Callable[..., Any]
) -> None:
    with_figure = [path for path in sorted(bundled_site.rglob("index.html"))
                   if 'class="glightbox"' in path.read_text(encoding="utf-8")]
    assert with_figure, "the bundled site should have at least one figure opening in the lightbox"
    page, requests = browser_page(served_bundled_site.rstrip("/"))
    page.goto(page_url(bundled_site, served_bundled_site, with_figure[0]), wait_until="networkidle")
    page.locator("a.glightbox").first.click()
    page.locator(".glightbox-container").wait_for(state="visible", timeout=10_000)
    page.locator(".glightbox-container .gslide-image img").first.wait_for(state="visible", timeout=10_000)
    page.wait_for_load_state("networkidle")
    assert requests.outside == []
