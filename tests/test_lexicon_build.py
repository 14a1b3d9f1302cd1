"""The lexicon in built sites: term pages, glossary, back-links, key terms, exports, search index.

Links are followed as a browser would (relative to the page's own URL, ``index.html`` for
directory URLs) and must land on a file, and on an element id when they carry a ``#``.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.conftest import BOWLBY_BIB, REPO, run_mkdocs_build

PAGES = {
    "index.md": """\
        # Home

        Welcome. Attachment matters [@bowlby1969].
        """,
    "chapter.md": """\
        # Chapter

        Intro about the caregiver.

        ## The Bond

        Babies need *secure* attachment to grow. Attachment again; [the bond](term:attachment) too.

        ## Regulation

        Mutual regulation, or co-regulation, happens between a caregiver and a baby.
        """,
}
LEXICON = """\
    terms:
      - term: attachment
        aliases: [attachment relationship]
        definition: The *bond* a child forms with a caregiver.
        source: chapter.md#the-bond
        related: [mutual regulation]
        references: [bowlby1969]
      - term: mutual regulation
        aliases: [co-regulation]
        definition: The dance of connection.
        related: [attachment]
      - term: caregiver
        definition: An adult who cares for the child.
    """
NAV = {"nav": [{"Home": "index.md"}, {"Chapter": "chapter.md"}]}
TERM_IDS = ("attachment", "mutual-regulation", "caregiver")


class _Page(HTMLParser):
    """Start tags (with attributes), ids, link targets and text of one built page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.ids: set[str] = set()
        self.scripts: list[tuple[str, str]] = []
        self._script_type: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "script":
            self._script_type = attributes.get("type", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script_type = None

    def handle_data(self, data: str) -> None:
        if self._script_type is not None:
            self.scripts.append((self._script_type, data))
        else:
            self.text.append(data)

    def having(self, tag: str, css_class: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag and css_class in attrs.get("class", "").split()]


class _ArticleText(HTMLParser):
    """The text a reader sees in the page's article, without the key-terms block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = {"article": 0, "aside": 0}
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.depth:
            self.depth[tag] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.depth:
            self.depth[tag] -= 1

    def handle_data(self, data: str) -> None:
        if self.depth["article"] and not self.depth["aside"]:
            self.parts.append(data)


def article_text(file: Path) -> str:
    parser = _ArticleText()
    parser.feed(file.read_text(encoding="utf-8"))
    return " ".join("".join(parser.parts).split())


def read_page(site: Path, url_path: str) -> _Page:
    file = site / url_path
    if url_path.endswith("/") or not url_path:
        file = file / "index.html"
    page = _Page()
    page.feed(file.read_text(encoding="utf-8"))
    return page


def follow(site: Path, from_path: str, href: str) -> tuple[str, str]:
    """(site-relative path, fragment) the relative link ``href`` on page ``from_path`` leads to."""
    target = urlsplit(urljoin(f"http://site/{from_path}", href))
    return unquote(target.path).lstrip("/"), target.fragment


def assert_lands(site: Path, from_path: str, href: str) -> None:
    path, fragment = follow(site, from_path, href)
    file = site / path / "index.html" if path.endswith("/") or not path else site / path
    assert file.is_file(), f"{href} on {from_path} leads to missing {file}"
    if fragment:
        assert fragment in read_page(site, path).ids, f"{href} on {from_path}: no id {fragment!r}"


@pytest.fixture
def tiny_site(make_site: Callable[..., Path]) -> Callable[..., Path]:
    def build(**overrides: Any) -> Path:
        config = {**NAV, **overrides.pop("config", {})}
        return make_site(pages=overrides.pop("pages", PAGES), bib=BOWLBY_BIB, lexicon=overrides.pop("lexicon", LEXICON),
                         config=config, **overrides)
    return build


def test_term_page_has_definition_aliases_related_references_source_and_usages(tiny_site: Callable[..., Path]) -> None:
    site = tiny_site()
    page = read_page(site, "terms/attachment/")
    text = " ".join("".join(page.text).split())
    assert "The bond a child forms with a caregiver." in text
    assert "Also called: attachment relationship" in text
    related = [attrs["href"] for tag, attrs in page.tags if tag == "a" and attrs.get("href") == "../mutual-regulation/"]
    assert related, "related term not linked"
    (reference_link,) = page.having("a", "kb-to-reference-list")
    assert reference_link["href"] == "../../references/#ref-bowlby1969"
    assert "Bowlby, J. (1969). Attachment and loss" in text
    assert_lands(site, "terms/attachment/", reference_link["href"])
    assert any(attrs.get("href") == "../../chapter/#the-bond" for _, attrs in page.tags), "no link to the source passage"
    usages = page.having("a", "kb-usage")
    assert len(usages) == 4  # home: 1; chapter, "The Bond": the link, the mention, the forced link
    for usage in usages:
        assert_lands(site, "terms/attachment/", usage["href"])
    assert "Babies need secure attachment to grow." in text
    assert not page.having("a", "kb-term") or all(a["data-kb-term"] != "attachment" for a in page.having("a", "kb-term"))


def test_used_in_is_grouped_by_page_in_nav_order_then_section(tiny_site: Callable[..., Path]) -> None:
    site = tiny_site()
    page = read_page(site, "terms/attachment/")
    pages = [attrs["href"] for attrs in page.having("a", "kb-used-in-page")]
    assert pages == ["../../", "../../chapter/"]
    sections = [attrs["href"] for attrs in page.having("a", "kb-used-in-section")]
    assert sections == ["../../#home", "../../chapter/#the-bond"]
    co_regulation = read_page(site, "terms/mutual-regulation/")
    assert [attrs["href"] for attrs in co_regulation.having("a", "kb-used-in-section")] == ["../../chapter/#regulation"]


def test_document_pages_link_terms_once_per_section_and_list_key_terms(tiny_site: Callable[..., Path]) -> None:
    site = tiny_site()
    chapter = read_page(site, "chapter/")
    links = [(attrs["data-kb-term"], attrs.get("id", "")) for attrs in chapter.having("a", "kb-term")]
    body_links = [term for term, anchor in links if anchor]
    assert body_links == ["caregiver", "attachment", "attachment", "mutual-regulation", "caregiver"]
    (aside,) = chapter.having("aside", "kb-key-terms")
    assert aside["aria-label"] == "Key terms on this page"
    key_terms = [term for term, anchor in links if not anchor]
    assert key_terms == ["attachment", "caregiver", "mutual-regulation"]
    for attrs in chapter.having("a", "kb-term"):
        assert_lands(site, "chapter/", attrs["href"])
    assert len(chapter.having("span", "kb-term-mention")) == 2  # "Attachment again", "co-regulation"


def test_linking_leaves_the_text_readers_see_unchanged(make_site: Callable[..., Path]) -> None:
    with_terms = make_site(pages=PAGES, bib=BOWLBY_BIB, lexicon=LEXICON, config=NAV)
    texts = {name: article_text(with_terms / name) for name in ("index.html", "chapter/index.html")}
    assert "Key terms on this page" not in texts["chapter/index.html"]
    without_terms = make_site(pages=PAGES, bib=BOWLBY_BIB, config=NAV)
    assert read_page(without_terms, "chapter/").having("a", "kb-term") == []
    assert {name: article_text(without_terms / name) for name in texts} == texts


def test_term_pages_and_glossary_get_no_automatic_links(tiny_site: Callable[..., Path]) -> None:
    site = tiny_site()
    for url in ("glossary/", *(f"terms/{term_id}/" for term_id in TERM_IDS)):
        page = read_page(site, url)
        assert page.having("a", "kb-term") == [] and page.having("span", "kb-term-mention") == [], url
        assert page.having("aside", "kb-key-terms") == [], url


def test_term_page_json_ld_is_a_defined_term(tiny_site: Callable[..., Path]) -> None:
    site = tiny_site()
    page = read_page(site, "terms/mutual-regulation/")
    (data,) = [json.loads(text) for kind, text in page.scripts if kind == "application/ld+json"]
    assert data["@type"] == "DefinedTerm" and data["@context"] == "https://schema.org"
    assert data["name"] == "mutual regulation" and data["alternateName"] == ["co-regulation"]
    assert data["description"] == "The dance of connection."
    assert data["url"] == "https://example.org/kb/terms/mutual-regulation/"
    assert data["inDefinedTermSet"] == "https://example.org/kb/glossary/"


def test_glossary_lists_terms_a_to_z_with_letter_bar_filter_and_downloads(tiny_site: Callable[..., Path]) -> None:
    site = tiny_site()
    page = read_page(site, "glossary/")
    entries = [attrs["id"] for attrs in page.having("h3", "kb-glossary-term")]
    assert entries == ["glossary-attachment", "glossary-caregiver", "glossary-mutual-regulation"]
    letter_links = [attrs["href"] for tag, attrs in page.tags if tag == "a" and attrs.get("href", "").startswith("#letter-")]
    assert letter_links == ["#letter-a", "#letter-c", "#letter-m"]
    assert len(page.having("span", "kb-letter-empty")) == 23
    for href in letter_links:
        assert href[1:] in page.ids
    (search_box,) = [attrs for tag, attrs in page.tags if tag == "input" and attrs.get("type") == "search"
                     and attrs.get("id", "").startswith("kb-")]
    assert search_box["type"] == "search" and any(
        tag == "label" and attrs.get("for") == search_box["id"] for tag, attrs in page.tags)
    (status,) = page.having("p", "kb-glossary-count")
    assert status["aria-live"] == "polite" and status["role"] == "status"
    assert status["id"] == search_box["aria-describedby"]
    downloads = [attrs["href"] for tag, attrs in page.tags if tag == "a" and "download" in attrs]
    assert downloads == ["../lexicon.csv", "../lexicon.json"]
    term_links = [attrs["href"] for tag, attrs in page.tags if tag == "a" and "terms/" in attrs.get("href", "")]
    assert term_links == ["../terms/attachment/", "../terms/caregiver/", "../terms/mutual-regulation/"]
    for href in downloads + term_links:
        assert_lands(site, "glossary/", href)
    text = " ".join("".join(page.text).split())
    assert "An adult who cares for the child." in text and "Also: co-regulation" in text


def test_lexicon_downloads_and_popover_data(tiny_site: Callable[..., Path]) -> None:
    site = tiny_site()
    records = json.loads((site / "lexicon.json").read_text(encoding="utf-8"))["terms"]
    attachment = records[0]
    assert attachment == {
        "term": "attachment", "id": "attachment", "aliases": ["attachment relationship"],
        "definition": "The bond a child forms with a caregiver.", "related": ["mutual regulation"],
        "references": ["bowlby1969"], "url": "https://example.org/kb/terms/attachment/"}
    rows = list(csv.DictReader(io.StringIO((site / "lexicon.csv").read_text(encoding="utf-8"))))
    assert [row["id"] for row in rows] == list(TERM_IDS)
    assert rows[0]["aliases"] == "attachment relationship" and rows[0]["references"] == "bowlby1969"
    script = (site / "assets/knowledge-base/lexicon-data.js").read_text(encoding="utf-8")
    assert script.startswith("window.kbLexicon = ")
    data = json.loads(script.removeprefix("window.kbLexicon = ").rstrip().rstrip(";"))
    assert data["attachment"] == {"term": "attachment", "html": "<p>The <em>bond</em> a child forms with a caregiver.</p>",
                                  "url": "terms/attachment/"}
    home = (site / "index.html").read_text(encoding="utf-8")
    for script_name in ("lexicon-data.js", "popover.js", "glossary.js"):
        assert f"assets/knowledge-base/{script_name}" in home


def test_search_finds_terms_by_alias_in_the_glossary_and_holds_no_internal_markers(tiny_site: Callable[..., Path]) -> None:
    site = tiny_site()
    raw = (site / "search/search_index.json").read_text(encoding="utf-8")
    for marker in ("\x02", "\x03", "wzxhzdk", "kb-slot", "data-kb-slot", "\x16", "Key terms on this page"):
        assert marker not in raw, marker
    docs = json.loads(raw)["docs"]
    (entry,) = [doc for doc in docs if doc["location"] == "glossary/#glossary-mutual-regulation"]
    assert entry["title"] == "mutual regulation"
    assert "co-regulation" in entry["text"] and "The dance of connection." in entry["text"]
    assert [doc for doc in docs if doc["location"].startswith("terms/")] == [], "each term is indexed once, in the glossary"
    for built in site.rglob("*.html"):
        html_text = built.read_text(encoding="utf-8")
        assert [marker for marker in ("\x02", "wzxhzdk", "data-kb-slot") if marker in html_text] == [], built
    chapter_toc = [attrs["href"] for tag, attrs in read_page(site, "chapter/").tags  # Material renders the TOC twice
                   if tag == "a" and "md-nav__link" in attrs.get("class", "") and attrs.get("href", "").startswith("#")]
    assert list(dict.fromkeys(chapter_toc)) == ["#the-bond", "#regulation"]


def test_links_work_without_directory_urls(tiny_site: Callable[..., Path]) -> None:
    site = tiny_site(config={"use_directory_urls": False})
    chapter = read_page(site, "chapter.html")
    hrefs = [attrs["href"] for attrs in chapter.having("a", "kb-term")]
    assert hrefs and all(href.startswith("terms/") and href.endswith(".html") for href in hrefs)
    for href in hrefs:
        assert_lands(site, "chapter.html", href)
    term_page = read_page(site, "terms/attachment.html")
    for attrs in term_page.having("a", "kb-usage"):
        assert_lands(site, "terms/attachment.html", attrs["href"])


def _strict_build_log(tmp_path: Path, lexicon: str, **options: Any) -> tuple[int, str]:
    """Build the tiny site (without bibliography) strictly; returns the exit code and the log."""
    (tmp_path / "docs").mkdir()
    for name, text in PAGES.items():
        (tmp_path / "docs" / name).write_text(textwrap.dedent(text).replace(" [@bowlby1969]", ""), encoding="utf-8")
    (tmp_path / "terms.yml").write_text(lexicon, encoding="utf-8")
    config = {"site_name": "Tiny", "theme": {"name": "material", "font": False}, **NAV,
              "plugins": ["search", {"knowledge-base": {"bibliography": [], "lexicon": "terms.yml", **options}}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.dump(config), encoding="utf-8")
    result = run_mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    return result.returncode, result.stdout


def test_lexicon_mistakes_fail_a_strict_build_with_file_and_line(tmp_path: Path) -> None:
    lexicon = textwrap.dedent(LEXICON) + "  - term: orphan\n    definition: Never used.\n    related: [ghost]\n"
    code, log = _strict_build_log(tmp_path, lexicon)
    assert code != 0
    assert re.search(r"terms\.yml:14: term 'orphan' lists related term 'ghost', which does not exist", log), log
    assert re.search(r"terms\.yml:2: term 'attachment' cites 'bowlby1969', which is not in the bibliography", log), log
    assert re.search(r"terms\.yml:14: term 'orphan' is never used in the document", log), log
    assert "Traceback" not in log


def test_malformed_lexicon_yaml_is_one_located_warning(tmp_path: Path) -> None:
    code, log = _strict_build_log(tmp_path, "terms:\n  - term: a\n    definition: [unclosed\n")
    assert code != 0 and re.search(r"terms\.yml:4: malformed YAML", log), log
    assert "Traceback" not in log


def test_a_term_not_expected_in_the_text_is_not_reported_unused(tmp_path: Path) -> None:
    lexicon = (textwrap.dedent(LEXICON).replace("    references: [bowlby1969]\n", "")
               + "  - term: orphan\n    definition: Never used.\n    expected_in_text: false\n")
    code, log = _strict_build_log(tmp_path, lexicon)
    assert code == 0, log


def test_expected_in_text_must_be_true_or_false(tmp_path: Path) -> None:
    lexicon = (textwrap.dedent(LEXICON).replace("    references: [bowlby1969]\n", "")
               + "  - term: orphan\n    definition: Never used.\n    expected_in_text: maybe\n")
    code, log = _strict_build_log(tmp_path, lexicon)
    assert code != 0 and re.search(r"terms\.yml:15: `expected_in_text` must be true or false", log), log


def test_unused_terms_warning_can_be_silenced(tmp_path: Path) -> None:
    lexicon = textwrap.dedent(LEXICON).replace("    references: [bowlby1969]\n", "") + "  - term: orphan\n    definition: Never used.\n"
    code, log = _strict_build_log(tmp_path, lexicon, warn_unused_terms=False)
    assert code == 0, log


def test_bundled_site_has_a_page_per_term_and_working_back_links(bundled_site: Path) -> None:
    terms = yaml.safe_load((REPO / "lexicon/terms.yml").read_text(encoding="utf-8"))["terms"]
    glossary = read_page(bundled_site, "glossary/")
    assert len(glossary.having("h3", "kb-glossary-term")) == len(terms)
    checked = 0
    for entry in glossary.having("h3", "kb-glossary-term"):
        url = f"terms/{entry['id'].removeprefix('glossary-')}/"
        page = read_page(bundled_site, url)
        if entry["id"] != "glossary-dc-0-3":  # named only in cited titles (tests/test_lexicon_data.py)
            assert page.having("a", "kb-usage"), f"{url} lists no usage"
        for usage in page.having("a", "kb-usage")[:5]:
            assert_lands(bundled_site, url, usage["href"])
            checked += 1
    assert checked >= len(terms)


def test_bundled_paper_pages_list_their_key_terms(bundled_site: Path) -> None:
    for url in ("introduction/", "early-relationships/", "principles/", "approach-to-services/"):
        page = read_page(bundled_site, url)
        assert len(page.having("aside", "kb-key-terms")) == 1, url
        assert len(page.having("a", "kb-term")) > 5, url


def test_bundled_search_index_finds_mutual_regulation_by_its_alias(bundled_site: Path) -> None:
    raw = (bundled_site / "search/search_index.json").read_text(encoding="utf-8")
    assert "wzxhzdk" not in raw and "\x02" not in raw and "kb-slot" not in raw
    docs = json.loads(raw)["docs"]
    (entry,) = [doc for doc in docs if doc["location"] == "glossary/#glossary-mutual-regulation"]
    assert entry["title"] == "mutual regulation" and "co-regulation" in entry["text"]


def test_a_serve_style_rebuild_reuses_the_unchanged_bibliography_and_lexicon(tiny_site: Callable[..., Path],
                                                                              caplog: pytest.LogCaptureFixture) -> None:
    """As ``mkdocs serve`` does: a fresh configuration per build, in one process; only a page changed."""
    site = tiny_site()
    config_file = site.parent / "mkdocs.yml"
    caplog.set_level(logging.DEBUG, logger="mkdocs.plugins.mkdocs_knowledge_base")
    messages = []
    for edit in ("", "\n\nOne more line about attachment.\n"):
        index = site.parent / "docs" / "index.md"
        index.write_text(index.read_text(encoding="utf-8") + edit, encoding="utf-8")
        caplog.clear()
        build(load_config(str(config_file), site_dir=str(site.parent / "rebuilt")))
        messages.append([record.getMessage().split(": ", 1)[1] for record in caplog.records
                         if record.levelno == logging.DEBUG and " entries " in record.getMessage()])
    assert messages[1] == ["bibliography: 1 entries reused (file unchanged)", "lexicon: 3 entries reused (file unchanged)"]


@pytest.mark.parametrize(("anchor", "valid"), [("glossary-attachment", True), ("letter-m", True),
                                               ("glossary-nobody", False)])
def test_links_into_the_glossary_are_checked_like_links_into_any_page(make_site: Callable[..., Path], anchor: str,
                                                                      valid: bool) -> None:
    """The glossary's list goes in after conversion; its ids are still known to MkDocs' anchor check."""
    pages = {**PAGES, "index.md": textwrap.dedent(PAGES["index.md"]) + f"\nSee [the entry](glossary.md#{anchor}).\n"}
    config = {**NAV, "validation": {"anchors": "warn"}}
    if valid:
        make_site(pages=pages, bib=BOWLBY_BIB, lexicon=LEXICON, config=config)
    else:
        with pytest.raises(pytest.fail.Exception, match=f"glossary.md#{anchor}"):
            make_site(pages=pages, bib=BOWLBY_BIB, lexicon=LEXICON, config=config)


def test_term_pages_give_a_work_the_year_label_the_reference_list_gives_it(make_site: Callable[..., Path]) -> None:
    """Two 2006 books by one author, only one cited: the list says "2006", so must the term page
    (a style over every entry of the database would have said "2006a")."""
    bib = """\
        @book{stern2006a, author = {Stern, Daniel}, title = {Alpha}, publisher = {P}, year = {2006}}
        @book{stern2006b, author = {Stern, Daniel}, title = {Beta}, publisher = {P}, year = {2006}}
    """
    lexicon = """\
        terms:
          - term: attachment
            definition: The bond.
            references: [stern2006b, stern2006a]
    """
    site = make_site({"index.md": "# Home\n\nAttachment [@stern2006b].\n"}, bib=bib, lexicon=lexicon,
                     options={"warn_uncited": False})
    listed = " ".join("".join(read_page(site, "references/").text).split())
    assert "Stern, D. (2006). Beta." in listed and "2006b" not in listed
    term_page = " ".join("".join(read_page(site, "terms/attachment/").text).split())
    assert "Stern, D. (2006). Beta." in term_page and "2006a" not in term_page
    assert "Stern, D. (2006). Alpha." in term_page, "an unlisted work is formatted alone"


@pytest.mark.parametrize("use_directory_urls", [True, False])
def test_an_authors_own_term_page_replaces_the_generated_one(tiny_site: Callable[..., Path],
                                                              use_directory_urls: bool) -> None:
    """``docs/terms/<id>.md`` written by an author: term links lead there, nothing is generated over it."""
    pages = {**PAGES, "terms/attachment.md": "# Attachment, as our agency sees it\n\nOur own words.\n"}
    site = tiny_site(pages=pages, config={"use_directory_urls": use_directory_urls,
                                          "nav": [*NAV["nav"], {"Attachment": "terms/attachment.md"}]})
    own = "terms/attachment/" if use_directory_urls else "terms/attachment.html"
    assert "Our own words." in " ".join(read_page(site, own).text)
    chapter = "chapter/" if use_directory_urls else "chapter.html"
    links = {attrs["href"] for attrs in read_page(site, chapter).having("a", "kb-term") if attrs.get("data-kb-term") == "attachment"}
    assert links and all(assert_lands(site, chapter, href) is None for href in links)
    assert links == {"../terms/attachment/" if use_directory_urls else "terms/attachment.html"}
    other = "terms/caregiver/" if use_directory_urls else "terms/caregiver.html"
    assert "kb-used-in" in "".join(f'{tag} {attrs}' for tag, attrs in read_page(site, other).tags), "others generated"
