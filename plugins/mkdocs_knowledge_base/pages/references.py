"""The reference list: every listed work once, in APA 7 order, with the notes that cite it.

Why back-links and per-work downloads: the list is where a reader checks a source, so it
must lead back to each place the work is cited and hand the reference to a reference
manager (BibTeX, RIS, CSL-JSON) or the clipboard in one click.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

EXPORT_FORMATS: tuple[tuple[str, str], ...] = (("bib", "BibTeX"), ("ris", "RIS"), ("json", "CSL-JSON"))
"""(file extension, label) of every export, in the order they are offered."""

EXPORTS_DIR = "references"
"""Site folder of the exports: ``references/<key>.bib`` and ``references/references.bib``..."""

WHOLE_DATABASE_STEM = "references"

_SAFE_STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}(?<!\.)")
"""A file name every file system and web server takes as it is: no path separator, no
leading dot (``..``, hidden files), no trailing dot, no space or other character that needs
URL-encoding, not too long."""
_NOT_SLUG = re.compile(r"[^A-Za-z0-9_-]+")
"""Dots go too: Windows reads ``con.x-1f.bib`` as its device ``con``."""
_WINDOWS_DEVICE = re.compile(r"(?:con|prn|aux|nul|com\d|lpt\d)(?:\..*)?", re.IGNORECASE)
"""Names Windows reserves for devices, whatever the extension: a copy of the site there breaks."""

LIST_SLOT = '<div class="kb-reference-list-slot"></div>'
"""Raw HTML put in the references page's Markdown; replaced by the list once notes are numbered."""

NOTHING_CITED = "No work is cited in the text yet."

GENERATED_PAGE_MARKDOWN = (
    "# References\n\n"
    "Every work cited in the notes of this site, in APA 7 order. Each entry links back to the "
    "notes that cite it and can be copied or downloaded for a reference manager.\n"
)


class ReferenceStyle(Protocol):
    """What the list needs from the APA style."""

    def reference_html(self, key: str) -> str: ...

    def reference_text(self, key: str) -> str: ...

    def sort_key(self, key: str) -> tuple: ...


@dataclass(frozen=True)
class NoteLink:
    """A note citing a work: its number, the page it is on, and its URL from the references page."""

    number: int
    page: str
    href: str


def export_stem(key: str) -> str:
    """The file name (without extension) of a work's exports: the key itself when it is a safe
    file name, else a slug of it plus a hash of the whole key.

    Why a function of the key alone: the reference list and the files written for it are
    produced in different places, and both must arrive at the same name. Collisions: a safe
    key is its own name, and keys are unique regardless of case (duplicates are refused when
    loading); an unsafe key's name carries 40 bits of its hash, and the whole database's name
    (``references``) is never given to a key.
    """
    if (_SAFE_STEM.fullmatch(key) and not _WINDOWS_DEVICE.fullmatch(key)
            and key.casefold() != WHOLE_DATABASE_STEM):
        return key
    ascii_key = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_key).strip("-_")[:60]
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
    return f"{slug}-{digest}" if slug else digest


def export_uri(stem: str, extension: str) -> str:
    """Site path of an export file, e.g. ``references/siegel1999.ris``."""
    return f"{EXPORTS_DIR}/{stem}.{extension}"


def exports_url(relative_url: Callable[[str], str]) -> str:
    """The URL of the exports folder from a page, as the start of each export's URL (``""``,
    ``"references/"``, ``"../references/"``...); ``relative_url(site_path)`` is a URL from that page.

    Why: a URL relative to a page is the folder's followed by the file name (unless the page's
    own address has a folder named like an export file), and every export is in one folder, so
    one call stands for one per file: 30,000 for a list of 10,000 works.
    """
    name = f"{WHOLE_DATABASE_STEM}.{EXPORT_FORMATS[0][0]}"
    return relative_url(export_uri(WHOLE_DATABASE_STEM, EXPORT_FORMATS[0][0])).removesuffix(name)


