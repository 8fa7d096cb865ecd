"""nginx's log of view beacons, read by the worker: each view once, the read part erased."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from vestnik.readership.models import PageViewDay, ViewLogCursor
from vestnik.readership.tests.conftest import CHROME, FIREFOX
from vestnik.readership.view_log import line_parse, log_read


def line(
    page: object,
    *,
    user_agent: str = CHROME,
    client: str = "198.51.100.4",
    method: str = "POST",
    dnt: str = "",
    gpc: str = "",
    personal: str = "0",
    moment: float | None = None,
) -> bytes:
    fields = [
        f"{moment or time.time():.3f}",
        method,
        str(page),
        client,
        user_agent,
        dnt,
        gpc,
        personal,
    ]
    return ("\t".join(fields) + "\n").encode()


def views_of(page: Any) -> int:
    return sum(PageViewDay.objects.filter(page=page).values_list("views", flat=True))


def test_a_line_as_nginx_writes_it_is_a_view() -> None:
    # escape=json: quotes, backslashes and tabs inside a value arrive escaped.
    raw = b'1796576428.984\tPOST\t42\t127.0.0.1\tMozilla/5.0 \\"x\\"\\tFirefox/133.0\t\t\t0\n'
    view, reason = line_parse(raw)
    assert reason == ""
    assert view is not None
    assert view.page_id == 42 and view.client == "127.0.0.1"
    assert view.user_agent == 'Mozilla/5.0 "x"\tFirefox/133.0'


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (line(1, dnt="1"), "do-not-track"),
        (line(1, gpc="1"), "do-not-track"),
        (line(1, personal="1"), "signed-in"),
        (line(1, user_agent="Mozilla/5.0 (compatible; YandexBot/3.0)"), "crawler"),
        (line(1, method="GET"), "not-a-beacon"),
        (line("x"), "not-a-page"),
        (b"garbage without tabs\n", "malformed"),
        (b"nan-time\tPOST\t1\ta\tb\t\t\t0\n", "malformed"),
        (b"\xff\xfe\tPOST\t1\n", "malformed"),
    ],
)
def test_refused_and_broken_lines(raw: bytes, reason: str) -> None:
    view, why = line_parse(raw)
    assert view is None and why == reason


@pytest.mark.django_db
def test_the_log_is_counted_once_per_reader_and_read_from_where_it_stopped(
    article: Any, tmp_path: Path
) -> None:
    log = tmp_path / "views.log"
    log.write_bytes(
        line(article.pk) * 3 + line(article.pk, user_agent=FIREFOX) + line(article.pk, dnt="1")
    )
    reading = log_read(str(log))
    assert (reading.lines, reading.counted) == (5, 2)
    assert reading.refused == {"do-not-track": 1}
    assert views_of(article) == 2

    # nginx goes on appending; half a line is left for the next reading.
    with log.open("ab") as appending:
        appending.write(line(article.pk, client="198.51.100.99") + b"1796576428.9\tPO")
    reading = log_read(str(log))
    assert (reading.lines, reading.counted) == (1, 1)
    with log.open("ab") as appending:
        appending.write(
            b"ST\t" + str(article.pk).encode() + b"\t192.0.2.1\t" + CHROME.encode() + b"\t\t\t0\n"
        )
    assert log_read(str(log)).counted == 1
    assert views_of(article) == 4
    assert ViewLogCursor.objects.get(path=str(log)).offset == log.stat().st_size


@pytest.mark.django_db
def test_a_worker_killed_before_saving_its_place_counts_nothing_twice(
    article: Any, tmp_path: Path
) -> None:
    log = tmp_path / "views.log"
    content = line(article.pk) + line(article.pk, user_agent=FIREFOX)
    log.write_bytes(content)
    log_read(str(log))
    # As if the worker died after recording, before saving its place (and so
    # before erasing what it read): the same file, the same lines, the old cursor.
    with log.open("r+b") as same_file:
        same_file.write(content)
    ViewLogCursor.objects.filter(path=str(log)).update(offset=0)
    reading = log_read(str(log))
    assert (reading.lines, reading.counted) == (2, 0)
    assert views_of(article) == 2


@pytest.mark.django_db
def test_a_recreated_log_is_read_from_its_start(article: Any, tmp_path: Path) -> None:
    log = tmp_path / "views.log"
    log.write_bytes(line(article.pk) * 4 + line(article.pk, user_agent=FIREFOX))
    log_read(str(log))
    log.unlink()
    log.write_bytes(line(article.pk, client="192.0.2.200"))
    assert log_read(str(log)).counted == 1
    assert views_of(article) == 3


@pytest.mark.django_db
def test_a_missing_log_is_nothing_to_read(tmp_path: Path) -> None:
    reading = log_read(str(tmp_path / "absent.log"))
    assert reading.lines == 0


@pytest.mark.django_db
def test_what_was_read_is_erased_from_the_disk(article: Any, tmp_path: Path) -> None:
    log = tmp_path / "views.log"
    lines = b"".join(line(article.pk, client=f"10.0.{n // 250}.{n % 250}") for n in range(2000))
    log.write_bytes(lines)
    os.sync()
    before = log.stat().st_blocks
    assert log_read(str(log)).counted == 2000
    content = log.read_bytes()
    if log.stat().st_blocks >= before:
        pytest.skip("this file system cannot punch holes (docs/privacy.md)")
    assert content == b"\0" * len(lines)
    assert len(content) == len(lines)  # nginx's end of the file is where it was
