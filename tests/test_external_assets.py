"""The site loads nothing from other hosts: the pure checker, the offline shim swap, and real builds."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from tests.conftest import run_mkdocs_build
from mkdocs_knowledge_base.hosting.external_assets import (
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


def test_theme_level_script_is_reported_on_every_page_and_the_404_page(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    make_site({"index.md": "# Home\n", "about.md": "# About\n"},
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
