"""A report's citation in every style and format, without a database."""

from __future__ import annotations

import datetime
import json

import bibtexparser
import rispy

from vestnik.articles.citations import formats
from vestnik.articles.citations.names import Person
from vestnik.articles.citations.records import CitationRecord
from vestnik.articles.citations.styles import (
    apa_citation,
    chicago_citation,
    gost_citation,
    plain_text,
)

NBSP = "\xa0"


def record(**fields: object) -> CitationRecord:
    values: dict[str, object] = {
        "key": "zhakupov2025kaspiyskiy",
        "title": "Каспийский транзит: порты и тарифы",
        "authors": (Person("Жакупов", "Асан"), Person("Соколова", "Ирина")),
        "container_title": "",
        "publisher": "Вестник",
        "issued": datetime.date(2025, 11, 28),
        "url": "https://example.org/publications/kaspiyskiy/",
        "language": "ru",
        "pdf_url": "https://example.org/publications/7/download/",
        "kind": "report",
        "number": "91/2025",
        "genre": "Рабочая тетрадь",
        "series": "Рабочие тетради",
        "place": "Москва",
        "page_count": 48,
        "isbn": "978-5-00000-000-0",
        "doi": "10.1234/vestnik.91",
    }
    values.update(fields)
    return CitationRecord(**values)  # type: ignore[arg-type]


def test_gost_report() -> None:
    text = plain_text(gost_citation(record(), accessed=datetime.date(2025, 12, 1)))
    assert text == (
        f"Жакупов А. Каспийский транзит: порты и тарифы : рабочая тетрадь №{NBSP}91/2025"
        " / А. Жакупов, И. Соколова. – Москва : Вестник, 2025."
        f" – 48{NBSP}с. – ISBN 978-5-00000-000-0. – DOI: 10.1234/vestnik.91."
        " – URL: https://example.org/publications/kaspiyskiy/ (дата обращения: 01.12.2025)."
    )


def test_gost_report_with_four_authors_and_placeholder() -> None:
    authors = tuple(Person(f"Автор{i}", "Иван") for i in range(4))
    html = str(gost_citation(record(authors=authors, place=""), access_placeholder=True))
    assert html.startswith("Каспийский транзит")
    assert "[и др.]" in html
    assert "– Вестник, 2025" in html
    assert "data-cite-accessed" in html


def test_apa_report() -> None:
    html = str(apa_citation(record()))
    assert html == (
        "Жакупов, А., &amp; Соколова, И. (2025). <i>Каспийский транзит: порты и тарифы</i>"
        f" (Рабочая тетрадь №{NBSP}91/2025). Вестник. https://doi.org/10.1234/vestnik.91"
    )


def test_chicago_report_in_english() -> None:
    english = record(
        title="Caspian transit: ports and tariffs",
        authors=(Person("Zhakupov", "Asan"),),
        language="en",
        genre="Working Paper",
        publisher="Vestnik",
        place="Moscow",
        doi="",
    )
    assert str(chicago_citation(english)) == (
        "Zhakupov, Asan. <i>Caspian Transit: Ports and Tariffs</i>."
        f" Working Paper No.{NBSP}91/2025. Moscow: Vestnik, 2025."
        " https://example.org/publications/kaspiyskiy/"
    )
    assert f"(Working Paper No.{NBSP}91/2025)" in str(apa_citation(english))


def test_machine_formats_parse() -> None:
    entry = bibtexparser.parse_string(formats.article_bibtex(record())).entries[0]
    assert entry.entry_type == "techreport"
    fields = {name: field.value for name, field in entry.fields_dict.items()}
    assert fields["number"] == "91/2025"
    assert fields["institution"] == "Вестник"
    assert fields["type"] == "Рабочая тетрадь"
    assert fields["pagetotal"] == "48"
    assert fields["author"] == "Жакупов, Асан and Соколова, Ирина"

    ris = rispy.loads(formats.article_ris(record()))[0]
    assert ris["type_of_reference"] == "RPRT"
    assert ris["number"] == "91/2025"
    assert ris["issn"] == "978-5-00000-000-0"
    assert ris["file_attachments1"] == "https://example.org/publications/7/download/"

    item = json.loads(formats.article_csl_json(record()))[0]
    assert item["type"] == "report"
    assert item["collection-title"] == "Рабочие тетради"
    assert item["number-of-pages"] == "48"
    assert item["DOI"] == "10.1234/vestnik.91"


def test_a_post_is_still_a_post() -> None:
    post = record(kind="post", container_title="Блог Асана Жакупова")
    assert formats.article_bibtex(post).startswith("@online{")
    assert rispy.loads(formats.article_ris(post))[0]["type_of_reference"] == "BLOG"
    assert json.loads(formats.article_csl_json(post))[0]["type"] == "post-weblog"
