from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vestnik.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an empty database and MEDIA_ROOT, after "
        "checking its manifest and checksums. Stop the site first. See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="the backup directory")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database and MEDIA_ROOT that already hold data",
        )

    def handle(self, *args: Any, backup: Path, force: bool, **options: Any) -> None:
        try:
            result = backup_restore(source=backup, replace=force)
        except BackupError as exc:
            raise CommandError(f"{backup}: {exc}") from exc
        manifest = result.manifest
        self.stdout.write(
            f"Database: restored from {manifest.database_file} "
            f"({manifest.database_engine}, Vestnik {manifest.vestnik_version}, "
            f"backed up {manifest.created_at})"
        )
        location = result.media_location
        if result.media_restored:
            self.stdout.write(f"Media: {manifest.media_files} files restored into {location}")
        elif manifest.media == "object-storage":
            self.stdout.write(
                self.style.WARNING(
                    f"Media: not in this backup; it was kept in object storage "
                    f"({manifest.media_location}). Restore the bucket from its own "
                    "versioning or replication if needed."
                )
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"Media: NOT restored. The backup holds media.tar but media is now kept in "
                    f"object storage ({location}); upload its files to the bucket, keeping "
                    "their paths."
                )
            )
        if result.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup predates {len(result.pending_migrations)} migration(s) of "
                    "this version; run `manage.py migrate` before starting the site."
                )
            )
        self.stdout.write(self.style.SUCCESS("Restore complete."))
