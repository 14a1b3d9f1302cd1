"""Citations in built sites: the bundled knowledge base (notes 1-72) and tiny sites for each option.

Links are followed the way a browser would (relative URL from the page's own location,
``index.html`` for directory URLs) and must land on an element id that exists.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urljoin, urlsplit

import jsonschema
import pybtex.database
import pytest

from mkdocs_knowledge_base.bibliography.database import load_bibliography
from mkdocs_knowledge_base.bibliography.entry import BibEntry
from tests.conftest import REPO, nav_sources, pybtex_entries, run_mkdocs_build

PAPER_NOTES: dict[str, tuple[int, ...]] = {
    "california2009": (1, 2, 5, 37, 54, 55, 56, 57), "newmexico2008": (3, 52), "zerotothree2002": (4,),
    "nmaimh2004": (6, 19, 26, 27, 58), "zeanah2009": (7,), "greenspan2006": (8,), "schore2001": (9, 18),
    "fonagy2002": (10, 30), "pawl2006": (11, 33, 34, 70), "wellbaby2013": (12, 13, 17), "tronick2007": (14,),
    "tronick2015": (15,), "beeghly2011": (16, 48), "perry2006": (20, 22), "siegel1999": (21,),
    "felitti1998": (23,), "nscdc2010": (24,), "cdc2007": (25,), "sander2000": (28,), "seligman2014": (29,),
    "stroud2014": (31, 32, 41, 49), "ghoshippen2014": (35, 64), "brazelton2006": (36,), "lieberman2004": (38,),
    "brandt2014": (39, 46, 67, 71), "fulton2012": (40,), "lieberman1998": (42, 47, 50), "weatherston2002": (43,),
    "kalmanson2006": (44, 63), "lieberman1997": (45,), "boukydis2004": (51,), "weatherston2000": (53, 62, 68, 69),
    "dunst1994": (59,), "lane2012": (60,), "stern2004": (61,), "heffron2000": (65,), "heffron2005": (66,),
    "cdc2015": (72,),
}
KEY_OF_NOTE = {number: key for key, numbers in PAPER_NOTES.items() for number in numbers}
PLACEHOLDER = "\x16"


class _Page(HTMLParser):
    """Ids, links and note items of one built HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[dict[str, str]] = []
        self.markers: list[str] = []
        self.notes: dict[int, list[dict[str, str]]] = {}
        self._open_note: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.ids.add(attributes["id"])
        classes = attributes.get("class", "").split()
        if tag == "sup" and "kb-note-ref" in classes:
            self.markers.append(attributes["id"].removeprefix("kb-noteref-"))
        if tag == "li" and "kb-note" in classes:
            self._open_note = int(attributes["value"])
            self.notes[self._open_note] = []
        if tag == "a" and "href" in attributes:
            self.links.append(attributes)
            if self._open_note is not None:
                self.notes[self._open_note].append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self._open_note = None


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def page_file(site: Path, url: str) -> Path:
    """The HTML file a site-relative URL (``intro/`` or ``intro.html``) is served from."""
    return site / (url + "index.html" if url == "" or url.endswith("/") else url)


def resolve(site: Path, from_file: Path, href: str) -> tuple[Path, str]:
    """Follow ``href`` from the page in ``from_file``: (target file, fragment)."""
    base = "http://site/" + from_file.relative_to(site).as_posix()
    target = urlsplit(urljoin(base, href))
    return page_file(site, unquote(target.path).removeprefix("/")), target.fragment


def directory_url(source: str) -> str:
    stem = source.removesuffix(".md")
    return "" if stem == "index" else f"{stem}/"


# --- The bundled knowledge base --------------------------------------------------------------


def test_paper_notes_1_to_72_in_navigation_order(bundled_site: Path) -> None:
    numbers: list[int] = []
    for source in nav_sources():
        page = parse(page_file(bundled_site, directory_url(source)))
        assert [str(n) for n in page.notes] == page.markers, f"{source}: markers and notes differ"
        numbers.extend(int(marker) for marker in page.markers)
    assert numbers == list(range(1, 73))


