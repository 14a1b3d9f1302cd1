"""A fast reader for well-formed BibTeX that gives exactly what pybtex's own reader gives.

Why: pybtex's ``LowLevelParser`` moves through a file one token at a time in Python and
``Person`` splits each name with several regular-expression passes; together 2-3 s for a
10,000-work bibliography, most of a large build's plugin budget. Here a whole entry is
checked by one regular expression that spells out pybtex's grammar (every token possessive,
so it can only be read the one way pybtex's tokenizer reads it), and its fields are cut out
by a second one. Anything it does not fully understand (a syntax error, an undefined macro,
braces nested deeper than it spells out) makes ``scan`` answer None, and the loader reads
the whole file with pybtex instead, so every error message stays pybtex's (and ours about
it). Errors are rare; valid files are what must be fast.

Names: ``person_parts`` gives the parts pybtex's ``Person`` would have. Names whose braces
pair up (all but broken ones) are split here by BibTeX's rules, the rest by pybtex; both are
remembered by their text, since the same authors recur across works (and so every work of an
author shares one ``NameParts``).

Everything here is checked against pybtex itself by ``tests/test_bibliography_fast_parse.py``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from string import digits
from typing import NamedTuple

from pybtex.bibtex.utils import BIBTEX_SPACE_RE, split_name_list
from pybtex.database import Person
from pybtex.database.input.bibtex import NAME_CHARS

from mkdocs_knowledge_base.bibliography.entry import BibEntry
from mkdocs_knowledge_base.bibliography.names import NameParts

PERSON_FIELDS = frozenset(role.lower() for role in Person.valid_roles)
"""Fields pybtex's parser reads as lists of people (``author``, ``editor``)."""


class ScannedEntry(NamedTuple):
    """One ``@type{key, ...}`` as read from the file, before it becomes a ``BibEntry``."""

    entry_type: str
    """As written (``Book``)."""
    key: str
    fields: list[tuple[str, str]]
    """(Name as written, value) in file order, a repeated field included. The value is what
    pybtex's scanner gives, its parts joined: raw text between the braces or quotes, macros
    expanded, whitespace not yet squeezed."""
    start: int
    """Offset of its ``@``."""
    end: int
    """Offset just after its closing brace or parenthesis."""


_SPACE = r"\s*+"
_NAME = rf"[{re.escape(NAME_CHARS)}][{re.escape(NAME_CHARS + digits)}]*+"
"""pybtex's ``NAME`` token (entry types, field names, macro names)."""
_BRACE_DEPTH = 6
"""Levels of nested braces spelled out below; deeper values (rare) are left to pybtex."""


def _braced_content(depth: int) -> str:
    """What may stand between a ``{`` and its ``}``: braces balanced, at most ``depth`` levels deep."""
    content = r"[^{}]*+"
    for _ in range(depth):
        content = rf"(?:[^{{}}]++|\{{{content}\}})*+"
    return content


_BRACED = _braced_content(_BRACE_DEPTH)
_QUOTED = rf'(?:[^"{{}}]++|\{{{_BRACED}\}})*+'
"""A quoted value's text: a ``"`` counts only outside braces, and a lone ``}`` is pybtex's error."""


def _value_part(group: str) -> str:
    """pybtex's four kinds of value part: quoted, braced, number, macro name.

    ``group`` opens the group around each kind's text: ``(`` to capture it (cutting a value
    into its parts), ``(?:`` not to (checking a whole entry, where captures would slow it).
    """
    return rf'"{group}{_QUOTED})"|\{{{group}{_BRACED})\}}|{group}[0-9]++)|{group}{_NAME})'


_VALUE = rf"(?:{_value_part('(?:')})(?:{_SPACE}#{_SPACE}(?:{_value_part('(?:')}))*+"
"""A value chain (``{a} # "b" # 12 # jan``), its parts not captured."""
_FIELD = rf"{_SPACE}{_NAME}{_SPACE}={_SPACE}{_VALUE}"
_FIELDS = rf"(?:{_FIELD})?+(?:{_SPACE},(?:{_FIELD})?+)*+"
"""pybtex's field loop: optional fields separated by commas (``,,`` and a trailing ``,`` allowed)."""

