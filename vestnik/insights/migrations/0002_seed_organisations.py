"""Well-known international organisations, so that «ЕС», «Евросоюз» and «Европейский союз»
are one organisation from the first article on. Created once: afterwards they are the
editors' to rename, merge or hide."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "organisations.json"


def slug_for(name):
    from vestnik.core.text import latin_slug

    return latin_slug(name, max_length=100)


def seed(apps, schema_editor):
    Entity = apps.get_model("insights", "Entity")
    for row in json.loads(DATA.read_text(encoding="utf-8")):
        if Entity.objects.filter(kind="organisation", name=row["name"]).exists():
            continue
        base = slug_for(row["short"] or row["name"])
        slug, number = base, 1
        while Entity.objects.filter(slug=slug).exists():
            number += 1
            slug = f"{base}-{number}"
        Entity.objects.create(
            kind="organisation",
            name=row["name"],
            short_name=row["short"],
            aliases=row["aliases"],
            slug=slug,
        )


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
