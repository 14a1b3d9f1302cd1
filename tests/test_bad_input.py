"""Bad input as editors paste it: one clear message per mistake, every page still written.

Each mistake is checked the way a user meets it: a tiny site with the broken file is built
without ``--strict`` (it must succeed, write every page and mark what could not be
resolved) and with ``--strict`` (it must fail with exactly one warning naming the file, the
line and what to do, and never a Python traceback). Export file names made from hostile
BibTeX keys must stay inside the site folder and be what the reference list links to.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote, urljoin

import pytest

from mkdocs_knowledge_base.pages.references import export_stem
from tests.conftest import BOWLBY_BIB, run_mkdocs_build

MakeSite = Callable[..., Path]

PAGE = "# Home\n\nAttachment matters.[@bowlby1969]\n"
LEXICON = "terms:\n  - term: attachment\n    definition: A lasting bond.\n    references: [bowlby1969]\n"
BIB = textwrap.dedent(BOWLBY_BIB)
"""Six lines: a mistake appended after a blank line starts at line 8."""
PAGES_WRITTEN = ("index.html", "404.html", "references/index.html", "glossary/index.html")


def bib_entry(key: str, body: str = "  author = {Smith, Ann},\n  title = {A title},\n  year = {2000},\n"
              "  publisher = {P},\n", entry_type: str = "book") -> str:
    """An entry to append to ``BIB`` (its ``@`` lands on line 8)."""
    return f"\n@{entry_type}{{{key},\n{body}}}\n"


@dataclass(frozen=True)
class Mistake:
    """A broken input, the one message it must give (file name, line, words) and what the page shows."""

    page: str = PAGE
    bib: str | bytes = BIB
    lexicon: str | bytes = LEXICON
    where: tuple[str, int] = ("", 0)
    says: str = ""
    page_shows: tuple[str, ...] = field(default_factory=tuple)
    """HTML fragments the non-strict build's home page must contain (markers, decoded text)."""
    term_page_shows: tuple[str, ...] = field(default_factory=tuple)
    """The same for the page of the term 'attachment'."""


