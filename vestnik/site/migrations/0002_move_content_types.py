"""Moved models keep their rows: their content types follow them to their new apps.

Every page row names its type through `django_content_type`; renaming the
app label there is what makes an existing home page, blog or country resolve to
the moved class. Permissions hang off the content type and follow with it. On
a fresh database these rows do not exist yet, and nothing is renamed.
"""

from django.db import migrations

MOVED = {
    ("core", "homepage"): "site",
    ("core", "sectionpage"): "site",
    ("core", "sectionfeaturedarticle"): "site",
    ("core", "sectionfeaturedexpert"): "site",
    ("core", "sharesettings"): "articles",
    ("core", "sharenetwork"): "articles",
    ("authors", "expertindexpage"): "site",
    ("authors", "blogindexpage"): "site",
    ("authors", "blogpage"): "articles",
    ("discovery", "country"): "vocabulary",
    ("discovery", "region"): "vocabulary",
    ("discovery", "topic"): "vocabulary",
}


def _rename(apps, schema_editor, *, backwards: bool) -> None:
    content_types = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for (old_app, model), new_app in MOVED.items():
        source, target = (new_app, old_app) if backwards else (old_app, new_app)
        if content_types.objects.using(db).filter(app_label=target, model=model).exists():
            continue  # already created under the new label (a fresh database)
        content_types.objects.using(db).filter(app_label=source, model=model).update(
            app_label=target
        )


def forwards(apps, schema_editor):
    _rename(apps, schema_editor, backwards=False)


def backwards(apps, schema_editor):
    _rename(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("site", "0001_initial"),
        ("core", "0004_remove_sectionfeaturedarticle_article_and_more"),
        ("authors", "0003_remove_blogpage_expert_remove_blogpage_page_ptr_and_more"),
        ("discovery", "0003_delete_country_delete_region_delete_topic"),
        ("articles", "0005_alter_articlepage_countries_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
