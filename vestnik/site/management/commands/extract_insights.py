"""Extract insights: for one page, for a saved page's file, or for the whole archive.

A page is any type registered with `core.indexing` (articles, publications, events).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wagtail.models import Page

from vestnik.core.indexing import indexed_type_of
from vestnik.core.progress import progress_write
from vestnik.importers.decoding import text_file_read
from vestnik.importers.errors import ImportFailed
from vestnik.importers.parsers.page_text import parse_page_text
from vestnik.insights.extractors.base import Extraction
from vestnik.insights.extractors.pipeline import extract
from vestnik.insights.selectors import extraction_vocabulary
from vestnik.insights.services import insights_extract_archive, insights_extract_for_page
from vestnik.insights.texts import draft_units


class Command(BaseCommand):
    help = (
        "Extract the countries, organisations, people, dated events and key figures of "
        "an article (PAGE_ID, stored), of a saved page's text file (--file, not stored; the "
        "article body only), or of every live article (--all, with a progress bar)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "page_id", nargs="?", type=int, help="the page id of an article, publication or event"
        )
        parser.add_argument("--file", help="a saved page's .txt file, as import_page reads it")
        parser.add_argument(
            "--all", dest="archive", action="store_true", help="every live indexed page"
        )
        parser.add_argument(
            "--json",
            dest="as_json",
            action="store_true",
            help='print {"entities": [...], "timeline": [...], "figures": [...]}',
        )

    def handle(
        self,
        *args: Any,
        page_id: int | None,
        file: str | None,
        archive: bool,
        as_json: bool,
        **options: Any,
    ) -> None:
        if sum((page_id is not None, file is not None, archive)) != 1:
            raise CommandError("Give one of PAGE_ID, --file FILE or --all.")
        if archive:
            self._archive()
            return
        if file is not None:
            extraction = self._file(Path(file))
        else:
            base = Page.objects.filter(pk=page_id).first()
            page = base.specific if base is not None else None
            if page is None or indexed_type_of(page) is None:
                # Any registered type (an article, a publication, an event).
                raise CommandError(f"There is no article or other indexed page with id {page_id}.")
            extraction = insights_extract_for_page(page=page)
        self._print(extraction, as_json=as_json)

    def _file(self, path: Path) -> Extraction:
        try:
            draft = parse_page_text(text_file_read(path))
        except ImportFailed as exc:
            raise CommandError(f"{path}: {exc.message}") from exc
        return extract(draft_units(draft), vocabulary=extraction_vocabulary())

    def _archive(self) -> None:
        def progress(done: int, total: int) -> None:
            progress_write(self.stderr, done, total)

        run = insights_extract_archive(progress=progress)
        for page_id, reason in run.failed:
            self.stderr.write(self.style.ERROR(f"article {page_id}: {reason}"))
        if run.failed:
            raise CommandError(f"{len(run.failed)} of {run.pages} articles failed.")
        self.stdout.write(self.style.SUCCESS(f"Extracted insights of {run.pages} articles."))

    def _print(self, extraction: Extraction, *, as_json: bool) -> None:
        data = extraction.as_json()
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for entity in data["entities"]:
            self.stdout.write(f"{entity['kind']:<13} {entity['count']:>3}  {entity['name']}")
        for event in data["timeline"]:
            self.stdout.write(f"{event['date']:<10} {event['text']}")
        for figure in data["figures"]:
            self.stdout.write(str(figure["text"]))
