"""Who is counted, once a day, and what is kept of them: the beacon endpoint and the stores."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from django.contrib.auth import get_user_model
from django.test import Client

from vestnik.readership import stores
from vestnik.readership.counting import (
    View,
    is_crawler,
    page_id_parse,
    reader_digest,
    refusal,
    salts_forget,
    today,
)
from vestnik.readership.models import DailySalt, FlushedBatch, PageViewDay, ReaderMark
from vestnik.readership.services import reader_traces_forget, views_collect
from vestnik.readership.tests.conftest import CHROME, FIREFOX

BEACON = "/readership/view/"


def views_of(page: Any) -> int:
    return sum(PageViewDay.objects.filter(page=page).values_list("views", flat=True))


def beacon(client: Client, page_id: object, *, user_agent: str = CHROME, **headers: str) -> Any:
    return client.post(f"{BEACON}?p={page_id}", headers={"User-Agent": user_agent, **headers})


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/131.0.0.0 Safari/537.36",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "",
    ],
)
def test_crawlers_and_scripts_are_not_readers(user_agent: str) -> None:
    assert is_crawler(user_agent)
    assert refusal(user_agent=user_agent, do_not_track="", global_privacy="", signed_in=False)


@pytest.mark.parametrize("user_agent", [CHROME, FIREFOX])
def test_browsers_are_readers(user_agent: str) -> None:
    assert refusal(user_agent=user_agent, do_not_track="", global_privacy="", signed_in=False) == ""


def test_do_not_track_global_privacy_control_and_signing_in_are_refusals() -> None:
    base = {"user_agent": CHROME, "do_not_track": "", "global_privacy": "", "signed_in": False}
    assert refusal(**{**base, "do_not_track": "1"}) == "do-not-track"
    assert refusal(**{**base, "global_privacy": "1"}) == "do-not-track"
    assert refusal(**{**base, "signed_in": True}) == "signed-in"
    assert refusal(**{**base, "do_not_track": "0"}) == ""


@pytest.mark.parametrize("value", ["", "0", "-3", "abc", "12abc", "1e9", "99999999999", " ", None])
def test_anything_but_a_page_id_is_noise(value: str | None) -> None:
    assert page_id_parse(value) is None


def test_a_page_id_is_read() -> None:
    assert page_id_parse("42") == 42
    assert page_id_parse(b"7") == 7


@pytest.mark.django_db
def test_a_reader_reloading_ten_times_is_one_view(article: Any) -> None:
    client = Client()
    for _ in range(10):
        response = beacon(client, article.pk)
        assert response.status_code == 204
    assert views_of(article) == 1
    assert PageViewDay.objects.get(page=article).day == today()


@pytest.mark.django_db
def test_two_readers_are_two_views(article: Any) -> None:
    beacon(Client(), article.pk, user_agent=CHROME)
    beacon(Client(), article.pk, user_agent=FIREFOX)
    beacon(Client(REMOTE_ADDR="192.0.2.7"), article.pk, user_agent=CHROME)
    assert views_of(article) == 3


@pytest.mark.django_db
def test_refused_views_are_not_counted_and_get_the_same_answer(article: Any) -> None:
    client = Client()
    answers = [
        beacon(client, article.pk, DNT="1"),
        beacon(client, article.pk, **{"Sec-GPC": "1"}),
        beacon(client, article.pk, user_agent="Mozilla/5.0 (compatible; bingbot/2.0)"),
        beacon(client, "not-a-page"),
        beacon(client, 999_999),
    ]
    assert {answer.status_code for answer in answers} == {204}
    assert views_of(article) == 0
    assert not ReaderMark.objects.exists()


@pytest.mark.django_db
def test_a_draft_is_never_counted(article: Any) -> None:
    from vestnik.articles.factories import article_in_blog

    draft = article_in_blog(article.get_parent().specific, title="Черновик", publish=False)
    beacon(Client(), draft.pk)
    assert views_of(draft) == 0


@pytest.mark.django_db
def test_editors_views_are_not_counted(article: Any) -> None:
    editor = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    client = Client()
    client.force_login(editor)
    beacon(client, article.pk)
    assert views_of(article) == 0


@pytest.mark.django_db
def test_the_beacon_answers_only_posts_sets_no_cookie_and_is_never_cached(article: Any) -> None:
    client = Client()
    assert client.get(f"{BEACON}?p={article.pk}").status_code == 405
    response = beacon(client, article.pk)
    assert response.status_code == 204
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert views_of(article) == 1


@pytest.mark.django_db
def test_nothing_about_the_reader_is_stored(article: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    beacon(client, article.pk, user_agent=FIREFOX)
    mark = ReaderMark.objects.get()
    stored = " ".join(
        str(value)
        for model in (ReaderMark, PageViewDay, DailySalt)
        for row in model.objects.values()
        for value in row.values()
    )
    assert "203.0.113" not in stored and "Firefox" not in stored
    assert len(mark.digest) == 16


@pytest.mark.django_db
def test_a_new_day_counts_the_reader_again(article: Any) -> None:
    day = today()
    view = View(page_id=article.pk, day=day, client="198.51.100.1", user_agent=CHROME)
    tomorrow = View(
        page_id=article.pk,
        day=day + datetime.timedelta(days=1),
        client=view.client,
        user_agent=CHROME,
    )
    assert stores.record([view, view]) == 1
    assert stores.record([tomorrow]) == 1
    assert sorted(PageViewDay.objects.values_list("views", flat=True)) == [1, 1]


@pytest.mark.django_db
def test_old_salts_and_digests_are_forgotten_and_cannot_be_recomputed(article: Any) -> None:
    old_day = today() - datetime.timedelta(days=2)
    view = View(page_id=article.pk, day=old_day, client="198.51.100.1", user_agent=CHROME)
    stores.record([view])
    digest = reader_digest(view)
    yesterday = View(
        page_id=article.pk,
        day=today() - datetime.timedelta(days=1),
        client=view.client,
        user_agent=CHROME,
    )
    stores.record([yesterday])

    assert reader_traces_forget() == 1
    assert not DailySalt.objects.filter(day=old_day).exists()
    assert not ReaderMark.objects.filter(day=old_day).exists()
    # Yesterday's stay: a log read after midnight still knows yesterday's readers.
    assert ReaderMark.objects.filter(day=yesterday.day).count() == 1
    salts_forget()
    assert reader_digest(view) != digest  # a new salt: the old digest names nobody
    assert views_of(article) == 2  # the counts themselves are kept


@pytest.mark.django_db
def test_views_of_a_deleted_page_are_dropped_when_written(article: Any) -> None:
    counts = stores.Counts({(article.pk, today()): 3, (999_999, today()): 5})
    assert stores.counts_add(counts) == 3
    assert views_of(article) == 3


@pytest.mark.django_db
def test_a_named_batch_is_written_once(article: Any) -> None:
    counts = stores.Counts({(article.pk, today()): 4})
    assert stores.counts_add(counts, batch="b1") == 4
    assert stores.counts_add(counts, batch="b1") == 0
    assert views_of(article) == 4
    assert FlushedBatch.objects.filter(batch="b1").exists()


@pytest.mark.django_db
@pytest.mark.needs("redis-server")
def test_redis_aggregates_and_the_flush_writes_each_view_once(
    article: Any, private_redis: Any, settings: Any
) -> None:
    settings.VESTNIK_READERSHIP_REDIS_URL = private_redis.url
    client = Client()
    for _ in range(5):
        beacon(client, article.pk)
    beacon(client, article.pk, user_agent=FIREFOX)
    assert views_of(article) == 0  # waiting in Redis for the worker
    assert views_collect().flushed == 2
    assert views_of(article) == 2
    assert views_collect().flushed == 0
    assert views_of(article) == 2
    beacon(client, article.pk)  # the same reader later that day
    views_collect()
    assert views_of(article) == 2


@pytest.mark.django_db
@pytest.mark.needs("redis-server")
def test_a_flush_killed_before_or_after_its_commit_loses_and_doubles_nothing(
    article: Any, private_redis: Any, settings: Any
) -> None:
    settings.VESTNIK_READERSHIP_REDIS_URL = private_redis.url
    redis = private_redis.client()
    field = f"{article.pk}:{today().isoformat()}"
    # Killed before its commit: the renamed batch is still in Redis.
    redis.hset(stores.BATCH_PREFIX + "killed-before", field, 3)
    # Killed after its commit: the batch is written, only its deletion is missing.
    redis.hset(stores.BATCH_PREFIX + "killed-after", field, 7)
    FlushedBatch.objects.create(batch="killed-after")
    redis.hset(stores.PENDING_KEY, field, 2)

    assert views_collect().flushed == 5
    assert views_of(article) == 5
    assert not list(redis.scan_iter(match=stores.BATCH_PREFIX + "*"))
    assert not redis.exists(stores.PENDING_KEY)


@pytest.mark.django_db
@pytest.mark.needs("redis-server")
def test_with_redis_gone_views_go_to_the_database(
    article: Any, private_redis: Any, settings: Any
) -> None:
    settings.VESTNIK_READERSHIP_REDIS_URL = private_redis.url
    stores._client.cache_clear()
    private_redis.stop()
    response = beacon(Client(), article.pk)
    assert response.status_code == 204
    assert views_of(article) == 1
    stores._client.cache_clear()


@pytest.mark.django_db
def test_count_views_queues_the_worker_or_collects_now(
    article: Any, tmp_path: Any, settings: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command

    from vestnik.readership.tests.test_view_log import line

    log = tmp_path / "views.log"
    log.write_bytes(line(article.pk) + line(article.pk, dnt="1") + b"broken\n")
    settings.VESTNIK_READERSHIP_VIEW_LOG = str(log)
    output = StringIO()
    call_command("count_views", "--now", stdout=output)
    assert "3 line(s), 1 counted, refused: do-not-track 1, 1 malformed" in output.getvalue()
    assert views_of(article) == 1

    # Queued: in tests the immediate backend runs the task at once, as the worker would.
    with log.open("ab") as appending:
        appending.write(line(article.pk, user_agent=FIREFOX))
    output = StringIO()
    call_command("count_views", stdout=output)
    assert "queued" in output.getvalue()
    assert views_of(article) == 2


@pytest.mark.django_db
def test_a_beacon_costs_a_handful_of_queries_without_redis(
    article: Any, django_assert_max_num_queries: Any
) -> None:
    beacon(Client(), article.pk)  # the day's salt is made once
    # Is the page live; the reader's mark; the day's count: three statements,
    # and the savepoints that keep a duplicate mark from undoing the rest.
    with django_assert_max_num_queries(9):
        beacon(Client(), article.pk, user_agent=FIREFOX)


@pytest.mark.django_db
@pytest.mark.needs("redis-server")
def test_a_beacon_costs_no_query_with_redis(
    article: Any, private_redis: Any, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.VESTNIK_READERSHIP_REDIS_URL = private_redis.url
    beacon(Client(), article.pk)  # the day's salt is read once per process
    with django_assert_num_queries(0):
        beacon(Client(), article.pk, user_agent=FIREFOX)
