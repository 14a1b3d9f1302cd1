"""Loading and validating the lexicon YAML: every mistake reported with its file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mkdocs_knowledge_base.lexicon.loader import load_lexicon, parse_lexicon

PATH = "lexicon/terms.yml"


def problems_of(yaml_text: str, keys: set[str] | None = None) -> list[str]:
    _, problems = parse_lexicon(textwrap.dedent(yaml_text), PATH, keys)
    return [str(problem) for problem in problems]


def test_a_valid_entry_becomes_a_term_with_defaults() -> None:
    lexicon, problems = parse_lexicon(textwrap.dedent("""\
        terms:
          - term: mutual regulation
            aliases: [co-regulation]
            definition: >-
              The *interactive* rhythm.
            source: early.md#mutual
            related: [attachment]
            references: [tronick2007]
          - term: attachment
            id: attach
            definition: A bond.
            related: mutual regulation
        """), PATH, {"tronick2007"})
    assert problems == []
    first, second = lexicon.terms
    assert (first.id, first.aliases, first.references, first.line) == ("mutual-regulation", ("co-regulation",), ("tronick2007",), 2)
    assert first.definition_html == "<p>The <em>interactive</em> rhythm.</p>"
    assert first.definition_text == "The interactive rhythm."
    assert second.id == "attach" and second.related == ("mutual regulation",)
    assert lexicon.related_terms(first) == [second] and lexicon.resolve("ATTACH") is second


@pytest.mark.parametrize(("yaml_text", "expected"), [
    ("terms:\n  - term: a\n    definition: [unclosed\n", f"{PATH}:4: malformed YAML"),
    ("terms:\n  - term: a\n   definition: bad indent\n", f"{PATH}:3: malformed YAML"),
    ("- term: a\n", f"{PATH}:1: the lexicon must be a mapping with a `terms:` list"),
    ("terms: nothing\n", f"{PATH}:1: `terms` must be a list of entries"),
    ("terms:\n  - just a string\n", f"{PATH}:2: lexicon entry is not a mapping"),
    ("terms:\n  - definition: orphan\n", f"{PATH}:2: lexicon entry has no `term`"),
    ("terms:\n  - term: lonely\n    aliases: [alone]\n", f"{PATH}:2: lexicon entry of term 'lonely' has no `definition`"),
    ("terms:\n  - term: a\n    definition: ''\n", f"{PATH}:3: `definition` must be non-empty text"),
    ("terms:\n  - term: a\n    definition: d\n    aliases: {x: 1}\n", f"{PATH}:4: `aliases` must be a list of texts"),
    ("terms:\n  - term: a\n    definition: d\n    defintion: typo\n", f"{PATH}:4: unknown field 'defintion'"),
    ("terms:\n  - term: attachment\n    definition: d\n  - term: bond\n    aliases: [Attachment]\n    definition: d\n",
     f"{PATH}:4: 'Attachment' is claimed twice: by term 'attachment' (line 2) and by term 'bond'"),
    ("terms:\n  - term: a\n    definition: d\n  - term: A b\n    id: a\n    definition: d\n",
     f"{PATH}:4: id 'a' is already used by term 'a' (line 2), so this entry is ignored; give it another `id`"),
    ("terms:\n  - term: a\n    definition: d\n  - term: A\n    definition: again\n",
     f"{PATH}:4: term 'A' is already defined at line 2, so this entry is ignored; merge the two entries into one"),
    ("terms:\n\t- term: a\n", f"{PATH}:2: malformed YAML: found character '\\t' that cannot start any token; "
                              "replace the tab with spaces"),
    ("terms:\n  - term: a\n    definition: 'unclosed\n    aliases: [b]\n",
     f"{PATH}:3: malformed YAML: a quote opened on this line is never closed; add the closing quote"),
    ("terms:\n  - term: a\n    definition: A bond: [x\n", f"{PATH}:3: malformed YAML: mapping values are not allowed "
     "here; check the indentation of this line and the one above (spaces, not tabs) and put text containing"),
    ("terms:\n  - term: ''\n    definition: d\n", f"{PATH}:2: `term` must be non-empty text"),
    ("terms:\n  - term:\n    definition: d\n", f"{PATH}:2: `term` must be non-empty text"),
    ("terms:\n  - term: a\n    definition: d\n    aliases: 5\n",
     f"{PATH}:4: `aliases` must be a list of texts, e.g. `aliases: [co-regulation, mutually regulate]`"),
    ("terms:\n  - term: a\n    definition: d\n    related: {b: c}\n", f"{PATH}:4: `related` must be a list of texts"),
    ("terms:\n  - term: a\n    definition: d\n    references: [known, 7]\n",
     f"{PATH}:4: `references` must be a list of texts"),
    ("terms:\n  - term: a\n    definition: d\n    expected_in_text: maybe\n",
     f"{PATH}:4: `expected_in_text` must be true or false"),
    ("terms:\n  - term: caregiving\n    aliases: [care]\n    definition: d\n",
     f"{PATH}:2: alias 'care' of term 'caregiving' is a common word and would link everywhere"),
    ("terms:\n  - term: a\n    related: [ghost]\n    definition: d\n",
     f"{PATH}:2: term 'a' lists related term 'ghost', which does not exist"),
    ("terms:\n  - term: a\n    related: [a]\n    definition: d\n", f"{PATH}:2: term 'a' lists itself as related"),
    ("terms:\n  - term: a\n    references: [known, nobody2020]\n    definition: d\n",
     f"{PATH}:2: term 'a' cites 'nobody2020', which is not in the bibliography"),
])
def test_each_mistake_is_reported_with_file_and_line(yaml_text: str, expected: str) -> None:
    problems = problems_of(yaml_text, {"known"})
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems


def test_acronyms_and_words_do_not_clash_and_dash_variants_of_one_term_are_fine() -> None:
    assert problems_of("""\
        terms:
          - term: ACE
            definition: d
          - term: ace
            id: ace-card
            definition: d
          - term: DC:0–3
            aliases: [DC:0-3]
            definition: d
        """) == []


def test_references_are_not_checked_without_a_bibliography() -> None:
    assert problems_of("terms:\n  - term: a\n    references: [anything]\n    definition: d\n", None) == []


def test_one_bad_entry_does_not_hide_the_good_ones() -> None:
    lexicon, problems = parse_lexicon("terms:\n  - 42\n  - term: good\n    definition: d\n", PATH)
    assert [term.term for term in lexicon.terms] == ["good"] and len(problems) == 1


def test_load_lexicon_reads_the_file(tmp_path: Path) -> None:
    path = tmp_path / "terms.yml"
    path.write_text("terms:\n  - term: naïve\n    definition: Ünïcode.\n", encoding="utf-8")
    lexicon, problems = load_lexicon(path)
    assert problems == [] and lexicon.terms[0].definition_text == "Ünïcode."
    assert lexicon.path == str(path)


def test_invalid_utf8_is_located_and_the_rest_of_the_lexicon_kept(tmp_path: Path) -> None:
    path = tmp_path / "terms.yml"
    path.write_bytes("terms:\n  - term: a\n    definition: d\n  - term: na\xefve\n    definition: e\n".encode("latin-1"))
    lexicon, problems = load_lexicon(path)
    assert [(problem.line, problem.message[:60]) for problem in problems] == [
        (4, "the file is not saved as UTF-8 (byte 0xEF in column 13 of th")]
    assert [term.term for term in lexicon.terms] == ["a", "na\ufffdve"]


@pytest.mark.parametrize("yaml_text", ["", "# Terms will come here.\n", "terms: []\n"])
def test_an_empty_lexicon_is_no_mistake(yaml_text: str) -> None:
    lexicon, problems = parse_lexicon(yaml_text, PATH)
    assert lexicon.terms == [] and problems == []


def test_load_is_cached_until_the_file_or_the_known_keys_change(tmp_path: Path) -> None:
    path = tmp_path / "terms.yml"
    path.write_text("terms:\n  - term: attachment\n    definition: The bond.\n    references: [bowlby1969]\n",
                    encoding="utf-8")
    first = load_lexicon(path, {"bowlby1969"})
    assert load_lexicon(path, {"bowlby1969"}) is first, "unchanged file and keys: the same lexicon, not a re-parse"
    with_other_keys = load_lexicon(path, {"stern2004"})
    assert with_other_keys is not first and len(with_other_keys[1]) == 1, "the unknown key is reported"
    path.write_text(path.read_text(encoding="utf-8").replace("The bond.", "The tie."), encoding="utf-8")
    edited = load_lexicon(path, {"bowlby1969"})
    assert edited is not first and edited[0].terms[0].definition == "The tie."
