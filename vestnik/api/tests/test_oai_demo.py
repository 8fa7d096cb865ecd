"""Sickle, a real OAI-PMH harvester, takes the whole demo archive (`load_demo`) over HTTP.

Every public article and publication of the demo, in both languages, arrives
exactly once through resumption tokens (pages of five), with its title and
language; nothing that is not public does.
"""

from __future__ import annotations

import collections
from typing import Any

import pytest

from django.core.management import call_command
from django.test import override_settings

from wagtail.models import Page

from vestnik.api.tests.test_oai import identifier
from vestnik.articles.models import ArticlePage
from vestnik.core.selectors import visible_to_public
from vestnik.publications.models import PublicationPage


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(VESTNIK_API_OAI_PAGE_SIZE=5)
def test_sickle_harvests_the_demo_archive_completely(
    live_server: Any, sequences_after_snapshot: None
) -> None:
    from sickle import Sickle  # the harvester is a test dependency only

    call_command("load_demo", verbosity=0)
    public = visible_to_public(Page.objects.type(ArticlePage, PublicationPage))
    expected = {identifier(page) for page in public}
    assert len(expected) > 5 * 2  # more than two pages: the tokens are walked

    records = list(Sickle(f"{live_server.url}/oai/").ListRecords(metadataPrefix="oai_dc"))

    copies = collections.Counter(record.header.identifier for record in records)
    assert set(copies) == expected
    assert max(copies.values()) == 1
    assert not any(record.deleted for record in records)
    languages = {record.metadata["language"][0] for record in records}
    assert languages == {"ru", "en"}
    assert all(record.metadata.get("title") for record in records)
