"""Turning BibTeX field values (LaTeX-flavoured) into Unicode text.

Why a module of its own: the APA formatter needs to know which parts of a title are
brace-protected (they keep their case), while the exporters only need plain text. Both
go through the same decoding, and both take the fast path for the common case — a field
without ``\\`` or ``{`` is already plain text and is returned without touching pybtex's
LaTeX parser, which is far slower than a couple of ``str`` methods. The next most common
case, braces and dash ligatures alone (``{DC}:0--3``), is split at its braces directly.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pybtex.markup import LaTeXParser
from pybtex.richtext import BaseText, Protected, String, Text

Segment = tuple[str, bool, bool]
"""A run of decoded text, whether braces protected it from case changes, and whether
``\\emph``/``\\textit`` (or ``{\\em ...}``) set it in italics."""
Run = tuple[str, bool]
"""A run of finished text and whether it is in italics."""

_ITALIC_COMMAND = re.compile(r"\\(?:emph|textit|textsl)\s*$")
"""A command whose braced argument, the next part of pybtex's rich text, is set in italics."""
_ITALIC_SWITCH = re.compile(r"\\(?:em|it|itshape|sl|slshape)(?![A-Za-z])")
"""A switch opening a group (``{\\em old}``): the rest of the group is in italics."""
_LEFTOVER_COMMAND = re.compile(r"\\[A-Za-z]+\s*")
"""Commands pybtex's LaTeX reader keeps verbatim (``\\emph``, ``\\textit``): their argument stays, the command goes."""
_BRACE = re.compile(r"([{}])")
"""Splits a value at each brace, keeping the braces."""
_CHANGED_BY_LATEX_CODEC = re.compile(r"[\\%$#~\t\n\r\f\v]|--|``|''|,,|[!?]`|  |^ ")
"""What latexcodec's decoder rewrites: commands, comments, math, ties, line breaks, runs of
spaces, a leading space, and the TeX ligatures for dashes, quotes and inverted ``!``/``?``."""


def needs_latex_decoding(value: str) -> bool:
    """True when the value has LaTeX markup (a tie ``~`` is a non-breaking space); plain values
    skip the (slow) LaTeX parser."""
    return "\\" in value or "{" in value or "~" in value


def _plain_dashes(value: str) -> str:
    """The TeX ligatures for dashes, which plain fields still use for ranges and breaks."""
    if "--" not in value:
        return value
    return value.replace("---", "\u2014").replace("--", "\u2013")


def _parse_latex(value: str) -> Text:
    """pybtex's ``Text.from_latex``, minus the latexcodec pass when it would change nothing.

    A title whose only markup is a braced word (``{Zero to Three}``) is common, and for it
    latexcodec costs some 25 times more than pybtex's brace parser that follows it.
    """
    if _CHANGED_BY_LATEX_CODEC.search(value):
        return Text.from_latex(value)
    return LaTeXParser(value).parse()


def _flatten(part: BaseText, protected: bool, italic: bool, out: list[Segment]) -> None:
    """Walk pybtex's rich text, keeping whether each run sits inside braces and in italics.

    pybtex leaves ``\\emph`` as text before its braced argument, and ``\\em`` as text at the
    start of its group; the commands themselves are dropped from the output.
    """
    if isinstance(part, String):
        out.append((_LEFTOVER_COMMAND.sub("", part.value), protected, italic))
        return
    is_group = isinstance(part, Protected)
    opens_with_switch = is_group and bool(part.parts) and isinstance(part.parts[0], String) \
        and _ITALIC_SWITCH.match(part.parts[0].value) is not None
    inner_italic = italic or opens_with_switch
    after_italic_command = False
    for child in part.parts:
        _flatten(child, protected or is_group, inner_italic or (after_italic_command and isinstance(child, Protected)),
                 out)
        after_italic_command = isinstance(child, String) and _ITALIC_COMMAND.search(child.value) is not None


