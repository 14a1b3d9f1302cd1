"""Fidelity of the knowledge base to the white paper it presents.

Why: the site promises "the paper, unchanged, plus links". These tests read the paper's
extracted text (the seed) and check that every heading, paragraph, list item and quotation
is on the built site in the paper's order, and that notes 1–72 sit where the paper has them,
each citing the work the paper's own reference list names. Nothing about the paper is typed
in here except how to recognise each work of its reference list (author and year → BibTeX key).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.structure.files import File

from tests.conftest import REPO, SEED, nav_sources, repository_config

DOCS = REPO / "docs"
NOTE_SUPERSCRIPT = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
SUPERSCRIPT_TO_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
NOTE_TOKEN = re.compile(r"⟦(\d+)⟧")
"""How a note marker is kept in extracted text, so its place in a sentence can be compared."""
LIST_MARKER = re.compile(r"^(?:-|\d+\.)\s+")
AUTHOR_FOOTNOTE = re.compile(r"^\*[A-Z][^*]*$")
ITALICS = re.compile(r"\*([^*\s][^*]*)\*")
"""The paper's italics, as the extraction marks them (``*falling in love*``)."""
"""The paper's one author footnote ("*Caregiver could include ..."); on the site it sits at the page end."""

# How to recognise each work of the paper's reference list: its entries start with the lead
# author (or group) and give the year first; the BibTeX key is the project's choice.
WORKS: tuple[tuple[str, int, str], ...] = (
    ("California Infant-Family", 2009, "california2009"),
    ("New Mexico Family Infant Toddler Program", 2008, "newmexico2008"),
    ("Zero to Three", 2002, "zerotothree2002"),
    ("Love and learn!", 2004, "nmaimh2004"),
    ("Zeanah", 2009, "zeanah2009"),
    ("Greenspan", 2006, "greenspan2006"),
    ("Schore", 2001, "schore2001"),
    ("Fonagy", 2002, "fonagy2002"),
    ("Pawl", 2006, "pawl2006"),
    ("Mutual Regulation/Co-regulation", 2013, "wellbaby2013"),
    ("Tronick", 2007, "tronick2007"),
    ("Tronick", 2015, "tronick2015"),
    ("Beeghly", 2011, "beeghly2011"),
    ("Perry", 2006, "perry2006"),
    ("Siegel", 1999, "siegel1999"),
    ("Felitti", 1998, "felitti1998"),
    ("National Scientific Council on the Developing Child", 2010, "nscdc2010"),
    ("Center on the Developing Child", 2007, "cdc2007"),
    ("Center on the Developing Child", 2015, "cdc2015"),
    ("Sander", 2000, "sander2000"),
    ("Seligman", 2014, "seligman2014"),
    ("Stroud", 2014, "stroud2014"),
    ("Ghosh Ippen", 2014, "ghoshippen2014"),
    ("Brazelton", 2006, "brazelton2006"),
    ("Lieberman", 2004, "lieberman2004"),
    ("Lieberman", 1998, "lieberman1998"),
    ("Lieberman", 1997, "lieberman1997"),
    ("Brandt", 2014, "brandt2014"),
    ("Fulton", 2012, "fulton2012"),
    ("Weatherston", 2002, "weatherston2002"),
    ("Weatherston", 2000, "weatherston2000"),
    ("Kalmanson", 2006, "kalmanson2006"),
    ("Boukydis", 2004, "boukydis2004"),
    ("Dunst", 1994, "dunst1994"),
    ("Lane", 2012, "lane2012"),
    ("Stern", 2004, "stern2004"),
    ("Heffron", 2000, "heffron2000"),
    ("Heffron", 2005, "heffron2005"),
)


@dataclass(frozen=True)
class PaperNote:
    """One numbered note of the paper: the work it cites and, when it names its own pages, the locator."""

    number: int
    key: str
    locator: str | None


# --- Reading the paper ---------------------------------------------------------------------


