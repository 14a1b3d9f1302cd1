"""The lexicon's spelling keys, exports, glossary order and term-page escaping: the fast
implementations give exactly what the plain ones gave (field values: ``test_lexicon_yaml_entries``)."""

from __future__ import annotations

import csv
import html
import io
import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mkdocs_knowledge_base.lexicon.exports import (
    CSV_COLUMNS,
    lexicon_csv,
    lexicon_records,
)
from mkdocs_knowledge_base.lexicon.model import (
    DASHES,
    Lexicon,
    Term,
    form_key,
    is_acronym,
)
from mkdocs_knowledge_base.pages import glossary
from mkdocs_knowledge_base.pages.terms import escape_all

_SPACES = re.compile(r"\s+")
_DASH = re.compile(f"[{DASHES}]")


def reference_is_acronym(form: str) -> bool:
    """The definition itself: some character in upper case and none in lower case."""
    return any(ch.isupper() for ch in form) and not any(ch.islower() for ch in form)


def reference_form_key(form: str) -> str:
    """The definition itself: each dash a hyphen, trimmed, white space runs as one space, folded unless an acronym."""
    unified = _SPACES.sub(" ", _DASH.sub("-", form.strip()))
    return unified if reference_is_acronym(form) else unified.lower()


_PIECES = ["a", "Care", "IMH", "DC", ":", "0", "3", "é", "É", "ß", "ǅ", "ǆ", "Ǆ", "ᾈ", "ⓐ", "Ⓐ", "ﬁ", "İ",
           *DASHES, " ", "  ", "\t", "\n", "\x0b", "\x1c", "\x1f", "\x85", "\xa0", "\u2028", "\u3000", "\u200b", "'", "."]
FORMS = st.lists(st.sampled_from(_PIECES), max_size=8).map("".join) | st.text(max_size=12)


@pytest.mark.parametrize(("form", "acronym", "key"), [
    ("IMH", True, "IMH"),
    ("ACEs", False, "aces"),
    ("DC:0–3", True, "DC:0-3"),
    ("  mutual \t regulation\n", False, "mutual regulation"),
    ("Caregiver‑child", False, "caregiver-child"),
    ("0-3", False, "0-3"),
    ("ǅ", False, "ǆ"),          # titlecase: neither upper nor lower, so not an acronym
    ("Aǅ", True, "Aǅ"),         # ...but beside a capital, the form is one
    ("ÉCOLE", True, "ÉCOLE"),
    ("a\u00a0b\u2003c", False, "a b c"),
    ("", False, ""),
])
def test_spelling_keys(form: str, acronym: bool, key: str) -> None:
    assert (is_acronym(form), form_key(form)) == (acronym, key)


@given(form=FORMS)
@example(form="Aǅ")
@example(form="x\x1cy")
@settings(max_examples=3000, deadline=None)
def test_spelling_keys_equal_their_definition(form: str) -> None:
    """``is_acronym``/``form_key`` take C shortcuts (``isupper``, ``split``, ``translate``); same answers."""
    assert is_acronym(form) == reference_is_acronym(form)
    assert form_key(form) == reference_form_key(form)


def reference_csv(records: list[dict[str, object]]) -> str:
    """The CSV as ``csv.DictWriter`` writes it, with the same formula guard."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        row = {key: "; ".join(value) if isinstance(value, list) else value for key, value in record.items()}
        writer.writerow({key: f"'{value}" if str(value).startswith(("=", "+", "-", "@", "\t", "\r")) else value
                         for key, value in row.items()})
    return buffer.getvalue()


def test_csv_rows_follow_the_columns_whatever_the_text() -> None:
    lexicon = Lexicon("terms.yml", [
        Term("attachment", "attachment", "A *bond*, \"quoted\"; with, commas.", aliases=("bond", "=SUM(1)"),
             related=("caregiver", "nothing here"), references=("bowlby1969", "-x")),
        Term("caregiver", "caregiver", "Line one\n\nline two.", related=("attachment",)),
        Term("@home", "at-home", "+1 or -1", aliases=("\ttab",)),
    ])
    records = lexicon_records(lexicon, lambda term: f"terms/{term.id}/")
    assert all(tuple(record) == CSV_COLUMNS for record in records)
    assert records[0]["related"] == ["caregiver"] and records[1]["definition"] == "Line one line two."
    assert lexicon_csv(records) == reference_csv(records)


@given(texts=st.lists(st.lists(st.sampled_from(["a", "é", " ", "&", "<", ">", '"', "'", "\0", "&amp;"])).map("".join),
                      max_size=6))
@example(texts=[])
@example(texts=[""])
@example(texts=["a\0b", "c"])
def test_term_page_pieces_are_escaped_as_one_by_one(texts: list[str]) -> None:
    """"Used in" escapes all snippets of a term in one call; each piece comes out as ``html.escape`` makes it."""
    assert escape_all(texts) == [html.escape(text) for text in texts]


def reference_sort_key(name: str) -> str:
    """The glossary's order by definition: accents dropped (NFKD, combining marks out), case folded."""
    return "".join(char for char in unicodedata.normalize("NFKD", name) if not unicodedata.combining(char)).casefold()


@given(name=st.lists(st.sampled_from(["a", "Z", "é", "É", "ß", "ﬁ", "Å", "\u0301", "1", "-", " ", "İ", "~", "\x7f"]))
       .map("".join) | st.text(max_size=10))
@example(name="Attachment")
@example(name="e\u0301")
def test_glossary_order_equals_its_definition(name: str) -> None:
    """ASCII names skip the decomposition; every name sorts by the same key."""
    assert glossary.sort_key(Term(name, "x", "d")) == reference_sort_key(name)


def test_related_names_are_resolved_once_per_term_and_as_resolve_gives_them() -> None:
    """The remembered resolutions equal ``resolve``'s, for the lexicon's terms (even two sharing an id) and any other."""
    bond = Term("bond", "bond", "d", related=("Attachment", "nothing", "bond"))
    same_id = Term("bond again", "bond", "d", related=("bond",))
    attachment = Term("attachment", "attach", "d", related=("BOND",))
    lexicon = Lexicon("terms.yml", [bond, same_id, attachment])
    outsider = Term("outsider", "outsider", "d", related=("attach", "outsider"))
    for term in (bond, same_id, attachment, outsider):
        assert lexicon.related_entries(term) == tuple((name, lexicon.resolve(name)) for name in term.related)
    assert lexicon.related_entries(bond) is lexicon.related_entries(bond), "resolved once"
    assert lexicon.related_terms(bond) == [attachment] and lexicon.related_terms(outsider) == [attachment]
