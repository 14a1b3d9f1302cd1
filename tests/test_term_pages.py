"""Term pages made from one theme rendering are the pages the theme itself would render.

The fast path (a shell rendered once, each term's title, address and content put in place of
sentinels) is only right if it gives byte for byte what rendering each page through the
theme gives; these tests compare the two on a real MkDocs configuration and navigation.
"""

from __future__ import annotations

import pytest
import yaml
from mkdocs.config import load_config
from mkdocs.structure.files import File, get_files
from mkdocs.structure.nav import get_navigation

from mkdocs_knowledge_base.lexicon.mkdocs_term_pages import TermPageRenderer, term_page_uri

LEXICON = """\
terms:
  - term: attachment
    definition: The bond.
"""
CONTENT = '<h1>Heading</h1>\n<p>Text with <a href="../other/">a link</a> &amp; more.</p>\n'


@pytest.fixture(scope="module", params=[(True, "https://example.org/kb/"), (False, "https://example.org/kb/"),
                                        (True, None)], ids=["directory-urls", "file-urls", "no-site-url"])
def renderer(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> TermPageRenderer:
    """A renderer on a real configuration, navigation and theme (nothing is built)."""
    use_directory_urls, site_url = request.param
    root = tmp_path_factory.mktemp("site")
    (root / "docs").mkdir()
    (root / "docs/index.md").write_text("# Home\n", encoding="utf-8")
    (root / "docs/chapter.md").write_text("# Chapter\n", encoding="utf-8")
    (root / "terms.yml").write_text(LEXICON, encoding="utf-8")
    (root / "mkdocs.yml").write_text(yaml.dump({
        "site_name": "Tiny", "site_url": site_url, "use_directory_urls": use_directory_urls,
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"knowledge-base": {"bibliography": [], "lexicon": "terms.yml"}}],
    }), encoding="utf-8")
    config = load_config(str(root / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    files = get_files(config)
    nav = get_navigation(files, config)
    short_nav = [file.page for file in files.documentation_pages() if file.page is not None]
    return TermPageRenderer(config.theme.get_env(), config, nav, files, "terms", short_nav=short_nav)


@pytest.mark.parametrize(("name", "title"), [
    ("attachment", "attachment"),
    ("dc-0-3", "DC:0–3"),
    ("imh", "infant mental health (IMH)"),
    ("zuständigkeit", "Zuständigkeit"),
    ("caf", "Café culture"),
])
def test_a_page_from_the_shell_is_the_page_the_theme_renders(renderer: TermPageRenderer, name: str,
                                                             title: str) -> None:
    file = File.generated(renderer.config, term_page_uri("terms", name,
                                                         use_directory_urls=renderer.config.use_directory_urls), content="")
    assert renderer.render(file, name, title, CONTENT) == renderer.render_through_theme(name, title, CONTENT)


@pytest.mark.parametrize("title", ["R&D <b>work</b>", "it's", 'a "quoted" term', "two  spaces", " padded"])
def test_titles_the_theme_would_transform_are_rendered_by_the_theme_and_escaped(renderer: TermPageRenderer,
                                                                                title: str) -> None:
    file = File.generated(renderer.config, term_page_uri("terms", "x",
                                                         use_directory_urls=renderer.config.use_directory_urls), content="")
    page = renderer.render(file, "x", title, CONTENT)
    assert page == renderer.render_through_theme("x", title, CONTENT)
    assert "<b>work</b>" not in page


def test_the_shell_leaves_no_sentinel_behind(renderer: TermPageRenderer) -> None:
    file = File.generated(renderer.config, term_page_uri("terms", "attachment",
                                                         use_directory_urls=renderer.config.use_directory_urls), content="")
    page = renderer.render(file, "attachment", "attachment", CONTENT)
    assert "7q3x" not in page
    assert page.count("<h1") == 1, "the theme adds no heading of its own to content that has one"
    if renderer.config.site_url:
        assert f'href="{renderer.config.site_url}{file.url}"' in page, "canonical address of this term page"
