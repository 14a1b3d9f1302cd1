"""Exports: BibTeX round trip, RIS tags reference managers read, CSL-JSON valid against the CSL schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pybtex.database import Entry, Person

from mkdocs_knowledge_base.bibliography.database import load_bibliography
from mkdocs_knowledge_base.bibliography.entry import BibEntry
from mkdocs_knowledge_base.bibliography.exporters import (
    EXPORT_EXTENSIONS,
    CslValue,
    _indented_json,
    export_file,
    export_pieces,
    to_bibtex,
    to_csl_json,
    to_ris,
)
from tests.conftest import pybtex_entries

REPO = Path(__file__).resolve().parent.parent
CSL_DATA_SCHEMA = Path(__file__).resolve().parent / "data" / "csl-data.json"
"""The official CSL input schema, ``schemas/input/csl-data.json`` of citation-style-language/schema (MIT)."""
RECORDED = Path(__file__).resolve().parent / "data" / "exports"
"""``synthetic.bib``: 150 entries of ``benchmarks.corpus.synthetic_bibliography(150, 2026)`` (every
entry type, group authors, particles, LaTeX accents, braced words, DOIs, URLs); ``expected.*``: what
the exporters wrote for them before they were restructured for speed (each entry formatted once,
files joined from the pieces). Any change to these bytes is a change for readers' reference managers."""

SAMPLES = r"""
@book{greenspan2006,
  author = {Greenspan, Stanley I. and Wieder, Serena},
  title = {Infant and Early Childhood Mental Health: {A} Comprehensive Developmental Approach},
  publisher = {American Psychiatric Publishing}, address = {Arlington, VA}, year = 2006, edition = {2}
}
@incollection{pawl2006,
  author = {Pawl, Jeree H. and Milburn, Lynn A.},
  title = {Family- and relationship-centered principles and practices},
  editor = {Foley, Gilbert M. and Hochman, Jane D.},
  booktitle = {Mental health in early intervention: Achieving unity in principles and practice},
  pages = {191--226}, publisher = {Brookes Publishing}, address = {Baltimore, MD}, year = 2006
}
@article{schore2001,
  author = {Schore, Allan N.},
  title = {Effects of a secure attachment relationship on right brain development},
  journal = {Infant Mental Health Journal}, volume = 22, number = {1--2}, pages = {7--66}, year = 2001,
  month = jan, doi = {https://doi.org/10.1002/1097-0355(200101/04)22:1<7::AID-IMHJ2>3.0.CO;2-N}
}
@techreport{nscdc2010,
  author = {{National Scientific Council on the Developing Child}},
  title = {Persistent fear and anxiety can affect young children's learning and development},
  type = {Working Paper}, number = 9, institution = {Harvard University}, year = 2010,
  url = {https://developingchild.harvard.edu/}
}
@phdthesis{hollander2017,
  author = {Hollander, Matthew M.}, title = {Resistance to authority}, school = {University of Wisconsin--Madison},
  publisher = {ProQuest Dissertations and Theses Global}, number = {10289373}, year = 2017
}
@misc{tricky,
  author = {Noro{\~n}a, Carmen Rosa and van der Berg, Jr., Jan and {{Zero to Three}}},
  title = {He said "hi" \& {left} 50\% of {\"O}sterreich},
  note = {A note, with {braces}}
}
"""


@pytest.fixture(scope="module")
def samples() -> dict[str, BibEntry]:
    return pybtex_entries(SAMPLES)


def bundled_entries() -> dict[str, BibEntry]:
    return load_bibliography([REPO / "references" / "references.bib"]).entries


# ----- BibTeX ------------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["samples", "bundled"])
def test_bibtex_round_trip_keeps_every_field_and_name(source: str, samples: dict[str, BibEntry]) -> None:
    """pybtex reads the export back to the same entries: type, fields and people's name parts, in order."""
    entries = samples if source == "samples" else bundled_entries()
    assert pybtex_entries(to_bibtex(entries)) == entries


def test_bibtex_of_entries_built_in_code_uses_the_mapping_keys() -> None:
    entry = BibEntry.from_pybtex(Entry("misc", fields={"title": "The site", "year": "2025"},
                                       persons={"author": [Person("{Example County}")]}))
    assert to_bibtex({"site2025": entry}) == (
        "@misc{site2025,\n"
        "  author = {{Example County}},\n"
        "  title  = {The site},\n"
        "  year   = {2025},\n"
        "}\n"
    )


def test_bibtex_drops_braces_it_cannot_balance() -> None:
    entry = BibEntry.from_pybtex(Entry("misc", fields={"title": "Smile :-} {ok}"}))
    assert pybtex_entries(to_bibtex({"k": entry}))["k"].fields["title"] == "Smile :- ok"


# ----- RIS -----------------------------------------------------------------------------------------


