"""Reads shared by the newsletters' pages, e-mails and admin: what a subscription is called,
the sections one may follow, a mailing's counts."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wagtail.models import Page

from vestnik.core.indexing import indexed_types
from vestnik.core.locales import in_language
from vestnik.core.selectors import visible_to_public
from vestnik.newsletters.items import NewsletterItem, items_for_pages, published_between
from vestnik.newsletters.models import (
    Delivery,
    DeliveryStatus,
    Mailing,
    MailingKind,
    Subscriber,
    Subscription,
    SubscriptionKind,
)


def _term_name(term: object, language: str) -> str:
    name_en = getattr(term, "name_en", "")
    return name_en if language == "en" and name_en else str(getattr(term, "name_ru", term))


def target_name(subscription: Subscription, language: str) -> str:
    """«Турция», «Асан Жакупов», «Аналитика» in `language`."""
    if subscription.topic is not None:
        return _term_name(subscription.topic, language)
    if subscription.country is not None:
        return _term_name(subscription.country, language)
    if subscription.expert is not None:
        return subscription.expert.name_in(language)
    if subscription.section is not None:
        translated = in_language(
            Page.objects.filter(translation_key=subscription.section.translation_key), language
        ).first()
        return (translated or subscription.section).title
    return ""


def kind_label(kind: str, name: str, language: str) -> str:
    """What following `kind` called `name` is called, without a query (a page names its own
    country, expert or section, so its subscription form costs nothing to render)."""
    with translation.override(language):
        labels = {
            SubscriptionKind.DIGEST: _("The weekly digest"),
            SubscriptionKind.TOPIC: _("Alerts on the topic «%(name)s»"),
            SubscriptionKind.COUNTRY: _("Alerts on «%(name)s»"),
            SubscriptionKind.EXPERT: _("Alerts on new work by %(name)s"),
            SubscriptionKind.SECTION: _("Alerts from the section «%(name)s»"),
        }
        return labels[SubscriptionKind(kind)] % {"name": name}


def subscription_label(subscription: Subscription, language: str) -> str:
    """What the reader follows, as the confirmation e-mail and the preferences page say it."""
    return kind_label(subscription.kind, target_name(subscription, language), language)


def followable_sections(language: str) -> list[Page]:
    """The sections a reader may follow: the indexes under the home page whose children
    newsletters carry (/analytics/, /publications/, /events/). A blog is followed
    through its expert."""
    models = [registered.model for registered in indexed_types()]
    parent_types = {
        parent
        for model in models
        for parent in model.allowed_parent_page_models()
        if parent is not Page
    }
    return (
        list(
            in_language(visible_to_public(Page.objects.type(*parent_types)), language)
            .filter(depth=3)
            .order_by("path")
        )
        if parent_types
        else []
    )


def followable_section(page_id: int, language: str) -> Page | None:
    """The followable section that is page `page_id` or one of its translations, in
    `language` where it has one: a reader on /en/analytics/ follows the same section as
    one on /analytics/ (alerts match sections by translation key)."""
    key = Page.objects.filter(pk=page_id).values_list("translation_key", flat=True).first()
    if key is None:
        return None
    others = [code for code, _name in settings.LANGUAGES if code != language]
    for code in [language, *others]:
        for section in followable_sections(code):
            if section.translation_key == key:
                return section
    return None


def mailing_counts(mailing: Mailing) -> dict[str, int]:
    """Messages of `mailing` by ledger status: queued, handed, sent, failed, skipped."""
    counts = {status: 0 for status in DeliveryStatus.values}
    for row in Delivery.objects.filter(mailing=mailing).values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


# --- the editors' admin -----------------------------------------------------------------

COUNT_STATUSES = tuple(DeliveryStatus.values)


def mailings_with_counts() -> QuerySet[Mailing]:
    """Every mailing, newest first, each with its ledger's counts by status in one query
    (`count_queued`, `count_handed`, `count_sent`, `count_failed`, `count_skipped`)."""
    return Mailing.objects.annotate(
        **{
            f"count_{status}": Count("deliveries", filter=Q(deliveries__status=status))
            for status in COUNT_STATUSES
        }
    ).order_by("-created_at", "-pk")


def suggestions_since(*, now: datetime.datetime) -> datetime.datetime:
    """Where a new special issue's suggestions start: the last special issue queued,
    but never more than 30 days back."""
    floor = now - datetime.timedelta(days=30)
    last = (
        Mailing.objects.filter(kind=MailingKind.SPECIAL, queued_at__isnull=False)
        .order_by("-queued_at")
        .values_list("queued_at", flat=True)
        .first()
    )
    return max(last, floor) if last else floor


def special_suggestions(
    language: str, *, now: datetime.datetime | None = None
) -> list[NewsletterItem]:
    """Public pages of every indexed type in `language` published since
    `suggestions_since`, newest first, as a message would show them."""
    now = now or timezone.now()
    facts = published_between(suggestions_since(now=now), now)
    newest_first = sorted(
        (item for item in facts if item.language == language),
        key=lambda item: (item.published_at, item.page_id),
        reverse=True,
    )
    return items_for_pages([item.page_id for item in newest_first], language)


def subscribers_with_follows() -> QuerySet[Subscriber]:
    """Subscribers, each with how many confirmed things of each kind they follow, in one query
    (`follows_digest`, `follows_topic`, …)."""
    return Subscriber.objects.annotate(
        **{
            f"follows_{kind}": Count(
                "subscriptions",
                filter=Q(subscriptions__kind=kind, subscriptions__confirmed_at__isnull=False),
            )
            for kind in SubscriptionKind.values
        }
    )


def follows_summary(subscriber: Subscriber) -> str:
    """«weekly digest; topic: 2; country: 1» from `subscribers_with_follows`' counts."""
    parts: list[str] = []
    for kind in SubscriptionKind:
        count = getattr(subscriber, f"follows_{kind.value}", 0)
        if not count:
            continue
        parts.append(
            str(kind.label) if kind == SubscriptionKind.DIGEST else f"{kind.label}: {count}"
        )
    return "; ".join(parts) or "—"
