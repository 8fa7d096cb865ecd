"""Who may do what: one table of role × action, every cell run through the real admin.

`MATRIX` is the table docs/security.md («The role × action matrix») states in
words; change both together. Each action opens its admin view (GET) and, where
the action changes data, posts the form the admin would post and looks at the
database: an allowed cell must open and change it, a refused one must be turned
away (Wagtail's redirect to the dashboard with a message, a 403, or the login
page for anonymous visitors) and leave everything as it was. GET and POST must
agree, so a view that hides a button but accepts the POST fails too.

Each cell runs in a savepoint that is rolled back, so cells cannot see each
other's changes; nothing here depends on the database backend.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import TestCase
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction, Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from vestnik.api.keys import api_key_create
from vestnik.api.models import ApiKey
from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.articles.models import ArticlePage, BlogPage, ShareNetwork, ShareSettings
from vestnik.core.models import VestnikImage
from vestnik.events.factories import event_page
from vestnik.events.models import EventIndexPage
from vestnik.events.services import registration_create
from vestnik.importers.tests.test_import_html import CASPIAN
from vestnik.insights.models import Entity
from vestnik.newsletters.models import Mailing, MailingKind, MailingStatus, Subscriber
from vestnik.polls.factories import poll_with_options
from vestnik.polls.models import Poll
from vestnik.publications.factories import series_ensure
from vestnik.publications.models import PublicationIndexPage, PublicationSeries
from vestnik.readership.counting import today
from vestnik.readership.models import PageViewDay
from vestnik.site.services import site_setup
from vestnik.site.tests.accounts import (
    ADMIN_HOME,
    account_for,
    article_form,
    editor_account,
    png_bytes,
)

ALLOWED, REFUSED = True, False
A, R = ALLOWED, REFUSED

ROLES = (
    "author, own",
    "author, other's",
    "editor",
    "editor, own text",
    "superuser",
    "anonymous",
)

# One row per action, one column per role (see `Role` for what each column is about).
# fmt: off
MATRIX: dict[str, tuple[bool, ...]] = {
    #                     author  author    editor  editor    super-  anony-
    #                     own     other's           own text  user    mous
    "edit":               (A,     R,        A,      A,        A,      R),
    "delete":             (A,     R,        A,      A,        A,      R),
    "move":               (R,     R,        A,      A,        A,      R),
    "copy":               (A,     R,        A,      A,        A,      R),
    "submit":             (A,     R,        A,      A,        A,      R),
    "publish":            (R,     R,        A,      R,        A,      R),
    "unpublish":          (R,     R,        A,      A,        A,      R),
    "privacy":            (R,     R,        A,      R,        A,      R),
    "images":             (A,     R,        A,      A,        A,      R),
    "documents":          (R,     R,        A,      A,        A,      R),
    "polls":              (R,     R,        A,      A,        A,      R),
    "polls CSV":          (R,     R,        A,      A,        A,      R),
    "imports":            (A,     R,        A,      A,        A,      R),
    "entity corrections": (R,     R,        A,      A,        A,      R),
    "share labels":       (R,     R,        A,      A,        A,      R),
    "task report":        (R,     R,        A,      A,        A,      R),
    "users":              (R,     R,        R,      R,        A,      R),
    "publication series": (R,     R,        A,      A,        A,      R),
    "add publication":    (R,     R,        A,      A,        A,      R),
    "downloads report":   (R,     R,        A,      A,        A,      R),
    "add event":          (R,     R,        A,      A,        A,      R),
    "registrations":      (R,     R,        A,      A,        A,      R),
    "registrations CSV":  (R,     R,        A,      A,        A,      R),
    "compose issue":      (R,     R,        A,      A,        A,      R),
    "schedule issue":     (R,     R,        A,      A,        A,      R),
    "subscribers":        (R,     R,        A,      A,        A,      R),
    "subscribers CSV":    (R,     R,        A,      A,        A,      R),
    "create API key":     (R,     R,        A,      A,        A,      R),
    "revoke API key":     (R,     R,        A,      A,        A,      R),
    "readership":         (A,     R,        A,      A,        A,      R),
    "readership page":    (A,     R,        A,      A,        A,      R),
    "readership CSV":     (A,     R,        A,      A,        A,      R),
}
# fmt: on


@dataclass(frozen=True)
class Role:
    """A user and the content a cell is about.

    `draft` is an unpublished article and `live` a published one; for «own» rows
    the user wrote both (an author's blog, or an editor's own text, which review
    keeps them from publishing), otherwise another expert's untouched text.
    `blog` is where imports should land and `image` the picture to edit.
    """

    user: Any
    draft: ArticlePage
    live: ArticlePage
    blog: BlogPage
    image: VestnikImage | None


class PermissionMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.blog_a = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        cls.blog_b = expert_with_blog("Ирина Соколова", "Ирины Соколовой")
        # Nobody's blog: where "move" tries to take an article.
        cls.blog_c = expert_with_blog("Ольга Белецкая", "Ольги Белецкой")
        cls.author_a = account_for(cls.blog_a.expert, "asan")
        cls.author_b = account_for(cls.blog_b.expert, "irina")
        cls.editor = editor_account()
        cls.superuser = get_user_model().objects.create_superuser("root", password="x")

        def article(blog: BlogPage, title: str, *, publish: bool, owner: Any = None) -> ArticlePage:
            # The text `article_form` posts back, so saving it unchanged changes no text
            # (review counts who last changed the words, core.review).
            return article_in_blog(
                blog,
                title=title,
                lead="Лид.",
                body=[("paragraph", "<p>Текст автора.</p>")],
                footnotes={},
                publish=publish,
                owner=owner,
            )

        cls.draft_a = article(cls.blog_a, "Черновик Жакупова", publish=False, owner=cls.author_a)
        cls.live_a = article(cls.blog_a, "Статья Жакупова", publish=True, owner=cls.author_a)
        cls.draft_b = article(cls.blog_b, "Черновик Соколовой", publish=False, owner=cls.author_b)
        cls.live_b = article(cls.blog_b, "Статья Соколовой", publish=True, owner=cls.author_b)
        cls.draft_e = article(cls.blog_b, "Черновик редактора", publish=False, owner=cls.editor)
        cls.live_e = article(cls.blog_b, "Статья редактора", publish=True, owner=cls.editor)
        cls.image_b = VestnikImage.objects.create(
            title="Снимок Соколовой",
            file=SimpleUploadedFile("b.png", png_bytes()),
            uploaded_by_user=cls.author_b,
        )
        cls.poll = poll_with_options()
        cls.entity = Entity.objects.create(kind=Entity.Kind.COUNTRY, name="Турция", slug="turtsiya")
        cls.site = Site.objects.get(is_default_site=True)
        cls.series = series_ensure()
        cls.library = PublicationIndexPage.objects.get(locale__language_code="ru")
        cls.events = EventIndexPage.objects.get(locale__language_code="ru")
        cls.registration = registration_create(
            event=event_page(cls.events, registration_open=True, capacity=10),
            name="Ирина Петрова",
            email="irina@example.org",
            organisation="",
            answers={},
            language="ru",
        )
        cls.subscriber = Subscriber.objects.create(email="reader@example.org", language="ru")
        cls.special = Mailing.objects.create(
            kind=MailingKind.SPECIAL, subject="Особый выпуск", language="ru"
        )
        cls.special.items.create(page=cls.live_b)
        cls.api_key, _ = api_key_create(name="Харвестер", rate_per_minute=600, created_by=None)
        for live in (cls.live_a, cls.live_b, cls.live_e):
            PageViewDay.objects.create(page=live, day=today(), views=3)

    def role(self, name: str) -> Role:
        other = {"draft": self.draft_b, "live": self.live_b, "blog": self.blog_b}
        return {
            "author, own": Role(self.author_a, self.draft_a, self.live_a, self.blog_a, None),
            "author, other's": Role(self.author_a, image=self.image_b, **other),
            "editor": Role(self.editor, image=self.image_b, **other),
            "editor, own text": Role(self.editor, self.draft_e, self.live_e, self.blog_b, None),
            "superuser": Role(self.superuser, image=self.image_b, **other),
            "anonymous": Role(None, image=self.image_b, **other),
        }[name]

    # --- the table -----------------------------------------------------------

    def test_the_table_has_a_cell_for_every_role(self) -> None:
        for action, cells in MATRIX.items():
            self.assertEqual(len(cells), len(ROLES), action)

    def test_every_cell(self) -> None:
        for action, cells in MATRIX.items():
            for role_name, expected in zip(ROLES, cells, strict=True):
                with self.subTest(role=role_name, action=action):
                    self.run_cell(role_name, action, expected)

    def run_cell(self, role_name: str, action: str, expected: bool) -> None:
        role = self.role(role_name)
        self.client.logout()
        if role.user is not None:
            self.client.force_login(role.user)
        check: Callable[[Role], bool] = getattr(self, "do_" + action.replace(" ", "_"))
        with transaction.atomic():
            allowed = check(role)
            transaction.set_rollback(True)
        self.assertEqual(
            allowed,
            expected,
            f"{role_name} × {action}: {'allowed' if allowed else 'refused'}, "
            f"the table says {'allowed' if expected else 'refused'}",
        )

    # --- answers ---------------------------------------------------------------

    def opens(self, url: str, what: str) -> bool:
        """True if the admin shows the view, False if it turns the user away; else fail."""
        response = self.client.get(url)
        return self.answer(response, what)

    def answer(self, response: Any, what: str) -> bool:
        if response.status_code == 403:
            return False
        if response.status_code == 302:
            location = response["Location"]
            # Wagtail turns a signed-in user away to the dashboard with a message,
            # an anonymous visitor to the login page.
            if location == ADMIN_HOME or location.startswith("/admin/login/"):
                return False
        self.assertEqual(response.status_code, 200, f"{what}: {response.status_code}")
        return True

    def posted(self, url: str, data: dict[str, Any], what: str) -> Any:
        response = self.client.post(url, data)
        self.assertLess(response.status_code, 500, what)
        return response

    def agree(self, opened: bool, changed: bool, what: str) -> bool:
        # A view that hides its form but takes the POST (or the reverse) is a bug either way.
        self.assertEqual(opened, changed, f"{what}: GET {opened}, POST changed data {changed}")
        return changed

    # --- pages -----------------------------------------------------------------

    def page_url(self, name: str, page: Any) -> str:
        return reverse(f"wagtailadmin_pages:{name}", args=[page.pk])

    def do_edit(self, role: Role) -> bool:
        url = self.page_url("edit", role.draft)
        opened = self.opens(url, "edit")
        self.posted(url, article_form(role.draft, title="Правка"), "edit")
        latest = ArticlePage.objects.get(pk=role.draft.pk).get_latest_revision_as_object()
        return self.agree(opened, latest.title == "Правка", "edit")

    def do_delete(self, role: Role) -> bool:
        url = self.page_url("delete", role.draft)
        opened = self.opens(url, "delete")
        self.posted(url, {}, "delete")
        gone = not ArticlePage.objects.filter(pk=role.draft.pk).exists()
        return self.agree(opened, gone, "delete")

    def do_move(self, role: Role) -> bool:
        # Out of its blog, into one that is nobody's: an author's articles stay in their blog.
        url = reverse("wagtailadmin_pages:move_confirm", args=[role.draft.pk, self.blog_c.pk])
        opened = self.opens(url, "move")
        self.posted(url, {}, "move")
        moved = ArticlePage.objects.get(pk=role.draft.pk).get_parent().pk == self.blog_c.pk
        return self.agree(opened, moved, "move")

    def do_copy(self, role: Role) -> bool:
        url = self.page_url("copy", role.draft)
        opened = self.opens(url, "copy")
        parent = role.draft.get_parent()
        data = {"new_title": "Копия", "new_slug": "kopiya", "new_parent_page": parent.pk}
        self.posted(url, data, "copy")
        copied = ArticlePage.objects.child_of(parent).filter(slug="kopiya").exists()
        return self.agree(opened, copied, "copy")

    def do_submit(self, role: Role) -> bool:
        url = self.page_url("edit", role.draft)
        opened = self.opens(url, "submit") and 'name="action-submit"' in self.edit_html(url)
        self.posted(url, article_form(role.draft, **{"action-submit": "1"}), "submit")
        submitted = ArticlePage.objects.get(pk=role.draft.pk).workflow_in_progress
        return self.agree(opened, submitted, "submit")

    def do_publish(self, role: Role) -> bool:
        url = self.page_url("edit", role.draft)
        opened = self.opens(url, "publish") and 'name="action-publish"' in self.edit_html(url)
        self.posted(url, article_form(role.draft, **{"action-publish": "1"}), "publish")
        live = ArticlePage.objects.get(pk=role.draft.pk).live
        return self.agree(opened, live, "publish")

    def edit_html(self, url: str) -> str:
        return self.client.get(url).content.decode()

    def do_unpublish(self, role: Role) -> bool:
        url = self.page_url("unpublish", role.live)
        opened = self.opens(url, "unpublish")
        self.posted(url, {}, "unpublish")
        unpublished = not ArticlePage.objects.get(pk=role.live.pk).live
        return self.agree(opened, unpublished, "unpublish")

    def do_privacy(self, role: Role) -> bool:
        url = self.page_url("set_privacy", role.live)
        opened = self.opens(url, "privacy")
        self.posted(url, {"restriction_type": "login", "password": "", "groups": []}, "privacy")
        private = PageViewRestriction.objects.filter(page=role.live).exists()
        return self.agree(opened, private, "privacy")

    # --- images, documents -------------------------------------------------------

    def do_images(self, role: Role) -> bool:
        if role.image is None:
            # Their own: upload one.
            url = reverse("wagtailimages:add")
            opened = self.opens(url, "images")
            upload = SimpleUploadedFile("map.png", png_bytes())
            self.posted(url, {"title": "Новая карта", "file": upload}, "images")
            done = VestnikImage.objects.filter(title="Новая карта").exists()
        else:
            # Someone else's upload: edit it.
            url = reverse("wagtailimages:edit", args=[role.image.pk])
            opened = self.opens(url, "images")
            self.posted(url, {"title": "Чужая правка", "collection": role.image.collection_id}, "")
            done = VestnikImage.objects.get(pk=role.image.pk).title == "Чужая правка"
        return self.agree(opened, done, "images")

    def do_documents(self, role: Role) -> bool:
        url = reverse("wagtaildocs:add")
        opened = self.opens(url, "documents")
        upload = SimpleUploadedFile("report.txt", b"Report.")
        self.posted(url, {"title": "Отчёт", "file": upload}, "documents")
        uploaded = get_document_model().objects.filter(title="Отчёт").exists()
        return self.agree(opened, uploaded, "documents")

    # --- snippets and settings -------------------------------------------------

    def do_polls(self, role: Role) -> bool:
        opened_add = self.opens(reverse("wagtailsnippets_polls_poll:add"), "polls: add")
        url = reverse("wagtailsnippets_polls_poll:edit", args=[self.poll.pk])
        opened = self.opens(url, "polls: edit")
        self.assertEqual(opened_add, opened, "polls: add and edit disagree")
        poll = self.poll
        data = nested_form_data(
            {
                "number": poll.number,
                "question": "Новый вопрос?",
                "method_note": poll.method_note,
                "options": inline_formset(
                    [{"id": o.pk, "text": o.text} for o in poll.options.all()],
                    initial=poll.options.count(),
                ),
                "kind": poll.kind,
                "max_choices": poll.max_choices,
                "opens_at": poll.opens_at.strftime("%Y-%m-%d %H:%M"),
                "closes_at": "",
                "voters": poll.voters,
                "results_visibility": poll.results_visibility,
            }
        )
        self.posted(url, data, "polls")
        changed = Poll.objects.get(pk=poll.pk).question == "Новый вопрос?"
        return self.agree(opened, changed, "polls")

    def do_polls_CSV(self, role: Role) -> bool:
        url = reverse("wagtailsnippets_polls_poll:results_csv", args=[self.poll.pk])
        response = self.client.get(url)
        allowed = self.answer(response, "CSV")
        if allowed:
            self.assertIn("text/csv", response["Content-Type"])
        return allowed

    def do_imports(self, role: Role) -> bool:
        # Import naming the cell's blog: an author's file always lands in their own.
        url = reverse("vestnik_importers:import")
        opened = self.opens(url, "imports")
        upload = SimpleUploadedFile("caspian.html", CASPIAN.read_bytes())
        self.posted(url, {"file": upload, "author": role.blog.expert.full_name}, "imports")
        known = [self.draft_a, self.live_a, self.draft_b, self.live_b, self.draft_e, self.live_e]
        new = ArticlePage.objects.exclude(pk__in=[page.pk for page in known])
        if not opened:
            self.assertFalse(new.exists(), "a refused import created an article")
        return ArticlePage.objects.child_of(role.blog).filter(pk__in=new).exists()

    def do_entity_corrections(self, role: Role) -> bool:
        url = reverse("wagtailsnippets_insights_entity:edit", args=[self.entity.pk])
        opened = self.opens(url, "entity corrections")
        entity = self.entity
        data = {"name": entity.name, "short_name": "", "kind": entity.kind, "aliases": "Анкара"}
        self.posted(url, {**data, "slug": entity.slug, "hidden": "on"}, "entity corrections")
        hidden = Entity.objects.get(pk=entity.pk).hidden
        return self.agree(opened, hidden, "entity corrections")

    def do_share_labels(self, role: Role) -> bool:
        url = reverse("wagtailsettings:edit", args=["articles", "sharesettings", self.site.pk])
        opened = self.opens(url, "share labels")
        networks = ShareSettings.for_site(self.site).networks.all()
        rows = [
            {
                "id": network.pk,
                "name": network.name,
                "url_template": network.url_template,
                "legal_label": "Метка" if network.name == "Telegram" else network.legal_label,
                "enabled": "on",
            }
            for network in networks
        ]
        self.posted(url, nested_form_data({"networks": inline_formset(rows)}), "share labels")
        labelled = ShareNetwork.objects.filter(name="Telegram", legal_label="Метка").exists()
        return self.agree(opened, labelled, "share labels")

    def do_task_report(self, role: Role) -> bool:
        return self.opens(reverse("vestnik_tasks:index"), "task report")

    def do_users(self, role: Role) -> bool:
        return self.opens(reverse("wagtailusers_users:index"), "users")

    # --- the library and events ------------------------------------------------

    def do_publication_series(self, role: Role) -> bool:
        url = reverse("wagtailsnippets_publications_publicationseries:edit", args=[self.series.pk])
        opened = self.opens(url, "publication series")
        data = {"name": "Переименованная серия", "item_name": "", "slug": self.series.slug}
        self.posted(url, {**data, "description": ""}, "publication series")
        renamed = PublicationSeries.objects.get(pk=self.series.pk).name == data["name"]
        return self.agree(opened, renamed, "publication series")

    def do_add_publication(self, role: Role) -> bool:
        # Only the form: what a publication's form does is `publications/tests`.
        url = reverse(
            "wagtailadmin_pages:add", args=["publications", "publicationpage", self.library.pk]
        )
        return self.opens(url, "add publication")

    def do_downloads_report(self, role: Role) -> bool:
        return self.opens(reverse("publication_downloads"), "downloads report")

    def do_add_event(self, role: Role) -> bool:
        url = reverse("wagtailadmin_pages:add", args=["events", "eventpage", self.events.pk])
        return self.opens(url, "add event")

    def do_registrations(self, role: Role) -> bool:
        # Readers' names and e-mails: only those who run events may read them.
        response = self.client.get(reverse("registrations:index"))
        allowed = self.answer(response, "registrations")
        if allowed:
            self.assertContains(response, self.registration.email)
        return allowed

    def do_registrations_CSV(self, role: Role) -> bool:
        response = self.client.get(reverse("registrations:index") + "?export=csv")
        allowed = self.answer(response, "registrations CSV")
        if allowed:
            self.assertIn("text/csv", response["Content-Type"])
            self.assertIn(self.registration.email, b"".join(response).decode())
        return allowed

    # --- newsletters -----------------------------------------------------------

    def do_compose_issue(self, role: Role) -> bool:
        url = reverse("newsletters_mailings:add")
        opened = self.opens(url, "compose special issue")
        data = {"subject": "Выпуск роли", "language": "ru", "items": [str(self.live_b.pk)]}
        self.posted(url, data, "compose special issue")
        composed = Mailing.objects.filter(subject="Выпуск роли").exists()
        return self.agree(opened, composed, "compose special issue")

    def do_schedule_issue(self, role: Role) -> bool:
        detail = self.client.get(reverse("newsletters_mailings:detail", args=[self.special.pk]))
        opened = self.answer(detail, "schedule special issue")
        if opened:
            self.assertContains(
                detail, reverse("newsletters_mailings:schedule", args=[self.special.pk])
            )
        url = reverse("newsletters_mailings:schedule", args=[self.special.pk])
        self.posted(url, {"send_at": "", "now": "1"}, "schedule special issue")
        scheduled = Mailing.objects.get(pk=self.special.pk).status == MailingStatus.SCHEDULED
        return self.agree(opened, scheduled, "schedule special issue")

    def do_subscribers(self, role: Role) -> bool:
        # Readers' e-mail addresses: only those who run the newsletters may read them.
        response = self.client.get(reverse("newsletters_subscribers:index"))
        allowed = self.answer(response, "subscribers")
        if allowed:
            self.assertContains(response, self.subscriber.email)
        else:
            self.assertNotContains(
                response, self.subscriber.email, status_code=response.status_code
            )
        return allowed

    def do_subscribers_CSV(self, role: Role) -> bool:
        response = self.client.get(reverse("newsletters_subscribers:index") + "?export=csv")
        allowed = self.answer(response, "subscribers CSV")
        if allowed:
            self.assertIn("text/csv", response["Content-Type"])
            self.assertIn(self.subscriber.email, b"".join(response).decode())
        return allowed

    # --- API keys --------------------------------------------------------------

    def do_create_API_key(self, role: Role) -> bool:
        url = reverse("api_keys:add")
        opened = self.opens(url, "create API key")
        response = self.posted(
            url, {"name": "Ключ роли", "rate_per_minute": "60"}, "create API key"
        )
        created = ApiKey.objects.filter(name="Ключ роли").exists()
        if created:
            # The key itself is shown on the answer to the POST, the one time it is seen.
            self.assertContains(response, "data-api-key")
        return self.agree(opened, created, "create API key")

    def do_revoke_API_key(self, role: Role) -> bool:
        url = reverse("api_keys:edit", args=[self.api_key.pk])
        opened = self.opens(url, "revoke API key")
        data = {"name": self.api_key.name, "rate_per_minute": "600", "revoked": "on"}
        self.posted(url, data, "revoke API key")
        revoked = ApiKey.objects.get(pk=self.api_key.pk).revoked_at is not None
        return self.agree(opened, revoked, "revoke API key")

    # --- readership ----------------------------------------------------------

    def do_readership(self, role: Role) -> bool:
        # The overview opens for every author; the cell is whether it lists this page.
        response = self.client.get(reverse("readership_reports:index"))
        if not self.answer(response, "readership"):
            return False
        return reverse("readership_reports:page", args=[role.live.pk]) in response.content.decode()

    def readership_page(self, role: Role, query: str) -> Any:
        url = reverse("readership_reports:page", args=[role.live.pk]) + query
        response = self.client.get(url)
        # Another's page is missing for an author, as if it did not exist.
        return None if response.status_code == 404 else response

    def do_readership_page(self, role: Role) -> bool:
        response = self.readership_page(role, "")
        allowed = response is not None and self.answer(response, "readership page")
        if allowed:
            self.assertContains(response, "data-readership-chart")
        return allowed

    def do_readership_CSV(self, role: Role) -> bool:
        response = self.readership_page(role, "?format=csv")
        allowed = response is not None and self.answer(response, "readership CSV")
        if allowed:
            self.assertIn("text/csv", response["Content-Type"])
        return allowed
