"""Builders of polls for tests, the demo and benchmarks (no factory library needed)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from vestnik.polls.identity import Respondent
from vestnik.polls.models import Poll, PollKind, PollOption

DEFAULT_OPTIONS = ("Скорее да", "Скорее нет", "Затрудняюсь ответить")


def poll_with_options(
    question: str = "Усилится ли роль региональных организаций в 2026 году?",
    options: Sequence[str] = DEFAULT_OPTIONS,
    *,
    max_choices: int = 1,
    opens_at: datetime.datetime | None = None,
    closes_at: datetime.datetime | None = None,
    **fields: Any,
) -> Poll:
    """A poll, open since an hour ago unless told otherwise; several choices if max_choices > 1."""
    poll = Poll.objects.create(
        question=question,
        kind=PollKind.MULTIPLE if max_choices > 1 else PollKind.SINGLE,
        max_choices=max_choices,
        opens_at=opens_at or timezone.now() - datetime.timedelta(hours=1),
        closes_at=closes_at,
        **fields,
    )
    PollOption.objects.bulk_create(
        PollOption(poll=poll, text=text, sort_order=index) for index, text in enumerate(options)
    )
    return poll


def respondent(number: int, *, ip_hash: str = "") -> Respondent:
    return Respondent(key=f"c:test-respondent-{number:06d}", ip_hash=ip_hash)
