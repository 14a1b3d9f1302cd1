"""Shared fixtures: building the bundled knowledge base and tiny throw-away sites.

Builds run ``mkdocs build --strict`` in a subprocess, exactly as a user would, so a
warning from our plugin (or from MkDocs) fails the fixture with the log in the message.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml
from mkdocs.utils.yaml import get_yaml_loader
from pybtex.database import parse_string

from mkdocs_knowledge_base.bibliography.entry import BibEntry

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "what-is-infant-mental-health.txt"
MKDOCS = [sys.executable, "-m", "mkdocs"]

BOWLBY_BIB = """\
    @book{bowlby1969,
      author = {Bowlby, John},
      title = {Attachment and loss},
      year = {1969},
      publisher = {Basic Books},
    }
    """
"""A one-book bibliography for tiny test sites (``make_site(bib=BOWLBY_BIB)``)."""


def pybtex_entries(bibtex: str) -> dict[str, BibEntry]:
    """The entries pybtex itself reads in a BibTeX snippet, as the bibliography's records, by key."""
    return {key: BibEntry.from_pybtex(entry) for key, entry in parse_string(bibtex, "bibtex").entries.items()}


def run_mkdocs_build(config_file: Path, site_dir: Path, *, strict: bool = True) -> subprocess.CompletedProcess[str]:
    """Build a site in a subprocess; returns the finished process (stdout+stderr in ``.stdout``)."""
    # No `-q`: it silences warnings before MkDocs counts them, so `--strict` would never fail.
    command = [*MKDOCS, "build", "-f", str(config_file), "-d", str(site_dir)]
    if strict:
        command.append("--strict")
    return subprocess.run(command, cwd=config_file.parent, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def build_or_fail(config_file: Path, site_dir: Path, *, strict: bool = True) -> Path:
    """Build and fail the calling test with MkDocs' own log when the build fails."""
    result = run_mkdocs_build(config_file, site_dir, strict=strict)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build failed (exit {result.returncode}):\n{result.stdout}")
    return site_dir


def repository_config() -> dict[str, Any]:
    """The repository's ``mkdocs.yml`` as plain data, read with MkDocs' own loader (it resolves ``!ENV``)."""
    with open(REPO / "mkdocs.yml", encoding="utf-8") as source:
        return yaml.load(source, Loader=get_yaml_loader())


def nav_sources(items: list[Any] | None = None) -> list[str]:
    """Source paths of the navigation's pages in reading order (the repository's nav by default)."""
    found: list[str] = []
    for item in repository_config()["nav"] if items is None else items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        found.extend(nav_sources(value) if isinstance(value, list) else [value])
    return found


def bundled_config(tmp_dir: Path, **overrides: Any) -> Path:
    """A copy of the repository's ``mkdocs.yml`` with top-level keys overridden, pointing at the repo's files."""
    config = repository_config()
    config.update(overrides)
    config["docs_dir"] = str(REPO / "docs")
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(REPO / theme["custom_dir"])
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "knowledge-base" in plugin:
            options = plugin["knowledge-base"]
            options["bibliography"] = [str(REPO / p) for p in options.get("bibliography", [])]
            if options.get("lexicon"):
                options["lexicon"] = str(REPO / options["lexicon"])
    path = tmp_dir / "mkdocs.yml"
    path.write_text(yaml.dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled knowledge base built once per test session with ``--strict``; returns the site folder."""
    work = tmp_path_factory.mktemp("bundled")
    return build_or_fail(REPO / "mkdocs.yml", work / "site")


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """Factory: write a tiny site (pages, bib, lexicon, plugin options) into ``tmp_path`` and build it.

    ``make_site(pages={"index.md": "..."}, bib="@book{...}", lexicon="terms: ...",
    options={...}, config={...}, strict=True)`` returns the built site folder.
    """

    def _make(
        pages: dict[str, str],
        *,
        bib: str | None = None,
        lexicon: str | None = None,
        options: dict[str, Any] | None = None,
        config: dict[str, Any] | None = None,
        strict: bool = True,
    ) -> Path:
        docs = tmp_path / "docs"
        for name, text in pages.items():
            target = docs / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(text), encoding="utf-8")
        plugin_options: dict[str, Any] = {"bibliography": []}
        if bib is not None:
            (tmp_path / "refs.bib").write_text(textwrap.dedent(bib), encoding="utf-8")
            plugin_options["bibliography"] = ["refs.bib"]
        if lexicon is not None:
            (tmp_path / "terms.yml").write_text(textwrap.dedent(lexicon), encoding="utf-8")
            plugin_options["lexicon"] = "terms.yml"
        plugin_options.update(options or {})
        site_config: dict[str, Any] = {
            "site_name": "Tiny",
            "site_url": "https://example.org/kb/",
            "theme": {"name": "material", "font": False},
            "plugins": ["search", {"knowledge-base": plugin_options}],
            "markdown_extensions": ["attr_list", "md_in_html", "footnotes", {"toc": {"permalink": True}}],
        }
        site_config.update(config or {})
        config_file = tmp_path / "mkdocs.yml"
        config_file.write_text(yaml.dump(site_config, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return build_or_fail(config_file, tmp_path / "site", strict=strict)

    return _make
