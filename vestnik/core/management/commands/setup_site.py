from typing import Any

from django.core.management.base import BaseCommand

from vestnik.core.services import site_setup


class Command(BaseCommand):
    help = "Create the page tree, editorial groups, workflow and share links (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        site_setup()
        self.stdout.write("Site structure is in place.")
