"""The term matcher, table-driven: which words of a text are found as which term."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_knowledge_base.lexicon.matcher import TermMatcher, plural_forms
from mkdocs_knowledge_base.lexicon.model import Term

TERMS = [
    Term("attachment", "attachment", "d", aliases=("attachment relationship",)),
    Term("secure attachment", "secure-attachment", "d"),
    Term("mutual regulation", "mutual-regulation", "d", aliases=("co-regulation", "mutually regulate")),
    Term("regulation", "regulation", "d"),
    Term("IMH", "imh", "d", aliases=("infant mental health",)),
    Term("adverse childhood experiences", "ace", "d", aliases=("ACE",)),
    Term("DC:0–3", "dc-0-3", "d"),
    Term("reflective supervision", "reflective-supervision", "d"),
    Term("reflective", "reflective", "d"),
    Term("caregiver", "caregiver", "d"),
    Term("family", "family", "d"),
    Term("approach", "approach", "d"),
    Term("box", "box", "d"),
    Term("dyad", "dyad", "d"),
    Term("Zuständigkeit", "zustandigkeit", "d"),
    Term("naïve practice", "naive-practice", "d"),
]
MATCHER = TermMatcher(TERMS)


def found(text: str) -> list[tuple[str, str]]:
    return [(match.text, match.term_id) for match in MATCHER.find_all(text)]


@pytest.mark.parametrize(("text", "expected"), [
    # case: ordinary terms in any case
    ("Attachment matters", [("Attachment", "attachment")]),
    ("ATTACHMENT matters", [("ATTACHMENT", "attachment")]),
    # acronyms only as written
    ("IMH and imh and Imh", [("IMH", "imh")]),
    ("an ACE, an ace, ACEs", [("ACE", "ace"), ("ACEs", "ace")]),
    # aliases, including multi-word and verb forms
    ("the attachment relationship", [("attachment relationship", "attachment")]),
    ("they mutually regulate", [("mutually regulate", "mutual-regulation")]),
    ("Infant Mental Health is", [("Infant Mental Health", "imh")]),
    # plurals of the last word: +s, +es, consonant+y -> ies, vowel+y -> +s
    ("caregivers and attachments", [("caregivers", "caregiver"), ("attachments", "attachment")]),
    ("boxes", [("boxes", "box")]),
    ("families", [("families", "family")]),
    ("dyads", [("dyads", "dyad")]),
    ("approaches", [("approaches", "approach")]),
    ("secure attachments", [("secure attachments", "secure-attachment")]),
    ("adverse childhood experienceses are not a word", []),
    # longest match wins at one position
    ("reflective supervision helps", [("reflective supervision", "reflective-supervision")]),
    ("reflective practice", [("reflective", "reflective")]),
    ("secure attachment", [("secure attachment", "secure-attachment")]),
    # hyphens: co-regulation is one word, a term may start a compound but not end one
    ("co-regulation", [("co-regulation", "mutual-regulation")]),
    ("self-regulation", []),
    ("regulation", [("regulation", "regulation")]),
    ("IMH-trained staff", [("IMH", "imh")]),
    ("caregiver-child", [("caregiver", "caregiver")]),
    # dashes and spaces are interchangeable
    ("DC:0–3 and DC:0-3", [("DC:0–3", "dc-0-3"), ("DC:0-3", "dc-0-3")]),
    ("co‑regulation", [("co‑regulation", "mutual-regulation")]),  # non-breaking hyphen
    ("reflective\n  supervision", [("reflective\n  supervision", "reflective-supervision")]),
    # whole words only, Unicode aware
    ("attachments' and attachment's", [("attachments", "attachment"), ("attachment", "attachment")]),
    ("nonattachment, attachmentx, IMHx", []),
    ("IMHs", [("IMHs", "imh")]),
    ("IMH2", []),
    ("die Zuständigkeit, Zuständigkeits", [("Zuständigkeit", "zustandigkeit"), ("Zuständigkeits", "zustandigkeit")]),
    ("éattachment", []),
    ("Naïve practices", [("Naïve practices", "naive-practice")]),
    ("(attachment)", [("attachment", "attachment")]),
])
def test_matcher_finds(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(("form", "plurals"), [
    ("caregiver", ["caregivers"]),
    ("stress", ["stresses"]),
    ("box", ["boxes"]),
    ("buzz", ["buzzes"]),
    ("approach", ["approaches"]),
    ("wish", ["wishes"]),
    ("family", ["families"]),
    ("day", ["days"]),
    ("secure attachment", ["secure attachments"]),
    ("ACE", ["ACEs"]),
    ("DC:0–3", []),
    ("experiences", []),
    ("focus", ["focuses"]),
])
def test_plural_forms(form: str, plurals: list[str]) -> None:
    assert plural_forms(form) == plurals


def test_matcher_positions_point_at_the_occurrence() -> None:
    text = "Early attachment."
    (match,) = MATCHER.find_all(text)
    assert text[match.start:match.end] == "attachment"


def test_empty_lexicon_finds_nothing() -> None:
    assert list(TermMatcher([]).find_all("attachment")) == []


# Spellings sharing long prefixes (as in a large lexicon): the matcher finds their positions with
# a trie of the spellings, and the longest-first alternation still decides which spelling wins.
SHARED_PREFIX_MATCHER = TermMatcher([
    Term("concept1 practice", "c1", "d", aliases=("concept1 practices alias",)),
    Term("concept1", "c1-short", "d"),
    Term("concept12 practice", "c12", "d"),
    Term("kin care", "kin", "d"),
])


@pytest.mark.parametrize(("text", "expected"), [
    ("Concept1  practices alias here", [("Concept1  practices alias", "c1")]),
    ("concept12 practice, concept1 and concept1 practices",
     [("concept12 practice", "c12"), ("concept1", "c1-short"), ("concept1 practices", "c1")]),
    ("concept123 practice, concept1x, xconcept1", []),
    ("CONCEPT1\npractice-based", [("CONCEPT1\npractice", "c1")]),
    ("\u212ain care", [("\u212ain care", "kin")]),  # Kelvin sign: a capital K for case-insensitive matching
])
def test_matcher_with_shared_prefixes(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(match.text, match.term_id) for match in SHARED_PREFIX_MATCHER.find_all(text)] == expected


# White space alone is answered without looking for candidates (most texts of a page's tree are
# line breaks): no spelling may start with white space, even one that starts with a sign.
SIGN_MATCHER = TermMatcher([
    Term("(co)regulation", "co-regulation", "d"),
    Term("+1 plan", "plus-one", "d"),
    Term("–dash term", "dash", "d"),
    Term("attachment", "attachment", "d"),
])
WHITE_SPACE = "".join(chr(code) for code in range(0x110000) if chr(code).isspace())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=WHITE_SPACE, min_size=1))
def test_white_space_alone_has_no_candidate_start(text: str) -> None:
    assert SIGN_MATCHER._candidate_starts(text) == []
    assert SIGN_MATCHER.find_all(text) == []


@pytest.mark.parametrize("text", ["\n(co)regulation", "\t+1 plan ", "\u2003–dash term\n", "\xa0attachment"])
def test_white_space_around_a_term_is_not_taken_for_white_space_alone(text: str) -> None:
    assert [match.text for match in SIGN_MATCHER.find_all(text)] == [text.strip()]
