"""Printing the bundled site to PDF with Chromium: content and citations in, screen chrome out.

Why real PDFs: print CSS is easy to get "right" in a stylesheet and wrong on paper (a
hidden notes section, a sidebar that still takes half the page). ``page.pdf()`` renders
with print media exactly like "Save as PDF", and pypdf reads back the text a reader of
the paper copy gets.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any, Callable

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.browser

SCREEN_ONLY_TEXT = ("Table of contents", "Skip to content", "Made with Material for MkDocs", "Back to top", "Filter terms", "Copy APA")
"""Labels of navigation chrome and controls that must not reach paper (phrases no page of the
paper uses; the footer's one-word "Previous"/"Next" are checked as elements below)."""

SCREEN_ONLY_ELEMENTS = (
    ".md-header",
    ".md-tabs",
    ".md-sidebar--primary",
    ".md-sidebar--secondary",
    ".md-footer",
    ".md-search",
    ".md-top",
    ".kb-popover",
    ".kb-glossary-filter",
    ".kb-letter-bar",
    "button.kb-copy",
    "details.kb-cite",
)
"""Navigation chrome and screen-only controls: header, tabs, sidebars, footer, search,
popovers, glossary filter and letter bar, copy buttons, "Cite this page"."""


def words(text: str) -> str:
    """Text reduced to lower-case words, so PDF line breaks, spacing and the typeface's
    ligatures (a printed "ﬁ" is one character; NFKC makes it "fi") don't matter."""
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower()))


def printed_words(page: Any) -> str:
    """All words of the page as Chromium prints it to PDF."""
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return words(" ".join(pdf_page.extract_text() for pdf_page in pdf.pages))


def visible_in_print(page: Any, selector: str) -> list[str]:
    """Outer HTML (shortened) of each element matching ``selector`` that print media still shows."""
    page.emulate_media(media="print")
    try:
        return [element.evaluate("e => e.outerHTML.slice(0, 120)") for element in page.query_selector_all(selector) if element.is_visible()]
    finally:
        page.emulate_media(media="screen")


def assert_no_screen_chrome(page: Any, printed: str) -> None:
    for label in SCREEN_ONLY_TEXT:
        assert f" {words(label)} " not in f" {printed} ", f"navigation label {label!r} was printed"
    for selector in SCREEN_ONLY_ELEMENTS:
        assert visible_in_print(page, selector) == [], f"{selector} is visible in print"


def test_chapter_prints_text_and_notes_without_chrome(open_bundled_page: Callable[..., Any]) -> None:
    page, requests = open_bundled_page("early-relationships/")
    page.locator("article a.kb-term").first.hover()  # a popover left open must not print
    first_paragraph = page.locator("article > p").first.inner_text()
    notes = page.locator(".kb-notes li.kb-note .kb-note-reference").all_inner_texts()

    printed = printed_words(page)

    assert words(first_paragraph) in printed
    assert notes, "the chapter has no notes"
    missing = [note for note in notes if words(note) not in printed]
    assert missing == [], f"notes missing from the printed chapter: {missing}"
    assert_no_screen_chrome(page, printed)
    assert requests.outside == []


def test_glossary_prints_every_term_without_filter_or_letter_bar(open_bundled_page: Callable[..., Any]) -> None:
    page, requests = open_bundled_page("glossary/")
    page.locator("#kb-glossary-filter-input").fill("regul")  # a filtered glossary still prints whole
    terms = page.locator(".kb-glossary-entry .kb-glossary-term").all_text_contents()

    printed = printed_words(page)

    assert len(terms) >= 40, f"the glossary lists only {len(terms)} terms"
    missing = [term for term in terms if words(term) not in printed]
    assert missing == [], f"terms missing from the printed glossary: {missing}"
    assert_no_screen_chrome(page, printed)
    assert requests.outside == []


def test_references_print_with_urls_and_hanging_indent(open_bundled_page: Callable[..., Any]) -> None:
    page, requests = open_bundled_page("references/")
    entries = page.locator("li[id^=ref-] .kb-reference-text")
    urls = [url for text in entries.all_inner_texts() for url in re.findall(r"https?://\S+", text)]

    printed = printed_words(page)

    assert entries.count() == 38
    assert any("doi.org" in url for url in urls), "no entry shows a DOI URL"
    # A long URL breaks across lines wherever the typeface makes it: compare without the spaces.
    unbroken = printed.replace(" ", "")
    missing = [url for url in urls if words(url).replace(" ", "") not in unbroken]
    assert missing == [], f"URLs and DOIs missing from the printed references: {missing}"
    page.emulate_media(media="print")
    text_indent, padding_left = entries.first.evaluate("e => [getComputedStyle(e).textIndent, getComputedStyle(e).paddingLeft].map(parseFloat)")
    assert text_indent < 0 < padding_left and text_indent == -padding_left, "APA's hanging indent is lost in print"
    page.emulate_media(media="screen")
    assert_no_screen_chrome(page, printed)
    assert requests.outside == []
