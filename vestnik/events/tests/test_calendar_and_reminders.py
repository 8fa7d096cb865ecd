"""Calendar files, the reminder command, and the editors' registrations list."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import icalendar
import pytest

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from vestnik.events.factories import event_page
from vestnik.events.models import Registration
from vestnik.events.services import registration_create

pytestmark = pytest.mark.django_db


def test_event_ics_and_feed_are_valid_icalendar(index: Any, client: Client) -> None:
    event = event_page(index, title="Лекция", place="Москва", online_url="https://example.org/live")
    event_page(index, title="Прошедшая", start=timezone.now() - datetime.timedelta(days=3))

    single = client.get(f"/events/{event.pk}.ics")
    assert single.status_code == 200
    assert single["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(single.content)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"])
    [vevent] = calendar.walk("VEVENT")
    uid = str(vevent["UID"])
    assert uid == f"event-{event.translation_key}@testserver"
    assert vevent.decoded("DTSTART") == event.start
    assert single.content.decode().count("DTSTART:") == 1 and "Z\r\n" in single.content.decode()
    assert int(vevent["SEQUENCE"]) == 0
    assert str(vevent["URL"]).endswith(event.url)
    assert "DTSTAMP" in vevent

    feed = client.get("/events/calendar.ics")
    assert feed.status_code == 200
    calendar = icalendar.Calendar.from_ical(feed.content)
    assert str(calendar["X-WR-CALNAME"])
    [only] = calendar.walk("VEVENT")  # upcoming only
    assert str(only["UID"]) == uid  # stable: the same UID in the file and the feed
    assert client.get("/events/999999.ics").status_code == 404


def test_reminder_is_sent_once_to_confirmed_readers_of_tomorrows_events(
    index: Any, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    tomorrow = event_page(
        index,
        title="Завтра",
        registration_open=True,
        capacity=1,
        start=timezone.now() + datetime.timedelta(hours=20),
    )
    next_week = event_page(index, title="Через неделю", registration_open=True)
    registration_create(event=tomorrow, name="A", email="a@example.org")
    registration_create(event=tomorrow, name="W", email="w@example.org")  # waiting
    registration_create(event=next_week, name="B", email="b@example.org")
    smtp_server.messages.clear()

    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_event_reminders", stdout=StringIO())
    assert [m["To"] for m in smtp_server.messages] == ["a@example.org"]
    assert Registration.objects.get(email="a@example.org").reminded_at is not None
    assert Registration.objects.get(email="w@example.org").reminded_at is None


def test_editors_export_registrations_and_readers_cannot(
    index: Any, client: Client, django_user_model: Any
) -> None:
    event = event_page(index, registration_open=True, questions=["Вопрос"])
    registration_create(
        event=event, name="Ирина", email="irina@example.org", answers={"Вопрос": "Ответ"}
    )
    url = f"/admin/registrations/?export=csv&event={event.pk}"
    assert client.get(url).status_code in (302, 403)

    reader = django_user_model.objects.create_user("reader", password="x")
    client.force_login(reader)
    assert client.get(url).status_code in (302, 403)

    editor = django_user_model.objects.create_superuser("editor", password="x")
    client.force_login(editor)
    listing = client.get(f"/admin/registrations/?event={event.pk}")
    assert listing.status_code == 200 and "irina@example.org" in listing.content.decode()
    export = client.get(url)
    assert export.status_code == 200
    body = (
        b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    )
    assert "irina@example.org" in body and "Вопрос: Ответ" in body


def test_editors_can_open_the_event_editor(
    index: Any, client: Client, django_user_model: Any
) -> None:
    event = event_page(index, registration_open=True, questions=["Вопрос"])
    client.force_login(django_user_model.objects.create_superuser("editor", password="x"))
    assert client.get(f"/admin/pages/add/events/eventpage/{index.pk}/").status_code == 200
    edit = client.get(f"/admin/pages/{event.pk}/edit/")
    assert edit.status_code == 200
    assert "registration_open" in edit.content.decode()
