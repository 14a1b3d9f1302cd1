"""Nothing an editor pastes becomes live markup or a script link (issue 7, "Nothing gets in").

Layers: the two rules of ``safety`` (link schemes, JSON in ``<script>``) as tables; then
every place BibTeX and lexicon data reach HTML — APA references, notes, the reference list,
exports, rendered definitions, popover data, JSON-LD, term pages, glossary, Cite this page —
fed the payloads of ``tests/hostile.py``; finally one non-strict build of the hostile site,
every page and the search index read back. The browser test (``tests/browser/``) shows that
nothing runs; these show where each payload went, and run without a browser.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

import pytest
from pybtex.database import Entry

from mkdocs_knowledge_base.bibliography.apa import ApaStyle, bare_doi, link_problems
from mkdocs_knowledge_base.bibliography.database import load_bibliography
from mkdocs_knowledge_base.bibliography.entry import BibEntry
from mkdocs_knowledge_base.bibliography.exporters import to_bibtex, to_csl_json, to_ris
from mkdocs_knowledge_base.citations.notes import render_notes_section
from mkdocs_knowledge_base.citations.syntax import Citation, CitedItem
from mkdocs_knowledge_base.lexicon.definitions import render_definition
from mkdocs_knowledge_base.lexicon.exports import lexicon_csv, lexicon_json, lexicon_records, popover_data_script
from mkdocs_knowledge_base.lexicon.loader import parse_lexicon
from mkdocs_knowledge_base.lexicon.model import Lexicon, Term
from mkdocs_knowledge_base.pages import glossary, terms
from mkdocs_knowledge_base.pages.cite import CitableWork, render_cite_block
from mkdocs_knowledge_base.pages.references import reference_list_pieces
from mkdocs_knowledge_base.safety import script_json, unsafe_scheme
from tests.conftest import pybtex_entries
from tests.hostile import (HOSTILE_BIB, HOSTILE_KEYS, HOSTILE_LEXICON, HOSTILE_PAGES, TEXT_PAYLOADS,
                           UNSAFE_URLS)

SCRIPT_SCHEME = re.compile(r"^(?:javascript|vbscript|data):", re.IGNORECASE)


MARKER = "__pwned"
"""What every payload sets: in a script's code it means the payload became code."""
EMBEDDING_TAGS = frozenset({"script", "iframe", "object", "embed", "svg", "img", "style", "link", "meta"})


class _Inspector(HTMLParser):
    """Everything in HTML that could run: handler attributes, script-scheme URLs, scripts and embeds.

    ``whole_page``: a built page, whose theme brings its own scripts and SVG icons; there a
    script counts only when its code holds the payloads' marker.
    """

    def __init__(self, *, whole_page: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.whole_page = whole_page
        self.dangers: list[str] = []
        self.text: list[str] = []
        self.tags: list[str] = []
        self._script_type: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.dangers.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction") and SCRIPT_SCHEME.match(
                    re.sub(r"[\x00-\x20\x7f-\x9f]", "", value or "")):
                self.dangers.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self._script_type = dict(attrs).get("type") or ""
        if tag in EMBEDDING_TAGS and not self.whole_page and self._script_type != "application/ld+json":
            self.dangers.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script_type = None

    def handle_data(self, data: str) -> None:
        if self._script_type == "application/ld+json":
            if "<" in data:
                self.dangers.append("'<' inside JSON-LD")
        elif self._script_type is not None and self.whole_page and MARKER in data:
            self.dangers.append(f"script code {data.strip()[:60]!r}")
        self.text.append(data)


def inspect(html_text: str, *, whole_page: bool = False) -> _Inspector:
    inspector = _Inspector(whole_page=whole_page)
    inspector.feed(html_text)
    inspector.close()
    return inspector


def hostile_entries() -> dict[str, BibEntry]:
    return pybtex_entries(HOSTILE_BIB)


def hostile_lexicon() -> Lexicon:
    lexicon, _ = parse_lexicon(HOSTILE_LEXICON, "terms.yml", known_reference_keys=HOSTILE_KEYS)
    return lexicon


# ----- the rules --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", UNSAFE_URLS)
def test_script_schemes_are_unsafe_however_spelled(url: str) -> None:
    assert unsafe_scheme(url) in {"javascript", "data", "vbscript"}


