from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vestnik.polls.models import Poll
from vestnik.polls.services import poll_tallies_recount


class Command(BaseCommand):
    help = (
        "Count every poll's ballots from their rows, report where the running tallies "
        "disagree and set them to the rows' counts. With --check only report, and exit "
        "with status 1 on any drift. See docs/polls.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="report drift without repairing it"
        )
        parser.add_argument(
            "--poll",
            type=int,
            action="append",
            dest="numbers",
            metavar="NUMBER",
            help="only the poll with this archive number (repeatable; default: every poll)",
        )

    def handle(self, *args: Any, check: bool, numbers: list[int] | None, **options: Any) -> None:
        poll_ids = None
        if numbers:
            found = dict(Poll.objects.filter(number__in=numbers).values_list("number", "pk"))
            missing = sorted(set(numbers) - found.keys())
            if missing:
                raise CommandError(f"No poll numbered {', '.join(map(str, missing))}.")
            poll_ids = sorted(found.values())
        drift = poll_tallies_recount(poll_ids=poll_ids, fix=not check)
        for entry in drift:
            self.stdout.write(str(entry))
        if not drift:
            self.stdout.write("Tallies agree with the ballots.")
            return
        if check:
            raise CommandError(f"{len(drift)} tallies disagree with the ballots.", returncode=1)
        self.stdout.write(f"Repaired {len(drift)} tallies.")
