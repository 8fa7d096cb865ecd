"""What the API keeps of its own: the OAI-PMH tombstones of pages that left the public."""

from __future__ import annotations

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
