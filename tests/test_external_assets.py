"""The site loads nothing from other hosts: the pure checker, the offline shim swap, and real builds."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Callable
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run_mkdocs_build
from mkdocs_knowledge_base.hosting import external_assets
from mkdocs_knowledge_base.hosting.external_assets import (
    _QUICK_SKIPPED_RUN,
    _STRICT_TOKEN,
    TAGS_WITH_URL_ATTRIBUTES,
    AssetReference,
    RepeatedMarkupScanner,
    _AssetCollector,
    _markup_that_may_load,
    css_references,
    external_only,
    html_references,
    script_references,
    shipped_code_problems,
)
from mkdocs_knowledge_base.hosting.offline import VENDORED_IFRAME_WORKER, localize_iframe_worker

# (HTML snippet, the external URLs it makes the browser load by itself)
HTML_CASES: list[tuple[str, list[str]]] = [
    ('<script src="https://cdn.example.org/x.js"></script>', ["https://cdn.example.org/x.js"]),
    ('<script src="//cdn.example.org/x.js"></script>', ["//cdn.example.org/x.js"]),
    ('<script src="../assets/x.js"></script>', []),
    ("<script>var u = 'https://example.org/not-loaded';</script>", []),
    ('<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">',
     ["https://fonts.googleapis.com/css?family=Roboto"]),
    ('<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>', ["https://fonts.gstatic.com"]),
    ('<link rel="shortcut icon" href="HTTPS://cdn.example.org/favicon.png">', ["HTTPS://cdn.example.org/favicon.png"]),
    ('<link rel="modulepreload" href="https://cdn.example.org/m.js">', ["https://cdn.example.org/m.js"]),
    ('<link rel="manifest" href="https://cdn.example.org/app.webmanifest">', ["https://cdn.example.org/app.webmanifest"]),
    ('<link rel="canonical" href="https://kb.example.org/imh/">', []),
    ('<link rel="alternate" type="application/rss+xml" href="https://kb.example.org/feed.xml">', []),
    ('<link rel="stylesheet" href="assets/stylesheets/main.css">', []),
    ('<img src="https://images.example.org/a.png" alt="">', ["https://images.example.org/a.png"]),
    ('<img src="a.png" srcset="a-2x.png 2x, https://images.example.org/a-3x.png 3x" alt="">',
     ["https://images.example.org/a-3x.png"]),
    ('<picture><source srcset="https://images.example.org/a.webp" type="image/webp"></picture>',
     ["https://images.example.org/a.webp"]),
    ('<video src="https://media.example.org/v.mp4" poster="https://media.example.org/p.jpg"></video>',
     ["https://media.example.org/v.mp4", "https://media.example.org/p.jpg"]),
    ('<audio src="https://media.example.org/a.mp3"></audio>', ["https://media.example.org/a.mp3"]),
    ('<iframe src="https://www.youtube.com/embed/x"></iframe>', ["https://www.youtube.com/embed/x"]),
    ('<embed src="https://media.example.org/f.swf">', ["https://media.example.org/f.swf"]),
    ('<object data="https://media.example.org/doc.pdf"></object>', ["https://media.example.org/doc.pdf"]),
    ('<svg><image href="https://images.example.org/i.png"/></svg>', ["https://images.example.org/i.png"]),
    ('<svg><image xlink:href="//images.example.org/i.png"/></svg>', ["//images.example.org/i.png"]),
    ('<svg><use href="#icon-book"/></svg>', []),
    ('<div style="background: url(https://images.example.org/bg.png)"></div>', ["https://images.example.org/bg.png"]),
    ("<style>@import url('https://fonts.googleapis.com/css2?family=Inter');</style>",
     ["https://fonts.googleapis.com/css2?family=Inter"]),
    # Links the reader may follow are content, not assets.
    ('<a href="https://doi.org/10.1037/a0000000">doi</a>', []),
    ('<a href="//example.org/page">page</a>', []),
    ('<form action="https://example.org/search"></form>', []),
    ('<img src="data:image/png;base64,AAAA" alt="">', []),
    ('<a class="glightbox" href="assets/figure.png"><img src="assets/figure.png" alt=""></a>', []),
]


@pytest.mark.parametrize(("html", "expected"), HTML_CASES)
def test_html_external_assets(html: str, expected: list[str]) -> None:
    assert [reference.url for reference in external_only(html_references(html))] == expected


def parsed_whole(html: str) -> list[AssetReference]:
    """The references found by parsing the whole document (what the fast path must reproduce)."""
    collector = _AssetCollector()
    collector.feed(html)
    collector.close()
    return collector.references


HUGE_NAV = "<nav><ul>" + "".join(
    f'<li class="md-nav__item"><a href="../chapter-{i}/" class="md-nav__link"><span>Chapter {i}</span></a></li>'
    for i in range(5000)) + "</ul></nav>"

# Documents where only some tokens are parsed (or, when not plain HTML, all of them).
TRICKY_HTML_CASES: list[tuple[str, list[str]]] = [
    (HUGE_NAV + '<img src="https://images.example.org/late.png" alt="">', ["https://images.example.org/late.png"]),
    (HUGE_NAV + '<p>1 < 2</p><img src="//images.example.org/late.png">', ["//images.example.org/late.png"]),
    ('<SCRIPT SRC="https://cdn.example.org/x.js"></SCRIPT>', ["https://cdn.example.org/x.js"]),
    ('<LINK REL="Stylesheet" HREF="//cdn.example.org/x.css">', ["//cdn.example.org/x.css"]),
    ("<img src=https://images.example.org/a.png alt=x>", ["https://images.example.org/a.png"]),
    ("<link rel=stylesheet href=//cdn.example.org/x.css>", ["//cdn.example.org/x.css"]),
    ("<img src=//images.example.org/a.png?size=2>", ["//images.example.org/a.png?size=2"]),
    ('<img\n\tsrc="//images.example.org/a.png"\n>', ["//images.example.org/a.png"]),
    ('<img alt="1 > 0" src="//images.example.org/a.png">', ["//images.example.org/a.png"]),
    ('<img src="&#104;ttps://images.example.org/a.png">', ["https://images.example.org/a.png"]),
    ('<div class="x" STYLE="background: url(//images.example.org/bg.png)"></div>', ["//images.example.org/bg.png"]),
    ("<a href=\"#\" style='background-image: url(\"https://images.example.org/bg.png\")'>x</a>",
     ["https://images.example.org/bg.png"]),
    ('<span data-style="url(https://images.example.org/no.png)">not a style attribute</span>', []),
    ("<STYLE>@import 'https://fonts.example.org/f.css';</STYLE>", ["https://fonts.example.org/f.css"]),
    ('<svg><USE XLINK:HREF="//icons.example.org/s.svg#i"/><feImage href="https://images.example.org/f.png"/></svg>',
     ["//icons.example.org/s.svg#i", "https://images.example.org/f.png"]),
    ('<iframe src="https://www.youtube.com/embed/x" title="video"></iframe>', ["https://www.youtube.com/embed/x"]),
    ('<!-- <script src="https://cdn.example.org/x.js"></script> -->', []),
    ("<script>document.write('<img src=\"https://images.example.org/a.png\">')</script>", []),
]


@pytest.mark.parametrize(("html", "expected"), TRICKY_HTML_CASES)
def test_tricky_html_external_assets(html: str, expected: list[str]) -> None:
    assert [reference.url for reference in external_only(html_references(html))] == expected
    assert html_references(html) == parsed_whole(html)


# Documents whose reading differs between Python versions (raw-text elements, self-closing
# raw-text tags, bogus markup): whatever this Python's parser reads, the fast path reads too.
UNUSUAL_HTML = [
    '<title>Page</title><textarea><img src="//images.example.org/in-text.png"></textarea>',
    '<style/><img src="//images.example.org/a.png">',
    '<script/><img src="//images.example.org/a.png"></script>',
    '<noscript><img src="//images.example.org/a.png"></noscript>',
    '<plaintext><img src="//images.example.org/a.png">',
    '<!--> <img src="//images.example.org/a.png"> -->',
    '<!-- a -- > <img src="//images.example.org/a.png"> -->',
    '<img alt="x></title>',
    '<a href=x/><img src=//images.example.org/a.png/>',
    "<![CDATA[<img src=//images.example.org/a.png>]]>",
    "<? <img src=//images.example.org/a.png> ?>",
    "</ img><img src=//images.example.org/a.png>",
]


@pytest.mark.parametrize("html", UNUSUAL_HTML)
def test_unusual_html_is_read_as_the_parser_reads_it(html: str) -> None:
    assert html_references(html) == parsed_whole(html)


def test_random_documents_are_read_as_the_parser_reads_them() -> None:
    """Differential test: random mixes of plain and broken markup, fast path against whole parse."""
    rng = random.Random(20261129)
    urls = ["//cdn.example.org/a", "https://cdn.example.org/b", "local.png", "&#47;/cdn.example.org/c"]
    templates = ['<img src="{u}">', "<IMG SRC={u}>", "<link rel=stylesheet href='{u}'>", "<script src={u}></script>",
                 '<p STYLE="background:url({u})">', "<style>a{{background:url({u})}}</style>", '<a href="{u}">x</a>',
                 "<!-- <img src={u}> -->", '<svg><use xlink:href="{u}"/></svg>', '<img srcset="a.png 1x, {u} 2x">',
                 "<script>var s = '<img src={u}>';</script>", "<title>{u}</title>", "<p>see {u}</p>", "<br/>"]
    fragments = ["<", ">", "/>", "</", "<!--", "-->", "<!", "=", '"', "'", " ", "\n", "\xa0", "img", "style", "src",
                 "title", "script", "//x.example/y", "&#47;", "url(", ")", "a"]
    fast = 0
    for _ in range(3000):
        html = "".join(rng.choice(templates).format(u=rng.choice(urls)) if rng.random() < 0.7
                       else "".join(rng.choices(fragments, k=rng.randrange(1, 5)))
                       for _ in range(rng.randrange(1, 10)))
        fast += _markup_that_may_load(html) is not html
        assert html_references(html) == parsed_whole(html), html
    assert fast > 500, "the fast path must be exercised"


# --- the scanner that re-reads only what changed from the previous page -----------------------

LAYOUT_HEAD = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <link rel="icon" href="../assets/favicon.png">
    <link rel="stylesheet" href="../assets/main.css">
    <script>var __md_scope = new URL("..", location); if (1 < 2) { document.title += ""; }</script>
  </head>
  <body>
"""
LAYOUT_NAV = "".join(f"""    <li class="md-nav__item">
      <a href="../chapter-{i}/" class="md-nav__link">
        <span class="md-ellipsis">Chapter {i}</span>
      </a>
    </li>
""" for i in range(300))
LAYOUT_FOOT = """    <footer class="md-footer"><a href="../next/" class="md-footer__link">Next</a></footer>
    <script src="../assets/bundle.js"></script>
  </body>
</html>
"""


