"""Headers every response carries, and what the admin does not fetch from other sites."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import TestCase

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.site.services import site_setup


class NosniffTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        blog = expert_with_blog("Ирина Соколова", "Ирины Соколовой")
        cls.article = article_in_blog(blog, title="Анкара наращивает оборонный заказ")
        cls.editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")

    def assert_nosniff(self, path: str, status: int = 200) -> None:
        response = self.client.get(path)
        self.assertEqual(response.status_code, status, path)
        self.assertEqual(response.headers.get("X-Content-Type-Options"), "nosniff", path)

    def test_pages_feeds_errors_and_the_admin_say_nosniff(self) -> None:
        # SecurityMiddleware adds it to every response Django makes; nginx adds it
        # to the files it serves itself (tests/production/test_nginx_site.py).
        for path in ("/", self.article.url, "/feeds/articles.rss", "/sitemap.xml", "/healthz"):
            self.assert_nosniff(path)
        self.assert_nosniff("/no-such-page/", 404)
        self.assert_nosniff("/admin/login/")
        self.client.force_login(self.editor)
        self.assert_nosniff("/admin/")
        self.assert_nosniff(f"/admin/pages/{self.article.pk}/edit/")


class GravatarTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
        get_user_model().objects.create_user("author", "author@example.org", "pw")

    def test_the_admin_asks_gravatar_for_no_avatar(self) -> None:
        # Each Gravatar picture is a request to gravatar.com carrying a hash of
        # the user's e-mail address; editors get Wagtail's default picture instead.
        self.client.force_login(self.editor)
        for path in ("/admin/", "/admin/users/", "/admin/account/"):
            response = self.client.get(path)
            self.assertEqual(response.status_code, 200, path)
            html = response.content.decode()
            self.assertIn('class="avatar', html, path)
            self.assertNotIn("gravatar", html.lower(), path)
            self.assertIn("default-user-avatar", html, path)
