"""Who may do what, through the real admin: an author writes in their own blog and nowhere else.

Authors are set up the way an editor does it in the admin (the expert's
«user account» field), so the same tests ran against the release that granted
every author the whole /blogs/ tree and failed there.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from wagtail.models import GroupPagePermission, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.articles.models import ArticlePage, BlogPage
from vestnik.authors.models import Expert
from vestnik.core.models import VestnikImage
from vestnik.importers.tests.test_import_html import CASPIAN
from vestnik.site.models import BlogIndexPage
from vestnik.site.services import AUTHORS_GROUP, site_setup
from vestnik.site.tests.accounts import (
    ADMIN_HOME,
    account_for,
    article_form,
    editor_account,
    png_bytes,
)


def expert_form(expert: Expert, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "full_name": expert.full_name,
        "name_genitive": expert.name_genitive,
        "slug": expert.slug,
        "position": expert.position,
        "affiliation": expert.affiliation,
        "bio": rich_text(expert.bio),
        "links": inline_formset([]),
        "user": expert.user_id or "",
    }
    values.update(fields)
    return nested_form_data(values)


class RolesTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.tree = site_setup()
        cls.blog_a = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        cls.blog_b = expert_with_blog("Ирина Соколова", "Ирины Соколовой")
        cls.expert_a, cls.expert_b = cls.blog_a.expert, cls.blog_b.expert
        cls.live_b = article_in_blog(cls.blog_b, title="Опубликованная статья Соколовой")
        cls.draft_b = article_in_blog(cls.blog_b, title="Черновик Соколовой", publish=False)
        cls.draft_a = article_in_blog(cls.blog_a, title="Черновик Жакупова", publish=False)
        cls.author_a = account_for(cls.expert_a, "asan")
        cls.author_b = account_for(cls.expert_b, "irina")
        cls.editor = editor_account()

    def assertRefused(self, response: Any, what: str) -> None:
        # Wagtail answers a refused admin view with a redirect to the dashboard and a message.
        self.assertEqual(response.status_code, 302, what)
        self.assertEqual(response["Location"], ADMIN_HOME, what)


class AuthorPagesTests(RolesTestCase):
    def test_an_author_cannot_touch_another_authors_pages(self) -> None:
        self.client.force_login(self.author_a)
        index = self.tree.blogs
        refused = {
            "edit the other's article": ("wagtailadmin_pages:edit", self.live_b),
            "edit the other's draft": ("wagtailadmin_pages:edit", self.draft_b),
            "delete the other's draft": ("wagtailadmin_pages:delete", self.draft_b),
            "move the other's draft": ("wagtailadmin_pages:move", self.draft_b),
            "copy the other's article": ("wagtailadmin_pages:copy", self.live_b),
            "unpublish the other's article": ("wagtailadmin_pages:unpublish", self.live_b),
            "edit the other's blog": ("wagtailadmin_pages:edit", self.blog_b),
            "add to the other's blog": ("wagtailadmin_pages:add_subpage", self.blog_b),
            "edit the blogs index": ("wagtailadmin_pages:edit", index),
            "add a blog": ("wagtailadmin_pages:add_subpage", index),
        }
        for what, (name, page) in refused.items():
            self.assertRefused(self.client.get(reverse(name, args=[page.pk])), what)
        add_article = reverse(
            "wagtailadmin_pages:add", args=["articles", "articlepage", self.blog_b.pk]
        )
        self.assertRefused(self.client.get(add_article), "add article form in the other's blog")
        add_blog = reverse("wagtailadmin_pages:add", args=["articles", "blogpage", index.pk])
        self.assertRefused(self.client.get(add_blog), "add a blog page")

    def test_an_author_cannot_revise_another_authors_article_by_post(self) -> None:
        self.client.force_login(self.author_a)
        revisions = self.live_b.revisions.count()
        response = self.client.post(
            reverse("wagtailadmin_pages:edit", args=[self.live_b.pk]),
            article_form(self.live_b, title="Чужая правка", **{"action-submit": "1"}),
        )
        self.assertRefused(response, "POST edit of the other's article")
        self.assertEqual(self.live_b.revisions.count(), revisions)

    def test_an_author_writes_in_their_own_blog_and_submits(self) -> None:
        self.client.force_login(self.author_a)
        add_url = reverse(
            "wagtailadmin_pages:add", args=["articles", "articlepage", self.blog_a.pk]
        )
        self.assertEqual(self.client.get(add_url).status_code, 200)
        response = self.client.post(add_url, article_form())
        self.assertEqual(response.status_code, 302, response.content[:3000])
        created = ArticlePage.objects.child_of(self.blog_a).get(slug="novaya-statya-avtora")
        self.assertFalse(created.live)

        edit_url = reverse("wagtailadmin_pages:edit", args=[self.draft_a.pk])
        page = self.client.get(edit_url)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'name="action-publish"')
        self.assertContains(page, 'name="action-submit"')
        response = self.client.post(edit_url, article_form(self.draft_a, **{"action-submit": "1"}))
        self.assertEqual(response.status_code, 302)
        self.draft_a.refresh_from_db()
        self.assertEqual(self.draft_a.current_workflow_state.status, "in_progress")
        self.assertFalse(self.draft_a.live)

    def test_an_author_edits_their_blog_but_cannot_give_it_away(self) -> None:
        self.client.force_login(self.author_a)
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.blog_a.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="intro"')
        self.assertNotContains(response, 'name="expert"')

    def test_an_author_never_publishes(self) -> None:
        self.client.force_login(self.author_a)
        edit_url = reverse("wagtailadmin_pages:edit", args=[self.draft_a.pk])
        self.client.post(edit_url, article_form(self.draft_a, **{"action-publish": "1"}))
        self.draft_a.refresh_from_db()
        self.assertFalse(self.draft_a.live)
        self.assertFalse(
            GroupPagePermission.objects.filter(
                group__user=self.author_a, permission__codename="publish_page"
            ).exists()
        )

    def test_every_co_author_may_edit_and_a_removed_one_may_not(self) -> None:
        edit_url = reverse("wagtailadmin_pages:edit", args=[self.draft_b.pk])
        # The owner names a co-author in a draft: the co-author may edit that draft.
        self.client.force_login(self.author_b)
        response = self.client.post(
            edit_url, article_form(self.draft_b, co_authors=[self.expert_a.pk])
        )
        self.assertEqual(response.status_code, 302)
        self.client.force_login(self.author_a)
        self.assertEqual(self.client.get(edit_url).status_code, 200)
        response = self.client.post(
            edit_url, article_form(self.draft_b, title="Вместе", co_authors=[self.expert_a.pk])
        )
        self.assertEqual(response.status_code, 302)
        self.draft_b.refresh_from_db()
        self.assertEqual(self.draft_b.get_latest_revision_as_object().title, "Вместе")
        # Still not theirs to delete, move, copy or publish.
        for action in ("delete", "move", "copy"):
            response = self.client.get(
                reverse(f"wagtailadmin_pages:{action}", args=[self.draft_b.pk])
            )
            self.assertRefused(response, f"co-author: {action}")
        self.assertNotContains(self.client.get(edit_url), 'name="action-publish"')
        # Taken off the byline, they lose the right.
        self.client.force_login(self.author_b)
        self.client.post(edit_url, article_form(self.draft_b, co_authors=[]))
        self.client.force_login(self.author_a)
        self.assertRefused(self.client.get(edit_url), "edit after removal")

    def test_an_editor_keeps_everything(self) -> None:
        self.client.force_login(self.editor)
        for page in (self.live_b, self.draft_a, self.blog_b, self.tree.blogs):
            response = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, 'name="action-publish"')


class AuthorImagesTests(RolesTestCase):
    def test_an_author_uploads_an_image_and_chooses_it(self) -> None:
        self.client.force_login(self.author_a)
        response = self.client.post(
            reverse("wagtailimages:add"),
            {"title": "Карта Каспия", "file": SimpleUploadedFile("map.png", png_bytes())},
        )
        self.assertEqual(response.status_code, 302)
        image = VestnikImage.objects.get(title="Карта Каспия")
        self.assertEqual(image.uploaded_by_user, self.author_a)
        chooser = self.client.get(reverse("wagtailimages_chooser:choose"))
        self.assertEqual(chooser.status_code, 200)
        self.assertIn("Карта Каспия", chooser.json()["html"])

    def test_an_editor_uploads_and_edits_any_image(self) -> None:
        self.client.force_login(self.author_a)
        self.client.post(
            reverse("wagtailimages:add"),
            {"title": "Снимок автора", "file": SimpleUploadedFile("a.png", png_bytes())},
        )
        image = VestnikImage.objects.get(title="Снимок автора")
        self.client.force_login(self.editor)
        response = self.client.get(reverse("wagtailimages:edit", args=[image.pk]))
        self.assertEqual(response.status_code, 200)


class AuthorProfileTests(RolesTestCase):
    def edit_url(self, expert: Expert) -> str:
        return reverse("wagtailsnippets_authors_expert:edit", args=[expert.pk])

    def test_an_author_edits_their_own_profile_but_not_its_slug(self) -> None:
        self.client.force_login(self.author_a)
        page = self.client.get(self.edit_url(self.expert_a))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'name="slug"')
        self.assertNotContains(page, 'name="user"')
        response = self.client.post(
            self.edit_url(self.expert_a),
            expert_form(self.expert_a, position="Директор", slug="hijacked", user=""),
        )
        self.assertEqual(response.status_code, 302, response.content[:3000])
        self.expert_a.refresh_from_db()
        self.assertEqual(self.expert_a.position, "Директор")
        self.assertEqual(self.expert_a.slug, "asan-zhakupov")
        self.assertEqual(self.expert_a.user, self.author_a)

    def test_an_author_sees_and_edits_no_other_profile(self) -> None:
        self.client.force_login(self.author_a)
        listing = self.client.get(reverse("wagtailsnippets_authors_expert:list"))
        self.assertEqual(listing.status_code, 200)
        self.assertContains(listing, "Асан Жакупов")
        self.assertNotContains(listing, "Ирина Соколова")
        self.assertRefused(self.client.get(self.edit_url(self.expert_b)), "edit another expert")
        response = self.client.post(
            self.edit_url(self.expert_b), expert_form(self.expert_b, position="Взлом")
        )
        self.assertRefused(response, "POST another expert")
        self.expert_b.refresh_from_db()
        self.assertNotEqual(self.expert_b.position, "Взлом")
        self.assertRefused(
            self.client.get(reverse("wagtailsnippets_authors_expert:add")), "add an expert"
        )
        self.assertRefused(
            self.client.get(
                reverse("wagtailsnippets_authors_expert:delete", args=[self.expert_a.pk])
            ),
            "delete own expert",
        )

    def test_an_editor_links_and_unlinks_an_account_in_the_admin(self) -> None:
        newcomer = get_user_model().objects.create_user("newcomer", password="x")
        blog = expert_with_blog("Ольга Белецкая", "Ольги Белецкой")
        expert = blog.expert
        self.client.force_login(self.editor)
        page = self.client.get(self.edit_url(expert))
        self.assertContains(page, 'name="slug"')
        self.assertContains(page, 'name="user"')
        response = self.client.post(self.edit_url(expert), expert_form(expert, user=newcomer.pk))
        self.assertEqual(response.status_code, 302, response.content[:3000])

        self.client.force_login(newcomer)
        add_url = reverse("wagtailadmin_pages:add", args=["articles", "articlepage", blog.pk])
        self.assertEqual(self.client.get(add_url).status_code, 200)
        self.assertRefused(
            self.client.get(reverse("wagtailadmin_pages:edit", args=[self.draft_b.pk])), "other"
        )

        self.client.force_login(self.editor)
        expert.refresh_from_db()
        self.client.post(self.edit_url(expert), expert_form(expert, user=""))
        newcomer = get_user_model().objects.get(pk=newcomer.pk)
        self.assertFalse(newcomer.groups.exists())
        self.assertFalse(blog.permissions_for_user(newcomer).can_add_subpage())
        self.client.force_login(newcomer)
        # No longer an author, the account has no admin access at all: off to the login page.
        self.assertIn("/admin/login/", self.client.get(add_url)["Location"])


class AuthorImportTests(RolesTestCase):
    URL = "/admin/import/"

    def test_an_author_imports_only_into_their_own_blog(self) -> None:
        experts = Expert.objects.count()
        self.client.force_login(self.author_a)
        page = self.client.get(self.URL)
        self.assertNotContains(page, 'name="author"')
        # The file names Ольга Белецкая (no such expert) and the form names Соколова.
        response = self.client.post(
            self.URL,
            {
                "file": SimpleUploadedFile("caspian.html", CASPIAN.read_bytes()),
                "author": "Ирина Соколова",
            },
        )
        self.assertEqual(response.status_code, 200)
        article = ArticlePage.objects.exclude(
            pk__in=[self.live_b.pk, self.draft_b.pk, self.draft_a.pk]
        ).get()
        self.assertEqual(article.get_parent().pk, self.blog_a.pk)
        self.assertFalse(article.live)
        self.assertEqual(Expert.objects.count(), experts)

    def test_an_author_without_an_expert_profile_is_told_so(self) -> None:
        loner = get_user_model().objects.create_user("loner", password="x")
        loner.groups.add(Group.objects.get(name=AUTHORS_GROUP))
        self.client.force_login(loner)
        response = self.client.get(self.URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "data-import-no-expert")
        self.assertNotContains(response, 'name="file"')
        response = self.client.post(
            self.URL, {"file": SimpleUploadedFile("caspian.html", CASPIAN.read_bytes())}
        )
        self.assertContains(response, "data-import-no-expert")
        self.assertEqual(ArticlePage.objects.count(), 3)

    def test_an_editor_still_chooses_any_blog(self) -> None:
        self.client.force_login(self.editor)
        self.client.post(
            self.URL,
            {
                "file": SimpleUploadedFile("caspian.html", CASPIAN.read_bytes()),
                "author": "Ирина Соколова",
            },
        )
        article = ArticlePage.objects.exclude(
            pk__in=[self.live_b.pk, self.draft_b.pk, self.draft_a.pk]
        ).get()
        self.assertEqual(article.get_parent().pk, self.blog_b.pk)


class AuthorAccountCommandTests(RolesTestCase):
    def test_the_command_creates_an_account_and_prints_a_working_link(self) -> None:
        blog = expert_with_blog("Ольга Белецкая", "Ольги Белецкой")
        out = io.StringIO()
        call_command(
            "author_account",
            "olga",
            "--expert",
            blog.expert.slug,
            "--email",
            "o@example.org",
            stdout=out,
        )
        user = get_user_model().objects.get(username="olga")
        self.assertEqual(user.email, "o@example.org")
        self.assertFalse(user.has_usable_password())
        blog.expert.refresh_from_db()
        self.assertEqual(blog.expert.user, user)
        self.assertTrue(user.groups.filter(name=AUTHORS_GROUP).exists())
        match = re.search(r"http://localhost(/admin/password_reset/confirm/\S+/)", out.getvalue())
        assert match is not None, out.getvalue()
        response = self.client.get(match.group(1), follow=True)
        self.assertContains(response, 'name="new_password1"')

        self.client.force_login(user)
        add_url = reverse("wagtailadmin_pages:add", args=["articles", "articlepage", blog.pk])
        self.assertEqual(self.client.get(add_url).status_code, 200)

    def test_the_command_links_an_existing_account_and_refuses_a_taken_one(self) -> None:
        blog = expert_with_blog("Ольга Белецкая", "Ольги Белецкой")
        existing = get_user_model().objects.create_user("olga", password="x")
        call_command("author_account", "olga", "--expert", blog.expert.slug, stdout=io.StringIO())
        blog.expert.refresh_from_db()
        self.assertEqual(blog.expert.user, existing)
        self.assertTrue(existing.has_usable_password())
        with self.assertRaisesMessage(CommandError, "asan"):
            call_command(
                "author_account", "olga2", "--expert", self.expert_a.slug, stdout=io.StringIO()
            )
        with self.assertRaisesMessage(CommandError, "nobody"):
            call_command("author_account", "x", "--expert", "nobody", stdout=io.StringIO())


class UpgradeTests(TestCase):
    def test_setup_site_replaces_the_wide_grant_with_personal_ones(self) -> None:
        tree = site_setup()
        authors = Group.objects.get(name=AUTHORS_GROUP)
        # The grant earlier releases made: every author on the whole /blogs/ tree.
        for codename in ("add_page", "change_page"):
            GroupPagePermission.objects.get_or_create(
                group=authors,
                page=tree.blogs,
                permission=Permission.objects.get(
                    codename=codename, content_type__app_label="wagtailcore"
                ),
            )
        blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        user = get_user_model().objects.create_user("asan", password="x")
        user.groups.add(authors)
        # Linked with a queryset update, as an old release would have left it: no grant.
        Expert.objects.filter(pk=blog.expert.pk).update(user=user)

        call_command("setup_site", stdout=io.StringIO())

        self.assertFalse(GroupPagePermission.objects.filter(group=authors).exists())
        self.assertTrue(blog.permissions_for_user(user).can_add_subpage(), "the author's own blog")
        self.assertFalse(
            Page.objects.get(pk=tree.blogs.pk).permissions_for_user(user).can_add_subpage()
        )
        self.assertFalse(
            BlogIndexPage.objects.get(locale__language_code="ru")
            .permissions_for_user(user)
            .can_edit()
        )
        self.assertFalse(BlogPage.objects.exclude(pk=blog.pk).exists())
