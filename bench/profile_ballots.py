r"""Where a ballot's server CPU goes: the vote requests of `polls_ballots.py`, in-process.

Calls the bench's WSGI application (`bench.minimal_vote.wsgi`, so every
middleware runs) with the same requests wrk sends, without gunicorn or the
network, and prints the CPU time (`time.process_time`) and queries per ballot
of each view, then cProfile's top functions for the one named by
`--profile`. Against a migrated bench database:

    DJANGO_SETTINGS_MODULE=bench.polls_settings SECRET_KEY=<50+ chars> \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ballots VESTNIK_VAR_DIR=/tmp/x \
    .venv/bin/python bench/profile_ballots.py [--ballots 500] [--profile vestnik-form]

It explains a row of `polls_ballots.py`; it does not replace it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.polls_settings")

from bench.minimal_vote.wsgi import application  # noqa: E402 (sets Django up)


def environ(path: str, body: bytes, *, json: bool, address: str) -> dict[str, Any]:
    env = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_ORIGIN": "http://127.0.0.1:8000",
        "HTTP_X_FORWARDED_FOR": address,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if json:
        env["HTTP_ACCEPT"] = "application/json"
    return env


def polls() -> dict[str, tuple[str, list[int]]]:
    from bench.minimal_vote.models import MinimalOption
    from vestnik.polls.factories import poll_with_options

    poll = poll_with_options("Profile", [f"Option {n}" for n in range(8)], max_choices=3)
    vestnik_options = list(poll.options.values_list("id", flat=True))
    minimal_poll = random.randrange(1, 2**31)
    minimal = MinimalOption.objects.bulk_create(MinimalOption(poll=minimal_poll) for _ in range(8))
    minimal_options = [option.pk for option in minimal]
    return {
        "vestnik": (f"/polls/{poll.pk}/vote/", vestnik_options),
        "minimal-stock": (f"/bench/minimal/{minimal_poll}/vote/", minimal_options),
        "minimal-vestnik-stack": (
            f"/bench/vestnik-stack/bench/minimal/{minimal_poll}/vote/",
            minimal_options,
        ),
    }


def caller(path: str, options: list[int], *, json: bool, rng: random.Random) -> Callable[[], int]:
    expected = "200" if json else "302"

    def call() -> int:
        chosen = rng.sample(options, rng.randint(1, 3))
        body = urlencode([("option", option) for option in chosen]).encode()
        address = f"10.{rng.randrange(16)}.{rng.randrange(16)}.{rng.randrange(16)}"
        status: list[str] = []
        result = application(
            environ(path, body, json=json, address=address),
            lambda s, headers, exc_info=None: status.append(s),
        )
        b"".join(result)
        if hasattr(result, "close"):
            result.close()
        if not status[0].startswith(expected):
            raise SystemExit(f"{path}: {status[0]}")
        return 1

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=500)
    parser.add_argument("--profile", default="vestnik-form")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--lines", type=int, default=45)
    args = parser.parse_args()

    from django.db import connection, reset_queries
    from django.test.utils import override_settings

    rng = random.Random(1)
    targets = polls()
    calls = {
        f"{name}-{mode}": caller(path, options, json=mode == "json", rng=rng)
        for name, (path, options) in targets.items()
        for mode in ("form", "json")
    }
    for call in calls.values():  # imports, templates, connections
        for _ in range(20):
            call()
    print("| request | CPU ms/ballot | queries |\n|---|---:|---:|")
    for name, call in calls.items():
        with override_settings(DEBUG=True):
            reset_queries()
            call()
            queries = len(connection.queries)
        started = time.process_time()
        for _ in range(args.ballots):
            call()
        spent = (time.process_time() - started) * 1000 / args.ballots
        print(f"| {name} | {spent:.2f} | {queries} |")
    if args.profile:
        profiler = cProfile.Profile(time.process_time)  # CPU, not waiting on the database
        profiler.enable()
        for _ in range(args.ballots):
            calls[args.profile]()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.lines)
        print(out.getvalue())


if __name__ == "__main__":
    main()
