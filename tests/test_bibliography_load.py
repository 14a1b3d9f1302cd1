"""Loading BibTeX: every mistake located (file, line), nothing raised, parses cached by content."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mkdocs_knowledge_base.bibliography import database
from mkdocs_knowledge_base.bibliography.database import load_bibliography
from mkdocs_knowledge_base.errors import DataProblem

GOOD = """\
@book{fonagy2002,
  author = {Fonagy, Peter},
  title = {Affect regulation, mentalization, and the development of the self},
  publisher = {Other Press},
  year = {2002},
}

@article{schore2001,
  author = {Schore, Allan N.},
  title = {Effects of a secure attachment relationship},
  journal = {Infant Mental Health Journal},
  year = {2001},
}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_entries_and_their_lines_in_file_order(tmp_path: Path) -> None:
    first = write(tmp_path, "a.bib", GOOD)
    second = write(tmp_path, "b.bib", "% comment\n\n@misc{later, title = {T}}\n")
    bibliography = load_bibliography([first, second])
    assert list(bibliography.entries) == ["fonagy2002", "schore2001", "later"]
    assert bibliography.locations == {
        "fonagy2002": (str(first), 1), "schore2001": (str(first), 8), "later": (str(second), 3),
    }
    assert bibliography.problems == []
    assert bibliography.entries["schore2001"].fields["journal"] == "Infant Mental Health Journal"


@pytest.mark.parametrize(
    ("broken_entry", "error_line", "message_part"),
    [
        # A missing comma is noticed by pybtex on the next field's line, but it is missing on this one.
        ("@book{broken,\n  author = {A, B.}\n  title = {T},\n  publisher = {P}, year = 2000,\n}\n",
         4, "entry 'broken' (line 3): a comma is missing at the end of this line, before field 'title'; add ','"),
        ("@book{broken,\n  author = {A, B.},\n  title {T},\n}\n", 5, "entry 'broken': field 'title' has no '='"),
        ("@book{broken,\n  title = ,\n}\n", 4, "entry 'broken': field 'title' has no value"),
        # An unclosed brace swallows text up to the next '@' (line 8): the line it opens on is named.
        ("@book{broken,\n  title = {T {unclosed},\n  year = 2000,\n}\n", 4,
         "entry 'broken' (line 3) has an opening brace '{' on this line that is never closed; add the missing '}'"),
        # Not one field per line: the entry is named, and where to look.
        ("@book{broken, title = {T {unclosed}, year = 2000}\n", 3,
         "entry 'broken' has an opening brace '{' that is never closed; add the missing '}' before the next '@'"),
        # A '}' too many closes the entry early; pybtex would silently drop the fields after it.
        ("@book{broken,\n  title = {T}},\n  year = 2000,\n}\n", 4,
         "entry 'broken' (line 3) is closed on this line by a '}' too many, so field 'year' and those after it"),
        ('@book{broken,\n  title = "T}",\n}\n', 3, "entry 'broken' has a closing brace '}' too many; remove it"),
        ("@book{,\n  title = {T},\n}\n", 3, "the entry starting at line 3 has no key"),
        ("@book{with space,\n  title = {T},\n}\n", 3,
         "the key 'with space' contains a space, which keys may not; write it without spaces, e.g. with-space"),
        ("@book broken,\n  title = {T},\n}\n", 3, "this '@' does not start an entry"),
        ("% write to me@example.org\n", 3, "this '@' does not start an entry"),
    ],
)
def test_syntax_error_is_located_and_later_entries_survive(
    tmp_path: Path, broken_entry: str, error_line: int, message_part: str
) -> None:
    text = "% header\n\n" + broken_entry + "\n@misc{after, title = {Still here}}\n"
    path = write(tmp_path, "broken.bib", text)
    bibliography = load_bibliography([path])
    (problem,) = bibliography.problems
    assert (problem.path, problem.line) == (str(path), error_line)
    assert message_part in problem.message
    assert "after" in bibliography.entries
    assert "broken" not in bibliography.entries  # a half-read entry would print a garbled reference


def test_premature_end_of_file(tmp_path: Path) -> None:
    path = write(tmp_path, "eof.bib", GOOD + "\n@book{cut,\n  title = {T")
    bibliography = load_bibliography([path])
    assert [(p.line, p.message) for p in bibliography.problems] == [
        (16, "entry 'cut' (line 15) has an opening brace '{' on this line that is never closed; add the missing '}'")
    ]
    assert list(bibliography.entries) == ["fonagy2002", "schore2001"]


def test_duplicate_key_reports_both_lines_and_keeps_the_first(tmp_path: Path) -> None:
    path = write(tmp_path, "dup.bib", GOOD + "\n@book{Fonagy2002, title = {Other}, publisher = {P}, year = 1999}\n")
    bibliography = load_bibliography([path])
    assert bibliography.problems == [DataProblem(
        str(path), 15, f"duplicate BibTeX key 'Fonagy2002': already defined at {path}:1, so this entry is ignored; "
        "give one of the two another key (and cite it by that key) or delete this one")]
    assert bibliography.entries["fonagy2002"].fields["year"] == "2002"


