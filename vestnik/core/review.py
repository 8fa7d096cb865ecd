"""Review that holds: nobody publishes text they wrote or last edited.

Wagtail decides who may publish in one place, the page's permission tester:
the edit view's Publish button and action, the create view, bulk publish,
"publish this revision", scheduling and the workflow's approval (which
publishes as the approver) all ask it. So the rule lives there. A page type
whose text is reviewed mixes in `ReviewedText`; a page type under which such
text is created mixes in `ReviewedPermissions`, so that nobody creates and
publishes an article in one go (its creator owns it).

`VESTNIK_REVIEW_REQUIRED = False` turns the rule off for a site with one editor.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cached_property
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from wagtail.models import PagePermissionTester, Revision


def review_required() -> bool:
    return bool(getattr(settings, "VESTNIK_REVIEW_REQUIRED", True))


class ReviewedPermissions:
    """Page types whose permission tester applies the review rule."""

    def permissions_for_user(self, user: Any) -> ReviewPermissionTester:
        return ReviewPermissionTester(user, self)


class ReviewedText(ReviewedPermissions):
    """A page type whose text another editor approves before it goes live.

    `reviewed_fields` are the revision fields a reader reads: a revision that
    changes none of them (a reviewer's no-op save, a new tag) does not make its
    user an author of the text.
    """

    reviewed_fields: tuple[str, ...] = ("title",)

    def text_author_ids(self) -> set[int]:
        """Accounts of the people the text is by, besides the page's owner."""
        return set()


def last_text_editor_id(page: Any) -> int | None:
    """The user of the newest revision that changed the page's reviewed fields."""
    fields = page.reviewed_fields
    newer: Any = None
    revisions: Iterable[Any] = (
        Revision.objects.for_instance(page).order_by("-created_at", "-id").only("content", "user")
    )
    for older in revisions:
        if newer is not None and _text(newer, fields) != _text(older, fields):
            return newer.user_id  # type: ignore[no-any-return]
        newer = older
    # The first revision wrote the text (or there is no revision yet).
    return newer.user_id if newer is not None else None


# Editor bookkeeping that changes when nobody changed a word: block and row ids,
# the parent's key in child rows, Draftail's paragraph keys.
_IDENTITY_KEYS = frozenset({"id", "pk", "page"})
_BLOCK_KEY = re.compile(r' data-block-key="[^"]*"')


def _text(revision: Any, fields: tuple[str, ...]) -> list[Any]:
    return [_words(revision.content.get(field)) for field in fields]


def _words(value: Any) -> Any:
    if isinstance(value, str):
        if value[:1] in ("[", "{"):  # a StreamField's JSON
            try:
                return _words(json.loads(value))
            except ValueError:
                pass
        return _BLOCK_KEY.sub("", value)
    if isinstance(value, list):
        return [_words(item) for item in value]
    if isinstance(value, dict):
        return {key: _words(item) for key, item in value.items() if key not in _IDENTITY_KEYS}
    return value


def text_authors(page: Any) -> set[int]:
    """Everyone who wrote or last edited the page's text."""
    authors = {page.owner_id, last_text_editor_id(page), *page.text_author_ids()}
    authors.discard(None)
    return authors


class ReviewPermissionTester(PagePermissionTester):  # type: ignore[misc]
    """Wagtail's tester, with publishing withheld from the text's own authors."""

    @cached_property
    def publishing_withheld(self) -> bool:
        """True when the user could publish but wrote or last edited this text."""
        return (
            review_required()
            and isinstance(self.page, ReviewedText)
            and super().can_publish()
            and self.user.pk in text_authors(self.page)
        )

    def can_publish(self) -> bool:
        return bool(super().can_publish()) and not self.publishing_withheld

    def can_unschedule(self) -> bool:
        # Cancelling a scheduled publication never puts text online.
        return bool(super().can_publish())

    def can_publish_subpage(self) -> bool:
        # Whoever creates a page owns it, so text created here is their own.
        specific_class = self.page.specific_class
        creates_text = specific_class is not None and any(
            issubclass(model, ReviewedText) for model in specific_class.creatable_subpage_models()
        )
        if review_required() and creates_text:
            return False
        return bool(super().can_publish_subpage())


# --- what the admin says -----------------------------------------------------


def _off_notice() -> str:
    return _("Review by a second editor is turned off by the VESTNIK_REVIEW_REQUIRED setting.")


def _withheld_notice() -> str:
    return _("Your text is published by another editor after review.")


def edit_notice(page: Any, user: Any) -> str | None:
    """What the edit page of reviewed text tells someone who could publish it."""
    if not isinstance(page, ReviewedText):
        return None
    tester = page.permissions_for_user(user)
    if not review_required():
        return _off_notice() if tester.can_publish() else None
    return _withheld_notice() if tester.publishing_withheld else None


def create_notice(parent: Any, page_class: type, user: Any) -> str | None:
    """The same on the create page: a new page's creator owns its text."""
    if not issubclass(page_class, ReviewedText):
        return None
    if not PagePermissionTester(user, parent).can_publish_subpage():
        return None
    return _withheld_notice() if review_required() else _off_notice()


def publish_refusal(page: Any, user: Any) -> str | None:
    """Why a publish that has just saved the user's revision must stop, if it must.

    The edit view asks the tester before the user's changes are saved; once
    they are, the user may have become the text's last editor.
    """
    if page.permissions_for_user(user).can_publish():
        return None
    return _(
        "Your changes are saved as a draft. Text you wrote or last edited is published "
        "by another editor after review: submit it for review."
    )
