"""The term pages and export files are the same whether a child process writes them or not.

Why a test of its own: on Linux, ``mkdocs build`` writes them in a forked child while the
pages are rendered (``site_files``); everywhere else, and with ``background_work:
false``, the build's own process writes them. Readers must get the very same site.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mkdocs_knowledge_base import site_files
from tests.conftest import MKDOCS, bundled_config, repository_config

DATE_STAMPED = {"sitemap.xml", "sitemap.xml.gz"}


def _tree(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for path in sorted(site.rglob("*")) if path.is_file() and path.name not in DATE_STAMPED}


def _with_plugin_options(tmp_path: Path, **options: object) -> Path:
    """The bundled site's configuration, in ``tmp_path``, with these options of our plugin."""
    tmp_path.mkdir()
    plugins = repository_config()["plugins"]
    for plugin in plugins:
        if isinstance(plugin, dict) and "knowledge-base" in plugin:
            plugin["knowledge-base"].update(options)
    return bundled_config(tmp_path, plugins=plugins)


def _build(config: Path) -> str:
    """Build with ``--strict`` and ``-v``; returns MkDocs' log."""
    result = subprocess.run([*MKDOCS, "build", "-v", "--strict", "-f", str(config), "-d", str(config.parent / "site")],
                            cwd=config.parent, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stderr


@pytest.mark.skipif(not site_files.forking_is_safe(), reason="forking is not safe here (not Linux, or threads)")
def test_the_bundled_site_is_byte_identical_written_by_a_child_or_not(tmp_path: Path) -> None:
    assert "term pages and exports: written by a child process" in _build(
        _with_plugin_options(tmp_path / "child", background_work=True))
    assert "term pages and exports: written by this process" in _build(
        _with_plugin_options(tmp_path / "here", background_work=False))
    child_tree, here_tree = _tree(tmp_path / "child" / "site"), _tree(tmp_path / "here" / "site")
    assert sorted(child_tree) == sorted(here_tree)
    assert [name for name in child_tree if child_tree[name] != here_tree[name]] == []
    assert any(name.startswith("terms/") for name in child_tree) and "references/references.ris" in child_tree