_COMMAND_HEAD = re.compile(rf"@{_SPACE}({_NAME}){_SPACE}([{{(])")
_BODY_END = {"{": "}", "(": ")"}
_KEY = {"{": r"[^\s,}]++", "(": r"[^\s,]++"}
"""pybtex's key tokens: in ``@type(key, ...)`` a key may contain ``}``."""
_ENTRY_BODY = {
    opening: re.compile(rf"{_SPACE}({_KEY[opening]})((?:{_FIELDS})){_SPACE}\{_BODY_END[opening]}")
    for opening in _BODY_END
}
_STRING_BODY = {
    opening: re.compile(rf"{_SPACE}({_NAME}){_SPACE}={_SPACE}((?:{_VALUE})){_SPACE}\{_BODY_END[opening]}")
    for opening in _BODY_END
}
_PREAMBLE_BODY = {
    opening: re.compile(rf"{_SPACE}((?:{_VALUE})){_SPACE}\{_BODY_END[opening]}") for opening in _BODY_END
}
_BODIES = {"string": _STRING_BODY, "preamble": _PREAMBLE_BODY}
"""Each command's body by its lower-cased name; any other name is an entry."""
_FIELD_PATTERN = re.compile(rf"({_NAME}){_SPACE}={_SPACE}(?:\{{({_BRACED})\}}(?!{_SPACE}#)|({_VALUE}))")
"""One field of an entry already checked: its name, then its one braced value (the usual case)
or else its value chain."""
_VALUE_PART_PATTERN = re.compile(_value_part("("))
_MACRO_GROUP = 4
"""In ``_VALUE_PART_PATTERN``, the group of a macro name (the others hold the value itself)."""
_BALANCED = re.compile(_BRACED)
"""Text whose braces pair up (``fullmatch``), nested at most ``_BRACE_DEPTH`` deep."""


class _NotUnderstood(Exception):
    """Raised inside ``scan`` at the first thing only pybtex should judge."""


class _Macros:
    """The macros an entry may use: those of earlier files (only read) and this file's own."""

    def __init__(self, earlier: Mapping[str, str]) -> None:
        self.earlier = earlier
        self.own: dict[str, tuple[str, str]] = {}
        """Lower-cased name -> (name as written, value), in the order the file defines them."""

    def expand(self, name: str) -> str:
        own = self.own.get(name.lower())
        if own is not None:
            return own[1]
        if name in self.earlier:
            return self.earlier[name]
        raise _NotUnderstood  # pybtex reports it, at its line

    def value(self, chain: str) -> str:
        """A value chain (``{a} # "b" # 12 # jan``) as one text, macros expanded."""
        parts = []
        for part in _VALUE_PART_PATTERN.finditer(chain):
            kind = part.lastindex
            parts.append(self.expand(part[kind]) if kind == _MACRO_GROUP else part[kind])
        return "".join(parts)


def scan(text: str, macros: Mapping[str, str]) -> tuple[list[ScannedEntry], dict[str, str]] | None:
    """The file's entries as pybtex's scanner reads them, and the ``@string`` macros it defines.

    ``macros`` (pybtex's case-insensitive dictionary of the files read before, month names
    included) is only read: the file's own macros are returned, in order, for the caller to
    add once it keeps this reading. ``@preamble`` is checked and skipped (no reference uses
    it). None when pybtex must read the file.
    """
    known = _Macros(macros)
    entries: list[ScannedEntry] = []
    position = text.find("@")
    try:
        while position != -1:
            head = _COMMAND_HEAD.match(text, position)
            if head is None:
                raise _NotUnderstood
            command, opening = head.groups()
            kind = command.lower()
            if kind == "comment":  # pybtex skips only the '@comment{' and reads on from there
                position = text.find("@", head.end())
                continue
            body = _BODIES.get(kind, _ENTRY_BODY)[opening].match(text, head.end())
            if body is None:
                raise _NotUnderstood
            if kind == "string":
                known.own[body[1].lower()] = (body[1], known.value(body[2]))
            elif kind == "preamble":
                known.value(body[1])  # only for its macros: an undefined one is pybtex's to report
            else:
                fields = [(name, known.value(chain) if chain else braced)  # a chain is never empty
                          for name, braced, chain in _FIELD_PATTERN.findall(text, *body.span(2))]
                entries.append(ScannedEntry(command, body[1], fields, position, body.end()))
            position = text.find("@", body.end())
    except _NotUnderstood:
        return None
    return entries, dict(known.own.values())


def build_entry(entry_type: str, fields: Sequence[tuple[str, str]]) -> BibEntry:
    """What pybtex's ``Parser.process_entry`` reads, as the bibliography's record of the entry.

    ``fields`` name each field once (the loader reports a repeated one and keeps the first, as
    pybtex does). Values have their whitespace squeezed (``" ".join(value.split())`` is pybtex's
    ``normalize_whitespace``: ``\\s``, ``split`` and ``strip`` agree on what is whitespace);
    ``author`` and ``editor`` become people (no role for an empty value: pybtex adds people one
    by one).
    """
    values: list[tuple[str, str]] = []
    people: list[tuple[str, tuple[NameParts, ...]]] = []
    for name, raw_value in fields:
        value = " ".join(raw_value.split())
        if name.lower() not in PERSON_FIELDS:
            values.append((name, value))
        elif crowd := tuple([person_parts(person_name) for person_name in split_names(value)]):
            people.append((name, crowd))
    return BibEntry.build(entry_type, values, people)


