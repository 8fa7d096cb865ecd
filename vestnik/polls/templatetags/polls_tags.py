"""`{% site_poll_widget %}`: the current open poll, else «Прошедший опрос»;
`{% poll_block value %}`: a poll an editor placed in an article's body."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from vestnik.core import fragments, front_cache
from vestnik.polls.cache_keys import SITE_POLL, poll_key
from vestnik.polls.presentation import embedded_poll_view
from vestnik.polls.selectors import polls_next_change, site_poll

register = template.Library()


def _page_shows_poll(page: Any, poll_id: int) -> bool:
    """Whether the page's own body already carries this poll (an article's poll block)."""
    for block in getattr(page, "body", None) or []:
        if block.block_type == "poll" and getattr(block.value.get("poll"), "pk", None) == poll_id:
            return True
    return False


def _expires_with_schedule() -> None:
    """A cached rendering of polls lasts until the next poll opens or closes."""
    moment = polls_next_change()
    if moment is not None:
        fragments.expires_at(moment)


@register.simple_tag(takes_context=True)
def site_poll_widget(context: template.Context) -> SafeString:
    """The same for every reader (see `polls.presentation`), so kept as a fragment.

    Its key is the path (the form sends the reader back to it); a reader's own
    result after a vote without JavaScript comes with a query string, which
    fragments never serve.
    """
    request = context.get("request")
    page = context.get("page")

    def build() -> str:
        poll = site_poll()
        front_cache.depends_on(SITE_POLL)
        _expires_with_schedule()
        if poll is not None:
            front_cache.depends_on(poll_key(poll.pk))
        if poll is None or _page_shows_poll(page, poll.pk):
            # One poll once per page: twice would mean two forms and duplicate ids.
            return ""
        view = embedded_poll_view(poll, request=request)
        return render_to_string(
            "components/poll_widget.html", {"view": view, "request": request}, request=request
        )

    path = request.get_full_path() if request is not None else ""
    return fragments.cached_fragment("site-poll", [path], build, request=request)


@register.inclusion_tag("components/poll_widget.html", takes_context=True)
def poll_block(context: template.Context, value: Any) -> dict[str, Any]:
    """The body's poll block (`articles.blocks.PollBlock`): its poll with the editor's heading."""
    poll = value.get("poll")
    if poll is None:
        return {"view": None}
    front_cache.depends_on(poll_key(poll.pk))
    # The article's cached body shows it: it expires when a poll opens or closes.
    _expires_with_schedule()
    request = context.get("request")
    view = embedded_poll_view(poll, request=request, heading=value.get("heading") or "")
    return {"view": view, "request": request}
