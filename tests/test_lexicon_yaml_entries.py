"""The lexicon read from libyaml's events is exactly the lexicon read from PyYAML's node tree.

``yaml_entries`` reads the lexicon from the event stream for speed, and leaves unusual YAML
(anchors, tags, merge keys, several documents...) and syntax errors to the composed node tree,
the reading it had before. So the proof is a comparison: for the bundled lexicon, generated
benchmark lexicons, every lexicon snippet of the test files and generated documents full of odd
scalars, quotes, blocks, comments, flow lists, unknown fields and wrong types, ``parse_lexicon``
gives equal terms and equal problems (file, line, message) either way, or fails alike. For
usual YAML the event reader must also really be the one that read it (else the comparison
proves nothing, and a large lexicon would silently be composed again).
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import lexicon_yaml, synthetic_terms
from mkdocs_knowledge_base.errors import decode_utf8
from mkdocs_knowledge_base.lexicon import yaml_entries
from mkdocs_knowledge_base.lexicon.loader import _FIELDS, parse_lexicon
from tests import test_bad_input
from tests.conftest import REPO

PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TESTS = Path(__file__).resolve().parent


# --- helpers -------------------------------------------------------------------------------------

def outcome(text: str, keys: set[str] | None, *, from_events: bool) -> tuple:
    """``parse_lexicon``'s terms (every field, line included) and problems, or the error it fails with."""
    try:
        lexicon, problems = parse_lexicon(text, "terms.yml", keys, from_events=from_events)
    except Exception as error:  # PyYAML's constructor fails on some values (the date 2020-13-45), either way
        return "failed", type(error), str(error)
    return lexicon.path, lexicon.terms, problems


def assert_read_alike(text: str, keys: set[str] | None = None) -> None:
    assert outcome(text, keys, from_events=True) == outcome(text, keys, from_events=False)


def typed(value: Any) -> Any:
    """``value`` with the type of every part (``1 == True == 1.0``, but a bool is no number to the loader)."""
    if isinstance(value, list):
        return [typed(item) for item in value]
    if isinstance(value, dict):
        return [(typed(key), typed(item)) for key, item in value.items()]
    return type(value), value


def typed_reading(reading: yaml_entries.Reading) -> tuple:
    return ([(entry.line, None if entry.values is None else
              [(name, typed(value), line) for name, (value, line) in entry.values.items()], entry.unknown_fields)
             for entry in reading.entries], reading.shape_problem)


def assert_read_from_events(text: str) -> None:
    """The event reader reads ``text`` itself, to the same entries, values and lines as the node tree."""
    reading = yaml_entries._read_events(text, _FIELDS)
    assert reading is not None, "the event reader left usual YAML to the node tree"
    assert typed_reading(reading) == typed_reading(yaml_entries._read_node_tree(text, _FIELDS))


# --- real and generated lexicons -----------------------------------------------------------------

def test_bundled_lexicon_is_read_from_events_and_alike() -> None:
    text = (REPO / "lexicon" / "terms.yml").read_text(encoding="utf-8")
    assert_read_from_events(text)
    assert_read_alike(text)


@pytest.mark.parametrize(("count", "seed"), [(40, 1), (600, 2)])
def test_generated_lexicons_are_read_from_events_and_alike(count: int, seed: int) -> None:
    """The benchmark's generator (its 5,000-term lexicon is the one timed), at test sizes."""
    keys = [f"author{number}{2000 + number % 20}" for number in range(30)]
    text = lexicon_yaml(synthetic_terms(count, seed, keys), pages=7, seed=seed)
    assert_read_from_events(text)
    assert_read_alike(text, set(keys[:20]))


# --- every lexicon snippet of the tests: mistakes included --------------------------------------