@pytest.mark.parametrize(
    ("url", "scheme"),
    [("https://example.org/a?b=1", None), ("HTTP://EXAMPLE.ORG", None), ("ftp://ftp.example.org/x", None),
     ("mailto:someone@example.org", None), ("../glossary/", None), ("#ref-key", None), ("www.example.org", None),
     ("page.md#section", None), ("javascript%3Aalert(1)", None), ("&amp;#106;avascript:alert(1)", "javascript"),
     ("file:///etc/passwd", "file"), ("term:attachment", "term"), ("blob:https://example.org/x", "blob")],
)
def test_web_and_relative_links_are_safe_other_schemes_are_not(url: str, scheme: str | None) -> None:
    assert unsafe_scheme(url) == scheme


@pytest.mark.parametrize("value", [*TEXT_PAYLOADS, "a & b", "\u2028 line separator", {"nested": ["</script>"]}])
def test_script_json_reads_back_the_same_and_cannot_close_its_element(value: object) -> None:
    written = script_json(value, indent=1)
    assert json.loads(written) == value
    assert not re.search(r"[<>&\u2028]", written)


# ----- BibTeX --------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_apa_html_is_the_plain_text_with_only_italics_and_a_web_link(key: str) -> None:
    style = ApaStyle(hostile_entries())
    reference = inspect(style.reference_html(key))
    assert reference.dangers == []
    assert set(reference.tags) <= {"em", "a"}
    assert "".join(reference.text) == style.reference_text(key)
    assert re.findall(r'href="(?!https://)', style.reference_html(key)) == []


@pytest.mark.parametrize("url", UNSAFE_URLS)
@pytest.mark.parametrize("field", ["url", "howpublished"])
def test_a_script_url_is_neither_linked_nor_exported_and_is_reported(field: str, url: str) -> None:
    value = url if field == "url" else f"\\url{{{url}}}"
    entry = BibEntry.from_pybtex(Entry("misc", fields={"title": "T", "year": "2020", field: value}))
    style = ApaStyle({"k": entry})
    assert (style.reference_html("k"), style.reference_text("k")) == ("<em>T</em>. (2020).", "T. (2020).")
    assert len(link_problems(entry)) == 1
    assert "UR  -" not in to_ris({"k": entry})
    assert "URL" not in to_csl_json({"k": entry})[0]


@pytest.mark.parametrize(
    ("doi", "bare"),
    [("10.1037/ppm0000185", "10.1037/ppm0000185"), ("doi:10.1037/ppm0000185", "10.1037/ppm0000185"),
     ("https://doi.org/10.1037/ppm0000185", "10.1037/ppm0000185"),
     ("http://dx.doi.org/10.1002/1097-0355(200101/04)22:1<7::AID-IMHJ2>3.0.CO;2-N",
      "10.1002/1097-0355(200101/04)22:1<7::AID-IMHJ2>3.0.CO;2-N"),
     ("javascript:alert(1)", ""), ("https://evil.example/10.1037/x", ""), ("10.1037/has space", ""),
     ("doi.org/10.1037/x", ""), ("10.12/too-short-registrant", "")],
)
def test_only_a_doi_goes_behind_doi_org(doi: str, bare: str) -> None:
    entry = BibEntry.from_pybtex(Entry("article", fields={"title": "T", "journal": "J", "year": "2020", "doi": doi}))
    assert bare_doi(doi) == bare
    html_reference = ApaStyle({"k": entry}).reference_html("k")
    assert ("https://doi.org/" in html_reference) == bool(bare)
    assert (link_problems(entry) == []) == bool(bare)
    assert to_csl_json({"k": entry})[0].get("DOI", "") == bare


def test_a_doi_with_markup_is_an_escaped_link() -> None:
    html_reference = ApaStyle(hostile_entries()).reference_html("hostiledoi")
    assert ('<a href="https://doi.org/10.1234/&quot;&gt;&lt;img/src=x/onerror=window.__pwned=1&gt;">'
            'https://doi.org/10.1234/"&gt;&lt;img/src=x/onerror=window.__pwned=1&gt;</a>') in html_reference


def test_loading_reports_each_refused_link_at_its_entry(tmp_path: Path) -> None:
    bib = tmp_path / "hostile.bib"
    bib.write_text(HOSTILE_BIB, encoding="utf-8")
    problems = [(problem.line, problem.message) for problem in load_bibliography([bib]).problems]
    assert problems == [
        (2, "@article{hostilearticle}: doi 'javascript:window.__pwned=1' is not a DOI, so it is not linked; "
            "write it as 10.xxxx/… or https://doi.org/10.xxxx/…, or put a web address in `url`"),
        (13, "@book{hostilebook}: url 'JaVaScRiPt:window.__pwned=1' is not a web address, so it is not linked; "
             "write an address starting with https:// or http://"),
        (23, "@misc{hostilemisc}: howpublished 'data:text/html,<script>window.__pwned=1</script>' is not a web "
             "address, so it is not linked; write an address starting with https:// or http://"),
        (31, "@online{hostileonline}: url 'java script:window.__pwned=1' is not a web address, so it is not "
             "linked; write an address starting with https:// or http://"),
        (37, "@incollection{hostilechapter}: url 'vbscript:msgbox(1)' is not a web address, so it is not linked; "
             "write an address starting with https:// or http://"),
        (47, "@techreport{hostilereport}: doi 'https://evil.example/not-a-doi' is not a DOI, so it is not linked; "
             "write it as 10.xxxx/… or https://doi.org/10.xxxx/…, or put a web address in `url`"),
    ]


