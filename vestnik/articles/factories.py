"""Test and benchmark builders for experts, blogs and articles (no factory library needed)."""

from __future__ import annotations

import datetime
from typing import Any

from wagtail.models import Locale

from vestnik.articles.models import ArticleFootnote, ArticlePage, BlogPage
from vestnik.articles.services import blogs_index_page
from vestnik.authors.models import Expert
from vestnik.core.locales import in_language
from vestnik.core.text import latin_slug


def expert_with_blog(
    full_name: str = "Ирина Соколова", genitive: str = "Ирины Соколовой"
) -> BlogPage:
    expert, _ = Expert.objects.get_or_create(
        slug=latin_slug(full_name), defaults={"full_name": full_name, "name_genitive": genitive}
    )
    existing = in_language(BlogPage.objects.filter(expert=expert), "ru").first()
    if existing is not None:
        return existing
    blog = BlogPage(title=expert.blog_title, slug=expert.slug, expert=expert)
    index = blogs_index_page()
    index.add_child(instance=blog)
    blog.save_revision().publish()
    return blog


def article_in_blog(
    blog: BlogPage,
    *,
    title: str = "Каспийский транзит и новые маршруты",
    date: datetime.date = datetime.date(2025, 11, 28),
    lead: str = "Короткий лид статьи.",
    body: list[tuple[str, Any]] | None = None,
    footnotes: dict[str, str] | None = None,
    publish: bool = True,
    **fields: Any,
) -> ArticlePage:
    article = ArticlePage(
        title=title,
        slug=latin_slug(title),
        lead=lead,
        publication_date=date,
        body=body
        if body is not None
        else [
            ("paragraph", "<p>Первый абзац со ссылкой [^1].</p>"),
            ("heading", {"text": "Первый раздел", "level": "h2"}),
            ("paragraph", "<p>Второй абзац, снова [^1], и ещё одна [^2].</p>"),
        ],
        live=publish,
        **fields,
    )
    blog.add_child(instance=article)
    notes = (
        footnotes
        if footnotes is not None
        else {"1": "<p>Первая сноска.</p>", "2": "<p>Вторая сноска.</p>"}
    )
    for order, (key, text) in enumerate(notes.items()):
        article.footnotes.add(ArticleFootnote(key=key, text=text, sort_order=order))
    revision = article.save_revision()
    if publish:
        revision.publish()
    return article


def english_translation(
    article: ArticlePage,
    *,
    title: str = "Caspian transit and new routes",
    lead: str = "A short lead of the article.",
    body: list[tuple[str, Any]] | None = None,
    footnotes: dict[str, str] | None = None,
    publish: bool = True,
) -> ArticlePage:
    """The article's English translation under /en/, in its expert's English blog."""
    locale, _ = Locale.objects.get_or_create(language_code="en")
    blog = article.get_parent().specific
    if blog.get_translation_or_none(locale) is None:
        translated_blog = blog.copy_for_translation(locale)
        if blog.live and not translated_blog.live:
            translated_blog.save_revision().publish()
    translation: ArticlePage = article.copy_for_translation(locale)
    translation.title = translation.draft_title = title
    translation.slug = latin_slug(title)
    translation.lead = lead
    translation.body = (
        body
        if body is not None
        else [
            ("paragraph", "<p>The first paragraph with a note [^1].</p>"),
            ("heading", {"text": "The first section", "level": "h2"}),
            ("paragraph", "<p>The second paragraph, again [^1], and one more [^2].</p>"),
        ]
    )
    notes = (
        footnotes
        if footnotes is not None
        else {"1": "<p>The first note.</p>", "2": "<p>The second note.</p>"}
    )
    # A note of the source keeps its copy (and translation key), as wagtail-localize pairs them.
    copied = {note.key: note for note in translation.footnotes.all()}
    translated_notes = []
    for order, (key, text) in enumerate(notes.items()):
        note = copied.get(key) or ArticleFootnote(key=key)
        note.text, note.sort_order = text, order
        translated_notes.append(note)
    translation.footnotes = translated_notes  # type: ignore[assignment]
    translation.save()
    revision = translation.save_revision()
    if publish:
        revision.publish()
    return translation
