"""Keeping the OAI-PMH tombstones: a public page that leaves the public is reported deleted.

"Public" is what `core.selectors.visible_to_public` means: live and under no
view restriction. The signal handlers (`api.signal_handlers`) call these at
each way a page can leave or come back: unpublished, deleted, made private
(itself or a section above it), published again, made public again.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from wagtail.models import Page, PageViewRestriction

from vestnik.api.models import HarvestTombstone
from vestnik.api.oai.selectors import HARVESTED_MODELS, public_records, set_specs_of


def _harvested(pages: Iterable[Page]) -> list[Page]:
    return [page for page in pages if isinstance(page, HARVESTED_MODELS)]


def _unrestricted(page: Page, *, ignoring: PageViewRestriction | None = None) -> bool:
    restrictions = page.get_view_restrictions()
    if ignoring is not None:
        restrictions = restrictions.exclude(pk=ignoring.pk)
    return not restrictions.exists()


@transaction.atomic
def tombstones_write(*, pages: Iterable[Page], at: datetime.datetime | None = None) -> None:
    """Mark the pages deleted from now on; one already marked keeps its first date."""
    pages = _harvested(pages)
    specs = set_specs_of(pages)
    moment = at or timezone.now()
    for page in pages:
        HarvestTombstone.objects.get_or_create(
            page_id=page.pk,
            defaults={"set_specs": list(specs.get(page.pk, ())), "datestamp": moment},
        )


def tombstones_forget(*, page_ids: Iterable[int]) -> None:
    HarvestTombstone.objects.filter(page_id__in=list(page_ids)).delete()


def page_left_public(*, page: Page) -> None:
    """Unpublished or about to be deleted: a tombstone if it was public until now.

    Called while the page still has its place in the tree, so the restrictions
    above it say whether it was public: a page in a private blog never was.
    """
    if _unrestricted(page):
        tombstones_write(pages=[page])


def page_became_public(*, page: Page) -> None:
    """Published (again): its live record replaces the tombstone.

    One query for the usual publish, of a page that never left the public.
    """
    tombstones = HarvestTombstone.objects.filter(page_id=page.pk)
    if tombstones.exists() and public_records().filter(pk=page.pk).exists():
        tombstones.delete()


def restriction_added(*, restriction: PageViewRestriction) -> None:
    """The live pages below that no other restriction hid until now leave the public."""
    pages = (
        Page.objects.type(*HARVESTED_MODELS)
        .descendant_of(restriction.page, inclusive=True)
        .live()
        .specific()
    )
    tombstones_write(pages=[page for page in pages if _unrestricted(page, ignoring=restriction)])


def restriction_removed(*, path: str) -> None:
    """The pages below a lifted restriction that are public now are live records again.

    Run after the commit: a restriction deleted along with its section (the
    whole blog deleted) leaves pages that are gone by then and keep their tombstones.
    """
    public = public_records().filter(path__startswith=path).values_list("pk", flat=True)
    tombstones_forget(page_ids=list(public))
