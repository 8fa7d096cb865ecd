"""Infrastructure models: users, images with credits, the front cache's URL keys, workflow tasks."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.images.models import AbstractImage, AbstractRendition, Image


class User(AbstractUser):
    """The project's user model, in place from the first migration so it can grow."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"


class VestnikImage(AbstractImage):
    """A Wagtail image that knows where it came from.

    `credit` is the default «Источник: …» line; an image block may override it
    for one use, because the same photo can be credited differently in print.
    """

    credit = models.CharField(_("credit / source"), max_length=255, blank=True)

    admin_form_fields = (*Image.admin_form_fields, "credit")

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


class VestnikRendition(AbstractRendition):
    image = models.ForeignKey(VestnikImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class CachedUrlKey(models.Model):
    """One surrogate key of one URL held by the front cache (see `front_cache`)."""

    URL_MAX_LENGTH = 1000
    KEY_MAX_LENGTH = 100

    url = models.CharField(max_length=URL_MAX_LENGTH)
    key = models.CharField(max_length=KEY_MAX_LENGTH, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["url", "key"], name="cached_url_key_once")]

    def __str__(self) -> str:
        return f"{self.url} ← {self.key}"


from vestnik.core.workflows import PeerReviewTask  # noqa: E402, F401  (models must be importable from models.py)
