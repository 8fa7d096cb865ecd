"""Editorial workflow: an editor other than the author approves each submission.

Approving publishes as the approver, so an approver who wrote or last edited
the text (`core.review`) is refused too, before anything is marked approved.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from wagtail.models import AbstractGroupApprovalTask, TaskState


def _requested_by(obj: Any) -> Any:
    state = getattr(obj, "current_workflow_state", None)
    return state.requested_by if state is not None else None


def _writes_the_text(obj: Any, user: Any) -> bool:
    return bool(getattr(obj.permissions_for_user(user), "publishing_withheld", False))


class PeerReviewTask(AbstractGroupApprovalTask):
    """Group approval where the person who submitted can never approve.

    Wagtail's group approval lets any member of the group approve, including an
    editor who submitted their own text; a think tank's review is by a peer.
    """

    def get_actions(self, obj: Any, user: Any) -> list[tuple[str, Any, bool]]:
        if user.is_authenticated and _requested_by(obj) == user:
            return []
        actions: list[tuple[str, Any, bool]] = super().get_actions(obj, user)
        if actions and _writes_the_text(obj, user):
            # They may still ask for changes; approving would publish their own words.
            return [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state: TaskState, user: Any, action_name: str, **kwargs: Any) -> Any:
        if action_name == "approve" and task_state.workflow_state.requested_by_id == user.pk:
            raise PermissionDenied(_("You cannot approve your own submission."))
        if action_name == "approve" and _writes_the_text(
            task_state.workflow_state.content_object, user
        ):
            raise PermissionDenied(_("You cannot approve text you wrote or last edited."))
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user: Any, **kwargs: Any) -> Any:
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user)

    @classmethod
    def get_description(cls) -> Any:
        return _("Members of the chosen groups approve, but never their own submissions")

    class Meta:
        verbose_name = _("peer review")
        verbose_name_plural = _("peer reviews")
