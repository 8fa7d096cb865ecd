"""The e-mails a registration sends: confirmed, waiting, moved up, reminder.

Written in the language the reader registered in, with a link to the event's
page in that language, the signed cancel link, and (for a seat) the event's
`.ics`. Sent through `core.mail` after the transaction commits.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from vestnik.core.mail import Attachment, email_send
from vestnik.events.calendar import event_ics
from vestnik.events.models import EventPage, Registration
from vestnik.events.presentation import event_when
from vestnik.events.tokens import cancel_token

KINDS = ("confirmed", "waiting", "promoted", "reminder")


def _subject(kind: str, event: EventPage) -> str:
    subjects = {
        "confirmed": _("Registration confirmed: %(title)s"),
        "waiting": _("You are on the waiting list: %(title)s"),
        "promoted": _("A seat is yours: %(title)s"),
        "reminder": _("Tomorrow: %(title)s"),
    }
    return subjects[kind] % {"title": event.title}


def _root_url(event: EventPage) -> str:
    full = event.get_full_url() or ""
    parts = urlsplit(full)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def registration_email_send(registration: Registration, kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(kind)
    with translation.override(registration.language):
        event = registration.event.localized_in(registration.language)
        url = event.get_full_url() or ""
        root = _root_url(event)
        context = {
            "kind": kind,
            "registration": registration,
            "event": event,
            "event_url": url,
            "when": event_when(event.start, event.end, registration.language),
            "cancel_url": root
            + reverse("events:cancel", kwargs={"token": cancel_token(registration)}),
        }
        attachments = []
        if kind != "waiting":
            host = urlsplit(root).hostname or "localhost"
            attachments.append(
                Attachment(
                    "event.ics",
                    event_ics(event, url=url, host=host),
                    "text/calendar",
                )
            )
        email_send(
            to=[registration.email],
            subject=_subject(kind, event),
            text=render_to_string("emails/events/registration.txt", context),
            html=render_to_string("emails/events/registration.html", context),
            attachments=attachments,
        )