def layout_page(title: str, content: str, nav: str = LAYOUT_NAV) -> str:
    """A page shaped like Material's: long shared head, navigation and footer around ``content``."""
    return LAYOUT_HEAD + f"    <title>{title}</title>\n    <nav><ul>\n" + nav + "    </ul></nav>\n" + content + LAYOUT_FOOT


# Contents that are hard to cut into pieces or that load something.
TRICKY_CONTENTS: list[str] = [
    "<p>Plain text.</p>\n",
    '<img\n  src="//images.example.org/multi-line.png"\n  alt="a tag over three lines">\n',
    "<!-- a comment\n<img src=//images.example.org/in-comment.png>\nover lines -->\n",
    "<script>var s = '<img src=\"//images.example.org/in-string.png\">';\nvar t = 1;</script>\n",
    '<img src="&#47;&#47;images.example.org/entity.png"><img src="&sol;&sol;images.example.org/named.png">\n',
    '<img src="&#x2F;/images.example.org/hex.png" srcset="a.png 1x, https://images.example.org/b.png 2x">\n',
    '<div style="background: url(https://images.example.org/bg.png)">styled</div>\n',
    '<DIV STYLE="background: url(//images.example.org/upper.png)"></DIV>\n',
    '<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>\n',
    "<style>\n@import 'https://fonts.example.org/f.css';\n</style>\n",
    "<p>1 < 2, so this page is not plain HTML</p><img src=//images.example.org/after-stray.png>\n",
    "<title>x</title><textarea><img src=//images.example.org/in-textarea.png></textarea>\n",
    "<!-- unterminated comment swallowing the rest\n",
    '<a href="x" title="one\ntwo>three">link</a><img src="//images.example.org/after-quoted-gt.png">\n',
]


