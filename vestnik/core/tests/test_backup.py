"""`backup` and `restore`: the round trip into an empty database gives the same site.

Each site (the original, the restored ones) is a separate database and MEDIA_ROOT,
driven through `manage.py` and a small page renderer in subprocesses, exactly as an
operator would run them. The database is a fresh SQLite file, or a fresh
PostgreSQL database when the suite runs against PostgreSQL (DATABASE_URL).
"""

from __future__ import annotations

import difflib
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tomllib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from django.conf import settings
from django.core.management import call_command

from vestnik.core.backup import (
    MANIFEST_NAME,
    MEDIA_ARCHIVE,
    BackupError,
    backup_restore,
    backup_verify,
)

from .conftest import S3Bucket

ROOT = Path(settings.BASE_DIR)
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# Content of every kind the restore must bring back: pages in the tree with
# revisions, an image with a rendition, a poll with ballots, the search index.
SEED = r"""
import io, json, django
django.setup()
from PIL import Image
from django.core.files.images import ImageFile
from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.core.models import VestnikImage
from vestnik.site.services import site_setup
from vestnik.polls.factories import poll_with_options, respondent
from vestnik.polls.services import ballot_cast

site_setup()
buffer = io.BytesIO()
Image.new("RGB", (1200, 675), (90, 110, 140)).save(buffer, "JPEG")
image = VestnikImage.objects.create(
    title="Порт Актау", credit="пресс-служба порта", file=ImageFile(buffer, name="port.jpg")
)
poll = poll_with_options("Откроется ли новый маршрут в 2026 году?", results_visibility="always")
options = list(poll.options.order_by("sort_order"))
for number in range(7):
    ballot_cast(poll=poll, option_ids=[options[number % 3].pk], respondent=respondent(number))
blog = expert_with_blog()
article = article_in_blog(
    blog,
    body=[
        ("paragraph", "<p>Транзит через Каспий вырос [^1].</p>"),
        ("image", {"image": image, "caption": "Порт Актау зимой", "credit": "", "alt": ""}),
        ("poll", {"poll": poll, "heading": ""}),
        ("paragraph", "<p>Тарифы [^2] и маршруты.</p>"),
    ],
)
other = article_in_blog(blog, title="Арктика без льда", lead="Северный путь.")
print(json.dumps({
    "urls": [
        "/", article.url, other.url, blog.url, "/en/",
        "/polls/", f"/polls/{poll.pk}/", f"/polls/{poll.pk}/results/",
        "/search/?q=транзит", "/sitemap.xml", "/feeds/articles.rss",
        "/media/" + image.file.name,
    ],
}))
"""

# Renders URLs as an anonymous reader and prints status and body (a digest for
# binary bodies, and without the per-render CSP nonce), plus row counts, as JSON.
RENDER = r"""
import hashlib, json, re, sys, django
django.setup()
from django.test import Client
from vestnik.core.models import VestnikImage, VestnikRendition
from vestnik.polls.models import Ballot
from wagtail.models import Page, Revision

client = Client(SERVER_NAME="localhost")
pages = {}
for url in json.loads(sys.argv[1]):
    response = client.get(url)
    body = b"".join(response) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    text = kind.startswith(("text/", "application/rss", "application/xml", "application/atom"))
    if text:
        # The CSP nonce is new on every render; the page is the same without it.
        body = re.sub(rb' nonce="[^"]*"', b"", body)
    pages[url] = [response.status_code, body.decode() if text else hashlib.sha256(body).hexdigest()]
counts = {
    "pages": Page.objects.count(), "revisions": Revision.objects.count(),
    "images": VestnikImage.objects.count(), "renditions": VestnikRendition.objects.count(),
    "ballots": Ballot.objects.count(),
}
print(json.dumps({"pages": pages, "counts": counts}))
"""


