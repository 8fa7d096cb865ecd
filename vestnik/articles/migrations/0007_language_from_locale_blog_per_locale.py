"""An article's language is its locale's; an expert has a blog in each language.

Expand phase (tests/production/test_migrations_safe.py): the `language` column
leaves the model but stays in the table, nullable, so the release still serving
during the upgrade reads and writes it; a later release drops it. Articles keep
their locale (Russian): an article that was marked English stays in the Russian
tree until an editor moves its text into an English translation
(docs/translations.md, "Upgrading").
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_sharenetwork_url_template_scheme"),
        ("authors", "0005_expert_full_name_en"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterField(
                    model_name="articlepage",
                    name="language",
                    field=models.CharField(max_length=8, null=True, default="ru"),
                ),
            ],
            state_operations=[
                migrations.RemoveField(model_name="articlepage", name="language"),
            ],
        ),
        migrations.AlterField(
            model_name="blogpage",
            name="expert",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="blogs",
                to="authors.expert",
                verbose_name="expert",
            ),
        ),
    ]
