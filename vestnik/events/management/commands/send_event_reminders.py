"""Remind registered readers of tomorrow's events. Run from cron, e.g. hourly:

    17 * * * *  cd /srv/vestnik && .venv/bin/python manage.py send_event_reminders

Each registration is reminded once (`Registration.reminded_at`), however
often the command runs or if two runs overlap.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vestnik.events.services import event_reminders_send


class Command(BaseCommand):
    help = "E-mail a reminder to readers registered for events starting within a day (once each)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = event_reminders_send()
        self.stdout.write(f"{sent} reminder(s) queued.")
