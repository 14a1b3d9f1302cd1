#!/usr/bin/env python3
"""What the knowledge-base plugin costs a build: time and peak memory, plugin on vs off.

    .venv/bin/python benchmarks/run.py --size medium --rounds 3 [--json out.json]
    .venv/bin/python benchmarks/run.py --size medium --scaling      # 2x terms, 2x pages
    .venv/bin/python benchmarks/run.py --size medium --rebuild      # `mkdocs serve`-style rebuild
    .venv/bin/python benchmarks/run.py --size medium --profile      # cProfile of one plugin build
    .venv/bin/python benchmarks/run.py --size medium --phases       # each build's time split by event
    .venv/bin/python benchmarks/run.py --size medium --compare /tmp/other-plugins/bin/python
                                                   # mkdocs-bibtex, mkdocs-ezglossary, both

Why ratios: the machines are shared and noisy, so seconds mean little from one day to the
next; the same corpus built with and without the plugin in one run, rounds interleaved
(off, on, off, on, ...) so drift hits both alike, gives a ratio that does. Every build is a
fresh ``python -m mkdocs build -q`` process, as a user runs it, and its peak memory and CPU
time are its own (``os.wait4``, and the memory of any child it forks sampled from ``/proc``),
not the runner's.

Sizes: ``real`` (the bundled site), ``small`` (CI smoke), ``medium`` and ``large``; see
``corpus.py`` for what they contain and ``README.md`` next to this file for results.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import logging
import multiprocessing
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parent.parent
if str(REPOSITORY) not in sys.path:  # run as a script: make `benchmarks.corpus` importable like the tests do
    sys.path.insert(0, str(REPOSITORY))

from benchmarks.corpus import (
    COMPARISON_CONFIGS,
    REAL,
    SIZES,
    WITH_PLUGIN,
    WITHOUT_PLUGIN,
    Corpus,
    CorpusSpec,
    copy_real_site,
    doubled,
    write_corpus,
)

PLUGIN_PACKAGE = "mkdocs_knowledge_base"
PLUGIN_LOGGERS = (f"mkdocs.plugins.{PLUGIN_PACKAGE}", PLUGIN_PACKAGE)
"""The plugin's loggers: ``get_plugin_logger`` names in the adapters, plain module names in the core."""


@dataclass(frozen=True)
class Variant:
    """One way to build the corpus: a configuration file of it, built by one Python."""

    name: str
    config: str
    python: str = sys.executable


PLAIN = Variant("off", WITHOUT_PLUGIN)
OURS = Variant("on", WITH_PLUGIN)
"""Build order within a round: off first, so the plugin never gets the warmer file cache for free."""


class BuildFailed(RuntimeError):
    """A benchmark build exited non-zero; carries MkDocs' own log so the cause is visible."""


@dataclass(frozen=True)
class BuildMeasurement:
    seconds: float
    """Wall time, what a user waits for (issue 6's measure)."""
    cpu_seconds: float
    """User + system CPU time of the build, its child processes included: barely moved by
    other processes on a shared machine."""
    peak_mib: float
    """Peak memory of the build: its process's resident memory plus what any child process
    it forks holds of its own (``tree_memory_sampler``), or the process's own peak when that
    is more (a spike between two samples)."""
    largest_process_mib: float = 0.0
    """The largest peak resident memory of any one process of the build (``ru_maxrss``)."""


