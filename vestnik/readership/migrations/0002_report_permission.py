"""Give the editors' and the authors' groups the readership reports, on sites set up before them.

`setup_site` grants `readership.view_readership` to both groups on a new site
(`site.services.editorial_groups_ensure`); this does the same for a database
whose groups exist already. The permission is made here, because Django
creates permissions only after every migration has run. What each group then
sees is decided by page rights (`readership.reports.readable_pages`): an
editor every page, an author their own.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# The groups' names as `site.services` and `articles.services` spell them; a
# migration may not import the apps above it.
GROUPS = ("Редакторы", "Авторы")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("readership")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="readership", codename="view_readership"
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(
        content_type__app_label="readership", codename="view_readership"
    ):
        for group in Group.objects.filter(name__in=GROUPS):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("readership", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