MISTAKES = {
    "bib: unclosed brace": Mistake(
        page=PAGE + "\nCited anyway.[@broken]\n",
        bib=BIB + bib_entry("broken", "  author = {Smith, Ann},\n  title = {Unclosed {brace},\n  year = {2000},\n"),
        where=("refs.bib", 10),
        says="entry 'broken' (line 8) has an opening brace '{' on this line that is never closed; add the missing '}'",
        page_shows=('<span class="kb-note-missing">Unknown reference “broken”</span>',)),
    "bib: missing comma": Mistake(
        page=PAGE + "\nCited anyway.[@nocomma]\n",
        bib=BIB + bib_entry("nocomma", "  author = {Smith, Ann}\n  title = {T},\n  year = {2000},\n"),
        where=("refs.bib", 9),
        says="entry 'nocomma' (line 8): a comma is missing at the end of this line, before field 'title'; add ','",
        page_shows=('<span class="kb-note-missing">Unknown reference “nocomma”</span>',)),
    "bib: unknown entry type": Mistake(
        page=PAGE + "\nA typo in the type.[@typo2000]\n",
        bib=BIB + bib_entry("typo2000", entry_type="bok"),
        where=("refs.bib", 8), says="entry 'typo2000' has the unknown type '@bok', so it is printed as @misc; use one of",
        page_shows=("Smith, A. (2000). <em>A title</em>",)),
    "bib: duplicate key": Mistake(
        bib=BIB + bib_entry("Bowlby1969"), where=("refs.bib", 8),
        says="duplicate BibTeX key 'Bowlby1969': already defined at ",
        page_shows=("Bowlby, J. (1969). <em>Attachment and loss</em>",)),
    "bib: invalid UTF-8": Mistake(
        page=PAGE + "\nLatin-1 bytes.[@latin]\n",
        bib=(BIB + bib_entry("latin", "  author = {M\xfcller, Ann},\n  title = {T},\n  year = {2000},\n"
                             "  publisher = {P},\n")).encode("latin-1"),
        where=("refs.bib", 9), says="the file is not saved as UTF-8 (byte 0xFC in column 14 of this line",
        page_shows=("M\ufffdller, A. (2000)",)),
    "lexicon: YAML syntax": Mistake(
        lexicon="terms:\n  - term: attachment\n    definition: A bond: [lasting\n", where=("terms.yml", 3),
        says="malformed YAML: mapping values are not allowed here; check the indentation"),
    "lexicon: missing definition": Mistake(
        lexicon=LEXICON + "  - term: caregiver\n", where=("terms.yml", 5),
        says="lexicon entry of term 'caregiver' has no `definition`; add `definition: ...` to it",
        page_shows=('data-kb-term="attachment"',)),
    "lexicon: duplicate term": Mistake(
        lexicon=LEXICON + "  - term: attachment\n    definition: Again.\n", where=("terms.yml", 5),
        says="term 'attachment' is already defined at line 2, so this entry is ignored; merge the two entries",
        page_shows=('data-kb-term="attachment"',)),
    "lexicon: invalid UTF-8": Mistake(
        lexicon=(LEXICON + "  - term: na\xefve\n    definition: d\n    expected_in_text: false\n").encode("latin-1"),
        where=("terms.yml", 5), says="the file is not saved as UTF-8 (byte 0xEF in column 13 of this line",
        page_shows=('data-kb-term="attachment"',)),
    "lexicon: unknown related term": Mistake(
        lexicon=LEXICON + "    related: [bonding]\n", where=("terms.yml", 2),
        says="term 'attachment' lists related term 'bonding', which does not exist",
        term_page_shows=('<span class="kb-term-missing">bonding</span> (not in the lexicon)',)),
    "lexicon: unknown reference key": Mistake(
        lexicon=LEXICON.replace("[bowlby1969]", "[bowlby1969, nobody2020]"), where=("terms.yml", 2),
        says="term 'attachment' cites 'nobody2020', which is not in the bibliography",
        term_page_shows=('<li><span class="kb-note-missing">Unknown reference “nobody2020”</span></li>',
                         "Bowlby, J. (1969). <em>Attachment and loss</em>")),
    "page: unknown citation key": Mistake(
        page=PAGE + "\nA typo in the key.[@bowlbi1969, p. 3]\n", where=("index.md", 5),
        says="citation '[@bowlbi1969, p. 3]': unknown key 'bowlbi1969'; no BibTeX entry has this key, so check",
        page_shows=('<span class="kb-note-missing">Unknown reference “bowlbi1969”</span>',)),
    "page: term link to no term": Mistake(
        page=PAGE + "\nSee [the bond](term:bonding).\n", where=("index.md", 5),
        says="link '[the bond](term:bonding)' names no term of the lexicon; write a term's name or id",
        page_shows=('<span class="kb-term-missing">the bond</span>',)),
}


def write_inputs(folder: Path, mistake: Mistake) -> dict[str, Any]:
    """Write the BibTeX and lexicon files (bytes as they are: invalid UTF-8 must reach the plugin)
    and return the plugin options pointing at them."""
    for name, content in (("refs.bib", mistake.bib), ("terms.yml", mistake.lexicon)):
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return {"bibliography": ["refs.bib"], "lexicon": "terms.yml"}


