"""Writes about registrations: register, cancel (moving the waiting list up), remind.

Capacity is decided inside a transaction that first locks the event's row
(`SELECT … FOR UPDATE` on PostgreSQL; SQLite lets one writer in at a time
anyway): concurrent registrations for the last seats queue on that lock and
each counts the seats with the others' rows already committed. One
registration per address per event is the database's unique constraint, so a
double click racing itself still makes one row. E-mails go out after the
commit (`core.mail.email_send`), so a rolled-back write sends nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vestnik.articles.services import SiteNotSetUp
from vestnik.core import form_guard
from vestnik.core.locales import in_language
from vestnik.events import conf
from vestnik.events.emails import registration_email_send
from vestnik.events.models import EventIndexPage, EventPage, Registration, RegistrationStatus
from vestnik.events.tokens import cancel_token_read


class RegistrationRefused(Exception):
    """Why a registration or a cancellation was not made, in words for the reader."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def events_index_page(language: str | None = None) -> EventIndexPage:
    """/events/ in `language` (the site's first by default); `setup_site` makes it."""
    index = in_language(EventIndexPage.objects.all(), language or settings.LANGUAGE_CODE).first()
    if index is None:
        raise SiteNotSetUp(
            "The site has no events index yet: run `python manage.py setup_site` first."
        )
    return index


# --- the form's time check -------------------------------------------------------


def form_stamp_check(stamp: str, *, now: float | None = None) -> None:
    """The registration form's time check (`core.form_guard`), refused in the events' terms."""
    try:
        form_guard.form_stamp_check(
            stamp,
            min_seconds=conf.min_form_seconds(),
            max_age=conf.form_max_age_seconds(),
            now=now,
        )
    except form_guard.FormStampRefused as refusal:
        raise RegistrationRefused(refusal.code, refusal.message) from None


# --- registering -------------------------------------------------------------------


def registration_refusal(
    event: EventPage, *, now: datetime.datetime | None = None
) -> RegistrationRefused | None:
    """Why `event` takes no registrations now, or None when it does (capacity aside)."""
    now = now or timezone.now()
    if event.has_ended(now):
        return RegistrationRefused("past", str(_("This event has already taken place.")), 409)
    if not event.registration_open:
        return RegistrationRefused("closed", str(_("Registration for this event is closed.")), 409)
    if now >= event.registration_closes_at():
        return RegistrationRefused("closed", str(_("Registration for this event has ended.")), 409)
    return None


def _locked(event: EventPage) -> EventPage:
    # Only the event's own row: Wagtail's page row stays free for editors.
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)


def _confirmed_count(event: EventPage) -> int:
    return Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count()


def _has_seat(event: EventPage) -> bool:
    return event.capacity is None or _confirmed_count(event) < event.capacity


@transaction.atomic
def registration_create(
    *,
    event: EventPage,
    name: str,
    email: str,
    organisation: str = "",
    answers: Mapping[str, str] | None = None,
    language: str = "ru",
) -> Registration:
    """Register a reader: confirmed while seats last, then on the waiting list."""
    source = _locked(event.registration_event())
    if (refusal := registration_refusal(source)) is not None:
        raise refusal
    email = email.strip().lower()
    duplicate = RegistrationRefused(
        "duplicate",
        str(
            _(
                "This e-mail address is already registered for the event. "
                "The confirmation e-mail has a link to cancel."
            )
        ),
        409,
    )
    active = Registration.objects.filter(event=source, email=email).exclude(
        status=RegistrationStatus.CANCELLED
    )
    if active.exists():
        raise duplicate
    now = timezone.now()
    if _has_seat(source):
        status, confirmed_at = RegistrationStatus.CONFIRMED, now
    elif source.waiting_list:
        status, confirmed_at = RegistrationStatus.WAITING, None
    else:
        raise RegistrationRefused("full", str(_("All seats are taken.")), 409)
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=source,
                name=name.strip(),
                email=email,
                organisation=organisation.strip(),
                answers=dict(answers or {}),
                status=status,
                language=language,
                created_at=now,
                confirmed_at=confirmed_at,
            )
    except IntegrityError:
        raise duplicate from None
    registration_email_send(registration, "confirmed" if confirmed_at else "waiting")
    return registration


# --- cancelling --------------------------------------------------------------------


def registration_from_token(token: str) -> Registration:
    """The registration a cancel link names; refused if forged, stale or after the event."""
    invalid = RegistrationRefused("bad_token", str(_("This cancellation link is not valid.")), 404)
    named = cancel_token_read(token)
    if named is None:
        raise invalid
    pk, email = named
    registration = Registration.objects.select_related("event").filter(pk=pk, email=email).first()
    if registration is None:
        raise invalid
    if registration.event.has_ended():
        raise RegistrationRefused(
            "expired", str(_("The event is over; the cancellation link has expired.")), 410
        )
    return registration


@dataclass(frozen=True)
class Cancellation:
    registration: Registration
    promoted: list[Registration]


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Cancellation:
    """Cancel; a freed seat goes to the first on the waiting list, who is told."""
    event = _locked(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return Cancellation(registration, [])
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    return Cancellation(registration, _waiting_list_move_up(event))


def _waiting_list_move_up(event: EventPage) -> list[Registration]:
    """Fill free seats from the waiting list in order; the event's row is locked."""
    promoted: list[Registration] = []
    waiting = Registration.objects.filter(event=event, status=RegistrationStatus.WAITING).order_by(
        "created_at", "pk"
    )
    while _has_seat(event):
        first = waiting.first()
        if first is None:
            break
        first.status = RegistrationStatus.CONFIRMED
        first.confirmed_at = timezone.now()
        first.save(update_fields=["status", "confirmed_at"])
        registration_email_send(first, "promoted")
        promoted.append(first)
    return promoted


@transaction.atomic
def waiting_list_move_up(*, event: EventPage) -> list[Registration]:
    """After an editor adds seats: give them to those waiting."""
    return _waiting_list_move_up(_locked(event.registration_event()))


# --- reminders ---------------------------------------------------------------------


def event_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind the confirmed readers of events starting within a day; each exactly once.

    Each row is claimed by an UPDATE that only succeeds while `reminded_at` is
    empty, so two runs at once (cron overlapping itself) never send twice.
    """
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        reminded_at__isnull=True,
        event__live=True,
        event__start__gt=now,
        event__start__lte=now + datetime.timedelta(hours=conf.reminder_hours()),
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = Registration.objects.filter(pk=pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if claimed:
                registration_email_send(
                    Registration.objects.select_related("event").get(pk=pk), "reminder"
                )
                sent += 1
    return sent
