"""Printing the bundled site to PDF with Chromium: content and citations in, screen chrome out.

Why real PDFs: print CSS is easy to get "right" in a stylesheet and wrong on paper (a
hidden notes section, a sidebar that still takes half the page). ``page.pdf()`` renders
with print media exactly like "Save as PDF", and pypdf reads back the text a reader of
the paper copy gets.
"""

from __future__ import annotations

import io
import re
from typing import Any, Callable

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.browser

SCREEN_ONLY_TEXT = ("Table of contents", "Skip to content", "Made with", "Back to top", "Previous", "Next")
"""Labels of Material's navigation chrome that must not reach paper."""

SCREEN_ONLY_ELEMENTS = (
    ".md-header",
    ".md-tabs",
    ".md-sidebar--primary",
    ".md-sidebar--secondary",
    ".md-footer",
    ".md-search",
    ".md-top",
    "[role=tooltip]",
    "button.kb-copy",
)


def words(text: str) -> str:
    """Text reduced to lower-case words, so PDF line breaks and spacing don't matter."""
    return " ".join(re.findall(r"\w+", text.lower()))


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
    first_paragraph = page.locator("article > p").first.inner_text()
    first_note = page.locator(".kb-notes li.kb-note").first.inner_text()

    printed = printed_words(page)

    assert words(first_paragraph) in printed
    assert words(first_note) in printed
    assert visible_in_print(page, ".kb-notes") != [], "the notes section must print"
    assert_no_screen_chrome(page, printed)
    assert requests.outside == []


def test_glossary_prints_every_term_without_filter_or_letter_bar(open_bundled_page: Callable[..., Any]) -> None:
    page, requests = open_bundled_page("glossary/")
    terms = page.locator("article a.kb-term, article [id] > dt, article dt").all_inner_texts()

    printed = printed_words(page)

    assert terms, "the glossary lists no terms"
    missing = [term for term in terms if words(term) not in printed]
    assert missing == [], f"terms missing from the printed glossary: {missing}"
    assert visible_in_print(page, "article input, article nav") == [], "filter box or letter bar printed"
    assert_no_screen_chrome(page, printed)
    assert requests.outside == []


def test_references_print_with_doi_urls_and_hanging_indent(open_bundled_page: Callable[..., Any]) -> None:
    page, requests = open_bundled_page("references/")
    entries = page.locator("li[id^=ref-]")
    doi_urls = [url for text in entries.all_inner_texts() for url in re.findall(r"https://doi\.org/\S+", text)]

    printed = printed_words(page)

    assert entries.count() == 38
    assert doi_urls, "no entry shows a DOI URL"
    missing = [url for url in doi_urls if words(url) not in printed]
    assert missing == [], f"DOI URLs missing from the printed references: {missing}"
    page.emulate_media(media="print")
    indent = entries.first.evaluate("e => [parseFloat(getComputedStyle(e).textIndent), parseFloat(getComputedStyle(e).paddingLeft) + parseFloat(getComputedStyle(e).marginLeft)]")
    assert indent[0] < 0 < indent[1], f"no hanging indent in print (text-indent, left space) = {indent}"
    assert_no_screen_chrome(page, printed)
    assert requests.outside == []
