"""Reading BibTeX names: group authors, surnames, given names, initials.

Why shared: APA formatting (``Surname, I. I.``), sorting, and the RIS/CSL-JSON exporters
all need the same decoded name parts, and they must agree on what a group author is.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from pybtex.database import Person

from mkdocs_knowledge_base.bibliography.latex import decode

_INITIAL_SOURCE = re.compile(r"[^\W\d_]")
"""The first letter of a given name (skips quotes, parentheses, digits)."""
_NAME_CHUNKS = re.compile(r"[.\s]+")


class NameParts(NamedTuple):
    """A person's name split into BibTeX's parts, exactly as pybtex's ``Person`` splits it.

    Why not ``Person``: pybtex makes a ``Person`` and five lists for every author slot; this is
    one immutable value the reader shares among all the works of the same author (a 10,000-work
    bibliography has some 28,000 author slots but about 1,000 distinct names), and the key for
    caching work done per name.
    """

    first_names: tuple[str, ...]
    middle_names: tuple[str, ...]
    prelast_names: tuple[str, ...]
    last_names: tuple[str, ...]
    lineage_names: tuple[str, ...]

    @classmethod
    def of(cls, person: Person) -> NameParts:
        """The parts of a pybtex ``Person`` (names pybtex read or that were built with it)."""
        return cls(
            tuple(person.first_names),
            tuple(person.middle_names),
            tuple(person.prelast_names),
            tuple(person.last_names),
            tuple(person.lineage_names),
        )


def is_group(person: NameParts) -> bool:
    """A group author is double-braced in BibTeX (``{{World Health Organization}}``).

    pybtex then sees a single last name still wrapped in braces and no other parts: such
    a name must be printed verbatim, never split into surname and initials.
    """
    return (
        len(person.last_names) == 1
        and not (person.first_names or person.middle_names or person.prelast_names or person.lineage_names)
        and person.last_names[0].startswith("{")
        and person.last_names[0].endswith("}")
    )


def group_name(person: NameParts) -> str:
    """The verbatim name of a group author."""
    return decode(person.last_names[0])


def surname(person: NameParts) -> str:
    """Family name with its particles, as the author writes it (``van der Berg``)."""
    return " ".join(decode(part) for part in (*person.prelast_names, *person.last_names))


def family_name(person: NameParts) -> str:
    """Family name without the particles (CSL-JSON keeps particles in their own field)."""
    return " ".join(decode(part) for part in person.last_names)


def particle(person: NameParts) -> str:
    """The lower-case particles before the family name (``van der``)."""
    return " ".join(decode(part) for part in person.prelast_names)


def given_names(person: NameParts) -> str:
    """First and middle names as written (``Jeree H.``)."""
    return " ".join(decode(part) for part in (*person.first_names, *person.middle_names))


def lineage(person: NameParts) -> str:
    """``Jr.``, ``III``: printed after the initials in APA."""
    return " ".join(decode(part) for part in person.lineage_names)


@lru_cache(maxsize=8192)
def _initials_of_name(name: str) -> str:
    """``Jean-Paul`` -> ``J.-P.``; ``J.H.`` -> ``J. H.``; ``Ann`` -> ``A.`` (cached: given names recur)."""
    hyphen_groups: list[str] = []
    for hyphen_group in name.split("-"):
        letters = []
        for chunk in _NAME_CHUNKS.split(hyphen_group):
            first_letter = _INITIAL_SOURCE.search(chunk)
            if first_letter:
                letters.append(first_letter.group().upper() + ".")
        if letters:
            hyphen_groups.append(" ".join(letters))
    return "-".join(hyphen_groups)


def bibtex_name(person: NameParts) -> str:
    """The name as BibTeX source, ``von Last, Jr, First``: what ``str(Person)`` gives in pybtex,
    so an exported entry re-reads to the same parts."""
    von_last = " ".join((*person.prelast_names, *person.last_names))
    first = " ".join((*person.first_names, *person.middle_names))
    return ", ".join(part for part in (von_last, " ".join(person.lineage_names), first) if part)


def initials(person: NameParts) -> str:
    """APA initials of all given names: ``C. H.``, ``J.-P.``; empty for a mononym."""
    parts = (_initials_of_name(decode(name)) for name in (*person.first_names, *person.middle_names))
    return " ".join(part for part in parts if part)
