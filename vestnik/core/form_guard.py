"""Keeping bots out of public forms without outside services: a honeypot and a signed time stamp.

Forms on cached pages (event registration, newsletter subscription) render the
same for every reader. Two traps catch the form-filling bots a CAPTCHA would:

- `HONEYPOT_FIELD`, a field hidden from people (by CSS and from assistive
  technology) that bots fill in;
- `form_stamp()`, a signed note of when the form was handed out, fetched with
  the CSRF token from an uncached endpoint: `form_stamp_check` refuses a form
  sent back faster than a person types or after the stamp has gone stale.

    form_stamp_check(request.POST.get("started", ""), min_seconds=3, max_age=86400)
"""

from __future__ import annotations

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"
STAMP_FIELD = "started"
_SALT = "vestnik.core.form-stamp"


def honeypot_field() -> forms.CharField:
    """The trap as a form field: hidden by the template (CSS and `aria-hidden`), never tabbed to."""
    return forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


def stamp_field() -> forms.CharField:
    """Where the signed time stamp travels back (`STAMP_FIELD`)."""
    return forms.CharField(widget=forms.HiddenInput, required=False)


class FormStampRefused(Exception):
    """The stamp is missing, forged, stale ("stamp") or came back too fast ("too_fast")."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def honeypot_filled(data: object) -> bool:
    value = data.get(HONEYPOT_FIELD, "") if hasattr(data, "get") else ""
    return bool(str(value or "").strip())


def form_stamp(at: float | None = None) -> str:
    """A signed note of when the form was handed out."""
    return signing.dumps({"t": at if at is not None else time.time()}, salt=_SALT)


def form_stamp_check(
    stamp: str, *, min_seconds: float, max_age: float, now: float | None = None
) -> None:
    """Refuse a form without a valid stamp, sent back too fast, or handed out too long ago."""
    now = now if now is not None else time.time()
    expired = str(_("The form has expired. Please reload the page and try again."))
    try:
        data = signing.loads(stamp, salt=_SALT)
        handed_out = float(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise FormStampRefused("stamp", expired) from None
    if now - handed_out > max_age:
        raise FormStampRefused("stamp", expired)
    if now - handed_out < min_seconds:
        raise FormStampRefused(
            "too_fast", str(_("The form was sent too quickly. Please check it and send it again."))
        )