def test_each_note_links_to_its_work_and_back(bundled_site: Path) -> None:
    references = page_file(bundled_site, "references/")
    reference_ids = parse(references).ids
    seen: set[int] = set()
    for source in nav_sources():
        path = page_file(bundled_site, directory_url(source))
        page = parse(path)
        for number, links in page.notes.items():
            seen.add(number)
            [source_link] = [link for link in links if "kb-note-source" in link.get("class", "")]
            target, fragment = resolve(bundled_site, path, source_link["href"])
            assert (target, fragment) == (references, f"ref-{KEY_OF_NOTE[number]}"), f"note {number}"
            assert fragment in reference_ids
            [back] = [link for link in links if "kb-note-back" in link.get("class", "")]
            assert back["href"] == f"#kb-noteref-{number}" and f"kb-noteref-{number}" in page.ids
            assert back["aria-label"] == f"Back to note {number} in the text"
    assert seen == set(range(1, 73))


def test_reference_list_links_back_to_every_citing_note(bundled_site: Path) -> None:
    references = page_file(bundled_site, "references/")
    html = references.read_text(encoding="utf-8")
    for key, numbers in PAPER_NOTES.items():
        entry = re.search(rf'<li id="ref-{key}" class="kb-reference">(.*?)</li>', html, re.DOTALL)
        assert entry is not None, key
        cited_in = re.search(r'<span class="kb-cited-in">(.*?)</span>', entry[1], re.DOTALL)
        assert cited_in is not None
        links = re.findall(r'<a class="kb-cited-in-note" href="([^"]+)">(\d+)</a>', cited_in[1])
        linked = [int(number) for _, number in links]
        # Ranges ("54–57") link both ends; every number in between lies between two linked ones.
        assert set(linked) <= set(numbers) and linked[0] == numbers[0] and linked[-1] == numbers[-1]
        assert len(links) == len(numbers) or "–" in cited_in[1]
        for href, number in links:
            target, fragment = resolve(bundled_site, references, href)
            assert fragment == f"kb-noteref-{number}" and fragment in parse(target).ids, href
    california = re.search(r'<li id="ref-california2009".*?<span class="kb-cited-in">(.*?)</span>', html, re.DOTALL)
    assert california is not None
    assert re.sub(r"<[^>]+>", "", california[1]) == "Cited in notes 1, 2, 5, 37, 54–57"
    assert html.count('class="kb-reference"') == len(PAPER_NOTES)


def test_copy_button_sits_in_the_entry_whose_reference_text_it_copies(bundled_site: Path) -> None:
    # The script copies the entry's reference paragraph, whose text is the plain APA reference
    # (tests/test_reference_list.py); the button does not carry it a second time.
    html = page_file(bundled_site, "references/").read_text(encoding="utf-8")
    entry = re.search(r'<li id="ref-siegel1999" class="kb-reference">(.*?)</li>', html)
    assert entry is not None
    assert entry[1].startswith(
        '<p class="kb-reference-text">Siegel, D. (1999). <em>The developing mind: '
        "Toward a neurobiology of interpersonal experience</em>. Guilford Press.</p>")
    assert '<button type="button" class="kb-copy">Copy APA</button>' in entry[1]


@pytest.mark.parametrize(("key", "ris_type"), [("siegel1999", "BOOK"), ("pawl2006", "CHAP"), ("schore2001", "JOUR")])
def test_exports_of_one_work(bundled_site: Path, key: str, ris_type: str) -> None:
    references = page_file(bundled_site, "references/")
    html = references.read_text(encoding="utf-8")
    for extension in ("bib", "ris", "json"):
        assert f'href="{key}.{extension}" download="{key}.{extension}"' in html
    source = load_bibliography([REPO / "references" / "references.bib"]).entries[key]

    exported = pybtex_entries((bundled_site / "references" / f"{key}.bib").read_text("utf-8"))
    assert exported == {key: source}

    ris = (bundled_site / "references" / f"{key}.ris").read_text("utf-8").splitlines()
    assert ris[0] == f"TY  - {ris_type}" and ris[-1].rstrip() == "ER  -"
    assert f"ID  - {key}" in ris and any(line.startswith("TI  - ") for line in ris)
    assert f"PY  - {source.fields['year']}" in ris

    items = json.loads((bundled_site / "references" / f"{key}.json").read_text("utf-8"))
    schema = json.loads((REPO / "tests" / "data" / "csl-data.json").read_text("utf-8"))
    jsonschema.validate(items, schema)
    assert [item["id"] for item in items] == [key]


