"""A reader opens the imported reference article in a real browser."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from django.core.management import call_command

from vestnik.articles.models import ArticlePage
from vestnik.site.services import site_setup

REFERENCE_PAGE = (
    Path(__file__).resolve().parents[2] / "vestnik/importers/tests/files/reference_page.txt"
)

# serialized_rollback restores the page tree that migrations create, which a
# transactional test would otherwise leave empty for the tests after it.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def reference_article(live_server: Any) -> ArticlePage:
    site_setup()  # what `make run` does: page tree, groups, share links
    call_command("import_page", str(REFERENCE_PAGE), "--publish", stdout=io.StringIO())
    return ArticlePage.objects.live().get()


def test_footnote_two_and_back(page: Any, live_server: Any, reference_article: ArticlePage) -> None:
    page.goto(live_server.url + reference_article.url)
    # Typography binds short words with no-break spaces; compare the words, not the spaces.
    assert page.locator("h1").inner_text().replace("\xa0", " ").startswith("На перекрестке Евразии")
    assert page.locator(".article__meta time").get_attribute("datetime") == "2025-11-28"
    assert page.locator(".article__meta time").inner_text() == "28 ноября 2025"

    page.locator('a[role="doc-noteref"][href="#fn-2"]').first.click()
    page.wait_for_url("**#fn-2")
    note = page.locator("#fn-2")
    assert note.get_attribute("role") == "doc-endnote"
    assert "The military balance 2024" in note.inner_text()
    assert note.evaluate("el => el.matches(':target')")

    note.locator('a[role="doc-backlink"]').first.click()
    page.wait_for_url("**#fnref-2")
    assert page.locator("#fnref-2").evaluate("el => el.matches(':target')")
    assert page.evaluate("window.scrollY") > 500


def test_print_view_has_no_share_block(
    page: Any, live_server: Any, reference_article: ArticlePage
) -> None:
    page.goto(live_server.url + reference_article.url)
    page.click("a.article__print")
    page.wait_for_url("**/print/")
    assert page.locator(".share").count() == 0
    assert page.locator(".site-nav").count() == 0
    assert page.locator('[role="doc-endnotes"] li').count() == 3
    assert "Источник: пресс-служба президента РК" in page.locator("figure").first.inner_text()
    assert "Дата обращения" in page.content()
    page.emulate_media(media="print")
    assert page.locator(".print-view__actions").is_hidden()