@dataclass(frozen=True)
class Site:
    """One installation: a database and a MEDIA_ROOT, driven through subprocesses."""

    database_url: str
    media_root: Path
    var_dir: Path

    def env(self) -> dict[str, str]:
        inherited = {
            key: value
            for key, value in os.environ.items()
            # Nothing shared between sites: no Redis page cache, no test settings.
            if key not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
            and not key.startswith("AWS_")
        }
        return {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "vestnik.settings.dev",
            "DEBUG": "0",
            "DATABASE_URL": self.database_url,
            "MEDIA_ROOT": str(self.media_root),
            "VESTNIK_VAR_DIR": str(self.var_dir),
            "VESTNIK_PAGE_CACHE": "off",
            "WAGTAILADMIN_BASE_URL": "http://localhost",
        }

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=600,
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("manage.py", *args, check=check)

    def python(self, script: str, *args: str) -> dict[str, object]:
        output = self.run("-c", script, *args).stdout
        return json.loads(output.strip().splitlines()[-1])  # type: ignore[no-any-return]

    def render(self, urls: list[str]) -> dict[str, object]:
        return self.python(RENDER, json.dumps(urls))

    def media_files(self) -> dict[str, str]:
        return {
            path.relative_to(self.media_root).as_posix(): hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
            for path in sorted(self.media_root.rglob("*"))
            if path.is_file()
        }

    def tables(self) -> list[str]:
        """The database's tables, read without Django (an empty database has none)."""
        if self.database_url.startswith("sqlite:"):
            path = Path(self.database_url.removeprefix("sqlite:///"))
            if not path.exists():
                return []
            with sqlite3.connect(path) as db:
                return [row[0] for row in db.execute("SELECT name FROM sqlite_master")]
        import psycopg

        with psycopg.connect(self.database_url) as db:
            rows = db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        return [row[0] for row in rows]


NewSite = Callable[[str], Site]


