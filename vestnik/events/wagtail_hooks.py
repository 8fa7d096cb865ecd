"""Registrations in the Wagtail admin: a list per event, filterable, exportable as CSV.

Editors open and close registration on the event page itself (its
"Registration" panel); here they read who registered. Rows are made only by
readers: there is no "add", and the edit form changes only what a reader
might ask to have corrected.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from vestnik.events.models import Registration


class RegistrationViewSet(ModelViewSet):
    model = Registration
    icon = "group"
    menu_label = _("Registrations")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["name", "email", "organisation", "event", "status", "created_at"]
    list_filter = ["event", "status"]
    search_fields = ["name", "email", "organisation"]
    list_export = [
        "event",
        "name",
        "email",
        "organisation",
        "status",
        "created_at",
        "confirmed_at",
        "cancelled_at",
        "answers_text",
    ]
    export_headings = {"answers_text": _("answers")}
    export_filename = "registrations"
    form_fields = ["name", "organisation"]
    inspect_view_enabled = True

    def get_queryset(self, request: Any) -> Any:
        return Registration.objects.select_related("event")


registration_viewset = RegistrationViewSet("registrations")


@hooks.register("register_admin_viewset")
def register_registration_viewset() -> RegistrationViewSet:
    return registration_viewset