_AND = re.compile(" [Aa][Nn][Dd] ")
"""pybtex's separator of the people in a name list."""
_COMMA = re.compile(",")


def split_names(value: str) -> list[str]:
    """pybtex's ``split_name_list``: the people of ``A and B``; an ``and`` inside braces
    (``{Barnes and Noble}``) is no separator. Braces that do not pair up are pybtex's to read."""
    if not value:
        return []
    if "{" in value and not _BALANCED.fullmatch(value):
        return split_name_list(value)
    return _split_outside_braces(value, _AND)


def _split_outside_braces(text: str, separator: re.Pattern[str]) -> list[str]:
    """pybtex's ``split_tex_string`` (pieces stripped) for text whose braces pair up: cut at
    each ``separator`` that is not inside braces."""
    if "{" not in text:
        return [piece.strip() for piece in separator.split(text)]
    pieces = []
    start = 0
    for match in separator.finditer(text):
        if text.count("{", 0, match.start()) == text.count("}", 0, match.start()):
            pieces.append(text[start:match.start()].strip())
            start = match.end()
    pieces.append(text[start:].strip())
    return pieces


def _words(text: str) -> list[str]:
    """The words of a name part: pybtex cuts at whitespace, ``~`` and ``\\ `` outside braces."""
    if "{" not in text and "\\" not in text and "~" not in text:
        return text.split()
    return [word for word in _split_outside_braces(text, BIBTEX_SPACE_RE) if word]


def person_parts(name: str) -> NameParts:
    """The parts of ``Person(name)``, remembered by the name's text.

    A name with more than two commas (people joined by commas) goes to pybtex every time:
    its "Too many commas" report must reach the loader for each entry that has it.
    """
    if name.count(",") > 2:
        return NameParts.of(Person(name))
    return _name_parts(name)


@lru_cache(maxsize=1 << 15)
def _name_parts(name: str) -> NameParts:
    """The parts pybtex gives ``name``: split here when its braces pair up, else by pybtex."""
    if "{" in name and not _BALANCED.fullmatch(name):
        return NameParts.of(Person(name))
    return name_parts(name)


def name_parts(name: str) -> NameParts:
    """BibTeX's three name forms, as pybtex's ``Person`` splits them, for a name whose braces
    pair up and with at most two commas (more is pybtex's to report).

    ``First von Last``: the von part starts at the first lower-case word, and the last word
    is always Last. ``von Last, First`` and ``von Last, Jr, First``: the von part ends at the
    last lower-case word before Last's final word.
    """
    name = name.strip()
    if not name:
        return NameParts((), (), (), (), ())
    parts = _split_outside_braces(name, _COMMA)
    lineage: list[str] = []
    if len(parts) == 1:
        words = _words(name)
        von_start = next((index for index, word in enumerate(words) if _is_von(word)), len(words))
        first_middle, von_last = words[:von_start], words[von_start:]
        if not von_last and first_middle:
            von_last.append(first_middle.pop())
    else:
        von_last = _words(parts[0])
        if len(parts) == 3:
            lineage = _words(parts[1])
        first_middle = _words(parts[-1])
    prelast: list[str] = []
    last: list[str] = []
    if von_last:
        *candidates, final = von_last
        von_end = next((index + 1 for index in range(len(candidates) - 1, -1, -1) if _is_von(candidates[index])), 0)
        prelast, last = candidates[:von_end], [*candidates[von_end:], final]
    return NameParts(tuple(first_middle[:1]), tuple(first_middle[1:]), tuple(prelast), tuple(last), tuple(lineage))


def _is_von(word: str) -> bool:
    """pybtex's test for a von particle: its first letter outside braces is lower case, or the
    first letter after the command of an accent like ``{\\"u}`` (a group opening with ``\\``)."""
    if word[0].isupper():
        return False
    if word[0].islower():
        return True
    level = 0
    for index, char in enumerate(word):
        if char == "{":
            if level == 0 and word.startswith("\\", index + 1):
                return _accent_is_lower(_group_text(word, index))
            level += 1
        elif char == "}" and level:
            level -= 1
        elif level == 0:
            if char.isalpha():
                return char.islower()
        elif level == 1 and char == "\\":  # a command inside braces that are no accent: pybtex says no
            return False
    return False


def _group_text(word: str, opening: int) -> str:
    """What stands between the ``{`` at ``opening`` and its ``}``."""
    depth = 0
    for index in range(opening, len(word)):
        depth += {"{": 1, "}": -1}.get(word[index], 0)
        if depth == 0:
            return word[opening + 1:index]
    return word[opening + 1:]


def _accent_is_lower(command: str) -> bool:
    """pybtex's ``special_char_islower``: the case of the first letter after the command's name."""
    in_name = True
    for char in command[1:]:
        if in_name:
            in_name = char.isalpha()
        elif char.isalpha():
            return char.islower()
    return False
