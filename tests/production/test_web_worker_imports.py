"""A web worker never loads natasha: only the task worker extracts insights.

Every public page is rendered in a fresh process (the renderer of the upgrade
test, vestnik/site/tests/upgrade_render.py) against a copy of this test's
database; natasha and its models must not be among the modules it imported.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from django.db import connection

from tests.harness import ROOT
from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.polls.factories import poll_with_options
from vestnik.site.services import site_setup

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# pymorphy3 is not among them: the search and the name forms (core.morphology) use it.
NATASHA = ("natasha", "navec", "slovnet", "yargy")
RENDER = (
    "import json, runpy, sys;"
    "runpy.run_path('vestnik/site/tests/upgrade_render.py', run_name='__main__');"
    f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {NATASHA!r})))"
)


def _database_url(tmp_path: Path) -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        copy = tmp_path / "db.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(copy) as target:
            connection.connection.backup(target)
        return f"sqlite:///{copy}"
    user = settings["USER"] or "postgres"
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{user}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


def test_rendering_every_page_type_never_imports_natasha(tmp_path: Path) -> None:
    site_setup()
    blog = expert_with_blog()
    article_in_blog(blog, title="Анкара наращивает оборонный заказ")
    poll_with_options()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vestnik.settings.dev",
        "DATABASE_URL": _database_url(tmp_path),
        # A web worker hands extraction to the task worker; nothing runs in-process.
        "VESTNIK_TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "VESTNIK_VAR_DIR": str(tmp_path),
    }
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", RENDER],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    report, loaded = json.loads(lines[-2]), json.loads(lines[-1])
    assert [row for row in report["results"] if row["status"] != 200] == []
    assert "articles.ArticlePage" in report["page_types"]
    assert loaded == []
