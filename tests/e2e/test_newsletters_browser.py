"""A reader subscribes from a cached country page, with and without JavaScript.

The country page comes from the page cache with the same form for everyone and
no CSRF token; static/js/newsletters.js fetches the token and time stamp when
the reader first touches the form. Without JavaScript the form goes by GET to
the form page, which works alone. Screenshots at 360 and 1440 px go to
$VESTNIK_SCREENSHOTS when it is set.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from django.core import mail

from vestnik.newsletters.models import Subscriber, SubscriberStatus
from vestnik.site.services import site_setup
from vestnik.vocabulary.models import Country

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


def test_subscribe_to_a_country_from_its_cached_page(browser: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    site_setup()
    turkey = Country.objects.create(
        name_ru="Турция", name_en="Turkey", slug="turkey", iso_code="TR"
    )
    url = f"{live_server.url}/countries/turkey/"

    for width in (360, 1440):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(url)
        response = page.goto(url)
        assert response is not None and response.headers.get("x-page-cache") == "hit"
        form = page.locator("main form.subscribe")
        expect(form).to_be_visible()
        fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert fits, f"the country page must fit {width}px"
        _shot(page, f"newsletter-country-{width}")
        context.close()

    context = browser.new_context(viewport={"width": 360, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    assert not any("/newsletters/start/" in seen for seen in requests), "no request on load"
    form = page.locator("main form.subscribe")
    form.get_by_label("Ваш e-mail").fill("reader@example.org")
    form.get_by_role("button", name="Подписаться").click()
    expect(page.locator("h1")).to_have_text("Проверьте почту")
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.PENDING
    assert list(subscriber.subscriptions.values_list("target_key", flat=True)) == [
        f"country:{turkey.pk}"
    ]
    assert subscriber.subscriptions.get().source_url == "/countries/turkey/"
    assert [message.to for message in mail.outbox] == [["reader@example.org"]]
    context.close()

    # Without JavaScript: the same form goes to the form page, the country still ticked.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url)
    page.locator("main form.subscribe button").click()
    assert page.locator(f'input[name="targets"][value="country:{turkey.pk}"]').is_checked()
    page.locator('input[name="email"]').fill("second@example.org")
    time.sleep(2.2)  # a person takes longer than the minimum
    page.locator('main button[type="submit"]').first.click()
    expect(page.locator("h1")).to_have_text("Проверьте почту")
    assert Subscriber.objects.filter(email="second@example.org").exists()
    context.close()
