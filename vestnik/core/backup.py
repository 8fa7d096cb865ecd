"""Backups of a Vestnik site: the database and the media, in one directory.

A backup is a directory `vestnik-backup-<UTC time>/` holding

- `manifest.json`: when, which Vestnik version, which database engine, the applied
  migrations, how media is kept, and a SHA-256 checksum of every other file;
- `database.sqlite3` (a consistent copy made by SQLite's online backup API while
  the site runs) or `database.pgdump` (pg_dump's custom format, itself a
  consistent snapshot);
- `media.tar`: MEDIA_ROOT, when media is on disk. Media in object storage is not
  copied: the bucket is protected by its own versioning or replication, and the
  backup says so instead of pretending to hold it.

The directory is written under a hidden `.partial` name and renamed when the
manifest is complete, so a crashed backup is never mistaken for a finished one.

A restore checks everything it can before it touches anything: the manifest,
every checksum, the database file's own integrity, the media archive's member
names, the engine and the migrations. It refuses a database or MEDIA_ROOT that
already holds data unless told to replace it. The database is replaced in one
transaction (SQLite's backup API into the live file, or pg_restore's SQL run by
psql as a single transaction), and media is unpacked beside MEDIA_ROOT and
swapped in only after the database is in place.

The management commands `backup` and `restore` (and `make backup` / `make
restore`) are thin layers over `backup_create` and `backup_restore`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

MANIFEST_NAME = "manifest.json"
MEDIA_ARCHIVE = "media.tar"
FORMAT = 1
NAME_PREFIX = "vestnik-backup-"

Engine = Literal["sqlite", "postgresql"]
MediaKind = Literal["archive", "object-storage"]


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why, for an operator."""


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    bytes: int


@dataclass(frozen=True)
class Manifest:
    format: int
    created_at: str
    vestnik_version: str
    database_engine: Engine
    database_file: str
    # Applied migrations, app label → names: the schema the database holds.
    migrations: dict[str, list[str]]
    media: MediaKind
    # MEDIA_ROOT or the bucket at backup time, for the operator's information.
    media_location: str
    media_files: int
    files: dict[str, FileEntry] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise BackupError(
                    f"The backup's format {data.get('format')!r} is not one this version "
                    f"reads (format {FORMAT})."
                )
            files = {
                name: FileEntry(sha256=str(entry["sha256"]), bytes=int(entry["bytes"]))
                for name, entry in data["files"].items()
            }
            manifest = cls(
                format=FORMAT,
                created_at=str(data["created_at"]),
                vestnik_version=str(data["vestnik_version"]),
                database_engine=data["database_engine"],
                database_file=str(data["database_file"]),
                migrations={
                    str(app): [str(name) for name in names]
                    for app, names in data["migrations"].items()
                },
                media=data["media"],
                media_location=str(data["media_location"]),
                media_files=int(data["media_files"]),
                files=files,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupError(f"{MANIFEST_NAME} is unreadable or incomplete: {exc}") from exc
        if manifest.database_engine not in ("sqlite", "postgresql"):
            raise BackupError(
                f"Unknown database engine in the manifest: {manifest.database_engine}"
            )
        if manifest.media not in ("archive", "object-storage"):
            raise BackupError(f"Unknown media kind in the manifest: {manifest.media}")
        expected = {manifest.database_file} | (
            {MEDIA_ARCHIVE} if manifest.media == "archive" else set()
        )
        if set(files) != expected:
            raise BackupError(
                f"{MANIFEST_NAME} lists {sorted(files)}, expected {sorted(expected)}."
            )
        return manifest


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    media_restored: bool
    # Where media is kept now: MEDIA_ROOT, or the bucket.
    media_location: str
    # Migrations this code has that the backup's database had not applied yet.
    pending_migrations: list[str]


# --- the database engines -----------------------------------------------------


class Database(Protocol):
    engine: Engine
    file_name: str

    def dump(self, target: Path) -> None: ...

    def check_file(self, source: Path) -> None: ...

    def restore(self, source: Path, *, replace: bool) -> None: ...


def _engine_of_connection() -> Engine:
    if connection.vendor == "sqlite":
        return "sqlite"
    if connection.vendor == "postgresql":
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor, include_views=True)


