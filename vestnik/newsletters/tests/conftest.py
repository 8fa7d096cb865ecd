"""Fixtures shared by the newsletter tests."""

from __future__ import annotations

import time
from typing import Any

import pytest


@pytest.fixture
def site_tree(db: None) -> Any:
    from vestnik.site.services import site_setup

    return site_setup()


@pytest.fixture
def stamp() -> str:
    """A form stamp handed out a minute ago: neither too fast nor stale."""
    from vestnik.core.form_guard import form_stamp

    return form_stamp(at=time.time() - 60)