@pytest.mark.parametrize(("export", "first"), [(to_ris, "TY  - "), (to_bibtex, "@article{hostilearticle,")])
def test_text_exports_start_with_their_format_never_with_markup(export: Callable[..., str], first: str) -> None:
    """Browsers sniff an untyped file as HTML only when it starts with a tag; these never do."""
    assert export(hostile_entries()).startswith(first)


def test_ris_keeps_one_record_per_entry_whatever_the_fields_hold() -> None:
    """pybtex folds line breaks in values, so no field can start a record or tag of its own."""
    records = to_ris(hostile_entries()).split("ER  - ")
    assert len(records) == len(HOSTILE_KEYS) + 1
    assert all(re.fullmatch(r"(?:[A-Z][A-Z0-9]  - .*)?", line) for line in to_ris(hostile_entries()).split("\r\n"))


def test_notes_reference_list_and_term_references_escape_keys_prefixes_and_suffixes() -> None:
    key = '"><img/src=x/onerror=window.__pwned=1>'
    entries = {key: hostile_entries()["hostilearticle"]}
    style = ApaStyle(entries)
    citation = Citation((CitedItem(key, prefix="<script>see", locator="p. 1", suffix='" onclick="x'),
                         CitedItem("<b>unknown</b>")))
    notes = render_notes_section([(1, citation)], style, set(entries), lambda k: f"../references/#ref-{k}")
    listing = "".join(reference_list_pieces([key], style, {}, "references/"))
    term_references = terms.references_html([key, "<b>unknown</b>"], reference_html=style.reference_html,
                                            list_url="../../references/", known_keys={key})
    for fragment in (notes, listing, term_references):
        assert inspect(fragment).dangers == []
    assert "<script>see" in "".join(inspect(notes).text).replace("\n", "")


@pytest.mark.parametrize("payload", TEXT_PAYLOADS)
def test_cite_this_page_escapes_titles_and_authors(payload: str) -> None:
    page = CitableWork("page", payload, 2024, payload, payload, "https://example.org/kb/page/")
    document = CitableWork("site", payload, 2024, payload, None, "javascript:alert(1)")
    assert inspect(render_cite_block(page, document)).dangers == []


# ----- lexicon -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected_html", "refused"),
    [
        ("*emphasis*, `code` and [a link](https://example.org/)",
         '<p><em>emphasis</em>, <code>code</code> and <a href="https://example.org/">a link</a></p>', ()),
        ("[relative](../glossary/) and <https://example.org>",
         '<p><a href="../glossary/">relative</a> and <a href="https://example.org">https://example.org</a></p>', ()),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", ()),
        ('<div onclick="x">block</div>', '<p>&lt;div onclick="x"&gt;block&lt;/div&gt;</p>', ()),
        ("[click](javascript:alert(1))", "<p><span>click</span></p>", ("javascript:alert(1)",)),
        ("![pic](data:image/svg+xml,x)", "<p><span>pic</span></p>", ("data:image/svg+xml,x",)),
        ("[*em*](vbscript:x)", "<p><span><em>em</em></span></p>", ("vbscript:x",)),
        ("&lt;b&gt; stays an entity", "<p>&lt;b&gt; stays an entity</p>", ()),
    ],
)
def test_definitions_keep_markdown_escape_html_and_refuse_script_links(
        source: str, expected_html: str, refused: tuple[str, ...]) -> None:
    rendered = render_definition(source)
    assert (rendered.html, rendered.refused_links) == (expected_html, refused)


@pytest.mark.parametrize("payload", [*TEXT_PAYLOADS, *(f"[x]({url})" for url in UNSAFE_URLS)])
def test_no_payload_survives_definition_rendering(payload: str) -> None:
    assert inspect(render_definition(f"Before {payload} after.").html).dangers == []