class SQLiteDatabase:
    engine: Engine = "sqlite"
    file_name = "database.sqlite3"

    def dump(self, target: Path) -> None:
        # The backup API copies a consistent snapshot page by page while the site
        # keeps reading and writing; a file copy could catch a half-written WAL.
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            # A self-contained file: no -wal or -shm companion needed to read it.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()

    def _open_read_only(self, source: Path) -> sqlite3.Connection:
        return sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro&immutable=1", uri=True)

    def check_file(self, source: Path) -> None:
        try:
            with_backup = self._open_read_only(source)
            try:
                # The checksums already vouch for the bytes; this is a quick look
                # that they are a database, not a full page-by-page check.
                (verdict,) = with_backup.execute("PRAGMA quick_check").fetchone()
            finally:
                with_backup.close()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source.name} is not a readable SQLite database: {exc}") from exc
        if verdict != "ok":
            raise BackupError(f"{source.name} fails SQLite's quick check: {verdict}")

    def restore(self, source: Path, *, replace: bool) -> None:
        # The backup API writes the whole database in one transaction on the
        # destination: it ends either as the backup or as it was.
        connection.ensure_connection()
        backup_file = self._open_read_only(source)
        try:
            backup_file.backup(connection.connection)
        except sqlite3.Error as exc:
            raise BackupError(f"SQLite could not restore {source.name}: {exc}") from exc
        finally:
            backup_file.close()
        connection.close()


