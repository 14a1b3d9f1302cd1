"""What went wrong in a BibTeX file, said so that a non-programmer can fix it.

Why a module of its own: pybtex's scanner reports where it gave up and what token it wanted
("'}' expected"), which is true but useless to someone who pasted a reference from a
website. The real mistake (a brace never closed, a comma forgotten at the end of the line
above) is usually elsewhere, so it is worked out here from the entry's text, as plain
functions over strings that the loader calls and the tests drive with tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pybtex.database.input.bibtex import UndefinedMacro
from pybtex.scanner import PrematureEOF, PybtexSyntaxError, TokenRequired

KNOWN_ENTRY_TYPES = frozenset({
    # BibTeX's standard types ...
    "article", "book", "booklet", "conference", "inbook", "incollection", "inproceedings", "manual",
    "mastersthesis", "misc", "phdthesis", "proceedings", "techreport", "unpublished",
    # ... and the biblatex types reference managers export.
    "online", "electronic", "www", "webpage", "report", "thesis", "collection", "mvbook", "dataset",
    "software", "periodical", "patent", "standard",
})
"""Entry types a reference manager may write; any other type is almost certainly a typo."""

SUGGESTED_TYPES = "@article, @book, @incollection, @inproceedings, @techreport, @phdthesis, @online or @misc"

_NOT_AN_ENTRY = ("a valid name expected", "'(' or '{' expected")
"""What pybtex wants right after an ``@``: without it, the ``@`` was never meant to start an entry."""
_KEY_WITH_SPACES = re.compile(r"@[A-Za-z]+[ \t]*[{(][ \t]*([^\s,{}()=]+(?:[ \t]+[^\s,{}()=]+)+)[ \t]*,")
"""``@book{with space,``: pybtex ends the key at the space and then misreads the rest."""
_NEXT_ENTRY = re.compile(r"\n[ \t]*@")
_FIELD_START = re.compile(r"\s*,?\s*([A-Za-z][\w:.+-]*)\s*=")
"""A ``name =`` (optionally after a stray comma): where a field starts."""


@dataclass(frozen=True)
class Located:
    """A message and the line it is about."""

    line: int
    message: str


def line_at(text: str, position: int) -> int:
    """1-based line of ``position`` in ``text``."""
    return text.count("\n", 0, position) + 1


def entry_region(text: str, entry_start: int) -> str:
    """The entry's text as an author sees it: from its ``@`` to the next line starting with ``@``."""
    following = _NEXT_ENTRY.search(text, entry_start + 1)
    return text[entry_start:following.start() + 1 if following else len(text)]


def _unclosed_brace_line(text: str, entry_start: int) -> int | None:
    """The line whose braced value never closes: the first line after the ``@`` line ending
    deeper than a field value's own braces, where the next line starts a new field (or the
    entry's text ends). None when the entry is not written one field per line."""
    lines = entry_region(text, entry_start).split("\n")
    first_line = line_at(text, entry_start)
    depth = lines[0].count("{") - lines[0].count("}")
    for offset, line in enumerate(lines[1:], start=1):
        depth += line.count("{") - line.count("}")
        following = lines[offset + 1:]
        next_text = next((candidate for candidate in following if candidate.strip()), "")
        if depth >= 2 and (not next_text or _FIELD_START.match(next_text)):
            return first_line + offset
    return None


def _entry_name(key: str | None, entry_line: int) -> str:
    return f"entry '{key}'" if key else f"the entry starting at line {entry_line}"


def explain_syntax_error(text: str, entry_start: int, error: PybtexSyntaxError, *,
                         key: str | None, field: str | None) -> Located:
    """The line to point at and what to do, for a syntax error pybtex raised in the entry
    starting at ``entry_start`` (``key`` and ``field`` are what the scanner had read)."""
    entry_line = line_at(text, entry_start)
    entry = _entry_name(key, entry_line)
    region = entry_region(text, entry_start)
    unclosed = region.count("{") - region.count("}")
    error_position = min(error.parser.pos, len(text))
    error_line = line_at(text, error_position)
    if isinstance(error, TokenRequired) and error.args[0] in _NOT_AN_ENTRY:
        return Located(entry_line, "this '@' does not start an entry; an entry starts like @book{smith2020, "
                                   "and an '@' elsewhere (in a comment, an e-mail address) must be removed")
    spaced_key = _KEY_WITH_SPACES.match(text, entry_start)
    if isinstance(error, TokenRequired) and spaced_key:
        written = spaced_key[1]
        return Located(entry_line, f"the key '{written}' contains a space, which keys may not; write it without "
                                   f"spaces, e.g. {'-'.join(written.split())}, and cite it by that key")
    if isinstance(error, UndefinedMacro):
        name = error.args[0]
        return Located(error_line, f"{entry}: the value '{name}' of field '{field or '?'}' is neither a number "
                                   f"nor in braces; write {field or 'field'} = {{{name}}}")
    if unclosed > 0:
        culprit = _unclosed_brace_line(text, entry_start)
        if culprit is not None:
            return Located(culprit, f"{entry} (line {entry_line}) has an opening brace '{{' on this line that is "
                                    "never closed; add the missing '}'")
        return Located(entry_line, f"{entry} has an opening brace '{{' that is never closed; "
                                   "add the missing '}' before the next '@'")
    if unclosed < 0:
        return Located(entry_line, f"{entry} has a closing brace '}}' too many; remove it")
    if isinstance(error, PrematureEOF):
        return Located(entry_line, f"the file ends inside {entry}; close the entry with '}}'")
    if isinstance(error, TokenRequired):
        return _explain_missing_token(text, error, error_position, entry, entry_line, field)
    return Located(error_line, f"{entry}: {error.args[0]}; check the braces and quotes of this line")


def _explain_missing_token(text: str, error: TokenRequired, position: int, entry: str, entry_line: int,
                           field: str | None) -> Located:
    """A token pybtex wanted but did not find, in an entry whose braces balance."""
    wanted = error.args[0]
    error_line = line_at(text, position)
    if wanted == "'=' expected":
        return Located(error_line, f"{entry}: field '{field}' has no '='; write {field} = {{...}}")
    if wanted == "field value expected":
        return Located(error_line, f"{entry}: field '{field}' has no value; write {field} = {{...}} "
                                   "or delete the field")
    if wanted == "entry key expected":
        return Located(error_line, f"{entry} has no key; write a key and a comma after the brace, "
                                   "e.g. @book{smith2020,")
    next_field = _FIELD_START.match(text, position)
    if next_field:
        comma_line = line_at(text, len(text[:position].rstrip()))
        return Located(comma_line, f"{entry} (line {entry_line}): a comma is missing at the end of this line, "
                                   f"before field '{next_field[1]}'; add ','")
    return Located(error_line, f"{entry} (line {entry_line}): unexpected text here; each field is written "
                               "name = {value}, with a comma after it")


def explain_early_end(text: str, entry_start: int, entry_end: int, key: str | None) -> Located | None:
    """An entry closed by a ``}`` too many, with fields after it that BibTeX silently drops.

    pybtex sees no error here (text between entries is a comment), so the entry would lose
    its later fields without a word; None when nothing but a comment follows the entry.
    """
    rest = entry_region(text, entry_start)[entry_end - entry_start:]
    dropped = _FIELD_START.match(rest)
    if dropped is None:
        return None
    entry_line = line_at(text, entry_start)
    return Located(line_at(text, entry_end - 1),
                   f"{_entry_name(key, entry_line)} (line {entry_line}) is closed on this line by a '}}' too many, "
                   f"so field '{dropped[1]}' and those after it are lost; remove the extra '}}'")


def explain_name_error(key: str, error: Exception) -> str:
    """pybtex's "Too many commas in 'Smith, A., Jones, B.'": people joined by commas, not ``and``."""
    return f"entry '{key}': {error}; separate people with ' and ' (Smith, Ann and Jones, Bob), not commas"


def explain_unknown_type(entry_type: str, key: str) -> str:
    """The message for ``@bok{key,``: kept as ``@misc`` so citing it still works."""
    return (f"entry '{key}' has the unknown type '@{entry_type}', so it is printed as @misc; "
            f"use one of {SUGGESTED_TYPES}")

