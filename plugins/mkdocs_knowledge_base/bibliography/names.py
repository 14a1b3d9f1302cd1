"""Reading pybtex ``Person`` names: group authors, surnames, given names, initials.

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
    """The name parts of a pybtex ``Person`` as a hashable value.

    Why: ``Person`` objects are unhashable and every entry has its own, yet the same author
    recurs across entries and rebuilds; this is the key for caching work done per name. It
    has the same attributes as ``Person``, so every function below accepts either.
    """

    first_names: tuple[str, ...]
    middle_names: tuple[str, ...]
    prelast_names: tuple[str, ...]
    last_names: tuple[str, ...]
    lineage_names: tuple[str, ...]

    @classmethod
    def of(cls, person: Person) -> NameParts:
        return cls(
            tuple(person.first_names),
            tuple(person.middle_names),
            tuple(person.prelast_names),
            tuple(person.last_names),
            tuple(person.lineage_names),
        )


AnyPerson = Person | NameParts
"""Anything with a ``Person``'s name-part attributes."""


def is_group(person: AnyPerson) -> bool:
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


def group_name(person: AnyPerson) -> str:
    """The verbatim name of a group author."""
    return decode(person.last_names[0])


def surname(person: AnyPerson) -> str:
    """Family name with its particles, as the author writes it (``van der Berg``)."""
    return " ".join(decode(part) for part in (*person.prelast_names, *person.last_names))


def family_name(person: AnyPerson) -> str:
    """Family name without the particles (CSL-JSON keeps particles in their own field)."""
    return " ".join(decode(part) for part in person.last_names)


def particle(person: AnyPerson) -> str:
    """The lower-case particles before the family name (``van der``)."""
    return " ".join(decode(part) for part in person.prelast_names)


def given_names(person: AnyPerson) -> str:
    """First and middle names as written (``Jeree H.``)."""
    return " ".join(decode(part) for part in (*person.first_names, *person.middle_names))


def lineage(person: AnyPerson) -> str:
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


def initials(person: AnyPerson) -> str:
    """APA initials of all given names: ``C. H.``, ``J.-P.``; empty for a mononym."""
    parts = (_initials_of_name(decode(name)) for name in (*person.first_names, *person.middle_names))
    return " ".join(part for part in parts if part)
