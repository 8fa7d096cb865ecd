"""Search documents take their language from the page's locale; SQLite's index covers it.

A search now keeps to one language (docs/search.md), so the language of every
match is read with its date and tags: from the covering index on SQLite, as
migration 0004 arranged for those. Documents indexed before the locales
existed carry the language of the old article column; each gets its page's.
"""

from django.db import migrations

_LANGUAGE_FROM_LOCALE = (
    "UPDATE discovery_searchdocument SET language = COALESCE(("
    "SELECT l.language_code FROM wagtailcore_page p"
    " JOIN wagtailcore_locale l ON l.id = p.locale_id"
    " WHERE p.id = discovery_searchdocument.page_id), language)"
)
_INDEX_COLUMNS = "page_id, publication_date, expert_id, countries, topics, co_authors"
_SQLITE_INDEX = "CREATE INDEX discovery_searchdocument_found ON discovery_searchdocument ({})"
FORWARDS = {
    "sqlite": [
        "DROP INDEX IF EXISTS discovery_searchdocument_found",
        _SQLITE_INDEX.format(f"{_INDEX_COLUMNS}, language"),
        _LANGUAGE_FROM_LOCALE,
    ],
    "postgresql": [_LANGUAGE_FROM_LOCALE],
}
BACKWARDS = {
    "sqlite": [
        "DROP INDEX IF EXISTS discovery_searchdocument_found",
        _SQLITE_INDEX.format(_INDEX_COLUMNS),
    ],
}


def forwards(apps, schema_editor):
    for statement in FORWARDS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    for statement in BACKWARDS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("discovery", "0004_searchdocument_tags"),
        # Pages are in their locales (and the article column is gone) by then.
        ("articles", "0007_language_from_locale_blog_per_locale"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
