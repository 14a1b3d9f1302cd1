"""APA 7 formatting: the Publication Manual's own examples, then each rule on its own.

Golden strings are written with ``*italics*``, as the Manual prints them in italic; the
test derives the expected HTML (escaped text, ``<em>``, a link for the final URL) and the
expected plain text (no stars) from the same string, so both renderings are checked.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from pybtex.database import Entry, parse_string
from pybtex.plugin import find_plugin

from mkdocs_knowledge_base.bibliography.apa import ApaStyle, format_locator, missing_apa_fields
from mkdocs_knowledge_base.bibliography.database import load_bibliography
from mkdocs_knowledge_base.bibliography.entry import BibEntry
from mkdocs_knowledge_base.bibliography.latex import decode
from tests.conftest import pybtex_entries

REPO = Path(__file__).resolve().parent.parent

_STARRED = re.compile(r"\*([^*]+)\*")
_TRAILING_URL = re.compile(r"(https?://\S+)$")


def style_for(bibtex: str) -> tuple[ApaStyle, list[str]]:
    """An ``ApaStyle`` over the entries of a BibTeX snippet, and their keys in order."""
    entries = pybtex_entries(bibtex)
    return ApaStyle(entries), list(entries)


def reference(bibtex: str) -> str:
    """Plain-text reference of a one-entry snippet."""
    style, (key,) = style_for(bibtex)
    return style.reference_text(key)


def expected_html(starred: str) -> str:
    escaped = _STARRED.sub(r"<em>\1</em>", html.escape(starred, quote=False))
    return _TRAILING_URL.sub(lambda m: f'<a href="{m.group(1)}">{m.group(1)}</a>', escaped)


MANUAL_EXAMPLES = [
    pytest.param(
        r"""@article{grady2019,
          author = {Grady, Jessica S. and Her, Malina and Moreno, Geena and Perez, Catherine and Yelinek, Jill},
          title = {Emotions in Storybooks: A Comparison of Storybooks That Represent Ethnic and Racial Groups in the {United States}},
          journal = {Psychology of Popular Media Culture}, year = {2019}, volume = {8}, number = {3},
          pages = {207--217}, doi = {10.1037/ppm0000185}}""",
        "Grady, J. S., Her, M., Moreno, G., Perez, C., & Yelinek, J. (2019). Emotions in storybooks: A comparison of "
        "storybooks that represent ethnic and racial groups in the United States. *Psychology of Popular Media Culture*, "
        "*8*(3), 207–217. https://doi.org/10.1037/ppm0000185",
        id="10.1-journal-article",
    ),
    pytest.param(
        r"""@article{mccauley2019,
          author = {McCauley, Stewart M. and Christiansen, Morten H.},
          title = {Language learning as language use: A cross-linguistic model of child language development},
          journal = {Psychological Review}, year = 2019, volume = 126, number = 1, pages = {1-51},
          doi = {https://doi.org/10.1037/rev0000126}}""",
        "McCauley, S. M., & Christiansen, M. H. (2019). Language learning as language use: A cross-linguistic model "
        "of child language development. *Psychological Review*, *126*(1), 1–51. https://doi.org/10.1037/rev0000126",
        id="10.1-journal-article-two-authors",
    ),
    pytest.param(
        r"""@book{jackson2019,
          author = {Jackson, Lynne M.},
          title = {The Psychology of Prejudice: From Attitudes to Social Action},
          edition = {2}, publisher = {American Psychological Association}, year = {2019},
          doi = {10.1037/0000168-000}}""",
        "Jackson, L. M. (2019). *The psychology of prejudice: From attitudes to social action* (2nd ed.). "
        "American Psychological Association. https://doi.org/10.1037/0000168-000",
        id="10.2-book-edition-doi",
    ),
    pytest.param(
        r"""@book{sapolsky2017,
          author = {Sapolsky, Robert M.}, title = {Behave: The Biology of Humans at Our Best and Worst},
          publisher = {Penguin Books}, year = 2017}""",
        "Sapolsky, R. M. (2017). *Behave: The biology of humans at our best and worst*. Penguin Books.",
        id="10.2-book",
    ),
    pytest.param(
        r"""@book{kesharwani2020,
          editor = {Kesharwani, Prashant}, title = {Nanotechnology Based Approaches for Tuberculosis Treatment},
          publisher = {Academic Press}, year = 2020}""",
        "Kesharwani, P. (Ed.). (2020). *Nanotechnology based approaches for tuberculosis treatment*. Academic Press.",
        id="10.2-edited-book",
    ),
    pytest.param(
        r"""@book{hackerhughes2017,
          editor = {Hacker Hughes, Jamie},
          title = {Military Veteran Psychological Health and Social Care: Contemporary Approaches},
          publisher = {Routledge}, year = 2017, doi = {doi:10.4324/9781315215143}}""",
        "Hacker Hughes, J. (Ed.). (2017). *Military veteran psychological health and social care: Contemporary "
        "approaches*. Routledge. https://doi.org/10.4324/9781315215143",
        id="10.2-edited-book-doi",
    ),
    pytest.param(
        r"""@incollection{aron2019,
          author = {Aron, Lital and Botella, Marion and Lubart, Todd},
          title = {Culinary Arts: Talent and Their Development},
          editor = {Subotnik, Rena F. and Olszewski-Kubilius, Paula and Worrell, Frank C.},
          booktitle = {The Psychology of High Performance: Developing Human Potential into Domain-Specific Talent},
          pages = {345--359}, publisher = {American Psychological Association}, year = 2019,
          doi = {10.1037/0000120-016}}""",
        "Aron, L., Botella, M., & Lubart, T. (2019). Culinary arts: Talent and their development. In R. F. Subotnik, "
        "P. Olszewski-Kubilius, & F. C. Worrell (Eds.), *The psychology of high performance: Developing human "
        "potential into domain-specific talent* (pp. 345–359). American Psychological Association. "
        "https://doi.org/10.1037/0000120-016",
        id="10.3-chapter",
    ),
    pytest.param(
        r"""@incollection{dillard2020,
          author = {Dillard, James Price}, title = {Currents in the Study of Persuasion},
          editor = {Oliver, Mary Beth and Raney, Arthur A. and Bryant, Jennings},
          booktitle = {Media Effects: Advances in Theory and Research}, edition = {4th},
          pages = {115--129}, publisher = {Routledge}, year = 2020}""",
        "Dillard, J. P. (2020). Currents in the study of persuasion. In M. B. Oliver, A. A. Raney, & J. Bryant (Eds.), "
        "*Media effects: Advances in theory and research* (4th ed., pp. 115–129). Routledge.",
        id="10.3-chapter-edition",
    ),
    pytest.param(
        r"""@techreport{who2018,
          author = {{World Health Organization}},
          title = {Managing Epidemics: Key Facts About Major Deadly Diseases},
          institution = {World Health Organization}, year = 2018,
          url = {https://www.who.int/emergencies/diseases/managing-epidemics-interactive.pdf}}""",
        "World Health Organization. (2018). *Managing epidemics: Key facts about major deadly diseases*. "
        "https://www.who.int/emergencies/diseases/managing-epidemics-interactive.pdf",
        id="10.4-report-group-author-is-publisher",
    ),
    pytest.param(
        r"""@techreport{nci2019,
          author = {{National Cancer Institute}}, title = {Taking Time: Support for People With Cancer},
          type = {NIH Publication}, number = {18-2059},
          institution = {U.S. Department of Health and Human Services, National Institutes of Health},
          year = 2019, url = {https://www.cancer.gov/publications/patient-education/takingtime.pdf}}""",
        "National Cancer Institute. (2019). *Taking time: Support for people with cancer* (NIH Publication No. 18-2059). "
        "U.S. Department of Health and Human Services, National Institutes of Health. "
        "https://www.cancer.gov/publications/patient-education/takingtime.pdf",
        id="10.4-report-number",
    ),
    pytest.param(
        r"""@inproceedings{duckworth2019,
          author = {Duckworth, A. L. and Quirk, A. and Gallop, R. and Hoyle, R. H. and Kelly, D. R. and Matthews, M. D.},
          title = {Cognitive and noncognitive predictors of success},
          booktitle = {Proceedings of the {National Academy of Sciences, USA}},
          editor = {Fiske, Susan T.}, pages = {23499--23504}, year = 2019,
          doi = {10.1073/pnas.1910510116}}""",
        "Duckworth, A. L., Quirk, A., Gallop, R., Hoyle, R. H., Kelly, D. R., & Matthews, M. D. (2019). Cognitive and "
        "noncognitive predictors of success. In S. T. Fiske (Ed.), *Proceedings of the National Academy of Sciences, "
        "USA* (pp. 23499–23504). https://doi.org/10.1073/pnas.1910510116",
        id="10.5-conference-paper-in-proceedings",
    ),
    pytest.param(
        r"""@proceedings{kushilevitz2016,
          editor = {Kushilevitz, Eyal and Malkin, Tal}, title = {Theory of Cryptography},
          publisher = {Springer}, year = 2016, doi = {10.1007/978-3-662-49096-9}}""",
        "Kushilevitz, E., & Malkin, T. (Eds.). (2016). *Theory of cryptography*. Springer. "
        "https://doi.org/10.1007/978-3-662-49096-9",
        id="10.5-proceedings-as-edited-book",
    ),
    pytest.param(
        r"""@phdthesis{hollander2017,
          author = {Hollander, Matthew M.},
          title = {Resistance to Authority: Methodological Innovations and New Lessons From the {Milgram} Experiment},
          school = {University of Wisconsin--Madison}, number = {10289373},
          publisher = {ProQuest Dissertations and Theses Global}, year = 2017}""",
        "Hollander, M. M. (2017). *Resistance to authority: Methodological innovations and new lessons from the "
        "Milgram experiment* (Publication No. 10289373) [Doctoral dissertation, University of Wisconsin–Madison]. "
        "ProQuest Dissertations and Theses Global.",
        id="10.6-dissertation-database",
    ),
    pytest.param(
        r"""@phdthesis{harris2014,
          author = {Harris, Leslie},
          title = {Instructional Leadership Perceptions and Practices of Elementary School Leaders},
          school = {University of Virginia}, year = 2014}""",
        "Harris, L. (2014). *Instructional leadership perceptions and practices of elementary school leaders* "
        "[Unpublished doctoral dissertation]. University of Virginia.",
        id="10.6-dissertation-unpublished",
    ),
    pytest.param(
        r"""@mastersthesis{hutcheson2012,
          author = {Hutcheson, Virginia H.},
          title = {Dealing With Dual Differences: Social Coping Strategies of Gifted and Lesbian, Gay, Bisexual, Transgender, and Queer Adolescents},
          school = {The College of William \& Mary}, publisher = {William \& Mary Digital Archive}, year = 2012,
          url = {https://digitalarchive.wm.edu/bitstream/handle/10288/16594/HutchesonVirginia2012.pdf}}""",
        "Hutcheson, V. H. (2012). *Dealing with dual differences: Social coping strategies of gifted and lesbian, gay, "
        "bisexual, transgender, and queer adolescents* [Master's thesis, The College of William & Mary]. "
        "William & Mary Digital Archive. https://digitalarchive.wm.edu/bitstream/handle/10288/16594/HutchesonVirginia2012.pdf",
        id="10.6-masters-thesis-online",
    ),
    pytest.param(
        r"""@online{cdc2018,
          author = {{Centers for Disease Control and Prevention}},
          title = {People at high risk of developing flu--related complications},
          year = 2018, month = jan, day = 23,
          url = {https://www.cdc.gov/flu/about/disease/high_risk.htm}}""",
        "Centers for Disease Control and Prevention. (2018, January 23). *People at high risk of developing "
        "flu–related complications*. https://www.cdc.gov/flu/about/disease/high_risk.htm",
        id="10.16-webpage-group-author-dated",
    ),
    pytest.param(
        r"""@misc{boddy,
          author = {Boddy, J. and Neumann, T. and Jennings, S. and Morrow, V. and Alderson, P. and Rees, R. and Gibson, W.},
          title = {Ethics Principles}, organization = {The Research Ethics Guidebook},
          url = {https://www.ethicsguidebook.ac.uk/EthicsPrinciples}}""",
        "Boddy, J., Neumann, T., Jennings, S., Morrow, V., Alderson, P., Rees, R., & Gibson, W. (n.d.). "
        "*Ethics principles*. The Research Ethics Guidebook. https://www.ethicsguidebook.ac.uk/EthicsPrinciples",
        id="10.16-webpage-no-date",
    ),
]