@lru_cache(maxsize=16384)
def decode_segments(value: str) -> tuple[Segment, ...]:
    """Decode a field into runs of text, each flagged as brace-protected or not.

    Cached because the same value (a journal name, a publisher) recurs across entries and
    across rebuilds of ``mkdocs serve``.
    """
    if not needs_latex_decoding(value):
        return ((_plain_dashes(value), False, False),)
    if not _CHANGED_BY_LATEX_CODEC.search(value.replace("--", "")):
        brace_segments = _brace_segments(value)
        if brace_segments is not None:
            return brace_segments
    segments: list[Segment] = []
    _flatten(_parse_latex(value), False, False, segments)
    return tuple(segment for segment in segments if segment[0])


def _brace_segments(value: str) -> tuple[Segment, ...] | None:
    """The segments of a value whose only markup is braces and dash ligatures
    (``{DC}:0--3``, ``{Head Start} programs``), read without latexcodec or pybtex's parser;
    None when the braces do not balance (the parser then reports it).

    Why: that is most of the LaTeX in titles, and latexcodec took some 500 µs for each such
    value (pybtex's brace parser some 15 µs): at 10,000 entries, a third of the exports'
    time. A dash ligature never spans a brace, so each run's dashes are its own. An empty group
    (``{}``) or adjacent groups (``}{``) are left to pybtex, which merges the runs around them.
    """
    if "{}" in value or "}{" in value:
        return None
    segments: list[Segment] = []
    depth = 0
    for part in _BRACE.split(value):
        if part == "{":
            depth += 1
        elif part == "}":
            depth -= 1
            if depth < 0:
                return None
        elif part:
            segments.append((_plain_dashes(part), depth > 0, False))
    return tuple(segments) if depth == 0 else None


@lru_cache(maxsize=16384)
def decode(value: str) -> str:
    """Plain Unicode text of a field: LaTeX accents decoded, braces dropped.

    Cached like ``decode_segments``: a formatted reference decodes a dozen fields, and one
    C-level cache hit is cheaper than even the fast path's few Python calls.
    """
    if not needs_latex_decoding(value):
        return _plain_dashes(value)
    return "".join(segment[0] for segment in decode_segments(value))


_BREAK_THEN_LETTER = re.compile(r"((?:[:?!]\s+|\s*\u2014\s*)[^\w\s]*)(\w)")
"""A colon, question/exclamation mark or em dash, then the first letter of the next word."""
_FIRST_LETTER = re.compile(r"^([^\w]*)(\w)")
_ENDS_WITH_BREAK = re.compile(r"(?:[:?!]\s+|\u2014\s*)[^\w\s]*$")


def _upper_second_group(match: re.Match[str]) -> str:
    return match.group(1) + match.group(2).upper()


@lru_cache(maxsize=16384)
def sentence_case_runs(value: str) -> tuple[Run, ...]:
    """APA sentence case: lower-case every word except the first, the first after a colon,
    em dash, question or exclamation mark, and anything the BibTeX author braced; as runs of
    roman and italic text (``\\emph{Homo sapiens}``), neighbours of the same style joined.

    Only braces protect: a capitalised word outside braces is lower-cased, because BibTeX
    titles are routinely stored in title case and APA wants sentence case.

    Cached per title: each rebuild of ``mkdocs serve`` formats the same titles again.
    """
    if not value.strip():
        return ()
    capitalize_next = True
    runs: list[Run] = []
    for text, protected, italic in decode_segments(value):
        cased = text
        if not protected:
            cased = _BREAK_THEN_LETTER.sub(_upper_second_group, text.lower())
            if capitalize_next:
                cased = _FIRST_LETTER.sub(_upper_second_group, cased, count=1)
        if runs and runs[-1][1] == italic:
            runs[-1] = (runs[-1][0] + cased, italic)
        else:
            runs.append((cased, italic))
        if text.strip():
            capitalize_next = bool(_ENDS_WITH_BREAK.search(text))
    return tuple(runs)
