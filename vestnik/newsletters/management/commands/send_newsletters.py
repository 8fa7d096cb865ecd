"""`manage.py send_newsletters`: the newsletters' clock, run by cron every few minutes.

Forgets unconfirmed addresses past their time, plans the day's alerts and the
week's digest when their hour has come, queues special issues whose time has
come, and gives each mailing with messages waiting (a new one, one whose
worker was killed, one with retries due) to the task worker. Safe to run as
often as you like: each step does nothing the second time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vestnik.newsletters.planning import alerts_plan, digest_plan, mailings_to_deliver, specials_due
from vestnik.newsletters.services import unconfirmed_purge
from vestnik.newsletters.tasks import mailing_deliver_task


class Command(BaseCommand):
    help = "Plan alerts, digests and scheduled issues, and queue their delivery."

    def handle(self, *args: Any, **options: Any) -> None:
        addresses, requests = unconfirmed_purge()
        if addresses or requests:
            self.stdout.write(
                f"Deleted {addresses} unconfirmed address(es), {requests} unconfirmed request(s)."
            )
        for planned in (alerts_plan(), digest_plan(), *specials_due()):
            if planned is not None:
                self.stdout.write(f"Planned: {planned} ({planned.deliveries.count()} messages).")
        for mailing_id in mailings_to_deliver():
            mailing_deliver_task.enqueue(mailing_id)
            self.stdout.write(f"Delivery queued for mailing {mailing_id}.")
