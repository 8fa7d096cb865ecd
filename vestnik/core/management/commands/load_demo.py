from typing import Any

from django.core.management.base import BaseCommand

from vestnik.core.services import site_setup


class Command(BaseCommand):
    help = "Load the demo content (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        site_setup()
