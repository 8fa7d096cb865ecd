"""Experts in the admin: editors manage every profile, an author edits only their own.

Wagtail's model permissions are all-or-nothing per model, so an author (who
has no `authors.change_expert`) gets the right to change exactly one expert, the
one whose `user` they are, from `ExpertPermissionPolicy`. The generic snippet
views check only the model-level answer, so the views that open one expert ask
the policy about that expert too.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, HistoryView, SnippetViewSet, UsageView

from vestnik.authors.models import Expert

# An author's own profile allows these actions and no others (no add, delete or copy).
OWN_PROFILE_ACTIONS = frozenset({"change"})


class ExpertPermissionPolicy(ModelPermissionPolicy):
    """The model permissions for editors; «change» on their own profile for an author."""

    def __init__(self) -> None:
        super().__init__(Expert)

    def _model_permission(self, user: Any, action: str) -> bool:
        return bool(user.has_perm(self._get_permission_name(action)))

    def _has_own_profile(self, user: Any) -> bool:
        return bool(
            user.is_active
            and user.is_authenticated
            and Expert.objects.filter(user_id=user.pk).exists()
        )

    def user_has_permission(self, user: Any, action: str) -> bool:
        if self._model_permission(user, action):
            return True
        return action in OWN_PROFILE_ACTIONS and self._has_own_profile(user)

    def users_with_any_permission(self, actions: Any) -> QuerySet[Any]:
        users = super().users_with_any_permission(actions)
        if OWN_PROFILE_ACTIONS & set(actions):
            owners = get_user_model().objects.filter(is_active=True, expert__isnull=False)
            users = (users | owners).distinct()
        return users

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Model) -> bool:
        if self._model_permission(user, action):
            return True
        return bool(
            action in OWN_PROFILE_ACTIONS
            and user.is_active
            and user.is_authenticated
            and getattr(instance, "user_id", None) == user.pk
        )

    def user_has_any_permission_for_instance(
        self, user: Any, actions: Any, instance: Model
    ) -> bool:
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user: Any, actions: Any) -> QuerySet[Any]:
        if any(self._model_permission(user, action) for action in actions):
            return Expert.objects.all()
        if OWN_PROFILE_ACTIONS & set(actions) and user.is_active and user.is_authenticated:
            return Expert.objects.filter(user_id=user.pk)
        return Expert.objects.none()


class OneExpertMixin:
    """Refuse a view of one expert unless the policy allows its action on that expert."""

    request: HttpRequest
    permission_policy: ExpertPermissionPolicy
    expert_action = "change"

    def get_object(self, *args: Any, **kwargs: Any) -> Any:
        expert = super().get_object(*args, **kwargs)  # type: ignore[misc]
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.expert_action, expert
        ):
            raise PermissionDenied
        return expert


class ExpertEditView(OneExpertMixin, EditView):
    pass


class ExpertHistoryView(OneExpertMixin, HistoryView):
    pass


class ExpertUsageView(OneExpertMixin, UsageView):
    pass


class ExpertViewSet(SnippetViewSet):
    model = Expert
    icon = "user"
    menu_label = _("Experts")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["full_name", "position", "affiliation"]
    search_fields = ["full_name", "affiliation"]
    edit_view_class = ExpertEditView
    history_view_class = ExpertHistoryView
    usage_view_class = ExpertUsageView

    @property
    def permission_policy(self) -> ExpertPermissionPolicy:
        return ExpertPermissionPolicy()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Expert]:
        # The listing shows what the user may open: every expert for editors, one for an author.
        return self.permission_policy.instances_user_has_any_permission_for(
            request.user, ["add", "change", "delete", "view"]
        )


register_snippet(ExpertViewSet)
