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

import os
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


TAGS_WITH_URL_ATTRIBUTES = frozenset({"link", "style", *URL_ATTRIBUTES_BY_TAG, *SRCSET_TAGS})
"""The tags ``_AssetCollector`` takes URLs from (besides the ``style`` attribute of any tag)."""

TEXT_CONTENT_ELEMENTS = ("script", "style")
"""Elements whose content every ``HTMLParser`` reads as raw text up to their end tag."""

VERSION_DEPENDENT_ELEMENTS = ("title", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript")
"""Elements whose content newer ``HTMLParser`` versions read as text, older ones as markup."""

TEXT_ELEMENTS = (*TEXT_CONTENT_ELEMENTS, *VERSION_DEPENDENT_ELEMENTS, "plaintext")
"""Every element whose content some ``HTMLParser`` reads as text (``plaintext``: to the end of the document)."""

_WS = r"[ \t\n\r\f]"
_TAG_NAME = r"[a-z][a-z0-9-]*"
_ATTRIBUTE_NAME = r"[a-z_:][-a-z0-9_:.]*"
_ATTRIBUTE = rf"""{_ATTRIBUTE_NAME}(?:{_WS}*={_WS}*(?:"[^"]*"|'[^']*'|[!#-&(-;?-_a-~]++))?"""
"""One attribute; a bare value is printable ASCII but for ``"'<=>`` and the backquote."""


def _any_of(names: Iterable[str]) -> str:
    """Regex for exactly one of the tag ``names`` (not a longer name starting with one)."""
    return "(?:" + "|".join(sorted(names)) + ")(?![a-z0-9-])"


_STRICT_TOKEN = re.compile(
    rf"""
      (?P<skipped>(?:
          [^<]++
        | <!--(?![->])(?:[^-]|-(?!-))*+-->
        | <!doctype[^<>]*+>
        | </{_TAG_NAME}{_WS}*>
        | <(?!{_any_of({*TAGS_WITH_URL_ATTRIBUTES, *TEXT_ELEMENTS})})
          {_TAG_NAME}(?:{_WS}++(?!style(?![-a-z0-9_:.])){_ATTRIBUTE})*+{_WS}*/?>
      )++)
    | <(?P<raw>{_any_of(TEXT_CONTENT_ELEMENTS)})(?:{_WS}++{_ATTRIBUTE})*+{_WS}*>(?:[^<]|<(?![/!]))*+</(?P=raw){_WS}*>
    | <(?P<text>{_any_of(VERSION_DEPENDENT_ELEMENTS)})(?:{_WS}++{_ATTRIBUTE})*+{_WS}*>[^<]*+</(?P=text){_WS}*>
    | <(?!{_any_of(TEXT_ELEMENTS)}){_TAG_NAME}(?:{_WS}++{_ATTRIBUTE})*+{_WS}*/?>
    """,
    re.VERBOSE | re.IGNORECASE | re.ASCII,
)
"""One token of *plain* HTML, where every HTML tokenizer agrees on where tokens start and end.

``skipped`` is a run of tokens that load nothing: text, comments, the doctype, end tags, and
start tags that are neither in ``TAGS_WITH_URL_ATTRIBUTES`` nor carry a ``style`` attribute.
The other alternatives are the tokens that may load something, each complete: a script or
style element with its content (content without ``</`` or ``<!``), a version-dependent element
whose content is plain text, any other start tag. Tags are strict: ASCII names, attributes
separated by white space, values quoted or bare without quotes, ``<``, ``=``, ``>``.
"""


def _markup_that_may_load(html: str) -> str:
    """The tokens of ``html`` that may load something, in order; all of ``html`` when it is not plain HTML.

    Why: parsing Material's navigation (thousands of tags per page, none of which loads
    anything) was the largest cost of the plugin on large sites.

    Why no asset can be missed: the result goes to the same ``_AssetCollector``. A document is
    cut only when every token of it is plain (``_STRICT_TOKEN``). There every ``HTMLParser``
    version ends a start tag at its first ``>`` outside a quoted value, a comment at its first
    ``--``, a script or style element at its first ``</``, and reads text everywhere else, so
    the cuts fall on the parser's own token boundaries and each kept token is read exactly as
    inside the whole document. A skipped token is text outside ``<style>``, a comment, the
    doctype, an end tag, or a start tag neither in ``TAGS_WITH_URL_ATTRIBUTES`` nor carrying a
    ``style`` attribute: the collector takes no URL from any of them, and none changes how
    later tokens are read. One token that is not plain (a stray ``<``, an odd comment, a bare
    attribute value with ``=``, markup inside ``<title>``) sends the whole document to the parser.
    """
    kept: list[str] = []
    position = 0
    while position < len(html):
        token = _STRICT_TOKEN.match(html, position)
        if token is None:
            return html
        if token["skipped"] is None:
            kept.append(token[0])
        position = token.end()
    return "".join(kept)


def html_references(html: str) -> list[AssetReference]:
    """Every URL an HTML document makes the browser load without a click, in document order."""
    collector = _AssetCollector()
    collector.feed(_markup_that_may_load(html))
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
    # os.walk and a suffix test before any Path object: a large site holds tens of thousands
    # of pages and downloads, of which only the few stylesheets and scripts are read.
    shipped_code = sorted(Path(folder, name) for folder, _, names in os.walk(site_dir) for name in names
                          if os.path.splitext(name)[1] in READERS_BY_SUFFIX)
    for shipped in shipped_code:
        references = READERS_BY_SUFFIX[shipped.suffix](shipped.read_text(encoding="utf-8", errors="replace"))
        problems.extend(external_asset_problems(shipped.relative_to(site_dir).as_posix(), references))
    return problems
