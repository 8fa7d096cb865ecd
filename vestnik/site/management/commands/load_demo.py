"""Load the demo site: structure, experts, articles, curation, accounts, polls, readership."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vestnik.polls.demo import demo_polls_ensure
from vestnik.site.demo.loader import demo_content_ensure, passwords_file
from vestnik.site.demo.readership import demo_views_ensure
from vestnik.site.services import site_setup
from vestnik.vocabulary.terms import vocabulary_ensure


class Command(BaseCommand):
    help = "Load the demo content: experts, articles, audience sections, accounts (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        tree = site_setup()
        summary = demo_content_ensure(tree)
        self.stdout.write(str(summary))
        # After the demo's own terms: the seed skips countries and regions already there.
        vocabulary_ensure()
        polls_summary = demo_polls_ensure()
        if polls_summary is not None:
            self.stdout.write(str(polls_summary))
        days = demo_views_ensure()
        self.stdout.write(f"Demo readership: {days} invented daily view count(s) added.")

        accounts = "  ".join(
            f"user: {account.username} ({account.group})  password: "
            f"{account.password or '(unchanged, see ' + str(passwords_file()) + ')'}"
            for account in summary.accounts
        )
        self.stdout.write(self.style.SUCCESS(f"Demo accounts: {accounts}"))
