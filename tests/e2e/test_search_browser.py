"""A reader types a word form into the header search and sees the matching article marked."""

from __future__ import annotations

from typing import Any

import pytest

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.site.services import site_setup

# serialized_rollback: other transactional tests may have flushed the database;
# these need the Wagtail root page and site that migrations create.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def articles(live_server: Any) -> None:
    site_setup()
    blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
    article_in_blog(
        blog,
        title="Казахстан и Турция: военное сотрудничество",
        body=[("paragraph", "<p>Армия получила турецкие беспилотники «Байрактар».</p>")],
        footnotes={},
    )
    article_in_blog(
        blog,
        title="Нефть и газ",
        body=[("paragraph", "<p>Экспорт нефти растёт.</p>")],
        footnotes={},
    )


def test_header_search_finds_word_forms_and_marks_them(
    page: Any, live_server: Any, articles: None
) -> None:
    page.goto(live_server.url + "/")
    field = page.locator("form.site-search").get_by_role("searchbox")
    assert field.evaluate("el => el.labels.length") == 1  # named for screen readers
    field.fill("турецких беспилотников")
    field.press("Enter")
    page.wait_for_url("**/search/?q=*")

    hits = page.locator(".search-hit")
    assert hits.count() == 1
    assert "Казахстан и Турция" in hits.first.locator("h2").inner_text()
    marked = hits.first.locator(".search-hit__snippet mark").all_inner_texts()
    assert marked == ["турецкие", "беспилотники"]
    assert page.locator("#search-query").input_value() == "турецких беспилотников"

    hits.first.locator("h2 a").click()
    page.wait_for_url("**/blogs/**")
    assert page.locator("h1").inner_text().startswith("Казахстан и")


def test_hostile_query_is_shown_as_text(page: Any, live_server: Any, articles: None) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(live_server.url + "/search/?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert page.locator("#search-query").input_value() == "<script>alert(1)</script>"
    assert page.locator(".search-hit").count() == 0
    assert dialogs == []
