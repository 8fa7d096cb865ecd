"""`{% site_poll_widget %}`: the current open poll, else «Прошедший опрос»."""

from __future__ import annotations

from typing import Any

from django import template

from vestnik.core import front_cache
from vestnik.polls.presentation import embedded_poll_view
from vestnik.polls.selectors import site_poll

register = template.Library()


def _page_shows_poll(page: Any, poll_id: int) -> bool:
    """Whether the page's own body already carries this poll (an article's poll block)."""
    for block in getattr(page, "body", None) or []:
        if block.block_type == "poll" and getattr(block.value.get("poll"), "pk", None) == poll_id:
            return True
    return False


@register.inclusion_tag("components/poll_widget.html", takes_context=True)
def site_poll_widget(context: template.Context) -> dict[str, Any]:
    poll = site_poll()
    request = context.get("request")
    front_cache.depends_on(front_cache.SITE_POLL)
    if poll is not None:
        front_cache.depends_on(front_cache.poll_key(poll.pk))
    if poll is None or _page_shows_poll(context.get("page"), poll.pk):
        # One poll once per page: twice would mean two forms and duplicate ids.
        return {"view": None}
    return {"view": embedded_poll_view(poll, request=request), "request": request}
