"""The confirmation e-mail: the only message an unconfirmed address ever gets.

Sent through `core.mail` (the task worker, after the request's transaction
commits), in the language of the request, listing what was asked for.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils import translation

from vestnik.core.mail import email_send
from vestnik.core.site_identity import site_root_url
from vestnik.newsletters.models import Subscriber, SubscriberStatus, Subscription
from vestnik.newsletters.rendering import confirmation_render, preferences_link_render
from vestnik.newsletters.selectors import subscription_label
from vestnik.newsletters.tokens import Purpose, link_token


def link_url(subscriber: Subscriber, purpose: Purpose, *, root: str | None = None) -> str:
    """The absolute signed link, in the subscriber's language (/en/… for English).

    `root` is the site's root URL when the caller has it already (a mailing's
    thousands of links need not read the site each time)."""
    names = {
        "confirm": "newsletters:confirm",
        "preferences": "newsletters:preferences",
        "unsubscribe": "newsletters:unsubscribe",
    }
    with translation.override(subscriber.language):
        path = reverse(names[purpose], kwargs={"token": link_token(subscriber, purpose)})
    return (site_root_url(None) if root is None else root) + path


def confirmation_email_send(subscriber: Subscriber, pending: Sequence[Subscription]) -> None:
    message = confirmation_render(
        language=subscriber.language,
        wanted=[subscription_label(item, subscriber.language) for item in pending],
        confirm_url=link_url(subscriber, "confirm"),
        active=subscriber.status == SubscriberStatus.ACTIVE,
    )
    email_send(
        to=[subscriber.email],
        subject=message.subject,
        text=message.text,
        html=message.html,
    )


def preferences_email_send(subscriber: Subscriber) -> None:
    """A fresh link to the preferences page, asked for on the site."""
    message = preferences_link_render(
        language=subscriber.language, preferences_url=link_url(subscriber, "preferences")
    )
    email_send(to=[subscriber.email], subject=message.subject, text=message.text, html=message.html)