def ris_records(text: str) -> list[list[tuple[str, str]]]:
    """Parse RIS strictly: CRLF lines ``TAG  - value``, records from TY to ER."""
    assert "\n" not in text.replace("\r\n", ""), "RIS lines must end with CRLF"
    records: list[list[tuple[str, str]]] = []
    for line in text.split("\r\n"):
        if not line:
            continue
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert match, f"not a RIS line: {line!r}"
        tag, value = match.groups()
        if tag == "TY":
            records.append([])
        records[-1].append((tag, value))
    for record in records:
        assert record[0][0] == "TY" and record[-1] == ("ER", "")
    return records


def test_ris_book(samples: dict[str, BibEntry]) -> None:
    (record,) = ris_records(to_ris({"greenspan2006": samples["greenspan2006"]}))
    assert record == [
        ("TY", "BOOK"),
        ("AU", "Greenspan, Stanley I."),
        ("AU", "Wieder, Serena"),
        ("PY", "2006"),
        ("TI", "Infant and Early Childhood Mental Health: A Comprehensive Developmental Approach"),
        ("ET", "2"),
        ("PB", "American Psychiatric Publishing"),
        ("CY", "Arlington, VA"),
        ("ID", "greenspan2006"),
        ("ER", ""),
    ]


def test_ris_chapter(samples: dict[str, BibEntry]) -> None:
    (record,) = ris_records(to_ris({"pawl2006": samples["pawl2006"]}))
    assert record == [
        ("TY", "CHAP"),
        ("AU", "Pawl, Jeree H."),
        ("AU", "Milburn, Lynn A."),
        ("A2", "Foley, Gilbert M."),
        ("A2", "Hochman, Jane D."),
        ("PY", "2006"),
        ("TI", "Family- and relationship-centered principles and practices"),
        ("T2", "Mental health in early intervention: Achieving unity in principles and practice"),
        ("SP", "191"),
        ("EP", "226"),
        ("PB", "Brookes Publishing"),
        ("CY", "Baltimore, MD"),
        ("ID", "pawl2006"),
        ("ER", ""),
    ]


def test_ris_article(samples: dict[str, BibEntry]) -> None:
    (record,) = ris_records(to_ris({"schore2001": samples["schore2001"]}))
    assert record == [
        ("TY", "JOUR"),
        ("AU", "Schore, Allan N."),
        ("PY", "2001"),
        ("TI", "Effects of a secure attachment relationship on right brain development"),
        ("T2", "Infant Mental Health Journal"),
        ("SP", "7"),
        ("EP", "66"),
        ("VL", "22"),
        ("IS", "1–2"),
        ("DO", "10.1002/1097-0355(200101/04)22:1<7::AID-IMHJ2>3.0.CO;2-N"),
        ("ID", "schore2001"),
        ("ER", ""),
    ]


def test_a_thesis_is_published_by_its_university(samples: dict[str, BibEntry]) -> None:
    (record,) = ris_records(to_ris({"hollander2017": samples["hollander2017"]}))
    assert ("TY", "THES") in record and ("PB", "University of Wisconsin–Madison") in record
    (item,) = to_csl_json({"hollander2017": samples["hollander2017"]})
    assert (item["type"], item["genre"], item["publisher"], item["number"]) == (
        "thesis", "Doctoral dissertation", "University of Wisconsin–Madison", "10289373")


def test_ris_group_author_particles_and_latex(samples: dict[str, BibEntry]) -> None:
    (record,) = ris_records(to_ris({"tricky": samples["tricky"]}))
    assert [value for tag, value in record if tag == "AU"] == ["Noroña, Carmen Rosa", "van der Berg, Jan, Jr.", "Zero to Three"]
    assert ("TI", 'He said "hi" & left 50% of Österreich') in record
    assert ("N1", "A note, with braces") in record


def test_ris_of_the_bundled_database_has_one_record_per_entry() -> None:
    entries = bundled_entries()
    records = ris_records(to_ris(entries))
    assert [dict(record)["ID"] for record in records] == list(entries)
    assert all(dict(record).get("TI") and dict(record).get("PY") for record in records)


# ----- CSL-JSON ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def csl_validator() -> jsonschema.Draft7Validator:
    schema = json.loads(CSL_DATA_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


@pytest.mark.parametrize("source", ["samples", "bundled"])
def test_csl_json_is_valid(source: str, samples: dict[str, BibEntry], csl_validator: jsonschema.Draft7Validator) -> None:
    entries = samples if source == "samples" else bundled_entries()
    items = json.loads(json.dumps(to_csl_json(entries)))
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in csl_validator.iter_errors(items)]
    assert errors == []
    assert [item["id"] for item in items] == list(entries)


def test_the_schema_rejects_what_it_should(csl_validator: jsonschema.Draft7Validator) -> None:
    assert not csl_validator.is_valid([{"id": "x", "type": "journal-article"}])
    assert not csl_validator.is_valid([{"id": "x", "type": "book", "author": [{"surname": "X"}]}])


