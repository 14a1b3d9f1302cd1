"""Seeded synthetic knowledge bases in this project's own formats, for timing the plugin.

Why synthetic: the bundled paper (8 pages, 50 terms, 38 works) is far too small to show how
the plugin scales, and agencies' real sites are not ours to ship. The generator writes what
an agency would: Markdown pages with pandoc citations and ordinary prose in which lexicon
terms occur, a BibTeX database of mixed entry types with the name forms real databases have
(particles, hyphens, braces, LaTeX accents), and a ``terms.yml`` with aliases, multi-word
terms, acronyms, related terms and references. Everything comes from a seed, so two runs
(or two machines) time the same bytes.

Why two configuration files: the plugin's cost is reported as a ratio of builds of the SAME
pages with the plugin on (``with-plugin.yml``) and off (``without-plugin.yml``); the two
differ only in the ``knowledge-base`` plugin and the nav entries of its generated pages.

Why page and term generation are prefix-stable: ``--scaling`` compares N and 2N terms on the
same pages, and P and 2P pages with the same lexicon. Each page draws from its own random
stream (seed and page number) and only from the first ``text_terms`` terms, and terms are
drawn one after another from one stream, so a larger spec only ever adds files and entries.

Importable without MkDocs: the runner imports it before any build, and the smoke test checks
its output with plain YAML and text.
"""

from __future__ import annotations

import random
import re
import shutil
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from mkdocs_knowledge_base.lexicon.matcher import plural_forms
from mkdocs_knowledge_base.lexicon.stopwords import COMMON_WORDS

PLUGIN = "knowledge-base"
WITH_PLUGIN = "with-plugin.yml"
WITHOUT_PLUGIN = "without-plugin.yml"
BIBLIOGRAPHY = "references/references.bib"
LEXICON = "lexicon/terms.yml"
CITATION_BRACKET = re.compile(r"\[(?:see |also )?@[^\]]*\]")
"""A pandoc citation bracket as the generator (and the bundled paper) writes them."""
GENERATED_NAV = ({"Glossary": "glossary.md"}, {"References": "references.md"})
"""The plugin's generated pages, listed in the navigation of the with-plugin variant only."""


def _words(text: str) -> tuple[str, ...]:
    """A word list written as running text (one long literal per list keeps the lists readable)."""
    return tuple(text.split())


# Prose the matcher must read past: everyday English, none of it a term or part of one.
FILLER = _words("""
the a of and to in that is for with as on by this from at are be it which or an their was
these can when has more than other also have not but into its such may were each through
between both about within over how all who during they been those among while whether most
observed team visit weekly notes describe described shared several months later first after
before across provider providers session sessions parents' mother's father's child's older
younger toddler toddlers household households worker workers nurse nurses teacher teachers
report reports meeting meetings question questions answer plan plans goal goals progress
record records daily routine routines morning evening sleep feeding bath story stories
picture pictures voice face hands room floor table chair small large new long short clear
careful gentle quiet steady calm warm simple usual often sometimes rarely always never
again together alone still even just only very much many few little well better best
good hard easy slow quick able ready likely possible important useful common different
similar particular specific general local regional county state national community
neighborhood staff agency office clinic school center library phone letter form forms
consent schedule calendar week month year years day days hour hours minute minutes time
example examples case cases way ways part parts number point points area areas level levels
place places kind kinds group groups side sides end ends line lines step steps rest
discussed noted asked told heard saw looked showed felt seemed made took gave found kept
began started ended helped moved turned brought followed wrote read spoke waited returned
""")

