"""Registering through the form, the e-mails it sends (to a real SMTP server), cancelling."""

from __future__ import annotations

import datetime
import time
from typing import Any

import icalendar
import pytest

from django.core import signing
from django.test import Client
from django.utils import timezone

from vestnik.core.form_guard import form_stamp
from vestnik.events.factories import event_page
from vestnik.events.models import Registration, RegistrationStatus
from vestnik.events.services import registration_cancel, registration_create
from vestnik.events.tokens import CANCEL_SALT, cancel_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(index: Any) -> Any:
    return event_page(
        index,
        registration_open=True,
        capacity=2,
        place="Москва, Тверская ул., 1",
        questions=["Какой у вас вопрос к докладчикам?"],
    )


def _post(client: Client, event: Any, stamp: str, **fields: str) -> Any:
    data = {
        "name": "Ирина Петрова",
        "email": "Irina@Example.org",
        "organisation": "МГИМО",
        "website": "",
        "started": stamp,
    }
    data.update(fields)
    return client.post(f"/events/{event.pk}/register/", data)


def _question_field(event: Any) -> str:
    from vestnik.events.forms import question_field_name

    return question_field_name(event.questions.get())


def test_cached_page_form_gets_its_token_and_stamp_from_an_uncached_endpoint(
    event: Any, client: Client
) -> None:
    page = client.get(event.url)
    html = page.content.decode()
    assert f'data-event-register="/events/{event.pk}/register/start/"' in html
    assert 'name="csrfmiddlewaretoken" value=""' in html  # the same for every reader
    start = client.get(f"/events/{event.pk}/register/start/")
    assert "no-cache" in start["Cache-Control"] or "max-age=0" in start["Cache-Control"]
    data = start.json()
    assert data["state"] == "open" and data["csrf"] and data["started"]
    assert "csrftoken" in start.cookies


def test_registration_needs_csrf(event: Any, stamp: str) -> None:
    client = Client(enforce_csrf_checks=True)
    assert _post(client, event, stamp).status_code == 403
    token = client.get(f"/events/{event.pk}/register/start/").json()["csrf"]
    response = _post(client, event, stamp, csrfmiddlewaretoken=token)
    assert response.status_code == 200
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED


def test_valid_registration_sends_the_confirmation_with_ics(
    event: Any,
    client: Client,
    stamp: str,
    smtp_server: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, event, stamp, **{_question_field(event): "О тарифах"})
    assert response.status_code == 200
    registration = Registration.objects.get()
    assert registration.email == "irina@example.org"  # normalised
    assert registration.answers == {"Какой у вас вопрос к докладчикам?": "О тарифах"}
    assert registration.status == RegistrationStatus.CONFIRMED

    [message] = smtp_server.messages
    assert message["To"] == "irina@example.org"
    assert event.title in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "/events/registrations/cancel/" in text
    assert "(МСК)" in text
    assert "/events/registrations/cancel/" in message.get_body(("html",)).get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    calendar = icalendar.Calendar.from_ical(attachment.get_payload(decode=True))
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == event.title
    assert vevent.decoded("DTSTART") == event.start
    assert str(vevent["LOCATION"]) == "Москва, Тверская ул., 1"


def test_duplicate_email_is_refused_clearly(event: Any, client: Client, stamp: str) -> None:
    assert _post(client, event, stamp).status_code == 200
    again = _post(client, event, stamp, email="IRINA@example.ORG ")
    assert again.status_code == 409
    assert "already registered" in again.content.decode() or "уже" in again.content.decode()
    assert Registration.objects.count() == 1


def test_database_enforces_one_registration_per_email(event: Any) -> None:
    from django.db import IntegrityError, transaction

    Registration.objects.create(event=event, name="A", email="a@example.org", status="confirmed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, name="B", email="a@example.org", status="waiting")
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, name="C", email="A@example.org", status="waiting")