def reference_list_pieces(
    keys: Sequence[str],
    style: ReferenceStyle,
    cited_in: Mapping[str, Sequence[NoteLink]],
    exports_folder: str,
    *,
    database_exported: bool = True,
) -> list[str]:
    """Downloads of the whole database, then one ``<li id="ref-<key>">`` per key in APA order:
    the list's HTML in pieces, to be joined once with the rest of the page.

    Why pieces: a list of 10,000 works is over 10 MB of text, and every joined copy of it is
    twice that in memory once one character of it is beyond Latin-1 (an en dash); the pieces
    are small strings, most of them one byte a character.

    ``exports_folder``: the URL of the exports from the references page (see ``exports_url``).
    ``database_exported``: false when the bibliography is empty, so
    there is nothing to download. With no key, the list says so rather than being empty.
    """
    downloads = (f'<p class="kb-downloads">Download the whole bibliography: '
                 f'{_download_links(WHOLE_DATABASE_STEM, exports_folder, "the whole bibliography")}</p>\n'
                 if database_exported else "")
    if not keys:
        return [f'{downloads}<p class="kb-references-none">{NOTHING_CITED}</p>']
    entries = [_entry(key, style, cited_in.get(key, ()), exports_folder) + "\n" for key in sorted(keys, key=style.sort_key)]
    return [f'{downloads}<ul class="kb-references">\n', *entries, "</ul>"]


def searchable_reference_list(keys: Sequence[str], style: ReferenceStyle) -> str:
    """The list as the site search reads it: each work's reference and nothing else (its
    "Cited in" links and buttons would match every search for "RIS" or "notes").

    Each reference as its plain text (``reference_text``, the visible text of
    ``reference_html``), escaped: a search index keeps the text of ``<em>`` and ``<a>``, not
    the tags, so it is the same index without the three or four tags of each of thousands of
    references to read.
    """
    return "".join(f"<p>{html.escape(style.reference_text(key), quote=False)}</p>"
                   for key in sorted(keys, key=style.sort_key))


def _entry(key: str, style: ReferenceStyle, notes: Sequence[NoteLink], exports_folder: str) -> str:
    return (
        f'<li id="ref-{html.escape(key)}" class="kb-reference">'
        f'<p class="kb-reference-text">{style.reference_html(key)}</p>'
        f'<p class="kb-reference-meta">{_cited_in(notes)} '
        f'<span class="kb-reference-actions">'
        f'<button type="button" class="kb-copy"{_copied_text_attribute(style.reference_text(key))}>Copy APA</button> '
        f"{_download_links(export_stem(key), exports_folder, 'this reference')}</span></p></li>"
    )


def _copied_text_attribute(reference_text: str) -> str:
    """What the entry's Copy button carries: nothing, as a rule, because the script copies the
    text of the entry's ``kb-reference-text`` paragraph, which is the reference's plain text
    (``reference_html`` is that text escaped, in ``<em>`` and ``<a>`` at most).

    Why: the text repeated in a ``data-kb-copy`` attribute was a seventh of the list's size.
    The one character HTML keeps in an attribute but drops from text is NUL; a reference
    holding one carries its text in ``data-kb-copy`` as before, so the copy stays the same.
    """
    return f' data-kb-copy="{html.escape(reference_text, quote=True)}"' if "\0" in reference_text else ""


def _download_links(stem: str, exports_folder: str, what: str) -> str:
    href = html.escape(exports_folder + stem)
    return " ".join(
        f'<a class="kb-download" href="{href}.{extension}" '
        f'download="{html.escape(stem)}.{extension}" title="Download {what} as {label}">{label}</a>'
        for extension, label in EXPORT_FORMATS
    )


def _cited_in(notes: Sequence[NoteLink]) -> str:
    """"Cited in notes 1, 2, 5, 37, 54–57": runs of three or more consecutive notes on the same
    page become a range with both ends linked (the notes in between are next to them)."""
    if not notes:
        return '<span class="kb-cited-in">Not cited in the text.</span>'
    parts = []
    for run in _runs(notes):
        if len(run) >= 3:
            parts.append(f"{_note_link(run[0])}–{_note_link(run[-1])}")
        else:
            parts.extend(_note_link(note) for note in run)
    label = "Cited in note" if len(notes) == 1 else "Cited in notes"
    return f'<span class="kb-cited-in">{label} {", ".join(parts)}</span>'


def _runs(notes: Sequence[NoteLink]) -> list[list[NoteLink]]:
    runs: list[list[NoteLink]] = []
    for note in notes:
        previous = runs[-1][-1] if runs else None
        if previous and previous.page == note.page and note.number == previous.number + 1:
            runs[-1].append(note)
        else:
            runs.append([note])
    return runs


def _note_link(note: NoteLink) -> str:
    return f'<a class="kb-cited-in-note" href="{html.escape(note.href)}">{note.number}</a>'
