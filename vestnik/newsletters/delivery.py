"""Delivering a mailing: the ledger's queued rows, in order, at a steady rate, each at most once.

A mailing's recipients are `Delivery` rows written before anything is sent
(`planning.py`). A delivery worker (`tasks.mailing_deliver_task`) takes the
mailing's lease, so one worker at a time sends it, then works through the
queued rows:

- each row is marked handed over (an UPDATE that commits at once, conditional
  on the row still being queued) just before the message's last SMTP line
  (`smtp.py`); after the server's 250 it is marked sent;
- a 5xx answer marks the row failed and counts a failure against the address;
  after `conf.max_failures` the address gets nothing more;
- a 4xx answer puts the row back in the queue after a backoff that doubles,
  up to `conf.max_attempts` tries;
- a lost connection leaves a row queued if it was not yet handed over, and
  handed over (never resent) if it was.

A worker killed at any point leaves its lease to expire (`conf.lease`); the
next `send_newsletters` run queues a new task, which takes the lease over and
goes on from the first queued row. Nothing already handed over is sent again.
"""

from __future__ import annotations

import datetime
import smtplib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from vestnik.core.site_identity import site_root_url
from vestnik.newsletters import conf
from vestnik.newsletters.emails import link_url
from vestnik.newsletters.items import items_for_pages
from vestnik.newsletters.models import (
    Delivery,
    DeliveryStatus,
    Mailing,
    MailingKind,
    MailingStatus,
    Subscriber,
    SubscriberStatus,
)
from vestnik.newsletters.rendering import RenderedMessage, issue_render, links_fill
from vestnik.newsletters.smtp import (
    HandOverLost,
    PermanentRefusal,
    Sender,
    TemporaryRefusal,
    sender_open,
)

Clock = Callable[[], datetime.datetime]


@dataclass
class DeliveryReport:
    """What one run of the worker on one mailing did."""

    leased: bool = True
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    skipped: int = 0
    remaining: int = 0
    finished: bool = False
    errors: list[str] = field(default_factory=list)


# --- the lease ----------------------------------------------------------------------


def lease_take(mailing_id: int, owner: str, *, now: datetime.datetime) -> bool:
    """Hold the mailing for `owner` until `now + conf.lease()`, unless another holds it."""
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner=owner)
    return (
        Mailing.objects.filter(free, pk=mailing_id, status=MailingStatus.SENDING).update(
            lease_owner=owner, lease_until=now + conf.lease()
        )
        == 1
    )


def lease_release(mailing_id: int, owner: str) -> None:
    Mailing.objects.filter(pk=mailing_id, lease_owner=owner).update(
        lease_owner="", lease_until=None
    )


# --- one message ----------------------------------------------------------------------


class _Bodies:
    """Each distinct body of a mailing rendered once (per language and list of pages)."""

    def __init__(self, mailing: Mailing) -> None:
        self.mailing = mailing
        self.rendered: dict[tuple[str, tuple[int, ...]], RenderedMessage | None] = {}
        self.special_pages = list(mailing.items.values_list("page_id", flat=True))
        self.root = site_root_url(None)

    def body(self, language: str, page_ids: tuple[int, ...]) -> RenderedMessage | None:
        key = (language, page_ids)
        if key not in self.rendered:
            mailing = self.mailing
            pages = self.special_pages if mailing.kind == MailingKind.SPECIAL else list(page_ids)
            items = items_for_pages(pages, language)
            if not items and mailing.kind != MailingKind.SPECIAL:
                # Every page it would carry was unpublished since: nothing to send.
                self.rendered[key] = None
            else:
                self.rendered[key] = issue_render(
                    kind=mailing.kind,
                    language=language,
                    items=items,
                    subject=mailing.subject,
                    intro_html=mailing.intro,
                    period=(mailing.period_start, mailing.period_end)
                    if mailing.period_start and mailing.period_end
                    else None,
                )
            if len(self.rendered) > 2000:  # a digest of many distinct choices
                self.rendered.pop(next(iter(self.rendered)))
        return self.rendered[key]


def message_for(
    delivery: Delivery, subscriber: Subscriber, body: RenderedMessage, *, root: str | None = None
) -> EmailMultiAlternatives:
    """The e-mail to one reader, with their own links and the RFC 8058 headers."""
    root = site_root_url(None) if root is None else root
    unsubscribe_url = link_url(subscriber, "unsubscribe", root=root)
    filled = links_fill(
        body,
        preferences_url=link_url(subscriber, "preferences", root=root),
        unsubscribe_url=unsubscribe_url,
    )
    host = root.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    message = EmailMultiAlternatives(
        subject=filled.subject,
        body=filled.text,
        from_email=conf.sender(),
        to=[subscriber.email],
        headers={
            # One-click unsubscribe (RFC 8058): the mail client POSTs
            # "List-Unsubscribe=One-Click" to this URL, no page in between.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"<newsletters.{host}>",
            "Precedence": "bulk",
            "Auto-Submitted": "auto-generated",
            # Stable: a copy the server saw twice is recognisably the same message.
            "Message-ID": f"<mailing-{delivery.mailing_id}.delivery-{delivery.pk}@{host}>",
        },
    )
    message.attach_alternative(filled.html, "text/html")
    return message


# --- the ledger's transitions ---------------------------------------------------------


