"""An expert in Chromium: writes in their own blog with a picture, submits, goes no further.

The same rules as `vestnik/site/tests/test_permission_matrix.py`, clicked through
the real admin: the image travels through the image block's chooser (upload tab),
the article through «Submit for review», and another expert's article stays shut.
"""

from __future__ import annotations

from typing import Any

import pytest

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.articles.models import ArticlePage
from vestnik.core.models import VestnikImage
from vestnik.site.services import site_setup
from vestnik.site.tests.accounts import account_for, png_bytes

from .test_citation_browser import wagtail_baseline_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
TITLE = "Каспий после саммита"


@pytest.fixture
def site(live_server: Any) -> Any:
    # Other transactional tests flush what Wagtail's migrations created.
    wagtail_baseline_ensure()
    site_setup()
    return live_server


def test_an_author_writes_with_an_image_submits_and_stays_in_their_blog(
    page: Any, site: Any
) -> None:
    own_blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
    other_blog = expert_with_blog("Ирина Соколова", "Ирины Соколовой")
    others_article = article_in_blog(other_blog, title="Статья Соколовой", publish=False)
    author = account_for(own_blog.expert, "asan")
    author.set_password(PASSWORD)
    author.save()
    base = site.url

    page.goto(base + "/admin/login/")
    page.fill('input[name="username"]', "asan")
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url(base + "/admin/")

    page.goto(base + f"/admin/pages/add/articles/articlepage/{own_blog.pk}/")
    page.fill("#id_title", TITLE)
    page.fill("#id_lead", "Что изменилось для транзита.")

    # An image block in the body, its picture uploaded through the chooser's upload tab.
    page.locator("button.c-sf-add-button").first.click()
    page.locator(".w-combobox__option:has(.icon-image)").click()
    page.locator("[data-chooser-action-choose]").first.click()
    modal = page.locator(".modal-dialog")
    modal.locator('a[href="#tab-upload"], [role="tab"][aria-controls*="upload"]').first.click()
    upload = modal.locator("form:has(input[name='image-chooser-upload-file'])")
    upload.locator('input[name="image-chooser-upload-title"]').fill("Карта Каспия")
    upload.locator('input[name="image-chooser-upload-file"]').set_input_files(
        files=[{"name": "map.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    upload.locator('button[type="submit"]').click()
    modal.wait_for(state="detached")
    chosen = page.locator("[data-chooser-title]").first
    chosen.wait_for()
    assert chosen.inner_text() == "Карта Каспия"

    page.locator("footer button.action-save").first.click()
    page.wait_for_url("**/admin/pages/*/edit/")
    article = ArticlePage.objects.get(title=TITLE)
    image = VestnikImage.objects.get(title="Карта Каспия")
    assert image.uploaded_by_user_id == author.pk
    blocks = article.get_latest_revision_as_object().body
    assert [block.value["image"].pk for block in blocks if block.block_type == "image"] == [
        image.pk
    ]

    # No «Publish» anywhere: the footer's menu offers «Submit for review».
    assert page.locator('button[name="action-publish"]').count() == 0
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.locator('button[name="action-submit"]').click()
    page.wait_for_url(lambda url: "/edit/" not in url)
    article.refresh_from_db()
    assert article.workflow_in_progress
    assert not article.live
    # The author sees it in moderation: the page offers only to cancel the workflow.
    page.goto(base + f"/admin/pages/{article.pk}/edit/")
    page.locator('button[name="action-cancel-workflow"]').first.wait_for(state="attached")
    assert page.locator('button[name="action-submit"]').count() == 0

    # Another expert's article: the edit URL lands on the dashboard with the refusal.
    page.goto(base + f"/admin/pages/{others_article.pk}/edit/")
    page.wait_for_url(base + "/admin/")
    refusal = page.locator(".messages .error").first
    refusal.wait_for()
    # «Извините, но у вас нет доступа в эту область.»
    assert "нет доступа" in refusal.inner_text()
