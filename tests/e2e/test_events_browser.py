"""A reader registers for an event on its cached page, with and without JavaScript.

The page comes from the page cache with the form hidden and no CSRF token;
static/js/events.js fetches the token and time stamp and shows the form.
Screenshots at 360 and 1440 px go to $VESTNIK_SCREENSHOTS when it is set.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from django.test import override_settings

from vestnik.events.factories import event_page, events_index
from vestnik.events.models import Registration
from vestnik.site.services import site_setup

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("VESTNIK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@override_settings(VESTNIK_EVENTS_MIN_FORM_SECONDS=1)
def test_register_on_a_cached_event_page(browser: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    index = events_index(site_setup().home)
    event = event_page(
        index,
        registration_open=True,
        capacity=1,
        place="Москва, ул. Тверская, 1",
        questions=["Какой вопрос вы хотели бы задать?"],
        participants=[{"name": "Анна Гостева", "affiliation": "МГИМО", "role": "moderator"}],
    )
    url = f"{live_server.url}{event.url}"

    for width in (360, 1440):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(url)
        response = page.goto(url)
        assert response is not None and response.headers.get("x-page-cache") == "hit"
        form = page.locator("form.event-form")
        expect(form).to_be_visible()
        fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert fits, f"the event page must fit {width}px"
        _shot(page, f"event-{width}")
        page.goto(f"{live_server.url}/events/")
        _shot(page, f"events-{width}")
        context.close()

    context = browser.new_context(viewport={"width": 360, "height": 900})
    page = context.new_page()
    page.goto(url)
    form = page.locator("form.event-form")
    expect(form).to_be_visible()
    form.get_by_label("Имя").fill("Ирина Петрова")
    form.locator('input[name="email"]').fill("irina@example.org")
    time.sleep(1.2)  # a person takes longer than the minimum
    form.get_by_role("button").click()
    expect(page.locator("h1")).to_be_visible()
    assert Registration.objects.get().status == "confirmed"
    context.close()

    # Without JavaScript: a link to the uncached form page, which works alone.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url)
    page.get_by_role("link", name="Открыть форму регистрации").click()
    page.locator('input[name="name"]').fill("Пётр Иванов")
    page.locator('input[name="email"]').fill("petr@example.org")
    time.sleep(1.2)
    page.locator("form.event-form button").click()
    assert Registration.objects.get(email="petr@example.org").status == "waiting"
    context.close()
