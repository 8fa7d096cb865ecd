"""Poll writes. Being built in the polls work; `poll_create_from_draft` is the importers' entry point."""

from __future__ import annotations

from typing import Any

from vestnik.articles.drafts import PollDraft


def poll_create_from_draft(*, draft: PollDraft, article: Any = None) -> Any:
    """Create a closed poll with imported totals from a parsed «Прошедший опрос» block."""
    return None
