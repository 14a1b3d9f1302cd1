"""Checks of the lexicon's content (``lexicon/terms.yml``), independent of the plugin code.

The lexicon is edited by hand by non-programmers; these tests catch what a typo would break
(a related term that does not exist, a reference key missing from the bibliography, a
section anchor that leads nowhere, one phrase claimed by two terms) and keep the lexicon
honest: every term must come from the paper itself, not from the editor's imagination.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown.extensions.toc import slugify
from pybtex.database import parse_file

REPO = Path(__file__).resolve().parent.parent
LEXICON = REPO / "lexicon" / "terms.yml"
BIBLIOGRAPHY = REPO / "references" / "references.bib"
DOCS = REPO / "docs"
SEED = REPO.parent / "shared" / "seed" / "what-is-infant-mental-health.txt"

KNOWN_FIELDS = {"term", "id", "aliases", "definition", "source", "related", "references", "expected_in_text"}
URL_SAFE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# Terms the paper's prose never uses although the paper relies on them; each needs a reason.
NOT_IN_PAPER_PROSE = {
    "DC:0–3": "named only in the titles of the works cited in notes 38 and 45 (Lieberman 2004, 1997), "
    "the diagnostic system behind the 1st and 3rd principles",
}


def load_terms() -> list[dict[str, Any]]:
    """The ``terms`` list exactly as the plugin will read it."""
    return yaml.safe_load(LEXICON.read_text(encoding="utf-8"))["terms"]


TERMS = load_terms()


def term_id(entry: dict[str, Any]) -> str:
    """The id the plugin uses for the term page: the explicit one, else the slug of the term."""
    return entry.get("id") or slugify(entry["term"], "-")


def surface_forms(entry: dict[str, Any]) -> list[str]:
    """Every phrase that links to this term as written in the file: the term and its aliases."""
    return [entry["term"], *entry.get("aliases", [])]


def is_acronym(form: str) -> bool:
    """All-caps forms (IMH, ACE, DC:0–3) match case-sensitively; everything else in any case."""
    return any(ch.isalpha() for ch in form) and form == form.upper()


def regular_plurals(form: str) -> set[str]:
    """The plural spellings the matcher generates on its own, so the data need not list them."""
    if is_acronym(form):
        return {form + "s"}
    if re.search(r"(s|x|z|ch|sh)$", form):
        return {form + "es"}
    if re.search(r"[^aeiou]y$", form):
        return {form[:-1] + "ies"}
    return {form + "s"}


def slugs_of_headings(markdown_source: str) -> set[str]:
    """Anchors MkDocs' ``toc`` extension gives the ATX headings of a page (``{#id}`` wins)."""
    anchors = set()
    for match in re.finditer(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", markdown_source, flags=re.MULTILINE):
        heading = match.group(1)
        attributes = re.search(r"\{([^}]*)\}\s*$", heading)
        explicit_id = re.search(r"#([\w-]+)", attributes.group(1)) if attributes else None
        if explicit_id:
            anchors.add(explicit_id.group(1))
        else:
            anchors.add(slugify(heading[: attributes.start()] if attributes else heading, "-"))
    return anchors


def paper_prose() -> str:
    """The seed white paper without its reference list, whitespace collapsed across page breaks."""
    if not SEED.exists():
        pytest.skip(f"the seed text is not available at {SEED}")
    body = SEED.read_text(encoding="utf-8").split("\nREFERENCES\n")[0]
    return " ".join(body.split())


def occurs_in(form: str, text: str) -> bool:
    """Whether ``form`` or its regular plural occurs in ``text`` as whole words."""
    flags = 0 if is_acronym(form) else re.IGNORECASE
    for spelling in {form, *regular_plurals(form)}:
        words = r"\s+".join(re.escape(word) for word in spelling.split())
        if re.search(rf"(?<!\w){words}(?!\w)", text, flags):
            return True
    return False


def test_has_at_least_forty_terms() -> None:
    assert len(TERMS) >= 40


@pytest.mark.parametrize("entry", TERMS, ids=term_id)
def test_entry_has_only_known_fields_and_a_plain_definition(entry: dict[str, Any]) -> None:
    assert set(entry) <= KNOWN_FIELDS, f"unknown fields {set(entry) - KNOWN_FIELDS} (typo?)"
    assert isinstance(entry["term"], str) and entry["term"].strip()
    definition = entry.get("definition")
    assert isinstance(definition, str) and definition.strip(), "definition is empty"
    assert not re.search(r"\]\(|<a\s|https?://", definition), "definitions must not contain links"
    assert all(isinstance(alias, str) and alias.strip() for alias in entry.get("aliases", []))


def test_terms_are_in_alphabetical_order() -> None:
    names = [entry["term"] for entry in TERMS]
    assert names == sorted(names, key=str.casefold)


def test_ids_are_unique_and_url_safe() -> None:
    ids = [term_id(entry) for entry in TERMS]
    assert len(ids) == len(set(ids)), f"duplicate ids: {sorted({i for i in ids if ids.count(i) > 1})}"
    assert [i for i in ids if not URL_SAFE_ID.fullmatch(i)] == []


@pytest.mark.parametrize("entry", TERMS, ids=term_id)
def test_related_terms_exist(entry: dict[str, Any]) -> None:
    names = {e["term"] for e in TERMS} | {term_id(e) for e in TERMS}
    related = entry.get("related", [])
    assert 2 <= len(related) <= 5, "list 2–5 related terms"
    assert [name for name in related if name not in names] == []
    assert entry["term"] not in related and term_id(entry) not in related, "a term is not related to itself"


def test_references_exist_in_the_bibliography() -> None:
    keys = set(parse_file(str(BIBLIOGRAPHY), bib_format="bibtex").entries.keys())
    missing = {
        entry["term"]: [key for key in entry.get("references", []) if key not in keys]
        for entry in TERMS
    }
    assert {term: keys for term, keys in missing.items() if keys} == {}
    assert [entry["term"] for entry in TERMS if not entry.get("references")] == [], "every term cites a work"


def comparable(form: str) -> str:
    """Case folded even for acronyms ("ace" in one term would also match "ACE" in the text),
    with dashes and spacing unified as the matcher does ("DC:0-3" is "DC:0–3")."""
    return " ".join(re.sub(r"[\u2010-\u2014]", "-", form).casefold().split())


def test_no_phrase_is_claimed_by_two_terms() -> None:
    owner: dict[str, str] = {}
    clashes = []
    for entry in TERMS:
        own_forms = {
            comparable(spelling) for form in surface_forms(entry) for spelling in {form, *regular_plurals(form)}
        }
        for form in own_forms:
            if owner.setdefault(form, entry["term"]) != entry["term"]:
                clashes.append((form, owner[form], entry["term"]))
    assert clashes == []


@pytest.mark.parametrize("entry", [e for e in TERMS if e.get("source")], ids=term_id)
def test_source_points_to_an_existing_page_section(entry: dict[str, Any]) -> None:
    page, _, anchor = entry["source"].partition("#")
    page_file = DOCS / page
    assert page_file.is_file(), f"{page} is not a page in docs/"
    if anchor:
        assert anchor in slugs_of_headings(page_file.read_text(encoding="utf-8")), f"{page} has no heading #{anchor}"


@pytest.mark.parametrize("entry", TERMS, ids=term_id)
def test_term_comes_from_the_paper(entry: dict[str, Any]) -> None:
    prose = paper_prose()
    used = [form for form in surface_forms(entry) if occurs_in(form, prose)]
    if entry["term"] in NOT_IN_PAPER_PROSE:
        assert used == [], f"{entry['term']} now occurs in the paper: drop its exception"
    else:
        assert used, f"neither {entry['term']!r} nor its aliases occur in the paper"


def test_documented_exceptions_are_terms() -> None:
    assert set(NOT_IN_PAPER_PROSE) <= {entry["term"] for entry in TERMS}


def test_exactly_the_documented_exceptions_are_not_expected_in_the_text() -> None:
    """`expected_in_text: false` silences the build's "never used" warning: only for the exceptions above."""
    assert {entry["term"] for entry in TERMS if entry.get("expected_in_text") is False} == set(NOT_IN_PAPER_PROSE)
