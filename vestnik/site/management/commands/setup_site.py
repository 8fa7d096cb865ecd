from typing import Any

from django.core.management.base import BaseCommand

from vestnik.site.services import site_setup
from vestnik.vocabulary.terms import vocabulary_ensure


class Command(BaseCommand):
    help = "Create the page tree, editorial groups, workflow and share links (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        site_setup()
        vocabulary = vocabulary_ensure()
        self.stdout.write(
            f"Site structure is in place; {vocabulary.countries_created} countries and "
            f"{vocabulary.regions_created} regions added to the vocabulary."
        )
