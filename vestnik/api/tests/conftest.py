"""Fixtures shared by the API's tests."""

from __future__ import annotations

import pytest

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection


@pytest.fixture
def sequences_after_snapshot() -> None:
    """Move PostgreSQL's id sequences past the rows the snapshot put back.

    conftest flushes the database (which restarts the sequences) before a
    `serialized_rollback` test, and the snapshot is loaded with its original
    ids, so the next page would be given id 1 again. SQLite needs nothing.
    """
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
