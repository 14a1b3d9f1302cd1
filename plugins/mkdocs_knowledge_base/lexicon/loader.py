"""Reading ``lexicon/terms.yml`` into ``Term``s, reporting every mistake with its file and line.

Why not ``safe_load``: the entries are read with the line they came from (see
``yaml_entries``), so an author hears "terms.yml:42: alias 'care' is a common word" rather
than a traceback or a message without a place. One bad entry never hides the others.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from pathlib import Path

import yaml

from mkdocs_knowledge_base.errors import DataProblem, decode_utf8
from mkdocs_knowledge_base.lexicon.model import Lexicon, Term, form_key, slugify
from mkdocs_knowledge_base.lexicon.stopwords import COMMON_WORDS
from mkdocs_knowledge_base.lexicon.yaml_entries import Entry, FieldValues, read_entries
from mkdocs_knowledge_base.recent_results import RecentResults
from mkdocs_knowledge_base.safety import unsafe_scheme

_FIELDS = ("term", "id", "aliases", "definition", "source", "related", "references", "expected_in_text")
_LIST_FIELDS = ("aliases", "related", "references")
_PAGE_ID = re.compile(r"[\w-]+")
_LIST_EXAMPLES = {"aliases": "[co-regulation, mutually regulate]", "related": "[attachment, caregiver]",
                  "references": "[bowlby1969, stern2004]"}
_YAML_HINT = ("check the indentation of this line and the one above (spaces, not tabs) and put text "
              "containing ': ' or ' #' in quotes")
_TAB_HINT = "replace the tab with spaces"


class _EntryReader:
    """Turns one lexicon entry into a ``Term`` (or None), collecting problems on the way."""

    def __init__(self, path: str, problems: list[DataProblem]) -> None:
        self.path = path
        self.problems = problems

    def problem(self, line: int, message: str) -> None:
        self.problems.append(DataProblem(self.path, line, message))

    def read(self, entry: Entry) -> Term | None:
        if entry.values is None:
            self.problem(entry.line, "lexicon entry is not a mapping (expected `- term: ...` with `definition: ...`)")
            return None
        for field_name, line in entry.unknown_fields:
            self.problem(line, f"unknown field '{field_name}' (known: {', '.join(_FIELDS)})")
        values = entry.values
        name = self.text(values, "term", entry.line)
        definition = self.text(values, "definition", entry.line, term=name)
        if name is None or definition is None:
            return None
        lists = {field: self.strings(values, field) for field in _LIST_FIELDS}
        source = self.page_source(values, entry.line, name)
        term_id = self.page_id(values, entry.line, name)
        term = Term(term=name, id=term_id, definition=definition, source=source,
                    aliases=lists["aliases"], related=lists["related"], references=lists["references"],
                    expected_in_text=self.flag(values, "expected_in_text", default=True),
                    line=entry.line)
        for target in term.rendered_definition.refused_links:
            self.problem(values["definition"][1], f"the definition of term '{name}' links to {target!r}, which is "
                         "not a web address, so it is shown as plain text; link only to http://, https://, "
                         "ftp:// or mailto: addresses")
        return term

    def page_source(self, values: FieldValues, entry_line: int, name: str) -> str | None:
        """Where the paper explains the term (``page.md#section``), which its page links to; a
        ``javascript:``-like value is reported and left out, as it would run when followed."""
        source = self.text(values, "source", entry_line, term=name, required=False)
        if source is None or unsafe_scheme(source) is None:
            return source
        self.problem(values["source"][1], f"`source` {source!r} of term '{name}' is not a page of the site, so "
                     "it is left out; write it as page.md#section")
        return None

    def page_id(self, values: FieldValues, entry_line: int, name: str) -> str:
        """The term's id, which names its page and sits in attributes: letters, digits, ``-``, ``_``.

        Anything else (``/``, ``..``, quotes, ``<``) could lead the page out of the terms folder
        or out of an HTML attribute, so such an id is reported and made into a slug.
        """
        term_id = self.text(values, "id", entry_line, term=name, required=False)
        if term_id is None or _PAGE_ID.fullmatch(term_id):
            return term_id or slugify(name)
        replacement = slugify(term_id) or slugify(name)
        self.problem(values["id"][1], f"`id` {term_id!r} of term '{name}' may only hold letters, digits, '-' and "
                     f"'_' (it names the term's page), so '{replacement}' is used; write `id: {replacement}`")
        return replacement

    def flag(self, values: FieldValues, field: str, *, default: bool) -> bool:
        """A yes/no field (`true`/`false`); anything else is reported and the default kept."""
        if field not in values:
            return default
        value, line = values[field]
        if not isinstance(value, bool):
            self.problem(line, f"`{field}` must be true or false")
            return default
        return value

    def text(self, values: FieldValues, field: str, entry_line: int,
             *, term: str | None = None, required: bool = True) -> str | None:
        """A non-empty string field; a missing required one is reported on the entry's line."""
        if field not in values:
            if required:
                where = f" of term '{term}'" if term else ""
                self.problem(entry_line, f"lexicon entry{where} has no `{field}`; add `{field}: ...` to it")
            return None
        value, line = values[field]
        if not isinstance(value, str) or not value.strip():
            self.problem(line, f"`{field}` must be non-empty text; write `{field}: ...` with words after it")
            return None
        return value.strip()

    def strings(self, values: FieldValues, field: str) -> tuple[str, ...]:
        """A list of strings (a single string is accepted as a one-item list)."""
        if field not in values:
            return ()
        value, line = values[field]
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) and item.strip() for item in items):
            self.problem(line, f"`{field}` must be a list of texts, e.g. `{field}: {_LIST_EXAMPLES[field]}`")
            return ()
        return tuple(item.strip() for item in items)


