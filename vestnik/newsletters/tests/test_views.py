"""The reader-facing pages over HTTP: subscribing (and every way a request is refused),
the links from e-mails (asking before changing anything; expired and forged ones), the
preferences page, and the subscription form on cached pages."""

from __future__ import annotations

import re
from typing import Any

import pytest

from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from wagtail.models import Page

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.core.form_guard import form_stamp
from vestnik.newsletters.models import Subscriber, SubscriberStatus, Subscription
from vestnik.newsletters.selectors import followable_sections
from vestnik.newsletters.tokens import link_token
from vestnik.vocabulary.models import Country

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/newsletters/subscribe/"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # The per-network counter lives in the cache: each test starts with none.
    cache.clear()


@pytest.fixture
def turkey(db: None) -> Country:
    return Country.objects.create(name_ru="Турция", name_en="Turkey", slug="turkey", iso_code="TR")


def _post(client: Client, stamp: str, **data: Any) -> Any:
    payload = {"email": "reader@example.org", "targets": ["digest"], "language": "ru"}
    payload.update(data)
    return client.post(SUBSCRIBE, {**payload, "started": stamp})


def _active(email: str, *keys: str) -> Subscriber:
    now = timezone.now()
    subscriber = Subscriber.objects.create(
        email=email, language="ru", status=SubscriberStatus.ACTIVE, confirmed_at=now
    )
    for key in keys:
        kind, _sep, pk = key.partition(":")
        fields = {f"{kind}_id": int(pk)} if pk else {}
        Subscription.objects.create(
            subscriber=subscriber, kind=kind, target_key=key, confirmed_at=now, **fields
        )
    return subscriber


def _visible_text(response: Any) -> str:
    return response.content.decode()


# Subscribing