@pytest.fixture(scope="module")
def new_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewSite]:
    """Makes sites with empty databases; PostgreSQL ones are dropped at the end."""
    created: list[str] = []
    default = settings.DATABASES["default"]

    def admin_connection():  # type: ignore[no-untyped-def]
        import psycopg

        return psycopg.connect(
            host=default["HOST"] or None,
            port=default["PORT"] or None,
            user=default["USER"] or None,
            password=default["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        )

    def make(name: str) -> Site:
        directory = tmp_path_factory.mktemp(f"site-{name}")
        if ON_POSTGRES:
            database = f"vestnik_backup_{name}_{uuid.uuid4().hex[:10]}"
            with admin_connection() as db:
                db.execute(f'CREATE DATABASE "{database}"')
            created.append(database)
            credentials = quote(default["USER"] or "", safe="")
            if default["PASSWORD"]:
                credentials += ":" + quote(default["PASSWORD"], safe="")
            url = (
                f"postgres://{credentials}@{default['HOST'] or '127.0.0.1'}:"
                f"{default['PORT'] or 5432}/{database}"
            )
        else:
            url = f"sqlite:///{directory / 'vestnik.sqlite3'}"
        return Site(database_url=url, media_root=directory / "media", var_dir=directory / "var")

    yield make

    if created:
        with admin_connection() as db:
            for database in created:
                db.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@dataclass(frozen=True)
class Original:
    site: Site
    urls: list[str]
    rendered: dict[str, object]
    backup: Path
    backup_output: str


@pytest.fixture(scope="module")
def original(new_site: NewSite, tmp_path_factory: pytest.TempPathFactory) -> Original:
    site = new_site("original")
    site.manage("migrate", "--noinput", "-v", "0")
    urls: list[str] = site.python(SEED)["urls"]  # type: ignore[assignment]
    # Rendering first makes the renditions, so they are part of what is backed up.
    rendered = site.render(urls)
    backups = tmp_path_factory.mktemp("backups")
    result = site.manage("backup", "--output", str(backups))
    path = Path(result.stdout.strip().splitlines()[-1])
    return Original(
        site=site, urls=urls, rendered=rendered, backup=path, backup_output=result.stdout
    )


def assert_same_site(restored: Site, original: Original) -> None:
    # The original is rendered again beside the restored site, so both renders
    # run the same code even if the tree changes while the suite runs.
    now = original.site.render(original.urls)
    assert now["counts"] == original.rendered["counts"]
    again = restored.render(original.urls)
    before: dict[str, list[object]] = now["pages"]  # type: ignore[assignment]
    after: dict[str, list[object]] = again["pages"]  # type: ignore[assignment]
    for url in original.urls:
        assert before[url][0] == 200, (url, before[url])
        if after[url] != before[url]:
            diff = difflib.unified_diff(
                str(before[url][1]).splitlines(), str(after[url][1]).splitlines(), lineterm=""
            )
            pytest.fail(f"{url} differs after the restore:\n" + "\n".join(list(diff)[:60]))
    assert again["counts"] == now["counts"]


def test_a_backup_restored_into_an_empty_database_serves_the_same_site(
    original: Original, new_site: NewSite
) -> None:
    counts: dict[str, int] = original.rendered["counts"]  # type: ignore[assignment]
    assert counts["ballots"] == 7
    assert counts["renditions"] >= 3

    manifest = json.loads((original.backup / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["database_engine"] == ("postgresql" if ON_POSTGRES else "sqlite")
    with (ROOT / "pyproject.toml").open("rb") as pyproject:
        assert manifest["vestnik_version"] == tomllib.load(pyproject)["project"]["version"]
    assert "0001_initial" in manifest["migrations"]["polls"]
    assert manifest["media"] == "archive"
    assert manifest["media_files"] == len(original.site.media_files())
    assert set(manifest["files"]) == {manifest["database_file"], MEDIA_ARCHIVE}
    for name, entry in manifest["files"].items():
        data = (original.backup / name).read_bytes()
        assert entry == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert "Media: " in original.backup_output
    assert not list(original.backup.parent.glob(".*.partial"))

    restored = new_site("restored")
    assert restored.tables() == []
    result = restored.manage("restore", str(original.backup))
    assert "Restore complete." in result.stdout
    assert "migrate" not in result.stdout  # same code: no migration is pending

    assert restored.media_files() == original.site.media_files()
    assert_same_site(restored, original)


def test_restore_refuses_a_database_with_data_unless_forced(
    original: Original, new_site: NewSite
) -> None:
    site = new_site("forced")
    site.manage("migrate", "--noinput", "-v", "0")  # a fresh install already holds rows

    refused = site.manage("restore", str(original.backup), check=False)
    assert refused.returncode == 1
    assert "The database is not empty" in refused.stderr
    assert "--force" in refused.stderr

    site.manage("restore", str(original.backup), "--force")
    assert site.media_files() == original.site.media_files()
    assert_same_site(site, original)


def test_a_truncated_backup_is_refused_before_anything_is_touched(
    original: Original, new_site: NewSite, tmp_path: Path
) -> None:
    damaged = tmp_path / original.backup.name
    shutil.copytree(original.backup, damaged)
    manifest = json.loads((damaged / MANIFEST_NAME).read_text(encoding="utf-8"))
    database_file = damaged / manifest["database_file"]
    with database_file.open("r+b") as stream:
        stream.truncate(database_file.stat().st_size // 2)

    site = new_site("damaged")
    refused = site.manage("restore", str(damaged), check=False)
    assert refused.returncode == 1
    assert f"{manifest['database_file']} is damaged" in refused.stderr
    assert "truncated" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert site.tables() == []
    assert not site.media_root.exists() or site.media_files() == {}


@pytest.mark.django_db
def test_a_backup_from_a_newer_version_is_refused(original: Original, tmp_path: Path) -> None:
    newer = tmp_path / "newer"
    shutil.copytree(original.backup, newer)
    manifest = json.loads((newer / MANIFEST_NAME).read_text(encoding="utf-8"))
    manifest["migrations"]["polls"].append("0999_from_the_future")
    (newer / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BackupError, match=r"polls\.0999_from_the_future.*newer version"):
        backup_restore(source=newer)


def test_verification_names_what_is_wrong(original: Original, tmp_path: Path) -> None:
    damaged = tmp_path / "backup"
    shutil.copytree(original.backup, damaged)
    assert backup_verify(source=damaged).media_files == len(original.site.media_files())

    # The same size, one byte different: only the checksum can tell.
    archive = damaged / MEDIA_ARCHIVE
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    with pytest.raises(BackupError, match=re.escape("media.tar is damaged: its SHA-256")):
        backup_verify(source=damaged)

    archive.unlink()
    with pytest.raises(BackupError, match=re.escape("media.tar is missing")):
        backup_verify(source=damaged)

    (damaged / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(BackupError, match=re.escape("manifest.json is unreadable")):
        backup_verify(source=damaged)

    (damaged / MANIFEST_NAME).unlink()
    with pytest.raises(BackupError, match=re.escape("no manifest.json")):
        backup_verify(source=damaged)

    with pytest.raises(BackupError, match="is not a backup directory"):
        backup_verify(source=tmp_path / "nowhere")


@pytest.mark.django_db
def test_media_in_object_storage_is_named_not_pretended(s3_media: S3Bucket, tmp_path: Path) -> None:
    output = io.StringIO()
    call_command("backup", "--output", str(tmp_path), stdout=output)
    lines = output.getvalue().splitlines()
    backup = Path(lines[-1])
    manifest = backup_verify(source=backup)
    assert manifest.media == "object-storage"
    assert manifest.media_location == s3_media.name
    assert manifest.media_files == 0
    assert sorted(path.name for path in backup.iterdir()) == sorted(
        [MANIFEST_NAME, manifest.database_file]
    )
    assert any(
        f"Media: in object storage ({s3_media.name}), NOT in this backup" in line for line in lines
    )
