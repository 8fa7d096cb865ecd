"""The Content-Security-Policy in a real browser: nothing of ours is blocked, site or admin.

Chromium reports every blocked script, style, image or frame as a
`securitypolicyviolation` event; a recorder added before any page script runs
collects them, and each page must end with none.
"""

from __future__ import annotations

from typing import Any

import pytest

from django.contrib.auth import get_user_model

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.polls.factories import poll_with_options
from vestnik.site.services import site_setup

from .test_citation_browser import wagtail_baseline_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def site(live_server: Any) -> Any:
    wagtail_baseline_ensure()
    site_setup()
    return live_server


def violations(page: Any, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return [
        violation
        for violation in page.evaluate("window.__cspViolations")
        # Wagtail's avatars from Gravatar: an outside call with a hash of the
        # user's e-mail, which the admin policy blocks on purpose (docs/security.md).
        if "gravatar.com/" not in violation
    ]


def test_nothing_is_blocked_on_the_site_or_in_the_admin(page: Any, site: Any) -> None:
    poll = poll_with_options("Какие темы важнее?", ["Энергетика", "Транспорт"])
    article = article_in_blog(
        expert_with_blog(),
        title="Каспийский транзит",
        body=[("paragraph", "<p>Транзит вырос.</p>"), ("poll", {"poll": poll, "heading": ""})],
    )
    page.add_init_script(RECORD_VIOLATIONS)

    for path in ("/", article.url, "/polls/"):
        assert violations(page, site.url + path) == [], path

    get_user_model().objects.create_superuser("chief", "chief@example.org", PASSWORD)
    page.goto(site.url + "/admin/login/")
    page.fill('input[name="username"]', "chief")
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url(site.url + "/admin/")
    for path in ("/admin/", f"/admin/pages/{article.pk}/edit/", "/admin/images/"):
        assert violations(page, site.url + path) == [], path
    # The editor's scripts ran: the StreamField's blocks are drawn by JavaScript.
    page.goto(site.url + f"/admin/pages/{article.pk}/edit/")
    page.wait_for_selector("[data-streamfield-child]", timeout=15_000)
