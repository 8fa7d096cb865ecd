"""What a form offers to follow, as (key, label) choices: "digest", "country:7"…

The preferences page shows them in groups (the digest, sections, topics,
countries, experts), each read with one query; the subscription form on a
page offers the digest and that page's own country, topic, expert or section.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.models import Page

from vestnik.authors.models import Expert
from vestnik.newsletters.forms import target_canonical
from vestnik.newsletters.models import Subscriber, Subscription, SubscriptionKind
from vestnik.newsletters.selectors import followable_sections, kind_label, subscription_label
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
        subscription.section = Page.objects.get(pk=target.object_id or 0)
    return subscription


def target_label(target: Target, language: str) -> str:
    return subscription_label(_subscription_of(target), language)


def subscribe_offered(language: str, follow: Iterable[str]) -> list[tuple[str, str]]:
    """The digest, and the alerts a page offers (its country, topic, expert or section)."""
    offered = [(SubscriptionKind.DIGEST.value, kind_label(SubscriptionKind.DIGEST, "", language))]
    for key in follow:
        parsed = Target.parse(key)
        if parsed is None or parsed.kind == SubscriptionKind.DIGEST:
            continue
        # The key as the page sent it: a section named by its other language's page
        # is one choice, and `SubscribeForm` stores it as this language's page.
        if target_canonical(parsed, language) is not None and key not in dict(offered):
            offered.append((parsed.key, target_label(parsed, language)))
    return offered


# Group slugs and legends on the preferences page, in order.
GROUPS = {
    "digest": gettext_lazy("Weekly digest"),
    "sections": gettext_lazy("Sections"),
    "topics": gettext_lazy("Topics"),
    "countries": gettext_lazy("Countries"),
    "experts": gettext_lazy("Experts"),
}


@dataclass
class ChoiceGroup:
    """One fieldset of the preferences page: its choices as (key, short name)."""

    slug: str
    legend: str
    choices: list[tuple[str, str]] = field(default_factory=list)


def _term_name(term: Topic | Country, language: str) -> str:
    return term.name_en if language == "en" and term.name_en else term.name_ru


def preferences_groups(subscriber: Subscriber, language: str | None = None) -> list[ChoiceGroup]:
    """Everything the preferences page lets a reader follow, what they follow included,
    grouped and named in `language` (the page's; the subscriber's by default). Countries
    are those written about, and any the reader follows; sections are this language's
    pages (alerts match a section in either language)."""
    language = language or subscriber.language
    followed = set(subscriber.subscriptions.values_list("target_key", flat=True))
    followed_ids: dict[str, set[int]] = {kind: set() for kind in SubscriptionKind.values}
    for key in followed:
        target = Target.parse(key)
        if target is not None and target.object_id is not None:
            followed_ids[target.kind].add(target.object_id)

    with translation.override(language):
        groups = {slug: ChoiceGroup(slug, str(legend)) for slug, legend in GROUPS.items()}
        groups["digest"].choices.append(
            (SubscriptionKind.DIGEST.value, _("The week's main analysis, once a week"))
        )
    sections = followable_sections(language)
    groups["sections"].choices = [
        (Target(SubscriptionKind.SECTION, page.pk).key, page.title) for page in sections
    ]
    topics = sorted(Topic.objects.all(), key=lambda topic: _term_name(topic, language).lower())
    groups["topics"].choices = [
        (Target(SubscriptionKind.TOPIC, topic.pk).key, _term_name(topic, language))
        for topic in topics
    ]
    countries = Country.objects.filter(
        Q(articles__isnull=False) | Q(pk__in=followed_ids[SubscriptionKind.COUNTRY])
    )
    groups["countries"].choices = [
        (Target(SubscriptionKind.COUNTRY, country.pk).key, _term_name(country, language))
        for country in sorted(
            countries.distinct(), key=lambda country: _term_name(country, language).lower()
        )
    ]
    groups["experts"].choices = [
        (Target(SubscriptionKind.EXPERT, expert.pk).key, expert.name_in(language))
        for expert in Expert.objects.order_by("full_name")
    ]
    return [group for group in groups.values() if group.choices]


def preferences_followed(subscriber: Subscriber, language: str | None = None) -> list[str]:
    """The keys the subscriber follows (confirmed: a request someone else made for the
    address is not ticked for its owner), a section as the page in `language` offers it."""
    sections = {
        page.translation_key: page.pk
        for page in followable_sections(language or subscriber.language)
    }
    keys = []
    confirmed = subscriber.subscriptions.filter(confirmed_at__isnull=False)
    for subscription in confirmed.select_related("section"):
        if subscription.section is not None and subscription.section.translation_key in sections:
            keys.append(
                Target(SubscriptionKind.SECTION, sections[subscription.section.translation_key]).key
            )
        else:
            keys.append(subscription.target_key)
    return keys


def preferences_offered(
    subscriber: Subscriber, language: str | None = None
) -> list[tuple[str, str]]:
    """Everything the preferences page lets a reader follow, as one list of choices."""
    return [
        choice for group in preferences_groups(subscriber, language) for choice in group.choices
    ]
