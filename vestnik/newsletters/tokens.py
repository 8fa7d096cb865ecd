"""The signed links in newsletters' e-mails: confirm, preferences, unsubscribe.

A link names one subscriber by id *and* address, so it stays dead once the
address is deleted (unsubscribed, or never confirmed) even if the id is
reused. Each purpose has its own salt (a preferences link cannot confirm) and
its own life (`conf`): a confirmation link works for days, the links in a
message for a year, since RFC 8058 unsubscribe must keep working from old mail.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Literal

from django.core import signing
from django.utils.translation import gettext_lazy as _

from vestnik.newsletters import conf
from vestnik.newsletters.models import Subscriber

Purpose = Literal["confirm", "preferences", "unsubscribe"]

_MAX_AGE: dict[str, Callable[[], datetime.timedelta]] = {
    "confirm": conf.confirm_max_age,
    "preferences": conf.link_max_age,
    "unsubscribe": conf.link_max_age,
}


class LinkRefused(Exception):
    """A link that does not open: "expired" or "invalid", in words for the reader."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _signer(purpose: Purpose) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"vestnik.newsletters.{purpose}")


def link_token(subscriber: Subscriber, purpose: Purpose) -> str:
    return _signer(purpose).sign_object({"s": subscriber.pk, "e": subscriber.email}, compress=True)


def link_token_read(token: str, purpose: Purpose) -> Subscriber:
    """The subscriber a genuine, unexpired link names; `LinkRefused` otherwise."""
    try:
        data = _signer(purpose).unsign_object(token, max_age=_MAX_AGE[purpose]())
        subscriber_id, email = int(data["s"]), str(data["e"])
    except signing.SignatureExpired:
        raise LinkRefused(
            "expired", str(_("This link has expired. Ask for a new one below."))
        ) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkRefused(
            "invalid", str(_("This link is not valid. Please check that it was copied whole."))
        ) from None
    subscriber = Subscriber.objects.filter(pk=subscriber_id, email=email).first()
    if subscriber is None:
        raise LinkRefused(
            "gone",
            str(_("This address is not subscribed any more; there is nothing to change.")),
        )
    return subscriber
