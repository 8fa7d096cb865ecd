"""An install of the release before the layered apps upgrades in place and keeps its pages.

`files/vestnik-0.1-demo.sqlite3.gz` is the database `make run` built on that
release (migrations and the demo content, commit 01b319b), with its media
beside it. The models that moved between apps kept their tables; this test
migrates that database with today's code and renders every public page.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

FILES = Path(__file__).resolve().parent / "files"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def old_install(tmp_path: Path) -> dict[str, str]:
    database = tmp_path / "vestnik.sqlite3"
    with gzip.open(FILES / "vestnik-0.1-demo.sqlite3.gz") as packed, database.open("wb") as out:
        shutil.copyfileobj(packed, out)
    with tarfile.open(FILES / "vestnik-0.1-demo-media.tar.gz") as media:
        media.extractall(tmp_path, filter="data")
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="vestnik.settings.dev",
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(tmp_path / "media"),
        VESTNIK_VAR_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT),
    )
    return environment


def _manage(environment: dict[str, str], *arguments: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_the_previous_release_migrates_and_every_page_still_renders(
    old_install: dict[str, str],
) -> None:
    _manage(old_install, "migrate", "--noinput")
    assert "No changes detected" in _manage(old_install, "makemigrations", "--check", "--dry-run")
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("upgrade_render.py"))],
        cwd=ROOT,
        env=old_install,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    # Every page row resolved to its moved class: none fell back to a bare Page.
    assert report["page_types"] == [
        "articles.ArticlePage",
        "articles.BlogPage",
        "site.BlogIndexPage",
        "site.ExpertIndexPage",
        "site.HomePage",
        "site.SectionPage",
    ]
    failures = [row for row in report["results"] if row["status"] != 200 or not row["shows"]]
    assert failures == []
    assert len(report["results"]) > 20
