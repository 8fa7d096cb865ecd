"""A search document belongs to any page of a registered type (`core.indexing`), with its kind.

The primary key stays the page id: an article's id is its `Page` id, so every
row keeps its page and SQLite's FTS5 entries (keyed by that id) stay theirs.
Existing rows are articles; their regions (new, for listing a region's pages
of every kind) are filled by the next publish or `search_reindex`. On SQLite, altering the key rebuilds the table,
which drops the covering index of migrations 0004/0005: it is made again.
"""

import django.db.models.deletion
from django.db import migrations, models

_INDEX_COLUMNS = "page_id, publication_date, expert_id, countries, topics, co_authors, language"
_SQLITE = [
    "DROP INDEX IF EXISTS discovery_searchdocument_found",
    f"CREATE INDEX discovery_searchdocument_found ON discovery_searchdocument ({_INDEX_COLUMNS})",
]


def covering_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in _SQLITE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("discovery", "0005_searchdocument_language_from_locale"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="kind",
            field=models.CharField(default="article", max_length=32),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="regions",
            field=models.JSONField(default=list, editable=False),
        ),
        migrations.AlterField(
            model_name="searchdocument",
            name="page",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                primary_key=True,
                related_name="search_document",
                serialize=False,
                to="wagtailcore.page",
            ),
        ),
        # Both ways: rolling back rebuilds the table again.
        migrations.RunPython(covering_index, covering_index, elidable=False),
    ]