# Term vocabulary, disjoint from FILLER: modifiers, head nouns, and the nouns aliases use.
MODIFIERS = _words("""
reflective relational sensory developmental parental prenatal perinatal postpartum
trauma-informed infant-led co-occurring attachment-based dyadic triadic emotional
behavioral cognitive linguistic motor protective adaptive responsive contingent maternal
paternal intergenerational cultural transdisciplinary interdisciplinary therapeutic
preventive clinical diagnostic neurobiological neurodevelopmental socio-emotional
self-directed home-based center-based family-centered strengths-based mindful secure
insecure disorganized ambivalent avoidant attuned synchronous reciprocal nurturing
regulatory dysregulated chronic acute toxic tolerable positive early-onset late-onset
""")
HEADS = _words("""
supervision assessment screening attunement regulation consultation intervention milestone
dyad caregiving wellbeing resilience temperament transition referral mentoring coaching
reflection observation attachment stress trauma repair rupture bonding engagement
availability sensitivity responsiveness synchrony mirroring containment holding
mentalization scaffolding exploration curiosity separation reunion grief loss neglect
maltreatment adversity vulnerability plasticity architecture pathway trajectory outcome
competency endorsement credential formulation diagnosis treatment evaluation eligibility
""")
ALIAS_HEADS = _words("""
guidance appraisal check-in alignment modulation advisement support-work benchmark
pairing tending thriving hardiness disposition handover handoff apprenticeship
""")

SURNAMES = (
    "Zeanah", "Lieberman", "Tronick", "Weatherston", "Fonagy", "Schore", "Heffron", "Beeghly",
    "Kalmanson", "Seligman", "Perry", "Shonkoff", "Meisels", "Fenichel", "Emde", "Stern",
    "Sameroff", "Gilkerson", "Osofsky", "Pawl", "Fraiberg", "Dozier", "Lyons-Ruth", "Slade",
    "Bowlby", "Ainsworth", "Winnicott", "Brazelton", "Nugent", "Sroufe", "Egeland", "Hesse",
    "Cicchetti", "Toth", "van der Berg", "de la Cruz", "van IJzendoorn", "von Klitzing",
    "Noro{\\~n}a", "M{\\\"u}ller", "Garc{\\'\\i}a Coll", "Ghosh Ippen", "Bakermans-Kranenburg",
    "O'Connor", "St. Clair", "D'Souza", "Nystr{\\\"o}m", "Brandt", "Harden", "Ordway",
)
GIVEN_NAMES = (
    "Charles H.", "Alicia F.", "Jean-Paul", "Mar{\\'\\i}a Jos{\\'e}", "C. H.", "Jo{\\~a}o",
    "Kathleen", "Bruce D.", "Ann", "Edward Z.", "Fran{\\c{c}}ois", "Bj{\\\"o}rn", "Deborah J.",
    "T. Berry", "Marinus H.", "Chandra", "Linda C.", "Robert N.", "Jack P.", "Dante",
)
GROUP_AUTHORS = (
    "Zero to Three Infant Mental Health Task Force",
    "National Scientific Council on the Developing Child",
    "Michigan Association for Infant Mental Health",
    "California Infant-Family and Early Childhood Mental Health Training Guidelines Workgroup",
    "Center on the Developing Child",
)
JOURNALS = (
    "Infant Mental Health Journal", "Zero to Three", "Child Development",
    "Journal of the American Academy of Child {\\&} Adolescent Psychiatry",
    "Development and Psychopathology", "Attachment {\\&} Human Development",
    "Infant Behavior and Development", "Journal of Early Intervention",
)
PUBLISHERS = ("Guilford Press", "Paul H. Brookes", "Zero to Three Press", "Basic Books",
              "Oxford University Press", "Routledge", "Jossey-Bass", "W. W. Norton")
INSTITUTIONS = ("Center on the Developing Child, Harvard University", "Michigan Department of Health",
                "Infant-Parent Program, University of California")
EDITIONS = ("2nd", "3rd", "third", "4")
BRACED_TITLE_WORDS = ("{IMH}", "{United States}", "{DC}:0--3", "{Head Start}", "{Michigan}")

ENTRY_TYPES = ("article", "book", "edited book", "incollection", "techreport", "misc")
ENTRY_WEIGHTS = (40, 10, 6, 18, 10, 16)
"""Mixed like a real IMH reference list: journal articles first, then chapters and web pages."""


