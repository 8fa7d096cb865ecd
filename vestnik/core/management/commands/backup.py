from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vestnik.core.backup import BackupError, backup_create, default_backup_directory


def _size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite backup API or pg_dump) and the media on disk into a "
        "new directory with a manifest of checksums. Prints the directory as the last line. "
        "See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="directory to put the backup in (default: var/backups)",
        )

    def handle(self, *args: Any, output: Path | None, **options: Any) -> None:
        try:
            result = backup_create(destination=output or default_backup_directory())
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        database = manifest.files[manifest.database_file]
        self.stdout.write(
            f"Database: {manifest.database_engine}, {_size(database.bytes)} "
            f"({manifest.database_file})"
        )
        if manifest.media == "archive":
            archive = manifest.files["media.tar"]
            self.stdout.write(
                f"Media: {manifest.media_files} files from {manifest.media_location}, "
                f"{_size(archive.bytes)} (media.tar)"
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"Media: in object storage ({manifest.media_location}), NOT in this backup. "
                    "Protect the bucket with its own versioning or replication."
                )
            )
        self.stdout.write(self.style.SUCCESS(f"Backup complete: {result.path}"))
        self.stdout.write(str(result.path))
