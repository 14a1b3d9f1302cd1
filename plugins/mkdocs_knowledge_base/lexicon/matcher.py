"""Finding lexicon terms in running text: one prebuilt word trie for the whole lexicon.

Rules (documented in the README, tested in ``tests/test_matcher.py``):

- every spelling of a term (the term, its aliases) and the regular plural of each spelling's
  last word (+s; +es after s, x, z, ch, sh; consonant+y -> ies; acronyms +s: ACEs); a last
  word already ending in -s (but not -ss, -us, -is) is taken as plural and left alone;
- spellings written in capitals (IMH, ACE, DC:0–3) match only as written, others in any case;
- any dash matches any dash (DC:0-3 = DC:0–3) and any run of white space matches a space;
- whole words only, where a hyphen *before* a word joins it to the previous one: "regulation"
  is not found inside "co-regulation", but a term may start a compound ("IMH-trained",
  "caregiver-child"), because there it keeps its meaning;
- at one position the longest spelling wins ("reflective supervision", not "reflective").

How, and why it stays fast for any lexicon size: every spelling is cut into *units* (a run of
word characters, a run of white space, or one other character) and stored in a trie keyed by
unit, one trie for case-folded spellings and one for acronyms. A text is never scanned term by
term: the set of its words is intersected with the set of words that start a spelling (both
in C), and only where such a word stands does a walk down the trie begin, unit by unit, keeping
the longest spelling that ends on a whole word. The cost is one pass of set operations over
the text plus one short walk per candidate, whatever the number of terms; building the tries
is one dictionary insertion per unit of each spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from mkdocs_knowledge_base.lexicon.model import DASHES, Term, form_key, is_acronym

_VOWELS = set("aeiou")
_SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")
_SINGULAR_S_ENDINGS = ("ss", "us", "is")
"""A last word ending in another -s ("experiences", "services") is taken as already plural."""
_UNIT = re.compile(r"\w+|\s+|[^\w\s]")
_WORD = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")
_DASH = "-"
"""The one key every dash character is stored and looked up under."""
_SPACE = " "
"""The one key every run of white space is stored and looked up under."""
_TERM_ID = ""
"""Key of a trie node under which the id of the term whose spelling ends there is stored (no unit is empty)."""

Trie = dict[str, "Trie | str"]


@dataclass(frozen=True)
class TermMatch:
    """One occurrence of a term in a text: where, which term, and the text as written."""

    start: int
    end: int
    term_id: str
    text: str


def plural_forms(form: str) -> list[str]:
    """Regular plural(s) of a spelling, inflecting its last word; none when it ends in a non-letter."""
    if not form or not form[-1].isalpha():
        return []
    if is_acronym(form):
        return [form + "s"]
    lower = form.lower()
    if lower.endswith("s") and not lower.endswith(_SINGULAR_S_ENDINGS):
        return []
    if lower.endswith(_SIBILANT_ENDINGS):
        return [form + "es"]
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in _VOWELS:
        return [form[:-1] + "ies"]
    return [form + "s"]


def _unit_key(unit: str) -> str:
    """The trie key of one unit of text: dashes and white space unified, words as they are."""
    if unit in DASHES:
        return _DASH
    return _SPACE if unit[0].isspace() else unit


def _insert(trie: Trie, units: list[str], term_id: str) -> None:
    """Store one spelling's units; a spelling already stored keeps its first term (the loader reports the clash)."""
    node = trie
    for unit in units:
        node = node.setdefault(unit, {})  # type: ignore[assignment]
    node.setdefault(_TERM_ID, term_id)