@pytest.mark.parametrize(("bibtex", "starred"), MANUAL_EXAMPLES)
def test_publication_manual_examples(bibtex: str, starred: str) -> None:
    style, (key,) = style_for(bibtex)
    assert style.reference_text(key) == starred.replace("*", "")
    assert style.reference_html(key) == expected_html(starred)


# ----- authors -------------------------------------------------------------------------------


def _people(count: int) -> str:
    return " and ".join(f"Surname{n}, Given{n}" for n in range(1, count + 1))


@pytest.mark.parametrize(
    ("count", "expected_authors"),
    [
        (1, "Surname1, G."),
        (2, "Surname1, G., & Surname2, G."),
        (3, "Surname1, G., Surname2, G., & Surname3, G."),
        (20, ", ".join(f"Surname{n}, G." for n in range(1, 20)) + ", & Surname20, G."),
        (21, ", ".join(f"Surname{n}, G." for n in range(1, 20)) + ", . . . Surname21, G."),
        (25, ", ".join(f"Surname{n}, G." for n in range(1, 20)) + ", . . . Surname25, G."),
    ],
)
def test_author_list_lengths(count: int, expected_authors: str) -> None:
    text = reference(f"@book{{k, author = {{{_people(count)}}}, title = {{T}}, publisher = {{P}}, year = 2000}}")
    assert text == f"{expected_authors} (2000). T. P."


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("Pawl, J.H.", "Pawl, J. H."),
        ("Jean-Paul Sartre", "Sartre, J.-P."),
        ("Ghosh Ippen, Chandra", "Ghosh Ippen, C."),
        ("Noro{\\~n}a, Carmen Rosa", "Noroña, C. R."),
        ("Evans, Jr., Arthur C.", "Evans, A. C., Jr."),
        ("Ludwig van Beethoven", "van Beethoven, L."),
        ("Plato", "Plato."),
        ("{{National Scientific Council on the Developing Child}}", "National Scientific Council on the Developing Child."),
        ("{{Zero to Three}}", "Zero to Three."),
    ],
)
def test_author_names(author: str, expected: str) -> None:
    text = reference(f"@book{{k, author = {{{author}}}, title = {{T}}, publisher = {{P}}, year = 2000}}")
    assert text.startswith(f"{expected} (2000).")


