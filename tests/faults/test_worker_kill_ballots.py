"""A gunicorn worker is killed (SIGKILL) in the middle of a ballot load: no ballot lost or doubled.

Each voter is a returning reader with its own cookie jar: it first votes in a
warm-up poll, which gives it the signed respondent cookie a browser keeps, and
then votes in the poll under test as the site's pages do — the script with
`Accept: application/json`, or the plain form answered with a redirect — with
the Origin and Referer a browser sends (the endpoint takes no CSRF token; see
docs/polls.md). Twelve voters at a time keep three workers busy; once a third of
the ballots are in, a worker holding a client connection (in the middle of a
request) is killed with SIGKILL. `pytest -s` prints what happened.

A voter whose request gets no answer (the connection dropped with the worker)
sends the same ballot again, as a reader pressing the button again would. The
database must then hold exactly one ballot per voter who was told "counted" —
or who was told "already voted" on resending, which proves the interrupted
request committed before the worker died — each with the options that voter
chose, and nothing else. The master must have replaced the killed worker.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import psycopg
import pytest
import requests

from tests.faults.conftest import FaultGunicorn, FaultSite, gunicorn

pytestmark = pytest.mark.needs("postgres-server")

# Enough that the load outlasts the search for a busy worker on a fast, quiet
# machine: with 120, 120 ballots once took 0.5 s and ended before the kill.
VOTERS = 360
CONCURRENCY = 12
WORKERS = 3
ATTEMPTS = 4
COOKIE = "vestnik_respondent"


@dataclass
class Voter:
    number: int
    options: list[int]
    script: bool  # polls.js (JSON) or the plain form post (redirect)
    session: requests.Session = field(default_factory=requests.Session)
    answers: list[str] = field(default_factory=list)  # status codes or error names, in order
    outcome: str = ""

    @property
    def key(self) -> str:
        # The cookie is signed as "token:timestamp:signature"; the ballot's
        # respondent key is "c:<token>" (vestnik/polls/identity.py).
        return "c:" + self.session.cookies[COOKIE].split(":", 1)[0]


def vote(
    server: FaultGunicorn, poll: int, voter: Voter, options: list[int], *, script: bool
) -> str:
    """One POST as a browser sends it; the status code, or the error's name if no answer."""
    page = f"{server.url}/polls/{poll}/"
    headers = {
        "Origin": server.url,
        "Referer": page,
        "Sec-Fetch-Site": "same-origin",
        "Accept": "application/json" if script else "text/html,*/*;q=0.8",
    }
    try:
        response = voter.session.post(
            f"{page}vote/",
            data=[("option", str(option)) for option in options],
            headers=headers,
            timeout=20,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        return type(error).__name__
    if script and response.status_code == 200 and response.json().get("ok") is not True:
        return "200-not-ok"
    if not script and response.status_code == 302 and "voted=1" not in response.headers["Location"]:
        return "302-elsewhere"
    return str(response.status_code)


def cast_with_retries(server: FaultGunicorn, poll: int, voter: Voter) -> None:
    counted = "200" if voter.script else "302"
    for attempt in range(ATTEMPTS):
        answer = vote(server, poll, voter, voter.options, script=voter.script)
        voter.answers.append(answer)
        if answer == counted:
            voter.outcome = "acknowledged" if attempt == 0 else "acknowledged on resending"
            return
        if answer == "409" and attempt > 0:
            # "Already voted": the interrupted request was committed before the
            # worker died, and the one-ballot constraint refused the copy.
            voter.outcome = "counted before the worker died"
            return
        if answer.isdigit() and answer not in ("502", "503", "504"):
            voter.outcome = f"unexpected {answer}"
            return
        time.sleep(0.2)
    voter.outcome = "no answer"


def ballots_in_database(database_url: str, poll: int) -> list[tuple[str, list[int]]]:
    with psycopg.connect(database_url, connect_timeout=5) as connection:
        rows = connection.execute(
            """
            SELECT b.respondent_key, array_remove(array_agg(c.option_id ORDER BY c.option_id), NULL)
            FROM polls_ballot b LEFT JOIN polls_ballotchoice c ON c.ballot_id = b.id
            WHERE b.poll_id = %s
            GROUP BY b.id, b.respondent_key
            """,
            [poll],
        ).fetchall()
    return [(key, list(options)) for key, options in rows]


def test_killed_worker_loses_and_doubles_no_ballot(fault_site: FaultSite) -> None:
    content = fault_site.content
    poll, warmup = content["poll"], content["warmup_poll"]
    rng = random.Random(7)  # noqa: S311  (which options a voter ticks; repeatable, not secret)
    voters = [
        Voter(n, sorted(rng.sample(content["options"], rng.randint(1, 3))), script=n % 2 == 0)
        for n in range(VOTERS)
    ]

    with gunicorn(fault_site, workers=WORKERS, ready_path=f"/polls/{poll}/") as server:
        started = time.monotonic()
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            warm = list(
                pool.map(
                    lambda v: vote(server, warmup, v, content["warmup_options"][:1], script=False),
                    voters,
                )
            )
        assert warm == ["302"] * VOTERS, warm
        keys = {voter.key for voter in voters}
        assert len(keys) == VOTERS

        workers_before = server.workers()
        assert len(workers_before) == WORKERS
        done = threading.Event()
        killed: list[int] = []
        killed_at: list[float] = []
        replaced_at: list[float] = []
        acknowledged_at_kill: list[int] = []

        def kill_one_worker() -> None:
            # Mid-load (a third of the ballots acknowledged), and a worker that
            # holds a client connection, so that a request dies with it.
            while not done.is_set():
                counted = sum(1 for voter in voters if voter.outcome.startswith("acknowledged"))
                busy = server.busy_workers() if counted >= VOTERS // 3 else set()
                if busy:
                    victim = min(busy)
                    os.kill(victim, signal.SIGKILL)
                    killed_at.append(time.monotonic())
                    killed.append(victim)
                    acknowledged_at_kill.append(counted)
                    # How long the master takes to fork a replacement.
                    deadline = time.monotonic() + 20
                    while time.monotonic() < deadline:
                        workers = server.workers()
                        if len(workers) == WORKERS and victim not in workers:
                            replaced_at.append(time.monotonic())
                            return
                        time.sleep(0.005)
                    return
                time.sleep(0.005)

        killer = threading.Thread(target=kill_one_worker, daemon=True)
        killer.start()
        load_started = time.monotonic()
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            list(pool.map(lambda voter: cast_with_retries(server, poll, voter), voters))
        load_seconds = time.monotonic() - load_started
        done.set()
        killer.join(timeout=5)

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            workers_after = server.workers()
            if len(workers_after) == WORKERS and not workers_after & set(killed):
                break
            time.sleep(0.1)
        log = server.log_tail()
        elapsed = time.monotonic() - started

    ballots = ballots_in_database(fault_site.database_url, poll)
    counted_keys = [key for key, _ in ballots]
    by_key = dict(ballots)
    outcomes: dict[str, int] = {}
    for voter in voters:
        outcomes[voter.outcome] = outcomes.get(voter.outcome, 0) + 1
    interrupted = sum(1 for voter in voters for answer in voter.answers if not answer.isdigit())
    requests_sent = sum(len(voter.answers) for voter in voters)
    print(
        f"\n{VOTERS} voters, {CONCURRENCY} at a time, {WORKERS} workers; "
        f"worker {killed} killed (SIGKILL) after {acknowledged_at_kill} acknowledgements, "
        f"replaced by {sorted(workers_after - workers_before)} "
        f"{1000 * (replaced_at[0] - killed_at[0]) if replaced_at else -1:.0f} ms later; "
        f"{requests_sent} vote requests in {load_seconds:.1f} s ({elapsed:.1f} s with warm-up), "
        f"{interrupted} without an answer; outcomes {outcomes}; "
        f"ballots in the database: {len(ballots)}"
    )

    assert killed, "the load ended before a worker was killed"
    unexpected = [(v.number, v.answers) for v in voters if v.outcome.startswith("unexpected")]
    assert not unexpected, f"{unexpected}\n{log}"

    # None twice: one row per respondent (the constraint says so; the count proves it).
    assert len(counted_keys) == len(set(counted_keys))
    # Every acknowledged ballot is counted, and so is every interrupted one that
    # the resend found already counted; nothing else is, except possibly the
    # ballots of voters who never got an answer at all.
    expected = {
        voter.key: voter.options
        for voter in voters
        if voter.outcome
        in {"acknowledged", "acknowledged on resending", "counted before the worker died"}
    }
    unanswered = {voter.key for voter in voters if voter.outcome == "no answer"}
    assert expected.keys() <= set(counted_keys)
    assert set(counted_keys) - expected.keys() <= unanswered
    # Whole ballots: each with exactly the options its voter chose.
    for key, options in expected.items():
        assert by_key[key] == options, key

    # The master replaced the killed worker.
    assert len(workers_after) == WORKERS
    assert not workers_after & set(killed)
