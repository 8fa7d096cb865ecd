r"""Content for the page benchmark, run inside Django by `bench/run.py`:

    manage.py shell --no-imports -c \
      "import runpy; runpy.run_path('bench/pages_content.py', run_name='__main__')"

Makes sure the bench database has articles to render (the demo's own when it has
them, otherwise a generated set of the same shape), adds a bare Wagtail page as
the floor and a *stock Wagtail article* (`bench.stock_wagtail`) holding the
longest article's text as the fair baseline, and prints one JSON line with the
URLs to measure. Generated
text comes from a fixed seed so that every run renders the same bytes.
"""

from __future__ import annotations

import datetime
import html
import json
import random
from typing import Any
from urllib.parse import quote

from django.apps import apps
from django.db import transaction
from django.db.models import Count
from django.urls import reverse

from wagtail.models import Page

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.articles.footnotes import MARKER
from vestnik.articles.models import ArticlePage
from vestnik.core.text import word_count
from vestnik.discovery.selectors import term_url
from vestnik.events.models import EventPage
from vestnik.insights.models import Entity
from vestnik.publications.models import PublicationPage
from vestnik.site.models import BlogIndexPage, HomePage, SectionPage
from vestnik.vocabulary.models import Country, Topic

BARE_SLUG = "bench-bare-wagtail-page"
STOCK_SLUG = "bench-stock-wagtail-article"
OTHER_ARTICLES = 12
SEED = 20251128

# Common Russian words so that typography filters and hyphenation see real text.
_VOCABULARY_TEXT = (
    "экспорт импорт транзит порт маршрут рынок спрос предложение грузопоток инвестиции "
    "соглашение правительство регион страна союз политика экономика энергетика газ нефть "
    "уголь пшеница контейнер железная дорога море берег пролив канал тариф пошлина санкции "
    "банк валюта кредит бюджет доля рост спад прогноз оценка данные статистика исследование "
    "институт эксперт аналитик решение проблема вопрос причина следствие условие ограничение "
    "возможность риск выгода издержки сроки график партнёр поставщик покупатель перевозчик "
    "за последние годы в первую очередь по оценкам несмотря на при этом кроме того однако "
    "поэтому вместе с тем прежде всего в результате то есть например в частности"
)
VOCABULARY = _VOCABULARY_TEXT.split()
EXPERTS = (
    ("Ирина Соколова", "Ирины Соколовой"),
    ("Асан Жакупов", "Асана Жакупова"),
    ("Павел Корсаков", "Павла Корсакова"),
)
TOPICS = (("logistics", "Логистика", "Logistics"), ("energy", "Энергетика", "Energy"))
COUNTRIES = (("KZ", "Казахстан", "Kazakhstan"), ("TR", "Турция", "Turkey"))


