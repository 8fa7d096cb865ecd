"""Migrations run while the previous release still serves (docs/operations.md, "Upgrade").

During a rolling upgrade the new schema must still suit the old code: a
migration may add tables, nullable or defaulted columns and indexes, but
dropping or renaming what the old code reads breaks it mid-deploy. Such
changes ship in two releases (expand, then contract); the contracting
migration says so with `contract_phase = True`, which documents that the
release before it stopped reading the column.
"""

from __future__ import annotations

import pytest

from django.db import connection
from django.db.migrations import operations
from django.db.migrations.loader import MigrationLoader

DESTRUCTIVE = (
    operations.RemoveField,
    operations.DeleteModel,
    operations.RenameField,
    operations.RenameModel,
)
OUR_APPS = {"core", "authors", "articles", "discovery", "polls", "importers", "insights"}


def _unsafe(operation: object) -> str | None:
    if isinstance(operation, DESTRUCTIVE):
        return type(operation).__name__
    if isinstance(operation, operations.AddField):
        field = operation.field
        if not field.null and not field.has_default() and not field.many_to_many:
            # The old code inserts rows without this column: they would fail.
            return f"AddField {operation.name} NOT NULL without a default"
    return None


@pytest.mark.django_db
def test_every_migration_keeps_the_previous_release_working() -> None:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    problems = []
    for (app, name), migration in loader.disk_migrations.items():
        if app not in OUR_APPS or migration.initial or getattr(migration, "contract_phase", False):
            continue
        for operation in migration.operations:
            if (problem := _unsafe(operation)) is not None:
                problems.append(f"{app}.{name}: {problem}")
    assert not problems, (
        "These migrations would break the release still serving during an upgrade; "
        "split them into expand and contract releases (docs/operations.md):\n" + "\n".join(problems)
    )


def test_the_check_sees_a_destructive_migration() -> None:
    from django.db import models

    assert _unsafe(operations.RemoveField("article", "lead")) == "RemoveField"
    assert _unsafe(operations.AddField("article", "x", models.IntegerField())) is not None
    assert _unsafe(operations.AddField("article", "x", models.IntegerField(null=True))) is None
    assert _unsafe(operations.AddField("article", "x", models.IntegerField(default=0))) is None
