"""Options of the ``knowledge-base`` plugin, as set under ``plugins:`` in ``mkdocs.yml``.

Every option has a default that fits the bundled knowledge base, so a re-branding agency
only touches the ``citation`` block (who publishes the site) and, maybe, file paths.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class SiteCitationConfig(base.Config):
    """How the site itself is cited ("Cite this page"): set once by the hosting agency."""

    organization = c.Optional(c.Type(str))
    """Group author of the site, e.g. "Example County Early Intervention". Defaults to ``site_author``."""
    year = c.Optional(c.Type(int))
    """Year of publication of this edition of the site."""
    title = c.Optional(c.Type(str))
    """Title of the whole document. Defaults to ``site_name``."""


class KnowledgeBaseConfig(base.Config):
    """All options of the plugin."""

    # Bibliography and citations
    bibliography = c.ListOfItems(c.File(exists=True), default=["references/references.bib"])
    """BibTeX files, relative to ``mkdocs.yml``; their folder is watched by ``mkdocs serve``."""
    note_numbering = c.Choice(("site", "page"), default="site")
    """``site``: notes are numbered 1..N across the whole site in navigation order; ``page``: per page."""
    references_page = c.Type(str, default="references.md")
    """Where the reference list lives (generated when the file does not exist in ``docs/``)."""
    list_uncited = c.Type(bool, default=False)
    """List every entry of the database on the references page, cited or not."""
    warn_uncited = c.Type(bool, default=True)
    """Warn about database entries no page cites."""

    # Lexicon
    lexicon = c.Optional(c.File(exists=True))
    """The lexicon YAML file, relative to ``mkdocs.yml`` (e.g. ``lexicon/terms.yml``)."""
    link_terms = c.Choice(("section", "page", "every"), default="section")
    """Link a term at its first occurrence per h2 section, per page, or at every occurrence."""
    glossary_page = c.Type(str, default="glossary.md")
    """Where the A–Z glossary lives (generated)."""
    terms_dir = c.Type(str, default="terms")
    """Folder (inside the site) of the generated term pages."""
    warn_unused_terms = c.Type(bool, default=True)
    """Warn about lexicon terms the document never uses."""

    # Citing the site
    citation = c.SubConfig(SiteCitationConfig)

    # Building
    background_work = c.Type(bool, default=True)
    """Write the term pages and export files, and check the built pages, in child processes
    while MkDocs renders the pages (Linux, ``mkdocs build``); ``false`` does it all in the
    build's own process, as always happens elsewhere and under ``mkdocs serve``."""

    # Hosting
    check_external_assets = c.Type(bool, default=True)
    """Fail (warn, so ``--strict`` fails) when a built page loads an asset from another host."""