def _sentence(rng: random.Random) -> str:
    words = rng.choices(VOCABULARY, k=rng.randint(9, 16))
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, words: int, cite: str = "") -> str:
    sentences: list[str] = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(_sentence(rng))
    if cite:
        sentences[len(sentences) // 2] = sentences[len(sentences) // 2][:-1] + f"[^{cite}]."
    return "<p>" + " ".join(sentences) + "</p>"


def _body(
    rng: random.Random, *, paragraphs: int, words: int, headings: int, notes: list[str]
) -> list[tuple[str, Any]]:
    body: list[tuple[str, Any]] = []
    every = max(1, paragraphs // max(1, headings))
    for index in range(paragraphs):
        if headings and index % every == 0 and index // every < headings:
            text = " ".join(rng.choices(VOCABULARY, k=4)).capitalize()
            body.append(("heading", {"text": f"{index // every + 1}. {text}", "level": "h2"}))
        cite = notes[index % len(notes)] if index < len(notes) * 2 else ""
        body.append(("paragraph", _paragraph(rng, words, cite)))
    return body


@transaction.atomic
def generated_articles_ensure() -> None:
    """A ~2,000-word article with 8 notes and 4 headings, and a dozen shorter ones."""
    rng = random.Random(SEED)
    topics = [
        Topic.objects.get_or_create(slug=slug, defaults={"name_ru": ru, "name_en": en})[0]
        for slug, ru, en in TOPICS
    ]
    countries = [
        Country.objects.get_or_create(
            iso_code=code, defaults={"slug": code.lower(), "name_ru": ru, "name_en": en}
        )[0]
        for code, ru, en in COUNTRIES
    ]
    blogs = [expert_with_blog(name, genitive) for name, genitive in EXPERTS]
    notes = [f"n{number}" for number in range(1, 9)]
    long_article = article_in_blog(
        blogs[0],
        title="Каспийский транзит: длинная статья для замеров",
        lead=_sentence(rng) + " " + _sentence(rng),
        body=_body(rng, paragraphs=20, words=100, headings=4, notes=notes),
        footnotes={key: _paragraph(rng, 25) for key in notes},
        date=datetime.date(2025, 12, 1),
    )
    long_article.topics.set(topics)
    long_article.countries.set(countries)
    long_article.save_revision().publish()
    for number in range(OTHER_ARTICLES):
        article = article_in_blog(
            blogs[number % len(blogs)],
            title=f"Статья {number + 1}: " + " ".join(rng.choices(VOCABULARY, k=4)),
            lead=_sentence(rng),
            body=_body(rng, paragraphs=5, words=80, headings=1, notes=["1", "2"]),
            footnotes={"1": _paragraph(rng, 20), "2": _paragraph(rng, 20)},
            date=datetime.date(2025, 11, 1) + datetime.timedelta(days=number),
        )
        article.topics.set([topics[number % len(topics)]])
        article.countries.set([countries[number % len(countries)]])
        article.save_revision().publish()


@transaction.atomic
def bare_page_ensure(home: Page) -> Page:
    """A plain `wagtail.models.Page` under the home page: Wagtail's own `page.html`, no queries
    of ours and no page cache, so its cost is what any Wagtail site pays per request."""
    existing = Page.objects.child_of(home).filter(slug=BARE_SLUG).first()
    if existing is not None:
        return existing
    page = Page(title="Bare Wagtail page", slug=BARE_SLUG)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def stock_body(article: ArticlePage) -> str:
    """The article as a stock Wagtail site would store it in one `RichTextField`.

    The same text: lead, headings as <h2>, paragraphs, quotes, table captions
    and cells, each image as a rich-text embed; footnote markers become plain
    superscript links to a list of the same notes at the end. No typography,
    no table of contents, no citations: what Wagtail gives without our features.
    """
    index = article.footnote_index()
    numbers = {note.key: note.number for note in index.notes}

    def notes_linked(source: str) -> str:
        def link(match: Any) -> str:
            number = numbers.get(match.group(1))
            if number is None:
                return match.group(0)
            return f'<sup><a href="#fn-{number}" id="fnref-{number}">{number}</a></sup>'

        return MARKER.sub(link, source)

    parts = [f"<p>{html.escape(article.lead)}</p>"] if article.lead else []
    for block in article.body:
        value = block.value
        if block.block_type == "heading":
            parts.append(f"<h2>{html.escape(value['text'])}</h2>")
        elif block.block_type == "paragraph":
            parts.append(notes_linked(value.source))
        elif block.block_type == "quote":
            attribution = (
                f"<p>{html.escape(value['attribution'])}</p>" if value["attribution"] else ""
            )
            parts.append(
                f"<blockquote>{notes_linked(value['text'].source)}{attribution}</blockquote>"
            )
        elif block.block_type == "image":
            alt = html.escape(value["alt"] or value["caption"] or "", quote=True)
            parts.append(
                f'<embed embedtype="image" id="{value["image"].pk}" format="fullwidth" '
                f'alt="{alt}"/>'
            )
            if value["caption"]:
                parts.append(f"<p>{html.escape(value['caption'])}</p>")
        elif block.block_type == "table":
            rows = (value or {}).get("data") or []
            cells = "".join(
                "<tr>" + "".join(f"<td>{html.escape(cell or '')}</td>" for cell in row) + "</tr>"
                for row in rows
            )
            caption = (value or {}).get("table_caption") or ""
            parts.append(f"<table><caption>{html.escape(caption)}</caption>{cells}</table>")
    if index.notes:
        notes = "".join(
            f'<li id="fn-{note.number}">{note.html} <a href="#fnref-{note.number}">↩</a></li>'
            for note in index.notes
        )
        parts.append(f"<h2>Примечания</h2><ol>{notes}</ol>")
    return "".join(parts)


@transaction.atomic
def stock_article_ensure(home: Page, article: ArticlePage) -> Page | None:
    """The longest article as a stock Wagtail page under the home page (bench settings only)."""
    if not apps.is_installed("bench.stock_wagtail"):
        return None
    from bench.stock_wagtail.models import StockArticlePage  # installed by bench/settings.py only

    page = StockArticlePage.objects.child_of(home).filter(slug=STOCK_SLUG).first()
    if page is None:
        page = StockArticlePage(title=article.title, slug=STOCK_SLUG)
        page.body = stock_body(article)
        home.add_child(instance=page)
    else:
        page.title, page.body = article.title, stock_body(article)
    page.save_revision().publish()
    return page


def longest_article() -> tuple[ArticlePage, int]:
    lengths = [
        (word_count(a.plain_text), a)
        for a in ArticlePage.objects.live().public().filter(locale__language_code="ru")
    ]
    words, article = max(lengths, key=lambda pair: pair[0])
    return article, words


def main() -> None:
    generated = not ArticlePage.objects.live().exists()
    if generated:
        generated_articles_ensure()
    home = HomePage.objects.get(locale__language_code="ru")
    article, words = longest_article()
    blog = article.get_parent()
    urls = {
        "article": article.get_url(),
        "blog_index": BlogIndexPage.objects.get(locale__language_code="ru").get_url(),
        "blog": blog.get_url(),
        "home": home.get_url(),
        "bare": bare_page_ensure(home).get_url(),
    }
    section = SectionPage.objects.live().order_by("path").first()
    if section is not None:
        urls["section"] = section.get_url()
    country = Country.objects.annotate(n=Count("articles")).order_by("-n", "pk").first()
    if country is not None:
        urls["country"] = term_url(country)
    entity = (
        Entity.objects.filter(merged_into__isnull=True)
        .annotate(n=Count("mentions"))
        .order_by("-n", "pk")
        .first()
    )
    if entity is not None:
        urls["entity"] = reverse("insights:entity", args=[entity.slug])
    english = (
        ArticlePage.objects.live()
        .public()
        .filter(locale__language_code="en")
        .order_by("pk")
        .first()
    )
    if english is not None:
        # The demo's English translations: the same page type under /en/.
        urls["article_en"] = english.get_url()
    # The library, a publication with its PDF and an event: the demo's, where loaded.
    publication = PublicationPage.objects.live().public().filter(locale__language_code="ru").first()
    if publication is not None:
        urls["publications"] = publication.get_parent().get_url()
        urls["publication"] = publication.get_url()
    event = EventPage.objects.live().public().filter(locale__language_code="ru").first()
    if event is not None:
        urls["event"] = event.get_url()
    urls["search"] = reverse("search") + "?q=" + quote("транзит")
    # The JSON API beside the HTML: a list page as a client reads it, the longest article.
    urls["api_articles"] = "/api/v1/articles/?language=ru&limit=20"
    urls["api_article"] = f"/api/v1/articles/{article.pk}/"
    if (stock := stock_article_ensure(home, article)) is not None:
        urls["stock_article"] = stock.get_url()
    print(
        json.dumps(
            {
                "urls": urls,
                "content": "generated" if generated else "demo",
                "articles": ArticlePage.objects.live().count(),
                "article_title": article.title,
                "article_words": words,
                "article_footnotes": article.footnotes.count(),
                "article_headings": len(article.table_of_contents),
                "blog_articles": ArticlePage.objects.child_of(blog).live().count(),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