def seed_text() -> str:
    """The paper's extracted text; tests that need it are skipped on a checkout without it."""
    if not SEED.exists():
        pytest.skip(f"the paper's text is not available at {SEED}")
    return SEED.read_text(encoding="utf-8")


def paper_blocks(text: str) -> list[str]:
    """Headings, paragraphs, list items and quotations of the paper, note superscripts kept.

    The CONTENTS list is dropped (the site's navigation replaces it) and so is the reference
    list (the References page renders the BibTeX database). A line starting in lower case
    continues the previous block: the extraction split that sentence at a page break.
    """
    body = text.split("\nREFERENCES\n")[0]
    blocks: list[str] = []
    in_contents = False
    for line in (raw.strip() for raw in body.splitlines()):
        if line == "CONTENTS":
            in_contents = True
        elif in_contents and (not line or line.startswith("-")):
            continue
        else:
            in_contents = False
            if not line:
                continue
            if line[0].islower():
                blocks[-1] = f"{blocks[-1]} {line}"
            else:
                blocks.append(line)
    return blocks


def paper_notes(text: str) -> list[PaperNote]:
    """Notes 1..N from the paper's reference list, each resolved to its work's BibTeX key.

    Entries of one work repeat its full reference; the page range most of them give is the
    work's own, and an entry giving other pages is a citation of those pages (a locator).
    """
    references = text.split("\nREFERENCES\n")[1]
    entries = {int(m["number"]): m["entry"] for m in re.finditer(r"^- (?P<number>\d+) (?P<entry>.+)$", references, re.M)}
    notes: list[tuple[int, str, str | None]] = []
    for number, entry in sorted(entries.items()):
        year = int(re.search(r"\b(1[89]\d\d|20\d\d)\b", entry)[0])
        keys = [key for lead, work_year, key in WORKS if entry.startswith(lead) and work_year == year]
        assert len(keys) == 1, f"reference {number} matches {keys or 'no work'}: {entry[:80]}"
        pages = re.search(r"\bpp\.\s*([\d–-]+)", entry)
        notes.append((number, keys[0], pages[1] if pages else None))
    assert [number for number, _, _ in notes] == list(range(1, len(notes) + 1)), "reference list numbering has gaps"
    usual_pages = {key: Counter(p for _, k, p in notes if k == key).most_common(1)[0][0] for _, key, _ in notes}
    return [PaperNote(number, key, f"pp. {pages}" if pages != usual_pages[key] else None) for number, key, pages in notes]


def normalize(text: str) -> str:
    """Text reduced to what must survive from paper to page: words, punctuation, note tokens.

    Differences that are presentation, not wording, vanish: curly vs straight quotes, dash
    kinds, Markdown italics asterisks, list numbering, the dash before a quotation's
    speaker, whitespace and letter case (headings are title-cased on the site).
    """
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "*": None}))
    text = LIST_MARKER.sub("", text.strip())
    text = text.lstrip("- ")
    return " ".join(text.split()).casefold()


def with_note_tokens(block: str) -> str:
    """A paper block with each superscript note number written as a note token."""
    return NOTE_SUPERSCRIPT.sub(lambda m: f"⟦{m[0].translate(SUPERSCRIPT_TO_DIGITS)}⟧", block)


# --- Reading the site ----------------------------------------------------------------------


def nav_pages() -> list[str]:
    """The hand-written pages (files in docs/) in navigation order; generated pages are not the paper's."""
    return [page for page in nav_sources() if (DOCS / page).is_file()]


def built_html(site: Path, page: str) -> str:
    """The built HTML of a docs page, wherever ``use_directory_urls`` put it."""
    built = File(page, str(DOCS), str(site), repository_config().get("use_directory_urls", True))
    return Path(built.abs_dest_path).read_text(encoding="utf-8")


@dataclass
class RenderedNote:
    """One ``li.kb-note`` of a page's notes section."""

    number: int
    hrefs: list[str] = field(default_factory=list)
    text: str = ""


VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BLOCK_ELEMENTS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption", "figure", "div",
                  "section", "ol", "ul", "dl", "dt", "dd", "table", "tr", "td", "th", "pre", "details", "summary"}