@pytest.mark.parametrize(
    ("editors", "expected"),
    [
        ("Foley, G. M.", "Foley, G. M. (Ed.). (2006)."),
        ("Foley, G. M. and Hochman, J. D.", "Foley, G. M., & Hochman, J. D. (Eds.). (2006)."),
        ("Lieberman, A. and Wieder, S. and Fenichel, E.", "Lieberman, A., Wieder, S., & Fenichel, E. (Eds.). (2006)."),
    ],
)
def test_editors_in_author_position(editors: str, expected: str) -> None:
    text = reference(f"@book{{k, editor = {{{editors}}}, title = {{Book}}, publisher = {{P}}, year = 2006}}")
    assert text == f"{expected} Book. P."


@pytest.mark.parametrize(
    ("editors", "expected"),
    [
        ("Webb, Nancy Boyd", "In N. B. Webb (Ed.), Book (pp. 27–52)."),
        ("Foley, G. M. and Hochman, J. D.", "In G. M. Foley & J. D. Hochman (Eds.), Book (pp. 27–52)."),
        ("Brandt, K. and Perry, B. D. and Tronick, E. Z.", "In K. Brandt, B. D. Perry, & E. Z. Tronick (Eds.), Book (pp. 27–52)."),
        ("{{Zero to Three}}", "In Zero to Three (Ed.), Book (pp. 27–52)."),
    ],
)
def test_editors_of_the_book_a_chapter_is_in(editors: str, expected: str) -> None:
    text = reference(
        f"@incollection{{k, author = {{Perry, B. D.}}, title = {{Chapter}}, editor = {{{editors}}}, "
        f"booktitle = {{Book}}, pages = {{27-52}}, publisher = {{P}}, year = 2006}}"
    )
    assert text == f"Perry, B. D. (2006). Chapter. {expected} P."


