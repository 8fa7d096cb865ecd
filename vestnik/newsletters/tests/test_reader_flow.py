"""The issue's whole path for one reader, over HTTP and a real SMTP server on loopback:
subscribe to the Turkey alerts, confirm, one alert after a matching publish and none
after an unrelated one, preferences through the link, one-click unsubscribe."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from django.test import Client
from django.utils import timezone

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.newsletters.delivery import mailing_deliver
from vestnik.newsletters.models import Subscriber, SubscriberStatus
from vestnik.newsletters.planning import alerts_plan, digest_plan
from vestnik.vocabulary.models import Country

pytestmark = pytest.mark.django_db


def _links(message: Any) -> list[str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.findall(r"https?://\S+", text)


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _tomorrow_at_ten() -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def test_a_reader_follows_turkey_from_subscribing_to_unsubscribing(
    site_tree: Any, smtp_server: Any, stamp: str, django_capture_on_commit_callbacks: Any
) -> None:
    turkey = Country.objects.create(
        name_ru="Турция", name_en="Turkey", slug="turkey", iso_code="TR"
    )
    japan = Country.objects.create(name_ru="Япония", name_en="Japan", slug="japan", iso_code="JP")
    client = Client()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/newsletters/subscribe/",
            {
                "email": "Reader@Example.org",
                "targets": [f"country:{turkey.pk}"],
                "language": "ru",
                "source": "/countries/turkey/",
                "started": stamp,
            },
        )
    assert response.status_code == 200, response.content.decode()[:2000]
    assert len(smtp_server.messages) == 1  # the confirmation, and nothing else
    confirmation = smtp_server.messages[0]
    assert confirmation["To"] == "reader@example.org"
    assert "Турция" in confirmation.get_body(preferencelist=("plain",)).get_content()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.PENDING
    assert subscriber.subscriptions.get().source_url == "/countries/turkey/"

    # An alert planned before confirming sends nothing.
    blog = expert_with_blog()
    confirm_url = next(url for url in _links(confirmation) if "/confirm/" in url)
    assert client.get(_path(confirm_url)).status_code == 200  # asks; a scanner confirms nothing
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    assert client.post(_path(confirm_url)).status_code == 200
    assert Subscriber.objects.get().status == SubscriberStatus.ACTIVE

    matching = article_in_blog(blog, title="Анкара и Каспий")
    matching.countries.add(turkey)
    matching.save_revision().publish()
    unrelated = article_in_blog(blog, title="Токио и Пекин")
    unrelated.countries.add(japan)
    unrelated.save_revision().publish()

    mailing = alerts_plan(now=_tomorrow_at_ten())
    assert mailing is not None
    report = mailing_deliver(mailing.pk)
    assert report.sent == 1
    alert = smtp_server.messages[-1]
    assert len(smtp_server.messages) == 2
    # Typographed: a non-breaking space after a one-letter word.
    body = alert.get_body(preferencelist=("plain",)).get_content().replace("\xa0", " ")
    assert "Анкара и Каспий" in body
    assert "Токио и Пекин" not in body
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert alert.get_body(preferencelist=("html",)).get_content().count('style="') > 3

    # A second run the same day plans nothing more.
    assert alerts_plan(now=_tomorrow_at_ten() + datetime.timedelta(hours=3)) is None

    # Preferences through the link: add the digest, switch to English.
    preferences_url = next(url for url in _links(alert) if "/preferences/" in url)
    response = client.post(
        _path(preferences_url),
        {"language": "en", "targets": ["digest", f"country:{turkey.pk}"]},
    )
    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.language == "en"
    assert set(subscriber.subscriptions.values_list("target_key", flat=True)) == {
        "digest",
        f"country:{turkey.pk}",
    }

    # One-click unsubscribe, as Gmail's and Yandex's buttons send it: no cookies, no token.
    unsubscribe_url = alert["List-Unsubscribe"].strip("<>")
    one_click = Client(enforce_csrf_checks=True)
    response = one_click.post(
        _path(unsubscribe_url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscriber.objects.exists()
    assert digest_plan(now=_tomorrow_at_ten() + datetime.timedelta(days=7)) is not None
    assert len(smtp_server.messages) == 2


def test_a_request_made_by_someone_else_is_not_ticked_on_the_owners_preferences_page(
    site_tree: Any, stamp: str
) -> None:
    from vestnik.newsletters.factories import subscriber_following
    from vestnik.newsletters.services import Target, subscription_request
    from vestnik.newsletters.tokens import link_token

    japan = Country.objects.create(name_ru="Япония", name_en="Japan", slug="japan", iso_code="JP")
    owner = subscriber_following("owner@example.org", "digest")
    subscription_request(
        email="owner@example.org", language="en", targets=[Target("country", japan.pk)]
    )
    owner.refresh_from_db()
    assert owner.language == "ru"  # a stranger's request changes nothing of the owner's
    page = Client().get(f"/newsletters/preferences/{link_token(owner, 'preferences')}/")
    html = page.content.decode()
    assert re.search(r'value="digest"[^>]*checked', html)
    assert not re.search(rf'value="country:{japan.pk}"[^>]*checked', html)
