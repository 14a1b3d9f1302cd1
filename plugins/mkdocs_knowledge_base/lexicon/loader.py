"""Reading ``lexicon/terms.yml`` into ``Term``s, reporting every mistake with its file and line.

Why PyYAML's node tree (``compose``) instead of ``safe_load``: nodes keep the line they came
from, so an author hears "terms.yml:42: alias 'care' is a common word" rather than a
traceback or a message without a place. One bad entry never hides the others.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml

from mkdocs_knowledge_base.errors import DataProblem
from mkdocs_knowledge_base.lexicon.model import Lexicon, Term, form_key, slugify
from mkdocs_knowledge_base.lexicon.stopwords import COMMON_WORDS

_FIELDS = ("term", "id", "aliases", "definition", "source", "related", "references", "expected_in_text")
_LIST_FIELDS = ("aliases", "related", "references")


class _EntryReader:
    """Turns one YAML entry node into a ``Term`` (or None), collecting problems on the way."""

    def __init__(self, path: str, loader: yaml.SafeLoader, problems: list[DataProblem]) -> None:
        self.path = path
        self.loader = loader
        self.problems = problems

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(DataProblem(self.path, node.start_mark.line + 1, message))

    def read(self, node: yaml.Node) -> Term | None:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, "lexicon entry is not a mapping (expected `- term: ...` with `definition: ...`)")
            return None
        values: dict[str, tuple[Any, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key not in _FIELDS:
                self.problem(key_node, f"unknown field '{key}' (known: {', '.join(_FIELDS)})")
                continue
            values[key] = (self.loader.construct_object(value_node, deep=True), value_node)
        name = self.text(values, "term", node)
        definition = self.text(values, "definition", node, term=name)
        if name is None or definition is None:
            return None
        lists = {field: self.strings(values, field) for field in _LIST_FIELDS}
        source = self.text(values, "source", node, term=name, required=False)
        term_id = self.text(values, "id", node, term=name, required=False) or slugify(name)
        return Term(term=name, id=term_id, definition=definition, source=source,
                    aliases=lists["aliases"], related=lists["related"], references=lists["references"],
                    expected_in_text=self.flag(values, "expected_in_text", default=True),
                    line=node.start_mark.line + 1)

    def flag(self, values: dict[str, tuple[Any, yaml.Node]], field: str, *, default: bool) -> bool:
        """A yes/no field (`true`/`false`); anything else is reported and the default kept."""
        if field not in values:
            return default
        value, node = values[field]
        if not isinstance(value, bool):
            self.problem(node, f"`{field}` must be true or false")
            return default
        return value

    def text(self, values: dict[str, tuple[Any, yaml.Node]], field: str, entry: yaml.Node,
             *, term: str | None = None, required: bool = True) -> str | None:
        """A non-empty string field; a missing required one is reported on the entry's line."""
        if field not in values:
            if required:
                where = f" of term '{term}'" if term else ""
                self.problem(entry, f"lexicon entry{where} has no `{field}`")
            return None
        value, node = values[field]
        if not isinstance(value, str) or not value.strip():
            self.problem(node, f"`{field}` must be non-empty text")
            return None
        return value.strip()

    def strings(self, values: dict[str, tuple[Any, yaml.Node]], field: str) -> tuple[str, ...]:
        """A list of strings (a single string is accepted as a one-item list)."""
        if field not in values:
            return ()
        value, node = values[field]
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) and item.strip() for item in items):
            self.problem(node, f"`{field}` must be a list of texts, e.g. [{field[:-1]} one, {field[:-1]} two]")
            return ()
        return tuple(item.strip() for item in items)


def _check_cross_references(lexicon: Lexicon, known_reference_keys: Collection[str] | None,
                            problems: list[DataProblem]) -> None:
    """Spellings claimed twice, everyday-word aliases, unknown related terms and BibTeX keys."""
    claimed: dict[str, Term] = {}
    ids: dict[str, Term] = {}
    for term in lexicon.terms:
        if term.id in ids:
            problems.append(DataProblem(lexicon.path, term.line, f"id '{term.id}' is already used by term "
                                        f"'{ids[term.id].term}' (line {ids[term.id].line})"))
        ids.setdefault(term.id, term)
        for name in term.names:
            owner = claimed.setdefault(form_key(name), term)
            if owner is not term:
                problems.append(DataProblem(lexicon.path, term.line, f"'{name}' is claimed twice: by term "
                                            f"'{owner.term}' (line {owner.line}) and by term '{term.term}'"))
        for alias in term.aliases:
            if alias.lower() in COMMON_WORDS:
                problems.append(DataProblem(lexicon.path, term.line, f"alias '{alias}' of term '{term.term}' is a "
                                            "common word and would link everywhere"))
        for name in term.related:
            related = lexicon.resolve(name)
            if related is None:
                problems.append(DataProblem(lexicon.path, term.line,
                                            f"term '{term.term}' lists related term '{name}', which does not exist"))
            elif related is term:
                problems.append(DataProblem(lexicon.path, term.line, f"term '{term.term}' lists itself as related"))
        if known_reference_keys is not None:
            for key in term.references:
                if key not in known_reference_keys:
                    problems.append(DataProblem(lexicon.path, term.line, f"term '{term.term}' cites '{key}', "
                                                "which is not in the bibliography"))


def parse_lexicon(text: str, path: str, known_reference_keys: Collection[str] | None = None
                  ) -> tuple[Lexicon, list[DataProblem]]:
    """Parse lexicon YAML ``text`` (named ``path`` in messages); checks references only if keys are given."""
    problems: list[DataProblem] = []
    lexicon = Lexicon(path=path)
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problems.append(DataProblem(path, line, f"malformed YAML: {error.problem or error.context}"))
        return lexicon, problems
    finally:
        loader.dispose()
    entries = _terms_sequence(root, path, problems)
    reader = _EntryReader(path, loader, problems)
    lexicon.terms.extend(term for term in map(reader.read, entries) if term is not None)
    _check_cross_references(lexicon, known_reference_keys, problems)
    return lexicon, problems


def _terms_sequence(root: yaml.Node | None, path: str, problems: list[DataProblem]) -> list[yaml.Node]:
    """The entries under the top-level ``terms:`` key (reported when the file has another shape)."""
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if key_node.value == "terms":
                if isinstance(value_node, yaml.SequenceNode):
                    return list(value_node.value)
                problems.append(DataProblem(path, value_node.start_mark.line + 1, "`terms` must be a list of entries"))
                return []
    line = root.start_mark.line + 1 if root is not None else None
    problems.append(DataProblem(path, line, "the lexicon must be a mapping with a `terms:` list"))
    return []


def load_lexicon(path: str | Path, known_reference_keys: Collection[str] | None = None
                 ) -> tuple[Lexicon, list[DataProblem]]:
    """Read and validate the lexicon file at ``path`` (see ``parse_lexicon``)."""
    return parse_lexicon(Path(path).read_text(encoding="utf-8"), str(path), known_reference_keys)