def test_honeypot_and_too_fast_are_refused(event: Any, client: Client, stamp: str) -> None:
    assert _post(client, event, stamp, website="http://spam.example").status_code == 400
    assert _post(client, event, form_stamp()).status_code == 400  # sent at once
    assert _post(client, event, "forged").status_code == 400
    stale = form_stamp(at=time.time() - 3 * 24 * 3600)
    assert _post(client, event, stale).status_code == 400
    assert Registration.objects.count() == 0


def test_closed_past_and_full_registration(index: Any, client: Client, stamp: str) -> None:
    closed = event_page(index, title="Закрыто", registration_open=False)
    response = _post(client, closed, stamp)
    assert response.status_code == 409
    past = event_page(
        index,
        title="Прошло",
        registration_open=True,
        start=timezone.now() - datetime.timedelta(days=2),
    )
    assert _post(client, past, stamp).status_code == 409
    deadline = event_page(
        index,
        title="Поздно",
        registration_open=True,
        registration_deadline=timezone.now() - datetime.timedelta(hours=1),
    )
    assert _post(client, deadline, stamp).status_code == 409
    full = event_page(
        index, title="Мест нет", registration_open=True, capacity=1, waiting_list=False
    )
    assert _post(client, full, stamp, email="first@example.org").status_code == 200
    refused = _post(client, full, stamp, email="second@example.org")
    assert refused.status_code == 409
    assert client.get(f"/events/{full.pk}/register/start/").json()["state"] == "full"
    assert Registration.objects.count() == 1


