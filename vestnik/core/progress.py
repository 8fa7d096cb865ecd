"""The progress bar of long management commands (batch imports, re-extraction)."""

from __future__ import annotations

from django.core.management.base import OutputWrapper

PROGRESS_WIDTH = 30


def progress_write(stream: OutputWrapper, done: int, total: int, label: str = "") -> None:
    """A redrawn bar on a terminal; one plain line per step in logs and CI."""
    if stream.isatty():
        filled = PROGRESS_WIDTH * done // max(total, 1)
        bar = "#" * filled + "-" * (PROGRESS_WIDTH - filled)
        stream.write(f"\r[{bar}] {done}/{total} {label[:40]:<40}".rstrip(), ending="")
        if done == total:
            stream.write("")
    else:
        stream.write(f"[{done}/{total}] {label}".rstrip())
    stream.flush()
