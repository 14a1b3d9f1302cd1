"""axe-core audits of the bundled site in Chromium: no serious or critical violation.

Why axe in a real browser: contrast, accessible names and link styling depend on the
final CSS cascade (Material + our stylesheets) and on what the scripts add, which only a
rendered page shows. axe-core comes bundled in the ``axe-playwright-python`` wheel, so the
audit needs no network. Rules are never excluded: a failure is fixed in ``overrides/`` or
``assets/accessibility.css``, or documented in the README's Accessibility section.
"""

from __future__ import annotations

from typing import Any, Callable

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import type_search_query

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = {"serious", "critical"}

AUDITED_PAGES = {
    "home": "",
    "chapter": "early-relationships/",
    "term page": "terms/attachment/",
    "glossary": "glossary/",
    "references": "references/",
}


def blocking_violations(page: Any, impacts: set[str] = BLOCKING_IMPACTS) -> list[dict[str, Any]]:
    """The axe violations of the given impacts on the page as it is now (after its scripts ran)."""
    results = Axe().run(page)
    return [violation for violation in results.response["violations"] if violation["impact"] in impacts]


def describe(violations: list[dict[str, Any]]) -> str:
    """Rule id, impact, help text and every failing target, so the failure says what to fix."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


def assert_accessible(page: Any, state: str, impacts: set[str] = BLOCKING_IMPACTS) -> None:
    """Run axe on the page as it is now; fail listing every violation of the given impacts."""
    violations = blocking_violations(page, impacts)
    assert not violations, f"axe {state}:\n{describe(violations)}"



@pytest.mark.parametrize("path", AUDITED_PAGES.values(), ids=AUDITED_PAGES.keys())
def test_page_has_no_serious_or_critical_violations(open_bundled_page: Callable[..., Any], path: str) -> None:
    """The bar is serious/critical; the five pages, "Cite this page" opened, also have no minor or moderate ones."""
    page, requests = open_bundled_page(path)
    page.evaluate("document.querySelectorAll('details.kb-cite').forEach((details) => { details.open = true; })")

    assert_accessible(page, f"on /{path}", {"minor", "moderate", *BLOCKING_IMPACTS})
    assert requests.outside == []


def test_open_term_popover_is_accessible(open_bundled_page: Callable[..., Any]) -> None:
    """The popover is added by script on demand, so the page audit above never sees it."""
    page, requests = open_bundled_page("early-relationships/")
    page.locator("article a.kb-term").first.hover()
    page.locator("[role=tooltip]").first.wait_for(state="visible")

    assert_accessible(page, "with a term popover open")
    assert requests.outside == []


def test_search_dialog_with_results_is_accessible(open_bundled_page: Callable[..., Any]) -> None:
    """The search dialog and its result list only exist in full once the reader searches."""
    page, requests = open_bundled_page("early-relationships/")
    type_search_query(page, "attachment")

    assert_accessible(page, "with search results open")
    assert page.get_by_role("dialog", name="Search").count() == 1
    assert requests.outside == []


def test_navigation_drawer_on_small_screens_is_accessible(open_bundled_page: Callable[..., Any]) -> None:
    """Phones get the navigation as a drawer with its own colours, unseen at desktop width."""
    page, requests = open_bundled_page("early-relationships/", viewport={"width": 375, "height": 800})
    page.locator("label.md-header__button[for=__drawer]").click()
    page.locator(".md-sidebar--primary .md-nav__title").first.wait_for(state="visible")

    assert_accessible(page, "with the navigation drawer open")
    assert requests.outside == []


def test_open_figure_lightbox_is_accessible(open_bundled_page: Callable[..., Any]) -> None:
    """GLightbox's dialog is named and the enlarged figure keeps its text alternative."""
    page, requests = open_bundled_page("continuum-of-services/")
    figure_link = page.locator("a.glightbox").first
    figure_alt = figure_link.locator("img").get_attribute("alt")
    figure_link.click()
    page.locator(".glightbox-container .gslide.current img").wait_for(state="visible")

    assert_accessible(page, "with the figure lightbox open")
    assert figure_alt, "the figure itself has no text alternative"
    assert page.get_by_role("dialog", name="Enlarged figure").get_by_role("img", name=figure_alt).count() == 1
    assert requests.outside == []
