"""Event pages and the /events/ listing: times with the zone, order, archive, JSON-LD."""

from __future__ import annotations

import datetime
import json
import re
import zoneinfo
from typing import Any

import pytest

from django.core.exceptions import ValidationError
from django.utils import timezone

from wagtail.models import PageViewRestriction

from vestnik.events.factories import event_page
from vestnik.events.models import EventKind, EventPage, ParticipantRole
from vestnik.events.presentation import event_when

pytestmark = pytest.mark.django_db

MSK = zoneinfo.ZoneInfo("Europe/Moscow")


def test_site_time_zone_is_moscow(settings: Any) -> None:
    assert settings.TIME_ZONE == "Europe/Moscow"


def test_time_is_shown_in_moscow_time_with_the_zone() -> None:
    start = datetime.datetime(2026, 3, 12, 12, 0, tzinfo=datetime.UTC)
    end = start + datetime.timedelta(hours=2)
    assert event_when(start, end, "ru") == "12 марта 2026, 15:00–17:00 (МСК)"
    assert event_when(start, end, "en") == "12 March 2026, 15:00–17:00 (MSK)"
    longer = event_when(start, start + datetime.timedelta(days=1), "ru")
    assert longer == "12 марта 2026, 15:00 — 13 марта 2026, 15:00 (МСК)"


def test_end_before_start_is_refused(index: Any) -> None:
    event = event_page(index)
    event.end = event.start - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError):
        event.full_clean()


def test_schedule_change_bumps_the_calendar_sequence(index: Any) -> None:
    event = event_page(index)
    assert event.schedule_sequence == 0
    event.start += datetime.timedelta(hours=1)
    event.end += datetime.timedelta(hours=1)
    event.save()
    event.title = "Другое название"
    event.save()
    assert EventPage.objects.get(pk=event.pk).schedule_sequence == 1


def _past(index: Any, title: str, when: datetime.datetime, **fields: Any) -> EventPage:
    return event_page(index, title=title, start=when, **fields)


def test_listing_order_and_archive(index: Any, client: Any) -> None:
    now = timezone.now()
    later = event_page(index, title="Позже", start=now + datetime.timedelta(days=20))
    sooner = event_page(index, title="Скоро", start=now + datetime.timedelta(days=2))
    old = _past(index, "Давно", datetime.datetime(2024, 5, 1, 12, tzinfo=MSK))
    recent = _past(index, "Недавно", datetime.datetime(2025, 4, 1, 12, tzinfo=MSK))
    draft = event_page(index, title="Черновик", publish=False)
    private = event_page(index, title="Закрытое")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    assert index.upcoming_events() == [sooner, later]
    assert list(index.past_events()) == [recent, old]
    assert index.archive_years() == [2025, 2024]
    assert list(index.past_events(year=2024)) == [old]

    response = client.get("/events/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Скоро") < html.index("Позже") < html.index("Недавно")
    assert "Черновик" not in html and "Закрытое" not in html
    assert draft.pk and 'href="/events/archive/2024/"' in html

    archive = client.get("/events/archive/2024/")
    assert archive.status_code == 200
    assert "Давно" in archive.content.decode() and "Недавно" not in archive.content.decode()
    assert client.get("/events/archive/2019/").status_code == 404


def test_event_page_shows_time_people_and_json_ld(index: Any, client: Any) -> None:
    from vestnik.authors.models import Expert

    expert = Expert.objects.create(full_name="Асан Жакупов", slug="asan-zhakupov")
    event = event_page(
        index,
        title="Презентация доклада",
        kind=EventKind.PRESENTATION,
        start=datetime.datetime(2030, 3, 12, 15, 0, tzinfo=MSK),
        place="Москва, Тверская ул., 1",
        online_url="https://example.org/stream",
        participants=[
            {"expert": expert, "role": ParticipantRole.SPEAKER},
            {"name": "Анна Гостева", "affiliation": "МГИМО", "role": ParticipantRole.MODERATOR},
        ],
    )
    response = client.get(event.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "12 марта 2030, 15:00–17:00 (МСК)" in html
    assert "Асан Жакупов" in html and "Анна Гостева" in html
    [script] = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)[
        -1:
    ]
    data = json.loads(script)
    assert data["@type"] == "Event"
    assert data["startDate"] == "2030-03-12T15:00:00+03:00"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert {item["@type"] for item in data["location"]} == {"Place", "VirtualLocation"}
    assert [p["name"] for p in data["performer"]] == ["Асан Жакупов", "Анна Гостева"]
    assert data["organizer"]["@type"] == "Organization"


def test_past_event_says_it_took_place_and_shows_the_write_up(index: Any, client: Any) -> None:
    event = _past(
        index,
        "Прошедшая конференция",
        datetime.datetime(2025, 4, 1, 12, tzinfo=MSK),
        video_url="https://example.org/video",
        write_up="<p>Стенограмма выступлений.</p>",
        registration_open=True,
    )
    html = client.get(event.url).content.decode()
    assert 'class="event__status event__status--past"' in html
    assert "Стенограмма выступлений." in html
    assert "https://example.org/video" in html
    assert "event-form" not in html  # no registration for a past event


def test_draft_and_private_events_are_not_served(index: Any, client: Any) -> None:
    draft = event_page(index, title="Черновик", publish=False)
    assert client.get(f"/events/{draft.pk}/register/").status_code == 404
    assert client.get(f"/events/{draft.pk}.ics").status_code == 404
    private = event_page(index, title="Закрытое")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert client.get(f"/events/{private.pk}/register/").status_code == 404
    assert client.get(f"/events/{private.pk}/register/start/").status_code == 404
    assert client.get(f"/events/{private.pk}.ics").status_code == 404
    feed = client.get("/events/calendar.ics").content.decode()
    assert "Черновик" not in feed and "Закрытое" not in feed


def test_events_index_page_is_found_per_language(site_tree: Any) -> None:
    from vestnik.articles.services import SiteNotSetUp
    from vestnik.events.factories import events_index
    from vestnik.events.services import events_index_page

    # setup_site makes the index; a site without one (an older install before
    # `setup_site` ran again) is told to run it.
    index = events_index(site_tree.home)
    index.delete()
    with pytest.raises(SiteNotSetUp):
        events_index_page()
    index = events_index(site_tree.home)
    assert events_index_page() == index
    assert events_index_page("ru") == index
