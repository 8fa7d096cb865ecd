"""Helpers shared by the poll tests."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def ru(msgid: str) -> str:
    """A message as Russian pages show it (the msgid itself until it is translated)."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(msgid)


def ru_catalog_has(msgid: str) -> bool:
    return ru(msgid) != msgid


class EnglishMessages:
    """Service-level tests read messages in English, whatever the default language."""

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        self.enterContext(translation.override("en"))  # type: ignore[attr-defined]