def test_chapter_without_editors_names_only_the_book() -> None:
    text = reference("@incollection{k, author = {A, B.}, title = {Ch}, booktitle = {Book}, pages = 5, publisher = {P}, year = 2000}")
    assert text == "A, B. (2000). Ch. In Book (p. 5). P."


# ----- date ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_fields", "expected_date"),
    [
        ("year = 2004", "(2004)."),
        ("", "(n.d.)."),
        ("year = {in press}", "(in press)."),
        ("date = {2019-05-07}", "(2019, May 7)."),
        ("year = 2019, month = {5}", "(2019, May)."),
    ],
)
def test_dates_of_web_pages(date_fields: str, expected_date: str) -> None:
    text = reference(f"@misc{{k, author = {{A, B.}}, title = {{Page}}, {date_fields}, url = {{https://example.org/}}}}".replace(", ,", ","))
    assert text == f"A, B. {expected_date} *Page*. https://example.org/".replace("*", "")


def test_journal_articles_show_the_year_only() -> None:
    text = reference("@article{k, author = {A, B.}, title = {T}, journal = {J}, year = 2019, month = may, volume = 1, pages = {1--2}}")
    assert text == "A, B. (2019). T. J, 1, 1–2."


# ----- titles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("The Scope of Infant Mental Health", "The scope of infant mental health"),
        ("the scope", "The scope"),
        ("Emotions in Storybooks: a Comparison", "Emotions in storybooks: A comparison"),
        ("Finding an Authentic Voice---Use of Self", "Finding an authentic voice—Use of self"),
        ("What Is It? A Question", "What is it? A question"),
        ("Love and Learn! Promoting Babies", "Love and learn! Promoting babies"),
        ("Children in the {United States} and {ACE} Studies", "Children in the United States and ACE studies"),
        ("{DC}:0--3 Casebook", "DC:0–3 casebook"),
        ("Growing Up in {\\\"O}sterreich", "Growing up in Österreich"),
        ("{iPhone} Use: {Zero to Three}", "iPhone use: Zero to Three"),
        ("Title: {Braced} Second Part", "Title: Braced second part"),
        ("Adverse Childhood Experiences (ACE) Study", "Adverse childhood experiences (ace) study"),
        ("Family- and Relationship-Centered Principles", "Family- and relationship-centered principles"),
        ("19th-Century Nurseries", "19th-century nurseries"),
        ("Mind--Body: The {\\em Self} Again", "Mind–body: The Self again"),
        ("\\emph{Babies} Are~People", "Babies are\u00a0people"),
    ],
)
def test_sentence_case(title: str, expected: str) -> None:
    text = reference(f"@article{{k, author = {{A, B.}}, title = {{{title}}}, journal = {{J}}, year = 2000}}")
    assert text == f"A, B. (2000). {expected}. J."


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("Noro{\\~n}a", "Noroña"),
        ('{\\"o}', "ö"),
        ("Schr\\\"odinger", "Schrödinger"),
        ("7--66", "7–66"),
        ("Voice---Self", "Voice—Self"),
        ("A \\& B", "A & B"),
        ("{ACE} and {Zero to Three}", "ACE and Zero to Three"),
        ("Caf\\'e", "Café"),
        ("Caf\\'{e}", "Café"),
        ("Gar\\c{c}on", "Garçon"),
        ("Stra{\\ss}e", "Straße"),
        ("\\v{S}koda", "Škoda"),
        ("{\\o}", "ø"),
        ("\\textit{Italic} word", "Italic word"),
        ("\\emph{Emph}", "Emph"),
        ("{\\em old} style", "old style"),
        ("Dr.~Smith", "Dr.\u00a0Smith"),
        ("Dr.~{S}mith", "Dr.\u00a0Smith"),
        ("50\\%", "50%"),
        ("plain text", "plain text"),
    ],
)
def test_latex_decodes_to_unicode_text(latex: str, text: str) -> None:
    assert decode(latex) == text