def test_whole_database_exports(bundled_site: Path) -> None:
    folder = bundled_site / "references"
    bibtex = pybtex.database.parse_string((folder / "references.bib").read_text("utf-8"), "bibtex")
    assert set(bibtex.entries) == set(PAPER_NOTES)
    assert (folder / "references.ris").read_text("utf-8").count("ER  -") == len(PAPER_NOTES)
    assert len(json.loads((folder / "references.json").read_text("utf-8"))) == len(PAPER_NOTES)
    html = page_file(bundled_site, "references/").read_text(encoding="utf-8")
    assert 'href="references.bib" download="references.bib"' in html


def test_cite_this_page(bundled_site: Path) -> None:
    html = page_file(bundled_site, "introduction/").read_text(encoding="utf-8")
    block = html[html.index('<details class="kb-cite"'):]
    assert (
        "Infant Mental Health Knowledge Base. (2026). <em>Introduction</em>. What is infant mental health and "
        "what does it mean to other disciplines? "
        '<a href="https://kb.example.org/imh/introduction/">https://kb.example.org/imh/introduction/</a>'
    ) in block
    assert (
        "(2026). <em>What is infant mental health and what does it mean to other disciplines?</em> "
        '<a href="https://kb.example.org/imh/">https://kb.example.org/imh/</a>'
    ) in block
    assert "@misc{introduction," in block and "TY  - GEN" in block
    assert html.index('<details class="kb-cite"') > html.index('<section class="kb-notes"')


def test_notes_are_in_the_table_of_contents(bundled_site: Path) -> None:
    html = page_file(bundled_site, "introduction/").read_text(encoding="utf-8")
    assert re.search(r'<a href="#kb-notes-title" class="md-nav__link">\s*<span class="md-ellipsis">\s*Notes', html)
    assert 'href="#kb-notes-title"' not in page_file(bundled_site, "about/").read_text(encoding="utf-8")


def test_no_placeholder_in_bundled_output(bundled_site: Path) -> None:
    for path in [*bundled_site.rglob("*.html"), bundled_site / "search" / "search_index.json"]:
        text = path.read_text(encoding="utf-8")
        assert PLACEHOLDER not in text and "\\u0016" not in text.lower(), path


# --- Tiny sites ------------------------------------------------------------------------------

BIB = """\
@book{siegel1999,
  author = {Siegel, Daniel},
  title = {The developing mind},
  publisher = {Guilford Press},
  year = {1999},
}

@book{stern2004,
  author = {Stern, Daniel N.},
  title = {The present moment in psychotherapy and everyday life},
  publisher = {Norton},
  year = {2004},
}
"""
PAGES = {
    "index.md": "# Home\n\nFirst [@siegel1999]. Second [@stern2004, p. 3].\n",
    "next.md": "# Next\n\nThird [@siegel1999, pp. 5-6]. Fourth [@stern2004].\n",
}

MakeSite = Callable[..., Path]


def test_per_page_numbering(make_site: MakeSite) -> None:
    site = make_site(PAGES, bib=BIB, options={"note_numbering": "page"}, config={"nav": ["index.md", "next.md", "references.md"]})
    for url in ("", "next/"):
        page = parse(page_file(site, url))
        assert page.markers == ["1", "2"] and list(page.notes) == [1, 2]
    html = page_file(site, "references/").read_text("utf-8")
    siegel = re.search(r'<li id="ref-siegel1999".*?</li>', html, re.DOTALL)
    assert siegel is not None
    assert re.findall(r'class="kb-cited-in-note" href="([^"]+)">(\d+)</a>', siegel[0]) == [
        ("../#kb-noteref-1", "1"), ("../next/#kb-noteref-1", "1")
    ]


