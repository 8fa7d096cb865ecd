"""Subscribing, confirming, preferences and unsubscribing: the newsletters' reader-facing URLs.

Every one is per reader and says so with `never_cache`. The subscription
forms sit on cached pages: their CSRF token and time stamp come from `start`
when the reader first touches the form (static/js/newsletters.js), and the
form page `subscribe` works without JavaScript. Links from e-mails open a
page that asks before it changes anything (mail scanners follow links),
except the RFC 8058 one-click POST, which mail clients send without cookies
or CSRF token: its signed URL is the authority.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from vestnik.core import form_guard
from vestnik.core.client_address import client_ip
from vestnik.newsletters import conf
from vestnik.newsletters.forms import LinkRequestForm, PreferencesForm, SubscribeForm
from vestnik.newsletters.models import Subscriber
from vestnik.newsletters.offers import (
    preferences_followed,
    preferences_groups,
    subscribe_offered,
)
from vestnik.newsletters.services import (
    SubscribeRefused,
    preferences_link_send,
    preferences_save,
    subscription_confirm,
    subscription_request,
    unsubscribe,
)
from vestnik.newsletters.tokens import LinkRefused, link_token, link_token_read

# A person takes this long at least to type an address and tick a box.
MIN_FORM_SECONDS = 2.0
FORM_MAX_AGE_SECONDS = 24 * 3600


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _network_rate_check(request: HttpRequest) -> None:
    """Refuse a network sending more requests an hour than `conf.requests_per_hour_per_network`.

    Counted in the cache under a hash of the address: nothing about the reader is stored.
    """
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_ip(request)}".encode()).hexdigest()
    key = f"newsletters:requests:{digest[:32]}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    if count > conf.requests_per_hour_per_network():
        raise SubscribeRefused(
            "rate_limited",
            _("Too many requests from your network. Please try again in an hour."),
            429,
        )


def _guard(request: HttpRequest) -> None:
    if form_guard.honeypot_filled(request.POST):
        raise SubscribeRefused(
            "honeypot", _("The form could not be accepted. Please leave the last field empty.")
        )
    try:
        form_guard.form_stamp_check(
            request.POST.get(form_guard.STAMP_FIELD, ""),
            min_seconds=MIN_FORM_SECONDS,
            max_age=FORM_MAX_AGE_SECONDS,
        )
    except form_guard.FormStampRefused as refusal:
        raise SubscribeRefused(refusal.code, refusal.message) from None
    _network_rate_check(request)


@never_cache
@require_safe
def start(request: HttpRequest) -> JsonResponse:
    """What a cached page's subscription form needs from this reader's session."""
    return JsonResponse({"csrf": get_token(request), "started": form_guard.form_stamp()})


def _subscribe_page(
    request: HttpRequest, form: SubscribeForm, *, message: str = "", status: int = 200
) -> TemplateResponse:
    return TemplateResponse(
        request,
        "pages/newsletters/subscribe.html",
        {"form": form, "stamp": form_guard.form_stamp(), "message": message},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> TemplateResponse:
    """The form page (GET; ?follow=country:7 pre-ticks a target) and every form's POST."""
    data = request.POST if request.method == "POST" else None
    follow = (request.POST if data is not None else request.GET).getlist("targets") or [
        request.GET.get("follow", "")
    ]
    offered = subscribe_offered(_language(), follow)
    if data is None:
        initial = {
            "language": _language(),
            "targets": [key for key in follow if key] or ["digest"],
            "source": request.GET.get("source", "")[:500],
        }
        return _subscribe_page(request, SubscribeForm(initial=initial, offered=offered))
    form = SubscribeForm(data, offered=offered)
    try:
        _guard(request)
        if not form.is_valid():
            return _subscribe_page(request, form, status=400)
        subscription_request(
            email=form.cleaned_data["email"],
            language=form.cleaned_data["language"],
            targets=form.cleaned_data["targets"],
            source_url=form.cleaned_data["source"],
        )
    except SubscribeRefused as refusal:
        return _subscribe_page(request, form, message=refusal.message, status=refusal.status)
    # The same answer whether the address was new, pending or subscribed: the
    # page tells nobody who reads this site.
    return TemplateResponse(
        request,
        "pages/newsletters/subscribe_done.html",
        {"email": form.cleaned_data["email"], "unconfirmed_days": conf.confirm_max_age().days},
    )


