"""/api/v1/docs/ in a real browser under the site's strict CSP: Swagger UI draws and works.

Swagger UI comes from django-ninja's own static files (no CDN); its settings
are a JSON data block, not a script, so the policy (`script-src 'self'` plus
the nonce) has nothing to block. A recorder added before any page script
collects `securitypolicyviolation` events; the console must stay clean.
"""

from __future__ import annotations

from typing import Any

import pytest

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.site.services import site_setup

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def test_swagger_ui_lists_the_operations_and_runs_one_without_csp_errors(
    page: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    site_setup()
    article_in_blog(expert_with_blog(), title="Каспийский транзит")
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(RECORD_VIOLATIONS)

    response = page.goto(f"{live_server.url}/api/v1/docs/")
    assert response is not None and response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    operation = page.locator(".opblock-summary-path", has_text="/api/v1/articles/").first
    expect(operation).to_be_visible(timeout=15_000)
    assert page.locator(".opblock-summary-path").count() >= 10

    # The UI works, not only draws: run the article list from it.
    operation.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    body = page.locator(".responses-wrapper .live-responses-table .microlight").first
    expect(body).to_contain_text("Каспийский транзит", timeout=15_000)

    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__cspViolations") == []
    assert errors == []