@pytest.mark.parametrize("mistake", MISTAKES.values(), ids=MISTAKES.keys())
def test_each_mistake_gives_one_located_message_and_loses_no_page(
    make_site: MakeSite, tmp_path: Path, mistake: Mistake
) -> None:
    site = make_site({"index.md": mistake.page}, options=write_inputs(tmp_path, mistake), strict=False)
    for page in PAGES_WRITTEN:
        assert (site / page).is_file(), page
    for page, fragments in (("index.html", mistake.page_shows), ("terms/attachment/index.html", mistake.term_page_shows)):
        for fragment in fragments:
            assert fragment in (site / page).read_text(encoding="utf-8"), (page, fragment)

    strict = run_mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "strict-site", strict=True)
    assert strict.returncode != 0
    assert "Traceback" not in strict.stdout
    warnings = [line for line in strict.stdout.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1, strict.stdout
    name, line = mistake.where
    assert re.search(rf"(^|[ /]){re.escape(name)}:{line}: {re.escape(mistake.says)}", warnings[0]), warnings[0]


# ----- export file names from hostile keys ------------------------------------------------------

HOSTILE_KEYS = ["../../etc/passwd", "a/b", "a:b", "a\\b", "Müller2020", "con", "CON.2020", "references", ".hidden",
                "a.", "k" * 150, "日本語", "..", "x?y#z", "safe-key_2020.v2"]
_PLAIN_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_export_stem_is_a_plain_file_name_inside_the_folder(key: str) -> None:
    stem = export_stem(key)
    assert _PLAIN_FILE_NAME.fullmatch(stem) and not stem.endswith(".") and len(stem) <= 80
    assert (Path("/site/references") / f"{stem}.bib").resolve().parent == Path("/site/references")
    assert stem.split(".")[0].lower() not in {"con", "prn", "aux", "nul"}
    assert stem.casefold() != "references"
    assert export_stem(key) == stem  # deterministic: the list and the files agree


def test_export_stems_never_collide() -> None:
    keys = [*HOSTILE_KEYS, "a-b", "a_b", "Muller2020", "etc-passwd", "hidden", "con-2020"]
    assert len({export_stem(key).casefold() for key in keys}) == len(keys)


def test_plain_keys_keep_their_file_names() -> None:
    assert [export_stem(key) for key in ("siegel1999", "zero-to-three.2018", "De_Wolff1997")] == [
        "siegel1999", "zero-to-three.2018", "De_Wolff1997"]


class _Downloads(HTMLParser):
    """The ``href`` of every download link of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("class") == "kb-download":
            self.hrefs.append(attributes["href"] or "")


def test_hostile_keys_export_inside_the_site_and_every_download_resolves(make_site: MakeSite, tmp_path: Path) -> None:
    # Keys pybtex accepts (a key ends at a space, comma or '}'); the citation syntax cannot cite
    # most of them, so the whole database is listed instead.
    keys = HOSTILE_KEYS
    bib = "".join(bib_entry(key, f"  author = {{Smith, Ann}},\n  title = {{Work {number}}},\n  year = {{2000}},\n"
                                 "  publisher = {P},\n") for number, key in enumerate(keys))
    site = make_site({"index.md": "# Home\n"}, bib=bib, options={"list_uncited": True, "warn_uncited": False})

    assert sorted(path.name for path in tmp_path.iterdir()) == ["docs", "mkdocs.yml", "refs.bib", "site"]
    written = {path.resolve() for path in site.rglob("*") if path.is_file()}
    assert all(path.is_relative_to(site.resolve()) for path in written)

    parser = _Downloads()
    parser.feed((site / "references" / "index.html").read_text(encoding="utf-8"))
    targets = [(site / unquote(urljoin("references/", href))).resolve() for href in parser.hrefs]
    assert len(targets) == 3 * (len(keys) + 1)  # each work and the whole database, in three formats
    assert all(target in written for target in targets), [t for t in targets if t not in written]
    for key in keys:
        stem = export_stem(key)
        assert f"@book{{{key}," in (site / "references" / f"{stem}.bib").read_text(encoding="utf-8")
        (item,) = json.loads((site / "references" / f"{stem}.json").read_text(encoding="utf-8"))
        assert item["id"] == key
    whole = json.loads((site / "references" / "references.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in whole] == keys  # the key 'references' did not overwrite the whole database


# ----- LaTeX as readers see it --------------------------------------------------------------------

def test_latex_shows_as_text_in_notes_reference_list_term_pages_and_exports(make_site: MakeSite) -> None:
    bib = BIB + bib_entry("norona2010", r"""  author = {Noro{\~n}a, Carmen Rosa and G{\"o}del, Kurt},
  title = {The \emph{Homo sapiens} Caf\'e---{A} Stra{\ss}e \& Gar\c{c}on Study},
  journal = {J}, year = {2010}, pages = {7--66},
""", entry_type="article")
    lexicon = LEXICON.replace("[bowlby1969]", "[bowlby1969, norona2010]")
    site = make_site({"index.md": PAGE + "\nSee also.[@norona2010]\n"}, bib=bib, lexicon=lexicon)
    expected = ("Noroña, C. R., &amp; Gödel, K. (2010). The <em>Homo sapiens</em> café—A straße &amp; garçon study. "
                "<em>J</em>, 7–66.")
    for page in ("index.html", "references/index.html", "terms/attachment/index.html"):
        assert expected in (site / page).read_text(encoding="utf-8"), page
    ris = (site / "references" / "norona2010.ris").read_text(encoding="utf-8").splitlines()
    assert "TI  - The Homo sapiens Café—A Straße & Garçon Study" in ris and "AU  - Noroña, Carmen Rosa" in ris
    (item,) = json.loads((site / "references" / "norona2010.json").read_text(encoding="utf-8"))
    assert item["author"][1] == {"family": "Gödel", "given": "Kurt"}
    assert r"{The \emph{Homo sapiens}" in (site / "references" / "norona2010.bib").read_text(encoding="utf-8")