def test_duplicate_key_across_files(tmp_path: Path) -> None:
    first = write(tmp_path, "a.bib", GOOD)
    second = write(tmp_path, "b.bib", "\n\n@article{schore2001, title = {Again}, journal = {J}, year = 2001}\n")
    problems = load_bibliography([first, second]).problems
    assert [(p.path, p.line) for p in problems] == [(str(second), 3)]
    assert f"already defined at {first}:8" in problems[0].message


def test_duplicate_field_is_located(tmp_path: Path) -> None:
    path = write(tmp_path, "field.bib", "\n@misc{k,\n  title = {A},\n  title = {B},\n}\n")
    (problem,) = load_bibliography([path]).problems
    assert (problem.line, problem.message) == (
        2, "entry 'k' has the field 'title' twice; only the first one is used, so delete the other")


def test_names_joined_by_commas_are_explained(tmp_path: Path) -> None:
    path = write(tmp_path, "names.bib", "\n@book{k, author = {Smith, A., Jones, B.}, title = {T}, year = 2000, publisher = {P}}\n")
    (problem,) = load_bibliography([path]).problems
    assert (problem.line, problem.message) == (2, "entry 'k': Too many commas in 'Smith, A., Jones, B.'; separate people "
                                                  "with ' and ' (Smith, Ann and Jones, Bob), not commas")


def test_undefined_macro_is_reported_and_the_entry_kept(tmp_path: Path) -> None:
    path = write(tmp_path, "macro.bib", "@misc{k, title = {T}, publisher = nosuchmacro}\n")
    bibliography = load_bibliography([path])
    (problem,) = bibliography.problems
    assert (problem.line, problem.message) == (1, "entry 'k': the value 'nosuchmacro' of field 'publisher' is neither "
                                                  "a number nor in braces; write publisher = {nosuchmacro}")
    assert "k" in bibliography.entries


def test_string_macros_are_shared_across_files(tmp_path: Path) -> None:
    macros = write(tmp_path, "macros.bib", '@string{apa = "American Psychological Association"}\n')
    works = write(tmp_path, "works.bib", "@book{k, title = {T}, publisher = apa, year = 2020}\n")
    bibliography = load_bibliography([macros, works])
    assert bibliography.problems == []
    assert bibliography.entries["k"].fields["publisher"] == "American Psychological Association"


def test_missing_apa_fields_are_reported_at_the_entry(tmp_path: Path) -> None:
    path = write(tmp_path, "missing.bib", GOOD + "\n@article{thin,\n  title = {T},\n}\n@misc{fine, title = {Web}}\n")
    bibliography = load_bibliography([path])
    assert bibliography.problems == [DataProblem(
        str(path), 15, "@article{thin} lacks journal/journaltitle, year/date, which its APA 7 reference needs; "
        "add them to the entry")]
    assert "thin" in bibliography.entries


def test_unreadable_files_are_problems_not_exceptions(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.bib"
    latin1 = tmp_path / "latin1.bib"
    latin1.write_bytes("@misc{k, title = {Ok}}\n\n@misc{j,\n  title = {Caf\xe9 cr\xe8me}}".encode("latin-1"))
    bibliography = load_bibliography([missing, latin1])
    assert [(p.path, p.line) for p in bibliography.problems] == [(str(missing), None), (str(latin1), 4)]
    assert bibliography.problems[0].message == "cannot read BibTeX file: No such file or directory"
    assert bibliography.problems[1].message.startswith(
        "the file is not saved as UTF-8 (byte 0xE9 in column 15 of this line cannot be read); save it with")
    # Nothing lost: every entry is read, the undecodable letters replaced.
    assert bibliography.entries["j"].fields["title"] == "Caf\ufffd cr\ufffdme"
    assert list(bibliography.entries) == ["k", "j"]


def test_parse_is_cached_until_a_file_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "cached.bib", GOOD)
    parsed_files: list[Path] = []
    original_read_file = database._LocatingParser.read_file

    def counting_read_file(self: database._LocatingParser, file: Path) -> None:
        parsed_files.append(file)
        original_read_file(self, file)

    monkeypatch.setattr(database._LocatingParser, "read_file", counting_read_file)
    first = load_bibliography([path])
    again = load_bibliography([str(path)])
    assert again is first
    assert parsed_files == [path]

    path.write_text(GOOD.replace("{2002}", "{2003}"), encoding="utf-8")
    changed = load_bibliography([path])
    assert changed is not first
    assert len(parsed_files) == 2
    assert changed.entries["fonagy2002"].fields["year"] == "2003"


def test_same_content_at_another_path_is_parsed_for_that_path(tmp_path: Path) -> None:
    one = write(tmp_path, "one.bib", GOOD)
    two = write(tmp_path, "two.bib", GOOD)
    assert load_bibliography([two]).locations["fonagy2002"] == (str(two), 1)
    assert load_bibliography([one]).locations["fonagy2002"] == (str(one), 1)


def test_bundled_database_loads_without_problems() -> None:
    bib = Path(__file__).resolve().parent.parent / "references" / "references.bib"
    bibliography = load_bibliography([bib])
    assert bibliography.problems == []
    assert len(bibliography.entries) == 38