def lexicon_literals() -> dict[str, str]:
    """Every string literal holding ``terms:`` in the test files (lexicons, broken ones included), dedented."""
    literals = {}
    for path in sorted(TESTS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "terms:" in node.value:
                literals[f"{path.stem}:{node.lineno}:{node.col_offset}"] = textwrap.dedent(node.value)
    return literals


SNIPPETS = {
    **lexicon_literals(),
    **{f"bad input: {name}": decode_utf8(mistake.lexicon, "terms.yml")[0] if isinstance(mistake.lexicon, bytes)
       else mistake.lexicon for name, mistake in test_bad_input.MISTAKES.items()},
}


@pytest.mark.parametrize("text", SNIPPETS.values(), ids=SNIPPETS.keys())
def test_snippets_of_the_tests_are_read_alike(text: str) -> None:
    assert_read_alike(text, {"known", "tronick2007", "bowlby1969", "hostilearticle", "hostilebook"})


# --- field values: what PyYAML's constructor gives ------------------------------------------------

USUAL_VALUES = [
    "plain words", "'single quoted'", '"double \\u00e9 quoted"', "|\n  block\n  text\n", ">-\n  folded\n  text\n",
    "123", "1.5", "true", "no", "null", "~", "", "2001-12-14", "2001-12-14 21:59:43.10 -5", "[a, b]", "[a, 1]",
    "[a, [b]]", "[]", "{x: 1}", "{x: 1, x: 2, y: [~]}", "- one\n- two", "0x1F", "1_000", "-.inf", ".NaN", "190:20:30",
    "'yes'", "plain # comment", "multi\n  line plain",
]
UNUSUAL_VALUES = ["!!binary aGVsbG8=", "!!str 123", "[!!str 1, b]", "&x anchored", "[&y a, *y]", "! x",
                  "{<<: {a: b}}", "{=: a}", "=", "{[a]: b}", "2020-13-45", "[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]"]


@pytest.mark.parametrize("value", USUAL_VALUES + UNUSUAL_VALUES)
def test_field_values_are_what_the_yaml_constructor_gives(value: str) -> None:
    """The event reader's value of a field is what SafeLoader constructs for its node; values it
    does not read itself (tags, anchors, merge and value keys, unhashable keys, impossible dates,
    deep nesting) make it leave the whole file to the node tree."""
    indented = textwrap.indent(value, INDENT)  # a block list starts on the line after the field name
    text = "terms:\n  - definition:" + ("\n" + indented if value.startswith("- ") else " " + indented.lstrip()) + "\n"
    reading = yaml_entries._read_events(text, _FIELDS)
    if value in UNUSUAL_VALUES:
        assert reading is None
        return
    loader = yaml.SafeLoader(text)
    try:
        (_, terms), = loader.get_single_node().value
        (_, node), = terms.value[0].value
        expected = loader.construct_object(node, deep=True)
    finally:
        loader.dispose()
    assert reading is not None
    (entry,) = reading.entries
    assert typed(entry.values["definition"][0]) == typed(expected)


# --- YAML left to the node tree --------------------------------------------------------------------

ENTRY = "terms:\n  - term: a\n    definition: d\n"
LEFT_TO_NODE_TREE = {
    "anchor and alias": "terms:\n  - &first\n    term: a\n    definition: d\n  - *first\n",
    "alias in a field": "terms:\n  - term: &name a\n    definition: d\n    aliases: [*name]\n",
    "undefined alias": ENTRY + "    related: [*nothing]\n",
    "anchor in a skipped field": ENTRY + "    notes: &n x\n",
    "tag on the root": "!!map\n" + ENTRY,
    "tagged key": "terms:\n  - !!str term: a\n    definition: d\n",
    "merge key in an entry": "base: &base {definition: d}\nterms:\n  - term: a\n    <<: *base\n",
    "list as a field name": "terms:\n  - term: a\n    definition: d\n    [x]: y\n",
    "second document": ENTRY + "---\nterms: []\n",
    "bad date in a field": ENTRY + "    source: 2020-02-30\n",
    "deep nesting in a skipped field": ENTRY + "    notes: " + "[" * 20 + "]" * 20 + "\n",
    "deep nesting under the root": "other: " + "{a: " * 20 + "b" + "}" * 20 + "\n" + ENTRY,
    "recursion limit": ENTRY + "    aliases: " + "[" * 400 + "]" * 400 + "\n",
    "syntax error": ENTRY + "    aliases: [unclosed\n",
    "syntax error after a bad date": "terms:\n  - term: 2020-13-45\n    definition: d\n  - [\n",
}


@pytest.mark.parametrize("text", LEFT_TO_NODE_TREE.values(), ids=LEFT_TO_NODE_TREE.keys())
def test_unusual_yaml_is_left_to_the_node_tree_and_read_alike(text: str) -> None:
    assert yaml_entries._read_events(text, _FIELDS) is None
    assert_read_alike(text)


def test_path_resolvers_leave_the_file_to_the_node_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    """A path resolver tags a scalar by where it sits, which the event reader's tags by value do not know."""
    monkeypatch.setattr(yaml.CSafeLoader, "yaml_path_resolvers", {((yaml.MappingNode, "terms"),): {}})
    assert yaml_entries._read_events(ENTRY, _FIELDS) is None


# --- generated lexicon documents ----------------------------------------------------------------------

INDENT = " " * 6
"""Where a field value's own lines start: under a field name indented by four spaces."""
PLAIN_SCALARS = st.sampled_from([
    "attachment", "Attachment", "ace", "a b", "mutual regulation", "ACE", "DC:0–3", "naïve", "a-b", "C++", "x",
    "care", "javascript:alert(1)", "page.md#section", "Bad id/..", "ab#c", "a'b", "it's", "see *this*",
    "a [link](https://x.org)", "yes", "No", "on", "OFF", "true", "False", "~", "null", "Null", "", "2020", "-7",
    "0x1F", "0o17", "1_000", "1.5", "-.inf", ".NaN", "6.8523015e+5", "190:20:30", "12:30", "2001-12-14",
    "2002-12-14t21:59:43.10-05:00",
])
"""Words, names and addresses, and what YAML 1.1 reads as yes/no, null, numbers and dates."""
QUOTED_SCALARS = st.sampled_from([
    "'single ''quoted'' text'", '"double \\"quoted\\" \\u00e9\\t"', "''", '""', "'yes'", '"2020"', "'  padded  '",
    '"line\\nbreak"', "'~'", '"<script>x</script>"', "'a: b # c'",
])
BLOCK_SCALARS = st.tuples(st.sampled_from(["|", ">", "|-", ">-", "|+", ">+", "| # comment"]),
                          st.lists(st.sampled_from(["  more indented", "", "*em* and **bold**",
                                                    "[link](javascript:x)", "# not a comment"]), max_size=3)).map(
    lambda indicator_lines: indicator_lines[0] + f"\n{INDENT}One line." + "".join(
        f"\n{INDENT}{line}" if line else "\n" for line in indicator_lines[1]))
"""``|`` and ``>`` blocks, any chomping; the first line sets the indentation, so it is not indented more."""
scalars = st.one_of(PLAIN_SCALARS, QUOTED_SCALARS)
FLOW_ITEMS = st.one_of(PLAIN_SCALARS.filter(lambda text: text and not any(mark in text for mark in ",[]{}#:")),
                       QUOTED_SCALARS)
"""Scalars that stay one item in a flow list or mapping."""
flow_lists = st.lists(FLOW_ITEMS, max_size=4).map(lambda items: "[" + ", ".join(items) + "]")
flow_mappings = st.lists(st.tuples(FLOW_ITEMS.filter(bool), st.one_of(FLOW_ITEMS, flow_lists)), max_size=3).map(
    lambda pairs: "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}")
flow_values = st.one_of(FLOW_ITEMS, flow_lists, flow_mappings)
block_lists = st.lists(st.one_of(scalars, flow_lists), min_size=1, max_size=3).map(
    lambda items: "".join(f"\n{INDENT}- {item}" for item in items))
multi_line_plain = st.lists(st.sampled_from(["words", "more words", "yes", "2020"]), min_size=2,
                            max_size=3).map(lambda lines: f"\n{INDENT}".join(lines))
commented = st.one_of(scalars, flow_lists).map(lambda value: value + " # a comment")
usual_values = st.one_of(scalars, scalars, BLOCK_SCALARS, flow_lists, flow_lists, flow_mappings, block_lists,
                         multi_line_plain, commented)
unusual_values = st.sampled_from(UNUSUAL_VALUES + ["*x", "&x [a]", "!!int '7'", "!custom x", "{[a, b]: c}"])
TERM_NAMES = st.sampled_from(["attachment", "Attachment", "mutual regulation", "ACE", "care", "'ace'", "x", "a-b"])
"""Names that collide (in case, dashes, ids): duplicate terms and claimed spellings are reported."""
FIELD_NAMES = st.one_of(st.sampled_from(_FIELDS), st.sampled_from(_FIELDS), st.sampled_from(
    ["defintion", "Term", "notes", "1", "~", "yes", "<<", "'term'", '"definition"', "alias es"]))


@st.composite
def entries(draw: st.DrawFn, unusual: bool) -> str:
    """One item of the ``terms`` list, mostly a block mapping of fields (known or not, any value)."""
    kind = draw(st.sampled_from(["block"] * 6 + ["flow", "scalar", "list", "empty"]))
    if kind == "scalar":
        return "  - " + draw(scalars) + "\n"
    if kind == "list":
        return "  - " + draw(flow_lists) + "\n"
    if kind == "empty":
        return "  -\n"
    if kind == "flow":
        fields = draw(st.lists(st.tuples(FIELD_NAMES, flow_values), max_size=5))
        return "  - {" + ", ".join(f"{name}: {value}" for name, value in fields) + "}\n"
    values = st.one_of(usual_values, unusual_values) if unusual else usual_values
    fields = draw(st.lists(st.tuples(FIELD_NAMES, values), max_size=5))
    if draw(st.integers(0, 3)):  # most entries are terms, so the later checks (ids, related names...) run too
        definition = draw(st.one_of(scalars, BLOCK_SCALARS))
        fields = draw(st.permutations([("term", draw(TERM_NAMES)), ("definition", definition), *fields]))
    if not fields:
        return "  - {}\n"
    lines = [f"{name}: {value}" + draw(st.sampled_from(["", "", "\n    # a comment line", "\n"]))
             for name, value in fields]
    return "  - " + "\n    ".join(lines) + "\n"


@st.composite
def lexicon_documents(draw: st.DrawFn, unusual: bool = False) -> str:
    """A lexicon file: a ``terms`` list (or the wrong shape), with other keys, comments and document marks around."""
    shape = draw(st.sampled_from(["terms"] * 8 + ["not a list", "list root", "scalar root", "empty"]))
    if shape == "empty":
        return draw(st.sampled_from(["", "# only a comment\n", "---\n", "--- # a comment\n...\n"]))
    if shape == "scalar root":
        return draw(scalars) + "\n"
    body = "".join(draw(st.lists(entries(unusual), max_size=5)))
    if shape == "list root":
        return body.replace("\n  ", "\n").lstrip()
    terms = "terms:\n" + body if body else "terms: []\n"
    if shape == "not a list":
        terms = "terms: " + draw(st.one_of(scalars, flow_mappings)) + "\n"
    before = draw(st.sampled_from(["", "# The lexicon.\n", "---\n", "title: Terms\n", "terms_old: [a]\n",
                                   "'terms': []\n", "meta: {a: 1, b: [x]}\n"]))
    after = draw(st.sampled_from(["", "# the end\n", "...\n", "terms: []\n", "extra:\n  - x\n"]))
    return before + terms + after


@PROPERTY_SETTINGS
@given(lexicon_documents())
@example("terms:\n  - term: yes\n    definition: 2020\n    aliases: [~, on, 'ok']\n    expected_in_text: no\n")
@example("terms:\n  - term: a\n    definition: d\n    definition: ''\n    related: a\n    id: Bad/..\n")
def test_generated_usual_documents_are_read_from_events_and_alike(text: str) -> None:
    assert_read_from_events(text)
    assert_read_alike(text, {"x", "care"})


@PROPERTY_SETTINGS
@given(lexicon_documents(unusual=True), st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(
    ["\t", ":", "'", '"', "[", "{", "#", "- ", " ", "\n", "&a ", "*a", "!", "? ", "---\n"])), max_size=2))
def test_generated_and_damaged_documents_are_read_alike(text: str, damage: list[tuple[int, str]]) -> None:
    """Documents with unusual values too, and with text inserted anywhere: whatever the event reader
    makes of them (often it leaves them to the node tree), the terms and problems are the node tree's."""
    for position, inserted in damage:
        position %= len(text) + 1
        text = text[:position] + inserted + text[position:]
    assert_read_alike(text, {"x", "care"})
