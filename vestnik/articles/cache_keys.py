"""The front-cache keys of what the articles app owns besides pages (see `core.front_cache`)."""

from __future__ import annotations

SHARE_LINKS = "settings:share"  # the share links and their legal labels