@pytest.mark.parametrize(
    ("bibtex", "starred"),
    [
        # \emph and \textit are italics in the HTML, text in the plain rendering (Copy APA, exports).
        (r"@article{k, author = {Noro{\~n}a, Carmen}, title = {The \emph{Homo sapiens} Case}, journal = {J}, year = 2000}",
         "Noroña, C. (2000). The *Homo sapiens* case. *J*."),
        # Inside a title that is itself italic (a book), the emphasised title within it is roman.
        (r"@book{k, author = {G{\"o}del, Kurt}, title = {Reading \textit{Moby Dick} Today}, publisher = {P}, year = 2000}",
         "Gödel, K. (2000). *Reading *Moby Dick* today*. P."),
        (r"@incollection{k, author = {A, B.}, title = {Ch}, booktitle = {Essays on {\em Hamlet}}, publisher = {P}, "
         r"year = 2000}", "A, B. (2000). Ch. In *Essays on *Hamlet. P."),
        (r"@book{k, author = {{Caf\'e \& Stra{\ss}e}}, title = {Gar\c{c}on---{L}ife in 1900--1910}, "
         r"publisher = {P}, year = 2000}", "Café & Straße. (2000). *Garçon—Life in 1900–1910*. P."),
    ],
)
def test_latex_in_references(bibtex: str, starred: str) -> None:
    style, (key,) = style_for(bibtex)
    assert style.reference_text(key) == starred.replace("*", "")
    assert style.reference_html(key) == expected_html(starred)


def test_journal_names_keep_their_capitals() -> None:
    text = reference("@article{k, author = {A, B.}, title = {T}, journal = {Infants \\& Young Children}, year = 2000, volume = 15, number = 1, pages = {19-28}}")
    assert text == "A, B. (2000). T. Infants & Young Children, 15(1), 19–28."


