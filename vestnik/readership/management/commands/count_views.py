"""`manage.py count_views`: the readership's clock, run by cron every minute.

Hands a collection to the task worker: nginx's view log read, Redis's counts
written to the database, yesterday's salts forgotten (docs/readership.md).
`--now` collects in this process instead (no worker, or to see the numbers).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vestnik.readership.services import views_collect
from vestnik.readership.tasks import views_collect_task


class Command(BaseCommand):
    help = "Collect counted page views into the database (through the task worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Collect in this process, not the task worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["now"]:
            views_collect_task.enqueue()
            self.stdout.write("Collection queued for the task worker.")
            return
        collection = views_collect()
        refused = ", ".join(f"{reason} {n}" for reason, n in sorted(collection.log.refused.items()))
        self.stdout.write(
            f"Log: {collection.log.lines} line(s), {collection.log.counted} counted"
            f"{', refused: ' + refused if refused else ''}"
            f"{f', {collection.log.malformed} malformed' if collection.log.malformed else ''}."
            f" Written from Redis: {collection.flushed}."
            f" Days forgotten: {collection.forgotten_days}."
        )