def _link_refused(request: HttpRequest, refusal: LinkRefused) -> TemplateResponse:
    return TemplateResponse(
        request,
        "pages/newsletters/link_refused.html",
        {"message": refusal.message, "form": LinkRequestForm(), "stamp": form_guard.form_stamp()},
        status=404 if refusal.code == "gone" else 400,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> TemplateResponse:
    """GET asks, POST confirms: a mail scanner opening the link subscribes nobody."""
    try:
        subscriber = link_token_read(token, "confirm")
    except LinkRefused as refusal:
        return _link_refused(request, refusal)
    context: dict[str, object] = {"subscriber": subscriber, "token": token, "done": False}
    if request.method == "POST":
        subscription_confirm(subscriber)
        context["done"] = True
    return TemplateResponse(request, "pages/newsletters/confirm.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest, token: str) -> TemplateResponse:
    """Everything the reader follows, grouped, changed at once (the signed link is the consent)."""
    try:
        subscriber = link_token_read(token, "preferences")
    except LinkRefused as refusal:
        return _link_refused(request, refusal)
    groups = preferences_groups(subscriber, _language())
    offered = [choice for group in groups for choice in group.choices]
    saved = False
    if request.method == "POST":
        form = PreferencesForm(request.POST, offered=offered)
        if form.is_valid():
            kept = preferences_save(
                subscriber,
                language=form.cleaned_data["language"],
                targets=form.cleaned_data["targets"],
                source_url=request.path,
            )
            if kept is None:
                return TemplateResponse(request, "pages/newsletters/unsubscribed.html", {})
            subscriber = kept
            saved = True
            groups = preferences_groups(subscriber, _language())
            form = PreferencesForm(
                initial=_preferences_initial(subscriber),
                offered=[choice for group in groups for choice in group.choices],
            )
    else:
        form = PreferencesForm(initial=_preferences_initial(subscriber), offered=offered)
    chosen = form["targets"].value() or []
    return TemplateResponse(
        request,
        "pages/newsletters/preferences.html",
        {
            "subscriber": subscriber,
            "form": form,
            "groups": groups,
            "chosen": [str(key) for key in chosen],
            "saved": saved,
            "unsubscribe_token": link_token(subscriber, "unsubscribe"),
        },
        status=200 if request.method != "POST" or saved else 400,
    )


def _preferences_initial(subscriber: Subscriber) -> dict[str, object]:
    return {
        "language": subscriber.language,
        "targets": preferences_followed(subscriber, _language()),
    }


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks; POST stops everything — from the page's button or a mail client's
    one-click button (RFC 8058: `List-Unsubscribe=One-Click`, no cookies, no CSRF token)."""
    try:
        subscriber = link_token_read(token, "unsubscribe")
    except LinkRefused as refusal:
        if request.method == "POST" and refusal.code == "gone":
            # Already unsubscribed: a mail client's second click has nothing to do.
            return TemplateResponse(request, "pages/newsletters/unsubscribed.html", {})
        return _link_refused(request, refusal)
    if request.method == "POST":
        unsubscribe(subscriber)
        return TemplateResponse(request, "pages/newsletters/unsubscribed.html", {})
    return TemplateResponse(
        request,
        "pages/newsletters/unsubscribe.html",
        {"subscriber": subscriber, "token": token},
    )


@never_cache
@require_http_methods(["POST"])
def link_request(request: HttpRequest) -> TemplateResponse:
    """Send a fresh preferences link to an address, if it is subscribed (the answer is the same)."""
    form = LinkRequestForm(request.POST)
    try:
        _guard(request)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "pages/newsletters/link_refused.html",
                {"form": form, "stamp": form_guard.form_stamp()},
                status=400,
            )
        preferences_link_send(form.cleaned_data["email"])
    except SubscribeRefused as refusal:
        return TemplateResponse(
            request,
            "pages/newsletters/link_refused.html",
            {"form": form, "stamp": form_guard.form_stamp(), "message": refusal.message},
            status=refusal.status,
        )
    return TemplateResponse(
        request,
        "pages/newsletters/subscribe_done.html",
        {"email": form.cleaned_data["email"], "link": True},
    )


@require_safe
def privacy(request: HttpRequest) -> TemplateResponse:
    """What is kept about subscribers and for how long, in the reader's language."""
    return TemplateResponse(
        request,
        "pages/newsletters/privacy.html",
        {
            "unconfirmed_days": conf.confirm_max_age().days,
            "link_days": conf.link_max_age().days,
            "max_failures": conf.max_failures(),
        },
    )
