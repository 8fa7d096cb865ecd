"""What a form offers to follow, as (key, label) choices: "digest", "country:7"…"""

from __future__ import annotations

from collections.abc import Iterable

from vestnik.authors.models import Expert
from vestnik.newsletters.forms import target_exists
from vestnik.newsletters.models import Subscriber, Subscription, SubscriptionKind
from vestnik.newsletters.selectors import followable_sections, subscription_label
from vestnik.newsletters.services import Target
from vestnik.vocabulary.models import Country, Topic


def _subscription_of(target: Target) -> Subscription:
    """An unsaved subscription, to be named as a saved one is."""
    subscription = Subscription(kind=target.kind)
    if target.kind == SubscriptionKind.TOPIC:
        subscription.topic = Topic.objects.get(pk=target.object_id or 0)
    elif target.kind == SubscriptionKind.COUNTRY:
        subscription.country = Country.objects.get(pk=target.object_id or 0)
    elif target.kind == SubscriptionKind.EXPERT:
        subscription.expert = Expert.objects.get(pk=target.object_id or 0)
    elif target.kind == SubscriptionKind.SECTION:
        from wagtail.models import Page

        subscription.section = Page.objects.get(pk=target.object_id or 0)
    return subscription


def target_label(target: Target, language: str) -> str:
    return subscription_label(_subscription_of(target), language)


def subscribe_offered(language: str, follow: Iterable[str]) -> list[tuple[str, str]]:
    """The digest, and the alerts a page offers (its country, topic, expert or section)."""
    offered = [(SubscriptionKind.DIGEST.value, target_label(Target("digest"), language))]
    for key in follow:
        target = Target.parse(key)
        if target is None or target.kind == SubscriptionKind.DIGEST:
            continue
        if target_exists(target, language):
            offered.append((target.key, target_label(target, language)))
    return offered


def preferences_offered(subscriber: Subscriber) -> list[tuple[str, str]]:
    """Everything the preferences page lets a reader follow, what they follow included."""
    language = subscriber.language
    targets: list[Target] = [Target(SubscriptionKind.DIGEST)]
    targets += [Target(SubscriptionKind.SECTION, page.pk) for page in followable_sections(language)]
    targets += [
        Target(SubscriptionKind.TOPIC, pk) for pk in Topic.objects.values_list("pk", flat=True)
    ]
    followed = {
        Target.of(subscription)
        for subscription in subscriber.subscriptions.select_related(
            "topic", "country", "expert", "section"
        )
    }
    countries = set(
        Country.objects.filter(articles__isnull=False).values_list("pk", flat=True).distinct()
    ) | {target.object_id for target in followed if target.kind == SubscriptionKind.COUNTRY}
    targets += [
        Target(SubscriptionKind.COUNTRY, pk)
        for pk in sorted(pk for pk in countries if pk is not None)
    ]
    targets += [
        Target(SubscriptionKind.EXPERT, pk)
        for pk in Expert.objects.order_by("full_name").values_list("pk", flat=True)
    ]
    seen: set[str] = set()
    offered = []
    for target in [*targets, *sorted(followed, key=lambda item: item.key)]:
        if target.key not in seen:
            seen.add(target.key)
            offered.append((target.key, target_label(target, language)))
    return offered
