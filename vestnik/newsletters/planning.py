"""Deciding who gets what: the day's alerts, the week's digest, a special issue.

Planning writes a mailing and one `Delivery` row per recipient in one
transaction, before anything is sent; the worker then only works through the
rows (`delivery.py`).

- **Alerts** go out once a day at `conf.alert_hour()` (site time) with what
  was first published since the last alerts: each confirmed reader gets one
  message listing every item, in their language, that matches a topic,
  country, expert or section they follow, and nothing when none does. One
  mailing per day (a unique period), so at most one alert per reader per day.
- **The digest** goes out weekly (`conf.digest_weekday()`, `conf.digest_hour()`)
  to readers who chose it: the week's items in their language, those matching
  what they follow first.
- **A special issue** an editor composed goes, at its scheduled time, to the
  digest's readers in its language.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from vestnik.newsletters import conf
from vestnik.newsletters.delivery import mailing_finish_if_done
from vestnik.newsletters.items import ItemFacts, published_between
from vestnik.newsletters.models import (
    Delivery,
    Mailing,
    MailingKind,
    MailingStatus,
    Subscriber,
    SubscriberStatus,
    Subscription,
    SubscriptionKind,
)


@dataclass
class Follows:
    """What one confirmed reader follows."""

    language: str
    digest: bool = False
    topics: set[int] = field(default_factory=set)
    countries: set[int] = field(default_factory=set)
    experts: set[int] = field(default_factory=set)
    sections: set[str] = field(default_factory=set)

    @property
    def follows_anything(self) -> bool:
        return bool(self.topics or self.countries or self.experts or self.sections)

    def matches(self, item: ItemFacts) -> bool:
        return bool(
            item.topics & self.topics
            or item.countries & self.countries
            or item.authors & self.experts
            or item.section_key in self.sections
        )


def confirmed_follows() -> dict[int, Follows]:
    """Every active subscriber's confirmed subscriptions, by subscriber id, in one query."""
    follows: dict[int, Follows] = {}
    rows = Subscription.objects.filter(
        confirmed_at__isnull=False, subscriber__status=SubscriberStatus.ACTIVE
    ).values_list(
        "subscriber_id",
        "subscriber__language",
        "kind",
        "topic_id",
        "country_id",
        "expert_id",
        "section__translation_key",
    )
    for subscriber_id, language, kind, topic, country, expert, section_key in rows.iterator(
        chunk_size=5000
    ):
        reader = follows.setdefault(subscriber_id, Follows(language=language))
        if kind == SubscriptionKind.DIGEST:
            reader.digest = True
        elif kind == SubscriptionKind.TOPIC:
            reader.topics.add(topic)
        elif kind == SubscriptionKind.COUNTRY:
            reader.countries.add(country)
        elif kind == SubscriptionKind.EXPERT:
            reader.experts.add(expert)
        elif kind == SubscriptionKind.SECTION and section_key is not None:
            reader.sections.add(str(section_key))
    return follows


def alert_pages(follows: Follows, items: Sequence[ItemFacts]) -> list[int]:
    return [
        item.page_id
        for item in items
        if item.language == follows.language and follows.matches(item)
    ]


def digest_pages(follows: Follows, items: Sequence[ItemFacts]) -> list[int]:
    own = [item for item in items if item.language == follows.language]
    matching = [item.page_id for item in own if follows.matches(item)]
    return matching + [item.page_id for item in own if item.page_id not in set(matching)]


# Who gets a mailing of a period, and which pages each: (subscriber id, page ids).
Recipients = Callable[[dict[int, Follows], Sequence[ItemFacts]], Iterable[tuple[int, list[int]]]]


def _local_at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def alerts_due_end(now: datetime.datetime) -> datetime.datetime | None:
    """The end of the alerts period due at `now`: today at the alert hour, once it has come."""
    end = _local_at(timezone.localtime(now).date(), conf.alert_hour())
    return end if now >= end else None


def digest_due_end(now: datetime.datetime) -> datetime.datetime | None:
    """The latest digest time at or before `now` (this week's, or last week's)."""
    local = timezone.localtime(now).date()
    day = local - datetime.timedelta(days=(local.weekday() - conf.digest_weekday()) % 7)
    end = _local_at(day, conf.digest_hour())
    if end > now:
        end = _local_at(day - datetime.timedelta(days=7), conf.digest_hour())
    return end


