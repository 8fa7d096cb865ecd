"""Search documents keep their tags; what a search reads of every match, in an index (SQLite).

See `SearchDocument` and docs/search.md («Querying»).
"""

from django.db import migrations, models

# Documents indexed before this migration get their tags from the tag tables,
# in one UPDATE: every new row version is also a new entry in the GIN index.
_TAGS = (
    ("countries", "articles_articlepage_countries", "country_id"),
    ("topics", "articles_articlepage_topics", "topic_id"),
    ("co_authors", "articles_articlepage_co_authors", "expert_id"),
)
_TAG_LIST = {
    "sqlite": "(SELECT json_group_array({column}) FROM (SELECT {column} FROM {table} x"
    " WHERE x.articlepage_id = discovery_searchdocument.page_id ORDER BY {column}))",
    "postgresql": "COALESCE((SELECT jsonb_agg({column} ORDER BY {column}) FROM {table} x"
    " WHERE x.articlepage_id = discovery_searchdocument.page_id), '[]'::jsonb)",
}


def _backfill(vendor):
    assignments = ", ".join(
        f"{field} = " + _TAG_LIST[vendor].format(table=table, column=column)
        for field, table, column in _TAGS
    )
    return f"UPDATE discovery_searchdocument SET {assignments}"


FORWARDS = {
    # A search reads the date, author and tags of every match: from this
    # index, without reading the rows, which hold each article's text inline.
    "sqlite": [
        "CREATE INDEX discovery_searchdocument_found ON discovery_searchdocument "
        "(page_id, publication_date, expert_id, countries, topics, co_authors)"
    ],
    # Ranking decompresses the vectors of up to 1,000 candidates per search,
    # and indexing compresses every text and vector: lz4 does both several
    # times faster than the default pglz (values written from now on;
    # `search_reindex` rewrites them all).
    "postgresql": [
        "ALTER TABLE discovery_searchdocument ALTER COLUMN vector SET COMPRESSION lz4",
        "ALTER TABLE discovery_searchdocument ALTER COLUMN text SET COMPRESSION lz4",
    ],
}
BACKWARDS = {
    "sqlite": ["DROP INDEX IF EXISTS discovery_searchdocument_found"],
    "postgresql": [
        "ALTER TABLE discovery_searchdocument ALTER COLUMN vector SET COMPRESSION default",
        "ALTER TABLE discovery_searchdocument ALTER COLUMN text SET COMPRESSION default",
    ],
}


def _lz4_missing(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression'"
            " AND 'lz4' = ANY(enumvals)"
        )
        return cursor.fetchone() is None


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in _TAG_LIST:
        return
    # Before the backfill: PostgreSQL alters no table with pending (deferred) trigger events.
    for statement in FORWARDS[vendor]:
        if "lz4" in statement and _lz4_missing(schema_editor):
            continue  # a server built without lz4 keeps pglz
        schema_editor.execute(statement)
    schema_editor.execute(_backfill(vendor))


def backwards(apps, schema_editor):
    for statement in BACKWARDS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('discovery', '0003_delete_country_delete_region_delete_topic'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchdocument',
            name='co_authors',
            field=models.JSONField(default=list, editable=False),
        ),
        migrations.AddField(
            model_name='searchdocument',
            name='countries',
            field=models.JSONField(default=list, editable=False),
        ),
        migrations.AddField(
            model_name='searchdocument',
            name='topics',
            field=models.JSONField(default=list, editable=False),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
