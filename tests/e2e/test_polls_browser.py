"""A reader votes in the site poll widget, on a page served from the page cache.

Uses the `browser` fixture of tests/e2e/conftest.py (the system Chromium,
skipped when it is missing unless VESTNIK_REQUIRE_BROWSER is set).
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from vestnik.polls.factories import poll_with_options
from vestnik.polls.tests.utils import ru
from vestnik.site.services import site_setup

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# serialized_rollback: other transactional tests may have flushed the database;
# this one needs the Wagtail root page and site that migrations create.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_vote_with_and_without_javascript_on_a_cached_page(browser: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    site_setup()
    poll = poll_with_options(
        "Какие темы будут главными на саммите?",
        ["Энергетика", "Транспортные коридоры", "Торговля"],
        max_choices=2,
    )
    option_ids = list(poll.options.values_list("id", flat=True))
    home = f"{live_server.url}/"
    widget = f"#poll-{poll.pk}"

    # --- with JavaScript, on a 360px-wide screen --------------------------------
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    page.goto(home)
    response = page.goto(home)
    assert response is not None and response.headers.get("x-page-cache") == "hit"
    section = page.locator(widget)
    boxes = section.locator('input[name="option"]')
    boxes.nth(0).check()
    boxes.nth(1).check()
    expect(boxes.nth(2)).to_be_disabled()  # the maximum, enforced in the browser too
    section.get_by_role("button").click()
    expect(section.locator(".poll-results")).to_be_visible()
    expect(section.locator(".poll-results")).to_contain_text("1 (100.00%)")
    assert page.url == home  # updated in place, no navigation
    assert section.locator("form").count() == 0
    no_overflow = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_overflow, "the widget must fit a 360px screen"

    # The page is still the cached one; the script asks whether this reader voted.
    response = page.reload()
    assert response is not None and response.headers.get("x-page-cache") == "hit"
    expect(page.locator(widget).locator(".poll-results")).to_be_visible()

    # A second ballot from the same reader is refused by the server.
    status = page.evaluate(
        """([url, option]) => fetch(url, {
            method: "POST",
            body: new URLSearchParams({option: option}),
            headers: {Accept: "application/json"},
        }).then(r => r.status)""",
        [f"/polls/{poll.pk}/vote/", str(option_ids[2])],
    )
    assert status == 409
    context.close()

    # --- without JavaScript ------------------------------------------------------
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    response = page.goto(home)
    assert response is not None and response.headers.get("x-page-cache") == "hit"
    section = page.locator(widget)
    section.locator('input[name="option"]').nth(2).check()
    section.get_by_role("button").click()
    page.wait_for_load_state()
    assert f"poll={poll.pk}" in page.url
    results = page.locator(widget).locator(".poll-results")
    expect(results).to_contain_text("1 (50.00%)")  # two respondents now
    expect(page.locator(widget).locator(".poll-results__total")).to_contain_text("2")

    # Back on the cached page the form is there, but a second ballot is refused.
    page.goto(home)
    page.locator(widget).locator('input[name="option"]').nth(0).check()
    page.locator(widget).get_by_role("button").click()
    page.wait_for_load_state()
    expect(page.locator(".poll__message--error")).to_have_text(ru("You have already voted"))
    context.close()
