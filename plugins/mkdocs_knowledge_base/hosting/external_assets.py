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
from typing import NamedTuple

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


_LOWER_CASE_NAME = r"[a-z][a-z0-9-]*+"

_QUICK_SKIPPED_RUN = re.compile(
    rf"""(?:
          [^<]++
        | </{_LOWER_CASE_NAME}>
        | <(?!{_any_of({*TAGS_WITH_URL_ATTRIBUTES, *TEXT_ELEMENTS})}){_LOWER_CASE_NAME}
          (?:\x20(?!style(?![a-z0-9-])){_LOWER_CASE_NAME}(?:="[^"]*+")?)*+/?>
    )++""",
    re.VERBOSE | re.ASCII,
)
"""A run of the commonest tokens that load nothing, in the one spelling generators print them.

Text; end tags; lower-case start tags neither in ``TAGS_WITH_URL_ATTRIBUTES`` nor among the
text elements, whose attributes are lower-case, separated by one space, valueless or
double-quoted, none named ``style``. Every string it matches is a run of tokens that the
``skipped`` alternative of ``_STRICT_TOKEN`` also accepts (a property test checks it); it runs
about twice as fast (case-sensitive, no white-space or quote variants) and stops before anything
else, which ``_STRICT_TOKEN`` then reads.
"""


def _plain_prefix(html: str, start: int, end: int) -> tuple[list[str], int]:
    """Read ``html[start:end]`` as a document of its own: the tokens that may load something, and
    where its plain HTML ends (``end`` when all of it is plain; else where the first token
    starts that is not plain or does not end before ``end``).

    ``start``/``end`` bound the regular expressions instead of slicing, so no text is copied;
    neither expression looks behind its start, so this reads exactly the slice.
    """
    kept: list[str] = []
    position = start
    while position < end:
        run = _QUICK_SKIPPED_RUN.match(html, position, end)
        if run is not None:
            position = run.end()
            if position == end:
                break
        token = _STRICT_TOKEN.match(html, position, end)
        if token is None:
            break
        if token["skipped"] is None:
            kept.append(token[0])
        position = token.end()
    return kept, position


def _markup_that_may_load(html: str) -> str:
    """The tokens of ``html`` that may load something, in order; all of ``html`` when it is not plain HTML.

    Why: parsing Material's navigation (thousands of tags per page, none of which loads
    anything) was the largest cost of the plugin on large sites.

    Why no asset can be missed: the result goes to the same ``_AssetCollector``. A document is
    cut only when every token of it is plain (``_STRICT_TOKEN``, or ``_QUICK_SKIPPED_RUN``, which
    accepts a subset of its skipped tokens). There every ``HTMLParser``
    version ends a start tag at its first ``>`` outside a quoted value, a comment at its first
    ``--``, a script or style element at its first ``</``, and reads text everywhere else, so
    the cuts fall on the parser's own token boundaries and each kept token is read exactly as
    inside the whole document. A skipped token is text outside ``<style>``, a comment, the
    doctype, an end tag, or a start tag neither in ``TAGS_WITH_URL_ATTRIBUTES`` nor carrying a
    ``style`` attribute: the collector takes no URL from any of them, and none changes how
    later tokens are read. One token that is not plain (a stray ``<``, an odd comment, a bare
    attribute value with ``=``, markup inside ``<title>``) sends the whole document to the parser.
    Character references (``&#47;``, ``&sol;``) cannot hide a loading tag either: the parser never
    decodes tag or attribute names, and it decodes the values of every kept token itself.
    """
    kept, plain_end = _plain_prefix(html, 0, len(html))
    return "".join(kept) if plain_end == len(html) else html


def _collected(markup: str) -> list[AssetReference]:
    """What ``_AssetCollector`` finds in ``markup`` read as a whole document."""
    collector = _AssetCollector()
    collector.feed(markup)
    collector.close()
    return collector.references


def html_references(html: str) -> list[AssetReference]:
    """Every URL an HTML document makes the browser load without a click, in document order."""
    return _collected(_markup_that_may_load(html))


PIECE_LENGTH = 2048
"""About how long a remembered piece of a page is (it ends at the first line end after this many
characters): shorter pieces re-read less text around a change, longer ones take fewer steps to compare."""

