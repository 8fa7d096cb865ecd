"""Insights in the Wagtail admin: editors correct what extraction found.

«Entities»: rename, add an alias («Анкара» for Turkey), merge one entity into
another («merged into»), or mark a name as no entity at all. «Mentions»: hide
one wrong mention in one article. Saving goes through the services, so a merge
moves the mentions it should and an alias absorbs an entity of that name; and
since corrections are stored apart from extraction's output, every later
extraction applies them again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from vestnik.insights.forms import EntityForm
from vestnik.insights.models import Entity, Mention
from vestnik.insights.services import (
    CorrectionError,
    entity_aliases_apply,
    entity_merge,
    mention_hide,
)


def _mention_total(entity: Entity) -> int | None:
    return getattr(entity, "mention_total", None)


class EntityViewSet(SnippetViewSet):
    model = Entity
    icon = "tag"
    menu_label = _("Entities")
    list_display = [
        "name",
        "short_name",
        "kind",
        Column("mention_total", label=_("mentions"), accessor=_mention_total),
        "merged_into",
        "hidden",
    ]
    list_filter = ["kind", "hidden"]
    search_fields = ["name", "short_name", "aliases"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("name"), FieldPanel("short_name"), FieldPanel("kind")],
                heading=_("Name"),
            ),
            FieldPanel("aliases"),
            MultiFieldPanel(
                [FieldPanel("merged_into"), FieldPanel("hidden")],
                heading=_("Corrections"),
            ),
            FieldPanel("country"),
            FieldPanel("slug"),
        ],
        base_form_class=EntityForm,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Entity]:
        return Entity.objects.select_related("merged_into").annotate(
            mention_total=Count("mentions", filter=Q(mentions__hidden=False))
        )


class NoAddingPolicy(ModelPermissionPolicy):
    """Mentions come from extraction only; editors may hide them, not make them up."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action != "add" and bool(super().user_has_permission(user, action))

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)


class MentionViewSet(SnippetViewSet):
    model = Mention
    icon = "view"
    menu_label = _("Mentions")
    list_display = ["entity", "page", "count", "hidden", "forms"]
    list_filter = ["hidden", "entity__kind"]
    search_fields = ["entity__name", "forms"]
    edit_handler = ObjectList(
        [
            FieldPanel("entity", read_only=True),
            FieldPanel("page", read_only=True),
            FieldPanel("count", read_only=True),
            FieldPanel(
                "hidden",
                help_text=_(
                    "Hide this mention in this article. To hide a name in every article, "
                    "mark its entity as «not an entity»."
                ),
            ),
        ]
    )

    @property
    def permission_policy(self) -> ModelPermissionPolicy:
        return NoAddingPolicy(self.model)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Mention]:
        return Mention.objects.select_related("entity", "page")


class InsightsViewSetGroup(SnippetViewSetGroup):
    items = (EntityViewSet, MentionViewSet)
    menu_label = _("Insights")
    menu_icon = "site"
    menu_order = 260


register_snippet(InsightsViewSetGroup)


def _apply_corrections(request: HttpRequest, instance: Any) -> None:
    """After an editor saves: a merge moves mentions, aliases absorb namesakes."""
    if isinstance(instance, Mention):
        mention_hide(mention=instance, hidden=instance.hidden)
        return
    if not isinstance(instance, Entity):
        return
    if instance.merged_into_id is not None:
        try:
            entity_merge(source=instance, target=instance.merged_into)  # type: ignore[arg-type]
        except CorrectionError as exc:
            Entity.objects.filter(pk=instance.pk).update(merged_into=None)
            messages.error(request, str(exc))
            return
    absorbed = entity_aliases_apply(entity=instance)
    if absorbed:
        messages.info(
            request,
            _("Merged into this entity: %(names)s.")
            % {"names": ", ".join(entity.name for entity in absorbed)},
        )


@hooks.register("after_edit_snippet")
def after_edit_snippet(request: HttpRequest, instance: Any) -> None:
    _apply_corrections(request, instance)


@hooks.register("after_create_snippet")
def after_create_snippet(request: HttpRequest, instance: Any) -> None:
    _apply_corrections(request, instance)
