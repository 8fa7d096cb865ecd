"""Newsletters in the Wagtail admin: one «Newsletters» menu with «Mailings» and «Subscribers».

Editors only: the menu and every view check the newsletters' permissions,
which `site.services.editorial_groups_ensure` grants the editors' group and
nobody else (authors see neither the menu nor the addresses).

Subscribers are readers' personal data: listed, searched, exported and, on a
reader's request, deleted; never added or edited here (readers manage their
own through the links in every message).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.coreutils import multigetattr
from wagtail.permission_policies import ModelPermissionPolicy

from vestnik.newsletters import admin_views
from vestnik.newsletters.models import Subscriber
from vestnik.newsletters.selectors import follows_summary, subscribers_with_follows


class _MailingsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(admin_views.VIEW_PERMISSION))


class MailingViewSet(ViewSet):
    name = admin_views.URL
    url_prefix = "newsletters/mailings"
    icon = "mail"
    menu_label = _("Mailings")
    menu_name = "newsletters-mailings"

    @property
    def menu_item_class(self) -> type[MenuItem]:
        return _MailingsMenuItem

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", admin_views.mailing_index, name="index"),
            path("special/new/", admin_views.special_create, name="add"),
            path("<int:pk>/", admin_views.mailing_detail, name="detail"),
            path("<int:pk>/edit/", admin_views.special_edit, name="edit"),
            path("<int:pk>/preview/", admin_views.special_preview, name="preview"),
            path("<int:pk>/message/", admin_views.special_message, name="message"),
            path("<int:pk>/test/", admin_views.special_test, name="test"),
            path("<int:pk>/schedule/", admin_views.special_schedule, name="schedule"),
            path("<int:pk>/unschedule/", admin_views.special_unschedule, name="unschedule"),
        ]


class SubscriberPermissionPolicy(ModelPermissionPolicy):
    """Nobody adds or edits an address in the admin, superusers included."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        if action in ("add", "change"):
            return False
        return bool(super().user_has_permission(user, action))

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)


class SubscriberIndexView(IndexView):  # type: ignore[misc]
    # Wagtail 7's ModelViewSet never calls a viewset's `get_queryset`: the view's own base.
    def get_base_queryset(self) -> Any:
        return subscribers_with_follows()

    # «follows» is no attribute: the summary of the counts `subscribers_with_follows` annotates.
    def to_row_dict(self, item: Any) -> Any:
        return {
            field: follows_summary(item) if field == "follows" else multigetattr(item, field)
            for field in self.list_export
        }


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    index_view_class = SubscriberIndexView
    icon = "user"
    menu_label = _("Subscribers")
    url_prefix = "newsletters/subscribers"
    list_display = [
        "email",
        "language",
        "status",
        "confirmed_at",
        "failure_count",
        Column("follows", label=_("Follows"), accessor=follows_summary),
    ]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    list_export = [
        "email",
        "language",
        "status",
        "created_at",
        "confirmed_at",
        "failure_count",
        "last_failure",
        "follows",
    ]
    export_headings = {"follows": _("Follows")}
    export_filename = "subscribers"
    form_fields = ["language"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "email",
        "language",
        "status",
        "created_at",
        "confirmed_at",
        "failure_count",
        "last_failure",
    ]

    @cached_property
    def permission_policy(self) -> SubscriberPermissionPolicy:
        return SubscriberPermissionPolicy(self.model)


class NewslettersGroup(ViewSetGroup):
    items = (MailingViewSet, SubscriberViewSet("newsletters_subscribers"))
    menu_label = _("Newsletters")
    menu_icon = "mail"
    menu_order = 270


@hooks.register("register_admin_viewset")
def register_newsletters_viewsets() -> NewslettersGroup:
    return NewslettersGroup()
