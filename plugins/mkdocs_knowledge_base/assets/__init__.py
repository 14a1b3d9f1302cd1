"""Front-end files (CSS, JavaScript) shipped inside the package and copied into every site.

Why here: the site must make zero third-party requests, so everything the browser needs
is a local file of ours, served from ``assets/knowledge-base/`` of the built site.
"""

from __future__ import annotations

from pathlib import Path

ASSETS_DIR = Path(__file__).resolve().parent
SITE_PREFIX = "assets/knowledge-base"

# accessibility.css and print.css come last: they adjust the component styles before them.
STYLESHEETS = ("knowledge-base.css", "citations.css", "lexicon.css", "accessibility.css", "print.css")
SCRIPTS = ("knowledge-base.js", "citations.js", "popover.js", "glossary.js", "accessibility.js")


def packaged_assets() -> list[tuple[str, Path]]:
    """Every shipped front-end file as ``(uri inside the site, path on disk)``."""
    return [
        (f"{SITE_PREFIX}/{path.relative_to(ASSETS_DIR).as_posix()}", path)
        for path in sorted(ASSETS_DIR.rglob("*"))
        if path.is_file() and path.suffix in {".css", ".js", ".svg", ".woff2"}
    ]
