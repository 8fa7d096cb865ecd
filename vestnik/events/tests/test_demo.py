from __future__ import annotations

from typing import Any

import pytest

from vestnik.events.demo import demo_events_ensure

pytestmark = pytest.mark.django_db


def test_demo_events_are_made_once_and_shown(index: Any, client: Any) -> None:
    first = demo_events_ensure(index)
    again = demo_events_ensure(index)
    assert (first.upcoming.pk, first.past.pk) == (again.upcoming.pk, again.past.pk)
    assert first.upcoming.registration_open and first.past.has_ended()
    html = client.get("/events/").content.decode()
    assert first.upcoming.url in html and first.past.url in html
    assert client.get(f"/events/{first.upcoming.pk}/register/start/").json()["state"] == "open"