def test_site_numbering_follows_navigation_not_file_order(make_site: MakeSite) -> None:
    site = make_site(PAGES, bib=BIB, config={"nav": ["next.md", "index.md", "references.md"]})
    assert parse(page_file(site, "next/")).markers == ["1", "2"]
    assert parse(page_file(site, "")).markers == ["3", "4"]


def test_without_directory_urls(make_site: MakeSite) -> None:
    site = make_site(PAGES, bib=BIB, config={"use_directory_urls": False})
    references = site / "references.html"
    next_page = site / "next.html"
    [source_link] = [link for link in parse(next_page).notes[3] if "kb-note-source" in link.get("class", "")]
    assert source_link["href"] == "references.html#ref-siegel1999"
    assert "ref-siegel1999" in parse(references).ids
    for link in parse(references).links:
        if "kb-cited-in-note" in link.get("class", ""):
            target, fragment = resolve(site, references, link["href"])
            assert fragment in parse(target).ids, link["href"]
        if "kb-download" in link.get("class", ""):
            assert resolve(site, references, link["href"])[0].exists(), link["href"]
    assert (site / "references" / "siegel1999.bib").exists()


def test_unknown_key_fails_strict_build_with_page_and_line(make_site: MakeSite, tmp_path: Path) -> None:
    pages = {**PAGES, "next.md": "# Next\n\nFine [@siegel1999] [@stern2004].\n\nBroken [see @nobody2020, p. 4].\n"}
    make_site(pages, bib=BIB, strict=False)
    result = run_mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "strict-site", strict=True)
    assert result.returncode != 0
    expected = f"{tmp_path / 'docs' / 'next.md'}:5: citation '[see @nobody2020, p. 4]': unknown key 'nobody2020'"
    assert expected in result.stdout
    assert "Traceback" not in result.stdout


def test_uncited_entries_warn_unless_silenced(make_site: MakeSite, tmp_path: Path) -> None:
    pages = {"index.md": "# Home\n\nOnly one [@siegel1999].\n"}
    make_site(pages, bib=BIB, strict=False)
    result = run_mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "strict-site", strict=True)
    assert result.returncode != 0 and "refs.bib:8: BibTeX entry 'stern2004' is not cited on any page" in result.stdout

    site = make_site(pages, bib=BIB, options={"warn_uncited": False})
    html = page_file(site, "references/").read_text("utf-8")
    assert 'id="ref-siegel1999"' in html and 'id="ref-stern2004"' not in html


def test_list_uncited_lists_every_entry(make_site: MakeSite) -> None:
    site = make_site({"index.md": "# Home\n\nOnly one [@siegel1999].\n"}, bib=BIB,
                     options={"warn_uncited": False, "list_uncited": True})
    html = page_file(site, "references/").read_text("utf-8")
    assert 'id="ref-stern2004"' in html and "Not cited in the text." in html


@pytest.mark.parametrize("list_uncited", [False, True])
def test_a_work_has_export_files_when_the_list_shows_it(make_site: MakeSite, list_uncited: bool) -> None:
    # The list links each work's files; a work it does not show has none (the database has it).
    site = make_site({"index.md": "# Home\n\nOnly one [@siegel1999].\n"}, bib=BIB,
                     options={"warn_uncited": False, "list_uncited": list_uncited})
    references = page_file(site, "references/")
    downloads = [resolve(site, references, link["href"])[0]
                 for link in parse(references).links if "kb-download" in link.get("class", "")]
    listed = ["siegel1999", "stern2004"] if list_uncited else ["siegel1999"]
    assert downloads == [site / "references" / f"{stem}.{extension}"
                         for stem in ["references", *listed] for extension in ("bib", "ris", "json")]
    assert sorted(path for path in (site / "references").iterdir() if path.suffix != ".html") == sorted(downloads)
    assert all(path.is_file() for path in downloads)
    assert "@book{stern2004," in (site / "references" / "references.bib").read_text("utf-8")