def scanned_as_parsed(pages: list[str]) -> None:
    """One scanner over ``pages`` in order finds, on every page, exactly what parsing the whole page finds."""
    scanner = RepeatedMarkupScanner()
    for page in pages:
        assert scanner.references(page) == parsed_whole(page), page


@pytest.mark.parametrize("content", TRICKY_CONTENTS)
def test_scanner_reads_a_changed_page_as_the_parser_does(content: str) -> None:
    plain = layout_page("Plain", "<p>Nothing to load.</p>\n")
    scanned_as_parsed([plain, layout_page("Tricky", content), plain, layout_page("Tricky again", content * 2)])


@pytest.mark.parametrize("content", TRICKY_CONTENTS)
def test_scanner_reads_a_change_inside_the_shared_markup(content: str) -> None:
    """The change sits in the navigation, among pieces the scanner reuses on both sides."""
    nav_lines = LAYOUT_NAV.splitlines(keepends=True)
    changed_nav = "".join(nav_lines[:700] + [content] + nav_lines[700:])
    scanned_as_parsed([layout_page("A", "<p>a</p>\n"), layout_page("B", "<p>b</p>\n", changed_nav),
                       layout_page("C", "<p>c</p>\n"), layout_page("D", "<p>d</p>\n", changed_nav)])


