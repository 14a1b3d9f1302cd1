"""The term database as plain data: what one lexicon entry says, and lookups over all of them.

Why separate from loading: the matcher, the Markdown extension, the generated pages and the
exports all read terms; none of them should care that the terms came from YAML.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from mkdocs_knowledge_base.lexicon.definitions import RenderedDefinition, render_definition

_NOT_SLUG = re.compile(r"[^\w]+")
DASHES = "-\u2010\u2011\u2012\u2013\u2014"
_TO_HYPHEN = str.maketrans(dict.fromkeys(DASHES, "-"))


def slugify(text: str) -> str:
    """The default term id: lower case, runs of anything but letters/digits become one ``-``."""
    return _NOT_SLUG.sub("-", unicodedata.normalize("NFKC", text).lower()).strip("-_")


def is_acronym(form: str) -> bool:
    """Written in capitals (IMH, ACE, DC:0–3): such forms only match exactly as written.

    That is: some letter in upper case, none in lower case. For ASCII this is exactly
    ``str.isupper``, one C call; only other text is looked at character by character, because
    ``str.isupper`` also refuses titlecase letters ("ǅ"), which are neither upper nor lower.
    The loader, the matcher and every lookup by name ask this of every spelling they see.
    """
    if form.isascii():
        return form.isupper()
    return any(ch.isupper() for ch in form) and not any(ch.islower() for ch in form)


def form_key(form: str) -> str:
    """How two spellings are compared: dashes and spacing unified; case folded unless an acronym.

    ``split``/``join`` trims and collapses exactly the white space ``\\s`` means; an ASCII
    text has no dash to unify but ``-``, so only other text is translated.
    """
    unified = " ".join(form.split())
    if not unified.isascii():
        unified = unified.translate(_TO_HYPHEN)
    return unified if is_acronym(unified) else unified.lower()


@dataclass(frozen=True)
class Term:
    """One lexicon entry, validated: names, definition (Markdown) and links to other data."""

    term: str
    id: str
    definition: str
    aliases: tuple[str, ...] = ()
    source: str | None = None
    related: tuple[str, ...] = ()
    """Other terms as written in the YAML (their ``term`` or ``id``), resolved by the ``Lexicon``."""
    references: tuple[str, ...] = ()
    expected_in_text: bool = True
    """False for a term kept in the lexicon although the document never uses it (e.g. one named
    only in the titles of cited works): no "never used" warning for it, and no other term loses one."""
    line: int | None = None
    """Line of the entry in the lexicon file, for warnings found later (e.g. an unused term)."""

    @property
    def heading(self) -> str:
        """The term as a page title: lexicon names are lower case ("mutual regulation"), titles start capitalised."""
        return self.term[:1].upper() + self.term[1:]

    @cached_property
    def rendered_definition(self) -> RenderedDefinition:
        """The definition rendered once, safely (raw HTML escaped, unsafe links refused: see ``definitions``)."""
        return render_definition(self.definition)

    @property
    def definition_html(self) -> str:
        """The definition as HTML, the same wherever it is shown (popovers, glossary, term pages)."""
        return self.rendered_definition.html

    @property
    def definition_text(self) -> str:
        """The definition as plain text (CSV/JSON exports, schema.org description)."""
        return self.rendered_definition.text

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling the author listed: the term first, then its aliases."""
        return (self.term, *self.aliases)


@dataclass
class Lexicon:
    """All terms of one lexicon file, in file order."""

    path: str
    terms: list[Term] = field(default_factory=list)

    @cached_property
    def by_id(self) -> dict[str, Term]:
        """Term id -> term (ids are checked unique by the loader)."""
        return {term.id: term for term in self.terms}

    @cached_property
    def _by_name(self) -> dict[str, Term]:
        """Spelling key of each term's name and id (as written and lower-cased) -> term."""
        names: dict[str, Term] = {}
        for term in self.terms:
            for name in (term.term, term.id):
                key = form_key(name)
                names.setdefault(key, term)
                names.setdefault(key.lower(), term)
        return names

    def resolve(self, name_or_id: str) -> Term | None:
        """The term called ``name_or_id`` (its ``term`` or ``id``, exact case first, then any case)."""
        if (by_id := self.by_id.get(name_or_id)) is not None:
            return by_id
        key = form_key(name_or_id)
        return self._by_name.get(key) or self._by_name.get(key.lower())

    @cached_property
    def _related_of(self) -> dict[int, tuple[tuple[str, Term | None], ...]]:
        """Each term of the lexicon (by identity: the lexicon holds them) -> ``_resolve_related``.

        Resolved once for all terms: the loader's check, both downloads and every term page
        ask for them, and a name is resolved through its spelling key.
        """
        return {id(term): self._resolve_related(term) for term in self.terms}

    def _resolve_related(self, term: Term) -> tuple[tuple[str, Term | None], ...]:
        """Each related name of ``term`` with the term it names (None if none), looked up now."""
        return tuple((name, self.resolve(name)) for name in term.related)

    def related_entries(self, term: Term) -> tuple[tuple[str, Term | None], ...]:
        """Each name ``term`` lists as related, as written, with the term it names (None for an unknown name)."""
        entries = self._related_of.get(id(term))
        return entries if entries is not None else self._resolve_related(term)

    def related_terms(self, term: Term) -> list[Term]:
        """The existing terms ``term`` lists as related (unknown names are reported by the loader)."""
        return [other for _, other in self.related_entries(term) if other is not None and other.id != term.id]
