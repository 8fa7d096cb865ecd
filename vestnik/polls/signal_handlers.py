"""Keep cached pages in step with polls: the widget is part of every cached page."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from vestnik.core import page_cache


def _invalidate(**kwargs: Any) -> None:
    page_cache.invalidate_all()


def register() -> None:
    from vestnik.polls.models import Poll, PollOption

    # Ballots are deliberately not here: cached pages carry no live tallies.
    for model in (Poll, PollOption):
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"vestnik-polls-{model.__name__}")
        post_delete.connect(
            _invalidate, sender=model, dispatch_uid=f"vestnik-polls-del-{model.__name__}"
        )
