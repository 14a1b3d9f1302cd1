"""The search plugin indexes a page's light content, the theme renders the full one.

Why a swap of ``page.content``: Material's search plugin reads ``page.content`` in its own
``on_page_context`` and offers no other way in. The plugin sets the light version just before
it, and puts the full content back just after it, before the theme renders the page.
"""

from __future__ import annotations

from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)

SEARCH_ATTRIBUTE = "data-search-"
"""Material's search removes such attributes from the content it has indexed (a new string):
a page whose light content holds one keeps its full content, or it could not be recognised for
the swap back."""


class SearchView:
    """The full content of the page being indexed, while the search reads the light one."""

    def __init__(self) -> None:
        self._swapped: dict[str, tuple[str, str]] = {}
        """Source path -> (light content set, full content); one page at a time in practice."""

    def lighten(self, page: Page, light: str) -> None:
        """Give ``page`` the content ``light`` (made from its full content, or the full content
        itself), keeping the full one for :meth:`restore`."""
        full = page.content
        if light is not full and SEARCH_ATTRIBUTE not in light:
            self._swapped[page.file.src_uri] = (light, full)
            page.content = light

    def restore(self, page: Page) -> None:
        """Put the full content back, unless something replaced the light one meanwhile
        (then that replacement stays, without its term links, and the log says so)."""
        swapped = self._swapped.pop(page.file.src_uri, None)
        if swapped is None:
            return
        light, full = swapped
        if page.content is light:
            page.content = full
        else:
            log.info(f"{page.file.src_uri}: another plugin replaced the content while the search indexed it; "
                     "its term links are not restored")
