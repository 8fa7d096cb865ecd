"""Background tasks: retries through the real database queue and worker, and the editors' report.

The database tests switch `TASKS` to `django_tasks_db.DatabaseBackend` (its
table is in the test database, see settings/test.py) and run the worker the
way production does, `manage.py db_worker`, in batch mode. They are
transactional because the worker commits and checks its connection between
tasks, as it must in production.
"""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from vestnik.core.tasks import (
    ATTEMPT_KWARG,
    RETRY_SCHEDULED_PATH,
    RetryingTask,
    TaskState,
    retrying_task,
    task_result_error,
    task_result_state,
)
from vestnik.insights.tasks import insights_extract_task
from vestnik.site.services import EDITORS_GROUP, site_setup

BACKOFF = timedelta(seconds=60)

_calls: Counter[str] = Counter()
_broken: set[str] = set()


@retrying_task(attempts=3, backoff=BACKOFF)
def flaky_task(key: str, failures: int) -> str:
    """Fails `failures` times as if the database had gone away, then succeeds."""
    _calls[key] += 1
    if _calls[key] <= failures:
        raise OperationalError(f"simulated outage {_calls[key]} for {key}")
    return f"{key} done on call {_calls[key]}"


@retrying_task(attempts=3, backoff=BACKOFF)
def broken_until_fixed_task(key: str) -> str:
    if key in _broken:
        raise OperationalError(f"server closed the connection unexpectedly ({key})")
    return f"{key} fixed"


@retrying_task(attempts=3, backoff=BACKOFF)
def bad_data_task(value: str) -> int:
    return int(value)


@retrying_task(attempts=1, backoff=BACKOFF)
def add_numbers_task(a: int, b: int) -> int:
    return a + b


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_queue(settings: Any, transactional_db: None) -> Iterator[None]:
    settings.TASKS = DB_TASKS
    yield


def run_worker() -> str:
    """One `db_worker --batch` run: every task that is due, then exit."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    out = io.StringIO()
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=out, stderr=out)
    finally:
        # The worker installs its own shutdown handlers; give pytest its own back.
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    return out.getvalue()


def results_in_order() -> list[Any]:
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.order_by("enqueued_at"))


def let_retries_fall_due() -> None:
    """Stand in for waiting out the backoff: queued retries become due now."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_transient_failures_are_retried_by_the_worker_with_backoff(db_queue: None) -> None:
    flaky_task.enqueue("twice", 2)

    run_worker()
    first, second = results_in_order()
    assert task_result_state(first) is TaskState.RETRYING
    assert first.exception_class_path == RETRY_SCHEDULED_PATH
    assert "simulated outage 1 for twice" in task_result_error(first)
    assert "attempt 1 of 3 failed" in task_result_error(first)
    assert second.status == "READY"
    assert second.args_kwargs == {"args": ["twice", 2], "kwargs": {ATTEMPT_KWARG: 2}}
    assert BACKOFF - timedelta(seconds=5) < second.run_after - second.enqueued_at <= BACKOFF

    # Not due yet: a worker passing by leaves it alone.
    run_worker()
    assert [result.status for result in results_in_order()] == ["FAILED", "READY"]

    let_retries_fall_due()
    run_worker()
    third = results_in_order()[2]
    assert task_result_state(results_in_order()[1]) is TaskState.RETRYING
    # The backoff doubles.
    assert 2 * BACKOFF - timedelta(seconds=5) < third.run_after - third.enqueued_at <= 2 * BACKOFF

    let_retries_fall_due()
    run_worker()
    results = results_in_order()
    assert [task_result_state(result) for result in results] == [
        TaskState.RETRYING,
        TaskState.RETRYING,
        TaskState.SUCCEEDED,
    ]
    assert results[2].return_value == "twice done on call 3"
    assert _calls["twice"] == 3


@pytest.mark.django_db(transaction=True)
def test_a_task_that_keeps_failing_gives_up_after_its_attempts(db_queue: None) -> None:
    flaky_task.enqueue("always", 99)
    for _attempt in range(3):
        run_worker()
        let_retries_fall_due()
    run_worker()

    results = results_in_order()
    assert len(results) == 3
    assert [task_result_state(result) for result in results] == [
        TaskState.RETRYING,
        TaskState.RETRYING,
        TaskState.FAILED,
    ]
    last = results[-1]
    assert last.exception_class_path == "django.db.utils.OperationalError"
    assert task_result_error(last) == (
        "django.db.utils.OperationalError: simulated outage 3 for always"
    )
    assert _calls["always"] == 3


@pytest.mark.django_db(transaction=True)
def test_errors_that_are_not_transient_fail_at_once(db_queue: None) -> None:
    bad_data_task.enqueue("not a number")
    run_worker()

    (result,) = results_in_order()
    assert task_result_state(result) is TaskState.FAILED
    assert task_result_error(result).startswith("ValueError: invalid literal for int()")


@pytest.mark.django_db(transaction=True)
def test_insight_extraction_runs_in_the_worker(db_queue: None) -> None:
    assert isinstance(insights_extract_task, RetryingTask)
    insights_extract_task.enqueue(987654)  # no such page: the task finds nothing to read
    output = run_worker()

    (result,) = results_in_order()
    assert result.status == "SUCCESSFUL", output
    assert result.return_value == {"entities": 0, "events": 0, "figures": 0}


def test_the_immediate_backend_retries_in_the_same_call() -> None:
    result = flaky_task.enqueue("inline", 2)

    assert result.status == "SUCCESSFUL"
    assert result.return_value == "inline done on call 3"

    gives_up = flaky_task.enqueue("inline-always", 99)
    assert gives_up.status == "FAILED"
    assert gives_up.errors[0].exception_class_path == "django.db.utils.OperationalError"
    assert _calls["inline-always"] == 3


