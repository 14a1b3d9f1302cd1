"""The benchmark harness still works: its corpus is what the spec says, and both variants build.

No timing assertion: CI machines are shared and noisy (the ratios live in
``benchmarks/README.md``). What can break silently is the harness itself: a generator that
writes a lexicon the plugin rejects, a without-plugin variant that differs in more than the
plugin, or pages that change when the scaling mode doubles the lexicon.
"""

from __future__ import annotations

import cProfile
import pstats
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from mkdocs_knowledge_base.bibliography.database import load_bibliography
from mkdocs_knowledge_base.lexicon.loader import load_lexicon, parse_lexicon
from mkdocs_knowledge_base.lexicon.matcher import TermMatcher
from mkdocs_knowledge_base.lexicon.model import slugify

from benchmarks.corpus import (
    CITATION_BRACKET,
    COMPARISON_CONFIGS,
    EZGLOSSARY_SECTION,
    PLUGIN,
    REAL,
    SIZES,
    WITH_PLUGIN,
    WITHOUT_PLUGIN,
    Corpus,
    CorpusSpec,
    copy_real_site,
    doubled,
    lexicon_yaml,
    synthetic_bibliography,
    synthetic_terms,
    write_corpus,
)
from benchmarks.run import (
    OURS,
    PLAIN,
    BuildFailed,
    BuildMeasurement,
    Comparison,
    in_fresh_interpreter,
    measure_build,
    phases,
    phases_table,
    plugin_code_seconds,
    prepare_corpus,
)
from tests.conftest import REPO

TINY = CorpusSpec(pages=3, words_per_page=150, terms=12, references=10, citations_per_page=3,
                  term_occurrences_per_page=5)


def tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def chapters(root: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted((root / "docs").glob("chapter-*.md"))}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return prepare_corpus("small", tmp_path_factory.mktemp("bench") / "small")


@pytest.fixture(scope="module")
def small_sites(small: Corpus) -> dict[str, Path]:
    """Both variants built once with ``--strict`` (no ``-q``: it would hide the warnings strict counts)."""
    sites = {}
    for variant, config in (("on", small.with_plugin), ("off", small.without_plugin)):
        measurement = measure_build(config, small.root / f"site-{variant}", options=("--strict",))
        assert measurement.seconds > 0 and measurement.peak_mib > 0
        sites[variant] = small.root / f"site-{variant}"
    return sites


def test_small_corpus_has_the_requested_counts(small: Corpus) -> None:
    spec = SIZES["small"]
    pages = chapters(small.root)
    assert len(pages) == small.pages == spec.pages
    assert [len(CITATION_BRACKET.findall(text)) for text in pages.values()] == [spec.citations_per_page] * spec.pages
    assert small.citations == spec.pages * spec.citations_per_page
    assert small.words >= spec.pages * spec.words_per_page
    lexicon, problems = load_lexicon(small.root / "lexicon/terms.yml")
    assert problems == []
    assert len(lexicon.terms) == small.terms == spec.terms
    assert any(len(term.term.split()) > 1 for term in lexicon.terms)
    assert any(term.aliases for term in lexicon.terms)
    assert any(alias.isupper() for term in lexicon.terms for alias in term.aliases)
    bibtex = (small.root / "references/references.bib").read_text(encoding="utf-8")
    assert len(re.findall(r"^@\w+\{", bibtex, flags=re.MULTILINE)) == small.references == spec.references
    assert set(small.entry_types) == {"article", "book", "edited book", "incollection", "techreport", "misc"}


def test_every_written_term_spelling_is_one_match(small: Corpus) -> None:
    """The plugin's matcher finds exactly the spellings the generator wrote (the filler never
    spells a term, and no two written spellings merge into one longer term)."""
    lexicon, _ = load_lexicon(small.root / "lexicon/terms.yml")
    matcher = TermMatcher(lexicon.terms)
    found = sum(len(list(matcher.find_all(text))) for text in chapters(small.root).values())
    assert found == small.term_occurrences == SIZES["small"].pages * SIZES["small"].term_occurrences_per_page


