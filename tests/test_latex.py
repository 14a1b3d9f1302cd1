"""LaTeX decoding of BibTeX fields: the short path for braces and dash ligatures reads values
exactly as pybtex's parser (after latexcodec) does."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pybtex.scanner import PybtexSyntaxError

from mkdocs_knowledge_base.bibliography import latex


def read_by_pybtex(value: str) -> tuple[latex.Segment, ...]:
    """The segments as latexcodec and pybtex's parser give them, without the short path."""
    segments: list[latex.Segment] = []
    latex._flatten(latex._parse_latex(value), False, False, segments)
    return tuple(segment for segment in segments if segment[0])


@pytest.mark.parametrize(("value", "segments"), [
    ("{DC}:0--3 manual", (("DC", True, False), (":0\u20133 manual", False, False))),
    ("A---{B}", (("A\u2014", False, False), ("B", True, False))),
    ("{Zero to {Three}}", (("Zero to ", True, False), ("Three", True, False))),
    ("-{-}", (("-", False, False), ("-", True, False))),  # no ligature across a brace
    ("a{}b", (("ab", False, False),)),  # pybtex's own reading: the runs around an empty group merge
    ("{a}{b}", (("ab", True, False),)),
    (r"{\"O}sterreich", (("\u00d6", True, False), ("sterreich", False, False))),
])
def test_segments(value: str, segments: tuple[latex.Segment, ...]) -> None:
    assert latex.decode_segments.__wrapped__(value) == segments == read_by_pybtex(value)


def test_unbalanced_braces_are_refused_as_pybtex_refuses_them() -> None:
    with pytest.raises(PybtexSyntaxError):
        latex.decode_segments.__wrapped__("Smile :-} {ok")


@settings(max_examples=500)
@given(st.text(alphabet="aB -{}:'.,!?`\u00c4\u2013", max_size=16))
def test_the_short_path_reads_what_pybtex_reads(value: str) -> None:
    assume(latex.needs_latex_decoding(value))  # plain values never reach either reader
    try:
        expected = read_by_pybtex(value)
    except PybtexSyntaxError:
        with pytest.raises(PybtexSyntaxError):
            latex.decode_segments.__wrapped__(value)
        return
    assert latex.decode_segments.__wrapped__(value) == expected