@dataclass(frozen=True)
class CorpusSpec:
    """How big a synthetic knowledge base is; every count is exact except ``words_per_page``."""

    pages: int
    words_per_page: int
    terms: int
    references: int
    citations_per_page: int
    term_occurrences_per_page: int
    text_terms: int | None = None
    """How many of the first terms the pages draw from (default: all). Smaller than ``terms``
    when the scaling mode doubles the lexicon while keeping the pages byte for byte."""
    seed: int = 2026

    @property
    def terms_in_text(self) -> int:
        return min(self.text_terms or self.terms, self.terms)


SIZES: dict[str, CorpusSpec] = {
    "small": CorpusSpec(pages=10, words_per_page=400, terms=30, references=50,
                        citations_per_page=5, term_occurrences_per_page=15),
    "medium": CorpusSpec(pages=200, words_per_page=1000, terms=1000, references=2000,
                         citations_per_page=10, term_occurrences_per_page=30),
    "large": CorpusSpec(pages=1000, words_per_page=1500, terms=5000, references=10000,
                        citations_per_page=20, term_occurrences_per_page=40),
}
EZGLOSSARY_SECTION = "term"
COMPARISON_CONFIGS = {"mkdocs-bibtex": "mkdocs-bibtex.yml", "ezglossary": "ezglossary.yml",
                      "bibtex+ezglossary": "bibtex-ezglossary.yml"}
"""``--compare`` variants: the same corpus for mkdocs-bibtex, mkdocs-ezglossary and both."""
REAL = "real"
"""The bundled knowledge base itself (see ``copy_real_site``)."""


@dataclass
class Corpus:
    """A written MkDocs project: where its two configurations are, and what it contains."""

    root: Path
    pages: int
    terms: int
    references: int
    citations: int = 0
    """Citation brackets written into the pages (``[see @a; @b]`` counts once)."""
    term_occurrences: int | None = 0
    """Term spellings written into the pages, code spans included (those must stay unlinked);
    None for the bundled site, whose terms nobody counted."""
    words: int = 0
    entry_types: Counter[str] = field(default_factory=Counter)

    @property
    def with_plugin(self) -> Path:
        return self.root / WITH_PLUGIN

    @property
    def without_plugin(self) -> Path:
        return self.root / WITHOUT_PLUGIN


@dataclass(frozen=True)
class SyntheticTerm:
    """One lexicon entry before it is written: its spellings, acronym and links."""

    name: str
    aliases: tuple[str, ...]
    acronym: str | None
    related: tuple[str, ...]
    references: tuple[str, ...]

    @property
    def spellings(self) -> tuple[str, ...]:
        """What pages may write for this term: name, aliases, acronym (plurals are added on use)."""
        return (self.name, *self.aliases, *((self.acronym,) if self.acronym else ()))


def _ascii_letters(text: str) -> str:
    """A BibTeX key part from a LaTeX-ish name: accents and commands dropped, letters kept."""
    without_commands = re.sub(r"\\[a-zA-Z]+|\\.", "", text)
    folded = unicodedata.normalize("NFKD", without_commands).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", folded.lower())


def _capitalized(text: str) -> str:
    """First letter upper case, the rest as written (``str.capitalize`` would lower an acronym)."""
    return text[:1].upper() + text[1:]


def _sentence(rng: random.Random, words: int) -> list[str]:
    return rng.choices(FILLER, k=words)


def _title(rng: random.Random) -> str:
    """A sentence-case title, sometimes with a braced proper noun and a subtitle after a colon."""
    words = [*rng.sample(MODIFIERS, 2), rng.choice(HEADS), *_sentence(rng, rng.randint(2, 5))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(1, len(words)), rng.choice(BRACED_TITLE_WORDS))
    title = " ".join(words)
    if rng.random() < 0.5:
        title += ": " + _capitalized(" ".join([rng.choice(HEADS), *_sentence(rng, 3)]))
    return _capitalized(title)


