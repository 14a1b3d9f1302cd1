"""Keyboard-only use of the bundled site: every interaction is driven by ``page.keyboard``.

Why: popovers that open only on hover, or buttons that only react to clicks, lock out
people who cannot use a mouse (WCAG 2.1.1). The mouse is never touched here; the
assertions read the DOM state a screen reader or a sighted keyboard user would meet.
"""

from __future__ import annotations

from typing import Any, Callable

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MOST_TABS_TO_ANY_CONTROL = 400
"""Enough Tab presses to walk past the whole navigation to any control of a page."""

VISIBLE_POPOVER = "[role=tooltip]:visible"


def focus_is_on(page: Any, selector: str) -> bool:
    """Whether the element that has keyboard focus matches ``selector``."""
    return page.evaluate("selector => document.activeElement?.matches(selector) ?? false", selector)


def tab_to(page: Any, selector: str) -> None:
    """Press Tab until the focused element matches ``selector``, as a keyboard user would."""
    for _ in range(MOST_TABS_TO_ANY_CONTROL):
        page.keyboard.press("Tab")
        if focus_is_on(page, selector):
            return
    pytest.fail(f"{MOST_TABS_TO_ANY_CONTROL} Tab presses never reached {selector!r}")


def test_skip_link_appears_on_first_tab_and_moves_focus_to_the_content(open_bundled_page: Callable[..., Any]) -> None:
    page, requests = open_bundled_page("early-relationships/")

    page.keyboard.press("Tab")
    skip_link = page.locator("a.md-skip")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_text("Skip to content")
    expect(skip_link).to_have_css("opacity", "1")

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")

    assert focus_is_on(page, ".md-content *"), "after the skip link, Tab must land inside the page content, not the navigation"
    assert requests.outside == []


def test_term_popover_opens_on_focus_and_closes_on_escape(open_bundled_page: Callable[..., Any]) -> None:
    page, requests = open_bundled_page("early-relationships/")

    tab_to(page, "article a.kb-term")
    popover = page.locator(VISIBLE_POPOVER)
    expect(popover).to_have_count(1)
    term_id = page.evaluate("document.activeElement.dataset.kbTerm")
    expect(popover).not_to_be_empty()

    page.keyboard.press("Escape")

    expect(page.locator(VISIBLE_POPOVER)).to_have_count(0)
    assert focus_is_on(page, f'a.kb-term[data-kb-term="{term_id}"]'), "Esc must close the popover and leave focus on the term"
    assert requests.outside == []


def test_note_preview_opens_on_focus(open_bundled_page: Callable[..., Any]) -> None:
    page, requests = open_bundled_page("early-relationships/")

    tab_to(page, ".kb-note-ref a")
    note_id = page.evaluate("document.activeElement.hash.slice(1)")
    note_text = " ".join(page.locator(f"li#{note_id}").inner_text().split())

    popover = page.locator(VISIBLE_POPOVER)
    expect(popover).to_have_count(1)
    assert note_text[:60] in " ".join(popover.inner_text().split())

    page.keyboard.press("Escape")
    expect(page.locator(VISIBLE_POPOVER)).to_have_count(0)
    assert requests.outside == []


def test_glossary_filter_is_reached_with_tab_and_filters_as_the_reader_types(open_bundled_page: Callable[..., Any]) -> None:
    page, requests = open_bundled_page("glossary/")
    total = page.locator(".kb-glossary-entry").count()

    tab_to(page, "#kb-glossary-filter-input")
    page.keyboard.type("regul")

    expect(page.locator(".kb-glossary-entry:visible")).not_to_have_count(total)
    expect(page.locator("#kb-glossary-filter-input")).to_have_value("regul")
    assert requests.outside == []


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_copy_button_works_with_the_keyboard(open_bundled_page: Callable[..., Any], key: str) -> None:
    page, requests = open_bundled_page("references/", permissions=["clipboard-read", "clipboard-write"])
    page.evaluate("navigator.clipboard.writeText('')")

    tab_to(page, "button.kb-copy")
    expected = page.evaluate(
        "document.activeElement.closest('.kb-reference').querySelector('.kb-reference-text').textContent")
    page.keyboard.press(key)

    expect(page.locator("button.kb-copy:focus")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == expected
    assert requests.outside == []


def test_figure_lightbox_opens_with_enter_and_gives_focus_back_on_escape(open_bundled_page: Callable[..., Any]) -> None:
    page, requests = open_bundled_page("continuum-of-services/")

    tab_to(page, "a.glightbox")
    page.keyboard.press("Enter")

    expect(page.locator(".glightbox-container")).to_be_visible()
    assert focus_is_on(page, ".glightbox-container *"), "focus must move into the lightbox"

    page.keyboard.press("Escape")

    expect(page.locator(".glightbox-container")).to_have_count(0)
    assert focus_is_on(page, "a.glightbox"), "closing the lightbox must return focus to the figure"
    assert requests.outside == []
