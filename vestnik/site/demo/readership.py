"""Invented readership for the demo site: daily view counts of the demo articles.

Without them a fresh `make run` would show no «Самое читаемое» and the
editors' reports would be empty until someone reads the demo. The numbers are
made up — clearly so: they are the same on every machine (a hash of the page's
slug and the day, nothing random) and they are only written for the demo's own
articles, found by the fingerprints of their specs, never for anything an
editor made. Days already counted are left as they are, so running
`load_demo` again only fills the days since the last run.
"""

from __future__ import annotations

import datetime
import hashlib

from django.utils import timezone

from vestnik.articles.models import ArticlePage
from vestnik.readership.models import PageViewDay
from vestnik.readership.most_read import most_read_refresh
from vestnik.site.demo import content

# Six weeks: this week's ranking and a month's report, with the weeks before to compare.
DEMO_VIEW_DAYS = 42


def _number(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256(":".join(map(str, parts)).encode()).digest()[:4], "big")


def demo_views(slug: str, day: datetime.date) -> int:
    """An article's invented readers on a day: its own level, varying from day to day."""
    level = 15 + _number(slug) % 90
    return level * (40 + _number(slug, day.isoformat()) % 90) // 100


def demo_views_ensure(*, today: datetime.date | None = None) -> int:
    """Count invented views of the demo articles over the last weeks; returns the days added."""
    today = today or timezone.localdate()
    fingerprints = {spec.fingerprint for spec in content.ARTICLES} | {
        spec.fingerprint for spec in content.TRANSLATIONS
    }
    articles = ArticlePage.objects.live().filter(source_fingerprint__in=fingerprints)
    before = PageViewDay.objects.count()
    rows = []
    for article in articles.only("pk", "slug", "publication_date"):
        for offset in range(DEMO_VIEW_DAYS):
            day = today - datetime.timedelta(days=offset)
            if day >= article.publication_date:
                rows.append(PageViewDay(page=article, day=day, views=demo_views(article.slug, day)))
    PageViewDay.objects.bulk_create(rows, ignore_conflicts=True)
    # Rank now: `make run` has no worker to do it.
    most_read_refresh(force=True)
    return PageViewDay.objects.count() - before