def _people(rng: random.Random) -> list[str]:
    """BibTeX ``and``-joined names: mostly 1-3 people, sometimes many, sometimes a group author."""
    if rng.random() < 0.08:
        return ["{" + rng.choice(GROUP_AUTHORS) + "}"]
    count = rng.choices((1, 2, 3, 5, 8, 23), weights=(35, 30, 18, 10, 6, 1))[0]
    return [f"{rng.choice(SURNAMES)}, {rng.choice(GIVEN_NAMES)}" for _ in range(count)]


def _bibtex_fields(kind: str, rng: random.Random) -> dict[str, str]:
    """The fields of one entry of ``kind`` (an ``ENTRY_TYPES`` item): every field APA 7 needs, and more."""
    fields: dict[str, str] = {"title": _title(rng), "year": str(rng.randint(1965, 2025))}
    first_page = rng.randint(1, 600)
    page_range = f"{first_page}--{first_page + rng.randint(3, 40)}"
    if kind == "edited book":
        fields.update(editor=" and ".join(_people(rng)[:3]), publisher=rng.choice(PUBLISHERS))
        if rng.random() < 0.5:
            fields["edition"] = rng.choice(EDITIONS)
        return fields
    fields["author"] = " and ".join(_people(rng))
    if kind == "article":
        fields.update(journal=rng.choice(JOURNALS), volume=str(rng.randint(1, 45)), number=str(rng.randint(1, 6)),
                      pages=page_range)
        if rng.random() < 0.5:
            fields["doi"] = f"10.1002/imhj.{rng.randint(10000, 99999)}"
    elif kind == "book":
        fields.update(publisher=rng.choice(PUBLISHERS), address="New York")
    elif kind == "incollection":
        fields.update(editor=" and ".join(_people(rng)[:2]), booktitle=_title(rng), pages=page_range,
                      publisher=rng.choice(PUBLISHERS))
    elif kind == "techreport":
        fields["institution"] = rng.choice(INSTITUTIONS)
        if rng.random() < 0.6:
            fields.update(type="Working Paper", number=str(rng.randint(1, 20)))
    elif rng.random() < 0.3:
        fields["month"] = rng.choice(("January", "March", "June", "September"))
    return fields


def _key_stem(fields: dict[str, str]) -> str:
    """``zeanah2009``: the first creator's surname (a group's initials) and the year, as editors key works."""
    first = (fields.get("author") or fields["editor"]).split(" and ")[0]
    surname = "".join(word[0] for word in first.strip("{}").split()) if first.startswith("{") else first.split(",")[0]
    return f"{_ascii_letters(surname)}{fields['year']}"


def synthetic_bibliography(count: int, seed: int) -> tuple[list[str], str, Counter[str]]:
    """``count`` BibTeX entries: their keys (as authors write them), the file text, entry kinds."""
    rng = random.Random(f"{seed}:bibliography")
    keys: list[str] = []
    per_stem: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    chunks: list[str] = []
    for _ in range(count):
        kind = rng.choices(ENTRY_TYPES, weights=ENTRY_WEIGHTS)[0]
        fields = _bibtex_fields(kind, rng)
        stem = _key_stem(fields)
        earlier = per_stem[stem]  # same first author and year: zeanah2009, zeanah2009a, ...
        per_stem[stem] += 1
        key = stem if not earlier else f"{stem}{chr(ord('a') + earlier - 1)}" if earlier <= 26 else f"{stem}x{earlier}"
        if kind == "misc":
            fields["url"] = f"https://www.example.org/imh/{key}.pdf"
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
        entry_type = "book" if kind == "edited book" else kind
        chunks.append(f"@{entry_type}{{{key},\n{body},\n}}\n")
        keys.append(key)
        kinds[kind] += 1
    return keys, "\n".join(chunks), kinds