def test_subscribing_sends_only_the_confirmation_and_answers_new_and_known_addresses_alike(
    site_tree: Any,
    smtp_server: Any,
    stamp: str,
    turkey: Country,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _active("known@example.org", "digest")
    with django_capture_on_commit_callbacks(execute=True):
        new = _post(Client(), stamp, email="new@example.org", targets=[f"country:{turkey.pk}"])
        known = _post(Client(), stamp, email="known@example.org", targets=[f"country:{turkey.pk}"])
    assert new.status_code == known.status_code == 200
    # The same page, but for the address it names: nobody learns who is subscribed.
    assert _visible_text(new).replace("new@", "x@") == _visible_text(known).replace("known@", "x@")
    assert sorted(message["To"] for message in smtp_server.messages) == [
        "known@example.org",
        "new@example.org",
    ]
    assert all(
        "/newsletters/confirm/" in message.get_body(preferencelist=("plain",)).get_content()
        for message in smtp_server.messages
    )
    pending = Subscriber.objects.get(email="new@example.org")
    assert pending.status == SubscriberStatus.PENDING
    assert pending.subscriptions.get().confirmed_at is None


def test_a_stranger_asking_for_a_subscribed_address_changes_nothing_until_confirmed(
    site_tree: Any,
    smtp_server: Any,
    stamp: str,
    turkey: Country,
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscriber = _active("known@example.org", "digest")
    subscriber.language = "en"
    subscriber.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            Client(), stamp, email="KNOWN@example.org", targets=[f"country:{turkey.pk}"]
        )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.language == "en"
    confirmed = set(
        subscriber.subscriptions.filter(confirmed_at__isnull=False).values_list(
            "target_key", flat=True
        )
    )
    assert confirmed == {"digest"}  # the country waits for its owner's confirmation


@pytest.mark.parametrize(
    "field, value",
    [
        ("email", "<script>alert(1)</script>@example.org"),
        ("email", "a" * 5000 + "@example.org"),
        ("email", ""),
        ("targets", ["country:999999"]),
        ("targets", ["topic:abc"]),
        ("targets", ["expert:1;DROP TABLE"]),
        ("targets", []),
        ("language", "xx"),
    ],
)
def test_hostile_or_broken_input_is_refused_and_nothing_is_kept(
    site_tree: Any,
    smtp_server: Any,
    stamp: str,
    field: str,
    value: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(Client(), stamp, **{field: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "<script>alert(1)" not in page
    assert not Subscriber.objects.exists()
    assert smtp_server.messages == []


def test_a_section_nobody_may_follow_is_refused(
    site_tree: Any, smtp_server: Any, stamp: str
) -> None:
    home = Page.objects.get(depth=2, locale__language_code="ru")
    response = _post(Client(), stamp, targets=[f"section:{home.pk}"])
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


def test_a_section_is_followed_from_either_languages_page(
    site_tree: Any, smtp_server: Any, stamp: str, django_capture_on_commit_callbacks: Any
) -> None:
    english = followable_sections("en")
    russian = {page.translation_key: page for page in followable_sections("ru")}
    if not english:
        pytest.skip("the site tree has no English sections")
    section = english[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(Client(), stamp, targets=[f"section:{section.pk}"], language="ru")
    assert response.status_code == 200, response.content.decode()[:1500]
    subscription = Subscription.objects.get()
    # Stored as the Russian page: one row whichever page the reader was on.
    assert subscription.section_id == russian[section.translation_key].pk


def test_a_filled_honeypot_is_refused(site_tree: Any, smtp_server: Any, stamp: str) -> None:
    response = _post(Client(), stamp, website="https://spam.example")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("given", ["fresh", "forged", "missing"])
def test_a_form_sent_too_fast_or_with_a_forged_stamp_is_refused(
    site_tree: Any, smtp_server: Any, given: str
) -> None:
    stamp = {"fresh": form_stamp(), "forged": form_stamp()[:-3] + "xyz", "missing": ""}[given]
    response = _post(Client(), stamp)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Subscriber.objects.exists()


def test_one_address_gets_a_confirmation_at_most_once_per_interval(
    site_tree: Any, smtp_server: Any, stamp: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(Client(), stamp).status_code == 200
        again = _post(Client(), stamp)
    assert again.status_code == 429
    assert "только что отправили письмо с подтверждением" in again.content.decode()
    assert len(smtp_server.messages) == 1


def test_one_address_gets_so_many_confirmations_a_day(
    site_tree: Any,
    smtp_server: Any,
    stamp: str,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.VESTNIK_NEWSLETTERS_CONFIRMATIONS_PER_DAY = 2
    settings.VESTNIK_NEWSLETTERS_CONFIRMATION_INTERVAL_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [_post(Client(), stamp).status_code for _n in range(3)]
    assert statuses == [200, 200, 429]
    assert len(smtp_server.messages) == 2


def test_one_network_sends_so_many_requests_an_hour(
    site_tree: Any,
    smtp_server: Any,
    stamp: str,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.VESTNIK_NEWSLETTERS_REQUESTS_PER_HOUR_PER_NETWORK = 2
    with django_capture_on_commit_callbacks(execute=True):
        responses = [_post(Client(), stamp, email=f"reader{n}@example.org") for n in range(3)]
    assert [response.status_code for response in responses] == [200, 200, 429]
    assert 'role="alert"' in responses[-1].content.decode()
    assert not Subscriber.objects.filter(email="reader2@example.org").exists()


# The links in e-mails


def test_opening_the_confirm_and_unsubscribe_links_changes_nothing(site_tree: Any) -> None:
    pending = Subscriber.objects.create(email="pending@example.org", language="ru")
    active = _active("active@example.org", "digest")
    client = Client()
    assert client.get(f"/newsletters/confirm/{link_token(pending, 'confirm')}/").status_code == 200
    response = client.get(f"/newsletters/unsubscribe/{link_token(active, 'unsubscribe')}/")
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == SubscriberStatus.PENDING
    assert Subscriber.objects.filter(pk=active.pk).exists()


def test_the_confirm_page_confirms_by_its_button(site_tree: Any) -> None:
    pending = Subscriber.objects.create(email="pending@example.org", language="ru")
    response = Client().post(f"/newsletters/confirm/{link_token(pending, 'confirm')}/")
    assert response.status_code == 200
    assert 'role="status"' in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == SubscriberStatus.ACTIVE


def test_an_expired_link_says_so_and_offers_a_new_one(site_tree: Any, settings: Any) -> None:
    subscriber = _active("active@example.org", "digest")
    paths = [
        f"/en/newsletters/preferences/{link_token(subscriber, 'preferences')}/",
        f"/en/newsletters/unsubscribe/{link_token(subscriber, 'unsubscribe')}/",
    ]
    settings.VESTNIK_NEWSLETTERS_LINK_DAYS = -1  # every link is older than that
    for path in paths:
        for method in ("get", "post"):
            response = getattr(Client(), method)(path)
            page = response.content.decode()
            assert response.status_code == 400
            assert "expired" in page
            assert 'action="/en/newsletters/link/"' in page
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


@pytest.mark.parametrize("purpose", ["confirm", "preferences", "unsubscribe"])
def test_a_forged_link_opens_nothing(site_tree: Any, purpose: str) -> None:
    subscriber = _active("active@example.org", "digest")
    token = link_token(subscriber, "preferences" if purpose != "preferences" else "confirm")
    tampered = link_token(subscriber, purpose)[:-4] + "AAAA"
    client = Client()
    for bad in (token, tampered, "nonsense"):
        response = client.post(f"/en/newsletters/{purpose}/{bad}/")
        assert response.status_code == 400
        assert "not valid" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.subscriptions.count() == 1


def test_the_preferences_page_groups_the_choices_and_ticks_what_is_followed(
    site_tree: Any, turkey: Country
) -> None:
    blog = expert_with_blog()
    article = article_in_blog(blog, title="Анкара и Каспий")
    article.countries.add(turkey)
    subscriber = _active("active@example.org", "digest", f"country:{turkey.pk}")
    response = Client().get(f"/en/newsletters/preferences/{link_token(subscriber, 'preferences')}/")
    page = response.content.decode()
    assert response.status_code == 200
    legends = re.findall(r"<legend>([^<]+)</legend>", page)
    assert legends[:2] == ["Language of the e-mails", "Weekly digest"]
    assert {"Countries", "Experts"} <= set(legends)
    assert re.search(rf'value="country:{turkey.pk}"[^>]*checked', page)
    assert re.search(r'value="digest"[^>]*checked', page)
    assert re.search(rf'value="expert:{blog.expert.pk}"(?![^>]*checked)', page)


# The form on cached pages


def test_the_form_sits_on_a_country_page_and_in_the_footer_the_same_for_everyone(
    site_tree: Any, turkey: Country
) -> None:
    article = article_in_blog(expert_with_blog(), title="Анкара и Каспий")
    article.countries.add(turkey)
    article.save_revision().publish()
    client = Client()
    page = client.get("/countries/turkey/").content.decode()
    forms = re.findall(r'<form class="subscribe[^"]*".*?</form>', page, re.S)
    assert len(forms) == 2
    country_form, footer_form = forms
    assert f'name="targets" value="country:{turkey.pk}"' in country_form
    assert "Турция" in country_form
    assert 'name="source" value="/countries/turkey/"' in country_form
    assert 'name="targets" value="digest"' in footer_form
    for form in forms:
        assert 'action="/newsletters/subscribe/"' in form
        assert 'data-newsletter-start="/newsletters/start/"' in form
        # No per-reader data: the token and stamp come from /start/ when the reader
        # types, and without a script the address (unnamed) never goes into a URL.
        assert "csrfmiddlewaretoken" not in form
        assert 'name="started"' not in form
        assert not re.search(r'type="email"[^>]* name=', form)
    assert "js/newsletters.js" in page
    assert client.get("/countries/turkey/").content.decode() == page


def test_without_a_script_the_form_page_offers_the_same_choices(
    site_tree: Any, turkey: Country
) -> None:
    response = Client().get(
        SUBSCRIBE, {"targets": [f"country:{turkey.pk}"], "source": "/countries/turkey/"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf'value="country:{turkey.pk}"[^>]*checked', page)
    assert 'name="source" value="/countries/turkey/"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert re.search(r'<link rel="canonical" href="[^"]*/newsletters/subscribe/">', page)


def test_start_gives_the_token_and_stamp_uncached(site_tree: Any) -> None:
    response = Client().get("/newsletters/start/")
    assert response.status_code == 200
    assert set(response.json()) == {"csrf", "started"}
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_pages_speak_english_under_en(site_tree: Any, settings: Any) -> None:
    settings.VESTNIK_NEWSLETTERS_UNCONFIRMED_DAYS = 5
    page = Client().get("/en/newsletters/privacy/").content.decode()
    assert '<html lang="en">' in page
    assert "Newsletters and your data" in page
    assert "We do not store your IP address" in page
    assert "within 5 days" in page
    assert "365 days" in page
    assert "After 3 permanent delivery failures" in page
    subscribe = Client().get("/en/newsletters/subscribe/").content.decode()
    assert 'action="/en/newsletters/subscribe/"' in subscribe
    assert "The weekly digest" in subscribe


@pytest.mark.parametrize("purpose", ["confirm", "preferences", "unsubscribe"])
def test_pages_opened_by_a_signed_link_are_never_indexed(site_tree: Any, purpose: str) -> None:
    subscriber = _active("active@example.org", "digest")
    response = Client().get(f"/newsletters/{purpose}/{link_token(subscriber, purpose)}/")
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
