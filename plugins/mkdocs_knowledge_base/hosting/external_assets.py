"""Find the assets a built page, stylesheet or script would load from another host.

Why: agencies host the knowledge base on intranets where readers' browsers must not
contact third parties (privacy, firewalls, offline copies). A page that pulls a font,
script or image from a CDN breaks that promise silently — it still "works" on a
developer's laptop. So every built file is checked, and each offending URL is reported.

What counts: only what the browser fetches *by itself* to render the page (scripts,
stylesheets, icons, preloads, images, media, frames, CSS ``url()``/``@import``, worker
``importScripts``). A link the reader may follow (``<a href>`` to a DOI) is content and is
never reported. Pure functions over text (plus one walk over a built site folder); no MkDocs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from mkdocs_knowledge_base.errors import DataProblem

LOADING_LINK_RELATIONS = frozenset(
    {
        "stylesheet",
        "icon",
        "apple-touch-icon",
        "mask-icon",
        "preload",
        "modulepreload",
        "prefetch",
        "preconnect",
        "dns-prefetch",
        "manifest",
    }
)
"""``<link rel>`` tokens that make the browser contact the ``href`` host without a click.

``preconnect``/``dns-prefetch`` fetch nothing, but they do reveal the reader to the host
(that is how Google Fonts announce themselves), so they count as leaving the site.
"""

URL_ATTRIBUTES_BY_TAG: dict[str, tuple[str, ...]] = {
    "script": ("src",),
    "img": ("src",),
    "source": ("src",),
    "track": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
}
"""Elements whose listed attribute holds one URL the browser loads as soon as it renders them."""

SRCSET_TAGS = frozenset({"img", "source"})


@dataclass(frozen=True)
class AssetReference:
    """One URL the browser loads by itself, and the markup that makes it do so."""

    url: str
    where: str
    """Human description of the origin, e.g. ``<script src>`` or ``CSS url()``: tells the user what to fix."""


def is_external(url: str) -> bool:
    """True for absolute ``http(s)://`` URLs and protocol-relative ``//host/...`` URLs.

    Relative URLs, fragments and ``data:``/``blob:`` URLs stay inside the site.
    """
    candidate = url.strip().lower()
    return candidate.startswith(("http://", "https://", "//"))


def srcset_urls(srcset: str) -> list[str]:
    """The URLs of a ``srcset`` value (``"a.png 1x, https://x/b.png 2x"`` → both URLs)."""
    return [candidate.split()[0] for candidate in srcset.split(",") if candidate.strip()]


_CSS_TOKENS = re.compile(
    r"""
      (?P<comment>/\*.*?(?:\*/|\Z))
    | url\(\s*(?:"(?P<url_double>[^"]*)"|'(?P<url_single>[^']*)'|(?P<url_bare>[^)\s"']*))\s*\)
    | @import\s*(?:"(?P<import_double>[^"]*)"|'(?P<import_single>[^']*)')
    | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    """,
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)
"""CSS tokens that matter here, tried left to right at each position.

Comments and plain strings are matched only so they are skipped as a whole: a ``url(``
inside ``/* … */`` or inside ``content: "…"`` loads nothing.
"""


def css_references(css: str) -> list[AssetReference]:
    """Every URL a stylesheet loads: ``url(...)`` (also in ``@import url(...)``) and ``@import "..."``."""
    references: list[AssetReference] = []
    for token in _CSS_TOKENS.finditer(css):
        kind = token.lastgroup
        if kind in {"url_double", "url_single", "url_bare"}:
            references.append(AssetReference(token.group(kind).strip(), "CSS url()"))
        elif kind in {"import_double", "import_single"}:
            references.append(AssetReference(token.group(kind).strip(), "CSS @import"))
    return [reference for reference in references if reference.url]


_IMPORT_SCRIPTS_CALL = re.compile(r"\bimportScripts\s*\((?P<arguments>[^)]*)\)")
_JS_STRING_LITERAL = re.compile(r"""(?P<quote>["'`])(?P<text>(?:(?!(?P=quote))[^\\\n]|\\.)*)(?P=quote)""")


def script_references(javascript: str) -> list[AssetReference]:
    """URLs given as string literals to ``importScripts(...)`` (how web workers load code).

    Computed URLs (``importScripts(base + "/x.js")``) cannot be judged statically; the
    browser test that records every request covers them.
    """
    return [
        AssetReference(literal.group("text"), "importScripts()")
        for call in _IMPORT_SCRIPTS_CALL.finditer(javascript)
        for literal in _JS_STRING_LITERAL.finditer(call.group("arguments"))
    ]


class _AssetCollector(HTMLParser):
    """Collects the URLs an HTML document loads by itself, including its inline CSS."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.references: list[AssetReference] = []
        self._inside_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if tag == "link":
            relations = set(values.get("rel", "").lower().split())
            if relations & LOADING_LINK_RELATIONS and "href" in values:
                self.references.append(AssetReference(values["href"], f"<link rel={values['rel']} href>"))
        for attribute in URL_ATTRIBUTES_BY_TAG.get(tag, ()):
            if attribute in values:
                self.references.append(AssetReference(values[attribute], f"<{tag} {attribute}>"))
        if tag in SRCSET_TAGS and "srcset" in values:
            self.references.extend(AssetReference(url, f"<{tag} srcset>") for url in srcset_urls(values["srcset"]))
        if "style" in values:
            self.references.extend(
                AssetReference(found.url, f"style attribute of <{tag}>") for found in css_references(values["style"])
            )
        self._inside_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._inside_style = False

    def handle_data(self, data: str) -> None:
        if self._inside_style:
            self.references.extend(
                AssetReference(found.url, f"<style> {found.where}") for found in css_references(data)
            )


def html_references(html: str) -> list[AssetReference]:
    """Every URL an HTML document makes the browser load without a click, in document order."""
    collector = _AssetCollector()
    collector.feed(html)
    collector.close()
    return collector.references


def external_only(references: Iterable[AssetReference]) -> list[AssetReference]:
    """Keep the references that leave the site."""
    return [reference for reference in references if is_external(reference.url)]


def external_asset_problems(path: str, references: Iterable[AssetReference]) -> list[DataProblem]:
    """One problem per external asset of the built file ``path``, saying how to fix it."""
    return [
        DataProblem(
            path,
            None,
            f"loads {reference.url} from another host ({reference.where}); readers' browsers would "
            "contact that host — put the file in docs/ and link it relatively "
            "(or set `check_external_assets: false`)",
        )
        for reference in external_only(references)
    ]


READERS_BY_SUFFIX: dict[str, Callable[[str], list[AssetReference]]] = {
    ".css": css_references,
    ".js": script_references,
}
"""How to find the loaded URLs in each kind of shipped code file."""


def shipped_code_problems(site_dir: Path) -> list[DataProblem]:
    """Problems for every stylesheet and script in a built site that loads code from another host.

    Why a walk over the output: the theme, other plugins and ``docs/`` all ship CSS and JS,
    and only the built folder shows what a reader's browser will actually get.
    """
    problems: list[DataProblem] = []
    for shipped in sorted(site_dir.rglob("*")):
        read_references = READERS_BY_SUFFIX.get(shipped.suffix)
        if read_references is not None and shipped.is_file():
            references = read_references(shipped.read_text(encoding="utf-8", errors="replace"))
            problems.extend(external_asset_problems(shipped.relative_to(site_dir).as_posix(), references))
    return problems