class _TermDrawer:
    """Draws distinct terms one after another from one random stream (so N terms are a prefix of 2N).

    Every spelling and its plurals is claimed on the way, as the lexicon loader would refuse
    a phrase claimed by two terms.
    """

    def __init__(self, seed: int, reference_keys: list[str]) -> None:
        self.rng = random.Random(f"{seed}:lexicon")
        self.reference_keys = reference_keys
        self.claimed: set[str] = set()
        self.names: list[str] = []

    def _claim(self, spelling: str) -> bool:
        """Take ``spelling`` (and its plurals) if no earlier term has it."""
        forms = {form if form.isupper() else form.lower() for form in (spelling, *plural_forms(spelling))}
        if forms & self.claimed:
            return False
        self.claimed |= forms
        return True

    def _name(self) -> str:
        """A head noun after 0, 1 or 2 modifiers (mostly one: most lexicon terms are two words)."""
        rng = self.rng
        while True:
            modifiers = rng.choices((0, 1, 2), weights=(6, 64, 30))[0]
            name = " ".join([*rng.sample(MODIFIERS, modifiers), rng.choice(HEADS)])
            if self._claim(name):
                return name

    def draw(self) -> SyntheticTerm:
        rng = self.rng
        name = self._name()
        words = name.split()
        aliases: list[str] = []
        if len(words) > 1 and rng.random() < 0.45:
            candidate = " ".join([*words[:-1], rng.choice(ALIAS_HEADS)])
            if self._claim(candidate):
                aliases.append(candidate)
        if len(words) == 3 and rng.random() < 0.3 and self._claim(" ".join(words[1:])):
            aliases.append(" ".join(words[1:]))
        acronym = "".join(word[0] for word in re.split(r"[\s-]+", name)).upper()
        # The loader refuses an alias that is an everyday word in any case ("IT", "AS").
        if not (len(words) > 1 and rng.random() < 0.12 and acronym.lower() not in COMMON_WORDS
                and self._claim(acronym)):
            acronym = None
        related = tuple(rng.sample(self.names, min(len(self.names), rng.randint(2, 4))))  # earlier terms only
        references = tuple(rng.sample(self.reference_keys, min(len(self.reference_keys), rng.randint(1, 2))))
        self.names.append(name)
        return SyntheticTerm(name, tuple(aliases), acronym, related, references)


def synthetic_terms(count: int, seed: int, reference_keys: list[str]) -> list[SyntheticTerm]:
    drawer = _TermDrawer(seed, reference_keys)
    return [drawer.draw() for _ in range(count)]


def lexicon_yaml(terms: list[SyntheticTerm], pages: int, seed: int) -> str:
    """``terms.yml`` as an editor writes it: definitions, sources, related terms, references."""
    rng = random.Random(f"{seed}:definitions")
    entries: list[dict[str, Any]] = []
    for index, term in enumerate(terms):
        sentences = [_capitalized(" ".join(_sentence(rng, rng.randint(10, 22)))) + "." for _ in range(rng.randint(1, 3))]
        if term.related:
            sentences.append(f"Compare *{term.related[0]}*.")
        entry: dict[str, Any] = {"term": term.name}
        if term.aliases or term.acronym:
            entry["aliases"] = list(term.spellings[1:])
        entry["definition"] = " ".join(sentences)
        entry["source"] = _page_path(index % pages)
        if term.related:
            entry["related"] = list(term.related)
        entry["references"] = list(term.references)
        entries.append(entry)
    return yaml.safe_dump({"terms": entries}, sort_keys=False, allow_unicode=True, width=100)


def _page_path(index: int) -> str:
    return f"chapter-{index + 1:04d}.md"


def _written_spelling(term: SyntheticTerm, rng: random.Random) -> str:
    """The term as a page writes it: its name, an alias, its acronym, or a plural of one."""
    spelling = rng.choice(term.spellings)
    plurals = plural_forms(spelling)
    return rng.choice(plurals) if plurals and rng.random() < 0.2 else spelling


