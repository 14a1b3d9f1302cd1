"""MkDocs side of ``site_files``: files MkDocs lists but the plugin writes itself.

Why list them at all: links an author writes to a term page or to the bibliography's
downloads are checked by MkDocs against its files. Why MkDocs must not copy them: they are
written by the plugin straight into ``site_dir`` (see ``site_files``), possibly by a child
process still at work while MkDocs copies the static files, so there is nothing to copy yet.
"""

from __future__ import annotations

import os

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File


class WrittenByPlugin(File):
    """A site file the plugin writes itself: MkDocs knows its address but never copies it."""

    def copy_file(self, dirty: bool = False) -> None:
        """Nothing to do: the plugin writes the file (see the module docstring)."""


def written_by_plugin(config: MkDocsConfig, uri: str) -> WrittenByPlugin:
    """The site file ``uri`` (e.g. ``terms/attachment/index.html``), to be written by the plugin."""
    file = WrittenByPlugin.generated(config, uri, abs_src_path=site_path(config, uri))
    assert isinstance(file, WrittenByPlugin)
    return file


def site_path(config: MkDocsConfig, uri: str) -> str:
    """Where the site file ``uri`` goes in ``site_dir``."""
    return os.path.normpath(os.path.join(config.site_dir, uri))
