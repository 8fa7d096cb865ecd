"""Concurrent downloads of a publication on PostgreSQL: every one counted, the first of a
day racing to insert its row included.

Run with DATABASE_URL=postgres://…; skipped on SQLite, whose shared-cache test
database fails concurrent writers at once instead of queueing them.
"""

from __future__ import annotations

import datetime

import pytest

from django.db import connection

from wagtail.models import Page

from tests.harness import run_at_once
from vestnik.publications.models import DownloadCount, PublicationPage, PublicationSeries
from vestnik.publications.services import download_count_increment

DOWNLOADERS = 30

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writes need PostgreSQL"
    ),
]


def test_concurrent_first_downloads_of_a_day_are_all_counted() -> None:
    root = Page.get_first_root_node()
    series = PublicationSeries.objects.create(name="Доклады", slug="reports")
    page = PublicationPage(title="Доклад", slug="report", series=series, number="1", year=2025)
    root.add_child(instance=page)
    day = datetime.date(2025, 12, 1)
    outcomes = run_at_once(
        DOWNLOADERS, lambda _: download_count_increment(page, day=day), what="a download"
    )
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert DownloadCount.objects.get(page=page, date=day).count == DOWNLOADERS