@pytest.mark.parametrize(
    ("bibtex", "expected"),
    [
        ("@article{k, author = {A, B.}, title = {What is infant mental health?}, journal = {J}, year = 2000}",
         "A, B. (2000). What is infant mental health? J."),
        ("@book{k, author = {A, B.}, title = {Love and learn!}, publisher = {P}, year = 2000}",
         "A, B. (2000). Love and learn! P."),
        ("@misc{k, title = {What is infant mental health?}, year = 2002, url = {http://example.org/x.pdf}}",
         "What is infant mental health? (2002). http://example.org/x.pdf"),
        ("@book{k, author = {A, B. and C, D.}, title = {Etc.}, publisher = {P.}, year = 2000}",
         "A, B., & C, D. (2000). Etc. P."),
    ],
)
def test_no_double_periods(bibtex: str, expected: str) -> None:
    assert reference(bibtex) == expected


def test_anonymous_work_puts_the_title_first() -> None:
    style, (key,) = style_for(
        "@misc{k, title = {Love and Learn! Promoting the Importance of Healthy Happy Babies}, year = 2004, "
        "type = {Training materials}, url = {http://www.nmaimh.org}}"
    )
    assert style.reference_html(key) == (
        "<em>Love and learn! Promoting the importance of healthy happy babies</em> [Training materials]. (2004). "
        '<a href="http://www.nmaimh.org">http://www.nmaimh.org</a>'
    )


@pytest.mark.parametrize(
    ("edition", "expected"),
    [("3", " (3rd ed.)"), ("2nd", " (2nd ed.)"), ("Second", " (2nd ed.)"), ("11", " (11th ed.)"),
     ("22", " (22nd ed.)"), ("1", ""), ("Revised", " (Rev. ed.)")],
)
def test_edition(edition: str, expected: str) -> None:
    text = reference(f"@book{{k, author = {{A, B.}}, title = {{Book}}, edition = {{{edition}}}, publisher = {{P}}, year = 2000}}")
    assert text == f"A, B. (2000). Book{expected}. P."


def test_volume_and_edition_share_the_parenthesis() -> None:
    text = reference("@book{k, author = {A, B.}, title = {Book}, edition = 3, volume = 2, publisher = {P}, year = 2000}")
    assert text == "A, B. (2000). Book (3rd ed., Vol. 2). P."


@pytest.mark.parametrize(
    ("bibtex_fields", "expected_title_part"),
    [
        ("type = {Working Paper}, number = 9", "*Persistent fear* (Working Paper No. 9)"),
        ("number = 9", "*Persistent fear* (Report No. 9)"),
        ("type = {In Brief}", "*Persistent fear* [In Brief]"),
        ("", "*Persistent fear*"),
    ],
)
def test_report_numbers_and_descriptions(bibtex_fields: str, expected_title_part: str) -> None:
    style, (key,) = style_for(
        f"@techreport{{k, author = {{{{Council}}}}, title = {{Persistent Fear}}, {bibtex_fields}, "
        f"institution = {{Harvard}}, year = 2010}}".replace(", ,", ",")
    )
    assert style.reference_html(key) == expected_html(f"Council. (2010). {expected_title_part}. Harvard.")


# ----- pages, DOIs, URLs ----------------------------------------------------------------------------


@pytest.mark.parametrize("pages", ["7-66", "7--66", "7---66", "7–66", "7 - 66", "7—66"])
def test_page_ranges_use_an_en_dash(pages: str) -> None:
    text = reference(f"@article{{k, author = {{A, B.}}, title = {{T}}, journal = {{J}}, volume = 22, number = {{1--2}}, pages = {{{pages}}}, year = 2001}}")
    assert text == "A, B. (2001). T. J, 22(1–2), 7–66."


def test_article_number_instead_of_pages() -> None:
    text = reference("@article{k, author = {A, B.}, title = {T}, journal = {PLOS ONE}, volume = 14, number = 3, eid = {e0213548}, year = 2019}")
    assert text == "A, B. (2019). T. PLOS ONE, 14(3), Article e0213548."


@pytest.mark.parametrize(
    "doi",
    ["10.1037/ppm0000185", "doi:10.1037/ppm0000185", "DOI: 10.1037/ppm0000185", "https://doi.org/10.1037/ppm0000185",
     "http://dx.doi.org/10.1037/ppm0000185"],
)
def test_doi_forms(doi: str) -> None:
    style, (key,) = style_for(f"@article{{k, author = {{A, B.}}, title = {{T}}, journal = {{J}}, year = 2019, doi = {{{doi}}}, url = {{https://example.org}}}}")
    assert style.reference_html(key) == (
        'A, B. (2019). T. <em>J</em>. <a href="https://doi.org/10.1037/ppm0000185">https://doi.org/10.1037/ppm0000185</a>'
    )


