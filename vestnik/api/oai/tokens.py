"""Stateless resumption tokens: the list's arguments and where the last page ended, signed.

The server keeps nothing between two requests of a harvest: the token carries
the verb, the list's arguments, the key of the last record sent (its exact
datestamp and page id, the order lists are walked in) and how many records came
before. The signature (`django.core.signing`, with the site's secret key and
a salt of its own) makes a forged or altered token a `badResumptionToken`, and
its time stamp makes an old one expire (`VESTNIK_API_OAI_TOKEN_MAX_AGE` seconds).
Walking by key rather than by offset means a record published during a harvest
shifts nothing: it is simply met at its place at the end.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing

from vestnik.api.oai.protocol import OAIError

SALT = "vestnik.api.oai.resumption"


def max_age() -> int:
    return int(getattr(settings, "VESTNIK_API_OAI_TOKEN_MAX_AGE", 24 * 60 * 60))


@dataclass(frozen=True)
class Resumption:
    verb: str
    arguments: dict[str, str]  # metadataPrefix, and from, until, set as the first request gave them
    after: tuple[datetime.datetime, int]  # the last record sent: datestamp, page id
    cursor: int  # records sent before the next page


def token_make(resumption: Resumption) -> str:
    payload = {
        "v": resumption.verb,
        "a": resumption.arguments,
        "d": resumption.after[0].isoformat(),
        "p": resumption.after[1],
        "c": resumption.cursor,
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def token_read(token: str, *, verb: str) -> Resumption:
    """The resumption the token stands for, or `badResumptionToken`."""
    try:
        payload: Any = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise OAIError("badResumptionToken", "The resumptionToken has expired.") from None
    except signing.BadSignature:
        raise OAIError("badResumptionToken", "The resumptionToken is invalid.") from None
    try:
        if payload["v"] != verb:
            raise OAIError("badResumptionToken", f"The resumptionToken is not one of {verb}.")
        arguments = {str(name): str(value) for name, value in payload["a"].items()}
        after = (datetime.datetime.fromisoformat(payload["d"]), int(payload["p"]))
        return Resumption(verb, arguments, after, int(payload["c"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        # Signed by us but not in this shape: a token of an older version of this code.
        raise OAIError("badResumptionToken", "The resumptionToken is invalid.") from None


def expiration() -> datetime.datetime:
    return datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=max_age())
