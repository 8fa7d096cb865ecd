from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vestnik.importers.commands import (
    language_arguments_add,
    language_checked,
    outcome_line,
    translation_source_named,
)
from vestnik.importers.errors import ImportFailed
from vestnik.importers.services import article_url_path, import_page_file


class Command(BaseCommand):
    help = (
        "Import the saved text of a blog page (UTF-8 or Windows-1251) as an article "
        "in its author's blog. Prints warnings, then created/updated/unchanged, "
        "then the article's URL path as the last line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the saved page's .txt file")
        parser.add_argument(
            "--publish", action="store_true", help="publish the article (default: save a draft)"
        )
        language_arguments_add(parser)

    def handle(
        self,
        *args: Any,
        file: str,
        publish: bool,
        language: str,
        translation_of: str | None,
        **options: Any,
    ) -> None:
        language = language_checked(language)
        source = translation_source_named(translation_of, language)
        try:
            result = import_page_file(
                path=file, publish=publish, language=language, translation_of=source
            )
        except ImportFailed as exc:
            raise CommandError(f"{file}: {exc.message}") from exc
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        self.stdout.write(self.style.SUCCESS(outcome_line(result)))
        self.stdout.write(article_url_path(result.article))
