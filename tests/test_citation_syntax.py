"""The pandoc citation parser: every form the paper's authors write, and what is not a citation."""

from __future__ import annotations

import re

import pytest

from mkdocs_knowledge_base.citations.syntax import BRACKET_PATTERN, CitedItem, parse_citation


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("@key", [CitedItem("key")]),
        ("@key, p. 33", [CitedItem("key", locator="p. 33", locator_label="page")]),
        ("@key, pp. 221-222", [CitedItem("key", locator="pp. 221-222", locator_label="page")]),
        ("see @key, ch. 2", [CitedItem("key", prefix="see", locator="ch. 2", locator_label="chapter")]),
        ("@a; @b", [CitedItem("a"), CitedItem("b")]),
        (
            "see @doe99, pp. 33-35, 38-39 and *passim*",
            [CitedItem("doe99", prefix="see", locator="pp. 33-35, 38-39", locator_label="page", suffix="and *passim*")],
        ),
        ("@doe99, 33-35", [CitedItem("doe99", locator="33-35", locator_label="page")]),
        ("-@smith04, chap. iv", [CitedItem("smith04", locator="chap. iv", locator_label="chapter", suppress_author=True)]),
        ("@a, § 3", [CitedItem("a", locator="§ 3", locator_label="section")]),
        ("@a, sec. 2.1", [CitedItem("a", locator="sec. 2", locator_label="section", suffix=".1")]),
        ("see @a, mid-life", [CitedItem("a", prefix="see", suffix="mid-life")]),
        ("see also   @a,\n p. 4; compare @b:2020", [
            CitedItem("a", prefix="see also", locator="p. 4", locator_label="page"),
            CitedItem("b:2020", prefix="compare"),
        ]),
    ],
)
def test_citation_forms(body: str, expected: list[CitedItem]) -> None:
    citation = parse_citation(body)
    assert citation is not None
    assert list(citation.items) == expected


@pytest.mark.parametrize(
    "body",
    [
        "mail jo@example.org",  # e-mail address: @ inside a word
        "jo@example.org; @a",  # one item without a key spoils the bracket
        "@",  # no key
        "@key!x",  # key runs into something that is no separator
        "nothing here",
    ],
)
def test_not_a_citation(body: str) -> None:
    assert parse_citation(body) is None


@pytest.mark.parametrize(
    ("text", "is_candidate"),
    [
        ("[@key]", True),
        ("[see @key, p. 3]", True),
        ("[@key](https://example.org)", False),  # a link whose text starts with @
        ("[@key][label]", False),  # a reference link
        ("[@key]: https://example.org", False),  # a link definition
        ("[^note]", False),  # an author's footnote
    ],
)
def test_bracket_candidates(text: str, is_candidate: bool) -> None:
    assert (re.match(BRACKET_PATTERN, text) is not None) is is_candidate


def test_keys_of_a_multi_work_citation_keep_order_and_repeats() -> None:
    citation = parse_citation("@b; @a; @b, p. 2")
    assert citation is not None
    assert citation.keys == ("b", "a", "b")
