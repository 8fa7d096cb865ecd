"""«Фоновые задачи»: the task worker's results in the Wagtail admin (Reports).

Editors see what ran, what is waiting and what failed — with the error and,
on a run's own page, the traceback — and may put a failed run back in the
queue. Results exist only with the database backend (`django_tasks_db`);
with the immediate backend tasks run inside the request and the page says so.

Who: the report is for editors (anyone who may publish pages) and
superusers; «Retry» needs superuser rights or the «Can change Task Result»
permission (`django_tasks_database.change_dbtaskresult`, offered on the group
form in Settings → Groups).

The views stay thin: state, error text and requeueing live in `core.tasks`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import django_filters

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.permissions import page_permission_policy

from vestnik.core.tasks import (
    TaskState,
    task_result_arguments,
    task_result_attempt,
    task_result_error,
    task_result_requeue,
    task_result_state,
    task_results_in_state,
    tasks_are_queued,
)

if TYPE_CHECKING:
    from django_tasks_db.models import DBTaskResult

RETRY_PERMISSION = "django_tasks_database.change_dbtaskresult"


def user_can_view_tasks(user: Any) -> bool:
    if not user.is_active:
        return False
    return bool(
        user.is_superuser
        or page_permission_policy.user_has_permission(user, "publish")
        or user.has_perm(RETRY_PERMISSION)
    )


def user_can_retry_tasks(user: Any) -> bool:
    return bool(user.is_active and (user.is_superuser or user.has_perm(RETRY_PERMISSION)))


def _arguments_display(result: DBTaskResult) -> str:
    args, kwargs = task_result_arguments(result)
    shown = [json.dumps(value, ensure_ascii=False) for value in args]
    shown += [f"{name}={json.dumps(value, ensure_ascii=False)}" for name, value in kwargs.items()]
    return ", ".join(shown)


def _attempt_display(result: DBTaskResult) -> str:
    attempt, allowed = task_result_attempt(result)
    if allowed is None:
        return str(attempt)
    return gettext("%(attempt)d of %(allowed)d") % {"attempt": attempt, "allowed": allowed}


def _error_line(result: DBTaskResult) -> str:
    error = task_result_error(result)
    return Truncator(error.splitlines()[0] if error else "").chars(160)


class TaskStateFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=TaskState.choices,
        method="filter_state",
        empty_label=_("All"),
    )

    def filter_state(self, queryset: Any, name: str, value: str) -> Any:
        return task_results_in_state(queryset, TaskState(value))


class TaskResultsReportView(ReportView):
    page_title = _("Background tasks")
    header_icon = "cogs"
    results_template_name = "wagtailadmin/tasks/index_results.html"
    filterset_class = TaskStateFilterSet
    index_url_name = "vestnik_tasks:index"
    index_results_url_name = "vestnik_tasks:index_results"
    default_ordering = "-enqueued_at"
    verbose_name_plural = _("task runs")
    columns = [
        TitleColumn(
            "task_name",
            label=_("Task"),
            get_url=lambda result: reverse("vestnik_tasks:detail", args=[result.pk]),
        ),
        StatusTagColumn(
            "state",
            label=_("Status"),
            accessor=lambda result: task_result_state(result).label,
            primary=lambda result: task_result_state(result) is TaskState.FAILED,
        ),
        Column("arguments", label=_("Arguments"), accessor=_arguments_display),
        Column("attempt", label=_("Attempt"), accessor=_attempt_display),
        DateColumn("enqueued_at", label=_("Enqueued"), sort_key="enqueued_at"),
        DateColumn("finished_at", label=_("Finished"), sort_key="finished_at"),
        Column("error", label=_("Error"), accessor=_error_line),
    ]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not user_can_view_tasks(request.user):
            raise PermissionDenied
        if not tasks_are_queued():
            return _in_process(request)
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self) -> Any:
        # Deferred: django_tasks_db is installed only where tasks are queued (production).
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.all()

    def get_filterset_kwargs(self) -> dict[str, Any]:
        # The model is known only once the queue's app is (see dispatch).
        return {**super().get_filterset_kwargs(), "queryset": self.get_base_queryset()}


def _in_process(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "wagtailadmin/tasks/in_process.html",
        {"header_title": gettext("Background tasks")},
    )


class TaskResultDetailView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "wagtailadmin/tasks/detail.html"
    header_icon = "cogs"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not user_can_view_tasks(request.user):
            raise PermissionDenied
        if not tasks_are_queued():
            return _in_process(request)
        # Deferred: django_tasks_db is installed only where tasks are queued (production).
        from django_tasks_db.models import DBTaskResult

        result = DBTaskResult.objects.filter(pk=kwargs["result_id"]).first()
        if result is None:
            raise Http404
        self.result = result
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return str(self.result.task_name)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("vestnik_tasks:index"), "label": gettext("Background tasks")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        result = self.result
        state = task_result_state(result)
        context.update(
            result=result,
            state=state,
            failed=state is TaskState.FAILED,
            arguments=_arguments_display(result),
            attempt=_attempt_display(result),
            error=task_result_error(result),
            can_retry=state is TaskState.FAILED and user_can_retry_tasks(self.request.user),
        )
        return context


@require_POST
def task_result_retry(request: HttpRequest, result_id: str) -> HttpResponse:
    if not user_can_retry_tasks(request.user):
        raise PermissionDenied
    if not tasks_are_queued():
        raise Http404
    if task_result_requeue(result_id=str(result_id)):
        messages.success(request, gettext("The task is back in the queue."))
    else:
        messages.error(
            request, gettext("Only a failed task whose code still exists can be retried.")
        )
    return HttpResponseRedirect(reverse("vestnik_tasks:detail", args=[result_id]))


class TasksMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return user_can_view_tasks(request.user)


urlpatterns = [
    path("", TaskResultsReportView.as_view(), name="index"),
    path("results/", TaskResultsReportView.as_view(results_only=True), name="index_results"),
    path("<uuid:result_id>/", TaskResultDetailView.as_view(), name="detail"),
    path("<uuid:result_id>/retry/", task_result_retry, name="retry"),
]