def test_scanner_reports_the_assets_of_reused_pieces_on_every_page() -> None:
    """A theme-level script is in a piece reused from page to page; every page still names it."""
    pages = [layout_page(f"Page {i}", f"<p>Page {i}.</p>\n").replace(
        "../assets/bundle.js", "https://cdn.example.org/bundle.js") for i in range(5)]
    scanner = RepeatedMarkupScanner()
    for page in pages:
        assert [ref.url for ref in external_only(scanner.references(page))] == ["https://cdn.example.org/bundle.js"]


def test_previous_piece_found_inside_a_comment_is_not_reused_as_markup() -> None:
    """A piece of the previous page may reappear inside a comment of the next: the stretch before
    it is then not plain on its own, and the page is read as a whole."""
    image = '<img src="//images.example.org/commented.png">\n'
    scanned_as_parsed([layout_page("A", image), layout_page("B", "<!--\n" + image + "-->\n"), layout_page("C", image)])


@pytest.fixture
def short_pieces() -> Iterator[None]:
    """Pieces of a few dozen characters, so that cuts fall everywhere, also inside long tokens."""
    with mock.patch.object(external_assets, "PIECE_LENGTH", 40), mock.patch.object(external_assets, "CHANGE_SLACK", 64):
        yield


@pytest.mark.usefixtures("short_pieces")
@pytest.mark.parametrize("content", TRICKY_CONTENTS)
def test_scanner_with_short_pieces(content: str) -> None:
    scanned_as_parsed([layout_page("A", content), layout_page("B", "<p>b</p>\n" + content), layout_page("C", content)])


def test_long_changes_are_read_but_not_remembered() -> None:
    with mock.patch.object(external_assets, "LONGEST_REMEMBERED_CHANGE", 1000):
        pages = [layout_page(str(i), "<p>text</p>\n" * 200 + TRICKY_CONTENTS[i]) for i in range(10)]
        scanned_as_parsed(pages)
        scanner = RepeatedMarkupScanner()
        scanner.references(pages[0])
        assert scanner._previous_pieces == [], "a first page longer than the limit is one change, not remembered"


def test_scanner_reads_every_page_of_a_built_site_as_the_parser_does(bundled_site: Path) -> None:
    pages = [page.read_text(encoding="utf-8") for page in sorted(bundled_site.rglob("*.html"))]
    scanned_as_parsed(pages)
    scanned_as_parsed(pages[::-1])


fragments = st.sampled_from([
    *TRICKY_CONTENTS, "<p>", "</p>", "\n", "  ", "text ", "<br>", '<a href="x">', "</a>", "<", ">", '"', "'",
    "<!--", "-->", "&#47;/x.example/a", '<img src="//x.example/i.png">', "<script>", "</script>", "<style>",
    "</style>", "url(//x.example/u)", ' style="', "<title>", "</title>", '<link rel="icon" href="//x.example/f">',
])
shared_lines = st.lists(fragments, min_size=1, max_size=30).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(shared_lines, min_size=2, max_size=6), st.lists(st.lists(st.integers(0, 5), max_size=12), min_size=1,
                                                                  max_size=6))
def test_scanner_property(layouts: list[str], page_plans: list[list[int]]) -> None:
    """Pages assembled from a few shared stretches, in any order: the scanner, with short pieces
    so that cuts fall everywhere, reads each exactly as parsing the whole page does."""
    pages = ["".join(layouts[index % len(layouts)] for index in plan) for plan in page_plans]
    with mock.patch.object(external_assets, "PIECE_LENGTH", 16), mock.patch.object(external_assets, "CHANGE_SLACK", 32):
        scanned_as_parsed(pages)


