"""The signed link to cancel a registration (salted; the event's end bounds its life)."""

from __future__ import annotations

from django.core import signing

from vestnik.events.models import Registration

CANCEL_SALT = "vestnik.events.cancel"


def cancel_token(registration: Registration) -> str:
    # The address too: a link names one registration of one reader, and stays
    # dead if the row were ever deleted and its id reused.
    return signing.dumps(
        {"r": registration.pk, "e": registration.email}, salt=CANCEL_SALT, compress=True
    )


def cancel_token_read(token: str) -> tuple[int, str] | None:
    """(registration id, e-mail) from a genuine token, None from anything else."""
    try:
        data = signing.loads(token, salt=CANCEL_SALT)
        return int(data["r"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
