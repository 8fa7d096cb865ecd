"""Writes about subscriptions: ask, confirm, change, stop, and forgetting the unconfirmed.

Double opt-in: a request (from the footer or a topic's page) stores the
address and what it asked for, unconfirmed, and sends only a confirmation
e-mail; nothing else reaches the address until its owner opens the link. A
request for an address already subscribed adds nothing until confirmed either,
so a stranger typing someone's address can cause one confirmation e-mail and
no content. Confirmation e-mails are limited per address
(`conf.confirmations_per_day`, `conf.confirmation_interval`) whoever asks.

The preferences page is opened through the signed link in every message: its
owner changes what they follow at once (the link is the consent). Stopping
everything deletes the address and what it followed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vestnik.core.mail import email_send
from vestnik.newsletters import conf
from vestnik.newsletters.emails import confirmation_email_send, preferences_email_send
from vestnik.newsletters.models import (
    Mailing,
    MailingItem,
    MailingKind,
    MailingStatus,
    Subscriber,
    SubscriberStatus,
    Subscription,
    SubscriptionKind,
)
from vestnik.newsletters.previews import editor_copy


class SubscribeRefused(Exception):
    """Why a request was not taken, in words for the reader."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Target:
    """One thing to follow: the digest, or a topic, country, expert or section by id."""

    kind: str
    object_id: int | None = None

    @property
    def key(self) -> str:
        return (
            self.kind if self.kind == SubscriptionKind.DIGEST else f"{self.kind}:{self.object_id}"
        )

    @classmethod
    def parse(cls, key: str) -> Target | None:
        """ "digest" or "country:7" from a form; None for anything else."""
        if key == SubscriptionKind.DIGEST:
            return cls(SubscriptionKind.DIGEST)
        kind, _sep, raw_id = key.partition(":")
        if kind not in SubscriptionKind.values or kind == SubscriptionKind.DIGEST:
            return None
        if not raw_id.isdigit() or len(raw_id) > 12:
            return None
        return cls(kind, int(raw_id))

    @classmethod
    def of(cls, subscription: Subscription) -> Target:
        target = subscription.target
        return cls(subscription.kind, target.pk if target is not None else None)


def email_normalize(email: str) -> str:
    # Mailbox names are case-sensitive in theory and never in practice: one row per person.
    return email.strip().lower()


def _target_fields(target: Target) -> dict[str, int | None]:
    fields: dict[str, int | None] = {
        "topic_id": None,
        "country_id": None,
        "expert_id": None,
        "section_id": None,
    }
    if target.kind != SubscriptionKind.DIGEST:
        fields[f"{target.kind}_id"] = target.object_id
    return fields


def _rate_check(subscriber: Subscriber, now: datetime.datetime) -> None:
    if (
        subscriber.last_confirmation_at is not None
        and now - subscriber.last_confirmation_at < conf.confirmation_interval()
    ):
        raise SubscribeRefused(
            "too_soon",
            str(
                _(
                    "We have just sent a confirmation to this address. Please check the inbox "
                    "(and the spam folder) before asking again."
                )
            ),
            429,
        )
    since = subscriber.confirmations_since
    if since is None or now - since >= datetime.timedelta(days=1):
        subscriber.confirmations_since = now
        subscriber.confirmations_sent = 0
    if subscriber.confirmations_sent >= conf.confirmations_per_day():
        raise SubscribeRefused(
            "too_many",
            str(
                _(
                    "Too many confirmation e-mails were asked for this address today. "
                    "Please try again tomorrow."
                )
            ),
            429,
        )


