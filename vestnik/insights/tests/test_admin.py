"""Editors correct the machine in the Wagtail admin."""

from __future__ import annotations

from typing import Any

from vestnik.core.models import User
from vestnik.insights.models import Entity, Mention
from vestnik.insights.tests.utils import ReferenceArticleTestCase

ENTITIES = "/admin/snippets/insights/entity/"
MENTIONS = "/admin/snippets/insights/mention/"


def entity_form(entity: Entity, **changes: Any) -> dict[str, Any]:
    data = {
        "name": entity.name,
        "short_name": entity.short_name,
        "kind": entity.kind,
        "aliases": entity.aliases,
        "merged_into": entity.merged_into_id or "",
        "country": entity.country_id or "",
        "slug": entity.slug,
    }
    if entity.hidden:
        data["hidden"] = "on"
    data.update(changes)
    return data


class AdminTests(ReferenceArticleTestCase):
    def setUp(self) -> None:
        self.client.force_login(
            User.objects.create_superuser("chief", "chief@example.com", "secret-pass")
        )

    def test_listings(self) -> None:
        for url in (ENTITIES, MENTIONS, f"{ENTITIES}?kind=person"):
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 200)
        self.assertContains(self.client.get(f"{ENTITIES}?q=Жаксылыков"), "Р. Жаксылыков")

    def test_merging_in_the_form_moves_the_mentions(self) -> None:
        istanbul, turkey = Entity.objects.get(name="Стамбул"), Entity.objects.get(name="Турция")
        both = sum(
            Mention.objects.get(page=self.article, entity=entity).count
            for entity in (istanbul, turkey)
        )

        response = self.client.post(
            f"{ENTITIES}edit/{istanbul.pk}/", entity_form(istanbul, merged_into=turkey.pk)
        )

        self.assertEqual(response.status_code, 302)
        self.assertFalse(Mention.objects.filter(entity=istanbul).exists())
        self.assertEqual(Mention.objects.get(page=self.article, entity=turkey).count, both)

    def test_renaming_keeps_the_old_name_as_an_alias(self) -> None:
        zenit = Entity.objects.get(name="Зенит")

        self.client.post(f"{ENTITIES}edit/{zenit.pk}/", entity_form(zenit, name="Завод «Зенит»"))

        zenit.refresh_from_db()
        self.assertEqual((zenit.name, zenit.aliases), ("Завод «Зенит»", "Зенит"))

    def test_an_alias_absorbs_an_entity_of_that_name(self) -> None:
        turkey, istanbul = Entity.objects.get(name="Турция"), Entity.objects.get(name="Стамбул")

        self.client.post(
            f"{ENTITIES}edit/{turkey.pk}/", entity_form(turkey, aliases="Анкара, Стамбул")
        )

        istanbul.refresh_from_db()
        self.assertEqual(istanbul.merged_into, turkey)

    def test_hiding_a_mention(self) -> None:
        mention = Mention.objects.get(page=self.article, entity__name="Каспийская флотилия")

        response = self.client.post(f"{MENTIONS}edit/{mention.pk}/", {"hidden": "on"})

        self.assertEqual(response.status_code, 302)
        mention.refresh_from_db()
        self.assertTrue(mention.hidden)

    def test_mentions_cannot_be_made_up(self) -> None:
        self.assertIn(self.client.get(f"{MENTIONS}add/").status_code, {302, 403})
