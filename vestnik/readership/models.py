"""What is kept of readers' views: counts per page per day, and nothing about a reader.

`PageViewDay` is the only thing kept for good. The rest is the machinery of
counting a reader once a day without knowing who they are (docs/privacy.md):
the day's random salt (`DailySalt`) and, in the embedded install without
Redis, the day's salted digests (`ReaderMark`) — both deleted once the day
and the next are over, after which no digest can be linked to anyone; the
batches already written from Redis (`FlushedBatch`), so a worker killed after
its commit never adds a batch twice; and how far nginx's log of view beacons
has been read (`ViewLogCursor`). «Самое читаемое» keeps its last ranking per
language (`MostReadList`, docs/readership.md).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PageViewDay(models.Model):
    """How many readers viewed a page on a day (the site's time zone), each counted once."""

    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("page"),
    )
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("page views on a day")
        verbose_name_plural = _("page views by day")
        constraints = [
            models.UniqueConstraint(fields=["page", "day"], name="unique_page_views_per_day")
        ]
        indexes = [models.Index(fields=["day", "page"], name="readership_day_page")]
        permissions = [("view_readership", _("Can see readership reports"))]

    def __str__(self) -> str:
        return f"{self.page_id} {self.day}: {self.views}"


class DailySalt(models.Model):
    """The random key of a day's reader digests; deleted when the next day is over."""

    day = models.DateField(_("day"), primary_key=True)
    salt = models.CharField(_("salt"), max_length=64)

    class Meta:
        verbose_name = _("daily salt")
        verbose_name_plural = _("daily salts")

    def __str__(self) -> str:
        return str(self.day)


class ReaderMark(models.Model):
    """A reader's salted digest for a page on a day (embedded install); deleted with the salt."""

    day = models.DateField(_("day"))
    digest = models.CharField(_("digest"), max_length=32)

    class Meta:
        verbose_name = _("reader mark")
        verbose_name_plural = _("reader marks")
        constraints = [
            models.UniqueConstraint(fields=["day", "digest"], name="unique_reader_mark_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.digest}"


class FlushedBatch(models.Model):
    """A batch of counts moved from Redis to `PageViewDay`, written once."""

    batch = models.CharField(_("batch"), max_length=64, primary_key=True)
    flushed_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("flushed batch")
        verbose_name_plural = _("flushed batches")

    def __str__(self) -> str:
        return self.batch


class ViewLogCursor(models.Model):
    """How far the worker has read nginx's log of view beacons (one row per log file)."""

    path = models.CharField(_("path"), max_length=500, unique=True)
    inode = models.BigIntegerField(_("inode"), default=0)
    offset = models.BigIntegerField(_("offset"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("view log cursor")
        verbose_name_plural = _("view log cursors")

    def __str__(self) -> str:
        return f"{self.path}@{self.offset}"


class MostReadList(models.Model):
    """The last ranking of «Самое читаемое» in a language: what readers are shown.

    Kept in the database, not only in the cache, so that the refresh interval,
    the comparison that decides a purge and the list itself survive a restart
    and are shared by processes that do not share a cache (the embedded install).
    """

    language = models.CharField(_("language"), max_length=8, primary_key=True)
    page_ids = models.JSONField(_("pages"), default=list)
    refreshed_at = models.DateTimeField(_("refreshed"))

    class Meta:
        verbose_name = _("most read list")
        verbose_name_plural = _("most read lists")

    def __str__(self) -> str:
        return f"{self.language}: {self.page_ids}"
