"""Concurrent downloads of a publication on PostgreSQL: every one counted, the first of a
day racing to insert its row included.

Run with DATABASE_URL=postgres://…; skipped on SQLite, whose shared-cache test
database fails concurrent writers at once instead of queueing them.
"""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest

from django.db import connection, connections

from wagtail.models import Page

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
    barrier = threading.Barrier(DOWNLOADERS)
    errors: list[Any] = []

    def download() -> None:
        try:
            barrier.wait(timeout=30)
            download_count_increment(page, day=day)
        except Exception as error:  # noqa: BLE001 (the test inspects every outcome)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=download) for _ in range(DOWNLOADERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert DownloadCount.objects.get(page=page, date=day).count == DOWNLOADERS
