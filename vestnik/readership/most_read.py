"""«Самое читаемое»: the week's most read articles, ranked by the worker, read from a snapshot.

Ranking sums `PageViewDay` over the last `conf.most_read_days()` days (today
included) for the live, public articles of one language — blog posts and
analysis alike — and keeps the first `conf.most_read_limit()` with any views;
equal counts go to the more recent article. That aggregate is never run while a
page renders: `most_read_refresh()` runs it from the worker's collection
(`services.views_collect`, every minute) at most once per
`conf.most_read_refresh_seconds()` per language, and keeps the ranking — page
ids only — in `MostReadList` and in the cache. A page reads the snapshot (one
cache read) and renders the block as one fragment per language and ranking,
shared by every page that shows it.

When a ranking differs from the last one, the pages showing that language's
block are purged by their surrogate key (`cache_keys.most_read_key`); titles,
bylines and unpublished articles need no refresh of their own: the block's
cards note their pages and experts like every other card (docs/readership.md,
«Самое читаемое»).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from wagtail.models import Page

from vestnik.articles.models import ArticlePage
from vestnik.articles.selectors import public_articles, with_bylines
from vestnik.core import front_cache
from vestnik.core.locales import content_languages, language_of
from vestnik.readership import conf
from vestnik.readership.cache_keys import most_read_key
from vestnik.readership.models import MostReadList, PageViewDay

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MostRead:
    """A language's ranking as pages read it: article ids, most read first.

    False when nothing was read, and the block is not shown.
    """

    language: str
    page_ids: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.page_ids)

    @property
    def stamp(self) -> str:
        """Names this ranking in the block's fragment key: a new ranking, a new fragment."""
        return hashlib.sha256(",".join(map(str, self.page_ids)).encode()).hexdigest()[:16]

    @property
    def articles(self) -> list[ArticlePage]:
        """The ranked articles still public, with bylines (three queries, in the fragment)."""
        return most_read_articles(self)


def _snapshot_key(language: str) -> str:
    return f"vestnik:readership:most-read:{language}"


def most_read_ranking(
    *, language: str, today: datetime.date | None = None, limit: int | None = None
) -> list[int]:
    """The ids of the most read public articles in `language` over the last days, in order."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=conf.most_read_days() - 1)
    rows = (
        PageViewDay.objects.filter(
            day__gte=since,
            day__lte=today,
            page__in=public_articles(language=language).values("pk"),
        )
        .values("page_id")
        .annotate(total=Sum("views"))
        .filter(total__gt=0)
        .order_by(
            "-total",
            "-page__articlepage__publication_date",
            "-page__first_published_at",
            "-page_id",
        )
    )
    return [row["page_id"] for row in rows[: limit or conf.most_read_limit()]]


def most_read(language: str) -> MostRead:
    """The language's last ranking: from the cache, else from its row (one query), kept again.

    Kept no longer than the refresh interval, so a process whose cache the
    worker does not share (the embedded install's local memory) still sees a
    new ranking within one interval.
    """
    key = _snapshot_key(language)
    snapshot = cache.get(key)
    if not isinstance(snapshot, MostRead):
        page_ids = (
            MostReadList.objects.filter(language=language)
            .values_list("page_ids", flat=True)
            .first()
        )
        snapshot = MostRead(language, tuple(page_ids or ()))
        cache.set(key, snapshot, timeout=conf.most_read_refresh_seconds())
    return snapshot


def most_read_articles(snapshot: MostRead) -> list[ArticlePage]:
    """The snapshot's articles in its order, leaving out any unpublished or made private since."""
    if not snapshot.page_ids:
        return []
    found = {
        article.pk: article
        for article in public_articles(language=snapshot.language).filter(pk__in=snapshot.page_ids)
    }
    return with_bylines(found[pk] for pk in snapshot.page_ids if pk in found)


def most_read_context(page: Page, request: HttpRequest) -> dict[str, Any]:
    """`most_read` for the templates of pages that show the block (home, articles).

    Read when a template first asks (a print view or a citation file never
    does), and only then noted as what the page shows — whether or not the
    list is empty: a page rendered without the block is purged too when the
    first ranking appears.
    """
    language = language_of(page.locale_id)

    def read() -> MostRead:
        front_cache.depends_on(most_read_key(language))
        return most_read(language)

    return {"most_read": SimpleLazyObject(read)}


def most_read_refresh(*, now: datetime.datetime | None = None, force: bool = False) -> list[str]:
    """Rank again each language not ranked for an interval; returns those whose list changed.

    Asked every minute, it costs one query until an interval is over. A
    language is claimed by a conditional update of the time it was ranked, so
    two workers never rank it twice. A changed list is kept and its pages
    purged (which also moves the page cache to a new generation: at most once
    an interval per language, only when the list changed); an unchanged one
    only refreshes the cached snapshot.
    """
    now = now or timezone.now()
    interval = datetime.timedelta(seconds=conf.most_read_refresh_seconds())
    languages = content_languages()
    rows = MostReadList.objects.in_bulk(languages)
    changed: list[str] = []
    for language in languages:
        row = rows.get(language)
        if row is None:
            row, _created = MostReadList.objects.get_or_create(
                language=language, defaults={"refreshed_at": now - interval}
            )
        elif not force and row.refreshed_at > now - interval:
            continue
        claimed = MostReadList.objects.filter(
            language=language, refreshed_at=row.refreshed_at
        ).update(refreshed_at=now)
        if not claimed:
            continue
        page_ids = most_read_ranking(language=language, today=timezone.localdate(now))
        if row.page_ids != page_ids:
            MostReadList.objects.filter(language=language).update(page_ids=page_ids)
            changed.append(language)
        cache.set(
            _snapshot_key(language),
            MostRead(language, tuple(page_ids)),
            timeout=conf.most_read_refresh_seconds(),
        )
    if changed:
        logger.info("most read lists changed", extra={"languages": changed})
        front_cache.cached_urls_purge(keys={most_read_key(language) for language in changed})
    return changed
