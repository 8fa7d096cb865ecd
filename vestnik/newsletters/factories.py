"""Test and benchmark builders for subscribers (no factory library needed)."""

from __future__ import annotations

from django.utils import timezone

from vestnik.newsletters.models import Subscriber, SubscriberStatus, Subscription


def subscriber_following(
    email: str, *targets: str, language: str = "ru", confirmed: bool = True
) -> Subscriber:
    """A reader following `targets` ("digest", "country:7", "expert:3"…), confirmed or not."""
    now = timezone.now()
    subscriber = Subscriber.objects.create(
        email=email,
        language=language,
        status=SubscriberStatus.ACTIVE if confirmed else SubscriberStatus.PENDING,
        confirmed_at=now if confirmed else None,
    )
    for key in targets:
        kind, _sep, raw_id = key.partition(":")
        Subscription.objects.create(
            subscriber=subscriber,
            kind=kind,
            target_key=key,
            confirmed_at=now if confirmed else None,
            **({f"{kind}_id": int(raw_id)} if raw_id else {}),
        )
    return subscriber


def digest_readers(count: int, *, language: str = "ru") -> list[Subscriber]:
    """`count` confirmed digest readers reader0@example.org…, in two queries."""
    now = timezone.now()
    readers = Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"reader{number}@example.org",
                language=language,
                status=SubscriberStatus.ACTIVE,
                confirmed_at=now,
            )
            for number in range(count)
        ),
        batch_size=2000,
    )
    Subscription.objects.bulk_create(
        (
            Subscription(subscriber=reader, kind="digest", target_key="digest", confirmed_at=now)
            for reader in readers
        ),
        batch_size=2000,
    )
    return readers
