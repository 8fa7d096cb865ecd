"""Delivery against a real SMTP server: refusals, retries, stopped addresses, the lease,
and who the planned mailings reach."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from django.utils import timezone

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.newsletters.delivery import lease_take, mailing_deliver
from vestnik.newsletters.factories import subscriber_following
from vestnik.newsletters.models import (
    Delivery,
    DeliveryStatus,
    Mailing,
    MailingKind,
    MailingStatus,
    Subscriber,
    SubscriberStatus,
)
from vestnik.newsletters.planning import alerts_plan, digest_plan, special_queue
from vestnik.newsletters.services import unconfirmed_purge
from vestnik.vocabulary.models import Topic

pytestmark = pytest.mark.django_db


def _special() -> Mailing:
    mailing = Mailing.objects.create(
        kind=MailingKind.SPECIAL, language="ru", subject="Спецвыпуск", intro="<p>Текст.</p>"
    )
    special_queue(mailing)
    return mailing


def _next_monday_at_eleven() -> datetime.datetime:
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=(7 - today.weekday()) % 7 or 7)
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time(11)))


def test_a_special_issue_reaches_confirmed_digest_readers_in_its_language_only(
    site_tree: Any, smtp_server: Any
) -> None:
    subscriber_following("one@example.org", "digest")
    subscriber_following("two@example.org", "digest")
    subscriber_following("english@example.org", "digest", language="en")
    subscriber_following("pending@example.org", "digest", confirmed=False)
    topic = Topic.objects.create(name_ru="Энергетика", slug="energy")
    subscriber_following("alerts-only@example.org", f"topic:{topic.pk}")

    mailing = _special()
    report = mailing_deliver(mailing.pk)

    assert report.sent == 2
    assert sorted(to for _sender, rcpts in smtp_server.envelopes for to in rcpts) == [
        "one@example.org",
        "two@example.org",
    ]
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENT
    # Sent again (a second worker, a retried task): nothing more goes out.
    assert mailing_deliver(mailing.pk).sent == 0
    assert len(smtp_server.messages) == 2


def test_the_weekly_digest_reaches_confirmed_readers_only_with_the_weeks_items(
    site_tree: Any, smtp_server: Any
) -> None:
    subscriber_following("digest@example.org", "digest")
    subscriber_following("unconfirmed@example.org", "digest", confirmed=False)
    blog = expert_with_blog()
    article_in_blog(blog, title="Неделя в Евразии")

    mailing = digest_plan(now=_next_monday_at_eleven())
    assert mailing is not None
    assert mailing_deliver(mailing.pk).sent == 1
    (message,) = smtp_server.messages
    assert message["To"] == "digest@example.org"
    assert "Евразии" in message.get_body(preferencelist=("plain",)).get_content()
    # Planned twice for the same week: one mailing.
    assert digest_plan(now=_next_monday_at_eleven() + datetime.timedelta(hours=2)) is None


def test_a_permanent_refusal_fails_the_message_and_stops_the_address_after_the_limit(
    site_tree: Any, smtp_server: Any, settings: Any
) -> None:
    settings.VESTNIK_NEWSLETTERS_MAX_FAILURES = 2
    reader = subscriber_following("gone@example.org", "digest")
    smtp_server.refuse_recipients_with = "550 5.1.1 No such user"
    smtp_server.recipient_refusals = 10

    for expected_status in (SubscriberStatus.ACTIVE, SubscriberStatus.FAILED):
        mailing = _special()
        report = mailing_deliver(mailing.pk)
        assert report.failed == 1
        reader.refresh_from_db()
        assert reader.status == expected_status
    assert "550" in reader.last_failure

    # A stopped address is not among the next issue's recipients.
    smtp_server.recipient_refusals = 0
    assert _special().deliveries.count() == 0
    assert smtp_server.messages == []


def test_a_temporary_refusal_is_retried_later_and_then_delivered_once(
    site_tree: Any, smtp_server: Any
) -> None:
    subscriber_following("greylisted@example.org", "digest")
    smtp_server.refuse_with = "451 4.7.1 Greylisted, try again later"
    smtp_server.refusals = 1
    mailing = _special()

    report = mailing_deliver(mailing.pk)
    assert report.deferred == 1
    delivery = Delivery.objects.get(mailing=mailing)
    assert delivery.status == DeliveryStatus.QUEUED
    assert delivery.not_before is not None and delivery.not_before > timezone.now()
    assert "451" in delivery.error
    # Not before its time…
    assert mailing_deliver(mailing.pk).sent == 0
    # …and once it has come, delivered once.
    later = delivery.not_before + datetime.timedelta(seconds=1)
    assert mailing_deliver(mailing.pk, clock=lambda: later).sent == 1
    assert len(smtp_server.messages) == 1
    assert Delivery.objects.get(mailing=mailing).status == DeliveryStatus.SENT


def test_an_address_unsubscribed_after_planning_is_skipped(
    site_tree: Any, smtp_server: Any
) -> None:
    reader = subscriber_following("leaving@example.org", "digest")
    subscriber_following("staying@example.org", "digest")
    mailing = _special()
    reader.delete()
    report = mailing_deliver(mailing.pk)
    assert (report.sent, report.skipped) == (1, 1)
    assert [m["To"] for m in smtp_server.messages] == ["staying@example.org"]


def test_a_mailing_held_by_a_live_worker_is_not_sent_by_another(
    site_tree: Any, smtp_server: Any
) -> None:
    subscriber_following("one@example.org", "digest")
    mailing = _special()
    assert lease_take(mailing.pk, "worker-a", now=timezone.now())
    assert not mailing_deliver(mailing.pk, owner="worker-b").leased
    assert smtp_server.messages == []
    # Once the lease has run out, another worker takes over.
    after = timezone.now() + datetime.timedelta(hours=1)
    assert mailing_deliver(mailing.pk, owner="worker-b", clock=lambda: after).sent == 1


def test_alerts_follow_experts_and_sections_and_respect_the_readers_language(
    site_tree: Any, smtp_server: Any
) -> None:
    blog = expert_with_blog()
    subscriber_following("expert-fan@example.org", f"expert:{blog.expert_id}")
    subscriber_following("english-fan@example.org", f"expert:{blog.expert_id}", language="en")
    article_in_blog(blog, title="Новая статья эксперта")

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    mailing = alerts_plan(
        now=timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(10)))
    )
    assert mailing is not None
    assert mailing_deliver(mailing.pk).sent == 1  # no English version: nothing in English
    assert smtp_server.messages[0]["To"] == "expert-fan@example.org"


def test_unconfirmed_addresses_are_forgotten_after_their_time(
    site_tree: Any, settings: Any
) -> None:
    settings.VESTNIK_NEWSLETTERS_UNCONFIRMED_DAYS = 7
    subscriber_following("pending@example.org", "digest", confirmed=False)
    subscriber_following("active@example.org", "digest")
    assert unconfirmed_purge() == (0, 0)
    assert unconfirmed_purge(now=timezone.now() + datetime.timedelta(days=8)) == (1, 0)
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["active@example.org"]
