"""Footnotes become translatable: a translation key and a locale on each note.

Wagtail's recipe for adding `TranslatableMixin` to a model that has rows
(docs "Adding TranslatableMixin to an existing model"): add the two columns,
give every existing note a uuid of its own and its page's locale, then make the
pair unique.

Expand phase (tests/production/test_migrations_safe.py): in the database both
columns stay nullable, because the release still serving during the upgrade
saves notes without them. Only the model state says NOT NULL, which is what the
new code guarantees (Wagtail sets the locale from the page on the first save,
the key has a default). A later release fills what the old one wrote and makes
the columns NOT NULL in the database too. NULLs never collide in the unique
pair, so the old release's notes do not break it.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def keys_and_locales_fill(apps, schema_editor):
    ArticleFootnote = apps.get_model("articles", "ArticleFootnote")
    ArticlePage = apps.get_model("articles", "ArticlePage")
    locales = dict(ArticlePage.objects.values_list("pk", "locale_id"))
    notes = list(ArticleFootnote.objects.filter(translation_key__isnull=True))
    for note in notes:
        note.translation_key = uuid.uuid4()
        note.locale_id = locales[note.page_id]
    ArticleFootnote.objects.bulk_update(notes, ["translation_key", "locale"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_language_from_locale_blog_per_locale"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        migrations.AddField(
            model_name="articlefootnote",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="articlefootnote",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.RunPython(keys_and_locales_fill, migrations.RunPython.noop, elidable=True),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="articlefootnote",
                    name="translation_key",
                    field=models.UUIDField(default=uuid.uuid4, editable=False),
                ),
                migrations.AlterField(
                    model_name="articlefootnote",
                    name="locale",
                    field=models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="wagtailcore.locale",
                        verbose_name="locale",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterUniqueTogether(
            name="articlefootnote",
            unique_together={("translation_key", "locale")},
        ),
    ]
