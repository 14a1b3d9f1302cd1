"""Nothing an editor pastes runs in a reader's browser (issue 7, "Nothing gets in").

A tiny site is built from BibTeX and a lexicon with script payloads in every field and
``javascript:``/``data:`` links (``tests/hostile.py``); every work is cited and every term
used. Chromium then opens every page, hovers and focuses every term and note marker, types
payloads into the glossary filter and the site search, and reads JSON exports. Each payload
would set ``window.__pwned`` or open a dialog, so "no script ran" is checked three ways:
the global stays undefined, no dialog opened, and the console stayed silent (a live
``<img src=x>`` would also log its failed load). Independently of what ran, no element may
carry an ``on*`` attribute and no link or source may point at a script scheme.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pytest

from tests.browser.conftest import RequestLog, serve_directory
from tests.conftest import run_mkdocs_build
from tests.hostile import HOSTILE_BIB, HOSTILE_LEXICON, HOSTILE_PAGES, TEXT_PAYLOADS

pytestmark = pytest.mark.browser

SHOW_DELAY_MS = 400
"""Longer than popover.js's 150 ms show delay: the popover is open when we look."""
SEARCH_SETTLE_MS = 600
SEARCH_QUERIES = (*TEXT_PAYLOADS, "onmouseover", "script")
"""The payloads themselves match no word of the index; the last two find the hostile pages, so
results quoting the payloads are rendered too."""

DANGEROUS_LINKS_AND_HANDLERS = """() => {
  const problems = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) problems.push(element.tagName + " has " + name);
      if (["href", "src", "action", "formaction", "xlink:href"].includes(name)) {
        const target = attribute.value.replace(/[\\u0000-\\u0020\\u007f-\\u009f]/g, "").toLowerCase();
        if (/^(javascript|vbscript|data):/.test(target)) problems.push(element.tagName + " " + name + "=" + attribute.value);
      }
    }
  }
  return problems;
}"""
"""Every ``on*`` attribute and every script-scheme URL in the live document (after our scripts ran)."""


@dataclass
class ScriptWatch:
    """What a page did that only a running payload would do: dialogs and console output."""

    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on("dialog", self._dialog)
        page.on("console", lambda message: self.console.append(f"{page.url}: {message.type}: {message.text}"))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def hostile_site(make_site: Callable[..., Path]) -> Path:
    """The hostile site, built without ``--strict``: its warnings are expected, its pages must be inert."""
    return make_site(pages=HOSTILE_PAGES, bib=HOSTILE_BIB, lexicon=HOSTILE_LEXICON, strict=False)


@pytest.fixture
def hostile_tab(hostile_site: Path, browser_page: Callable[..., Any]) -> Iterator[tuple[Any, str, ScriptWatch, RequestLog]]:
    with serve_directory(hostile_site) as base:
        page, requests = browser_page(base.rstrip("/"))
        watch = ScriptWatch()
        watch.attach(page)
        yield page, base, watch, requests


def page_urls(site: Path, base: str) -> list[str]:
    """Every page of a site built with directory URLs (404.html holds no user data and expects ``site_url``'s path)."""
    folders = sorted(index.parent.relative_to(site).as_posix() for index in site.rglob("index.html"))
    return [base if folder == "." else f"{base}{folder}/" for folder in folders]


def assert_inert(page: Any, watch: ScriptWatch, what: str) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined", f"a payload ran on {what}"
    assert watch.dialogs == [], f"a dialog opened on {what}"
    assert watch.console == [], f"console output on {what}"
    assert page.evaluate(DANGEROUS_LINKS_AND_HANDLERS) == [], what


def hover_and_focus_every_trigger(page: Any, watch: ScriptWatch) -> int:
    """Hover, then focus, every term link and note marker of the page; returns how many there were."""
    triggers = page.locator("a.kb-term, .kb-note-ref a")
    for index in range(triggers.count()):
        trigger = triggers.nth(index)
        trigger.scroll_into_view_if_needed()
        trigger.hover()
        page.wait_for_timeout(SHOW_DELAY_MS)
        assert_inert(page, watch, f"{page.url} hovering {trigger.inner_text()!r}")
        trigger.focus()
        assert_inert(page, watch, f"{page.url} focusing {trigger.inner_text()!r}")
    return triggers.count()


def test_no_payload_runs_on_any_page_popover_filter_or_search(
        hostile_site: Path, hostile_tab: tuple[Any, str, ScriptWatch, RequestLog]) -> None:
    page, base, watch, requests = hostile_tab
    urls = page_urls(hostile_site, base)
    assert len(urls) == 8, urls  # home, glossary, references, 5 term pages
    triggers = 0
    for url in urls:
        page.goto(url, wait_until="load")
        assert_inert(page, watch, url)
        triggers += hover_and_focus_every_trigger(page, watch)
    assert triggers >= 10, "expected the home page's notes and term links and the term pages' key links"

    page.goto(base + "glossary/", wait_until="load")
    for payload in TEXT_PAYLOADS:
        page.fill("#kb-glossary-filter-input", "")
        page.locator("#kb-glossary-filter-input").press_sequentially(payload)
        assert_inert(page, watch, f"glossary filter {payload!r}")

    search = page.locator('label.md-header__button[for="__search"]:visible, .md-search__input:visible').first
    results_shown = 0
    for query in SEARCH_QUERIES:
        search.click()
        page.locator(".md-search__input").fill("")
        page.keyboard.type(query, delay=5)
        page.wait_for_timeout(SEARCH_SETTLE_MS)
        results_shown += page.locator(".md-search-result__item").count()
        assert_inert(page, watch, f"site search {query!r}")
        page.keyboard.press("Escape")
    assert results_shown > 0

    for export in ("lexicon.json", "references/references.json", "references/hostilearticle.json"):
        page.goto(base + export, wait_until="load")
        assert_inert(page, watch, export)
    assert requests.outside == []


def test_a_popover_shows_the_payloads_as_text(hostile_tab: tuple[Any, str, ScriptWatch, RequestLog]) -> None:
    """The definition's raw HTML is text in the popover, and its javascript: link is plain text."""
    page, base, watch, _ = hostile_tab
    page.goto(base, wait_until="load")
    page.locator('a.kb-term[id]', has_text="hostile care").hover()
    popover = page.locator("[role=tooltip]:visible")
    popover.wait_for()
    assert "Raw <script>window.__pwned=1</script> and <img" in popover.inner_text()
    assert popover.get_by_text("script link", exact=True).evaluate("node => node.tagName") == "SPAN"
    assert popover.locator("a[href='https://example.org/']").inner_text() == "safe link"
    assert_inert(page, watch, "the open popover")


def test_a_strict_build_fails_naming_each_script_link(make_site: Callable[..., Path], tmp_path: Path) -> None:
    make_site(pages=HOSTILE_PAGES, bib=HOSTILE_BIB, lexicon=HOSTILE_LEXICON, strict=False)
    result = run_mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "strict-site", strict=True)
    assert result.returncode != 0
    log = result.stdout
    assert "refs.bib:13: @book{hostilebook}: url 'JaVaScRiPt:window.__pwned=1' is not a web address" in log
    assert "refs.bib:2: @article{hostilearticle}: doi 'javascript:window.__pwned=1' is not a DOI" in log
    assert "terms.yml:5: the definition of term '<script>window.__pwned=1</script> care' links to " \
           "'javascript:window.__pwned=1'" in log
    assert "Traceback" not in log
