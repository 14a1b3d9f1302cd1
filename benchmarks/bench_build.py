#!/usr/bin/env python3
"""Time full builds of a large synthetic knowledge base, with the plugin on and off.

Why a ratio: the machines are shared and noisy, so absolute seconds mean little; the cost
of the plugin is reported as (build time with the plugin) / (build time without it) on the
same generated corpus, measured in one run, alternating the two variants.

    .venv/bin/python benchmarks/bench_build.py --pages 200 --terms 400 --references 2000 --rounds 3
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

WORDS = (
    "child caregiver relationship practice support early family development regulation "
    "service team therapist home visit observation growth language play safety trust"
).split()


def synthetic_term(index: int) -> str:
    """A two-word term that is unlikely to collide with the filler vocabulary."""
    return f"concept{index} practice"


def write_corpus(root: Path, *, pages: int, terms: int, references: int, seed: int = 7) -> None:
    """Generate docs/, a BibTeX database and a lexicon whose sizes are given by the arguments."""
    rng = random.Random(seed)
    docs = root / "docs"
    docs.mkdir(parents=True)
    keys = [f"author{i}{1990 + i % 30}" for i in range(references)]
    with (root / "refs.bib").open("w", encoding="utf-8") as bib:
        for i, key in enumerate(keys):
            bib.write(
                f"@article{{{key},\n  author = {{Surname{i}, Given and Other{i % 17}, Ann B.}},\n"
                f"  title = {{A study of {{Topic}} number {i}: Findings and {{IMH}} implications}},\n"
                f"  journal = {{Journal of Synthetic Studies}},\n  volume = {{{i % 40 + 1}}},\n"
                f"  number = {{{i % 4 + 1}}},\n  pages = {{{i % 300 + 1}--{i % 300 + 15}}},\n"
                f"  year = {{{1990 + i % 30}}},\n  doi = {{10.5555/synthetic.{i}}}\n}}\n\n"
            )
    lexicon = {
        "terms": [
            {
                "term": synthetic_term(i),
                "aliases": [f"concept{i} practices alias"],
                "definition": f"Definition of concept {i}, used to time the build.",
                "related": [synthetic_term((i + 1) % terms)],
                "references": [keys[i % references]],
            }
            for i in range(terms)
        ]
    }
    (root / "terms.yml").write_text(yaml.safe_dump(lexicon, sort_keys=False), encoding="utf-8")
    nav = []
    for p in range(pages):
        lines = [f"# Chapter {p}", ""]
        for section in range(5):
            lines += [f"## Section {section}", ""]
            for _ in range(6):
                words = rng.choices(WORDS, k=60)
                words.insert(rng.randrange(60), synthetic_term(rng.randrange(terms)))
                words.insert(rng.randrange(60), synthetic_term(rng.randrange(terms)))
                lines.append(" ".join(words) + f".[@{rng.choice(keys)}]")
                lines.append("")
        (docs / f"chapter-{p}.md").write_text("\n".join(lines), encoding="utf-8")
        nav.append({f"Chapter {p}": f"chapter-{p}.md"})
    (docs / "index.md").write_text("# Synthetic knowledge base\n", encoding="utf-8")
    base = {
        "site_name": "Benchmark",
        "theme": {"name": "material", "font": False},
        "markdown_extensions": ["attr_list", "md_in_html", "footnotes", "toc"],
        "nav": [{"Home": "index.md"}, *nav],
    }
    with_plugin = dict(base)
    with_plugin["nav"] = [*base["nav"], {"Glossary": "glossary.md"}, {"References": "references.md"}]
    with_plugin["plugins"] = [
        "search",
        {"knowledge-base": {"bibliography": ["refs.bib"], "lexicon": "terms.yml", "list_uncited": True,
                            "warn_uncited": False, "warn_unused_terms": False}},
    ]
    without_plugin = dict(base, plugins=["search"])
    (root / "with-plugin.yml").write_text(yaml.safe_dump(with_plugin, sort_keys=False), encoding="utf-8")
    (root / "without-plugin.yml").write_text(yaml.safe_dump(without_plugin, sort_keys=False), encoding="utf-8")


def time_build(root: Path, config_name: str) -> float:
    """Wall-clock seconds of one ``mkdocs build`` in a fresh process (as a user runs it)."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / config_name), "-d", str(root / "site")],
        cwd=root, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--terms", type=int, default=400)
    parser.add_argument("--references", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_corpus(root, pages=args.pages, terms=args.terms, references=args.references)
        on: list[float] = []
        off: list[float] = []
        for _ in range(args.rounds):
            off.append(time_build(root, "without-plugin.yml"))
            on.append(time_build(root, "with-plugin.yml"))
    median_on, median_off = statistics.median(on), statistics.median(off)
    sys.stdout.write(
        f"corpus: {args.pages} pages, {args.terms} terms, {args.references} references, {args.rounds} rounds\n"
        f"median build without plugin: {median_off:.2f} s\n"
        f"median build with plugin:    {median_on:.2f} s\n"
        f"ratio (on / off):            {median_on / median_off:.2f}\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