def test_with_plugin_site_has_glossary_references_and_numbered_notes(small: Corpus, small_sites: dict[str, Path]) -> None:
    site = small_sites["on"]
    glossary = (site / "glossary/index.html").read_text(encoding="utf-8")
    assert all(f'href="../terms/{term_id}/"' in glossary for term_id in _term_ids(small))
    assert len(re.findall(r'<li[^>]* id="ref-', (site / "references/index.html").read_text(encoding="utf-8"))) > 0
    chapter = (site / "chapter-0001/index.html").read_text(encoding="utf-8")
    assert 'id="kb-note-1"' in chapter and 'class="kb-term"' in chapter


def test_without_plugin_site_is_plain(small_sites: dict[str, Path]) -> None:
    site = small_sites["off"]
    assert not (site / "glossary").exists() and not (site / "references").exists()
    chapter = (site / "chapter-0001/index.html").read_text(encoding="utf-8")
    assert "[@" in chapter and "kb-note" not in chapter


def test_medium_data_has_no_problem_the_plugin_would_report(tmp_path: Path) -> None:
    """Larger sizes are only built by hand: their BibTeX and lexicon (twice the terms, as
    ``--scaling`` writes it) must still be clean, or the timings include warning paths."""
    spec = doubled(SIZES["medium"], terms=True)
    keys, bibtex, _ = synthetic_bibliography(spec.references, spec.seed)
    (tmp_path / "references.bib").write_text(bibtex, encoding="utf-8")
    bibliography = load_bibliography([tmp_path / "references.bib"])
    assert bibliography.problems == [] and list(bibliography.entries) == keys
    text = lexicon_yaml(synthetic_terms(spec.terms, spec.seed, keys), spec.pages, spec.seed)
    lexicon, problems = parse_lexicon(text, "terms.yml", known_reference_keys=set(keys))
    assert problems == [] and len(lexicon.terms) == spec.terms


def _term_ids(corpus: Corpus) -> list[str]:
    lexicon, _ = load_lexicon(corpus.root / "lexicon/terms.yml")
    return [term.id for term in lexicon.terms]


def test_generator_is_deterministic(tmp_path: Path) -> None:
    first, again = write_corpus(TINY, tmp_path / "first"), write_corpus(TINY, tmp_path / "again")
    other = write_corpus(CorpusSpec(**{**TINY.__dict__, "seed": TINY.seed + 1}), tmp_path / "other")
    assert tree(first.root) == tree(again.root)
    assert tree(first.root) != tree(other.root)


def test_doubled_terms_keep_the_pages_and_doubled_pages_keep_the_first_pages(tmp_path: Path) -> None:
    """What ``--scaling`` relies on: 2N terms on the very same pages, and P pages as a prefix of 2P."""
    base = write_corpus(TINY, tmp_path / "base")
    more_terms = write_corpus(doubled(TINY, terms=True), tmp_path / "terms")
    more_pages = write_corpus(doubled(TINY, pages=True), tmp_path / "pages")
    assert chapters(more_terms.root) == chapters(base.root)
    base_terms = [entry["term"] for entry in yaml.safe_load((base.root / "lexicon/terms.yml").read_text())["terms"]]
    doubled_terms = [entry["term"] for entry in yaml.safe_load((more_terms.root / "lexicon/terms.yml").read_text())["terms"]]
    assert len(doubled_terms) == 2 * len(base_terms) and doubled_terms[:len(base_terms)] == base_terms
    assert more_pages.pages == 2 * base.pages
    assert {name: text for name, text in chapters(more_pages.root).items() if name in chapters(base.root)} == chapters(base.root)


@pytest.mark.parametrize("make", [lambda root: write_corpus(TINY, root), lambda root: copy_real_site(REPO, root)],
                         ids=["synthetic", REAL])
def test_variants_differ_only_in_the_plugin_and_its_pages(tmp_path: Path, make: Callable[[Path], Corpus]) -> None:
    corpus = make(tmp_path / "corpus")
    with_plugin = yaml.safe_load((corpus.root / WITH_PLUGIN).read_text(encoding="utf-8"))
    without_plugin = yaml.safe_load((corpus.root / WITHOUT_PLUGIN).read_text(encoding="utf-8"))
    plugins = [p for p in with_plugin["plugins"] if not (isinstance(p, dict) and PLUGIN in p)]
    assert len(plugins) == len(with_plugin["plugins"]) - 1
    nav = [item for item in with_plugin["nav"] if item not in ({"Glossary": "glossary.md"}, {"References": "references.md"})]
    assert len(nav) == len(with_plugin["nav"]) - 2
    assert without_plugin == {**with_plugin, "plugins": plugins, "nav": nav}


