"""The admin's «Import» screen: who may use it, what an upload shows, what a bad file says."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from vestnik.articles.factories import expert_with_blog
from vestnik.articles.models import ArticlePage
from vestnik.articles.services import author_account_ensure
from vestnik.importers.tests.test_docx import TITLE, full_manuscript
from vestnik.importers.tests.test_import_html import CASPIAN
from vestnik.importers.tests.test_import_page import TOKAEVA_PATH, counts
from vestnik.importers.tests.test_safety import small_docx
from vestnik.site.services import EDITORS_GROUP, site_setup

URL = "/admin/import/"


def user_in(group: str | None, username: str) -> object:
    user = get_user_model().objects.create_user(username=username, password="x")
    if group is not None:
        user.groups.add(Group.objects.get(name=group))
    return user


class ImportViewTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.editor = user_in(EDITORS_GROUP, "editor")
        # An author is an expert's account: their imports go to that expert's blog.
        cls.author_expert = expert_with_blog("Асан Жакупов", "Асана Жакупова").expert
        cls.author, _ = author_account_ensure(username="author", expert=cls.author_expert)
        cls.outsider = user_in(None, "outsider")
        cls.outsider.user_permissions.add(  # type: ignore[attr-defined]
            Permission.objects.get(codename="access_admin")
        )

    def upload(self, name: str, data: bytes, **fields: str) -> str:
        response = self.client.post(
            URL, {"file": SimpleUploadedFile(name, data), **fields}, follow=False
        )
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_the_url(self) -> None:
        self.assertEqual(reverse("vestnik_importers:import"), URL)

    def test_who_may_import(self) -> None:
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])
        # Wagtail answers a refused admin view with a redirect to the dashboard.
        self.client.force_login(self.outsider)  # type: ignore[arg-type]
        self.assertRedirects(self.client.get(URL), "/admin/", fetch_redirect_response=False)
        response = self.client.post(URL, {"file": SimpleUploadedFile("a.docx", small_docx())})
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        self.assertFalse(ArticlePage.objects.exists())
        for user in (self.author, self.editor):
            self.client.force_login(user)  # type: ignore[arg-type]
            response = self.client.get(URL)
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, 'accept=".docx,.html,.htm,.txt"')

    def test_the_menu_item_shows_for_those_who_may_import(self) -> None:
        self.client.force_login(self.author)  # type: ignore[arg-type]
        self.assertContains(self.client.get("/admin/"), URL)
        self.client.force_login(self.outsider)  # type: ignore[arg-type]
        self.assertNotContains(self.client.get("/admin/"), URL)

    @override_settings(VESTNIK_REVIEW_REQUIRED=False)
    def test_only_those_who_may_publish_see_publish(self) -> None:
        self.client.force_login(self.editor)  # type: ignore[arg-type]
        self.assertContains(self.client.get(URL), 'name="publish"')
        self.client.force_login(self.author)  # type: ignore[arg-type]
        self.assertNotContains(self.client.get(URL), 'name="publish"')

    def test_under_review_nobody_publishes_an_import(self) -> None:
        # The importer is the new text's last editor (docs/security.md, "Review").
        self.client.force_login(self.editor)  # type: ignore[arg-type]
        self.assertNotContains(self.client.get(URL), 'name="publish"')
        self.upload("caspian.html", CASPIAN.read_bytes(), publish="on")
        self.assertFalse(ArticlePage.objects.get().live)

    def test_a_manuscript_upload_shows_the_draft_and_its_warnings(self) -> None:
        self.client.force_login(self.author)  # type: ignore[arg-type]

        html = self.upload("Токаева.docx", full_manuscript().to_bytes(), publish="on")

        article = ArticlePage.objects.get()
        self.assertFalse(article.live)  # an author cannot publish, whatever the form says
        self.assertEqual(article.owner, self.author)
        self.assertEqual(article.get_latest_revision().user, self.author)
        self.assertIn(f"Создана статья «{TITLE}»", html)
        self.assertIn(reverse("wagtailadmin_pages:edit", args=[article.pk]), html)
        self.assertIn(reverse("wagtailadmin_pages:view_draft", args=[article.pk]), html)
        self.assertIn("data-import-warnings", html)
        self.assertIn("Word footnote «Забытая сноска.» is referenced nowhere", html)
        # The manuscript names its own author; an author's import is theirs all the same.
        self.assertEqual(article.get_parent().specific.expert, self.author_expert)

    @override_settings(VESTNIK_REVIEW_REQUIRED=False)
    def test_an_editor_may_publish_and_override_the_author(self) -> None:
        self.client.force_login(self.editor)  # type: ignore[arg-type]
        html = self.upload(
            "caspian.html", CASPIAN.read_bytes(), publish="on", author="Ольга Белецкая"
        )
        article = ArticlePage.objects.get()
        self.assertTrue(article.live)
        self.assertEqual(article.get_parent().specific.expert.full_name, "Ольга Белецкая")
        self.assertIn("Image 1 was left out", html)

    def test_saved_page_text_is_accepted_too(self) -> None:
        self.client.force_login(self.editor)  # type: ignore[arg-type]
        from vestnik.importers.tests.test_import_page import FILES

        html = self.upload("tokaeva.txt", (FILES / "tokaeva_water.txt").read_bytes())
        self.assertIn("Создана статья «Вода как ресурс влияния", html)
        self.assertEqual(ArticlePage.objects.get().url_path.split("/", 2)[2], TOKAEVA_PATH[1:])

    def test_a_bad_file_shows_one_clear_message_and_creates_nothing(self) -> None:
        self.client.force_login(self.editor)  # type: ignore[arg-type]
        before = counts()
        for name, data, message in (
            ("renamed.docx", b"%PDF-1.4 ...", "This is a PDF renamed .docx"),
            ("cut.docx", small_docx()[:700], "damaged or incomplete"),
        ):
            html = self.upload(name, data)
            self.assertIn("data-import-error", html)
            self.assertIn("Файл не импортирован.", html)
            self.assertIn(message, html)
        self.assertEqual(counts(), before)

    def test_the_form_refuses_other_kinds_and_large_files(self) -> None:
        self.client.force_login(self.editor)  # type: ignore[arg-type]
        html = self.upload("manuscript.pdf", b"%PDF-1.4")
        self.assertIn(
            "Загрузите рукопись Word (.docx), сохраненную страницу (.html) или ее текст", html
        )
        with override_settings(VESTNIK_IMPORTERS_MAX_BYTES=1000):
            html = self.upload("big.docx", b"PK\x03\x04" + b"\x00" * 2000)
        self.assertIn("Файл слишком большой", html)
        self.assertFalse(ArticlePage.objects.exists())


class ImportTranslationViewTests(TestCase):
    """The screen's «Language» and «Translation of»: as the commands, within the user's rights."""

    @classmethod
    def setUpTestData(cls) -> None:
        from vestnik.importers.services import import_page_file
        from vestnik.importers.tests.test_import_translation import SOURCE

        site_setup()
        cls.editor = user_in(EDITORS_GROUP, "editor")
        cls.source = import_page_file(path=SOURCE, publish=True).article
        cls.other_author_expert = expert_with_blog("Асан Жакупов", "Асана Жакупова").expert
        cls.other_author, _ = author_account_ensure(
            username="author", expert=cls.other_author_expert
        )

    def upload(self, **fields: str) -> str:
        from vestnik.importers.tests.test_import_translation import TRANSLATION

        response = self.client.post(
            URL,
            {"file": SimpleUploadedFile("drones.txt", TRANSLATION.read_bytes()), **fields},
        )
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_an_editor_attaches_a_translation(self) -> None:
        self.client.force_login(self.editor)  # type: ignore[arg-type]
        page = self.upload(language="en", translation_of=self.source.get_url())

        self.assertIn("data-import-result", page)
        translation = ArticlePage.objects.get(locale__language_code="en")
        self.assertEqual(translation.translation_key, self.source.translation_key)

    def test_an_author_may_not_translate_an_article_they_may_not_edit(self) -> None:
        self.client.force_login(self.other_author)  # type: ignore[arg-type]
        page = self.upload(language="en", translation_of=str(self.source.pk))

        self.assertIn("data-import-error", page)
        # «… so you cannot add a translation to it», in the admin's language.
        self.assertIn("поэтому не можете добавить к ней перевод", page)
        self.assertFalse(ArticlePage.objects.filter(locale__language_code="en").exists())

    def test_a_bad_source_is_one_clear_message(self) -> None:
        self.client.force_login(self.editor)  # type: ignore[arg-type]
        page = self.upload(language="en", translation_of="/blogs/nobody/nothing/")

        self.assertIn("is not a page of this site", page)
        self.assertEqual(ArticlePage.objects.count(), 1)