def test_full_event_puts_readers_on_the_waiting_list(
    event: Any,
    client: Client,
    stamp: str,
    smtp_server: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            assert _post(client, event, stamp, email=f"r{n}@example.org").status_code == 200
    statuses = list(Registration.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "waiting"]
    waiting_mail = smtp_server.messages[-1]
    assert waiting_mail["To"] == "r2@example.org"
    assert list(waiting_mail.iter_attachments()) == []  # no seat, no calendar entry yet
    assert client.get(f"/events/{event.pk}/register/start/").json()["state"] == "waiting"


def test_cancel_link_asks_on_get_and_cancels_on_post_moving_the_waiting_list_up(
    event: Any, client: Client, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first, second, waiting = (
            registration_create(event=event, name=f"R{n}", email=f"r{n}@example.org")
            for n in range(3)
        )
    assert waiting.status == RegistrationStatus.WAITING
    smtp_server.messages.clear()
    url = f"/events/registrations/cancel/{cancel_token(first)}/"

    page = client.get(url)
    assert page.status_code == 200 and "<form" in page.content.decode()
    first.refresh_from_db()
    assert first.status == RegistrationStatus.CONFIRMED  # a GET never cancels

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 200
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.CONFIRMED
    [moved_up] = smtp_server.messages
    assert moved_up["To"] == "r2@example.org"
    assert len(list(moved_up.iter_attachments())) == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 200  # a second click changes nothing
    assert len(smtp_server.messages) == 1
    del second


def test_bad_and_expired_cancel_links(event: Any, index: Any, client: Client) -> None:
    assert client.get("/events/registrations/cancel/nonsense/").status_code == 404
    registration = registration_create(event=event, name="R", email="r@example.org")
    forged = signing.dumps({"r": registration.pk, "e": "other@example.org"}, salt=CANCEL_SALT)
    assert client.post(f"/events/registrations/cancel/{forged}/").status_code == 404
    unsalted = signing.dumps({"r": registration.pk, "e": registration.email})
    assert client.post(f"/events/registrations/cancel/{unsalted}/").status_code == 404
    EventPageModel = type(event)
    EventPageModel.objects.filter(pk=event.pk).update(
        start=timezone.now() - datetime.timedelta(days=1),
        end=timezone.now() - datetime.timedelta(hours=20),
    )
    response = client.post(f"/events/registrations/cancel/{cancel_token(registration)}/")
    assert response.status_code == 410
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_cancelling_a_waiting_registration_moves_nobody(event: Any) -> None:
    regs = [registration_create(event=event, name="R", email=f"r{n}@example.org") for n in range(4)]
    result = registration_cancel(registration=regs[3])
    assert result.promoted == []
    assert Registration.objects.filter(status="waiting").count() == 1


def test_english_page_registers_for_the_same_list(event: Any, client: Client, stamp: str) -> None:
    from wagtail.models import Locale

    locale, _created = Locale.objects.get_or_create(language_code="en")
    english = event.copy_for_translation(locale, copy_parents=True, alias=False)
    english.save_revision().publish()
    english.refresh_from_db()
    assert english.registration_event() == event
    page = client.get(english.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "(MSK)" in html and 'id="event-registration">Registration<' in html
    response = client.post(
        f"/en/events/{english.pk}/register/",
        {"name": "Ann", "email": "ann@example.org", "started": stamp},
    )
    assert response.status_code == 200
    registration = Registration.objects.get()
    assert registration.event_id == event.pk and registration.language == "en"


def test_the_whole_round_trip_through_the_mailbox(
    event: Any,
    client: Client,
    stamp: str,
    smtp_server: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Register, read the cancel link in the e-mail, follow it, and the next in line is told."""
    import re

    with django_capture_on_commit_callbacks(execute=True):
        for address in ("first@example.org", "second@example.org", "third@example.org"):
            assert _post(client, event, stamp, email=address).status_code == 200
    first_mail = next(m for m in smtp_server.messages if m["To"] == "first@example.org")
    [link] = re.findall(
        r"https?://\S+/events/registrations/cancel/\S+/",
        first_mail.get_body(("plain",)).get_content(),
    )
    path = re.sub(r"^https?://[^/]+", "", link)
    assert "<form" in client.get(path).content.decode()
    smtp_server.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path)
    assert Registration.objects.get(email="third@example.org").status == "confirmed"
    [told] = smtp_server.messages
    assert told["To"] == "third@example.org"


def test_publishing_more_seats_moves_the_waiting_list_up(event: Any) -> None:
    for n in range(3):
        registration_create(event=event, name="R", email=f"r{n}@example.org")
    event.capacity = 3
    event.save_revision().publish()
    assert Registration.objects.filter(status="confirmed").count() == 3


def test_the_page_says_when_an_editor_closed_registration(event: Any, client: Client) -> None:
    registration_create(event=event, name="R", email="r@example.org")
    event.registration_open = False
    event.save_revision().publish()
    html = client.get(event.url).content.decode()
    assert 'id="event-registration"' in html and "event-form" not in html
    assert client.get(f"/events/{event.pk}/register/start/").json()["state"] == "closed"


def test_hostile_html_in_a_registration_is_text_everywhere_it_is_shown(
    event: Any,
    client: Client,
    stamp: str,
    smtp_server: Any,
    django_capture_on_commit_callbacks: Any,
    admin_client: Client,
) -> None:
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client,
            event,
            stamp,
            name=hostile,
            organisation=hostile,
            **{_question_field(event): hostile},
        )
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()
    registration = Registration.objects.get()
    assert registration.name == hostile  # kept as the reader typed it, shown as text
    [message] = smtp_server.messages
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
    listing = admin_client.get("/admin/registrations/").content.decode()
    assert "<script>alert(1)" not in listing and "&lt;script&gt;" in listing


def test_empty_and_oversized_fields_are_refused_with_a_message_and_nothing_saved(
    event: Any, client: Client, stamp: str
) -> None:
    empty = _post(client, event, stamp, name="", email="")
    oversized = _post(
        client, event, stamp, name="Я" * 5000, **{_question_field(event): "в" * 50_000}
    )
    for response in (empty, oversized):
        assert response.status_code == 400
        assert 'class="event-form__error"' in response.content.decode()
    assert not Registration.objects.exists()
