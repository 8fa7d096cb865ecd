"""The core app in the Wagtail admin: background tasks, locked-out logins, the review rule."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.auth import permission_denied

from vestnik.core import login_throttle, review, task_admin


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


@hooks.register("register_admin_urls")
def register_lockout_urls() -> list[URLPattern | URLResolver]:
    return [
        path(
            "login-lockouts/",
            include((login_throttle.urlpatterns, "vestnik_lockouts"), namespace="vestnik_lockouts"),
        )
    ]


@hooks.register("register_reports_menu_item")
def register_lockouts_menu_item() -> Any:
    return login_throttle.LockoutsMenuItem(
        _("Locked-out logins"),
        reverse("vestnik_lockouts:index"),
        name="login-lockouts",
        icon_name="lock",
        order=1310,
    )


@hooks.register("register_permissions")
def register_lockout_permissions() -> QuerySet[Permission]:
    # Offered on the group form for users who are not editors but should lift lockouts.
    return Permission.objects.filter(
        content_type__app_label="axes", codename="delete_accessattempt"
    )


@hooks.register("before_edit_page")
def say_who_publishes(request: HttpRequest, page: Any) -> None:
    # On GET only: a message added while handling a POST would show on the next page too.
    notice = review.edit_notice(page, request.user) if request.method == "GET" else None
    if notice:
        messages.info(request, notice)


@hooks.register("before_create_page")
def say_who_publishes_new(request: HttpRequest, parent: Any, page_class: type) -> None:
    notice = (
        review.create_notice(parent, page_class, request.user) if request.method == "GET" else None
    )
    if notice:
        messages.info(request, notice)


@hooks.register("before_publish_page")
def refuse_unreviewed_publishing(request: HttpRequest, page: Any) -> HttpResponse | None:
    # The edit view publishes without asking again once the user's revision is
    # saved; the revision stays as a draft, the page stays as it was.
    refusal = review.publish_refusal(page, request.user)
    if refusal is None:
        return None
    messages.error(request, refusal)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_move_page")
def refuse_moves_the_user_may_not_make(
    request: HttpRequest, page: Any, destination: Any
) -> HttpResponse | None:
    # Wagtail's move confirmation checks rights only when the move is posted, so
    # its GET showed any admin user the title of any page (another author's draft)
    # and of any destination; refuse it the way every other page view does.
    if page.permissions_for_user(request.user).can_move_to(destination):
        return None
    return permission_denied(request)
