"""A reader's views of a cached article are counted once a day; a crawler's and DNT's are not.

Two ways a page can be served, two ways a view is counted: from Django's page
cache, the beacon reaches the app's endpoint; from nginx's front cache (the
shipped config), nginx answers the beacon and logs it, and the worker's
reading of the log counts it. A browser with Chromium's own headless user
agent is a crawler (crawlerdetect says so); the readers here say they are
desktop Chrome.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.readership.models import PageViewDay
from vestnik.readership.view_log import log_read
from vestnik.site.services import site_setup

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

READER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
OTHER_READER = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def views_of(page: Any) -> int:
    return sum(PageViewDay.objects.filter(page=page).values_list("views", flat=True))


def read(browser: Any, url: str, *, times: int = 1, **context: Any) -> list[str]:
    """Open `url` `times` times in one browser profile; the page-cache status of each answer."""
    profile = browser.new_context(viewport={"width": 1440, "height": 900}, **context)
    page = profile.new_page()
    statuses = []
    try:
        for _ in range(times):
            with page.expect_request(lambda request: "/readership/view/" in request.url) as sent:
                response = page.goto(url)
            assert response is not None and response.status == 200
            # nginx's verdict when nginx is in front, else the app's page cache's.
            statuses.append(
                response.headers.get("x-cache-status") or response.headers.get("x-page-cache", "")
            )
            beacon = sent.value
            assert beacon.method == "POST"
            finished = beacon.response()
            assert finished is not None and finished.status == 204
    finally:
        profile.close()
    return statuses


def an_article() -> Any:
    site_setup()
    return article_in_blog(expert_with_blog())


def test_a_cached_article_counts_each_reader_once_a_day(browser: Any, live_server: Any) -> None:
    article = an_article()
    url = live_server.url + article.url

    statuses = read(browser, url, times=10, user_agent=READER)
    assert statuses[1:] == ["hit"] * 9, "the article must come from the page cache"
    assert views_of(article) == 1

    read(browser, url, user_agent=OTHER_READER)
    assert views_of(article) == 2

    # Chromium's own headless user agent is a crawler's; DNT is a reader's refusal.
    read(browser, url)
    read(browser, url, user_agent=READER.replace("131", "130"), extra_http_headers={"DNT": "1"})
    assert views_of(article) == 2


def test_global_privacy_control_sends_no_beacon_at_all(browser: Any, live_server: Any) -> None:
    article = an_article()
    profile = browser.new_context(user_agent=READER)
    profile.add_init_script(
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})"
    )
    page = profile.new_page()
    beacons: list[str] = []
    page.on(
        "request",
        lambda request: beacons.append(request.url) if "/readership/" in request.url else None,
    )
    page.goto(live_server.url + article.url)
    page.wait_for_load_state("networkidle")
    profile.close()
    assert beacons == []
    assert views_of(article) == 0


@pytest.mark.needs("nginx")
def test_behind_nginx_the_beacon_never_reaches_the_app_and_the_worker_counts_it(
    browser: Any, live_server: Any, tmp_path: Path, settings: Any
) -> None:
    from tests.production.conftest import nginx_in_front

    article = an_article()
    with nginx_in_front(live_server, tmp_path / "nginx", settings) as nginx:
        url = f"http://127.0.0.1:{nginx.port}{article.url}"
        statuses = read(browser, url, times=5, user_agent=READER)
        assert statuses[-1] == "HIT", "the article must come from nginx's cache"
        read(browser, url, user_agent=OTHER_READER)
        read(browser, url)  # headless: a crawler
        read(browser, url, user_agent=READER.replace("131", "129"), extra_http_headers={"DNT": "1"})
        assert views_of(article) == 0, "nginx answered the beacons; the app saw none"
        nginx.stop()  # flushes nginx's log buffer, as a reload or the flush timer does
        reading = log_read(str(nginx.view_log))
    assert reading.lines == 8
    assert reading.refused == {"crawler": 1, "do-not-track": 1}
    assert views_of(article) == 2
