"""The Content-Security-Policy on every response, its nonce on every inline script.

The site's policy allows scripts only from our origin or carrying this
response's nonce; the admin's relaxes inline scripts for Wagtail's own
templates and nothing else (docs/security.md).
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.test import Client, TestCase, override_settings
from django.urls import path

from wagtail.embeds.finders import get_finders

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.core.models import User
from vestnik.polls.factories import poll_with_options
from vestnik.site.services import site_setup


def broken_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


# ROOT_URLCONF for the 500 test: a view with a bug.
urlpatterns = [path("broken/", broken_view)]


def directives(response: HttpResponse) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def header_nonce(response: HttpResponse) -> str:
    nonces = [v for v in directives(response)["script-src"] if v.startswith("'nonce-")]
    assert len(nonces) == 1, response["Content-Security-Policy"]
    return nonces[0].removeprefix("'nonce-").removesuffix("'")


def inline_scripts(response: HttpResponse) -> list[str]:
    tags = re.findall(r"<script\b[^>]*>", response.content.decode())
    return [tag for tag in tags if not re.search(r"\ssrc=", tag)]


class SitePolicyTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.article = article_in_blog(expert_with_blog(), title="Каспийский транзит")
        cls.poll = poll_with_options("Вопрос", ["Да", "Нет"])

    def assert_site_policy(self, response: HttpResponse) -> None:
        policy = directives(response)
        self.assertEqual(policy["default-src"], ["'self'"])
        self.assertEqual(policy["object-src"], ["'none'"])
        self.assertEqual(policy["base-uri"], ["'self'"])
        self.assertEqual(policy["frame-ancestors"], ["'self'"])
        self.assertEqual(policy["form-action"], ["'self'"])
        self.assertNotIn("'unsafe-inline'", policy["script-src"])
        self.assertNotIn("'unsafe-eval'", policy["script-src"])

    def test_public_pages_carry_the_policy(self) -> None:
        for url in ("/", self.article.url, "/en/", "/search/?q=транзит", "/feeds/articles.rss"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assert_site_policy(response)

    def test_json_endpoints_carry_the_policy(self) -> None:
        response = self.client.get(f"/en/polls/{self.poll.pk}/results/")
        self.assertEqual(response["Content-Type"], "application/json")
        self.assert_site_policy(response)

    def test_redirects_carry_no_policy_and_what_they_lead_to_does(self) -> None:
        # A redirect's body is never rendered, so the header would protect nothing.
        response = self.client.post(
            f"/en/polls/{self.poll.pk}/vote/",
            {"option": self.poll.options.first().pk},  # type: ignore[union-attr]
        )
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("Content-Security-Policy", response)
        self.assert_site_policy(self.client.get(response["Location"]))

    def test_error_pages_carry_the_policy(self) -> None:
        self.assert_site_policy(self.client.get("/no-such-page/"))
        with override_settings(ROOT_URLCONF=__name__):
            response = Client(raise_request_exception=False).get("/broken/")
        self.assertEqual(response.status_code, 500)
        self.assert_site_policy(response)

    def test_every_inline_script_carries_the_nonce_of_the_header(self) -> None:
        for url in (self.article.url, "/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                nonce = header_nonce(response)
                scripts = inline_scripts(response)
                self.assertTrue(scripts, "the page has no inline script to check")
                for tag in scripts:
                    self.assertIn(f'nonce="{nonce}"', tag)

    def test_a_page_from_the_page_cache_keeps_the_nonce_it_was_rendered_with(self) -> None:
        first = self.client.get(self.article.url)
        second = self.client.get(self.article.url)
        self.assertEqual((first["X-Page-Cache"], second["X-Page-Cache"]), ("miss", "hit"))
        nonce = header_nonce(second)
        self.assertEqual(nonce, header_nonce(first))
        for tag in inline_scripts(second):
            self.assertIn(f'nonce="{nonce}"', tag)

    def test_nonces_differ_between_renders(self) -> None:
        with override_settings(VESTNIK_CORE_PAGE_CACHE_ENABLED=False):
            nonces = {header_nonce(self.client.get(self.article.url)) for _ in range(2)}
        self.assertEqual(len(nonces), 2)

    def test_embeds_come_only_from_the_players_the_policy_frames(self) -> None:
        frame_src = directives(self.client.get("/"))["frame-src"]
        self.assertIn("https://www.youtube.com", frame_src)
        self.assertIn("https://player.vimeo.com", frame_src)
        finders = get_finders()
        accepted = {
            url: any(finder.accept(url) for finder in finders)
            for url in (
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                "https://vimeo.com/76979871",
                "https://twitter.com/wagtail/status/1",
                "https://www.instagram.com/p/abc/",
            )
        }
        self.assertEqual(list(accepted.values()), [True, True, False, False])


class AdminPolicyTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.article = article_in_blog(expert_with_blog(), title="Каспийский транзит")
        cls.superuser = User.objects.create_superuser("chief", "chief@example.org", "x")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def test_the_dashboard_and_the_page_editor_load_under_the_admin_policy(self) -> None:
        for url in ("/admin/", f"/admin/pages/{self.article.pk}/edit/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                policy = directives(response)
                # Wagtail's inline scripts carry no nonce; a nonce would disable 'unsafe-inline'.
                self.assertEqual(policy["script-src"], ["'self'", "'unsafe-inline'"])
                self.assertEqual(policy["object-src"], ["'none'"])
                self.assertEqual(policy["frame-ancestors"], ["'self'"])
                self.assertEqual(policy["form-action"], ["'self'"])

    def test_the_login_page_is_under_the_admin_policy(self) -> None:
        self.client.logout()
        response = self.client.get("/admin/login/")
        self.assertEqual(response.status_code, 200)
        self.assertIn("'unsafe-inline'", directives(response)["script-src"])