def _citation(rng: random.Random, keys: list[str]) -> str:
    """A pandoc bracket in one of the shapes authors use: bare, locator, prefix, several works."""
    key = rng.choice(keys)
    shape = rng.random()
    if shape < 0.5:
        return f"[@{key}]"
    if shape < 0.7:
        return f"[@{key}, p. {rng.randint(1, 400)}]"
    if shape < 0.8:
        first = rng.randint(1, 400)
        return f"[@{key}, pp. {first}-{first + rng.randint(1, 9)}]"
    if shape < 0.9:
        return f"[see @{key}; @{rng.choice(keys)}, ch. {rng.randint(1, 12)}]"
    return f"[also @{key}, sec. {rng.randint(1, 9)}]"


@dataclass
class _Block:
    """A heading, paragraph or list item: sentences of words; a citation may close each sentence."""

    kind: str  # "heading", "paragraph", "item"
    sentences: list[list[str]]
    citations: dict[int, str] = field(default_factory=dict)

    def render(self) -> str:
        if self.kind == "heading":
            return "## " + _capitalized(" ".join(self.sentences[0]))
        text = " ".join(
            _capitalized(" ".join(words)) + "." + self.citations.get(number, "")
            for number, words in enumerate(self.sentences)
        )
        return f"- {text}" if self.kind == "item" else text


def as_written(term: SyntheticTerm, spelling: str) -> str:
    """Our plugin finds terms by itself: the page holds the plain spelling."""
    return spelling


def ezglossary_link(term: SyntheticTerm, spelling: str) -> str:
    """mkdocs-ezglossary links only what is marked: ``<term:name|text as written>``."""
    return f"<{EZGLOSSARY_SECTION}:{term.name}|{spelling}>"


def page_markdown(index: int, spec: CorpusSpec, terms: list[SyntheticTerm], keys: list[str],
                  write_term: Callable[[SyntheticTerm, str], str] = as_written) -> tuple[str, int, int]:
    """Page ``index``: sections of paragraphs and lists; terms and citations put at random places.

    Returns the Markdown, its number of filler words and of citation brackets. Term spellings
    go mostly into running text (through ``write_term``, so another glossary plugin's markup
    can wrap them), some into headings and code spans (never to be linked, so always plain);
    plurals, aliases and acronyms are all used. The random draws do not depend on
    ``write_term``: every syntax gets the same text.
    """
    rng = random.Random(f"{spec.seed}:page:{index}")
    blocks: list[_Block] = []
    words = 0
    while words < spec.words_per_page:
        if not blocks or rng.random() < 0.18:
            blocks.append(_Block("heading", [_sentence(rng, rng.randint(2, 5))]))
        kind = "item" if rng.random() < 0.15 else "paragraph"
        for _ in range(rng.randint(3, 5) if kind == "item" else 1):
            sentences = [_sentence(rng, rng.randint(8, 20)) for _ in range(1 if kind == "item" else rng.randint(3, 6))]
            words += sum(map(len, sentences))
            blocks.append(_Block(kind, sentences))
    text_blocks = [block for block in blocks if block.kind != "heading"]
    headings = [block for block in blocks if block.kind == "heading"]
    for _ in range(spec.term_occurrences_per_page):
        term = terms[rng.randrange(spec.terms_in_text)]
        spelling = _written_spelling(term, rng)
        place = rng.random()
        in_heading = place > 0.95
        text = f"`{spelling}`" if place < 0.08 else spelling if in_heading else write_term(term, spelling)
        target = rng.choice(headings) if in_heading else rng.choice(text_blocks)
        sentence = rng.choice(target.sentences)
        sentence.insert(rng.randint(1, len(sentence)), text)
    sentences = [(block, number) for block in text_blocks for number in range(len(block.sentences))]
    cited = rng.sample(sentences, min(spec.citations_per_page, len(sentences)))
    for block, number in cited:
        block.citations[number] = _citation(rng, keys)
    title = " ".join(_sentence(rng, 3)).title()
    body = "\n\n".join(block.render() for block in blocks)
    return f"# Chapter {index + 1}: {title}\n\n{body}\n", words, len(cited)


