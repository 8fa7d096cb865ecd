"""Keep cached pages in step with polls: the pages showing a poll are purged when it changes."""

from __future__ import annotations

from vestnik.core import front_cache
from vestnik.core.locales import content_languages
from vestnik.polls.cache_keys import POLL_ARCHIVE, SITE_POLL, poll_key
from vestnik.polls.models import Poll, PollOption
from vestnik.polls.selectors import site_poll


def poll_purge_keys(poll_id: int) -> set[str]:
    keys = {poll_key(poll_id), POLL_ARCHIVE}
    # Each language's widget may show another poll (English shows translated ones only).
    for language in content_languages():
        current = site_poll(language=language)
        if current is None or current.pk == poll_id:
            # It may have just become the poll every page's widget shows.
            keys.add(SITE_POLL)
    return keys


def register() -> None:
    # Ballots are deliberately not here: cached pages carry no live tallies.
    front_cache.model_purge_keys_register(Poll, lambda poll: poll_purge_keys(poll.pk))
    front_cache.model_purge_keys_register(
        PollOption, lambda option: poll_purge_keys(option.poll_id)
    )
