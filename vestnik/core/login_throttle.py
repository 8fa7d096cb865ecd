"""The admin login throttle (django-axes): the refusal readers see, and lifting a lockout.

After `AXES_FAILURE_LIMIT` wrong passwords for one username from one client
address (`core.client_address`, the same rule as the polls' rate window) the
login is refused for `AXES_COOLOFF_TIME`. Keyed on username *and* address: a
stranger guessing an editor's password locks out only their own address, and
the editor still signs in from theirs.

Lifting a lockout only allows more password attempts, so any editor (anyone who
may publish pages) may do it, under Reports → «Заблокированные входы»; so may
a user given «Can delete access attempt» on the group form. From a shell:
`manage.py axes_reset_username USERNAME`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import page_permission_policy

LIFT_PERMISSION = "axes.delete_accessattempt"


def cooloff() -> timedelta:
    # settings/base.py sets a timedelta; axes would also accept hours as a number.
    value = settings.AXES_COOLOFF_TIME
    return value if isinstance(value, timedelta) else timedelta(hours=float(value))


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """axes' AXES_LOCKOUT_CALLABLE: a page in Russian and English, status 429."""
    minutes = int(cooloff().total_seconds() // 60)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return render(
        request,
        "wagtailadmin/login_locked.html",
        {"username": username, "minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


def user_can_lift_lockouts(user: Any) -> bool:
    if not user.is_active:
        return False
    return bool(
        user.is_superuser
        or page_permission_policy.user_has_permission(user, "publish")
        or user.has_perm(LIFT_PERMISSION)
    )


def current_lockouts() -> QuerySet[AccessAttempt]:
    """Username and address pairs refused now: at the limit, within the cool-off."""
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=timezone.now() - cooloff(),
    ).order_by("-attempt_time")


class LockoutsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "wagtailadmin/login_lockouts.html"
    header_icon = "lock"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not user_can_lift_lockouts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return gettext("Locked-out logins")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "lockouts": current_lockouts()}


@require_POST
def lockout_lift(request: HttpRequest, attempt_id: int) -> HttpResponse:
    if not user_can_lift_lockouts(request.user):
        raise PermissionDenied
    attempt = get_object_or_404(AccessAttempt, pk=attempt_id)
    reset(username=attempt.username, ip=attempt.ip_address)
    messages.success(
        request,
        gettext("“%(username)s” may sign in again from %(address)s.")
        % {"username": attempt.username, "address": attempt.ip_address},
    )
    return HttpResponseRedirect(reverse("vestnik_lockouts:index"))


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return user_can_lift_lockouts(request.user)


urlpatterns = [
    path("", LockoutsView.as_view(), name="index"),
    path("<int:attempt_id>/lift/", lockout_lift, name="lift"),
]
