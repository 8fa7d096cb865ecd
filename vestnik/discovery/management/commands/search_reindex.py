"""Rebuild the search index from the live articles (after an upgrade or a restore)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from vestnik.discovery.search.services import search_index_rebuild


class Command(BaseCommand):
    help = "Index every live article for search again, from scratch."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        count = search_index_rebuild()
        self.stdout.write(f"Indexed {count} articles in {time.monotonic() - started:.1f} s.")