@pytest.mark.parametrize(
    ("url_field", "expected"),
    [
        ("url = {www.nmaimh.org}", "https://www.nmaimh.org"),
        ("url = {http://example.org/a\\_b}", "http://example.org/a_b"),
        ("howpublished = {\\url{https://example.org/x}}", "https://example.org/x"),
    ],
)
def test_urls(url_field: str, expected: str) -> None:
    assert reference(f"@misc{{k, author = {{{{Org}}}}, title = {{T}}, year = 2000, {url_field}}}") == f"Org. (2000). T. {expected}"


def test_html_escapes_user_text_and_urls() -> None:
    style, (key,) = style_for(
        "@misc{k, author = {{Smith <script> \\& Sons}}, title = {Fish \\& <b>Chips</b>}, year = 2000, "
        'url = {https://example.org/?a=1&b="2"}}'
    )
    assert style.reference_html(key) == (
        "Smith &lt;script&gt; &amp; Sons. (2000). <em>Fish &amp; &lt;b&gt;chips&lt;/b&gt;</em>. "
        '<a href="https://example.org/?a=1&amp;b=&quot;2&quot;">https://example.org/?a=1&amp;b="2"</a>'
    )


@pytest.mark.parametrize(
    ("locator", "expected"),
    [("pp. 221-222", "pp. 221–222"), ("pp. 221--222", "pp. 221–222"), ("p. 33", "p. 33"), ("ch. 2", "ch. 2"),
     ("pp. xii-xv", "pp. xii–xv"), ("pp. S12-S15", "pp. S12–S15"), ("pp. 1-2, 5-7", "pp. 1–2, 5–7"),
     ("para. well-being", "para. well-being")],
)
def test_format_locator(locator: str, expected: str) -> None:
    assert format_locator(locator) == expected


# ----- year suffixes and order ----------------------------------------------------------------------

SAME_AUTHOR_SAME_YEAR = r"""
@article{second, author = {Perry, Bruce D.}, title = {The Neurosequential Model}, journal = {J}, year = 2006}
@article{first, author = {Perry, Bruce D.}, title = {Applying Principles}, journal = {J}, year = 2006}
@article{other_year, author = {Perry, Bruce D.}, title = {Another}, journal = {J}, year = 2007}
@article{coauthored, author = {Perry, Bruce D. and Szalavitz, Maia}, title = {A Boy}, journal = {J}, year = 2006}
@misc{undated1, author = {{Well Baby Center}}, title = {Mutual Regulation}}
@misc{undated2, author = {{Well Baby Center}}, title = {A Feeding Guide}}
"""


def test_year_suffixes_follow_title_order() -> None:
    style, _ = style_for(SAME_AUTHOR_SAME_YEAR)
    labels = {key: style.year_label(key) for key in ("first", "second", "other_year", "coauthored", "undated1", "undated2")}
    assert labels == {"first": "2006a", "second": "2006b", "other_year": "2007", "coauthored": "2006",
                      "undated1": "n.d.-b", "undated2": "n.d.-a"}
    assert style.reference_text("second").startswith("Perry, B. D. (2006b). The neurosequential model.")


def test_year_suffixes_depend_on_the_listed_works_only() -> None:
    entries = pybtex_entries(SAME_AUTHOR_SAME_YEAR)
    alone = ApaStyle({"second": entries["second"]})
    assert alone.year_label("second") == "2006"
    assert alone.reference_text("second").startswith("Perry, B. D. (2006). ")


SORTING = r"""
@book{browning, author = {Browning, A. R.}, title = {T}, publisher = {P}, year = 2000}
@book{brown_multi, author = {Brown, J. R. and Zimmer, A.}, title = {T}, publisher = {P}, year = 1990}
@book{brown, author = {Brown, J. R.}, title = {T}, publisher = {P}, year = 2005}
@book{brown_early, author = {Brown, J. R.}, title = {T}, publisher = {P}, year = 1999}
@book{brown_nd, author = {Brown, J. R.}, title = {T}, publisher = {P}}
@book{brown_press, author = {Brown, J. R.}, title = {T}, publisher = {P}, year = {in press}}
@book{anonymous, title = {The Cat Book}, publisher = {P}, year = 2000}
@book{group, author = {{American Psychological Association}}, title = {T}, publisher = {P}, year = 2000}
@book{devries, author = {De Vries, M.}, title = {T}, publisher = {P}, year = 2000}
@book{devon, author = {Devon, Z.}, title = {T}, publisher = {P}, year = 2000}
@book{mac, author = {MacArthur, A.}, title = {T}, publisher = {P}, year = 2000}
@book{mcallister, author = {McAllister, A.}, title = {T}, publisher = {P}, year = 2000}
@book{oneill, author = {O'Neil, A.}, title = {T}, publisher = {P}, year = 2000}
@book{onell, author = {Onell, B.}, title = {T}, publisher = {P}, year = 2000}
@book{zeanah_p, author = {Zeanah, P. D.}, title = {T}, publisher = {P}, year = 2000}
@book{zeanah_c, author = {Zeanah, C. H.}, title = {T}, publisher = {P}, year = 2000}
"""


