"""The offline variant (``OFFLINE=true``) works opened straight from disk, as on a shared drive.

From ``file://`` browsers refuse web workers and fetches, and nothing may be downloaded
from a CDN: navigation, search, term popovers, note previews and the lightbox must still
work, and Chromium must not make a single http(s) request.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

import pytest

from tests.browser.conftest import type_search_query
from tests.conftest import REPO, build_or_fail

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bundled site built as its README says for an offline copy: ``OFFLINE=true``, strict."""
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("OFFLINE", "true")
        yield build_or_fail(REPO / "mkdocs.yml", tmp_path_factory.mktemp("offline") / "site")


@pytest.fixture
def offline_page(offline_site: Path, browser_page: Callable[..., Any]) -> tuple[Any, Any]:
    """The offline copy's home page opened from disk, with every http(s) request recorded as outside."""
    page, requests = browser_page(None)
    page.goto((offline_site / "index.html").as_uri(), wait_until="load")
    return page, requests


def open_first_page_with_class(page: Any, offline_site: Path, css_class: str) -> None:
    """Open (from disk) the first page of the offline copy that has an element of ``css_class``."""
    marker = f'class="{css_class}"'
    candidates = [path for path in sorted(offline_site.rglob("*.html")) if marker in path.read_text(encoding="utf-8")]
    assert candidates, f"no page of the offline copy has an element of class {css_class}"
    page.goto(candidates[0].as_uri(), wait_until="load")


def test_build_is_file_based(offline_site: Path) -> None:
    index = (offline_site / "index.html").read_text(encoding="utf-8")
    assert 'href="introduction.html"' in index, "offline copies need links to .html files, not folders"
    assert (offline_site / "search" / "search_index.js").is_file()
    assert "assets/knowledge-base/vendor/iframe-worker/shim.js" in index and "unpkg" not in index


def test_navigation_by_clicking_a_nav_link(offline_page: tuple[Any, Any]) -> None:
    page, requests = offline_page
    page.locator('.md-nav--primary a[href="introduction.html"]').first.click()
    page.wait_for_url("**/introduction.html")
    assert page.locator("article h1").first.inner_text().strip().startswith("Introduction")
    assert requests.outside == []


def test_search_shows_results_from_disk(offline_page: tuple[Any, Any]) -> None:
    page, requests = offline_page
    assert type_search_query(page, "attachment").count() > 0
    assert requests.outside == []


def test_term_popover_on_focus(offline_page: tuple[Any, Any], offline_site: Path) -> None:
    page, requests = offline_page
    open_first_page_with_class(page, offline_site, "kb-term")
    page.locator("a.kb-term").first.focus()
    tooltip = page.locator("[role=tooltip]:visible")
    tooltip.first.wait_for(state="visible", timeout=5_000)
    assert tooltip.first.inner_text().strip() != ""
    assert requests.outside == []


def test_note_preview_on_focus(offline_page: tuple[Any, Any], offline_site: Path) -> None:
    page, requests = offline_page
    open_first_page_with_class(page, offline_site, "kb-note-ref")
    marker = page.locator(".kb-note-ref a").first
    note_text = page.locator(marker.get_attribute("href")).inner_text().strip()
    marker.focus()
    tooltip = page.locator("[role=tooltip]:visible")
    tooltip.first.wait_for(state="visible", timeout=5_000)
    assert note_text[:20] in tooltip.first.inner_text()
    assert requests.outside == []


def test_lightbox_opens_on_the_figure(offline_page: tuple[Any, Any], offline_site: Path) -> None:
    page, requests = offline_page
    open_first_page_with_class(page, offline_site, "glightbox")
    page.locator("a.glightbox").first.click()
    page.locator(".glightbox-container").wait_for(state="visible", timeout=10_000)
    page.locator(".glightbox-container .gslide-image img").first.wait_for(state="visible", timeout=10_000)
    assert requests.outside == []
