"""What writes in the publications app: the library's index page, download counts."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from wagtail.models import Locale, Page

from vestnik.articles.services import SiteNotSetUp
from vestnik.core.locales import in_language
from vestnik.publications.models import DownloadCount, PublicationIndexPage, PublicationPage

INDEX_SLUG = "publications"
INDEX_TITLES = {"ru": "Публикации", "en": "Publications"}


def publications_index_page(language: str | None = None) -> PublicationIndexPage:
    """The library in `language` (the site's first by default); `SiteNotSetUp` if missing."""
    index = in_language(
        PublicationIndexPage.objects.all(), language or settings.LANGUAGE_CODE
    ).first()
    if index is None:
        raise SiteNotSetUp(
            "The site has no publications library yet: run `python manage.py setup_site` first."
        )
    return index


@transaction.atomic
def publications_index_ensure(language: str | None = None) -> PublicationIndexPage:
    """The library in `language`, made and published if missing.

    The first language's is a child of its home page (found by the index's own
    `parent_page_types`, so this floor never names the home page's type);
    another language's is the translation of the first's.
    """
    language = language or settings.LANGUAGE_CODE
    try:
        return publications_index_page(language)
    except SiteNotSetUp:
        pass
    if language != settings.LANGUAGE_CODE:
        source = publications_index_ensure()
        locale, _ = Locale.objects.get_or_create(language_code=language)
        translation = source.copy_for_translation(locale)
        translation.title = translation.draft_title = INDEX_TITLES.get(language, source.title)
        translation.intro = ""
        translation.save()
        translation.save_revision().publish()
        return PublicationIndexPage.objects.get(pk=translation.pk)
    home = in_language(
        Page.objects.type(*PublicationIndexPage.allowed_parent_page_models()), language
    ).first()
    if home is None:
        raise SiteNotSetUp("The site has no home page yet: run `python manage.py setup_site`.")
    index = PublicationIndexPage(
        title=INDEX_TITLES.get(language, INDEX_TITLES["ru"]), slug=INDEX_SLUG, show_in_menus=True
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def download_count_increment(page: PublicationPage, *, day: datetime.date | None = None) -> None:
    """Add one to the page's downloads of the day, safe under concurrent requests.

    The common case is one UPDATE with `count + 1` computed by the database. The
    first download of a day inserts the row; when two first downloads race, the
    loser's INSERT meets the unique constraint and it updates the winner's row.
    """
    day = day or timezone.localdate()
    rows = DownloadCount.objects.filter(page=page, date=day)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            DownloadCount.objects.create(page=page, date=day, count=1)
    except IntegrityError:
        rows.update(count=F("count") + 1)


def publication_pdf_refresh(page: PublicationPage, *, force: bool = False) -> None:
    """Read the page's PDF into its page count and text, and save them if the page exists.

    The admin form reads an editor's file; pages made in code (the demo, an
    importer) call this before `add_child`, and anyone who replaces the file of
    a document in place calls it with `force=True`.
    """
    if force:
        page.pdf_source = ""
    page.pdf_refresh()
    if page.pk is not None:
        page.save(update_fields=["page_count", "pdf_text", "pdf_problem", "pdf_source"])
