"""Who is voting, from where: respondent identity, client address and origin checks.

The vote endpoint is CSRF-exempt (cached pages carry no token), so these are
its defences: a same-site Origin/Referer check, a signed SameSite=Lax
respondent cookie, the one-ballot unique constraint and a per-address rate
window on salted hashes (the address as `core.client_address` reads it through
our trusted proxies). docs/polls.md explains the trade-offs.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac
from django.utils.http import is_same_domain

from vestnik.core.client_address import client_ip
from vestnik.polls import conf

COOKIE_SALT = "vestnik.polls.respondent"
IP_HASH_SALT = "vestnik.polls.client-address"


@dataclass(frozen=True)
class Respondent:
    """The one who casts a ballot; `key` is what the one-ballot constraint compares."""

    key: str
    user_id: int | None = None
    ip_hash: str = ""

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None


@dataclass(frozen=True)
class RequestRespondent:
    respondent: Respondent
    # The cookie token to send back when this request created the respondent.
    new_token: str | None = None


def _new_token() -> str:
    return secrets.token_urlsafe(18)


def _cookie_token(request: HttpRequest) -> str | None:
    token = request.get_signed_cookie(conf.cookie_name(), default=None, salt=COOKIE_SALT)
    # A valid signature on an odd value would still only name a respondent; the
    # length check keeps the key within its column.
    if token is None or not 16 <= len(token) <= 64:
        return None
    return str(token)


def respondent_from_request(request: HttpRequest, *, create: bool) -> RequestRespondent | None:
    """The signed-in user, else the signed cookie; a new cookie respondent if `create`."""
    address_hash = ip_hash(client_ip(request))
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return RequestRespondent(
            Respondent(key=f"u:{user.pk}", user_id=user.pk, ip_hash=address_hash)
        )
    token = _cookie_token(request)
    if token is not None:
        return RequestRespondent(Respondent(key=f"c:{token}", ip_hash=address_hash))
    if not create:
        return None
    token = _new_token()
    return RequestRespondent(Respondent(key=f"c:{token}", ip_hash=address_hash), new_token=token)


def respondent_cookie_set(response: HttpResponse, request: HttpRequest, token: str) -> None:
    response.set_signed_cookie(
        conf.cookie_name(),
        token,
        salt=COOKIE_SALT,
        max_age=conf.cookie_max_age(),
        secure=request.is_secure(),
        httponly=True,
        # Lax: sent on the reader's own top-level navigation and same-site
        # fetches, never on a cross-site POST, so another site cannot vote
        # "as" a reader who has already voted.
        samesite="Lax",
    )


def ip_hash(address: str) -> str:
    """A keyed hash of the address: enough to count ballots per address, useless to log-readers."""
    if not address:
        return ""
    return salted_hmac(IP_HASH_SALT, address, algorithm="sha256").hexdigest()[:32]


def _host_trusted(url: str, request: HttpRequest) -> bool:
    netloc = urlsplit(url).netloc.lower()
    if not netloc:
        return False
    if netloc == request.get_host().lower():
        return True
    for origin in getattr(settings, "CSRF_TRUSTED_ORIGINS", []):
        trusted = urlsplit(origin).netloc.lower()
        # "https://*.example.org" trusts every subdomain, as Django's CSRF check does.
        pattern = trusted[1:] if trusted.startswith("*.") else trusted
        if netloc == trusted or (pattern != trusted and is_same_domain(netloc, pattern)):
            return True
    return False


def origin_allowed(request: HttpRequest) -> bool:
    """A same-site check in place of a CSRF token.

    Browsers send Origin with every POST (and Sec-Fetch-Site where supported),
    so a cross-site form is refused. A request with neither Origin nor Referer
    did not come from another site's page in a current browser; it may come
    from a script, which could equally have fetched our form, so it is let
    through to the one-ballot and rate rules.
    """
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return False
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin != "null" and _host_trusted(origin, request)
    referer = request.headers.get("Referer")
    if referer:
        return _host_trusted(referer, request)
    return True