@settings(max_examples=500, deadline=None)
@given(st.lists(fragments, max_size=20).map("".join))
def test_quick_run_is_a_run_of_strict_skipped_tokens(html: str) -> None:
    """Whatever ``_QUICK_SKIPPED_RUN`` consumes, ``_STRICT_TOKEN`` reads as tokens that load nothing."""
    run = _QUICK_SKIPPED_RUN.match(html)
    if run is not None:
        strict = _STRICT_TOKEN.fullmatch(run[0])
        assert strict is not None and strict["skipped"] is not None, run[0]


OTHER_ELEMENTS = (
    "a", "abbr", "address", "article", "aside", "b", "base", "bdi", "blockquote", "body", "br", "button", "canvas",
    "caption", "cite", "code", "col", "dd", "details", "dfn", "dialog", "div", "dl", "dt", "em", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "head", "header", "hr", "html", "i", "label", "legend",
    "li", "main", "map", "mark", "meta", "meter", "nav", "ol", "option", "p", "picture", "pre", "progress", "q",
    "s", "samp", "section", "select", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "template", "th", "thead", "time", "tr", "u", "ul", "var", "wbr", "svg", "g", "path", "circle", "rect",
    "symbol", "defs", "mask", "pattern", "filter", "foreignobject", "text", "tspan", "textpath", "marker"
)


@pytest.mark.parametrize("name", OTHER_ELEMENTS)
def test_tags_the_fast_path_skips_load_nothing(name: str) -> None:
    """``TAGS_WITH_URL_ATTRIBUTES`` lists every tag the collector reads URLs from."""
    assert name not in TAGS_WITH_URL_ATTRIBUTES
    tag = (f'<{name} src="//x.example/a" href="//x.example/b" data="//x.example/c" poster="//x.example/d" '
           'srcset="//x.example/e 2x" xlink:href="//x.example/f" rel="stylesheet icon">')
    assert parsed_whole(tag) == []


# (CSS text, every URL it loads)
CSS_CASES: list[tuple[str, list[str]]] = [
    ("body { background: url(img/bg.png) }", ["img/bg.png"]),
    ('body { background: URL( "https://x.example/a.png" ) }', ["https://x.example/a.png"]),
    ("@font-face { src: url('//fonts.example/a.woff2') format('woff2') }", ["//fonts.example/a.woff2"]),
    ('@import "https://x.example/theme.css";', ["https://x.example/theme.css"]),
    ("@import url(https://x.example/theme.css) screen;", ["https://x.example/theme.css"]),
    ("/* background: url(https://x.example/commented.png) */ a { color: red }", []),
    ('a::after { content: "url(https://x.example/not-a-url.png)" }', []),
    ('.icon { mask-image: url("data:image/svg+xml;charset=utf-8,<svg/>") }', ['data:image/svg+xml;charset=utf-8,<svg/>']),
]


@pytest.mark.parametrize(("css", "expected"), CSS_CASES)
def test_css_references(css: str, expected: list[str]) -> None:
    assert [reference.url for reference in css_references(css)] == expected


# (JavaScript text, the URLs handed to importScripts as literals)
SCRIPT_CASES: list[tuple[str, list[str]]] = [
    ('importScripts("https://cdn.example.org/lunr.js")', ["https://cdn.example.org/lunr.js"]),
    ("self.importScripts('a.js', `//cdn.example.org/b.js`)", ["a.js", "//cdn.example.org/b.js"]),
    ("importScripts(`${base}/min/lunr.stemmer.support.min.js`)", ["${base}/min/lunr.stemmer.support.min.js"]),
    ('fetch("https://api.example.org/x")', []),
]


@pytest.mark.parametrize(("javascript", "expected"), SCRIPT_CASES)
def test_script_references(javascript: str, expected: list[str]) -> None:
    assert [reference.url for reference in script_references(javascript)] == expected


def test_shipped_code_problems_name_the_file_and_url(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "theme.css").write_text("@import url(https://x.example/t.css);\nb{}", encoding="utf-8")
    (tmp_path / "assets" / "worker.js").write_text("importScripts('https://x.example/w.js')", encoding="utf-8")
    (tmp_path / "assets" / "local.css").write_text("a { background: url(bg.png) }", encoding="utf-8")
    problems = shipped_code_problems(tmp_path)
    assert [(problem.path, "x.example" in problem.message) for problem in problems] == [
        ("assets/theme.css", True),
        ("assets/worker.js", True),
    ]


def test_offline_shim_is_swapped_for_the_vendored_copy() -> None:
    polyfills = ["local/polyfill.js", "https://unpkg.com/iframe-worker/shim", {"path": "x.js"}]
    assert localize_iframe_worker(polyfills) == ["local/polyfill.js", VENDORED_IFRAME_WORKER, {"path": "x.js"}]


