"""The core app in the Wagtail admin: the «Background tasks» report."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.models import Permission
from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from vestnik.core import task_admin


@hooks.register("register_admin_urls")
def register_task_urls() -> list[URLPattern | URLResolver]:
    return [
        path(
            "background-tasks/",
            include((task_admin.urlpatterns, "vestnik_tasks"), namespace="vestnik_tasks"),
        )
    ]


@hooks.register("register_reports_menu_item")
def register_tasks_menu_item() -> Any:
    return task_admin.TasksMenuItem(
        _("Background tasks"),
        reverse("vestnik_tasks:index"),
        name="background-tasks",
        icon_name="cogs",
        order=1300,
    )


@hooks.register("register_permissions")
def register_task_permissions() -> QuerySet[Permission]:
    # «Can change Task Result» is what «Retry» asks for; the group form offers
    # it only where the queue's app (and so the permission) exists.
    if not apps.is_installed("django_tasks_db"):
        return Permission.objects.none()
    return Permission.objects.filter(
        content_type__app_label="django_tasks_database", codename="change_dbtaskresult"
    )
