"""The task worker is killed (SIGKILL) in the middle of a newsletter: nobody missed, nobody twice.

A special issue to 300 confirmed readers is queued on the private PostgreSQL
server (production settings, the database task queue) and sent by
`manage.py db_worker` to a real SMTP server on loopback. When the server has
received the 120th message — stored, but not yet answered with 250, the
moment a sender that records "sent" only after the answer would send again —
it kills the worker. `send_newsletters` run again after the lease has expired
queues the delivery anew, a second worker finishes it, and every reader must
have exactly one copy.
"""

from __future__ import annotations

import collections
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.faults.conftest import FaultSite
from tests.harness import ROOT, SmtpServer, manage

pytestmark = pytest.mark.needs("postgres-server")

READERS = 300
KILL_AT = 120
LEASE_SECONDS = 2

SETUP = """
import json
from django.utils import timezone
from vestnik.newsletters.factories import digest_readers
from vestnik.newsletters.models import Mailing, MailingKind, MailingStatus, Subscriber
from vestnik.newsletters.planning import special_queue

Subscriber.objects.all().delete()
Mailing.objects.all().delete()
now = timezone.now()
digest_readers(%(readers)d)
mailing = Mailing.objects.create(
    kind=MailingKind.SPECIAL, language="ru", subject="Fault test: a special issue",
    intro="<p>An issue for the fault test.</p>", status=MailingStatus.SCHEDULED, scheduled_at=now,
)
print(json.dumps({"mailing": mailing.pk, "queued": special_queue(mailing)}))
"""

LEDGER = """
import json
from django.db.models import Count
from vestnik.newsletters.models import Delivery
print(json.dumps(dict(Delivery.objects.values_list("status").annotate(n=Count("pk")))))
"""


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_a_killed_worker_leaves_nobody_without_and_nobody_with_two_copies(
    fault_site: FaultSite,
) -> None:
    with SmtpServer() as smtp:
        env = {
            **fault_site.env,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "VESTNIK_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "VESTNIK_NEWSLETTERS_SEND_RATE": "0",
            "VESTNIK_NEWSLETTERS_BATCH_SIZE": "100000",
            "VESTNIK_NEWSLETTERS_LEASE_SECONDS": str(LEASE_SECONDS),
        }
        setup = json.loads(
            manage(env, "shell", "--no-imports", "-c", SETUP % {"readers": READERS}, timeout=120)
            .strip()
            .splitlines()[-1]
        )
        assert setup["queued"] == READERS

        manage(env, "send_newsletters", timeout=60)
        first = _worker(env)

        def kill_the_worker(number: int) -> None:
            if number == KILL_AT:
                os.kill(first.pid, signal.SIGKILL)

        smtp.on_message = kill_the_worker
        first.wait(timeout=120)
        assert first.returncode == -signal.SIGKILL, (first.stderr or b"").decode()[-2000:]
        smtp.on_message = None
        received_before = len(smtp.messages)
        assert KILL_AT <= received_before < READERS

        # The killed worker's lease runs out; the clock queues the rest again.
        time.sleep(LEASE_SECONDS + 0.5)
        manage(env, "send_newsletters", timeout=60)
        second = _worker(env)
        second.wait(timeout=180)
        assert second.returncode == 0, (second.stderr or b"").decode()[-2000:]

        copies = collections.Counter(
            recipient for _sender, recipients in smtp.envelopes for recipient in recipients
        )
        expected = {f"reader{n}@example.org" for n in range(READERS)}
        assert set(copies) == expected, f"missing: {sorted(expected - set(copies))[:5]}"
        assert max(copies.values()) == 1, [who for who, n in copies.items() if n > 1][:5]

        ledger = json.loads(
            manage(env, "shell", "--no-imports", "-c", LEDGER, timeout=60).strip().splitlines()[-1]
        )
        # The message the worker died waiting for stays "handed over": sent, never again.
        assert ledger.get("queued", 0) == 0
        assert ledger.get("sent", 0) + ledger.get("handed", 0) == READERS
        assert ledger.get("handed", 0) <= 1
