"""Share links: editors manage them in the admin; readers only ever get web or mail links."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from wagtail.models import Site

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.articles.models import ShareNetwork, ShareSettings
from vestnik.core.models import User
from vestnik.site.services import site_setup

HOSTILE_TEMPLATES = (
    "javascript:alert(document.cookie)//{url}",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "//evil.example/share?u={url}",
    "{url}",
)


class ShareUrlTemplateTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.site = Site.objects.get(is_default_site=True)
        cls.settings = ShareSettings.for_site(cls.site)
        cls.blog = expert_with_blog()
        cls.article = article_in_blog(cls.blog)
        cls.editor = User.objects.create_superuser("editor", "editor@example.org", "pw")

    def network(self, template: str) -> ShareNetwork:
        return ShareNetwork(settings=self.settings, name="Сеть", url_template=template)

    def test_full_clean_refuses_a_template_that_is_not_a_web_or_mail_link(self) -> None:
        for template in HOSTILE_TEMPLATES:
            with self.subTest(template=template):
                with self.assertRaises(ValidationError) as raised:
                    self.network(template).full_clean()
                self.assertIn("url_template", raised.exception.message_dict)
                self.assertIn("https://", raised.exception.message_dict["url_template"][0])

    def test_full_clean_accepts_the_shipped_networks(self) -> None:
        shipped = list(self.settings.networks.values_list("url_template", flat=True))
        self.assertIn("mailto:?subject={title}&body={url}", shipped)
        for template in [*shipped, "http://example.org/share?u={url}"]:
            with self.subTest(template=template):
                self.network(template).full_clean()

    def test_the_admin_refuses_a_javascript_template_with_a_message(self) -> None:
        from wagtail.test.utils.form_data import inline_formset, nested_form_data

        self.client.force_login(self.editor)
        url = reverse("wagtailsettings:edit", args=["articles", "sharesettings", self.site.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        networks = [
            {
                "id": network.pk,
                "name": network.name,
                "url_template": network.url_template,
                "legal_label": network.legal_label,
                "enabled": "on",
            }
            for network in self.settings.networks.all()
        ]
        networks.append(
            {
                "name": "Злая",
                "url_template": "javascript:alert(1)",
                "legal_label": "",
                "enabled": "on",
            }
        )
        response = self.client.post(url, nested_form_data({"networks": inline_formset(networks)}))
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].formsets["networks"].errors
        self.assertEqual(
            [list(row) for row in errors], [[] for _ in networks[:-1]] + [["url_template"]]
        )
        self.assertIn("https://", errors[-1]["url_template"][0])
        self.assertFalse(ShareNetwork.objects.filter(name="Злая").exists())
        # The page saves once the template is a web link.
        networks[-1]["url_template"] = "https://example.org/share?u={url}"
        response = self.client.post(url, nested_form_data({"networks": inline_formset(networks)}))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(ShareNetwork.objects.filter(name="Злая").exists())

    def test_a_stored_hostile_template_never_reaches_the_article(self) -> None:
        # Saved before validation existed, or straight into the database.
        for order, template in enumerate(HOSTILE_TEMPLATES, start=100):
            ShareNetwork.objects.create(
                settings=self.settings,
                sort_order=order,
                name=f"Злая {order}",
                url_template=template,
            )
        html = self.client.get(self.article.url).content.decode()
        share = re.search(r'<section class="share".*?</section>', html, re.S)
        assert share is not None
        hrefs = re.findall(r'href="([^"]*)"', share.group(0))
        self.assertIn("mailto:?subject=", "\n".join(hrefs))
        self.assertTrue(hrefs)
        for href in hrefs:
            self.assertRegex(href, r"^(https://|mailto:)")
        self.assertNotIn("Злая", share.group(0))
