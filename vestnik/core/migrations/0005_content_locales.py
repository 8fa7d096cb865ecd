"""A Wagtail locale for every content language (Russian exists since Wagtail's own migration)."""

from django.conf import settings
from django.db import migrations


def locales_ensure(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_remove_sectionfeaturedarticle_article_and_more"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [migrations.RunPython(locales_ensure, migrations.RunPython.noop)]
