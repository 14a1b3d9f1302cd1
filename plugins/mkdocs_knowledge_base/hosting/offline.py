"""Make Material's offline build (a folder opened from disk, ``file://``) fully self-contained.

Why: browsers refuse web workers on ``file://``, so Material's ``offline`` plugin adds the
``iframe-worker`` shim to the theme's ``extra.polyfills`` — as a URL on unpkg.com. An
offline copy on a shared drive cannot reach it (search stays empty) and an intranet must
not contact it. The shim ships vendored inside this package (see ``assets/vendor/``);
this swaps the CDN URL for the local file. Everything else the offline plugin does
(``use_directory_urls: false``, the search index as a script) already works from disk.
"""

from __future__ import annotations

from collections.abc import Iterable

from mkdocs_knowledge_base.assets import SITE_PREFIX
from mkdocs_knowledge_base.hosting.external_assets import is_external

VENDORED_IFRAME_WORKER = f"{SITE_PREFIX}/vendor/iframe-worker/shim.js"
"""Site path of the vendored shim (``packaged_assets`` copies it like any shipped file)."""


def localize_iframe_worker(polyfills: Iterable[object]) -> list[object]:
    """The theme's polyfill list with any remote ``iframe-worker`` replaced by the vendored copy.

    Other entries (local ones, or a script the user configured as a mapping) stay as they
    are: if they load from another host, the external-asset check names them.
    """
    return [
        VENDORED_IFRAME_WORKER
        if isinstance(script, str) and is_external(script) and "iframe-worker" in script
        else script
        for script in polyfills
    ]
