"""What the API keeps of its own: OAI-PMH tombstones of pages that left the public, API keys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HarvestTombstone(models.Model):
    """A harvested page that is no longer public: OAI-PMH reports it as deleted.

    The repository promises `deletedRecord=persistent`: a harvester that once
    took a record must learn that it went away (unpublished, deleted, made
    private) however long after. The page itself may be gone, so this row keeps
    what the deleted record's header says: the page's id (its OAI identifier is
    derived from it, as a live record's is), the sets it was in, and when it
    left. Publishing the page again removes the row (`api.oai.services`).
    """

    page_id = models.PositiveIntegerField(_("page id"), unique=True)
    set_specs = models.JSONField(_("sets"), default=list)
    datestamp = models.DateTimeField(_("left the public at"), db_index=True)

    class Meta:
        verbose_name = _("harvest tombstone")
        verbose_name_plural = _("harvest tombstones")

    def __str__(self) -> str:
        return f"page {self.page_id} (deleted {self.datestamp:%Y-%m-%d})"


class ApiKey(models.Model):
    """A key an editor gave a client: its requests are counted per key, at the key's own rate.

    The key itself is shown once, when it is made (`api.keys.api_key_create`), and
    kept only as its SHA-256 digest; `prefix` (its first characters) lets an editor
    recognise it in the list. A revoked key is refused (401), never forgotten.
    """

    name = models.CharField(_("for whom"), max_length=200)
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    rate_per_minute = models.PositiveIntegerField(
        _("requests a minute"), default=1200, help_text=_("0 for no limit.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
