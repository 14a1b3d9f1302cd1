"""The definition/note popover and the glossary filter, in Chromium, on a tiny built site.

WCAG 1.4.13: the popover opens on hover and on keyboard focus, stays while the pointer is
on it, and Esc dismisses it without moving focus. Touch: first tap opens, second follows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import serve_directory
from tests.conftest import BOWLBY_BIB

pytestmark = pytest.mark.browser

PAGES = {
    "index.md": """\
        # Home

        Start here with some text before the term.

        Babies need secure attachment to grow [@bowlby1969]. Mutual regulation follows.
        """,
}
LEXICON = """\
    terms:
      - term: attachment
        definition: The *bond* a child forms with a caregiver.
      - term: mutual regulation
        aliases: [co-regulation]
        definition: The dance of connection and disconnection.
      - term: self-regulation
        definition: Managing one's own feelings.
        related: [mutual regulation]
    """
POPOVER = "[role=tooltip]:visible"


@pytest.fixture
def tiny_site(make_site: Callable[..., Path]) -> Callable[..., Path]:
    def build(**config: Any) -> Path:
        return make_site(pages=PAGES, bib=BOWLBY_BIB, lexicon=LEXICON,
                         options={"warn_unused_terms": False}, config=config)
    return build


@pytest.fixture
def served_site(tiny_site: Callable[..., Path]) -> Iterator[str]:
    with serve_directory(tiny_site()) as url:
        yield url


def open_page(browser_page: Callable[..., Any], base: str, path: str = "", **context: Any) -> tuple[Any, Any]:
    """A page of the served site (``base`` ends with ``/``) in a context that blocks outside requests."""
    page, requests = browser_page(base.rstrip("/"), **context)
    page.goto(base + path, wait_until="load")
    return page, requests


def test_hover_shows_the_definition_and_it_stays_while_the_pointer_is_on_it(
        browser_page: Callable[..., Any], served_site: str) -> None:
    page, requests = open_page(browser_page, served_site)
    term = page.locator('article a.kb-term[data-kb-term="attachment"][id]')

    term.hover()
    popover = page.locator(POPOVER)
    expect(popover).to_have_count(1)
    expect(popover).to_contain_text("The bond a child forms with a caregiver.")
    expect(popover.locator("em")).to_have_text("bond")
    more = popover.get_by_role("link", name="More about attachment")
    expect(more).to_have_attribute("href", served_site + "terms/attachment/")
    expect(term).to_have_attribute("aria-describedby", "kb-popover")

    box = popover.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    page.wait_for_timeout(700)
    expect(page.locator(POPOVER)).to_have_count(1)

    page.mouse.move(1, 1)
    expect(page.locator(POPOVER)).to_have_count(0)
    expect(term).not_to_have_attribute("aria-describedby", "kb-popover")
    assert requests.outside == []


def test_keyboard_focus_opens_and_escape_closes_leaving_focus(browser_page: Callable[..., Any], served_site: str) -> None:
    page, requests = open_page(browser_page, served_site)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('article a.kb-term[id]')"):
            break
    else:
        pytest.fail("Tab never reached a term link")
    expect(page.locator(POPOVER)).to_have_count(1)
    term_id = page.evaluate("document.activeElement.dataset.kbTerm")
    expect(page.locator(POPOVER)).to_contain_text("The bond" if term_id == "attachment" else "connection")

    page.keyboard.press("Escape")
    expect(page.locator(POPOVER)).to_have_count(0)
    assert page.evaluate("document.activeElement.dataset.kbTerm") == term_id
    assert requests.outside == []


def test_note_marker_previews_its_note_on_focus(browser_page: Callable[..., Any], served_site: str) -> None:
    page, requests = open_page(browser_page, served_site)
    marker = page.locator(".kb-note-ref a").first
    note = page.locator(marker.get_attribute("href"))
    note_text = " ".join(note.inner_text().replace("↩", "").split())

    marker.focus()
    popover = page.locator(POPOVER)
    expect(popover).to_have_count(1)
    preview = " ".join(popover.inner_text().split())
    assert "Bowlby" in preview and note_text[:30] in preview
    assert popover.locator("a[href^='#kb-noteref-'], [id^='kb-note']").count() == 0

    page.keyboard.press("Escape")
    expect(page.locator(POPOVER)).to_have_count(0)
    assert requests.outside == []


def test_touch_first_tap_opens_second_tap_follows(browser_page: Callable[..., Any], served_site: str) -> None:
    page, requests = open_page(browser_page, served_site, has_touch=True, is_mobile=True,
                               viewport={"width": 400, "height": 800})
    term = page.locator('article a.kb-term[data-kb-term="attachment"][id]')
    term.tap()
    expect(page.locator(POPOVER)).to_have_count(1)
    assert page.url == served_site

    page.locator("article h1").tap()
    expect(page.locator(POPOVER)).to_have_count(0)

    term.tap()
    expect(page.locator(POPOVER)).to_have_count(1)
    term.tap()
    page.wait_for_url("**/terms/attachment/")
    assert requests.outside == []


def test_popover_works_from_file_urls(browser_page: Callable[..., Any], tiny_site: Callable[..., Path]) -> None:
    site = tiny_site(use_directory_urls=False)
    page, requests = browser_page(None)
    page.goto((site / "index.html").as_uri(), wait_until="load")
    page.locator("article a.kb-term[id]").first.focus()
    popover = page.locator(POPOVER)
    expect(popover).to_contain_text("The bond")
    expect(popover.get_by_role("link")).to_have_attribute("href", (site / "terms/attachment.html").as_uri())
    assert requests.outside == []


def test_glossary_filter_narrows_the_list_and_announces_the_count(
        browser_page: Callable[..., Any], served_site: str) -> None:
    page, requests = open_page(browser_page, served_site, "glossary/")
    page.get_by_label("Filter terms").fill("co-regul")
    entries = page.locator(".kb-glossary-entry")
    expect(entries.filter(visible=True)).to_have_count(1)
    expect(entries.filter(visible=True)).to_contain_text("mutual regulation")
    expect(page.locator("[aria-live=polite]")).to_contain_text("1 term of 3")

    page.get_by_label("Filter terms").fill("connection")  # matches the definition
    expect(entries.filter(visible=True)).to_have_count(1)

    page.get_by_label("Filter terms").fill("")
    expect(entries.filter(visible=True)).to_have_count(3)
    expect(page.locator("[aria-live=polite]")).to_have_text("3 terms")
    assert requests.outside == []


def test_popover_keeps_working_after_instant_navigation(browser_page: Callable[..., Any],
                                                         make_site: Callable[..., Path], tmp_path: Path) -> None:
    pages = {**PAGES, "next.md": "# Next\n\nSelf-regulation grows out of co-regulation.\n"}
    (tmp_path / "site").mkdir()
    with serve_directory(tmp_path / "site") as base:  # make_site builds there; instant loading needs the real site_url
        make_site(pages=pages, bib=BOWLBY_BIB, lexicon=LEXICON, options={"warn_unused_terms": False},
                  config={"site_url": base, "nav": [{"Home": "index.md"}, {"Next": "next.md"}],
                          "theme": {"name": "material", "font": False, "features": ["navigation.instant"]}})
        page, requests = open_page(browser_page, base, viewport={"width": 1400, "height": 900})  # nav sidebar shown
        page.locator("article a.kb-term[id]").first.hover()
        expect(page.locator(POPOVER)).to_have_count(1)
        page.evaluate("window.kbLoads = (window.kbLoads || 0) + 1")

        page.locator('a.md-nav__link[href$="/next/"]:visible').first.click()  # instant nav makes hrefs absolute
        expect(page.locator("article h1")).to_contain_text("Next")
        expect(page.locator(POPOVER)).to_have_count(0)
        assert page.evaluate("window.kbLoads") == 1, "instant navigation expected (no full reload)"

        page.locator('article a.kb-term[data-kb-term="mutual-regulation"][id]').hover()
        expect(page.locator(POPOVER)).to_contain_text("The dance of connection")
        assert requests.outside == []
