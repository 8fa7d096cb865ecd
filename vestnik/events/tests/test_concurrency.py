"""The last seats under concurrent registrations: exactly capacity confirmed, the rest waiting.

Each thread has its own connection (`threaded_db`, from the poll tests). The
decisive run is on PostgreSQL, where the event row's `SELECT … FOR UPDATE`
serialises the seat count; SQLite serialises writers by itself, so there the
test is skipped rather than proving nothing:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test_events pytest vestnik/events
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from django.db import connection

from tests.harness import run_at_once
from vestnik.events.factories import event_page, events_index
from vestnik.events.models import Registration
from vestnik.events.services import RegistrationRefused, registration_create

REGISTRANTS = 50
SEATS_LEFT = 10


def _run_at_once(count: int, work: Any) -> list[Any]:
    return run_at_once(count, work, what="a registration")


@pytest.mark.django_db(transaction=True)
def test_fifty_registrations_for_the_last_ten_seats(threaded_db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (DATABASE_URL=postgres://…)")
    from vestnik.site.services import site_setup

    index = events_index(site_setup().home)
    event = event_page(index, registration_open=True, capacity=SEATS_LEFT + 5)
    for n in range(5):  # five seats already taken
        registration_create(event=event, name="Early", email=f"early{n}@example.org")

    outcomes = _run_at_once(
        REGISTRANTS,
        lambda i: registration_create(event=event, name=f"R{i}", email=f"r{i}@example.org"),
    )
    assert [o for o in outcomes if isinstance(o, BaseException)] == []
    late = Counter(o.status for o in outcomes)
    assert late == {"confirmed": SEATS_LEFT, "waiting": REGISTRANTS - SEATS_LEFT}
    assert Registration.objects.filter(event=event, status="confirmed").count() == SEATS_LEFT + 5


@pytest.mark.django_db(transaction=True)
def test_the_same_address_racing_itself_makes_one_registration(threaded_db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (DATABASE_URL=postgres://…)")
    from vestnik.site.services import site_setup

    event = event_page(events_index(site_setup().home), registration_open=True)
    outcomes = _run_at_once(
        8, lambda i: registration_create(event=event, name="Twin", email="Twin@Example.org")
    )
    refused = [o for o in outcomes if isinstance(o, RegistrationRefused)]
    assert len(refused) == 7 and {r.code for r in refused} == {"duplicate"}
    assert Registration.objects.filter(event=event).count() == 1
