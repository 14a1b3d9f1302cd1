"""Finding lexicon terms in running text: one compiled pattern for the whole lexicon.

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

Why one alternation sorted longest-first: the regex engine picks the longest spelling at
the leftmost position. Why a second pattern, a trie of the same spellings, to find that
position: Python's regex engine tries every alternative of an alternation in turn at each
word start (thousands for a large lexicon), while a trie tries only the spellings that share
what has been read so far. The trie accepts exactly the same texts, so it finds exactly the
positions where the alternation matches; the alternation, run only there, still decides
which spelling wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from mkdocs_knowledge_base.lexicon.model import DASHES, Term, form_key, is_acronym

_VOWELS = set("aeiou")
_SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")
_SINGULAR_S_ENDINGS = ("ss", "us", "is")
"""A last word ending in another -s ("experiences", "services") is taken as already plural."""
_DASH_CLASS = "[" + "".join(map(re.escape, DASHES)) + "]"
_BEFORE_WORD = f"(?<![\\w{_DASH_CLASS[1:-1]}])"
_AFTER_WORD = r"(?!\w)"


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


def _char_patterns(form: str) -> list[str]:
    """Regex for each character of a spelling: dashes interchangeable, spaces any white space."""
    return [_DASH_CLASS if char in DASHES else r"\s+" if char.isspace() else re.escape(char) for char in form]


def _with_case(form: str, pattern: str) -> str:
    """``pattern`` (for ``form`` or a part of it) with the case rule: acronyms as written, others in any case."""
    return pattern if is_acronym(form) else f"(?i:{pattern})"


def _form_pattern(form: str) -> str:
    """Regex for one spelling: dashes interchangeable, spaces any white space, case per the rules."""
    return _with_case(form, "".join(_char_patterns(form)))


def _trie_pattern(spellings: Iterable[Sequence[str]]) -> str:
    """A regex accepting exactly the texts one of the ``spellings`` (each a sequence of per-character
    regexes) accepts, with common prefixes written once: ``ab|ac`` becomes ``a(?:b|c)``."""
    root: dict[str, dict] = {}
    for pieces in spellings:
        node = root
        for piece in pieces:
            node = node.setdefault(piece, {})
        node[""] = {}

    def render(node: dict[str, dict]) -> str:
        branches = [piece + render(child) for piece, child in node.items() if piece]
        if "" in node:
            branches.append("")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return render(root)


class TermMatcher:
    """Finds every term of a lexicon in a text, in one pass per text."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self._exact: dict[str, str] = {}
        """Acronym spelling -> term id (compared as written)."""
        self._folded: dict[str, str] = {}
        """Lower-cased spelling -> term id."""
        spellings: set[str] = set()
        for term in terms:
            for name in term.names:
                for form in (name, *plural_forms(name)):
                    table = self._exact if is_acronym(form) else self._folded
                    table.setdefault(form_key(form), term.id)
                    spellings.add(form)
        longest_first = sorted(spellings, key=lambda form: (-len(form), form))
        alternation = "|".join(_form_pattern(form) for form in longest_first)
        self._pattern = re.compile(f"{_BEFORE_WORD}(?:{alternation}){_AFTER_WORD}") if spellings else None
        trie = _trie_pattern([_with_case(form, piece) for piece in _char_patterns(form)] for form in longest_first)
        self._locator = re.compile(f"{_BEFORE_WORD}{trie}{_AFTER_WORD}") if spellings else None
        """Where ``_pattern`` matches, found faster (see the module docstring)."""

    def term_id_of(self, text: str) -> str | None:
        """The term ``text`` spells exactly (whole text), or None."""
        key = form_key(text)
        return self._exact.get(key) or self._folded.get(key.lower())

    def find_all(self, text: str) -> Iterator[TermMatch]:
        """Every non-overlapping term occurrence in ``text``, left to right."""
        if self._pattern is None or self._locator is None:
            return
        position = 0
        while (located := self._locator.search(text, position)) is not None:
            match = self._pattern.match(text, located.start())
            assert match is not None, "the locator accepts exactly the texts the pattern accepts"
            term_id = self.term_id_of(match.group(0))
            if term_id is not None:
                yield TermMatch(match.start(), match.end(), term_id, match.group(0))
            position = match.end()