def subscription_request(
    *,
    email: str,
    language: str,
    targets: Sequence[Target],
    source_url: str = "",
    now: datetime.datetime | None = None,
) -> Subscriber:
    """Store what `email` asks to follow, unconfirmed, and send it the confirmation."""
    if not targets:
        raise SubscribeRefused("empty", str(_("Choose at least one thing to receive.")))
    now = now or timezone.now()
    email = email_normalize(email)
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.get_or_create(
            email=email, defaults={"language": language}
        )
        # Concurrent requests for one address queue here: the limit counts each.
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        _rate_check(subscriber, now)
        if subscriber.status != SubscriberStatus.ACTIVE:
            # An address nobody has confirmed takes the language of the latest request.
            subscriber.language = language
        for target in targets:
            subscription, created = Subscription.objects.get_or_create(
                subscriber=subscriber,
                target_key=target.key,
                defaults={
                    "kind": target.kind,
                    "source_url": source_url[:500],
                    **_target_fields(target),
                },
            )
            if not created and subscription.confirmed_at is None:
                subscription.source_url = source_url[:500]
                subscription.requested_at = now
                subscription.save(update_fields=["source_url", "requested_at"])
        subscriber.confirmations_sent += 1
        subscriber.last_confirmation_at = now
        subscriber.save()
        pending = list(subscriber.subscriptions.filter(confirmed_at__isnull=True))
        confirmation_email_send(subscriber, pending)
    return subscriber


def subscription_confirm(
    subscriber: Subscriber, *, now: datetime.datetime | None = None
) -> list[Subscription]:
    """Confirm the address and everything it asked for; the subscriptions confirmed now."""
    now = now or timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        pending = list(subscriber.subscriptions.filter(confirmed_at__isnull=True))
        subscriber.subscriptions.filter(confirmed_at__isnull=True).update(confirmed_at=now)
        if subscriber.status != SubscriberStatus.ACTIVE:
            # A confirmed owner of a once-failing address says it works again.
            subscriber.status = SubscriberStatus.ACTIVE
            subscriber.failure_count = 0
            subscriber.last_failure = ""
        subscriber.confirmed_at = subscriber.confirmed_at or now
        subscriber.save()
    return pending


def preferences_save(
    subscriber: Subscriber,
    *,
    language: str,
    targets: Iterable[Target],
    source_url: str = "",
    now: datetime.datetime | None = None,
) -> Subscriber | None:
    """Make `targets` exactly what the subscriber follows; None when that is nothing.

    Opened through the owner's signed link, so the choice holds at once. An
    empty choice stops everything, as the unsubscribe link does.
    """
    now = now or timezone.now()
    wanted = {target.key: target for target in targets}
    if not wanted:
        unsubscribe(subscriber)
        return None
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        subscriber.subscriptions.exclude(target_key__in=list(wanted)).delete()
        have = set(subscriber.subscriptions.values_list("target_key", flat=True))
        Subscription.objects.bulk_create(
            Subscription(
                subscriber=subscriber,
                kind=target.kind,
                target_key=key,
                source_url=source_url[:500],
                confirmed_at=now,
                **_target_fields(target),
            )
            for key, target in wanted.items()
            if key not in have
        )
        # What the page showed was the owner's to keep: a pending request confirmed with it.
        subscriber.subscriptions.filter(confirmed_at__isnull=True).update(confirmed_at=now)
        subscriber.language = language
        if subscriber.status == SubscriberStatus.PENDING:
            subscriber.status = SubscriberStatus.ACTIVE
            subscriber.confirmed_at = now
        subscriber.save()
    return subscriber


def unsubscribe(subscriber: Subscriber) -> None:
    """Stop everything: the address and what it followed are deleted.

    Sent messages keep their ledger rows, without the address, for the
    mailing's counts; a queued one is skipped.
    """
    Subscriber.objects.filter(pk=subscriber.pk).delete()


