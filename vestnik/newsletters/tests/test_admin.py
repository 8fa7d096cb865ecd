"""The editors' side in the real Wagtail admin: a special issue composed from the suggested
new items, previewed in the browser and as received, sent as a test to the editor,
scheduled, queued by `specials_due` to the digest's confirmed readers in its language and
delivered over real SMTP; the subscribers' list and its export; authors kept out."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.newsletters.delivery import mailing_deliver
from vestnik.newsletters.factories import subscriber_following
from vestnik.newsletters.models import (
    Delivery,
    Mailing,
    MailingKind,
    MailingStatus,
    Subscriber,
)
from vestnik.newsletters.planning import specials_due
from vestnik.site.tests.accounts import account_for, editor_account
from vestnik.vocabulary.models import Topic

pytestmark = pytest.mark.django_db

INTRO = (
    '{"blocks": [{"key": "a1", "text": "Вступление редактора.", "type": "unstyled", "depth": 0,'
    ' "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}'
)
HOSTILE = 'Итоги <script>alert("x")</script> недели'


def _reader(email: str, language: str, *, digest: bool = True, confirmed: bool = True) -> Any:
    if digest:
        return subscriber_following(email, "digest", language=language, confirmed=confirmed)
    topic, _created = Topic.objects.get_or_create(slug="energy", defaults={"name_ru": "Энергетика"})
    return subscriber_following(email, f"topic:{topic.pk}", language=language, confirmed=confirmed)


@pytest.fixture
def editor(site_tree: Any) -> Any:
    user = editor_account()
    user.email = "editor@example.org"
    user.save()
    return user


@pytest.fixture
def editor_client(editor: Any) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def articles(site_tree: Any) -> list[Any]:
    blog = expert_with_blog()
    older = article_in_blog(blog, title="Каспийский транзит")
    newer = article_in_blog(blog, title="Анкара и газовый хаб")
    # Published now: `article_in_blog` sets first publication from its date.
    for shift, page in ((2, older), (1, newer)):
        page.first_published_at = timezone.now() - datetime.timedelta(hours=shift)
        page.save(update_fields=["first_published_at"])
    return [older, newer]


def test_an_editor_composes_previews_tests_and_schedules_a_special_issue(
    editor: Any,
    editor_client: Client,
    articles: list[Any],
    smtp_server: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    older, newer = articles
    ru_digest = _reader("ru-digest@example.org", "ru")
    _reader("en-digest@example.org", "en")
    _reader("ru-alerts@example.org", "ru", digest=False)
    _reader("ru-pending@example.org", "ru", confirmed=False)

    # The form offers the new items in Russian, newest first.
    form = editor_client.get(reverse("newsletters_mailings:add"))
    assert form.status_code == 200
    html = form.content.decode()
    assert html.index("Анкара и газовый хаб") < html.index("Каспийский транзит")

    response = editor_client.post(
        reverse("newsletters_mailings:add"),
        {
            "subject": HOSTILE,
            "language": "ru",
            "intro": INTRO,
            "items": [str(newer.pk), str(older.pk)],
            "add_page": "",
            "preview": "1",
        },
    )
    mailing = Mailing.objects.get()
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("newsletters_mailings:preview", args=[mailing.pk])
    assert mailing.kind == MailingKind.SPECIAL
    assert mailing.status == MailingStatus.DRAFT
    assert mailing.created_by == editor
    assert list(mailing.items.values_list("page_id", flat=True)) == [newer.pk, older.pk]

    # The preview: the HTML in a sandboxed iframe, the subject escaped.
    preview = editor_client.get(response["Location"])
    assert preview.status_code == 200
    body = preview.content.decode().replace("\xa0", " ")
    assert "Анкара и газовый хаб" in body
    assert "Каспийский транзит" in body
    assert "Вступление редактора." in body
    assert 'sandbox=""' in body
    assert "<script>alert" not in body
    assert "&lt;script&gt;" in body

    # As received: the whole MIME message, one-click unsubscribe included.
    source = editor_client.get(reverse("newsletters_mailings:message", args=[mailing.pk]))
    assert source.status_code == 200
    text = source.content.decode()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in text
    assert "List-Unsubscribe: " in text and "/newsletters/unsubscribe/" in text
    assert "To: editor@example.org" in text
    assert "text/plain" in text and "text/html" in text
    assert "<script>alert" not in text

    # A test to the editor's own address: one message per click, none to readers.
    with django_capture_on_commit_callbacks(execute=True):
        sent = editor_client.post(reverse("newsletters_mailings:test", args=[mailing.pk]))
    assert sent.status_code == 302
    assert len(smtp_server.messages) == 1
    test_copy = smtp_server.messages[0]
    assert test_copy["To"] == "editor@example.org"
    plain = test_copy.get_body(preferencelist=("plain",)).get_content().replace("\xa0", " ")
    assert "Анкара и газовый хаб" in plain
    assert "newsletter.invalid" not in plain

    # The list shows it, escaped.
    listing = editor_client.get(reverse("newsletters_mailings:index"))
    assert listing.status_code == 200
    assert "<script>alert" not in listing.content.decode()
    assert "&lt;script&gt;" in listing.content.decode()

    # Scheduled for tomorrow at 10:00 site time; nothing is queued before then.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    scheduled = editor_client.post(
        reverse("newsletters_mailings:schedule", args=[mailing.pk]),
        {"send_at": f"{tomorrow:%d.%m.%Y} 10:00"},
    )
    assert scheduled.status_code == 302
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SCHEDULED
    at = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(10)))
    assert mailing.scheduled_at == at
    assert specials_due(now=at - datetime.timedelta(minutes=1)) == []

    # Still editable while scheduled.
    assert (
        editor_client.get(reverse("newsletters_mailings:edit", args=[mailing.pk])).status_code
        == 200
    )

    # Due: queued to the confirmed digest readers in Russian only.
    assert specials_due(now=at) == [mailing]
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENDING
    assert list(Delivery.objects.filter(mailing=mailing).values_list("subscriber", flat=True)) == [
        ru_digest.pk
    ]

    # Queued: read-only, no more unscheduling.
    edit = editor_client.get(reverse("newsletters_mailings:edit", args=[mailing.pk]))
    assert edit.status_code == 302
    assert edit["Location"] == reverse("newsletters_mailings:detail", args=[mailing.pk])
    editor_client.post(reverse("newsletters_mailings:unschedule", args=[mailing.pk]))
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENDING

    report = mailing_deliver(mailing.pk)
    assert report.sent == 1
    assert len(smtp_server.messages) == 2
    issue = smtp_server.messages[1]
    assert issue["To"] == "ru-digest@example.org"
    assert issue["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The counts in the list and on the detail page.
    listing = editor_client.get(reverse("newsletters_mailings:index")).content.decode()
    row = re.search(rf'data-mailing="{mailing.pk}".*?</tr>', listing, re.S)
    assert row is not None
    assert '<td data-count="sent">1</td>' in row.group(0)
    assert '<td data-count="queued">0</td>' in row.group(0)
    detail = editor_client.get(reverse("newsletters_mailings:detail", args=[mailing.pk]))
    assert '<td data-count="sent">1</td>' in detail.content.decode()


def test_unscheduling_takes_an_issue_back_to_draft_before_it_is_queued(
    editor_client: Client, articles: list[Any]
) -> None:
    editor_client.post(
        reverse("newsletters_mailings:add"),
        {"subject": "Особый выпуск", "language": "ru", "items": [str(articles[0].pk)]},
    )
    mailing = Mailing.objects.get()
    editor_client.post(reverse("newsletters_mailings:schedule", args=[mailing.pk]), {"now": "1"})
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SCHEDULED
    editor_client.post(reverse("newsletters_mailings:unschedule", args=[mailing.pk]))
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.DRAFT
    assert mailing.scheduled_at is None
    assert specials_due() == []


def test_an_issue_without_items_is_not_scheduled(editor_client: Client, site_tree: Any) -> None:
    editor_client.post(reverse("newsletters_mailings:add"), {"subject": "Пустой", "language": "ru"})
    mailing = Mailing.objects.get()
    response = editor_client.post(
        reverse("newsletters_mailings:schedule", args=[mailing.pk]), {"now": "1"}, follow=True
    )
    assert response.status_code == 200
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.DRAFT


def test_a_test_is_refused_without_an_address(
    editor: Any,
    editor_client: Client,
    articles: list[Any],
    smtp_server: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    editor.email = ""
    editor.save()
    editor_client.post(
        reverse("newsletters_mailings:add"),
        {"subject": "Особый выпуск", "language": "ru", "items": [str(articles[0].pk)]},
    )
    mailing = Mailing.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("newsletters_mailings:test", args=[mailing.pk]), follow=True
        )
    assert response.status_code == 200
    assert smtp_server.messages == []


def test_subscribers_list_and_export_for_editors(editor_client: Client) -> None:
    _reader("reader-one@example.org", "ru")
    _reader("reader-two@example.org", "en", digest=False)
    listing = editor_client.get(reverse("newsletters_subscribers:index"))
    assert listing.status_code == 200
    assert "reader-one@example.org" in listing.content.decode()
    assert "topic: 1" in listing.content.decode() or "тема: 1" in listing.content.decode()
    filtered = editor_client.get(reverse("newsletters_subscribers:index") + "?language=en")
    assert "reader-one@example.org" not in filtered.content.decode()
    assert "reader-two@example.org" in filtered.content.decode()
    searched = editor_client.get(reverse("newsletters_subscribers:index") + "?q=reader-one")
    assert "reader-two@example.org" not in searched.content.decode()

    export = editor_client.get(reverse("newsletters_subscribers:index") + "?export=csv")
    assert export.status_code == 200
    assert "text/csv" in export["Content-Type"]
    csv = b"".join(export).decode()
    assert "reader-one@example.org" in csv and "reader-two@example.org" in csv
    assert "weekly digest" in csv or "еженедельн" in csv.lower()

    xlsx = editor_client.get(reverse("newsletters_subscribers:index") + "?export=xlsx")
    assert xlsx.status_code == 200

    # No add or edit: readers manage their own.
    assert editor_client.get(reverse("newsletters_subscribers:add")).status_code in (302, 403)
    reader = Subscriber.objects.get(email="reader-one@example.org")
    assert editor_client.get(
        reverse("newsletters_subscribers:edit", args=[reader.pk])
    ).status_code in (302, 403)
    # Deleting an address on the reader's request.
    editor_client.post(reverse("newsletters_subscribers:delete", args=[reader.pk]))
    assert not Subscriber.objects.filter(pk=reader.pk).exists()


def test_authors_and_anonymous_visitors_are_kept_out(site_tree: Any, articles: list[Any]) -> None:
    reader = _reader("reader@example.org", "ru")
    mailing = Mailing.objects.create(kind=MailingKind.SPECIAL, subject="Черновик", language="ru")
    mailing.items.create(page=articles[0])
    author = account_for(expert_with_blog("Ирина Соколова", "Ирины Соколовой").expert, "irina")
    urls = [
        reverse("newsletters_mailings:index"),
        reverse("newsletters_mailings:add"),
        reverse("newsletters_mailings:detail", args=[mailing.pk]),
        reverse("newsletters_mailings:edit", args=[mailing.pk]),
        reverse("newsletters_mailings:preview", args=[mailing.pk]),
        reverse("newsletters_mailings:message", args=[mailing.pk]),
        reverse("newsletters_subscribers:index"),
        reverse("newsletters_subscribers:index") + "?export=csv",
        reverse("newsletters_subscribers:inspect", args=[reader.pk]),
        reverse("newsletters_subscribers:delete", args=[reader.pk]),
    ]
    posts = [
        reverse("newsletters_mailings:test", args=[mailing.pk]),
        reverse("newsletters_mailings:schedule", args=[mailing.pk]),
        reverse("newsletters_mailings:unschedule", args=[mailing.pk]),
        reverse("newsletters_subscribers:delete", args=[reader.pk]),
    ]
    author_client, anonymous = Client(), Client()
    author_client.force_login(author)
    for client in (author_client, anonymous):
        for url in urls:
            response = client.get(url)
            assert response.status_code in (302, 403), url
            if response.status_code == 302:
                assert response["Location"] == "/admin/" or response["Location"].startswith(
                    "/admin/login/"
                ), url
            assert "reader@example.org" not in response.content.decode()
        for url in posts:
            assert client.post(url, {"now": "1"}).status_code in (302, 403), url
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.DRAFT
    assert Subscriber.objects.filter(pk=reader.pk).exists()

    dashboard = author_client.get("/admin/").content.decode()
    assert reverse("newsletters_mailings:index") not in dashboard
    assert reverse("newsletters_subscribers:index") not in dashboard
    assert get_user_model().objects.filter(pk=author.pk, is_superuser=False).exists()


def test_editors_see_the_newsletters_menu(editor_client: Client) -> None:
    dashboard = editor_client.get("/admin/").content.decode()
    assert reverse("newsletters_mailings:index") in dashboard
    assert reverse("newsletters_subscribers:index") in dashboard
