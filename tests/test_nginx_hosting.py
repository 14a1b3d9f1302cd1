"""The built site works from a sub-path of a real web server, as an agency's intranet hosts it.

A real nginx (not Python's test server) serves the site at ``/kb/`` — while ``site_url``
says ``https://kb.example.org/imh/`` — and a crawler follows every internal link, anchor
and asset from the home page. Any absolute or site-root URL, missing page, missing
``#anchor`` or asset would show up here as broken, so the site is proven relocatable.
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest

from tests.conftest import build_or_fail, bundled_config
from mkdocs_knowledge_base.hosting.external_assets import css_references, srcset_urls

pytestmark = pytest.mark.nginx

SUB_PATH = "/kb/"

NGINX_CONF = """\
daemon off;
worker_processes 1;
{user_directive}
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
    types {{
        text/html html; text/css css; text/javascript js; application/json json; text/xml xml;
        image/svg+xml svg; image/png png; image/jpeg jpg jpeg; image/webp webp; font/woff2 woff2;
        application/gzip gz; text/plain txt bib ris;
    }}
    default_type application/octet-stream;
    access_log {work}/access.log;
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location {sub_path} {{
            alias {site}/;
            index index.html;
            error_page 404 {sub_path}404.html;
        }}
    }}
}}
"""


def find_nginx() -> str:
    """The nginx binary; a loud skip locally when absent, a failure in CI where it must exist."""
    found = shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(path, os.X_OK)), None
    )
    if found is None:
        message = "no `nginx` binary (Debian: apt-get install nginx-light): sub-path hosting is NOT verified"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip("SKIPPED NGINX HOSTING TEST: " + message)
    return found


def free_loopback_port() -> int:
    """A port nobody listens on right now, for nginx's ``listen`` (it cannot pick one itself)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def nginx_serving(site: Path, work: Path) -> Iterator[str]:
    """Run nginx in the foreground serving ``site`` at ``SUB_PATH``; yields the base URL, stops it after."""
    work.mkdir(parents=True, exist_ok=True)
    port = free_loopback_port()
    # As root, nginx hands requests to `nobody` workers, who cannot read pytest's private tmp dirs.
    user_directive = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    conf = work / "nginx.conf"
    conf.write_text(NGINX_CONF.format(work=work, port=port, site=site, sub_path=SUB_PATH,
                                      user_directive=user_directive), encoding="utf-8")
    process = subprocess.Popen([find_nginx(), "-p", str(work), "-e", str(work / "error.log"), "-c", str(conf)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                pytest.fail(f"nginx exited with {process.returncode}:\n{process.stdout.read() if process.stdout else ''}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"nginx did not listen on port {port}:\n{(work / 'error.log').read_text()}")
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}{SUB_PATH}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class PageLinks:
    """What one HTML page offers the crawler: its anchors, its outgoing URLs and Material's config."""

    anchors: set[str] = field(default_factory=set)
    references: list[tuple[str, str]] = field(default_factory=list)
    """(URL as written, the markup it came from)"""
    material_config: dict[str, str] = field(default_factory=dict)


class _PageParser(HTMLParser):
    """Reads one page the way a browser would use it: targets of ``#anchors``, URLs it refers to."""

    URL_ATTRIBUTES: ClassVar[dict[str, tuple[str, ...]]] = {"a": ("href",), "area": ("href",), "link": ("href",), "script": ("src",),
                      "img": ("src",), "source": ("src",), "video": ("src", "poster"), "audio": ("src",),
                      "iframe": ("src",), "image": ("href", "xlink:href")}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageLinks()
        self._in_material_config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        self.page.anchors.update(values[name] for name in ("id", "name") if name in values)
        for attribute in self.URL_ATTRIBUTES.get(tag, ()):
            if attribute in values:
                self.page.references.append((values[attribute], f"<{tag} {attribute}>"))
        if "srcset" in values:
            self.page.references.extend((url, f"<{tag} srcset>") for url in srcset_urls(values["srcset"]))
        self._in_material_config = tag == "script" and values.get("id") == "__config"

    def handle_data(self, data: str) -> None:
        if self._in_material_config:
            self.page.material_config = json.loads(data)
            self._in_material_config = False


@dataclass
class Fetched:
    """One HTTP response, reduced to what the crawler judges."""

    status: int
    content_type: str
    body: str


def fetch(url: str) -> Fetched:
    """GET ``url`` (following redirects as browsers do); an HTTP error is a result, not an exception."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return Fetched(response.status, response.headers.get_content_type(),
                           response.read().decode("utf-8", errors="replace"))
    except urllib.error.HTTPError as error:
        return Fetched(error.code, error.headers.get_content_type(), error.read().decode("utf-8", errors="replace"))


@dataclass
class CrawlResult:
    """What a crawl found."""

    broken: list[str]
    """One line per broken link, anchor or asset, naming the page that refers to it."""
    pages: set[str]
    """Every HTML page reached (URL without fragment)."""


def crawl(start: str) -> CrawlResult:
    """Follow everything internal from ``start``, checking each link, anchor and asset on the way."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(start))
    fetched: dict[str, Fetched] = {}
    parsed: dict[str, PageLinks] = {}
    wanted: list[tuple[str, str]] = [(start, "start")]  # (absolute URL with fragment, who refers to it)
    broken: list[str] = []
    position = 0
    while position < len(wanted):
        url, referrer = wanted[position]
        position += 1
        if not url.startswith(origin + "/"):
            continue  # another host: a link to a DOI or an outside site is content, not ours to serve
        if not urlsplit(url).path.startswith(SUB_PATH):
            broken.append(f"{referrer} → {url}: leaves the sub-path {SUB_PATH}")
            continue
        document, fragment = urldefrag(url)
        if document not in fetched:
            fetched[document] = response = fetch(document)
            if response.content_type == "text/html":
                parser = _PageParser()
                parser.feed(response.body)
                parsed[document] = page = parser.page
                wanted.extend((urljoin(document, link), f"{document} {where}") for link, where in page.references)
                wanted.extend(material_runtime_files(document, page))
            elif response.content_type == "text/css":
                wanted.extend((urljoin(document, found.url), f"{document} {found.where}")
                              for found in css_references(response.body) if urlsplit(found.url).scheme in {"", "http", "https"})
        if fetched[document].status != 200:
            broken.append(f"{referrer} → {url}: HTTP {fetched[document].status}")
        elif fragment and document in parsed and unquote(fragment) not in parsed[document].anchors:
            broken.append(f"{referrer} → {url}: no element with id/name {unquote(fragment)!r}")
    pages = {document for document, response in fetched.items() if response.content_type == "text/html"}
    return CrawlResult(sorted(set(broken)), pages)


def material_runtime_files(page_url: str, page: PageLinks) -> list[tuple[str, str]]:
    """Files Material's JavaScript loads by itself (search worker and index), from the page's ``__config``."""
    config = page.material_config
    if not config:
        return []
    base = urljoin(page_url, config["base"].rstrip("/") + "/")
    return [
        (urljoin(page_url, config["search"]), f"{page_url} __config search worker"),
        (urljoin(base, "search/search_index.json"), f"{page_url} __config base (search index)"),
    ]


@pytest.mark.parametrize("use_directory_urls", [True, False], ids=["directory-urls", "html-file-urls"])
def test_every_link_anchor_and_asset_resolves_under_a_sub_path(tmp_path: Path, use_directory_urls: bool) -> None:
    find_nginx()
    site = build_or_fail(bundled_config(tmp_path, use_directory_urls=use_directory_urls), tmp_path / "site")
    with nginx_serving(site, tmp_path / "nginx") as base_url:
        result = crawl(base_url)
    assert result.broken == [], f"{len(result.broken)} broken under {SUB_PATH}:\n" + "\n".join(result.broken)
    unreached = sorted(set(built_page_urls(site, base_url, use_directory_urls)) - result.pages)
    assert unreached == [], "built pages no link leads to:\n" + "\n".join(unreached)


def built_page_urls(site: Path, base_url: str, use_directory_urls: bool) -> list[str]:
    """The URL of every page in the built folder, as links to it are written in this URL style."""
    urls = []
    for page in site.rglob("*.html"):
        relative = page.relative_to(site).as_posix()
        if relative == "404.html":
            continue  # served by the web server for missing URLs, never linked
        if relative == "index.html" or (use_directory_urls and relative.endswith("/index.html")):
            relative = relative.removesuffix("index.html")
        urls.append(base_url + relative)
    return urls


def test_not_found_page_works_when_site_url_names_the_sub_path(tmp_path: Path) -> None:
    """The one page that cannot use relative URLs: it is served at any missing address.

    MkDocs builds ``404.html`` with URLs from ``site_url``'s path, so the README tells
    agencies to set ``site_url`` to their address; then the page and its assets work.
    """
    find_nginx()
    config = bundled_config(tmp_path, site_url=f"https://intranet.example{SUB_PATH}")
    site = build_or_fail(config, tmp_path / "site")
    with nginx_serving(site, tmp_path / "nginx") as base_url:
        missing_url = base_url + "no-such-page/"
        missing = fetch(missing_url)
        parser = _PageParser()
        parser.feed(missing.body)
        origin = "{0.scheme}://{0.netloc}/".format(urlsplit(base_url))
        targets = {urldefrag(urljoin(missing_url, url))[0] for url, _ in parser.page.references}
        on_this_server = sorted(url for url in targets if url.startswith(origin))
        statuses = {url: fetch(url).status for url in on_this_server}
    assert missing.status == 404 and "404" in missing.body
    assert len(on_this_server) > 5, "the 404 page should load the theme's assets and link home"
    broken = [f"{url}: HTTP {status}" for url, status in statuses.items()
              if status != 200 or not url.startswith(base_url)]
    assert broken == [], "broken on the 404 page:\n" + "\n".join(broken)