class PageContent(HTMLParser):
    """The text of a page's article, one line per block, note markers as tokens; its italics; its notes.

    Skipped: heading permalinks, the footnote reference and back-link (the author footnote
    text itself stays), scripts, and the notes section, which is read into ``notes`` instead.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.notes: list[RenderedNote] = []
        self.italics: list[str] = []
        self.italic_below: int | None = None
        self.open_tags: list[str] = []
        self.skip_below: int | None = None
        self.notes_section_below: int | None = None
        self.note_below: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        classes = set(attributes.get("class", "").split())
        if not self.open_tags:
            if tag == "article":
                self.open_tags.append(tag)
            return
        if tag in VOID_ELEMENTS:
            return
        self.open_tags.append(tag)
        depth = len(self.open_tags)
        if tag in BLOCK_ELEMENTS:
            self.lines.append("")
        if self.skip_below is not None:
            return
        if tag == "section" and "kb-notes" in classes:
            self.notes_section_below = depth
        elif tag == "li" and "kb-note" in classes and self.notes_section_below is not None:
            self.notes.append(RenderedNote(int(attributes["id"].removeprefix("kb-note-"))))
            self.note_below = depth
        elif tag == "a" and self.note_below is not None:
            self.notes[-1].hrefs.append(attributes.get("href", ""))
        elif tag == "em" and self.notes_section_below is None and self.italic_below is None:
            self.italics.append("")
            self.italic_below = depth
        elif tag == "sup" and "kb-note-ref" in classes:
            self.lines[-1] += f"⟦{attributes['id'].removeprefix('kb-noteref-')}⟧"
            self.skip_below = depth
        elif (
            tag in {"script", "style", "template"}
            or (tag == "sup" and attributes.get("id", "").startswith("fnref"))
            or (tag == "a" and classes & {"headerlink", "footnote-backref"})
        ):
            self.skip_below = depth

    def handle_endtag(self, tag: str) -> None:
        if not self.open_tags or tag in VOID_ELEMENTS or tag not in self.open_tags:
            return
        while self.open_tags.pop() != tag:
            pass
        depth = len(self.open_tags)
        if self.skip_below is not None and depth < self.skip_below:
            self.skip_below = None
        if self.note_below is not None and depth < self.note_below:
            self.note_below = None
        if self.italic_below is not None and depth < self.italic_below:
            self.italic_below = None
        if self.notes_section_below is not None and depth < self.notes_section_below:
            self.notes_section_below = None
        if tag in BLOCK_ELEMENTS:
            self.lines.append("")

    def handle_data(self, data: str) -> None:
        if not self.open_tags or self.skip_below is not None:
            return
        if self.note_below is not None:
            self.notes[-1].text += data
        elif self.notes_section_below is None:
            self.lines[-1] += data
            if self.italic_below is not None:
                self.italics[-1] += data


class QuoteFigures(HTMLParser):
    """The ``figure.kb-quote`` elements of a page as ``(quotation, speaker)``: a quote must say who said it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.quotes: list[tuple[str, str]] = []
        self.part: str | None = None
        self.in_figure = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "figure" and "kb-quote" in (dict(attrs).get("class") or "").split():
            self.in_figure = True
            self.quotes.append(("", ""))
        elif self.in_figure and tag in {"blockquote", "figcaption"}:
            self.part = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self.in_figure = False
        if tag == self.part:
            self.part = None

    def handle_data(self, data: str) -> None:
        if self.part:
            quote, speaker = self.quotes[-1]
            self.quotes[-1] = (quote + data, speaker) if self.part == "blockquote" else (quote, speaker + data)


def site_content(site: Path) -> list[tuple[str, PageContent]]:
    """Every hand-written page of the built site, parsed, in navigation order."""
    pages = []
    for page in nav_pages():
        content = PageContent()
        content.feed(built_html(site, page))
        pages.append((page, content))
    return pages


