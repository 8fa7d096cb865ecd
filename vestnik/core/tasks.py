"""Background tasks that retry, and the task results editors see.

Tasks are django-tasks tasks; `TASKS` in settings chooses where they run: in
the request's own process in development and tests (the immediate backend),
in `manage.py db_worker` in production (`django_tasks_db`, one row per run in
the database). A task that may fail for a passing reason — the database
restarting, a network call timing out — is declared with `retrying_task`
instead of `django_tasks.task`:

    from datetime import timedelta
    from vestnik.core.tasks import TRANSIENT_ERRORS, retrying_task

    @retrying_task(attempts=5, backoff=timedelta(seconds=30),
                   retry_on=(*TRANSIENT_ERRORS, MyHTTPError))
    def cache_purge_task(urls: list[str]) -> int:
        ...

    cache_purge_task.enqueue(["https://…/"])   # arguments must be JSON

- Only exceptions in `retry_on` are retried (default `TRANSIENT_ERRORS`); any
  other exception is a bug or bad data, fails at once and stays failed.
- With a backend that can defer (the database backend), a failed attempt
  queues the next one after `backoff`, doubling each time up to
  `max_backoff`, and itself ends FAILED with `RetryScheduled` (its traceback
  shows the original error). The attempt number travels in the kwargs under
  `ATTEMPT_KWARG`; the function never sees it. The last attempt fails with the
  original exception.
- With the immediate backend the attempts run at once, one after another, in
  the same call: nothing to wait for in development, and the result a caller
  gets back is the final one.
- Keep tasks idempotent: an attempt may have done part of its work before it
  failed.

For the admin report (`core.task_admin`): `task_result_state`,
`task_result_error`, `task_result_attempt` read a stored result and
`task_result_requeue` puts a failed one back in the queue.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta
from inspect import iscoroutinefunction
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, task_backends
from django_tasks.base import DEFAULT_TASK_PRIORITY, Task, TaskResultStatus
from django_tasks.signals import task_enqueued

from django.core.exceptions import SuspiciousOperation
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
    models,
    transaction,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_tasks_db.models import DBTaskResult

P = ParamSpec("P")
T = TypeVar("T")

ATTEMPT_KWARG = "_attempt"

# Errors worth another try later: the database or a remote service went away
# for a moment. Not OSError as a whole: a missing file stays missing.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    ConnectionError,
    TimeoutError,
)


class RetryScheduled(Exception):
    """This attempt failed with a transient error; the next one is queued."""


RETRY_SCHEDULED_PATH = f"{RetryScheduled.__module__}.{RetryScheduled.__qualname__}"


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class RetryingTask(Task[P, T]):
    """A task whose transient failures are tried again, with exponential backoff."""

    max_attempts: int = 5
    backoff: timedelta = timedelta(seconds=30)
    max_backoff: timedelta = timedelta(hours=1)
    retry_on: tuple[type[BaseException], ...] = TRANSIENT_ERRORS

    def delay_before(self, attempt: int) -> timedelta:
        """How long attempt `attempt` (2, 3, …) waits after the one before failed."""
        return min(self.backoff * 2 ** max(attempt - 2, 0), self.max_backoff)

    def call(self, *args: P.args, **kwargs: P.kwargs) -> T:
        # Both backends run a task through `call`, with `self` carrying the
        # backend, queue and priority this run was enqueued with.
        arguments: dict[str, Any] = dict(kwargs)
        attempt = int(arguments.pop(ATTEMPT_KWARG, 1))
        backend = self.get_backend()
        while True:
            try:
                return self.func(*args, **arguments)  # type: ignore[arg-type]
            except self.retry_on as error:
                if attempt >= self.max_attempts:
                    raise
                attempt += 1
                if not backend.supports_defer:
                    continue
                run_after = timezone.now() + self.delay_before(attempt)
                if isinstance(error, DatabaseError):
                    _drop_broken_connections()
                backend.enqueue(
                    self.using(run_after=run_after),
                    list(args),
                    {**arguments, ATTEMPT_KWARG: attempt},
                )
                raise RetryScheduled(
                    f"attempt {attempt - 1} of {self.max_attempts} failed "
                    f"({type(error).__name__}: {error}); attempt {attempt} runs after "
                    f"{timezone.localtime(run_after):%Y-%m-%d %H:%M:%S %Z}"
                ) from error


def _drop_broken_connections() -> None:
    # After "server closed the connection" Django keeps the dead connection
    # until someone closes it; close it so the retry is queued on a fresh one.
    # Never inside a transaction: closing would end it under the caller.
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


def retrying_task(
    *,
    attempts: int = 5,
    backoff: timedelta = timedelta(seconds=30),
    max_backoff: timedelta = timedelta(hours=1),
    retry_on: tuple[type[BaseException], ...] = TRANSIENT_ERRORS,
    priority: int = DEFAULT_TASK_PRIORITY,
    queue_name: str = DEFAULT_TASK_QUEUE_NAME,
    backend: str = DEFAULT_TASK_BACKEND_ALIAS,
) -> Callable[[Callable[P, T]], RetryingTask[P, T]]:
    """Declare a task that is tried up to `attempts` times on `retry_on` errors."""
    if attempts < 1:
        raise ValueError("a task needs at least one attempt")
    if backoff <= timedelta(0) or max_backoff < backoff:
        raise ValueError("backoff must be positive and no longer than max_backoff")

    def decorate(func: Callable[P, T]) -> RetryingTask[P, T]:
        if iscoroutinefunction(func):
            raise TypeError("retrying_task runs plain functions, not coroutines")
        return RetryingTask(
            func=func,
            priority=priority,
            queue_name=queue_name,
            backend=backend,
            run_after=None,
            takes_context=False,
            max_attempts=attempts,
            backoff=backoff,
            max_backoff=max_backoff,
            retry_on=retry_on,
        )

    return decorate


# --- Stored results (database backend only) ---------------------------------


def tasks_are_queued(alias: str = DEFAULT_TASK_BACKEND_ALIAS) -> bool:
    """Whether tasks go to the database queue (and so have results to show)."""
    # Deferred: django_tasks_db is installed only where tasks are queued (production).
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends[alias], DatabaseBackend)


class TaskState(models.TextChoices):
    """What an editor needs to know about one stored run."""

    WAITING = "waiting", _("Waiting")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    RETRYING = "retrying", _("Failed, will retry")
    FAILED = "failed", _("Failed")


def task_result_state(result: DBTaskResult) -> TaskState:
    if result.status == TaskResultStatus.FAILED:
        if result.exception_class_path == RETRY_SCHEDULED_PATH:
            return TaskState.RETRYING
        return TaskState.FAILED
    return {
        TaskResultStatus.READY: TaskState.WAITING,
        TaskResultStatus.RUNNING: TaskState.RUNNING,
        TaskResultStatus.SUCCESSFUL: TaskState.SUCCEEDED,
    }[TaskResultStatus(result.status)]


def task_results_in_state(queryset: Any, state: TaskState) -> Any:
    """Narrow a `DBTaskResult` queryset to one `TaskState`."""
    if state is TaskState.RETRYING:
        return queryset.filter(
            status=TaskResultStatus.FAILED, exception_class_path=RETRY_SCHEDULED_PATH
        )
    if state is TaskState.FAILED:
        return queryset.filter(status=TaskResultStatus.FAILED).exclude(
            exception_class_path=RETRY_SCHEDULED_PATH
        )
    status = {
        TaskState.WAITING: TaskResultStatus.READY,
        TaskState.RUNNING: TaskResultStatus.RUNNING,
        TaskState.SUCCEEDED: TaskResultStatus.SUCCESSFUL,
    }[state]
    return queryset.filter(status=status)


def task_result_arguments(result: DBTaskResult) -> tuple[list[Any], dict[str, Any]]:
    """The arguments the task function receives (without the attempt counter)."""
    args_kwargs = result.args_kwargs or {}
    kwargs = dict(args_kwargs.get("kwargs") or {})
    kwargs.pop(ATTEMPT_KWARG, None)
    return list(args_kwargs.get("args") or []), kwargs


def task_result_attempt(result: DBTaskResult) -> tuple[int, int | None]:
    """(this attempt, attempts allowed); the second is None for a task that never retries."""
    kwargs = (result.args_kwargs or {}).get("kwargs") or {}
    attempt = int(kwargs.get(ATTEMPT_KWARG, 1))
    try:
        task = result.task
    except (ImportError, SuspiciousOperation):
        # The task's code may be gone (renamed, removed) since it ran.
        return attempt, None
    return attempt, task.max_attempts if isinstance(task, RetryingTask) else None


def task_result_error(result: DBTaskResult) -> str:
    """«ExceptionClass: message» of a failed run, from its stored traceback.

    For a run whose retry is queued, only the message: it names the original
    error and when the next attempt runs.
    """
    path = result.exception_class_path
    if not path:
        return ""
    # The traceback's last block starts with the class as Python printed it:
    # the dotted path, or the bare name for builtins.
    names = (path, path.rsplit(".", 1)[-1])
    lines = result.traceback.rstrip().splitlines()
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if any(line == name or line.startswith(f"{name}: ") for name in names):
            error = "\n".join(lines[index:]).strip()
            if path == RETRY_SCHEDULED_PATH:
                return error.removeprefix(f"{path}: ")
            return error
    return path


def _task_exists(result: DBTaskResult) -> bool:
    try:
        result.task  # noqa: B018 (imports the task by its stored path)
    except (ImportError, SuspiciousOperation):
        return False
    return True


def task_result_requeue(*, result_id: str) -> bool:
    """Put a failed run back in the queue, to run as soon as a worker is free.

    The same row runs again (django-tasks counts its runs in `worker_ids`),
    from the first attempt of its retries. A run that is not failed, whose retry
    is already queued, or whose task is gone from the code is left alone: False.
    """
    # Deferred: django_tasks_db is installed only where tasks are queued (production).
    from django_tasks_db.models import DBTaskResult, get_date_max

    with transaction.atomic():
        result = (
            DBTaskResult.objects.select_for_update()
            .filter(pk=result_id, status=TaskResultStatus.FAILED)
            .exclude(exception_class_path=RETRY_SCHEDULED_PATH)
            .first()
        )
        if result is None or not _task_exists(result):
            return False
        args, kwargs = task_result_arguments(result)
        result.args_kwargs = {"args": args, "kwargs": kwargs}
        result.status = TaskResultStatus.READY
        result.run_after = get_date_max()
        result.started_at = None
        result.finished_at = None
        result.exception_class_path = ""
        result.traceback = ""
        result.save(
            update_fields=[
                "args_kwargs",
                "status",
                "run_after",
                "started_at",
                "finished_at",
                "exception_class_path",
                "traceback",
            ]
        )
    task_enqueued.send(type(task_backends[result.backend_name]), task_result=result.task_result)
    return True