def test_retrying_task_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="at least one attempt"):
        retrying_task(attempts=0)
    with pytest.raises(ValueError, match="backoff"):
        retrying_task(backoff=timedelta(0))


# --- The report in the Wagtail admin ------------------------------------------


def _users() -> tuple[Any, Any, Any]:
    site_setup()
    user_model = get_user_model()
    editor = user_model.objects.create_user("editor", password="x")
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    admin = user_model.objects.create_superuser("boss", password="x")
    reader = user_model.objects.create_user("reader", password="x")
    return editor, admin, reader


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_editors_see_failed_tasks_and_a_superuser_retries_them(db_queue: None) -> None:
    editor, admin, reader = _users()
    _broken.add("feed")
    broken_until_fixed_task.enqueue("feed")
    flaky_task.enqueue("report", 1)
    for _attempt in range(3):
        run_worker()
        let_retries_fall_due()
    failed = results_in_order()
    failed_run = next(r for r in failed if task_result_state(r) is TaskState.FAILED)
    assert failed_run.task_path.endswith("broken_until_fixed_task")

    # The report, filtered to what needs a look.
    page = _client(editor).get("/admin/background-tasks/", {"state": "failed"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "broken_until_fixed_task" in html
    assert "OperationalError: server closed the connection unexpectedly (feed)" in html
    assert "flaky_task" not in html  # it recovered; «Failed, will retry» rows are not «Failed»
    everything = _client(editor).get("/admin/background-tasks/").content.decode()
    assert "flaky_task" in everything
    assert "Фоновые задачи" in everything or "Background tasks" in everything

    detail_url = f"/admin/background-tasks/{failed_run.pk}/"
    detail = _client(editor).get(detail_url)
    assert detail.status_code == 200
    assert "Traceback (most recent call last)" in detail.content.decode()
    assert "data-task-traceback" in detail.content.decode()
    assert 'action="' + detail_url + 'retry/"' not in detail.content.decode()

    # Readers without publishing rights see nothing; editors may not retry.
    assert _client(reader).get("/admin/background-tasks/").status_code in {302, 403}
    # (Wagtail turns PermissionDenied into a redirect with a message.)
    refused = _client(editor).post(detail_url + "retry/")
    assert refused.status_code == 302
    assert refused["Location"] != detail_url
    failed_run.refresh_from_db()
    assert failed_run.status == "FAILED"

    assert 'action="' + detail_url + 'retry/"' in _client(admin).get(detail_url).content.decode()
    # The permission an administrator grants on the group form does the same.
    operator = get_user_model().objects.create_user("operator", password="x")
    operator.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_dbtaskresult"),
    )
    assert 'action="' + detail_url + 'retry/"' in _client(operator).get(detail_url).content.decode()
    _broken.discard("feed")
    response = _client(admin).post(detail_url + "retry/")
    assert response.status_code == 302
    failed_run.refresh_from_db()
    assert failed_run.status == "READY"
    assert failed_run.exception_class_path == ""

    run_worker()
    failed_run.refresh_from_db()
    assert failed_run.status == "SUCCESSFUL"
    assert failed_run.return_value == "feed fixed"
    assert len(failed_run.worker_ids) == 2  # django-tasks counts the runs of the row

    # Only a failed run can be put back.
    assert _client(admin).post(detail_url + "retry/").status_code == 302
    failed_run.refresh_from_db()
    assert failed_run.status == "SUCCESSFUL"


@pytest.mark.django_db
def test_with_the_immediate_backend_the_report_says_tasks_run_in_process() -> None:
    editor, _admin, reader = _users()
    page = _client(editor).get("/admin/background-tasks/")
    assert page.status_code == 200
    assert "data-tasks-in-process" in page.content.decode()
    assert _client(reader).get("/admin/background-tasks/").status_code in {302, 403}


@pytest.mark.django_db
def test_the_report_is_under_reports_for_editors_only() -> None:
    editor, _admin, reader = _users()
    dashboard = _client(editor).get("/admin/").content.decode()
    assert "/admin/background-tasks/" in dashboard
    reader.groups.add(Group.objects.get(name="Авторы"))
    assert "/admin/background-tasks/" not in _client(reader).get("/admin/").content.decode()


# --- The worker as production starts it ----------------------------------------


def _production_env(database: Path) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "vestnik.settings.production",
        "SECRET_KEY": "w" * 20 + "-production-secret-for-the-worker-test-0123456789",
        "ALLOWED_HOSTS": "vestnik.example.org",
        "DATABASE_URL": f"sqlite:///{database}",
    }


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_the_worker_runs_a_queued_task_with_production_settings(tmp_path: Path) -> None:
    env = _production_env(tmp_path / "worker.sqlite3")

    usage = _manage(env, "db_worker", "--help")
    assert usage.returncode == 0, usage.stderr
    assert "--batch" in usage.stdout

    migrated = _manage(env, "migrate", "django_tasks_database", "--noinput")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    enqueue = (
        "from vestnik.core.tests.test_tasks import add_numbers_task; "
        "print(add_numbers_task.enqueue(2, 3).id)"
    )
    queued = _manage(env, "shell", "-c", enqueue)
    assert queued.returncode == 0, queued.stderr
    result_id = queued.stdout.strip().splitlines()[-1]

    worker = _manage(env, "db_worker", "--batch", "--no-startup-delay")
    assert worker.returncode == 0, worker.stdout + worker.stderr

    with sqlite3.connect(tmp_path / "worker.sqlite3") as connection:
        status, value = connection.execute(
            "SELECT status, return_value FROM django_tasks_database_dbtaskresult"
        ).fetchone()
    assert (status, json.loads(value)) == ("SUCCESSFUL", 5), worker.stdout + worker.stderr
    assert result_id
