"""The MkDocs adapter: wires the MkDocs-agnostic core to MkDocs build events.

Each hook has one job, and a comment saying why it lives on that event. Nothing in here
parses BibTeX, matches terms or formats references: the subpackages do that with plain
inputs and outputs, so the core can move to another static-site generator.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from mkdocs_knowledge_base import assets
from mkdocs_knowledge_base.config import KnowledgeBaseConfig
from mkdocs_knowledge_base.errors import DataProblem

log = get_plugin_logger(__name__)


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):
    """Lexicon links and popovers, numbered APA 7 notes, reference list, generated pages."""

    supports_multiple_instances = False

    def report(self, problems: list[DataProblem]) -> None:
        """Log each user-data problem as one warning with file and line (fails ``--strict``)."""
        for problem in problems:
            log.warning(str(problem))

    # on_config: the theme's extra CSS/JS lists must be extended before templates see them.
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        config.extra_css.extend(f"{assets.SITE_PREFIX}/{name}" for name in assets.STYLESHEETS)
        config.extra_javascript.extend(f"{assets.SITE_PREFIX}/{name}" for name in assets.SCRIPTS)
        return config

    # on_files: our packaged assets become site files like any file of docs/.
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        for uri, path in assets.packaged_assets():
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        return files
