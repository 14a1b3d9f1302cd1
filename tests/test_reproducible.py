"""Two builds of the same sources produce byte-identical sites.

Why it matters: agencies mirror the site, diff a new build against the old one before
publishing, and archive editions; a build that changes bytes for no reason hides the real
changes. So the second build here changes everything that must not matter: the folder the
sources live in, their modification times, Python's hash seed (set and dict-of-str order)
and the order in which the operating system lists folders (shuffled for every listing, in
MkDocs, the theme and our plugin alike).

The only files MkDocs stamps with a date are ``sitemap.xml`` (``<lastmod>``, the build day)
and ``sitemap.xml.gz`` (the same day in its gzip header). MkDocs takes that day from
``SOURCE_DATE_EPOCH`` when it is set (the reproducible-builds.org convention), so builds
that set it are byte-identical all through; ``test_only_the_sitemap_carries_the_build_date``
pins down that nothing else depends on the date.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import REPO

SOURCES = ("mkdocs.yml", "docs", "references", "lexicon", "overrides")
"""Everything of the repository the bundled site is built from."""

EPOCH = 1_700_000_000
"""2023-11-14, the build date both builds claim."""
A_YEAR_LATER = EPOCH + 366 * 86_400

DATE_STAMPED = {"sitemap.xml", "sitemap.xml.gz"}

SHUFFLED_LISTINGS = textwrap.dedent("""\
    # Runs MkDocs with every directory listing (os.scandir, hence os.walk, pathlib and
    # shutil; os.listdir) in a random order, seeded by KB_LISTING_SEED.
    import os, random, runpy, sys
    shuffle = random.Random(int(os.environ["KB_LISTING_SEED"])).shuffle
    real_scandir, real_listdir = os.scandir, os.listdir

    class ShuffledScandir:
        def __init__(self, *args):
            with real_scandir(*args) as entries:
                self.entries = list(entries)
            shuffle(self.entries)
        def __iter__(self):
            return self
        def __next__(self):
            if not self.entries:
                raise StopIteration
            return self.entries.pop()
        def __enter__(self):
            return self
        def __exit__(self, *exc_info):
            return False
        def close(self):
            pass

    def shuffled_listdir(*args):
        names = real_listdir(*args)
        shuffle(names)
        return names

    os.scandir, os.listdir = ShuffledScandir, shuffled_listdir
    sys.argv = ["mkdocs", *sys.argv[1:]]
    runpy.run_module("mkdocs", run_name="__main__", alter_sys=True)
    """)


def copy_sources(target: Path, *, mtime: int | None = None) -> Path:
    """The bundled site's sources under ``target``, with every file's mtime set to ``mtime`` if given."""
    for name in SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    if mtime is not None:
        for path in target.rglob("*"):
            os.utime(path, (mtime, mtime))
    return target / "mkdocs.yml"


def build(config_file: Path, *, source_date_epoch: int, hash_seed: int, listing_seed: int) -> Path:
    """``mkdocs build --strict`` of ``config_file`` with the given date, hash seed and listing order."""
    site = config_file.parent / "site"
    environment = {**os.environ, "SOURCE_DATE_EPOCH": str(source_date_epoch), "PYTHONHASHSEED": str(hash_seed),
                   "KB_LISTING_SEED": str(listing_seed)}
    environment.pop("OFFLINE", None)
    result = subprocess.run([sys.executable, "-c", SHUFFLED_LISTINGS, "build", "--strict", "-f", str(config_file),
                             "-d", str(site)], cwd=config_file.parent, env=environment, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build failed (exit {result.returncode}):\n{result.stdout}")
    return site


def files_of(site: Path) -> dict[str, bytes]:
    """Every file of a built site: path relative to the site folder -> bytes."""
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()}


def differing_files(first: Path, second: Path) -> list[str]:
    """Files that exist in only one of the sites, or whose bytes differ."""
    one, other = files_of(first), files_of(second)
    return sorted(path for path in one.keys() | other.keys() if one.get(path) != other.get(path))


@pytest.fixture(scope="module")
def reference_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled site built once, as a CI would: fixed date, hash seed 0, shuffled listings."""
    sources = tmp_path_factory.mktemp("reproducible-first")
    return build(copy_sources(sources), source_date_epoch=EPOCH, hash_seed=0, listing_seed=1)


def test_two_builds_of_the_same_sources_are_byte_identical(reference_build: Path, tmp_path: Path) -> None:
    config_file = copy_sources(tmp_path, mtime=EPOCH - 86_400 * 1000)
    second = build(config_file, source_date_epoch=EPOCH, hash_seed=4242, listing_seed=2)
    assert len(files_of(reference_build)) > 100  # the whole site, exports and term pages included
    assert differing_files(reference_build, second) == []


def test_only_the_sitemap_carries_the_build_date(reference_build: Path, tmp_path: Path) -> None:
    later = build(copy_sources(tmp_path), source_date_epoch=A_YEAR_LATER, hash_seed=0, listing_seed=1)
    assert set(differing_files(reference_build, later)) == DATE_STAMPED
    assert "<lastmod>2024-11-14</lastmod>" in (later / "sitemap.xml").read_text(encoding="utf-8")