def _check_cross_references(lexicon: Lexicon, known_reference_keys: Collection[str] | None,
                            problems: list[DataProblem]) -> None:
    """Spellings claimed twice, everyday-word aliases, unknown related terms and BibTeX keys."""
    claimed: dict[str, Term] = {}
    for term in lexicon.terms:
        for name in term.names:
            owner = claimed.setdefault(form_key(name), term)
            if owner is not term:
                problems.append(DataProblem(lexicon.path, term.line, f"'{name}' is claimed twice: by term "
                                            f"'{owner.term}' (line {owner.line}) and by term '{term.term}'"))
        for alias in term.aliases:
            if alias.lower() in COMMON_WORDS:
                problems.append(DataProblem(lexicon.path, term.line, f"alias '{alias}' of term '{term.term}' is a "
                                            "common word and would link everywhere"))
        for name, related in lexicon.related_entries(term):
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


def parse_lexicon(text: str, path: str, known_reference_keys: Collection[str] | None = None,
                  *, from_events: bool = True) -> tuple[Lexicon, list[DataProblem]]:
    """Parse lexicon YAML ``text`` (named ``path`` in messages); checks references only if keys are given.

    ``from_events=False`` reads the YAML from PyYAML's node tree only (see ``read_entries``).
    """
    problems: list[DataProblem] = []
    lexicon = Lexicon(path=path)
    try:
        reading = read_entries(text, _FIELDS, from_events=from_events)
    except yaml.MarkedYAMLError as error:
        problems.append(_yaml_syntax_problem(error, path))
        return lexicon, problems
    if reading.shape_problem is not None:
        problems.append(DataProblem(path, *reading.shape_problem))
    reader = _EntryReader(path, problems)
    read = [term for term in map(reader.read, reading.entries) if term is not None]
    lexicon.terms.extend(_first_of_each_id(read, path, problems))
    _check_cross_references(lexicon, known_reference_keys, problems)
    return lexicon, problems


def _yaml_syntax_problem(error: yaml.MarkedYAMLError, path: str) -> DataProblem:
    """PyYAML's complaint, at the line to fix, with what to try.

    An unclosed quote is noticed at the end of the file; the line where the quote opens is
    the one to fix.
    """
    unclosed_quote = (error.context or "").startswith("while scanning a quoted scalar") and error.context_mark
    mark = error.context_mark if unclosed_quote else error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else None
    if unclosed_quote:
        return DataProblem(path, line, "malformed YAML: a quote opened on this line is never closed; add the closing quote")
    problem = error.problem or error.context or "unreadable text"
    hint = _TAB_HINT if "'\\t'" in problem else _YAML_HINT
    return DataProblem(path, line, f"malformed YAML: {problem}; {hint}")


def _first_of_each_id(terms: list[Term], path: str, problems: list[DataProblem]) -> list[Term]:
    """Each id once: a later entry with a taken id is reported once and left out.

    (Keeping both would link, list and export the term twice, and report every one of its
    spellings as claimed twice on top.)
    """
    first_of: dict[str, Term] = {}
    for term in terms:
        first = first_of.setdefault(term.id, term)
        if first is term:
            continue
        if form_key(first.term).casefold() == form_key(term.term).casefold():
            message = (f"term '{term.term}' is already defined at line {first.line}, so this entry is ignored; "
                       "merge the two entries into one")
        else:
            message = (f"id '{term.id}' is already used by term '{first.term}' (line {first.line}), so this entry is "
                       "ignored; give it another `id`")
        problems.append(DataProblem(path, term.line, message))
    return list(first_of.values())


_recent_loads: RecentResults[tuple[str, str, frozenset[str] | None],
                             tuple[Lexicon, list[DataProblem]]] = RecentResults()


def load_lexicon(path: str | Path, known_reference_keys: Collection[str] | None = None
                 ) -> tuple[Lexicon, list[DataProblem]]:
    """Read and validate the lexicon file at ``path`` (see ``parse_lexicon``).

    Returns the very same result as the previous call while neither the file's bytes nor the
    known reference keys changed, so ``mkdocs serve`` rebuilds after a page edit (and the
    matcher built for that lexicon) cost nothing.
    """
    data = Path(path).read_bytes()
    keys = frozenset(known_reference_keys) if known_reference_keys is not None else None
    fingerprint = (str(path), hashlib.sha256(data).hexdigest(), keys)

    def load() -> tuple[Lexicon, list[DataProblem]]:
        text, encoding_problem = decode_utf8(data, str(path))
        lexicon, problems = parse_lexicon(text, str(path), known_reference_keys)
        return lexicon, [encoding_problem, *problems] if encoding_problem else problems

    return _recent_loads.get_or_make(fingerprint, load)