def test_the_loader_reports_refused_links_and_unsafe_ids_at_their_lines() -> None:
    lexicon, problems = parse_lexicon(HOSTILE_LEXICON, "terms.yml", known_reference_keys=HOSTILE_KEYS)
    located = [(problem.line, problem.message.split(",")[0]) for problem in problems]
    assert located == [
        (5, "the definition of term '<script>window.__pwned=1</script> care' links to 'javascript:window.__pwned=1'"),
        (5, "the definition of term '<script>window.__pwned=1</script> care' links to 'JAVASCRIPT:window.__pwned=1'"),
        (5, "the definition of term '<script>window.__pwned=1</script> care' links to "
            "'java&#x09;script:window.__pwned=1'"),
        (16, "`source` 'javascript:window.__pwned=1' of term 'hostile holding {: onmouseover=\"window.__pwned=1\" }' "
             "is not a page of the site"),
        (17, "the definition of term 'hostile holding {: onmouseover=\"window.__pwned=1\" }' links to "
             "'javascript:window.__pwned=1'"),
        (17, "the definition of term 'hostile holding {: onmouseover=\"window.__pwned=1\" }' links to "
             "'data:text/html"),
        (27, "`id` 'x\" onmouseover=\"window.__pwned=1' of term ''><svg onload=window.__pwned=1>' may only hold "
             "letters"),
    ]
    assert [term.id for term in lexicon.terms] == ["script-window-__pwned-1-script-care", "hostile-holding",
                                                  "x-onmouseover-window-__pwned-1",
                                                  "title-script-window-__pwned-1-script-title",
                                                  "lt-title-gt-lt-script-gt-window-__pwned-1-lt-script-gt-entity"]


def test_popover_data_holds_only_rendered_definitions_and_no_markup_outside_them() -> None:
    script = popover_data_script(hostile_lexicon(), lambda term: f"terms/{term.id}/")
    assert not re.search(r"[<>]", script)
    data = json.loads(script.removeprefix("window.kbLexicon = ").removesuffix(";\n"))
    for term in hostile_lexicon().terms:
        assert data[term.id]["term"] == term.term, "inserted as text by popover.js"
        assert inspect(data[term.id]["html"]).dangers == []


def test_json_ld_cannot_close_its_script_element() -> None:
    for term in hostile_lexicon().terms:
        element = terms.term_json_ld(term, url="https://example.org/t/", glossary_url="https://example.org/g/")
        assert element.count("</script>") == 1 and element.endswith("</script>")
        assert inspect(element).dangers == []
        body = element.removeprefix('<script type="application/ld+json">\n').removesuffix("\n</script>")
        assert json.loads(body)["name"] == term.term


def test_term_pages_hold_nothing_live() -> None:
    lexicon = hostile_lexicon()
    for term in lexicon.terms:
        page = terms.term_page_html(term, lexicon, term_url=lambda other: f"../{other.id}/", source_url=term.source,
                                    glossary_url="../../glossary/", references="", used_in="", json_ld="")
        rendered = inspect(page)
        assert rendered.dangers == [], term.term
        assert term.term[1:] in "".join(rendered.text), "the heading shows the term as written"


def test_glossary_holds_nothing_live() -> None:
    page = glossary.glossary_html(hostile_lexicon(), term_url=lambda term: f"../terms/{term.id}/",
                                  downloads=[("CSV", "../lexicon.csv")])
    assert inspect(page).dangers == []


def test_lexicon_downloads_are_data_and_spreadsheet_formulas_stay_text() -> None:
    lexicon = Lexicon("terms.yml", [Term("=HYPERLINK(\"https://evil.example\")", "formula", "+1 or -1 @ x"),
                                    Term("<script>x</script>", "plain", "Fine.")])
    rows = list(csv.DictReader(io.StringIO(lexicon_csv(lexicon_records(lexicon, lambda term: f"terms/{term.id}/")))))
    assert [(row["term"], row["definition"]) for row in rows] == [
        ("'=HYPERLINK(\"https://evil.example\")", "'+1 or -1 @ x"), ("<script>x</script>", "Fine.")]
    assert json.loads(lexicon_json(lexicon_records(lexicon, lambda term: "")))["terms"][0]["term"] == lexicon.terms[0].term


# ----- one built site --------------------------------------------------------------------------------


def test_the_built_hostile_site_and_its_search_index_hold_nothing_live(make_site: Callable[..., Path]) -> None:
    site = make_site(pages=HOSTILE_PAGES, bib=HOSTILE_BIB, lexicon=HOSTILE_LEXICON, strict=False)
    pages = sorted(site.rglob("index.html"))
    assert len(pages) == 8
    for page in pages:
        assert inspect(page.read_text(encoding="utf-8"), whole_page=True).dangers == [], page
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for document in index["docs"]:
        for field in ("title", "text"):
            assert inspect(document[field]).dangers == [], (document["location"], field)
