"""What `import_docx` and `import_html` share: arguments, a progress bar and the summary table.

One file behaves like `import_page`: warnings on stderr, the outcome, then the
article's URL path as the last line of stdout; a failure is one
`CommandError: <file>: <reason>` line and exit status 1. Several files (or a
directory) import one after the other with a progress bar on stderr, then a
table on stdout — file, outcome, the article's path or the reason it failed —
and exit status 1 if any file failed. Each file is its own transaction.

`--language en` imports English texts into the experts' English blogs;
`--translation-of URL_OR_ID` (one file) attaches the file to a Russian
article as its translation. Both are checked before any file is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Literal

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vestnik.articles.models import ArticlePage
from vestnik.articles.services import ArticleImportResult, TranslationRefused, language_check
from vestnik.core.progress import progress_write
from vestnik.importers.errors import ImportFailed
from vestnik.importers.services import (
    ImportOutcome,
    files_expand,
    import_files,
    translation_source,
)


class FileImportCommand(BaseCommand):
    kind: ClassVar[Literal["docx", "html"]]
    suffixes: ClassVar[tuple[str, ...]]
    file_help: ClassVar[str]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE_OR_DIR", help=self.file_help)
        parser.add_argument(
            "--author",
            help="the author's full name, «Асан Жакупов»: wins over what the file says",
        )
        parser.add_argument(
            "--publish", action="store_true", help="publish the articles (default: drafts)"
        )
        language_arguments_add(parser)

    def handle(
        self,
        *args: Any,
        files: list[str],
        author: str | None,
        publish: bool,
        language: str,
        translation_of: str | None,
        **options: Any,
    ) -> None:
        paths = files_expand(files, self.suffixes)
        if not paths:
            raise CommandError(f"No {' or '.join(self.suffixes)} files in {', '.join(files)}.")
        single = len(files) == 1 and len(paths) == 1 and not Path(files[0]).is_dir()
        if translation_of is not None and not single:
            raise CommandError("--translation-of takes one file: the translation of that article.")
        outcomes = import_files(
            paths=paths,
            kind=self.kind,
            publish=publish,
            author=author,
            progress=None if single else self._progress(len(paths)),
            language=language_checked(language),
            translation_of=translation_source_named(translation_of, language),
        )
        if single:
            self._report_one(outcomes[0], files[0])
        else:
            self._report_many(outcomes)

    # --- one file -----------------------------------------------------------

    def _report_one(self, outcome: ImportOutcome, argument: str) -> None:
        if outcome.result is None:
            raise CommandError(f"{argument}: {outcome.error}")
        for warning in outcome.result.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        self.stdout.write(self.style.SUCCESS(outcome_line(outcome.result)))
        self.stdout.write(outcome.url_path)

    # --- a batch ------------------------------------------------------------

    def _progress(self, total: int) -> Any:
        def report(done: int, path: Path) -> None:
            progress_write(
                self.stderr, done, total, path.name if self.stderr.isatty() else str(path)
            )

        return report

    def _report_many(self, outcomes: list[ImportOutcome]) -> None:
        for outcome in outcomes:
            for warning in outcome.result.warnings if outcome.result is not None else ():
                self.stderr.write(self.style.WARNING(f"warning: {outcome.path}: {warning}"))
        rows = [
            (
                str(outcome.path),
                outcome_status(outcome.result) if outcome.result is not None else "failed",
                outcome.url_path if outcome.result is not None else outcome.error,
            )
            for outcome in outcomes
        ]
        header = ("file", "result", "article or reason")
        widths = [max(len(row[column]) for row in [header, *rows]) for column in range(2)]
        self.stdout.write(f"{header[0]:<{widths[0]}}  {header[1]:<{widths[1]}}  {header[2]}")
        self.stdout.write(f"{'-' * widths[0]}  {'-' * widths[1]}  {'-' * len(header[2])}")
        for file, status, detail in rows:
            line = f"{file:<{widths[0]}}  {status:<{widths[1]}}  {detail}"
            style = self.style.ERROR if status == "failed" else self.style.SUCCESS
            self.stdout.write(style(line))
        failed = sum(1 for outcome in outcomes if outcome.result is None)
        if failed:
            raise CommandError(f"{failed} of {len(outcomes)} files were not imported.")
        self.stdout.write(f"{len(outcomes)} files imported.")


def language_arguments_add(parser: CommandParser) -> None:
    """`--language` and `--translation-of`, the same for every import command."""
    parser.add_argument(
        "--language",
        default="ru",
        metavar="CODE",
        help="the language of the text: ru (default) or en",
    )
    parser.add_argument(
        "--translation-of",
        metavar="URL_OR_ID",
        help=(
            "make the file the translation (in --language) of this Russian article: its page "
            "id, or its URL or path such as /blogs/asan-zhakupov/<slug>/"
        ),
    )


def language_checked(language: str) -> str:
    try:
        return language_check(language)
    except TranslationRefused as exc:
        raise CommandError(str(exc)) from exc


def translation_source_named(reference: str | None, language: str) -> ArticlePage | None:
    """The article `--translation-of` names; a `CommandError` before anything is read or written."""
    if reference is None:
        return None
    try:
        return translation_source(reference=reference, language=language)
    except ImportFailed as exc:
        raise CommandError(f"--translation-of {reference}: {exc.message}") from exc


def outcome_status(result: ArticleImportResult) -> str:
    """created / updated / unchanged, with the page's state: «created (draft)»."""
    article = result.article
    status = "created" if result.created else "updated" if result.changed else "unchanged"
    state = "published" if article.live else "draft"
    if article.live and article.has_unpublished_changes:
        state = "published, with a newer draft"
    return f"{status} ({state})"


def outcome_line(result: ArticleImportResult) -> str:
    status, _, state = outcome_status(result).partition(" ")
    return f"{status}: «{result.article.draft_title}» {state}"