def find_in_order(wanted: list[str], lines: list[str]) -> tuple[list[str], list[str]]:
    """Look for each wanted text in ``lines``, each after the previous one; returns (missing, out of order)."""
    missing: list[str] = []
    out_of_order: list[str] = []
    line_index, offset = 0, 0
    for text in wanted:
        for index in range(line_index, len(lines)):
            position = lines[index].find(text, offset if index == line_index else 0)
            if position >= 0:
                line_index, offset = index, position + len(text)
                break
        else:
            (out_of_order if any(text in line for line in lines) else missing).append(text)
    return missing, out_of_order


def shorten(texts: list[str]) -> str:
    return "\n".join(f"  - {text[:110]}" for text in texts[:8])


# --- Tests ---------------------------------------------------------------------------------


def test_every_heading_paragraph_list_item_and_quote_of_the_paper_is_on_the_site_in_order(bundled_site: Path) -> None:
    blocks = paper_blocks(seed_text())
    in_flow = [normalize(NOTE_SUPERSCRIPT.sub("", b)) for b in blocks if not AUTHOR_FOOTNOTE.match(b)]
    footnotes = [normalize(b) for b in blocks if AUTHOR_FOOTNOTE.match(b)]
    pages = site_content(bundled_site)
    lines = [normalize(NOTE_TOKEN.sub("", line)) for _, content in pages for line in content.lines]
    italics = [normalize(italic) for block in blocks for italic in ITALICS.findall(block)]
    emphasized = [normalize(NOTE_TOKEN.sub("", text)) for _, content in pages for text in content.italics]

    missing, out_of_order = find_in_order(in_flow, lines)
    missing_italics, italics_out_of_order = find_in_order(italics, emphasized)

    assert len(in_flow) > 100, "the paper was not split into its blocks"
    assert not missing, f"{len(missing)} of {len(in_flow)} blocks of the paper are not on the site:\n{shorten(missing)}"
    assert not out_of_order, f"blocks of the paper out of the paper's order:\n{shorten(out_of_order)}"
    assert footnotes and all(any(note in line for line in lines) for note in footnotes), "the author footnote is missing"
    assert len(italics) > 5 and not missing_italics + italics_out_of_order, (
        f"the paper's italics are not emphasized on the site:\n{shorten(missing_italics + italics_out_of_order)}")


def test_notes_1_to_72_are_where_the_paper_has_them_and_cite_its_works(bundled_site: Path) -> None:
    text = seed_text()
    expected = paper_notes(text)
    pages = site_content(bundled_site)
    markers = [(page, int(n)) for page, content in pages for line in content.lines for n in NOTE_TOKEN.findall(line)]
    notes = [(page, note) for page, content in pages for note in content.notes]

    assert [n for _, n in markers] == [note.number for note in expected], "note markers are not 1..72, once each, in order"
    assert [note.number for _, note in notes] == [note.number for note in expected], "notes are not 1..72, once each, in order"
    assert {(page, n) for page, n in markers} == {(page, note.number) for page, note in notes}, "a note is not on its marker's page"
    for (_, note), wanted in zip(notes, expected):
        assert any("references" in href and href.endswith(f"#ref-{wanted.key}") for href in note.hrefs), (
            f"note {note.number} does not link to the reference of {wanted.key}: {note.hrefs}")
        if wanted.locator:
            assert normalize(wanted.locator) in normalize(note.text), f"note {note.number} lacks '{wanted.locator}'"

    lines = [normalize(line) for _, content in pages for line in content.lines]
    for block in paper_blocks(text):
        numbers = {int(n.translate(SUPERSCRIPT_TO_DIGITS)) for n in NOTE_SUPERSCRIPT.findall(block)}
        if not numbers:
            continue
        wanted_text = normalize(with_note_tokens(block))
        # Notes the paper lost from its text (note 6) are placed by the editors: ignore them here.
        found = [NOTE_TOKEN.sub(lambda m: m[0] if int(m[1]) in numbers else "", line) for line in lines]
        assert any(wanted_text in line for line in found), f"notes {sorted(numbers)} are not in place in: {block[:90]}"