class TreeMemorySampler:
    """The peak memory of a process and the children it forks, while it runs (Linux).

    Why: with the plugin, ``mkdocs build`` forks a child that writes the generated files
    (``site_files``), and ``os.wait4``'s ``ru_maxrss`` is the largest of the two processes,
    not what they hold together. A child shares the parent's memory until either writes to
    it, so what the build holds is the parent's resident memory plus the child's *private*
    memory (its ``Private_Clean`` + ``Private_Dirty``): both read from ``/proc`` every 20 ms
    (the parent's from ``statm``, which costs next to nothing to read).
    """

    INTERVAL = 0.02

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_bytes = 0
        self._page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        """Stop sampling; the peak in MiB (0 where ``/proc`` is not there to read)."""
        self._stop.set()
        self._thread.join()
        return self.peak_bytes / 2**20

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak_bytes = max(self.peak_bytes, self._resident(self.pid) + sum(
                    self._private(child) for child in self._children(self.pid)))
            except (OSError, ValueError):
                pass  # the process ended between two reads, or there is no /proc
            self._stop.wait(self.INTERVAL)

    def _resident(self, pid: int) -> int:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * self._page

    @staticmethod
    def _children(pid: int) -> list[int]:
        with open(f"/proc/{pid}/task/{pid}/children") as listing:
            children = [int(child) for child in listing.read().split()]
        return [*children, *(grandchild for child in children for grandchild in TreeMemorySampler._children(child))]

    @staticmethod
    def _private(pid: int) -> int:
        private = 0
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith(("Private_Clean:", "Private_Dirty:")):
                    private += int(line.split()[1]) * 1024
        return private


def empty_site_dir(site_dir: Path) -> None:
    """Delete a previous build's output and sync the disk, so the next build neither deletes it
    nor waits for the file system to finish doing so (see ``measure_build``)."""
    if site_dir.exists():
        shutil.rmtree(site_dir)
    os.sync()


def measure_build(config_file: Path, site_dir: Path, *, python: str = sys.executable,
                  options: Sequence[str] = ("-q",), over_previous_site: bool = False) -> BuildMeasurement:
    """Wall time, CPU time and peak memory of one ``mkdocs build`` in a fresh process.

    ``os.wait4`` returns the resource usage of exactly that process (and of the children it
    waited for), so the figures are the build's own, whatever the runner holds; the memory of
    the build's processes together is sampled meanwhile (``TreeMemorySampler``). Its log goes
    to a file (a pipe left unread could fill and stall the build) and is shown only when the
    build fails.

    The build writes into an empty folder: the previous round's output is deleted (and the
    disk synced) before the clock starts. Otherwise each build would begin by deleting what
    the previous build of the same variant wrote (MkDocs cleans ``site_dir``), a cost of the
    file system rather than of the build, and one that on this project's machine (ext4 with
    online discard) took longer than writing. ``over_previous_site`` measures that case too.
    """
    if not over_previous_site:
        empty_site_dir(site_dir)
    command = [python, "-m", "mkdocs", "build", *options, "-f", str(config_file), "-d", str(site_dir)]
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=config_file.parent, stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        sampler = TreeMemorySampler(process.pid)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        tree_peak_mib = sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here; Popen must not wait again
        if process.returncode != 0:
            log.seek(0)
            output = log.read().decode("utf-8", errors="replace")
            raise BuildFailed(f"{' '.join(command)} exited {process.returncode}:\n{output}")
    largest_process_mib = usage.ru_maxrss / 1024  # KiB
    return BuildMeasurement(seconds, usage.ru_utime + usage.ru_stime, max(tree_peak_mib, largest_process_mib),
                            largest_process_mib)


@dataclass
class Comparison:
    """All builds of one corpus, per variant, and what they say about each plugin's cost."""

    label: str
    builds: dict[str, list[BuildMeasurement]] = field(default_factory=dict)

    def median(self, variant: str, measure: str) -> float:
        """Median ``seconds``, ``cpu_seconds`` or ``peak_mib`` of a variant's builds."""
        return statistics.median(getattr(build, measure) for build in self.builds[variant])

    def ratio(self, variant: str, measure: str) -> float:
        """A variant's median over the plain build's median (1.15 = 15% more)."""
        return self.median(variant, measure) / self.median(PLAIN.name, measure)

    def plugin(self, measure: str = "seconds") -> float:
        """Our plugin's own time: what the median build with it adds to the median build without."""
        return self.median(OURS.name, measure) - self.median(PLAIN.name, measure)

    def summary(self) -> dict[str, Any]:
        return {"label": self.label, "rounds": len(self.builds[PLAIN.name]), "plugin_seconds": self.plugin(),
                "plugin_cpu_seconds": self.plugin("cpu_seconds"),
                "variants": {name: {"seconds": self.median(name, "seconds"), "cpu_seconds": self.median(name, "cpu_seconds"),
                                    "peak_mib": self.median(name, "peak_mib"), "time_ratio": self.ratio(name, "seconds"),
                                    "cpu_ratio": self.ratio(name, "cpu_seconds"),
                                    "memory_ratio": self.ratio(name, "peak_mib"),
                                    "builds": [asdict(build) for build in builds]}
                             for name, builds in self.builds.items()}}


