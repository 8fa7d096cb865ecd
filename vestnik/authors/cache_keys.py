"""The front-cache keys of experts (see `core.front_cache`)."""

from __future__ import annotations

from typing import Any

EXPERT_DIRECTORY = "experts"  # the directory of experts and the blogs index


def expert_key(expert_id: int) -> str:
    return f"expert:{expert_id}"


def expert_purge_keys(expert: Any) -> set[str]:
    """An expert's name and photo show on their profile, blog, bylines and the directories."""
    return {expert_key(expert.pk), EXPERT_DIRECTORY}
