"""A special issue as its readers will get it, for the editor composing it.

The preview renders exactly what the worker would (`delivery._Bodies`,
`delivery.message_for`), for a pseudo-subscriber: the editor's own address,
never saved. Its signed links name no subscriber (no id), so they open
nothing: the preview shows their shape, not a working link.
"""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation

from vestnik.core.site_identity import site_root_url
from vestnik.newsletters.delivery import message_for
from vestnik.newsletters.items import items_for_pages
from vestnik.newsletters.models import Delivery, Mailing, Subscriber, SubscriberStatus
from vestnik.newsletters.rendering import RenderedMessage, issue_render, links_fill


def issue_preview(mailing: Mailing) -> RenderedMessage:
    """The issue's subject, text and HTML, with the placeholder links of `rendering`."""
    language = mailing.language or "ru"
    page_ids = list(mailing.items.values_list("page_id", flat=True))
    return issue_render(
        kind=mailing.kind,
        language=language,
        items=items_for_pages(page_ids, language),
        subject=mailing.subject,
        intro_html=mailing.intro,
        period=(mailing.period_start, mailing.period_end)
        if mailing.period_start and mailing.period_end
        else None,
    )


def message_preview(mailing: Mailing, email: str) -> EmailMultiAlternatives:
    """The whole message (headers, text and HTML parts) as `email` would receive it."""
    reader = Subscriber(
        email=email or "editor@example.invalid",
        language=mailing.language or "ru",
        status=SubscriberStatus.ACTIVE,
    )
    return message_for(Delivery(mailing=mailing), reader, issue_preview(mailing))


def editor_copy(mailing: Mailing) -> RenderedMessage:
    """The issue for a test sent to an editor: the reader's own links point at the
    newsletters' page on the site, since an editor is no subscriber."""
    language = mailing.language or "ru"
    with translation.override(language):
        page = site_root_url(None) + reverse("newsletters:privacy")
    return links_fill(issue_preview(mailing), preferences_url=page, unsubscribe_url=page)
