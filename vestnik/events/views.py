"""Registration, cancellation and calendar files: the per-reader and non-page URLs of events.

Event pages are Wagtail pages, cached for every anonymous reader. What is
per reader lives here and says so with `never_cache`: the form's CSRF token
and time stamp (`register_start`), the registration POST (CSRF-protected as
any Django form), the cancel page. The calendar files are the same for all.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_safe

from vestnik.core.form_guard import form_stamp
from vestnik.core.site_identity import site_name
from vestnik.events.calendar import event_ics, events_ics
from vestnik.events.forms import RegistrationForm
from vestnik.events.models import EventPage, RegistrationStatus
from vestnik.events.selectors import events_for_calendar, public_event_or_404, seats_taken
from vestnik.events.services import (
    RegistrationRefused,
    form_stamp_check,
    registration_cancel,
    registration_create,
    registration_from_token,
    registration_refusal,
)


def registration_state(event: EventPage) -> tuple[str, str]:
    """('open' | 'waiting' | 'full' | 'closed' | 'past', what to tell the reader)."""
    source = event.registration_event()
    refusal = registration_refusal(source)
    if refusal is not None:
        return refusal.code, refusal.message
    if source.capacity is not None and seats_taken(source) >= source.capacity:
        if source.waiting_list:
            return "waiting", _("All seats are taken; you can join the waiting list.")
        return "full", _("All seats are taken.")
    return "open", ""


def _form_page(
    request: HttpRequest,
    event: EventPage,
    form: RegistrationForm,
    *,
    message: str = "",
    status: int = 200,
) -> TemplateResponse:
    state, state_message = registration_state(event)
    return TemplateResponse(
        request,
        "pages/events/registration_form.html",
        {
            "event": event,
            "form": form,
            "stamp": form_stamp(),
            "state": state,
            "message": message or state_message,
        },
        status=status,
    )


@never_cache
@require_safe
def register_start(request: HttpRequest, event_id: int) -> JsonResponse:
    """What the cached event page's form needs from this reader's session."""
    event = public_event_or_404(event_id)
    state, message = registration_state(event)
    return JsonResponse(
        {"csrf": get_token(request), "started": form_stamp(), "state": state, "message": message}
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest, event_id: int) -> TemplateResponse:
    event = public_event_or_404(event_id)
    if request.method != "POST":
        return _form_page(request, event, RegistrationForm(event=event))
    form = RegistrationForm(request.POST, event=event)
    if form.honeypot_filled:
        # Said plainly: a person who somehow filled it can read why.
        return _form_page(
            request,
            event,
            form,
            message=_("The form could not be accepted. Please leave the last field empty."),
            status=400,
        )
    try:
        form_stamp_check(request.POST.get("started", ""))
        if not form.is_valid():
            return _form_page(request, event, form, status=400)
        registration = registration_create(
            event=event,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            organisation=form.cleaned_data["organisation"],
            answers=form.answers(),
            language=translation.get_language() or "ru",
        )
    except RegistrationRefused as refusal:
        return _form_page(request, event, form, message=refusal.message, status=refusal.status)
    return TemplateResponse(
        request,
        "pages/events/registration_done.html",
        {
            "event": event,
            "registration": registration,
            "waiting": registration.status == RegistrationStatus.WAITING,
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request: HttpRequest, token: str) -> TemplateResponse:
    """GET asks, POST cancels: mail scanners follow links, and must not cancel a seat."""
    try:
        registration = registration_from_token(token)
    except RegistrationRefused as refusal:
        return TemplateResponse(
            request,
            "pages/events/registration_cancel.html",
            {"message": refusal.message, "error": True},
            status=refusal.status,
        )
    event = registration.event.localized_in(translation.get_language() or "ru")
    context = {"registration": registration, "event": event, "done": False}
    if request.method == "POST":
        registration_cancel(registration=registration)
        context["done"] = True
    elif registration.status == RegistrationStatus.CANCELLED:
        context["done"] = True
    return TemplateResponse(request, "pages/events/registration_cancel.html", context)


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
@cache_control(public=True, max_age=900)
def event_calendar(request: HttpRequest, event_id: int) -> HttpResponse:
    event = public_event_or_404(event_id)
    return _calendar_response(
        event_ics(event, url=event.get_full_url(request) or "", host=request.get_host()),
        f"event-{event.pk}.ics",
    )


@require_safe
@cache_control(public=True, max_age=900)
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """Upcoming events in this language, for Google Calendar, Thunderbird and the like."""
    events = [(event, event.get_full_url(request) or "") for event in events_for_calendar()]
    name = _("%(site)s: events") % {"site": site_name(request)}
    return _calendar_response(events_ics(events, name=name, host=request.get_host()), "events.ics")