def _base_config(site_name: str, nav: list[Any]) -> dict[str, Any]:
    """The bundled site's theme settings and Markdown extensions, with the search plugin."""
    return {
        "site_name": site_name,
        "site_url": "https://kb.example.org/bench/",
        "theme": {"name": "material", "font": False, "features": ["navigation.sections", "toc.follow"]},
        "plugins": ["search"],
        "markdown_extensions": [
            "abbr", "admonition", "attr_list", "md_in_html", "footnotes", "tables",
            {"toc": {"permalink": True}}, "pymdownx.details", "pymdownx.superfences",
        ],
        "nav": nav,
    }


def _write_yaml(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def write_variants(root: Path, with_plugin: dict[str, Any]) -> None:
    """``with-plugin.yml`` = ``with_plugin``; ``without-plugin.yml`` = it without the plugin and its pages' nav.

    Derived, not written twice, so the two variants cannot drift apart in anything else.
    """
    generated = {page for item in GENERATED_NAV for page in item.values()}

    def is_generated(item: Any) -> bool:
        return isinstance(item, dict) and any(value in generated for value in item.values() if isinstance(value, str))

    without_plugin = {
        **with_plugin,
        "plugins": [plugin for plugin in with_plugin["plugins"] if not (isinstance(plugin, dict) and PLUGIN in plugin)],
        "nav": [item for item in with_plugin["nav"] if not is_generated(item)],
    }
    _write_yaml(root / WITH_PLUGIN, with_plugin)
    _write_yaml(root / WITHOUT_PLUGIN, without_plugin)


def write_comparison_variants(root: Path, spec: CorpusSpec, terms: list[SyntheticTerm], keys: list[str],
                              config: dict[str, Any]) -> None:
    """The same knowledge base for mkdocs-bibtex and mkdocs-ezglossary (issue 6's "side by side").

    mkdocs-bibtex reads the very pages of ``docs/`` (pandoc citations; without ``csl_file``
    it formats with pybtex, no pandoc). mkdocs-ezglossary needs its own ``docs-ezglossary/``:
    every term occurrence marked as a link, and a glossary page of definition lists.
    """
    docs = root / "docs-ezglossary"
    shutil.copytree(root / "docs", docs)
    for index in range(spec.pages):
        markdown, _, _ = page_markdown(index, spec, terms, keys, write_term=ezglossary_link)
        (docs / _page_path(index)).write_text(markdown, encoding="utf-8")
    rng = random.Random(f"{spec.seed}:definitions")
    definitions = [f"{EZGLOSSARY_SECTION}:{term.name}\n:   {_capitalized(' '.join(_sentence(rng, 16)))}.\n"
                   for term in terms]
    (docs / "glossary.md").write_text("# Glossary\n\n" + "\n".join(definitions) + f"\n<glossary::{EZGLOSSARY_SECTION}>\n",
                                      encoding="utf-8")
    bibtex = {"bibtex": {"bib_file": BIBLIOGRAPHY}}
    ezglossary = {"ezglossary": {"sections": [EZGLOSSARY_SECTION]}}
    glossary_site = {"docs_dir": docs.name, "markdown_extensions": [*config["markdown_extensions"], "def_list"],
                     "nav": [*config["nav"], GENERATED_NAV[0]]}
    for name, variant in (("mkdocs-bibtex", {"plugins": [*config["plugins"], bibtex]}),
                          ("ezglossary", {**glossary_site, "plugins": [*config["plugins"], ezglossary]}),
                          ("bibtex+ezglossary", {**glossary_site, "plugins": [*config["plugins"], bibtex, ezglossary]})):
        _write_yaml(root / COMPARISON_CONFIGS[name], {**config, **variant})


def write_corpus(spec: CorpusSpec, root: Path, *, comparison: bool = False) -> Corpus:
    """Write the knowledge base of ``spec`` into ``root`` (created; must not hold an older corpus).

    ``comparison``: also the configurations (and pages) of ``write_comparison_variants``.
    """
    docs = root / "docs"
    docs.mkdir(parents=True)
    (root / "references").mkdir()
    (root / "lexicon").mkdir()
    keys, bibtex, kinds = synthetic_bibliography(spec.references, spec.seed)
    (root / BIBLIOGRAPHY).write_text(bibtex, encoding="utf-8")
    terms = synthetic_terms(spec.terms, spec.seed, keys)
    (root / LEXICON).write_text(lexicon_yaml(terms, spec.pages, spec.seed), encoding="utf-8")
    corpus = Corpus(root, pages=spec.pages, terms=spec.terms, references=spec.references, entry_types=kinds)
    (docs / "index.md").write_text("# Synthetic knowledge base\n\nGenerated to time builds.\n", encoding="utf-8")
    nav: list[Any] = [{"Home": "index.md"}]
    for index in range(spec.pages):
        markdown, words, citations = page_markdown(index, spec, terms, keys)
        (docs / _page_path(index)).write_text(markdown, encoding="utf-8")
        if index % 25 == 0:
            nav.append({f"Part {index // 25 + 1}": []})
        nav[-1][f"Part {index // 25 + 1}"].append({f"Chapter {index + 1}": _page_path(index)})
        corpus.words += words
        corpus.citations += citations
        corpus.term_occurrences += spec.term_occurrences_per_page
    config = _base_config("Synthetic knowledge base", nav)
    options = {"bibliography": [BIBLIOGRAPHY], "lexicon": LEXICON, "warn_uncited": False, "warn_unused_terms": False}
    write_variants(root, {**config, "plugins": [*config["plugins"], {PLUGIN: options}], "nav": [*nav, *GENERATED_NAV]})
    if comparison:
        write_comparison_variants(root, spec, terms, keys, config)
    return corpus


class _EnvTagLoader(yaml.SafeLoader):
    """Reads ``mkdocs.yml`` without MkDocs: an ``!ENV [NAME, default]`` tag becomes its default."""


def _env_default(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    values = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [None]
    return values[-1] if len(values) > 1 else None


_EnvTagLoader.add_constructor("!ENV", _env_default)


def copy_real_site(repository: Path, root: Path) -> Corpus:
    """The bundled knowledge base copied into ``root``; the without variant drops the plugin.

    Without the plugin its pages show raw ``[@key]`` text and its generated pages are missing:
    that is the plain build the plugin's cost is compared with.
    """
    for folder in ("docs", "references", "lexicon", "overrides"):
        shutil.copytree(repository / folder, root / folder)
    write_variants(root, yaml.load((repository / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_EnvTagLoader))
    terms = yaml.safe_load((root / LEXICON).read_text(encoding="utf-8"))["terms"]
    bibtex = (root / BIBLIOGRAPHY).read_text(encoding="utf-8")
    pages = [path.read_text(encoding="utf-8") for path in (root / "docs").glob("*.md")]
    return Corpus(root, pages=len(pages), terms=len(terms), references=len(re.findall(r"^@\w+\{", bibtex, flags=re.MULTILINE)),
                  citations=sum(len(CITATION_BRACKET.findall(text)) for text in pages),
                  words=sum(len(text.split()) for text in pages), term_occurrences=None)


def doubled(spec: CorpusSpec, *, terms: bool = False, pages: bool = False) -> CorpusSpec:
    """``spec`` with twice the terms (the pages unchanged: they keep drawing from the first N) or pages."""
    return replace(spec, terms=spec.terms * (2 if terms else 1), text_terms=spec.terms_in_text,
                   pages=spec.pages * (2 if pages else 1))
