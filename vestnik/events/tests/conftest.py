"""Fixtures shared by the event tests."""

from __future__ import annotations

import time
from typing import Any

import pytest

from vestnik.events.factories import events_index
from vestnik.events.models import EventIndexPage
from vestnik.polls.tests.conftest import threaded_db  # noqa: F401 (a fixture, re-exported)


@pytest.fixture
def site_tree(db: None) -> Any:
    from vestnik.site.services import site_setup

    return site_setup()


@pytest.fixture
def index(site_tree: Any) -> EventIndexPage:
    return events_index(site_tree.home)


@pytest.fixture
def stamp() -> str:
    """A form stamp handed out a minute ago: neither too fast nor stale."""
    from vestnik.core.form_guard import form_stamp

    return form_stamp(at=time.time() - 60)