def test_an_authors_link_to_the_whole_database_passes_strict_link_checks(make_site: MakeSite) -> None:
    # The whole-database files are written straight into the site, yet stay MkDocs files, so the
    # links MkDocs checks while converting pages (a strict build fails on a missing target) find them.
    pages = {**PAGES, "next.md": PAGES["next.md"] + "\nEvery work as [BibTeX](references/references.bib).\n"}
    site = make_site(pages, bib=BIB)
    [href] = [link["href"] for link in parse(page_file(site, "next/")).links if link.get("href", "").endswith(".bib")]
    assert resolve(site, page_file(site, "next/"), href)[0].read_text("utf-8").startswith("@book{siegel1999,")


def test_an_authors_own_file_at_an_export_address_wins(make_site: MakeSite) -> None:
    pages = {**PAGES, "references/siegel1999.ris": "TY  - BOOK\nER  - \n", "references/references.json": "[]\n"}
    site = make_site(pages, bib=BIB)
    assert (site / "references" / "siegel1999.ris").read_text("utf-8") == "TY  - BOOK\nER  - \n"
    assert (site / "references" / "references.json").read_text("utf-8") == "[]\n"
    assert "ID  - stern2004" in (site / "references" / "stern2004.ris").read_text("utf-8")


def test_author_written_references_page_gets_the_list(make_site: MakeSite) -> None:
    pages = {**PAGES, "references.md": "# Sources\n\nOur own introduction.\n"}
    site = make_site(pages, bib=BIB)
    html = page_file(site, "references/").read_text("utf-8")
    assert "Our own introduction." in html and html.index("Our own introduction.") < html.index('id="ref-siegel1999"')


def test_author_footnotes_beside_notes(make_site: MakeSite) -> None:
    site = make_site({"index.md": "# Home\n\nAside[^a] and source [@siegel1999] [@stern2004].\n\n[^a]: Mine.\n"}, bib=BIB)
    page = parse(page_file(site, ""))
    assert {"fnref:a", "fn:a", "kb-noteref-1", "kb-note-1", "kb-note-2"} <= page.ids
    assert page.markers == ["1", "2"]


def test_no_placeholder_reaches_search_index_or_toc(make_site: MakeSite) -> None:
    # The cited heading is on the second page, so its note is 3 while it was local note 1.
    pages = {**PAGES, "next.md": "# Next\n\n## A cited heading [@siegel1999]\n\nText [@stern2004].\n"}
    site = make_site(pages, bib=BIB)
    html = page_file(site, "next/").read_text("utf-8")
    index = (site / "search" / "search_index.json").read_text("utf-8")
    for text in (html, index):
        assert PLACEHOLDER not in text and "\\u0016" not in text.lower()
    assert "A cited heading <sup>3</sup>" in [doc["title"] for doc in json.loads(index)["docs"]]
    assert re.search(r'class="md-nav__link">\s*<span class="md-ellipsis">\s*A cited heading 3\s*</span>', html)
    assert parse(page_file(site, "next/")).markers == ["3", "4"]


def test_search_finds_a_work_in_the_reference_list_not_in_every_note_citing_it(make_site: MakeSite) -> None:
    site = make_site(PAGES, bib=BIB)
    docs = json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    holding_title = {doc["location"].split("#")[0] for doc in docs if "The developing mind" in doc["text"]}
    assert holding_title == {"references/"}


def test_bibliography_problems_fail_strict_build_with_file_and_line(make_site: MakeSite, tmp_path: Path) -> None:
    broken = BIB + "\n@book{siegel1999,\n  author = {Someone},\n  title = {Dup},\n  publisher = {P},\n  year = {2000},\n}\n"
    make_site({"index.md": "# Home\n\n[@siegel1999] [@stern2004]\n"}, bib=broken, strict=False)
    result = run_mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "strict-site", strict=True)
    assert result.returncode != 0 and "Traceback" not in result.stdout
    assert re.search(r"refs\.bib:15: duplicate BibTeX key 'siegel1999'", result.stdout), result.stdout


def test_serve_watches_the_bibliography_folder(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Tiny\nplugins:\n  - knowledge-base:\n      bibliography: [sources/refs.bib]\n", encoding="utf-8"
    )
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config = config.plugins.on_config(config)

    class RecordingServer:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server = config.plugins.on_serve(RecordingServer(), config=config, builder=lambda: None)
    assert str(tmp_path / "sources") in server.watched


