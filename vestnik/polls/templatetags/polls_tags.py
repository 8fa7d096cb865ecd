"""`{% site_poll_widget %}`: the current open poll, else «Прошедший опрос»;
`{% poll_block value %}`: a poll an editor placed in an article's body."""

from __future__ import annotations

from typing import Any

from django import template

from vestnik.core import front_cache
from vestnik.polls.cache_keys import SITE_POLL, poll_key
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
    front_cache.depends_on(SITE_POLL)
    if poll is not None:
        front_cache.depends_on(poll_key(poll.pk))
    if poll is None or _page_shows_poll(context.get("page"), poll.pk):
        # One poll once per page: twice would mean two forms and duplicate ids.
        return {"view": None}
    return {"view": embedded_poll_view(poll, request=request), "request": request}


@register.inclusion_tag("components/poll_widget.html", takes_context=True)
def poll_block(context: template.Context, value: Any) -> dict[str, Any]:
    """The body's poll block (`articles.blocks.PollBlock`): its poll with the editor's heading."""
    poll = value.get("poll")
    if poll is None:
        return {"view": None}
    front_cache.depends_on(poll_key(poll.pk))
    request = context.get("request")
    view = embedded_poll_view(poll, request=request, heading=value.get("heading") or "")
    return {"view": view, "request": request}
