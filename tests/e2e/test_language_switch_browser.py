"""A reader walks the language switch in a real browser: an article and its translation,
an article without one, a blog, and a page outside the page tree (search)."""

from __future__ import annotations

from typing import Any

import pytest

from vestnik.articles.factories import article_in_blog, english_translation, expert_with_blog
from vestnik.site.services import site_setup

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def articles(live_server: Any) -> dict[str, Any]:
    site_setup()
    blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
    translated = article_in_blog(blog, title="Каспийский транзит и новые маршруты")
    english = english_translation(translated, title="Caspian transit and new routes")
    untranslated = article_in_blog(blog, title="Арктика без льда")
    return {"blog": blog, "ru": translated, "en": english, "untranslated": untranslated}


def switch_to(page: Any, language: str) -> None:
    page.click(f'.language-switch a[hreflang="{language}"]')
    page.wait_for_load_state()


def test_an_article_and_its_translation(page: Any, live_server: Any, articles: Any) -> None:
    page.goto(live_server.url + articles["ru"].url)
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator(".share__title").inner_text() == "Поделиться статьей"
    # The link at the top of the article, in the reader's language.
    read_in = page.locator(".article__translation a")
    assert read_in.inner_text() == "Читать на английском"
    read_in.click()
    page.wait_for_url("**" + articles["en"].url)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("article").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().replace("\xa0", " ") == "Caspian transit and new routes"
    assert page.locator(".article__meta time").inner_text() == "28 November 2025"
    assert page.locator(".share__title").inner_text() == "Share the article"
    assert "Asan Zhakupov" in page.locator(".byline").inner_text()
    assert "Каспийский" not in page.locator("main").inner_text()
    # And back through the header's switch.
    switch_to(page, "ru")
    page.wait_for_url("**" + articles["ru"].url)
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator(".article__translation a").inner_text() == "Читать на английском"
    page.goto(live_server.url + articles["en"].url)
    assert page.locator(".article__translation a").inner_text() == "Read in Russian"


def test_an_untranslated_article_leads_to_the_english_blog_and_says_so(
    page: Any, live_server: Any, articles: Any
) -> None:
    page.goto(live_server.url + articles["untranslated"].url)
    assert page.locator(".article__translation").count() == 0
    assert page.locator(".language-switch__note").inner_text() == "страница не переведена"
    switch_to(page, "en")
    # The expert's English blog: the nearest page that exists in English.
    page.wait_for_url("**/en/blogs/asan-zhakupov/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Asan Zhakupov's Blog"
    cards = page.locator(".card__title").all_inner_texts()
    assert [title.replace("\xa0", " ") for title in cards] == ["Caspian transit and new routes"]


def test_a_blog_and_the_search_page_keep_their_place(
    page: Any, live_server: Any, articles: Any
) -> None:
    page.goto(live_server.url + articles["blog"].url)
    switch_to(page, "en")
    page.wait_for_url("**/en/blogs/asan-zhakupov/")
    switch_to(page, "ru")
    page.wait_for_url("**/blogs/asan-zhakupov/")
    assert page.locator("html").get_attribute("lang") == "ru"

    page.goto(live_server.url + "/search/")
    switch_to(page, "en")
    page.wait_for_url("**/en/search/")
    assert page.locator("html").get_attribute("lang") == "en"