def test_vendored_shim_is_shipped_with_its_license() -> None:
    from mkdocs_knowledge_base.assets import ASSETS_DIR, SITE_PREFIX, packaged_assets

    shipped = dict(packaged_assets())
    assert VENDORED_IFRAME_WORKER in shipped
    shim = shipped[VENDORED_IFRAME_WORKER].read_text(encoding="utf-8")
    assert "MIT License" in shim and "iframe-worker 1.0.4" in shim
    assert "IFrameWorker" in shim and 'location.protocol==="file:"' in shim
    assert VENDORED_IFRAME_WORKER.startswith(SITE_PREFIX)
    assert (ASSETS_DIR / "vendor" / "iframe-worker" / "LICENSE").is_file()


# --- real builds --------------------------------------------------------------------------

CDN_PAGE = """\
# A page with a CDN script

<script src="https://cdn.example.org/x.js"></script>

A link to [a DOI](https://doi.org/10.1037/a0000000) is content and is fine.
"""


def test_strict_build_fails_naming_the_external_url(make_site: Callable[..., Path], tmp_path: Path) -> None:
    make_site({"index.md": CDN_PAGE}, strict=False)
    result = run_mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "strict-site")
    assert result.returncode != 0, result.stdout
    warnings = [line for line in result.stdout.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1, result.stdout
    assert "index.md" in warnings[0] and "https://cdn.example.org/x.js" in warnings[0]
    assert "doi.org" not in result.stdout


@pytest.mark.parametrize("in_background", [True, False], ids=["checked by the child process", "checked in the build"])
def test_theme_level_script_is_reported_on_every_page_and_the_404_page(
    make_site: Callable[..., Path], tmp_path: Path, in_background: bool
) -> None:
    make_site({"index.md": "# Home\n", "about.md": "# About\n"}, options={"background_work": in_background},
              config={"extra_javascript": ["https://cdn.example.org/analytics.js"]}, strict=False)
    result = run_mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "strict-site")
    warned = sorted(line.split("mkdocs_knowledge_base: ")[1].split(":")[0]
                    for line in result.stdout.splitlines() if "cdn.example.org/analytics.js" in line)
    assert result.returncode != 0
    assert warned == ["404.html", "about.md", "index.md"], result.stdout


def test_check_can_be_turned_off(make_site: Callable[..., Path]) -> None:
    site = make_site({"index.md": CDN_PAGE}, options={"check_external_assets": False})
    assert "https://cdn.example.org/x.js" in (site / "index.html").read_text(encoding="utf-8")


def test_offline_build_uses_the_vendored_shim(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {"index.md": "# Offline\n", "other/page.md": "# Nested\n"},
        config={"plugins": ["search", "offline", {"knowledge-base": {"bibliography": []}}]},
    )
    nested = (site / "other" / "page.html").read_text(encoding="utf-8")
    assert '<script src="../assets/knowledge-base/vendor/iframe-worker/shim.js"></script>' in nested
    assert "unpkg" not in nested
    assert (site / "assets" / "knowledge-base" / "vendor" / "iframe-worker" / "shim.js").is_file()
    assert (site / "search" / "search_index.js").is_file()


def test_bundled_site_loads_nothing_from_other_hosts(bundled_site: Path) -> None:
    """Material with ``font: false`` uses system fonts, inlines icons and runs search locally."""
    offenders: list[str] = []
    for page in sorted(bundled_site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        offenders += [f"{page.relative_to(bundled_site)}: {ref.url}" for ref in external_only(html_references(html))]
        offenders += [f"{page.relative_to(bundled_site)}: mentions {host}"
                      for host in ("fonts.googleapis.com", "fonts.gstatic.com", "unpkg.com") if host in html]
    offenders += [str(problem) for problem in shipped_code_problems(bundled_site)]
    assert offenders == []
    index = (bundled_site / "index.html").read_text(encoding="utf-8")
    assert '"search": "assets/javascripts/workers/search.' in index, "Material's search worker must be a local file"


def test_built_pages_are_plain_html_read_as_the_parser_reads_them(bundled_site: Path) -> None:
    """Material's pages take the fast path: only the few tokens that may load are parsed, same result."""
    for page in sorted(bundled_site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert len(_markup_that_may_load(html)) < len(html) / 2, page
        assert html_references(html) == parsed_whole(html), page