def test_csl_json_items(samples: dict[str, BibEntry]) -> None:
    items = {item["id"]: item for item in to_csl_json(samples)}
    assert items["schore2001"] == {
        "id": "schore2001",
        "type": "article-journal",
        "author": [{"family": "Schore", "given": "Allan N."}],
        "issued": {"date-parts": [[2001, 1]]},
        "title": "Effects of a secure attachment relationship on right brain development",
        "container-title": "Infant Mental Health Journal",
        "volume": "22",
        "issue": "1–2",
        "page": "7-66",
        "DOI": "10.1002/1097-0355(200101/04)22:1<7::AID-IMHJ2>3.0.CO;2-N",
    }
    assert items["pawl2006"]["type"] == "chapter"
    assert items["pawl2006"]["editor"] == [{"family": "Foley", "given": "Gilbert M."}, {"family": "Hochman", "given": "Jane D."}]
    assert items["pawl2006"]["container-title"].startswith("Mental health in early intervention")
    assert (items["pawl2006"]["page"], items["pawl2006"]["publisher-place"]) == ("191-226", "Baltimore, MD")
    assert items["greenspan2006"]["edition"] == "2"
    assert items["nscdc2010"] == {
        "id": "nscdc2010",
        "type": "report",
        "author": [{"literal": "National Scientific Council on the Developing Child"}],
        "issued": {"date-parts": [[2010]]},
        "title": "Persistent fear and anxiety can affect young children's learning and development",
        "number": "9",
        "publisher": "Harvard University",
        "genre": "Working Paper",
        "URL": "https://developingchild.harvard.edu/",
    }
    assert items["tricky"]["author"] == [
        {"family": "Noroña", "given": "Carmen Rosa"},
        {"family": "Berg", "given": "Jan", "non-dropping-particle": "van der", "suffix": "Jr."},
        {"literal": "Zero to Three"},
    ]
    assert items["tricky"]["type"] == "document" and "issued" not in items["tricky"]


def test_latex_fields_export_as_unicode_text_while_bibtex_keeps_the_source() -> None:
    entries = pybtex_entries(r"""@article{k, author = {Noro{\~n}a, Carmen},
        title = {The \emph{Homo sapiens} Case: 7--66 \& {M}ore}, journal = {J}, year = 2000}""")
    ris_lines = to_ris(entries).splitlines()
    assert "AU  - Noroña, Carmen" in ris_lines and "TI  - The Homo sapiens Case: 7–66 & More" in ris_lines
    (item,) = to_csl_json(entries)
    assert (item["author"], item["title"]) == ([{"family": "Noroña", "given": "Carmen"}],
                                               "The Homo sapiens Case: 7–66 & More")
    assert r"title   = {The \emph{Homo sapiens} Case: 7--66 \& {M}ore}," in to_bibtex(entries)


# ----- files made of pieces: the same bytes as before, whole database and each work ---------------


@pytest.fixture(scope="module")
def synthetic() -> dict[str, BibEntry]:
    return pybtex_entries((RECORDED / "synthetic.bib").read_text(encoding="utf-8"))


@pytest.mark.parametrize("extension", EXPORT_EXTENSIONS)
def test_the_whole_database_file_is_byte_identical_to_the_recorded_export(extension: str,
                                                                            synthetic: dict[str, BibEntry]) -> None:
    pieces = [export_pieces(key, entry)[extension] for key, entry in synthetic.items()]
    assert export_file(extension, pieces).encode("utf-8") == (RECORDED / f"expected.{extension}").read_bytes()


def test_the_functions_for_a_set_of_entries_agree_with_the_recorded_export(synthetic: dict[str, BibEntry]) -> None:
    assert to_bibtex(synthetic).encode("utf-8") == (RECORDED / "expected.bib").read_bytes()
    assert to_ris(synthetic).encode("utf-8") == (RECORDED / "expected.ris").read_bytes()
    assert to_csl_json(synthetic) == json.loads((RECORDED / "expected.json").read_bytes())


@pytest.mark.parametrize("source", ["synthetic", "samples"])
def test_a_works_own_file_is_what_exporting_it_alone_gives(source: str, synthetic: dict[str, BibEntry],
                                                          samples: dict[str, BibEntry]) -> None:
    entries = synthetic if source == "synthetic" else samples
    for key, entry in entries.items():
        pieces = export_pieces(key, entry)
        alone = {key: entry}
        assert export_file("bib", [pieces["bib"]]) == to_bibtex(alone)
        assert export_file("ris", [pieces["ris"]]) == to_ris(alone)
        assert export_file("json", [pieces["json"]]) == json.dumps(to_csl_json(alone), ensure_ascii=False, indent=2)


@pytest.mark.parametrize("extension", EXPORT_EXTENSIONS)
def test_an_export_of_no_entries(extension: str) -> None:
    assert export_file(extension, []) == {"bib": "", "ris": "", "json": "[]"}[extension]


_JSON_TEXT = st.text(st.characters(codec="utf-8"))  # quotes, backslashes, controls, U+2028, astral
_CSL_VALUES: st.SearchStrategy[CslValue] = st.recursive(
    _JSON_TEXT | st.integers(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_JSON_TEXT, inner, max_size=4),
    max_leaves=12,
)


@given(_CSL_VALUES)
def test_the_indented_json_writer_writes_what_json_dumps_writes(value: CslValue) -> None:
    assert _indented_json(value, "") == json.dumps(value, ensure_ascii=False, indent=2)