class TermMatcher:
    """Finds every term of a lexicon in a text, in one pass per text."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self._exact: dict[str, str] = {}
        """Acronym spelling -> term id (compared as written)."""
        self._folded: dict[str, str] = {}
        """Lower-cased spelling -> term id."""
        self._folded_trie: Trie = {}
        self._exact_trie: Trie = {}
        for term in terms:
            for name in term.names:
                for form in (name, *plural_forms(name)):
                    acronym = is_acronym(form)
                    (self._exact if acronym else self._folded).setdefault(form_key(form), term.id)
                    units = [_unit_key(unit) for unit in _UNIT.findall(form if acronym else form.lower())]
                    _insert(self._exact_trie if acronym else self._folded_trie, units, term.id)
        self._tries = ((self._exact_trie, False), (self._folded_trie, True))
        first_units = set(self._folded_trie) | set(self._exact_trie)
        self._first_words = {unit.lower() for unit in first_units if _WORD.fullmatch(unit)}
        """Lower-cased words that start some spelling: a text without any of them has no term."""
        self._first_signs = {unit for unit in first_units if not _WORD.fullmatch(unit)}
        """Other characters that start some spelling ("(", "+"), dashes as ``_DASH``."""

    def term_id_of(self, text: str) -> str | None:
        """The term ``text`` spells exactly (whole text), or None."""
        key = form_key(text)
        return self._exact.get(key) or self._folded.get(key.lower())

    def find_all(self, text: str) -> list[TermMatch]:
        """Every non-overlapping term occurrence in ``text``, left to right.

        White space alone is answered at once: no spelling starts with it, and two thirds of
        the texts of a page's tree are the line breaks between its blocks.
        """
        matches: list[TermMatch] = []
        if text.isspace():
            return matches
        end = 0
        for start in self._candidate_starts(text):
            if start < end:
                continue
            found = self._longest_at(text, start)
            if found is not None:
                end, term_id = found
                matches.append(TermMatch(start, end, term_id, text[start:end]))
        return matches

    def _candidate_starts(self, text: str) -> list[int]:
        """Sorted positions where a spelling may start: a word (or sign) that starts one, not joined to a word before."""
        lower = text.lower()
        if len(lower) != len(text):  # rare letters whose lower case is longer: positions would shift
            return [word.start() for word in _WORD.finditer(text)
                    if word.group().lower() in self._first_words and self._starts_word(text, word.start())]
        starts = []
        word_char = _WORD_CHAR.match
        for word in self._first_words.intersection(_WORD.findall(lower)):
            length = len(word)
            position = lower.find(word)
            while position != -1:
                # A whole word, not joined to a word before it (by a word character or a dash).
                if not word_char(lower, position + length) and (
                        position == 0 or not (word_char(lower, position - 1) or lower[position - 1] in DASHES)):
                    starts.append(position)
                position = lower.find(word, position + length)
        for sign in self._first_signs:
            for char in (DASHES if sign == _DASH else sign):
                position = text.find(char)
                while position != -1:
                    if self._starts_word(text, position):
                        starts.append(position)
                    position = text.find(char, position + 1)
        starts.sort()
        return starts

    @staticmethod
    def _starts_word(text: str, position: int) -> bool:
        """Nothing joins ``position`` to a word before it: neither a word character nor a dash."""
        return position == 0 or not (_WORD_CHAR.match(text, position - 1) or text[position - 1] in DASHES)

    def _longest_at(self, text: str, start: int) -> tuple[int, str] | None:
        """(end, term id) of the longest spelling starting at ``start`` and ending on a whole word.

        The walk of ``_unit_key`` and the tries, written out: it runs at every candidate start
        of every text of every page.
        """
        best: tuple[int, str] | None = None
        match_unit, word_char = _UNIT.match, _WORD_CHAR.match
        for trie, fold in self._tries:
            node = trie
            position = start
            while (unit := match_unit(text, position)) is not None:
                piece = unit.group().lower() if fold else unit.group()
                child = node.get(_DASH if piece in DASHES else _SPACE if piece[0].isspace() else piece)
                if child is None:  # under a unit (never empty) there is only ever a node
                    break
                node, position = child, unit.end()  # type: ignore[assignment]
                term_id = node.get(_TERM_ID)
                if term_id is not None and not word_char(text, position) and (best is None or position > best[0]):
                    best = (position, term_id)  # type: ignore[assignment]
        return best
