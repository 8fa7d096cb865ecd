"""Keep cached pages in step with polls: the pages showing a poll are purged when it changes."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from vestnik.core import front_cache


def _poll_changed(poll_id: int) -> None:
    from vestnik.polls.selectors import site_poll

    keys = {front_cache.poll_key(poll_id), front_cache.POLL_ARCHIVE}
    current = site_poll()
    if current is None or current.pk == poll_id:
        # It may have just become the poll every page's widget shows.
        keys.add(front_cache.SITE_POLL)
    front_cache.cached_urls_purge(keys=keys)


def _poll_saved(instance: Any, **kwargs: Any) -> None:
    _poll_changed(instance.pk)


def _option_saved(instance: Any, **kwargs: Any) -> None:
    _poll_changed(instance.poll_id)


def register() -> None:
    from vestnik.polls.models import Poll, PollOption

    # Ballots are deliberately not here: cached pages carry no live tallies.
    post_save.connect(_poll_saved, sender=Poll, dispatch_uid="vestnik-polls-Poll")
    post_delete.connect(_poll_saved, sender=Poll, dispatch_uid="vestnik-polls-del-Poll")
    post_save.connect(_option_saved, sender=PollOption, dispatch_uid="vestnik-polls-PollOption")
    post_delete.connect(
        _option_saved, sender=PollOption, dispatch_uid="vestnik-polls-del-PollOption"
    )
