"""Search documents, and the full-text index of each database next to them.

On PostgreSQL the index is the `vector` column with a GIN index; on SQLite an
FTS5 table whose rowid is the page id. `search.backends` writes both; see
docs/search.md.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

FORWARDS = {
    # The columns hold terms, so the tokenizer only splits on spaces; it must not
    # fold diacritics, or «й» would become «и».
    "sqlite": [
        "CREATE VIRTUAL TABLE discovery_searchdocument_fts USING fts5("
        "title, body, tokenize = 'unicode61 remove_diacritics 0')"
    ],
    "postgresql": [
        "CREATE INDEX discovery_searchdocument_vector ON discovery_searchdocument "
        "USING gin (vector)"
    ],
}
BACKWARDS = {
    "sqlite": ["DROP TABLE IF EXISTS discovery_searchdocument_fts"],
    "postgresql": ["DROP INDEX IF EXISTS discovery_searchdocument_vector"],
}


def create_full_text_index(apps, schema_editor):
    for statement in FORWARDS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def drop_full_text_index(apps, schema_editor):
    for statement in BACKWARDS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0003_article_language'),
        ('authors', '0002_initial'),
        ('discovery', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('page', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_document', serialize=False, to='articles.articlepage')),
                ('language', models.CharField(max_length=8)),
                ('text', models.TextField()),
                ('publication_date', models.DateField(db_index=True)),
                ('indexed_at', models.DateTimeField(auto_now=True)),
                ('vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('expert', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='authors.expert')),
            ],
            options={
                'verbose_name': 'search document',
                'verbose_name_plural': 'search documents',
            },
        ),
        migrations.RunPython(create_full_text_index, drop_full_text_index, elidable=False),
    ]