def compare_builds(corpus: Corpus, rounds: int, label: str, variants: Sequence[Variant] = (PLAIN, OURS), *,
                   progress: Callable[[str], None] = lambda line: None, over_previous_site: bool = False) -> Comparison:
    """``rounds`` interleaved rounds, each building every variant of ``corpus`` once, in order."""
    comparison = Comparison(label, {variant.name: [] for variant in variants})
    for round_number in range(1, rounds + 1):
        for variant in variants:
            measurement = measure_build(corpus.root / variant.config, corpus.root / f"site-{variant.name}",
                                        python=variant.python, over_previous_site=over_previous_site)
            comparison.builds[variant.name].append(measurement)
            progress(f"{label} round {round_number}/{rounds} {variant.name}: {measurement.seconds:.2f} s "
                     f"(CPU {measurement.cpu_seconds:.2f} s), {measurement.peak_mib:.0f} MiB")
    return comparison


def comparison_table(comparisons: Sequence[Comparison]) -> str:
    """Our plugin on vs off, one row per corpus (Markdown, so it pastes into the README)."""
    lines = ["| corpus | rounds | off s | on s | time on/off | CPU on/off | plugin s (CPU) | off MiB | on MiB | memory on/off |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for c in comparisons:
        lines.append(f"| {c.label} | {len(c.builds[PLAIN.name])} | {c.median(PLAIN.name, 'seconds'):.2f} | "
                     f"{c.median(OURS.name, 'seconds'):.2f} | {c.ratio(OURS.name, 'seconds'):.2f}× | "
                     f"{c.ratio(OURS.name, 'cpu_seconds'):.2f}× | {c.plugin():.2f} ({c.plugin('cpu_seconds'):.2f}) | "
                     f"{c.median(PLAIN.name, 'peak_mib'):.0f} | {c.median(OURS.name, 'peak_mib'):.0f} | "
                     f"{c.ratio(OURS.name, 'peak_mib'):.2f}× |")
    return "\n".join(lines)


def variants_table(comparison: Comparison) -> str:
    """Every variant of one corpus against the plain build (``--compare``)."""
    lines = [f"| {comparison.label}: variant | s | time ÷ plain | CPU ÷ plain | MiB | memory ÷ plain |",
             "|---|---:|---:|---:|---:|---:|"]
    for name in comparison.builds:
        lines.append(f"| {name} | {comparison.median(name, 'seconds'):.2f} | {comparison.ratio(name, 'seconds'):.2f}× | "
                     f"{comparison.ratio(name, 'cpu_seconds'):.2f}× | {comparison.median(name, 'peak_mib'):.0f} | "
                     f"{comparison.ratio(name, 'peak_mib'):.2f}× |")
    return "\n".join(lines)


def spec_of(size: str, seed: int | None) -> CorpusSpec:
    """A synthetic size's spec, with another seed if one is given."""
    return SIZES[size] if seed is None else replace(SIZES[size], seed=seed)


def prepare_corpus(size: str, root: Path, *, seed: int | None = None, comparison: bool = False) -> Corpus:
    """The corpus of ``size`` written into ``root`` (the bundled site for ``real``)."""
    if size == REAL:
        return copy_real_site(REPOSITORY, root)
    return write_corpus(spec_of(size, seed), root, comparison=comparison)


def describe(corpus: Corpus) -> str:
    occurrences = "" if corpus.term_occurrences is None else f", {corpus.term_occurrences:,} term occurrences"
    return (f"{corpus.pages} pages, {corpus.words:,} words, {corpus.terms:,} terms, {corpus.references:,} references, "
            f"{corpus.citations:,} citations{occurrences}")


def scaling(size: str, workdir: Path, rounds: int, *, seed: int | None = None, progress: Callable[[str], None] = lambda line: None,
            over_previous_site: bool = False) -> tuple[list[Comparison], dict[str, dict[str, float]]]:
    """The plugin's own time on the ``size`` corpus, with twice its terms (same pages), and twice its pages.

    Targets of issue 6: twice the terms add < 5% to the plugin's time (one prebuilt matcher,
    never a loop over terms); twice the pages at most double it (linear in pages).
    """
    spec = spec_of(size, seed)
    variants = {"base": spec, "2× terms": doubled(spec, terms=True), "2× pages": doubled(spec, pages=True)}
    comparisons = []
    for label, variant in variants.items():
        corpus = write_corpus(variant, workdir / f"scaling-{len(comparisons)}")
        progress(f"{size} {label}: {describe(corpus)}")
        comparisons.append(compare_builds(corpus, rounds, f"{size} {label}", progress=progress,
                                          over_previous_site=over_previous_site))
    growth = {}
    for measure in ("seconds", "cpu_seconds"):
        base, terms, pages = (comparison.plugin(measure) for comparison in comparisons)
        growth[measure] = {"terms_growth_percent": (terms / base - 1) * 100, "pages_factor": pages / base}
    return comparisons, growth


def edit_one_page(docs: Path) -> tuple[Path, str]:
    """Append a sentence to the first page (as an author saving in an editor); returns it and its old text."""
    page = min(docs.glob("*.md"))
    original = page.read_text(encoding="utf-8")
    page.write_text(original + "\nA sentence added while `mkdocs serve` runs.\n", encoding="utf-8")
    return page, original


class _RecordingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def plugin_debug_records() -> Iterator[list[logging.LogRecord]]:
    """Every record the plugin logs (DEBUG included) while the block runs."""
    handler = _RecordingHandler()
    loggers = [logging.getLogger(name) for name in PLUGIN_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        for logger, level in zip(loggers, levels):
            logger.removeHandler(handler)
            logger.setLevel(level)


def in_fresh_interpreter(function: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """``function(*args)`` in a new Python process, so the plugin's module-level caches start empty
    whatever this process (or another mode) built before."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def _load_config(config_file: Path, site_dir: Path) -> Any:
    """A freshly loaded config with new plugin instances, as ``mkdocs serve`` loads one for each rebuild."""
    from mkdocs.config import load_config

    return load_config(str(config_file), site_dir=str(site_dir))


def rebuild(corpus: Corpus) -> dict[str, Any]:
    """Two in-process builds, one page edited in between: times and the plugin's parse/reuse messages.

    Shows what issue 6 asks: the second build must reuse the unchanged bibliography and
    lexicon (the plugin logs "reused" at DEBUG) rather than parse them again ("parsed").
    Run it in a fresh interpreter (``in_fresh_interpreter``): the first build must be cold.
    """
    from mkdocs.commands.build import build

    site_dir = corpus.root / "site-rebuild"
    _load_config(corpus.with_plugin, site_dir)  # imports theme and plugins: the first build is not charged for them
    report: dict[str, Any] = {"builds": []}
    page, original = None, ""
    try:
        for build_number in (1, 2):
            if build_number == 2:
                page, original = edit_one_page(corpus.root / "docs")
            with plugin_debug_records() as records:
                start = time.perf_counter()
                build(_load_config(corpus.with_plugin, site_dir))
                seconds = time.perf_counter() - start
            messages = [record.getMessage() for record in records]
            report["builds"].append({
                "seconds": seconds,
                "parsed": [m for m in messages if "parsed" in m.lower()],
                "reused": [m for m in messages if "reused" in m.lower()],
            })
    finally:
        if page is not None:
            page.write_text(original, encoding="utf-8")
    report["edited_page"] = page.name if page else None
    report["messages_present"] = any(b["parsed"] or b["reused"] for b in report["builds"])
    return report


def _in_package(filename: str) -> bool:
    return f"{os.sep}{PLUGIN_PACKAGE}{os.sep}" in filename


def plugin_code_seconds(stats: pstats.Stats) -> float:
    """Time inside the plugin's code, callees included: the sum over every call INTO the package.

    Entry points are the calls whose caller is outside the package (MkDocs running a hook,
    Python-Markdown running our processors); calls within the package are already inside
    their caller's cumulative time and are not counted twice.
    """
    total = 0.0
    for (filename, _, _), (_, _, _, _, callers) in stats.stats.items():  # type: ignore[attr-defined]
        if _in_package(filename):
            total += sum(edge[3] for caller, edge in callers.items() if not _in_package(caller[0]))
    return total


def phases(config_file: Path, site_dir: Path) -> dict[str, float]:
    """Wall seconds of one cold build into an empty ``site_dir``, split by where they went.

    Every plugin's handler of every event, Markdown's ``convert`` and Material's search
    indexer are wrapped with a timer, and a garbage-collector callback times collections:
    where the time goes without cProfile's overhead, which inflates Python-heavy code unevenly.
    Keys: ``build``, ``markdown convert``, ``search indexing``, ``garbage collection``, and
    ``<plugin module>: on_<event>``. Run it in a fresh interpreter (``in_fresh_interpreter``).
    """
    import gc

    import markdown
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.commands.build import build

    spent: dict[str, float] = {}

    def timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - start
        return wrapper

    collection_start = [0.0]

    def time_collections(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collection_start[0] = time.perf_counter()
        else:
            spent["garbage collection"] = spent.get("garbage collection", 0.0) + time.perf_counter() - collection_start[0]

    empty_site_dir(site_dir)
    config = _load_config(config_file, site_dir)
    for event, handlers in config.plugins.events.items():
        handlers[:] = [timed(f"{handler.__module__.split('.')[0]}: on_{event}", handler) for handler in handlers]
    markdown.Markdown.convert = timed("markdown convert", markdown.Markdown.convert)  # type: ignore[method-assign]
    SearchIndex.add_entry_from_context = timed("search indexing", SearchIndex.add_entry_from_context)  # type: ignore[method-assign]
    gc.callbacks.append(time_collections)
    timed("build", build)(config)
    return spent


def phases_table(off: dict[str, float], on: dict[str, float]) -> str:
    """Both builds' splits side by side, largest difference first (Markdown, for the README)."""
    lines = ["| where | off s | on s | on − off |", "|---|---:|---:|---:|"]
    for label in sorted({*off, *on}, key=lambda label: -(on.get(label, 0.0) - off.get(label, 0.0))):
        lines.append(f"| {label} | {off.get(label, 0.0):.2f} | {on.get(label, 0.0):.2f} | "
                     f"{on.get(label, 0.0) - off.get(label, 0.0):+.2f} |")
    return "\n".join(lines)


def profile(corpus: Corpus, output: Path, top: int) -> dict[str, Any]:
    """One cold plugin build under cProfile; ``output`` gets the ``.prof`` (for snakeviz, pstats).

    Run it in a fresh interpreter (``in_fresh_interpreter``), as a user's ``mkdocs build`` is.
    """
    from mkdocs.commands.build import build

    site_dir = corpus.root / "site-profile"
    _load_config(corpus.with_plugin, site_dir)  # imports theme and plugins: import time is not the plugin's
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    build(_load_config(corpus.with_plugin, site_dir))
    profiler.disable()
    seconds = time.perf_counter() - start
    profiler.dump_stats(output)
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(rf"{PLUGIN_PACKAGE}", top)
    return {"build_seconds": seconds, "plugin_seconds": plugin_code_seconds(stats), "profile": str(output),
            "top": text.getvalue()}


def machine() -> dict[str, Any]:
    """Where and on what code the numbers were measured (the commit, and whether the plugin had local edits)."""
    def git(*arguments: str) -> str:
        result = subprocess.run(["git", *arguments], cwd=REPOSITORY, capture_output=True, text=True, check=False)
        return result.stdout.strip()

    return {"date": datetime.now(UTC).isoformat(timespec="seconds"), "platform": platform.platform(),
            "python": platform.python_version(), "cpus": os.cpu_count(), "commit": git("rev-parse", "--short", "HEAD"),
            "plugin_edited": bool(git("status", "--porcelain", "--", "plugins"))}


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=[REAL, *SIZES], default="small")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved (off, on) rounds per corpus")
    parser.add_argument("--seed", type=int, help="another synthetic corpus of the same size")
    parser.add_argument("--scaling", action="store_true", help="plugin time with 2x terms and with 2x pages")
    parser.add_argument("--rebuild", action="store_true", help="two in-process builds, one page edited between")
    parser.add_argument("--profile", action="store_true", help="one plugin build under cProfile")
    parser.add_argument("--phases", action="store_true",
                        help="one build each way, wall time split by event, conversion, indexing, collections")
    parser.add_argument("--compare", metavar="PYTHON",
                        help="also build with mkdocs-bibtex, mkdocs-ezglossary and both, run by this Python "
                             "(a separate virtualenv that has them, never the project's)")
    parser.add_argument("--profile-output", type=Path, help="where the .prof goes (default: plugin-<size>.prof)")
    parser.add_argument("--top", type=int, default=30, help="profile entries to print")
    parser.add_argument("--json", type=Path, help="also write every measurement as JSON")
    parser.add_argument("--over-previous-site", action="store_true",
                        help="build over the previous round's output (MkDocs deletes it inside the timed build) "
                             "instead of into an empty folder")
    parser.add_argument("--workdir", type=Path, help="where corpora are written (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    if (args.scaling or args.compare) and args.size == REAL:
        sys.exit("--scaling and --compare need a synthetic size (small, medium, large)")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kb-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    results: dict[str, Any] = {"machine": machine(), "size": args.size, "over_previous_site": args.over_previous_site}
    try:
        corpus = prepare_corpus(args.size, workdir / args.size, seed=args.seed, comparison=bool(args.compare))
        print(f"{args.size}: {describe(corpus)}")
        if args.compare or not (args.scaling or args.rebuild or args.profile or args.phases):
            others = [Variant(name, config, args.compare) for name, config in COMPARISON_CONFIGS.items()] if args.compare else []
            comparison = compare_builds(corpus, args.rounds, args.size, [PLAIN, OURS, *others], progress=progress,
                                        over_previous_site=args.over_previous_site)
            results["comparison"] = comparison.summary()
            print(variants_table(comparison) if others else comparison_table([comparison]))
        if args.scaling:
            comparisons, growth = scaling(args.size, workdir, args.rounds, seed=args.seed, progress=progress,
                                          over_previous_site=args.over_previous_site)
            results["scaling"] = {"comparisons": [c.summary() for c in comparisons], **growth}
            print(comparison_table(comparisons))
            for measure, label in (("seconds", "wall"), ("cpu_seconds", "CPU")):
                print(f"2× terms: plugin {label} time {growth[measure]['terms_growth_percent']:+.1f}% (target < +5%); "
                      f"2× pages: ×{growth[measure]['pages_factor']:.2f} (linear: ≤ ×2)")
        if args.rebuild:
            report = results["rebuild"] = in_fresh_interpreter(rebuild, corpus)
            for number, build_report in enumerate(report["builds"], start=1):
                print(f"build {number}: {build_report['seconds']:.2f} s; parsed: {build_report['parsed'] or '-'}; "
                      f"reused: {build_report['reused'] or '-'}")
            if not report["messages_present"]:
                print("the plugin logged no 'parsed'/'reused' DEBUG message: cache use not shown")
        if args.phases:
            off, on = (in_fresh_interpreter(phases, corpus.root / variant.config, corpus.root / f"site-{variant.name}")
                       for variant in (PLAIN, OURS))
            results["phases"] = {"off": off, "on": on}
            print(phases_table(off, on))
        if args.profile:
            output = args.profile_output or Path(f"plugin-{args.size}.prof")
            report = results["profile"] = in_fresh_interpreter(profile, corpus, output, args.top)
            print(report["top"])
            print(f"build {report['build_seconds']:.2f} s under cProfile, {report['plugin_seconds']:.2f} s of it "
                  f"in {PLUGIN_PACKAGE} code ({report['plugin_seconds'] / report['build_seconds']:.0%}); "
                  f"profile written to {output}")
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