def test_comparison_corpus_has_the_same_text_in_ezglossary_syntax(tmp_path: Path) -> None:
    """``--compare`` must time the other plugins on our text: only the term markup may differ."""
    corpus = write_corpus(TINY, tmp_path / "corpus", comparison=True)
    marked = {path.name: path.read_text(encoding="utf-8") for path in (corpus.root / "docs-ezglossary").glob("chapter-*.md")}
    link = re.compile(rf"<{EZGLOSSARY_SECTION}:([^|>]+)\|([^>]+)>")
    assert sum(len(link.findall(text)) for text in marked.values()) > 0
    assert {name: link.sub(r"\2", text) for name, text in marked.items()} == chapters(corpus.root)
    plain = yaml.safe_load((corpus.root / WITHOUT_PLUGIN).read_text(encoding="utf-8"))

    def shared(config: dict[str, object]) -> dict[str, object]:
        return {key: value for key, value in config.items() if key not in ("plugins", "docs_dir", "markdown_extensions", "nav")}

    for config_name in COMPARISON_CONFIGS.values():
        config = yaml.safe_load((corpus.root / config_name).read_text(encoding="utf-8"))
        assert shared(config) == shared(plain)
        assert config["markdown_extensions"][:len(plain["markdown_extensions"])] == plain["markdown_extensions"]
        assert config["plugins"][:len(plain["plugins"])] == plain["plugins"] and len(config["plugins"]) > len(plain["plugins"])


def test_failed_build_raises_with_the_mkdocs_log(tmp_path: Path) -> None:
    corpus = write_corpus(TINY, tmp_path / "corpus")
    (corpus.root / "references/references.bib").unlink()
    with pytest.raises(BuildFailed, match="references.bib"):
        measure_build(corpus.with_plugin, corpus.root / "site")


def test_comparison_reports_medians_ratios_and_the_plugins_own_time() -> None:
    def builds(*seconds: float) -> list[BuildMeasurement]:
        return [BuildMeasurement(value, value / 2, value * 10) for value in seconds]

    comparison = Comparison("corpus", {PLAIN.name: builds(1.0, 9.0, 2.0), OURS.name: builds(5.0, 4.0, 30.0)})
    assert comparison.median(OURS.name, "seconds") == 5.0
    assert comparison.ratio(OURS.name, "seconds") == 2.5 and comparison.ratio(OURS.name, "peak_mib") == 2.5
    assert comparison.plugin() == 3.0 and comparison.plugin("cpu_seconds") == 1.5
    assert comparison.summary()["variants"][PLAIN.name]["time_ratio"] == 1.0


@pytest.mark.parametrize(("work", "in_plugin"), [(lambda: slugify("Mutual Regulation") * 3000, True),
                                                  (lambda: "mutual regulation".title() * 3000, False)],
                         ids=["plugin-code", "other-code"])
def test_plugin_code_seconds_counts_only_calls_into_the_package(work: Callable[[], object], in_plugin: bool) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(2000):
        work()
    profiler.disable()
    stats = pstats.Stats(profiler)
    seconds = plugin_code_seconds(stats)
    assert (seconds > 0) is in_plugin
    assert seconds <= stats.total_tt  # type: ignore[attr-defined]


def test_phases_split_a_build_by_event_and_the_table_puts_the_largest_difference_first(small: Corpus) -> None:
    on = in_fresh_interpreter(phases, small.with_plugin, small.root / "site-phases")
    assert {"build", "markdown convert", "search indexing", "mkdocs_knowledge_base: on_env"} <= set(on)
    assert on["markdown convert"] < on["build"]
    assert (small.root / "site-phases" / "index.html").is_file()
    table = phases_table({"build": 1.0, "markdown convert": 0.5}, {"build": 1.5, "markdown convert": 0.6, "x: on_env": 0.2})
    assert table.splitlines()[2:] == ["| build | 1.00 | 1.50 | +0.50 |", "| x: on_env | 0.00 | 0.20 | +0.20 |",
                                      "| markdown convert | 0.50 | 0.60 | +0.10 |"]