def _client(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise BackupError(
            f"{program} is not installed; install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client)."
        )
    return path


def _run(command: list[str], *, env: Mapping[str, str], what: str) -> None:
    result = subprocess.run(  # noqa: S603 (a fixed argument list, no shell)
        command, env=dict(env), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()
        errors = [line for line in output.splitlines() if "ERROR" in line or "FATAL" in line]
        raise BackupError(f"{what}: {chr(10).join(errors) or output}")


# With --force, every table, view and sequence of the schema goes first, inside
# the same transaction as the restore: a failure leaves the old data in place.
_DROP_SCHEMA_OBJECTS = """
SET client_min_messages = warning;
DO $$
DECLARE item record;
BEGIN
  FOR item IN SELECT viewname AS name FROM pg_views WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP VIEW IF EXISTS %I CASCADE', item.name);
  END LOOP;
  FOR item IN SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', item.name);
  END LOOP;
  FOR item IN SELECT sequencename AS name FROM pg_sequences
              WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP SEQUENCE IF EXISTS %I CASCADE', item.name);
  END LOOP;
END $$;
"""


class PostgresDatabase:
    engine: Engine = "postgresql"
    file_name = "database.pgdump"

    def _env(self) -> dict[str, str]:
        """libpq's environment for the configured database (no password on a command line)."""
        # Deferred: the PostgreSQL backend imports psycopg, which a SQLite install may lack.
        from django.db.backends.postgresql.client import DatabaseClient

        settings_dict = connection.settings_dict
        _args, client_env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
        env = {**os.environ, **(client_env or {})}
        for variable, key in (
            ("PGHOST", "HOST"),
            ("PGPORT", "PORT"),
            ("PGUSER", "USER"),
            ("PGDATABASE", "NAME"),
        ):
            if settings_dict.get(key):
                env[variable] = str(settings_dict[key])
        service = settings_dict.get("OPTIONS", {}).get("service")
        if service:
            env["PGSERVICE"] = service
        return env

    def dump(self, target: Path) -> None:
        _run(
            [
                _client("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
            ],
            env=self._env(),
            what="pg_dump failed",
        )

    def check_file(self, source: Path) -> None:
        # Reads the archive's table of contents: a truncated or foreign file fails here.
        _run(
            [_client("pg_restore"), "--list", str(source)],
            env=self._env(),
            what=f"Reading {source.name} failed",
        )

    def restore(self, source: Path, *, replace: bool) -> None:
        env = self._env()
        psql = [
            _client("psql"),
            "--no-psqlrc",
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            # One BEGIN … COMMIT around every --command and --file below, rolled
            # back on the first error.
            "--single-transaction",
        ]
        if replace:
            psql.append(f"--command={_DROP_SCHEMA_OBJECTS}")
        connection.close()
        # The dump becomes SQL in a file first: were pg_restore piped into psql and
        # failed half-way, psql would commit the half it had read.
        with tempfile.TemporaryDirectory(prefix="vestnik-restore-") as scratch:
            script = Path(scratch) / "restore.sql"
            _run(
                [
                    _client("pg_restore"),
                    "--no-owner",
                    "--no-privileges",
                    f"--file={script}",
                    str(source),
                ],
                env=env,
                what=f"Reading {source.name} failed",
            )
            _run(
                [*psql, f"--file={script}"],
                env=env,
                what="PostgreSQL refused the restore, so nothing was changed",
            )


def _database() -> Database:
    return SQLiteDatabase() if _engine_of_connection() == "sqlite" else PostgresDatabase()


# --- media ----------------------------------------------------------------------


def _media_root() -> Path | None:
    """MEDIA_ROOT when media is kept on disk, None when it is in object storage."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location)
    return None


def _media_bucket() -> str:
    storage = storages["default"]
    return str(getattr(storage, "bucket_name", "") or type(storage).__name__)


# Restores stage media inside MEDIA_ROOT under these names: MEDIA_ROOT may be a
# mount point, which cannot be renamed, and renames never cross file systems.
_STAGING_PREFIXES = (".restoring-", ".replaced-")


def _media_files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        top = path.relative_to(root).parts[0]
        if path.is_file() and not top.startswith(_STAGING_PREFIXES):
            yield path


def _archive_media(root: Path, target: Path) -> int:
    count = 0
    with tarfile.open(target, "w") as archive:
        for path in _media_files(root):
            archive.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
            count += 1
    return count


def _check_media_archive(source: Path, expected_files: int) -> None:
    try:
        with tarfile.open(source, "r:") as archive:
            members = archive.getmembers()
    except (tarfile.TarError, EOFError) as exc:
        raise BackupError(f"{source.name} is not a readable tar archive: {exc}") from exc
    files = [member for member in members if member.isfile()]
    if len(files) != expected_files:
        raise BackupError(
            f"{source.name} holds {len(files)} files, the manifest says {expected_files}."
        )
    for member in members:
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"{source.name} contains an unsafe entry: {member.name}")


def _unpack_media(source: Path, root: Path) -> Path:
    """Unpack into a hidden directory inside MEDIA_ROOT, to be swapped in later."""
    staging = root / f"{_STAGING_PREFIXES[0]}{secrets.token_hex(4)}"
    try:
        staging.mkdir(parents=True)
        with tarfile.open(source, "r:") as archive:
            # The "data" filter refuses links, devices and paths outside the target.
            archive.extractall(staging, filter="data")
    except (tarfile.TarError, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(f"Could not unpack {source.name} into {root}: {exc}") from exc
    return staging


def _swap_media(staging: Path, root: Path) -> None:
    previous = root / f"{_STAGING_PREFIXES[1]}{secrets.token_hex(4)}"
    try:
        previous.mkdir()
        for entry in root.iterdir():
            if entry not in (staging, previous):
                entry.rename(previous / entry.name)
        for entry in staging.iterdir():
            entry.rename(root / entry.name)
        staging.rmdir()
    except OSError as exc:
        raise BackupError(
            f"The database is restored, but moving media into {root} failed: {exc}. "
            f"The backup's files are in {staging}, the previous ones in {previous}."
        ) from exc
    shutil.rmtree(previous)


# --- manifest helpers -------------------------------------------------------------


def _sha256(path: Path) -> FileEntry:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return FileEntry(sha256=digest.hexdigest(), bytes=size)


def _vestnik_version() -> str:
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as stream:
            return str(tomllib.load(stream)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _migration_state(manifest: Manifest) -> tuple[list[str], list[str]]:
    """Migrations the backup has and this code lacks; and the reverse (still to apply)."""
    in_backup = {(app, name) for app, names in manifest.migrations.items() for name in names}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.graph.nodes)
    pending = []
    for key in sorted(loader.graph.nodes):
        # A squashed migration counts as applied when everything it replaces was.
        replaced = {tuple(item) for item in loader.graph.nodes[key].replaces}
        known |= replaced
        if key not in in_backup and not (replaced and replaced <= in_backup):
            pending.append(".".join(key))
    unknown = [".".join(key) for key in sorted(in_backup - known)]
    return unknown, pending


def default_backup_directory() -> Path:
    return Path(getattr(settings, "VESTNIK_CORE_BACKUP_DIR", Path(settings.VAR_DIR) / "backups"))


# --- services ------------------------------------------------------------------------


def backup_create(*, destination: Path, now: datetime.datetime | None = None) -> BackupResult:
    """Write a new backup directory under `destination` and return it with its manifest."""
    moment = now or datetime.datetime.now(tz=datetime.UTC)
    database = _database()
    name = NAME_PREFIX + moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    final = destination / name
    if final.exists():
        raise BackupError(f"{final} already exists.")
    partial = destination / f".{name}.partial"
    try:
        destination.mkdir(parents=True, exist_ok=True)
        # The backup holds password hashes and unpublished drafts: owner only.
        partial.mkdir(mode=0o700)
    except OSError as exc:
        raise BackupError(f"Cannot create the backup in {destination}: {exc}") from exc
    try:
        migrations = _applied_migrations()
        # The database first, then media: a file uploaded in between is an extra
        # file, never a missing one.
        database.dump(partial / database.file_name)
        root = _media_root()
        if root is not None:
            media: MediaKind = "archive"
            media_files = _archive_media(root, partial / MEDIA_ARCHIVE)
            location = str(root)
        else:
            media, media_files, location = "object-storage", 0, _media_bucket()
        files = {path.name: _sha256(path) for path in sorted(partial.iterdir()) if path.is_file()}
        manifest = Manifest(
            format=FORMAT,
            created_at=moment.astimezone(datetime.UTC).isoformat(timespec="seconds"),
            vestnik_version=_vestnik_version(),
            database_engine=database.engine,
            database_file=database.file_name,
            migrations=migrations,
            media=media,
            media_location=location,
            media_files=media_files,
            files=files,
        )
        (partial / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
        partial.rename(final)
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise BackupError(f"Writing the backup into {destination} failed: {exc}") from exc
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return BackupResult(path=final, manifest=manifest)


def backup_verify(*, source: Path) -> Manifest:
    """Read a backup's manifest and check every file against it; raise BackupError if not whole."""
    if not source.is_dir():
        raise BackupError(f"{source} is not a backup directory.")
    manifest_path = source / MANIFEST_NAME
    if not manifest_path.is_file():
        raise BackupError(
            f"{source} has no {MANIFEST_NAME}: not a Vestnik backup, or one that did not finish."
        )
    try:
        manifest = Manifest.from_json(manifest_path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise BackupError(f"{MANIFEST_NAME} is not UTF-8 text.") from exc
    for name, expected in manifest.files.items():
        path = source / name
        if not path.is_file():
            raise BackupError(f"{name} is missing from the backup.")
        actual = _sha256(path)
        if actual.bytes != expected.bytes:
            raise BackupError(
                f"{name} is damaged: {actual.bytes} bytes, the manifest says {expected.bytes} "
                "(truncated or overwritten)."
            )
        if actual.sha256 != expected.sha256:
            raise BackupError(f"{name} is damaged: its SHA-256 does not match the manifest.")
    return manifest


def backup_restore(*, source: Path, replace: bool = False) -> RestoreResult:
    """Restore a verified backup into the configured database and MEDIA_ROOT.

    Refuses a database (or MEDIA_ROOT) that already holds data unless `replace`.
    """
    manifest = backup_verify(source=source)
    database = _database()
    if manifest.database_engine != database.engine:
        raise BackupError(
            f"This backup is of a {manifest.database_engine} database and the configured "
            f"database is {database.engine}; restore it into {manifest.database_engine} "
            "(DATABASE_URL)."
        )
    database.check_file(source / manifest.database_file)

    unknown, pending = _migration_state(manifest)
    if unknown:
        raise BackupError(
            f"The backup's database has migrations this version of Vestnik does not know "
            f"({', '.join(unknown[:5])}): it comes from a newer version "
            f"({manifest.vestnik_version}). Install that version to restore it."
        )

    root = _media_root()
    # None when the backup has no media archive, or media is now in object storage.
    media_target = root if manifest.media == "archive" else None
    if media_target is not None:
        _check_media_archive(source / MEDIA_ARCHIVE, manifest.media_files)

    if not replace:
        if not _database_is_empty():
            raise BackupError(
                "The database is not empty. Restore into an empty database, or pass "
                "--force to replace everything in it."
            )
        if media_target is not None and any(_media_files(media_target)):
            raise BackupError(
                f"MEDIA_ROOT ({media_target}) is not empty. Restore into an empty directory, "
                "or pass --force to replace its contents."
            )

    staging = (
        _unpack_media(source / MEDIA_ARCHIVE, media_target) if media_target is not None else None
    )
    try:
        database.restore(source / manifest.database_file, replace=replace)
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    if staging is not None and media_target is not None:
        _swap_media(staging, media_target)
    return RestoreResult(
        manifest=manifest,
        media_restored=staging is not None,
        media_location=str(root) if root is not None else _media_bucket(),
        pending_migrations=pending,
    )