def test_a_serve_style_rebuild_formats_the_exports_again_only_when_the_bibliography_changed(
        make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As ``mkdocs serve`` does: a fresh configuration per build, in one process."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from mkdocs_knowledge_base import site_files
    from mkdocs_knowledge_base.bibliography import exporters

    site = make_site(PAGES, bib=BIB)
    formatted: list[str] = []
    format_entry = exporters.export_pieces

    def recording_format(key: str, entry: BibEntry) -> dict[str, str]:
        formatted.append(key)
        return format_entry(key, entry)

    monkeypatch.setattr(exporters, "export_pieces", recording_format)
    # As under `mkdocs serve`, whose server threads rule out writing the files in a child process.
    monkeypatch.setattr(site_files, "forking_is_safe", lambda: False)
    rebuilt = tmp_path / "rebuilt"
    edits = ((None, "", "", ["siegel1999", "stern2004"]), ("docs/next.md", "Fourth", "Fourth and last", []),
             ("refs.bib", "present moment", "present instant", ["siegel1999", "stern2004"]))
    for edited, old, new, expected in edits:
        if edited:
            source = tmp_path / edited
            source.write_text(source.read_text("utf-8").replace(old, new), "utf-8")
        formatted.clear()
        build(load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(rebuilt)))
        assert formatted == expected, edited
        if edited == "docs/next.md":
            assert (rebuilt / "references" / "references.bib").read_bytes() == (site / "references" / "references.bib").read_bytes()
    assert "present instant" in (rebuilt / "references" / "stern2004.bib").read_text("utf-8")


def test_cite_this_page_falls_back_to_site_name_and_no_date(make_site: MakeSite) -> None:
    site = make_site({"index.md": "# Home\n\nText [@siegel1999] [@stern2004].\n"}, bib=BIB)
    html = page_file(site, "").read_text("utf-8")
    # No `citation:` block and no site_author: the site name is the group author; no year gives n.d.;
    # the site name is left out as the container because it equals the author (APA 7).
    link = '<a href="https://example.org/kb/">https://example.org/kb/</a>'
    assert f'<p class="kb-cite-apa">Tiny. (n.d.). <em>Home</em>. {link}</p>' in html
    assert f'<p class="kb-cite-apa">Tiny. (n.d.). <em>Tiny</em>. {link}</p>' in html


def test_notes_and_cite_block_reach_the_page_but_not_the_search_indexer(make_site: MakeSite) -> None:
    """They are put in after indexing (``citations/after_indexing.py``): in the HTML, in order, no marker left."""
    site = make_site(PAGES, bib=BIB)
    html = page_file(site, "next/").read_text("utf-8")
    assert "kb-after-indexing" not in html
    assert html.index("Fourth") < html.index('<section class="kb-notes"') < html.index('<details class="kb-cite"')
    docs = json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    assert not any("Cite this page" in doc["text"] or "kb-after-indexing" in doc["text"] for doc in docs)


def test_a_marker_written_by_an_author_stays(make_site: MakeSite) -> None:
    """The markers carry a token drawn per build: an author's look-alike comment is left alone."""
    pages = {**PAGES, "next.md": PAGES["next.md"].replace("Fourth", "<!--kb-after-indexing-->\n\nFourth")}
    html = page_file(make_site(pages, bib=BIB), "next/").read_text("utf-8")
    assert html.count("<!--kb-after-indexing-->") == 1 and html.count('<section class="kb-notes"') == 1


def test_search_reads_each_reference_but_not_its_links_and_buttons(make_site: MakeSite) -> None:
    site = make_site(PAGES, bib=BIB)
    docs = json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    listed = " ".join(doc["text"] for doc in docs if doc["location"].startswith("references/"))
    assert "The developing mind" in listed and "The present moment" in listed
    assert not any(word in listed for word in ("Cited in", "Copy APA", "CSL-JSON", "kb-after-indexing"))
    page = page_file(site, "references/").read_text("utf-8")
    assert page.count('class="kb-reference-meta"') == 2 and "Cited in notes" in page and "kb-after-indexing" not in page