def test_sort_order() -> None:
    style, keys = style_for(SORTING)
    assert sorted(keys, key=style.sort_key) == [
        "group",            # American Psychological Association
        "brown_nd", "brown_early", "brown", "brown_press",  # one author: n.d., years ascending, in press
        "brown_multi",      # Brown & Zimmer after every Brown alone
        "browning",         # nothing precedes something: Brown < Browning
        "anonymous",        # "The Cat Book" files under C
        "devon", "devries",  # letter by letter, spaces ignored: Devon < DeVries
        "mac", "mcallister",
        "oneill", "onell",  # punctuation ignored: ONeil < Onell
        "zeanah_c", "zeanah_p",  # same surname: initials decide
    ]


# ----- required fields -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bibtex", "missing"),
    [
        ("@article{k, title = {T}, journal = {J}, year = 2000}", []),
        ("@article{k, title = {T}}", ["journal/journaltitle", "year/date"]),
        ("@book{k, title = {T}, year = 2000}", ["publisher/organization/institution"]),
        ("@incollection{k, title = {T}, year = 2000, publisher = {P}}", ["booktitle"]),
        ("@inproceedings{k, title = {T}, booktitle = {B}, year = 2000}", []),
        ("@phdthesis{k, title = {T}, year = 2000}", ["school/institution"]),
        ("@online{k, title = {T}}", ["url/doi"]),
        ("@misc{k, author = {A, B.}}", ["title"]),
        ("@techreport{k, title = {T}}", []),
    ],
)
def test_missing_apa_fields(bibtex: str, missing: list[str]) -> None:
    (entry,) = pybtex_entries(bibtex).values()
    assert missing_apa_fields(entry) == missing


def test_entries_built_in_code_need_no_key() -> None:
    entry = BibEntry.from_pybtex(Entry("book", fields={"title": "Built", "publisher": "P", "year": "2020"}))
    assert ApaStyle({"built": entry}).reference_text("built") == "Built. (2020). P."


# ----- the bundled database ------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")


def test_every_bundled_entry_formats_cleanly() -> None:
    bibliography = load_bibliography([REPO / "references" / "references.bib"])
    assert bibliography.entries, "references/references.bib has no entries"
    style = ApaStyle(bibliography.entries)
    entry_types = set()
    for key, entry in bibliography.entries.items():
        entry_types.add(entry.type)
        text, markup = style.reference_text(key), style.reference_html(key)
        for bad in ("None", "--", "..", "()", "[]", " ,", "  ", "{", "}", "\\"):
            assert bad not in text, f"{key}: {bad!r} in {text!r}"
        assert html.unescape(_TAG.sub("", markup)) == text, key
        assert re.search(r"\((\d{4}[a-z]?|n\.d\.)\)\.", text), f"{key}: no APA date in {text!r}"
    assert entry_types >= {"article", "book", "incollection"}


# ----- the pybtex style -------------------------------------------------------------------------------


def test_registered_pybtex_style_gives_the_same_references_in_apa_order() -> None:
    data = parse_string(SAME_AUTHOR_SAME_YEAR, "bibtex")
    formatted = list(find_plugin("pybtex.style.formatting", "apa7")().format_bibliography(data))
    style = ApaStyle(pybtex_entries(SAME_AUTHOR_SAME_YEAR))
    assert [entry.key for entry in formatted] == sorted(data.entries, key=style.sort_key)
    for entry in formatted:
        assert entry.text.render_as("text") == style.reference_text(entry.key)
        assert entry.text.render_as("html") == style.reference_html(entry.key)
        assert entry.label == style.year_label(entry.key)


@pytest.mark.parametrize(
    ("bibtex", "expected_html"),
    [
        ("@incollection{k, author = {A, B.}, title = {Ch}, publisher = {P}, year = 2000}", "A, B. (2000). Ch. P."),
        ("@article{k, author = {A, B.}, year = 2000}", "A, B. (2000)."),
        ("@misc{k, year = 2000}", "(2000)."),
    ],
)
def test_missing_fields_leave_no_empty_markup(bibtex: str, expected_html: str) -> None:
    style, (key,) = style_for(bibtex)
    assert style.reference_html(key) == expected_html
