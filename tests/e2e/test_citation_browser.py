"""A researcher cites the imported reference article: meta tags, «Как цитировать», BibTeX."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import bibtexparser
import pytest

from django.core.management import call_command

from vestnik.articles.models import ArticlePage
from vestnik.site.services import site_setup

REFERENCE_PAGE = (
    Path(__file__).resolve().parents[2] / "vestnik/importers/tests/files/reference_page.txt"
)
TITLE = "На перекрестке Евразии: динамика казахстанско-турецкого военного сотрудничества"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wagtail_baseline_ensure() -> None:
    """Put back what Wagtail's migrations create and a transactional test's flush removes.

    Live-server tests run in transactions that are flushed afterwards, taking the
    root page, root collection and default locale with them; the next test needs
    them to set up a site. (`serialized_rollback` would do this, but pytest-django
    serialises the database only when such a test is the first to ask for it.)
    """
    from django.conf import settings

    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


@pytest.fixture
def reference_article(live_server: Any) -> ArticlePage:
    wagtail_baseline_ensure()
    site_setup()  # what `make run` does: page tree, groups, share links
    call_command("import_page", str(REFERENCE_PAGE), "--publish", stdout=io.StringIO())
    return ArticlePage.objects.live().get()


def test_citation_meta_tags_for_zotero(
    page: Any, live_server: Any, reference_article: ArticlePage
) -> None:
    page.goto(live_server.url + reference_article.url)

    def meta(name: str) -> list[str]:
        return [
            element.get_attribute("content")
            for element in page.locator(f'head meta[name="{name}"]').all()
        ]

    assert meta("citation_title") == [TITLE]
    assert meta("citation_author") == ["Жакупов, Асан"]
    assert meta("citation_publication_date") == ["2025/11/28"]
    assert meta("citation_journal_title") == ["Вестник"]
    assert meta("citation_language") == ["ru"]
    [pdf_url] = meta("citation_pdf_url")
    assert pdf_url.endswith(f"{reference_article.url}pdf/")
    references = meta("citation_reference")
    assert references == [
        "citation_title=The military balance 2024; citation_publication_date=2024; "
        "citation_publisher=International Institute of Strategic Studies"
    ]


def test_how_to_cite_shows_todays_date_and_downloads_bibtex(
    browser: Any, live_server: Any, reference_article: ArticlePage
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    try:
        page.goto(live_server.url + reference_article.url)
        block = page.locator("section.cite")
        gost = block.locator("#cite-gost")
        today = page.evaluate(
            "() => { const d = new Date(); "
            "return [d.getFullYear(), d.getMonth() + 1, d.getDate()]; }"
        )
        date = datetime.date(*today)
        assert gost.inner_text().startswith(
            f"Жакупов А. {TITLE} // Блог Асана Жакупова. 28.11.2025."
        )
        assert gost.inner_text().endswith(f"(дата обращения: {date:%d.%m.%Y}).")
        assert gost.locator("time").get_attribute("datetime") == date.isoformat()
        assert "(2025, November 28)" in block.locator("#cite-apa").inner_text()

        copy = block.locator('[data-cite-copy="cite-gost"]')
        assert copy.is_visible()
        copy.click()
        assert page.evaluate("() => navigator.clipboard.readText()") == gost.inner_text()
        assert block.locator(".cite__status").inner_text() != ""

        with page.expect_download() as download_info:
            block.get_by_role("link", name="BibTeX", exact=True).click()
        download = download_info.value
        assert download.suggested_filename == "zhakupov2025perekrestke.bib"
        library = bibtexparser.parse_string(Path(download.path()).read_text(encoding="utf-8"))
        assert library.failed_blocks == []
        [entry] = library.entries
        assert entry.entry_type == "online"
        assert entry["title"] == TITLE
        assert entry["author"] == "Жакупов, Асан"
        assert entry["date"] == "2025-11-28"
        assert entry["url"].endswith(reference_article.url)
    finally:
        context.close()


def test_without_javascript_the_citation_still_reads(
    browser: Any, live_server: Any, reference_article: ArticlePage
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + reference_article.url)
        gost = page.locator("#cite-gost").inner_text()
        assert gost.endswith("(дата обращения: дд.мм.гггг).")
        assert page.locator("[data-cite-copy]").first.is_hidden()
        assert page.locator("section.cite").get_by_role("link", name="RIS", exact=True).is_visible()
    finally:
        context.close()
