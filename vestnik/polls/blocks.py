"""The poll block editors place in an article body."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class PollBlock(blocks.StructBlock):
    poll = SnippetChooserBlock("polls.Poll", label=_("poll"))
    heading = blocks.CharBlock(
        label=_("heading"),
        required=False,
        max_length=120,
        help_text=_("Defaults to «Опрос», or «Прошедший опрос» once the poll has closed."),
    )

    class Meta:
        icon = "list-ul"
        label = _("Poll")
        template = "components/poll_block.html"

    def get_context(
        self, value: Any, parent_context: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        # Imported here: article models import this module while the app
        # registry is still loading, before the polls models may be touched.
        from vestnik.polls.presentation import embedded_poll_view

        context = super().get_context(value, parent_context)
        poll = value.get("poll")
        request = (parent_context or {}).get("request")
        context["view"] = (
            embedded_poll_view(poll, request=request, heading=value.get("heading") or "")
            if poll is not None
            else None
        )
        return context
