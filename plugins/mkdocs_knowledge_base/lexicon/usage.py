"""What the linker learns while pages are converted, kept for the term pages' "Used in" lists.

Why a session object: pages are converted one by one (in file order) by separate Markdown
instances, but a term page needs every occurrence on every page. The adapter tells the
session which page is being converted; the Markdown extension records into it; once all
pages are converted the adapter reads ``usages`` to complete the term pages.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from mkdocs_knowledge_base.errors import DataProblem
from mkdocs_knowledge_base.lexicon.matcher import TermMatcher
from mkdocs_knowledge_base.lexicon.model import Lexicon
from mkdocs_knowledge_base.recent_results import RecentResults

LinkPolicy = Literal["section", "page", "every"]


class Snippet(NamedTuple):
    """The sentence around an occurrence, split so the occurrence itself can be highlighted.

    A named tuple, as ``TermUsage``: a large site records tens of thousands (kept as plain
    tuples, see ``LinkingSession._records``)."""

    before: str
    match: str
    after: str


class TermUsage(NamedTuple):
    """One occurrence of a term in the document, linked or not, and how to get back to it."""

    term_id: str
    page: str
    """Source path (inside ``docs/``) of the page, e.g. ``introduction.md``."""
    anchor: str
    """Id of the occurrence's element on that page."""
    section_title: str
    section_anchor: str | None
    snippet: Snippet
    linked: bool


@dataclass(frozen=True)
class PageBeingConverted:
    """Which page the Markdown extension is converting now."""

    src_uri: str
    is_document: bool
    """True for the author's pages: only these get automatic links, ids and usage records.
    Generated pages (glossary, term pages, references) only resolve explicit ``term:`` links."""
    source: str = ""
    """The page's Markdown, to give authors the line of a mistake."""
    term_url: Callable[[str], str] | None = None
    """Term id -> final URL of its page relative to this page, when the site generator knows it."""

    def line_of(self, written: str) -> int | None:
        """Line (1-based) where ``written`` first appears in the page's Markdown, if it does."""
        position = self.source.find(written)
        return self.source.count("\n", 0, position) + 1 if position >= 0 else None


@dataclass
class LinkingSession:
    """Shared state of one build: the lexicon, its matcher, the policy and everything recorded."""

    lexicon: Lexicon
    policy: LinkPolicy = "section"
    terms_dir: str = "terms"
    matcher: TermMatcher = field(init=False)
    page: PageBeingConverted | None = None
    problems: list[DataProblem] = field(default_factory=list)
    _records: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))
    """Term id -> its occurrences, each the fields of a ``TermUsage`` but the term id, the
    snippet's three flattened in, as a plain tuple: CPython stops tracking a tuple of strings
    for garbage collection once it survived one, which a named tuple it never does, and a
    large site's tens of thousands of occurrences made each collection of its conversion
    walk them all."""

    def __post_init__(self) -> None:
        self.matcher = _matcher_of(self.lexicon)

    def begin_page(self, src_uri: str, *, is_document: bool, source: str = "",
                   term_url: Callable[[str], str] | None = None) -> None:
        """Called by the adapter right before a page's Markdown is converted."""
        self.page = PageBeingConverted(src_uri, is_document, source, term_url)

    def href_to_term(self, term_id: str) -> str:
        """The link from the current page to a term's page: its final URL when the adapter gave
        ``term_url``, else the relative path of ``terms/<id>.md`` (for Markdown on its own)."""
        assert self.page is not None, "begin_page() must be called before converting a page"
        if self.page.term_url is not None:
            return self.page.term_url(term_id)
        return _relative_path(f"{self.terms_dir}/{term_id}.md", posixpath.dirname(self.page.src_uri) or ".")

    def record(self, usage: TermUsage) -> None:
        """Remember one occurrence for its term's "Used in" list."""
        before, match, after = usage.snippet
        self._records[usage.term_id].append((usage.page, usage.anchor, usage.section_title, usage.section_anchor,
                                             before, match, after, usage.linked))

    def usages_of(self, term_id: str) -> list[TermUsage]:
        """Every occurrence of the term recorded so far, in the order recorded."""
        return [TermUsage(term_id, page, anchor, title, section, Snippet(before, match, after), linked)
                for page, anchor, title, section, before, match, after, linked in self._records.get(term_id, ())]

    @property
    def usages(self) -> dict[str, list[TermUsage]]:
        """Every recorded occurrence, by term id (made anew at each call)."""
        return {term_id: self.usages_of(term_id) for term_id in self._records}

    def forget_usages(self) -> None:
        """Let go of every recorded occurrence (their term pages are made)."""
        self._records.clear()

    def unused_terms_problems(self) -> list[DataProblem]:
        """One warning per term that no document page mentions, unless its entry says it is not expected to."""
        return [DataProblem(self.lexicon.path, term.line, f"term '{term.term}' is never used in the document")
                for term in self.lexicon.terms if term.expected_in_text and not self._records.get(term.id)]


@lru_cache(maxsize=65536)
def _relative_path(target: str, start: str) -> str:
    """``posixpath.relpath``, cached: every term link of a folder asks the same few questions,
    and relpath (which normalizes both paths each time) showed up in profiles of large sites."""
    return posixpath.relpath(target, start)


_recent_matchers: RecentResults[int, tuple[Lexicon, TermMatcher]] = RecentResults()


def _matcher_of(lexicon: Lexicon) -> TermMatcher:
    """The matcher of a lexicon, built once per lexicon object: the loader returns the same
    object while the file is unchanged, so ``serve`` rebuilds reuse it. Keyed by identity
    (the lexicon is kept beside it, so its id cannot be reused while the entry exists)."""
    return _recent_matchers.get_or_make(id(lexicon), lambda: (lexicon, TermMatcher(lexicon.terms)))[1]
