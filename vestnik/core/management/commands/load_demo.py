"""Load the demo site: structure, experts, articles, curation, accounts (and polls)."""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from django.core.management.base import BaseCommand

from vestnik.core.demo.loader import demo_content_ensure, passwords_file
from vestnik.core.services import site_setup

# The polls app contributes its own demo polls when it provides this module.
POLLS_DEMO_MODULE = "vestnik.polls.demo"


class Command(BaseCommand):
    help = "Load the demo content: experts, articles, audience sections, accounts (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        tree = site_setup()
        summary = demo_content_ensure(tree)
        self.stdout.write(str(summary))

        # --- polls: vestnik.polls.demo.demo_polls_ensure() when the app ships it ---
        if importlib.util.find_spec(POLLS_DEMO_MODULE) is not None:
            polls_demo = importlib.import_module(POLLS_DEMO_MODULE)
            if hasattr(polls_demo, "demo_polls_ensure"):
                polls_summary = polls_demo.demo_polls_ensure()
                if polls_summary is not None:
                    self.stdout.write(str(polls_summary))

        accounts = "  ".join(
            f"user: {account.username} ({account.group})  password: "
            f"{account.password or '(unchanged, see ' + str(passwords_file()) + ')'}"
            for account in summary.accounts
        )
        self.stdout.write(self.style.SUCCESS(f"Demo accounts: {accounts}"))
