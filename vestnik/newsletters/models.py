"""Subscribers, what they follow, the mailings sent to them, and one ledger row per message.

A reader subscribes without an account: a `Subscriber` is an e-mail address
with a language, and nothing is sent to it but the confirmation until the
reader confirms (double opt-in). What the reader follows are `Subscription`
rows: the weekly digest, or alerts for a topic, a country, an expert or a
section; each keeps its consent (when it was asked for, from which page, when
it was confirmed).

A `Mailing` is one issue: the day's alerts, the week's digest, or a special
issue an editor composed. Before anything is sent, each recipient gets a
`Delivery` row (unique per mailing and subscriber); the worker marks a row
handed over in the database *before* the message's last SMTP line, so a
worker killed at any moment resumes without sending anyone a second copy
(`delivery.py`, docs/newsletters.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.fields import RichTextField


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("awaiting confirmation")
    ACTIVE = "active", _("confirmed")
    FAILED = "failed", _("stopped: delivery failed")


class Subscriber(models.Model):
    # Stored lowercased (`services.email_normalize`): one address, one row.
    email = models.EmailField(_("e-mail"), max_length=254, unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("subscribed"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # The per-address limit on confirmation e-mails (conf.confirmations_per_day).
    confirmations_sent = models.PositiveIntegerField(default=0, editable=False)
    confirmations_since = models.DateTimeField(null=True, blank=True, editable=False)
    last_confirmation_at = models.DateTimeField(null=True, blank=True, editable=False)
    failure_count = models.PositiveIntegerField(_("failed deliveries"), default=0)
    last_failure = models.CharField(_("last failure"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self) -> str:
        return self.email


class SubscriptionKind(models.TextChoices):
    DIGEST = "digest", _("weekly digest")
    TOPIC = "topic", _("topic")
    COUNTRY = "country", _("country")
    EXPERT = "expert", _("expert")
    SECTION = "section", _("section")


class Subscription(models.Model):
    """One thing a reader follows, with the consent that started it."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SubscriptionKind.choices)
    # One of these, by kind (none for the digest). Deleting a topic, country,
    # expert or section ends what followed it.
    topic = models.ForeignKey(
        "vocabulary.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    country = models.ForeignKey(
        "vocabulary.Country", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    expert = models.ForeignKey(
        "authors.Expert", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    section = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # "digest", "topic:3": one row per thing followed (NULLs never collide in a unique index).
    target_key = models.CharField(max_length=40, editable=False)
    requested_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    source_url = models.CharField(_("asked for on"), max_length=500, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "target_key"], name="newsletters_one_subscription_per_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscriber_id}:{self.target_key}"

    @property
    def target(self) -> models.Model | None:
        return self.topic or self.country or self.expert or self.section


class MailingKind(models.TextChoices):
    ALERT = "alert", _("alerts")
    DIGEST = "digest", _("weekly digest")
    SPECIAL = "special", _("special issue")


class MailingStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SCHEDULED = "scheduled", _("scheduled")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")


class Mailing(models.Model):
    """One issue: a day's alerts, a week's digest, or a special issue."""

    kind = models.CharField(_("kind"), max_length=16, choices=MailingKind.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MailingStatus.choices,
        default=MailingStatus.DRAFT,
        db_index=True,
    )
    # A special issue is written in one language and goes to its readers;
    # alerts and digests are written for each reader in their own.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    # What alerts and digests collect: items first published in [start, end).
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    # The delivery worker holding this mailing, and until when (conf.lease).
    lease_owner = models.CharField(max_length=64, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        constraints = [
            # Planning the day's alerts or the week's digest twice makes one mailing.
            models.UniqueConstraint(
                fields=["kind", "period_end"],
                condition=models.Q(period_end__isnull=False),
                name="newsletters_one_mailing_per_period",
            )
        ]
        permissions = [("send_mailing", "Can send newsletters to subscribers")]

    def __str__(self) -> str:
        return self.subject or f"{self.get_kind_display()} {self.period_end or self.pk}"


class MailingItem(models.Model):
    """A page an editor put in a special issue, in order."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="items")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.mailing_id}:{self.page_id}"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    # The message went to the SMTP server up to its last line; a worker killed
    # now is never followed by a second copy.
    HANDED = "handed", _("handed to the mail server")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("skipped")


class Delivery(models.Model):
    """One message of one mailing to one subscriber: recorded before it is sent."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    # Unsubscribing deletes the address; the row stays for the counts.
    subscriber = models.ForeignKey(
        Subscriber, null=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    # For alerts and digests, the pages this reader gets, in order.
    page_ids = models.JSONField(default=list)
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(null=True, blank=True)
    handed_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "subscriber"], name="newsletters_one_delivery_per_subscriber"
            )
        ]
        indexes = [
            models.Index(fields=["mailing", "status", "id"], name="newsletters_delivery_queue")
        ]

    def __str__(self) -> str:
        return f"{self.mailing_id}:{self.subscriber_id}:{self.status}"
