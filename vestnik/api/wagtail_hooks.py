"""API keys in the Wagtail admin (Settings → «API keys»): editors and superusers only.

The menu item and every view check `api.*_apikey`, which
`site.services.editorial_groups_ensure` grants the editors' group (view, add,
change; never delete: a revoked key stays on the list). Creating a key shows
the key itself once, on the page the form's POST answers; it is stored only as
its digest (`api.keys`), so it can never be shown again. A key is revoked by
ticking «revoked» in its edit form; it cannot be un-revoked.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic.models import CreateView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from vestnik.api.keys import api_key_create
from vestnik.api.models import ApiKey


class ApiKeyCreateForm(WagtailAdminModelForm):  # type: ignore[misc]
    class Meta:
        model = ApiKey
        fields = ["name", "rate_per_minute"]


class ApiKeyEditForm(WagtailAdminModelForm):  # type: ignore[misc]
    revoked = forms.BooleanField(
        label=_("Revoked"),
        required=False,
        help_text=_("A revoked key is refused from the next request on; this cannot be undone."),
    )

    class Meta:
        model = ApiKey
        fields = ["name", "rate_per_minute"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.revoked_at is not None:
            self.fields["revoked"].initial = True
            self.fields["revoked"].disabled = True

    def save(self, commit: bool = True) -> Any:
        if self.cleaned_data.get("revoked") and self.instance.revoked_at is None:
            self.instance.revoked_at = timezone.now()
        return super().save(commit=commit)


class ApiKeyCreateView(CreateView):  # type: ignore[misc]
    raw_key = ""

    def save_instance(self) -> ApiKey:
        key, self.raw_key = api_key_create(
            name=self.form.cleaned_data["name"],
            rate_per_minute=self.form.cleaned_data["rate_per_minute"],
            created_by=self.request.user,
        )
        log(instance=key, action="wagtail.create", content_changed=True)
        return key

    def save_action(self) -> HttpResponse:
        # The one time the key is seen: on this answer, never in a message or the session.
        response = TemplateResponse(
            self.request,
            "wagtailadmin/api/key_created.html",
            {
                "header_title": _("API key created"),
                "api_key": self.object,
                "raw_key": self.raw_key,
                "index_url": self.get_success_url(),
            },
        )
        response["Cache-Control"] = "no-store"
        return response


class ApiKeyViewSet(ModelViewSet):
    model = ApiKey
    icon = "key"
    menu_label = _("API keys")
    add_to_settings_menu = True
    url_prefix = "api-keys"
    add_view_class = ApiKeyCreateView
    list_display = ["name", "prefix", "rate_per_minute", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix"]
    form_fields = ["name", "rate_per_minute"]

    def get_form_class(self, for_update: bool = False) -> type[WagtailAdminModelForm]:
        return ApiKeyEditForm if for_update else ApiKeyCreateForm


@hooks.register("register_admin_viewset")
def register_api_keys_viewset() -> ApiKeyViewSet:
    return ApiKeyViewSet("api_keys")