def _hand_over(delivery: Delivery, now: Clock) -> bool:
    # Its own autocommitted UPDATE: it must be on disk before the dot leaves.
    return (
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.HANDED, handed_at=now(), attempts=F("attempts") + 1
        )
        == 1
    )


def _sent(delivery: Delivery) -> None:
    """Handed over → sent, without waiting for the disk.

    Losing this write (PostgreSQL itself crashing within its WAL writer's delay)
    leaves the row handed over, which is never sent again either: the one
    write per message that must be durable is the hand-over.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.HANDED).update(
            status=DeliveryStatus.SENT
        )


def _failed(delivery: Delivery, subscriber: Subscriber, error: str) -> None:
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, error=error[:300]
        )
        Subscriber.objects.filter(pk=subscriber.pk).update(
            failure_count=F("failure_count") + 1, last_failure=error[:300]
        )
        Subscriber.objects.filter(pk=subscriber.pk, failure_count__gte=conf.max_failures()).update(
            status=SubscriberStatus.FAILED
        )


def _deferred(delivery: Delivery, error: str, now: datetime.datetime) -> bool:
    """Back in the queue after a backoff; False when the tries are used up (failed)."""
    attempts = Delivery.objects.filter(pk=delivery.pk).values_list("attempts", flat=True).first()
    attempts = max(attempts or 0, 1)
    if attempts >= conf.max_attempts():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, error=error[:300]
        )
        return False
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.QUEUED,
        attempts=attempts,
        not_before=now + conf.retry_backoff() * 2 ** (attempts - 1),
        error=error[:300],
    )
    return True


class _Pacer:
    """At most `rate` messages a second, evenly spaced."""

    def __init__(self, rate: float) -> None:
        self.interval = 1 / rate if rate > 0 else 0.0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(self.next_at, now) + self.interval


# --- the worker's loop ----------------------------------------------------------------


def _queued(mailing: Mailing, now: datetime.datetime) -> Q:
    return Q(mailing=mailing, status=DeliveryStatus.QUEUED) & (
        Q(not_before__isnull=True) | Q(not_before__lte=now)
    )


def mailing_finish_if_done(mailing: Mailing, *, now: datetime.datetime) -> bool:
    if Delivery.objects.filter(mailing=mailing, status=DeliveryStatus.QUEUED).exists():
        return False
    Mailing.objects.filter(pk=mailing.pk, status=MailingStatus.SENDING).update(
        status=MailingStatus.SENT, finished_at=now
    )
    return True


def mailing_deliver(
    mailing_id: int,
    *,
    budget: int | None = None,
    owner: str | None = None,
    clock: Clock = timezone.now,
) -> DeliveryReport:
    """Send up to `budget` of the mailing's queued messages (all by default)."""
    owner = owner or uuid.uuid4().hex
    report = DeliveryReport()
    if not lease_take(mailing_id, owner, now=clock()):
        report.leased = False
        return report
    mailing = Mailing.objects.get(pk=mailing_id)
    bodies = _Bodies(mailing)
    pacer = _Pacer(conf.send_rate())
    sender: Sender = sender_open()
    lease_renewed = time.monotonic()
    handled = 0
    try:
        while budget is None or handled < budget:
            rows = list(
                Delivery.objects.filter(_queued(mailing, clock()))
                .select_related("subscriber")
                .order_by("pk")[: min(200, budget - handled if budget else 200)]
            )
            if not rows:
                break
            for delivery in rows:
                if time.monotonic() - lease_renewed > conf.lease().total_seconds() / 3:
                    if not lease_take(mailing_id, owner, now=clock()):
                        report.errors.append("lease lost")
                        return report
                    lease_renewed = time.monotonic()
                handled += 1
                _deliver_one(mailing, delivery, bodies, sender, pacer, report, clock)
    finally:
        sender.close()
        report.finished = mailing_finish_if_done(mailing, now=clock())
        report.remaining = Delivery.objects.filter(
            mailing=mailing, status=DeliveryStatus.QUEUED
        ).count()
        lease_release(mailing_id, owner)
    return report


def _deliver_one(
    mailing: Mailing,
    delivery: Delivery,
    bodies: _Bodies,
    sender: Sender,
    pacer: _Pacer,
    report: DeliveryReport,
    clock: Clock,
) -> None:
    subscriber = delivery.subscriber
    if subscriber is None or subscriber.status != SubscriberStatus.ACTIVE:
        # Unsubscribed or stopped after failures since the mailing was planned.
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.SKIPPED
        )
        report.skipped += 1
        return
    language = mailing.language or subscriber.language
    body = bodies.body(language, tuple(delivery.page_ids))
    if body is None:
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.SKIPPED
        )
        report.skipped += 1
        return
    message = message_for(delivery, subscriber, body, root=bodies.root)
    pacer.wait()
    try:
        sender.send(message, lambda: _hand_over(delivery, clock))
    except HandOverLost:
        return
    except PermanentRefusal as refusal:
        _failed(delivery, subscriber, str(refusal))
        report.failed += 1
        return
    except TemporaryRefusal as refusal:
        if _deferred(delivery, str(refusal), clock()):
            report.deferred += 1
        else:
            report.failed += 1
        return
    except (smtplib.SMTPException, OSError) as error:
        # The connection went: a row not yet handed over stays queued for the
        # next try; one handed over is never sent again.
        report.errors.append(f"{type(error).__name__}: {error}")
        raise
    _sent(delivery)
    report.sent += 1