def test_every_quotation_of_the_paper_is_an_attributed_quote_figure(bundled_site: Path) -> None:
    blocks = paper_blocks(seed_text())
    # A block that is a quotation from end to end is followed, in the paper, by its speaker's name.
    quotations = [(normalize(block), normalize(speaker)) for block, speaker in zip(blocks, blocks[1:])
                  if block[0] in "“\"" and block[-1] in "”\""]
    figures = []
    for page in nav_pages():
        parser = QuoteFigures()
        parser.feed(built_html(bundled_site, page))
        figures.extend((normalize(quote), normalize(speaker)) for quote, speaker in parser.quotes)

    assert len(quotations) == 7
    assert figures == quotations


def test_the_continuum_figure_is_accessible_and_opens_in_a_lightbox(bundled_site: Path) -> None:
    figure = DOCS / "assets" / "continuum-of-services.svg"
    svg = figure.read_text(encoding="utf-8")
    root = re.search(r"<svg\b[^>]*>", svg)[0]
    labelled_by = re.search(r'aria-labelledby="([^"]+)"', root)[1].split()

    assert 'role="img"' in root and "viewBox=" in root
    assert all(re.search(rf'<(title|desc) id="{name}">[^<]+</\1>', svg) for name in labelled_by) and len(labelled_by) == 2
    assert "<text" in svg and not re.search(r'(?:href|src)="(?!#)', svg), "text must be real text, nothing loaded from elsewhere"
    page = built_html(bundled_site, "continuum-of-services.md")
    lightbox = re.search(r'<a class="glightbox"[^>]*href="([^"]+)"[^>]*>\s*<img ([^>]+)>', page)
    assert lightbox and lightbox[1].endswith("assets/continuum-of-services.svg")
    assert re.search(r'alt="[^"]{20,}"', lightbox[2]), "the figure needs a real alt text"


def citation_brackets(markdown: str) -> list[list[tuple[str, str | None]]]:
    """Each pandoc citation bracket of a Markdown text as ``[(key, locator), ...]``, code and comments ignored."""
    prose = re.sub(r"^(```|~~~).*?^\1", "", markdown, flags=re.M | re.S)
    prose = re.sub(r"<!--.*?-->|`[^`\n]*`", "", prose, flags=re.S)
    brackets = []
    for bracket in re.finditer(r"\[([^\[\]]*@[^\[\]]*)\](?![(\[:])", prose):
        cites = []
        for part in bracket[1].split(";"):
            cite = re.search(r"(?:^|\s)-?@(?P<key>\w(?:[\w:.#$%&+?<>~/-]*\w)?)\s*(?:,\s*(?P<locator>.+?))?\s*$", part)
            assert cite, f"not a citation: [{bracket[1]}]"
            cites.append((cite["key"], cite["locator"]))
        brackets.append(cites)
    return brackets


def test_markdown_sources_cite_the_paper_s_72_notes_in_navigation_order() -> None:
    expected = [[(note.key, note.locator)] for note in paper_notes(seed_text())]
    written = [bracket for page in nav_pages() for bracket in citation_brackets((DOCS / page).read_text(encoding="utf-8"))]

    assert len(written) == len(expected) == 72
    mismatches = [(number, got, want) for number, (got, want) in enumerate(zip(written, expected), 1) if got != want]
    assert not mismatches, f"citation brackets differ from the paper's notes (number, written, expected): {mismatches[:5]}"


def test_citation_brackets_are_read_as_pandoc_writes_them() -> None:
    markdown = (
        "Text.[@a] More[see @b, ch. 2; @c]. A [link](x.md) and [^foot].\n"
        "<!-- [@commented] -->\n`[@inline]`\n```\n[@fenced]\n```\nEnd.[@pawl2006, pp. 221-222]\n"
    )
    assert citation_brackets(markdown) == [[("a", None)], [("b", "ch. 2"), ("c", None)], [("pawl2006", "pp. 221-222")]]