RESUME_STEPS = (1, 2, 4, 8)
"""Which of the previous page's pieces after a change are looked for (the next, the one after,
the fourth, the eighth): four searches find the end of a change of up to eight pieces."""

CHANGE_SLACK = 2048
"""How much longer or shorter than in the previous page a changed stretch may be and still be
found around (a longer one, like a page's own content, is read as new up to the next change seen
from the other end)."""

LONGEST_REMEMBERED_CHANGE = 1_000_000
"""A changed stretch longer than this (characters) is read but not remembered: it is content, such
as a reference list, that no other page repeats, and remembering it would copy it."""


class _Piece(NamedTuple):
    """A stretch of a page that is plain HTML read on its own, and what it loads."""

    text: str
    """Empty for a stretch that is not remembered (``LONGEST_REMEMBERED_CHANGE``)."""
    references: tuple[AssetReference, ...]


class RepeatedMarkupScanner:
    """``html_references`` for the successive pages of one build, reading again only what changed.

    Why: a site's pages share most of their markup (head, header, the whole navigation,
    footer, scripts); on a large site the navigation alone is hundreds of kilobytes per page.
    Comparing text is far cheaper than tokenizing it, so each page is cut into pieces
    compared with the pieces of the previous page: the same text gives the same references,
    and only the changed stretches are tokenized. Memory: the previous page's pieces, and
    what each distinct token that may load loads.

    Why the result is exactly ``html_references(page)``: every piece is plain HTML read as a
    document of its own (``_plain_prefix``), and the page is the concatenation of its pieces.
    A concatenation of plain token sequences is a plain token sequence (two texts meeting at
    a cut are one text, which loads nothing), so by the argument of ``_markup_that_may_load``
    the collector reads each kept token exactly as inside the whole page, and the references
    of the page are those of its pieces, in order. The collector carries nothing from one
    complete token to the next: only ``<style>`` sets its state, and a plain ``<style>`` is
    one token with its end tag. A reused piece is compared character for character, never
    by hash. How the page is cut only decides how much is re-read; a page that is not plain
    HTML throughout is read by ``html_references`` as a whole.
    """

    def __init__(self) -> None:
        self._previous_pieces: list[_Piece] = []
        self._references_by_token: dict[str, tuple[AssetReference, ...]] = {}

    def references(self, html: str) -> list[AssetReference]:
        """Every URL the page ``html`` makes the browser load without a click, in document order."""
        pieces = self._pieces(html)
        if pieces is None:
            return html_references(html)
        self._previous_pieces = [piece for piece in pieces if piece.text]
        return [reference for piece in pieces for reference in piece.references]

    def _pieces(self, html: str) -> list[_Piece] | None:
        """``html`` as plain pieces, those equal to pieces of the previous page reused; None when not plain.

        Equal pieces are taken from both ends; at a change, the next few previous pieces are
        looked for a little further on (forwards, then backwards from the other end), and the
        stretch skipped to reach one is read as new. What is left in the middle is new.
        """
        previous = self._previous_pieces
        start, end = 0, len(html)
        first, last = 0, len(previous)
        leading: list[_Piece] = []
        trailing: list[_Piece] = []
        while True:
            # Slices compared, not startswith(): a page with one non-Latin-1 character is stored
            # two bytes a character, its ASCII pieces one, and startswith() then compares
            # character by character, slower than copying and comparing bytes.
            while first < last:
                piece = previous[first]
                if len(piece.text) > end - start or html[start:start + len(piece.text)] != piece.text:
                    break
                leading.append(piece)
                start += len(piece.text)
                first += 1
            while first < last:
                piece = previous[last - 1]
                if len(piece.text) > end - start or html[end - len(piece.text):end] != piece.text:
                    break
                trailing.append(piece)
                end -= len(piece.text)
                last -= 1
            if first == last or start == end:
                break
            if (resumed := self._resume_forwards(html, start, end, first, last)) is not None:
                found, first = resumed
                changed = self._new_pieces(html, start, found)
                if changed is None:
                    return None
                leading += changed
                start = found
            elif (resumed := self._resume_backwards(html, start, end, first, last)) is not None:
                found_end, last = resumed
                changed = self._new_pieces(html, found_end, end)
                if changed is None:
                    return None
                trailing += reversed(changed)
                end = found_end
            else:
                break
        middle = self._new_pieces(html, start, end)
        if middle is None:
            return None
        return leading + middle + trailing[::-1]

    def _resume_forwards(self, html: str, start: int, end: int, first: int, last: int) -> tuple[int, int] | None:
        """Where in ``html[start:end]`` a previous piece after ``first`` starts, and its index; None if not near.

        Each piece is looked for where it would be if the changed stretch kept its length,
        give or take ``CHANGE_SLACK``.
        """
        previous = self._previous_pieces
        skipped, index = 0, first
        for step in RESUME_STEPS:
            if first + step >= last:
                break
            while index < first + step:
                skipped += len(previous[index].text)
                index += 1
            text = previous[index].text
            expected = start + skipped
            found = html.find(text, max(start, expected - CHANGE_SLACK), min(end, expected + len(text) + CHANGE_SLACK))
            if found >= 0:
                # A far step may have jumped over unchanged pieces: take those back.
                while index - 1 > first and html.endswith(previous[index - 1].text, start, found):
                    index -= 1
                    found -= len(previous[index].text)
                return found, index
        return None

    def _resume_backwards(self, html: str, start: int, end: int, first: int, last: int) -> tuple[int, int] | None:
        """Where in ``html[start:end]`` a previous piece before ``last - 1`` ends, and the index after it; None if not near."""
        previous = self._previous_pieces
        skipped, index = 0, last - 1
        for step in RESUME_STEPS:
            if last - 1 - step < first:
                break
            while index > last - 1 - step:
                skipped += len(previous[index].text)
                index -= 1
            text = previous[index].text
            expected_end = end - skipped
            # Both bounds kept within [start, end]: a negative one would count from the end of the page.
            found = html.rfind(text, max(start, expected_end - len(text) - CHANGE_SLACK),
                               max(start, min(end, expected_end + CHANGE_SLACK)))
            if found >= 0:
                found_end = found + len(text)
                while index + 1 < last - 1 and html.startswith(previous[index + 1].text, found_end, end):
                    index += 1
                    found_end += len(previous[index].text)
                return found_end, index + 1
        return None

    def _new_pieces(self, html: str, start: int, end: int) -> list[_Piece] | None:
        """``html[start:end]`` read as new, in pieces of about ``PIECE_LENGTH`` that are each plain HTML; None if it is not."""
        if end - start > LONGEST_REMEMBERED_CHANGE:
            kept, plain_end = _plain_prefix(html, start, end)
            return [_Piece("", self._token_references(kept))] if plain_end == end else None
        pieces: list[_Piece] = []
        position = start
        while position < end:
            cut = _line_end_after(html, position + PIECE_LENGTH, end)
            kept, plain_end = _plain_prefix(html, position, cut)
            while plain_end == position and cut < end:
                # The token at `position` goes on past the cut (a long script, a multi-line tag): a twice longer piece.
                cut = _line_end_after(html, 2 * cut - position, end)
                kept, plain_end = _plain_prefix(html, position, cut)
            if plain_end == position:
                return None
            pieces.append(_Piece(html[position:plain_end], self._token_references(kept)))
            position = plain_end
        return pieces

    def _token_references(self, tokens: list[str]) -> tuple[AssetReference, ...]:
        """What the plain ``tokens`` load, in order, each token parsed once per build.

        Exact for the same reason as the pieces: each token is complete, so it is read alone as
        within any sequence of plain tokens. Why: the tokens of a page's head that change from
        page to page (canonical link, title) sit among a dozen that do not.
        """
        if not tokens:
            return ()
        references: list[AssetReference] = []
        for token in tokens:
            if (found := self._references_by_token.get(token)) is None:
                found = self._references_by_token[token] = tuple(_collected(token))
            references += found
        return tuple(references)


def _line_end_after(html: str, position: int, end: int) -> int:
    """Just after the first line end at or after ``position`` in ``html[:end]``; ``end`` if there is none."""
    line_end = html.find("\n", position, end) if position < end else -1
    return end if line_end < 0 else line_end + 1


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
