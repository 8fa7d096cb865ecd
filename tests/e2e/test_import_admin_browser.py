"""An editor uploads a manuscript in the admin; a reader opens articles made from hostile files."""

from __future__ import annotations

from typing import Any

import pytest

from django.contrib.auth import get_user_model

from vestnik.importers.services import article_url_path, import_docx_bytes, import_html_bytes
from vestnik.importers.tests.hostile import PAYLOADS, hostile_html_page
from vestnik.importers.tests.test_docx import TITLE, full_manuscript
from vestnik.importers.tests.test_hostile import hostile_manuscript
from vestnik.site.services import site_setup

from .test_citation_browser import wagtail_baseline_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SUBMIT = "form[data-import-form] button[type=submit]"

PASSWORD = "correct horse battery staple"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def site(live_server: Any) -> Any:
    # Other transactional tests flush what Wagtail's migrations created.
    wagtail_baseline_ensure()
    site_setup()
    return live_server


def log_in(page: Any, base: str) -> None:
    get_user_model().objects.create_superuser(
        username="chief", email="chief@example.org", password=PASSWORD
    )
    page.goto(base + "/admin/login/")
    page.fill('input[name="username"]', "chief")
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url(base + "/admin/")


def test_upload_a_manuscript_and_read_the_warnings(page: Any, site: Any) -> None:
    log_in(page, site.url)
    # The admin menu leads to the import screen.
    assert page.locator('a[href="/admin/import/"]').count() >= 1
    page.goto(site.url + "/admin/import/")

    page.set_input_files(
        'input[name="file"]',
        files=[
            {
                "name": "Токаева — Каспий.docx",
                "mimeType": DOCX_TYPE,
                "buffer": full_manuscript().to_bytes(),
            }
        ],
    )
    page.fill('input[name="author"]', "Дина Токаева")
    page.click(SUBMIT)

    result = page.locator("[data-import-result]")
    result.wait_for()
    assert f"«{TITLE}»" in result.locator("h2").inner_text()
    warnings = page.locator("[data-import-warnings] li")
    assert any("referenced nowhere" in text for text in warnings.all_inner_texts())

    page.click("text=Редактировать статью")
    page.wait_for_url("**/admin/pages/*/edit/")
    assert page.locator("#id_title").input_value() == TITLE


def test_a_bad_upload_shows_the_reason(page: Any, site: Any) -> None:
    log_in(page, site.url)
    page.goto(site.url + "/admin/import/")
    page.set_input_files(
        'input[name="file"]',
        files=[{"name": "scan.docx", "mimeType": DOCX_TYPE, "buffer": b"%PDF-1.7 scanned"}],
    )
    page.click(SUBMIT)
    error = page.locator("[data-import-error]")
    error.wait_for()
    assert "This is a PDF renamed .docx" in error.inner_text()


@pytest.mark.parametrize("source", ["docx", "html"])
def test_no_payload_runs_in_an_imported_article(page: Any, site: Any, source: str) -> None:
    if source == "docx":
        result = import_docx_bytes(data=hostile_manuscript(), filename="h.docx", publish=True)
    else:
        result = import_html_bytes(
            data=hostile_html_page().encode(), filename="h.html", publish=True
        )
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(site.url + article_url_path(result.article), wait_until="networkidle")
    # Give anything that could fire on its own (onload, onerror, autofocus, toggles) its
    # chance, then poke every imported element the way a reader's mouse and keyboard would.
    page.evaluate(
        """() => document.querySelectorAll('.article__body *, .footnotes *').forEach(el => {
            for (const type of ['mouseover', 'mouseenter', 'focus', 'toggle', 'animationstart'])
                el.dispatchEvent(new Event(type, {bubbles: true}));
        })"""
    )
    page.wait_for_timeout(500)

    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("typeof parent.__pwned") == "undefined"
    assert dialogs == []
    assert (
        page.locator(".article__body script, .article__body iframe, .article__body svg").count()
        == 0
    )
    if source == "docx":
        # Typed as text, the payloads are shown as text.
        assert "<script>window.__pwned=1</script>" in page.locator(".article__body").inner_text()
    print_page = page.context.new_page()
    print_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    print_page.goto(site.url + article_url_path(result.article) + "print/", wait_until="load")
    assert print_page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []


def test_the_check_sees_a_payload_that_runs(page: Any) -> None:
    """The oracle above is not vacuous: an unsanitised payload is caught by it."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.set_content(f"{PAYLOADS[1]}<script>alert('ran')</script>")
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "number"
    assert dialogs == ["ran"]
