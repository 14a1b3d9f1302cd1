"""What readers actually do on the bundled site, end to end in Chromium.

Each test is one user flow — search, read a definition, follow a note to its reference and
back, download or copy a citation, look at a figure, filter the glossary — on the site as
built and served, and each asserts that no request left the local server (the site must
work on an intranet with no Internet access).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import type_search_query

pytestmark = pytest.mark.browser

VISIBLE_POPOVER = "[role=tooltip]:visible"


def one_line(text: str) -> str:
    """Text with runs of whitespace collapsed, as a reader sees it."""
    return " ".join(text.split())


def test_search_finds_a_term_by_name_and_by_alias(open_bundled_page: Callable[..., Any]) -> None:
    """Terms are indexed in the glossary, one search section per term, titled by the term."""
    page, requests = open_bundled_page("")

    type_search_query(page, "attachment")
    results = page.locator(".md-search-result")
    expect(results.locator('a[href*="/glossary/"][href$="#glossary-attachment"]').first).to_be_visible()

    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    type_search_query(page, "co-regulation")
    alias_hit = results.locator('a[href*="/glossary/"][href$="#glossary-mutual-regulation"]',
                                has=page.locator("mark", has_text=re.compile("regulation", re.I)))
    expect(alias_hit.first).to_be_visible()  # highlighted for this query, not left over from the last one
    expect(alias_hit.first).to_contain_text("mutual regulation", ignore_case=True)

    alias_hit.first.click()
    expect(page).to_have_url(re.compile(r"/glossary/.*#glossary-mutual-regulation$"))
    page.locator("#glossary-mutual-regulation a").click()
    expect(page).to_have_url(re.compile(r"/terms/mutual-regulation/$"))
    expect(page.locator("article h1")).to_contain_text("mutual regulation", ignore_case=True)
    assert requests.outside == []


def test_term_popover_opens_on_hover_and_on_keyboard_focus(open_bundled_page: Callable[..., Any]) -> None:
    page, requests = open_bundled_page("early-relationships/")
    term_link = page.locator('article a.kb-term[data-kb-term="attachment"]').first

    term_link.hover()
    popover = page.locator(VISIBLE_POPOVER)
    expect(popover).to_have_count(1)
    expect(popover).to_contain_text("attachment", ignore_case=True)

    popover.hover()
    expect(page.locator(VISIBLE_POPOVER)).to_have_count(1)  # stays open while the reader moves into it

    page.mouse.move(0, 0)
    expect(page.locator(VISIBLE_POPOVER)).to_have_count(0)

    term_link.focus()
    expect(page.locator(VISIBLE_POPOVER)).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator(VISIBLE_POPOVER)).to_have_count(0)
    assert requests.outside == []


def test_note_marker_previews_its_note_on_hover(open_bundled_page: Callable[..., Any]) -> None:
    page, requests = open_bundled_page("early-relationships/")
    marker = page.locator(".kb-note-ref a").first
    note_id = marker.evaluate("a => a.hash.slice(1)")
    note_text = one_line(page.locator(f"li#{note_id}").inner_text())

    marker.hover()

    popover = page.locator(VISIBLE_POPOVER)
    expect(popover).to_have_count(1)
    assert note_text[:60] in one_line(popover.inner_text())
    assert requests.outside == []


def test_note_leads_to_its_reference_and_back(open_bundled_page: Callable[..., Any]) -> None:
    page, requests = open_bundled_page("early-relationships/")
    chapter_path = urlsplit(page.url).path
    marker = page.locator(".kb-note-ref a").first
    number = marker.inner_text().strip()

    marker.click()
    expect(page).to_have_url(re.compile(rf"#kb-note-{number}$"))

    page.locator(f"li#kb-note-{number} a[href*='references/#ref-']").first.click()
    expect(page).to_have_url(re.compile(r"/references/#ref-[\w-]+$"))
    reference = page.locator(urlsplit(page.url).fragment.join(["li#", ""]))
    expect(reference).to_be_in_viewport()
    expect(reference).to_contain_text("Cited in")

    reference.locator("a.kb-cited-in-note", has_text=re.compile(rf"^{number}$")).click()

    expect(page).to_have_url(re.compile(rf"{re.escape(chapter_path)}#kb-note(ref)?-{number}$"))
    expect(page.locator(f"#{urlsplit(page.url).fragment}")).to_be_in_viewport()
    assert requests.outside == []


def test_reference_downloads_as_ris(open_bundled_page: Callable[..., Any], tmp_path: Path) -> None:
    page, requests = open_bundled_page("references/")

    with page.expect_download() as download_info:
        page.locator('li#ref-pawl2006 a[href$="pawl2006.ris"]').click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    ris = saved.read_text(encoding="utf-8")

    assert saved.name == "pawl2006.ris"
    assert re.search(r"^TY  - \w+", ris, re.M)
    assert re.search(r"^AU  - Pawl", ris, re.M)
    assert re.search(r"^ER  - ", ris, re.M)
    assert requests.outside == []


def test_copy_button_puts_the_apa_reference_on_the_clipboard(open_bundled_page: Callable[..., Any]) -> None:
    page, requests = open_bundled_page("references/", permissions=["clipboard-read", "clipboard-write"])
    entry = page.locator("li#ref-pawl2006")
    apa_text = one_line(entry.locator(".kb-reference-text").inner_text())

    entry.locator("button.kb-copy").first.click()

    copied = page.evaluate("navigator.clipboard.readText()")
    assert one_line(copied) == apa_text
    assert requests.outside == []


def test_figure_opens_and_closes_in_the_lightbox(open_bundled_page: Callable[..., Any]) -> None:
    page, requests = open_bundled_page("continuum-of-services/")

    page.locator("a.glightbox").first.click()
    lightbox = page.locator(".glightbox-container")
    expect(lightbox).to_be_visible()

    page.keyboard.press("Escape")

    expect(lightbox).to_have_count(0)
    assert requests.outside == []


def test_glossary_filter_shows_only_matching_terms_and_announces_the_count(open_bundled_page: Callable[..., Any]) -> None:
    page, requests = open_bundled_page("glossary/")
    entries = page.locator(".kb-glossary-entry")
    total = entries.count()

    page.get_by_label("Filter terms").click()
    page.keyboard.type("regul")

    shown = page.locator(".kb-glossary-entry:visible")
    expect(shown).not_to_have_count(total)
    shown_texts = shown.all_inner_texts()
    assert shown_texts and all("regul" in text.lower() for text in shown_texts)
    assert any(one_line(text).lower().startswith("mutual regulation") for text in shown_texts)
    expect(page.locator("[role=status][aria-live]")).to_contain_text(f"{len(shown_texts)} terms of {total}")
    assert requests.outside == []