def _plan(
    kind: str,
    end: datetime.datetime,
    default_length: datetime.timedelta,
    recipients: Recipients,
    now: datetime.datetime,
) -> Mailing | None:
    if Mailing.objects.filter(kind=kind, period_end=end).exists():
        return None
    previous = Mailing.objects.filter(kind=kind, period_end__lt=end).order_by("-period_end").first()
    start = previous.period_end if previous and previous.period_end else end - default_length
    items = published_between(start, end)
    try:
        with transaction.atomic():
            mailing = Mailing.objects.create(
                kind=kind,
                period_start=start,
                period_end=end,
                status=MailingStatus.SENDING,
                queued_at=now,
            )
            Delivery.objects.bulk_create(
                (
                    Delivery(mailing=mailing, subscriber_id=subscriber_id, page_ids=pages)
                    for subscriber_id, pages in recipients(confirmed_follows(), items)
                ),
                batch_size=1000,
            )
    except IntegrityError:
        # Another run planned this period in the meantime.
        return None
    mailing_finish_if_done(mailing, now=now)
    return mailing


def _alert_recipients(
    follows: dict[int, Follows], items: Sequence[ItemFacts]
) -> Iterable[tuple[int, list[int]]]:
    for subscriber_id, reader in follows.items():
        pages = alert_pages(reader, items) if reader.follows_anything else []
        if pages:
            yield subscriber_id, pages


def _digest_recipients(
    follows: dict[int, Follows], items: Sequence[ItemFacts]
) -> Iterable[tuple[int, list[int]]]:
    for subscriber_id, reader in follows.items():
        pages = digest_pages(reader, items) if reader.digest else []
        if pages:
            yield subscriber_id, pages


def alerts_plan(*, now: datetime.datetime | None = None) -> Mailing | None:
    """Plan the day's alerts if their hour has come and they are not planned yet."""
    now = now or timezone.now()
    end = alerts_due_end(now)
    if end is None:
        return None
    return _plan(MailingKind.ALERT, end, datetime.timedelta(days=1), _alert_recipients, now)


def digest_plan(*, now: datetime.datetime | None = None) -> Mailing | None:
    """Plan the week's digest if its time has come and it is not planned yet."""
    now = now or timezone.now()
    end = digest_due_end(now)
    if end is None:
        return None
    return _plan(MailingKind.DIGEST, end, datetime.timedelta(days=7), _digest_recipients, now)


def special_queue(mailing: Mailing, *, now: datetime.datetime | None = None) -> int:
    """Write a special issue's ledger: one row per digest reader in its language."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if locked.status not in (MailingStatus.DRAFT, MailingStatus.SCHEDULED):
            return 0
        readers = (
            Subscriber.objects.filter(
                status=SubscriberStatus.ACTIVE,
                language=locked.language,
                subscriptions__kind=SubscriptionKind.DIGEST,
                subscriptions__confirmed_at__isnull=False,
            )
            .values_list("pk", flat=True)
            .distinct()
        )
        rows = Delivery.objects.bulk_create(
            (Delivery(mailing=locked, subscriber_id=pk) for pk in readers.iterator()),
            batch_size=1000,
            ignore_conflicts=True,
        )
        locked.status = MailingStatus.SENDING
        locked.queued_at = now
        locked.save(update_fields=["status", "queued_at"])
    mailing_finish_if_done(locked, now=now)
    return len(rows)


def specials_due(*, now: datetime.datetime | None = None) -> list[Mailing]:
    """Queue the scheduled special issues whose time has come."""
    now = now or timezone.now()
    due = list(
        Mailing.objects.filter(
            kind=MailingKind.SPECIAL, status=MailingStatus.SCHEDULED, scheduled_at__lte=now
        )
    )
    for mailing in due:
        special_queue(mailing, now=now)
    return due


def mailings_to_deliver(*, now: datetime.datetime | None = None) -> list[int]:
    """Sending mailings with a queued row due and no live lease: a worker should take them."""
    now = now or timezone.now()
    return list(
        Mailing.objects.filter(status=MailingStatus.SENDING)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .filter(
            Q(deliveries__status="queued")
            & (Q(deliveries__not_before__isnull=True) | Q(deliveries__not_before__lte=now))
        )
        .values_list("pk", flat=True)
        .distinct()
    )