def unconfirmed_purge(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Delete addresses and requests left unconfirmed past `conf.confirm_max_age`.

    Returns (addresses, requests of confirmed addresses) deleted. The
    confirmation link dies at the same age, so nothing left could confirm them.
    """
    now = now or timezone.now()
    cutoff = now - conf.confirm_max_age()
    _total, deleted = (
        Subscriber.objects.filter(status=SubscriberStatus.PENDING, created_at__lt=cutoff)
        .exclude(last_confirmation_at__gte=cutoff)
        .delete()
    )
    _total, requests = Subscription.objects.filter(
        confirmed_at__isnull=True,
        requested_at__lt=cutoff,
        subscriber__status=SubscriberStatus.ACTIVE,
    ).delete()
    return deleted.get("newsletters.Subscriber", 0), requests.get("newsletters.Subscription", 0)


def preferences_link_send(email: str, *, now: datetime.datetime | None = None) -> None:
    """E-mail a fresh preferences link to `email` if it is subscribed; nothing otherwise.

    The same per-address limit as confirmations: a stranger cannot flood an inbox.
    """
    now = now or timezone.now()
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update().filter(email=email_normalize(email)).first()
        )
        if subscriber is None:
            return
        _rate_check(subscriber, now)
        subscriber.confirmations_sent += 1
        subscriber.last_confirmation_at = now
        subscriber.save()
        if subscriber.status == SubscriberStatus.PENDING:
            confirmation_email_send(subscriber, list(subscriber.subscriptions.all()))
        else:
            preferences_email_send(subscriber)


# --- special issues, composed by editors (the admin, `admin_views.py`) ------------------

EDITABLE = (MailingStatus.DRAFT, MailingStatus.SCHEDULED)


class MailingLocked(Exception):
    """The mailing was queued (or sent): nothing in it can change any more."""


class MailingIncomplete(Exception):
    """What is missing before a special issue can be scheduled, in words for the editor."""


def _editable(mailing: Mailing) -> Mailing:
    locked = Mailing.objects.select_for_update().get(pk=mailing.pk)
    if locked.kind != MailingKind.SPECIAL or locked.status not in EDITABLE:
        raise MailingLocked(str(_("This mailing has been queued; it cannot be changed.")))
    return locked


@transaction.atomic
def special_save(
    *,
    mailing: Mailing | None,
    subject: str,
    language: str,
    intro: str,
    page_ids: Sequence[int],
    user: Any,
) -> Mailing:
    """Create or change a special issue (a draft or a scheduled one) and its items, in order."""
    if mailing is None:
        mailing = Mailing.objects.create(
            kind=MailingKind.SPECIAL,
            status=MailingStatus.DRAFT,
            created_by=user if getattr(user, "pk", None) else None,
        )
    mailing = _editable(mailing)
    mailing.subject = subject
    mailing.language = language
    mailing.intro = intro
    mailing.save(update_fields=["subject", "language", "intro"])
    mailing.items.all().delete()
    MailingItem.objects.bulk_create(
        MailingItem(mailing=mailing, page_id=page_id, sort_order=order)
        for order, page_id in enumerate(dict.fromkeys(page_ids))
    )
    return mailing


@transaction.atomic
def special_schedule(*, mailing: Mailing, at: datetime.datetime) -> Mailing:
    """Send the issue at `at` (now or earlier: on the next `send_newsletters` run)."""
    mailing = _editable(mailing)
    if not mailing.language:
        raise MailingIncomplete(str(_("Choose the issue's language first.")))
    if not mailing.items.exists():
        raise MailingIncomplete(str(_("Add at least one item to the issue first.")))
    mailing.scheduled_at = at
    mailing.status = MailingStatus.SCHEDULED
    mailing.save(update_fields=["scheduled_at", "status"])
    return mailing


def special_unschedule(*, mailing: Mailing) -> bool:
    """Back to a draft, if it has not been queued yet (one conditional UPDATE:
    `planning.special_queue` holds the row while it queues)."""
    return (
        Mailing.objects.filter(
            pk=mailing.pk, kind=MailingKind.SPECIAL, status=MailingStatus.SCHEDULED
        ).update(status=MailingStatus.DRAFT, scheduled_at=None)
        == 1
    )


def special_test_send(*, mailing: Mailing, email: str) -> None:
    """E-mail the issue, as composed now, to one editor's address (after the commit)."""
    message = editor_copy(mailing)
    email_send(to=[email], subject=message.subject, text=message.text, html=message.html)
