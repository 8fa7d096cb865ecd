"""The editors' side of newsletters in the Wagtail admin: mailings and special issues.

Every mailing with its ledger's counts; a special issue composed from the
suggested new items (and any page from the chooser), previewed as the
browser and as the mail client show it, sent as a test to the editor's own
address, scheduled. Once `send_newsletters` has queued it, it is read-only.

Rights (`site.services.editorial_groups_ensure`): `change_mailing` to read and
preview, `add_mailing` to compose, `send_mailing` to schedule. Authors hold
none of them. Subscribers' list is a ModelViewSet (`wagtail_hooks.py`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vestnik.newsletters import selectors, services
from vestnik.newsletters.admin_forms import ScheduleForm, SpecialIssueForm
from vestnik.newsletters.items import NewsletterItem, items_for_pages
from vestnik.newsletters.models import DeliveryStatus, Mailing, MailingKind
from vestnik.newsletters.previews import issue_preview, message_preview

VIEW_PERMISSION = "newsletters.change_mailing"
ADD_PERMISSION = "newsletters.add_mailing"
SEND_PERMISSION = "newsletters.send_mailing"

URL = "newsletters_mailings"


def _url(name: str) -> str:
    return f"{URL}:{name}"


def _editable(mailing: Mailing) -> bool:
    return mailing.kind == MailingKind.SPECIAL and mailing.status in services.EDITABLE


def _mailing_with_counts(pk: int) -> Any:
    return get_object_or_404(selectors.mailings_with_counts(), pk=pk)


def _counts(mailing: Any) -> list[tuple[str, str, int]]:
    return [
        (status.value, str(status.label), getattr(mailing, f"count_{status.value}"))
        for status in DeliveryStatus
    ]


@permission_required(VIEW_PERMISSION, raise_exception=True)
def mailing_index(request: HttpRequest) -> TemplateResponse:
    return TemplateResponse(
        request,
        "wagtailadmin/newsletters/mailing_index.html",
        {
            "mailings": selectors.mailings_with_counts()[:300],
            "statuses": DeliveryStatus,
            "header_title": _("Mailings"),
            "can_add": request.user.has_perm(ADD_PERMISSION),
        },
    )


@permission_required(VIEW_PERMISSION, raise_exception=True)
def mailing_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    mailing = _mailing_with_counts(pk)
    scheduled_local = timezone.localtime(mailing.scheduled_at) if mailing.scheduled_at else None
    return TemplateResponse(
        request,
        "wagtailadmin/newsletters/mailing_detail.html",
        {
            "mailing": mailing,
            "counts": _counts(mailing),
            "items": items_for_pages(
                list(mailing.items.values_list("page_id", flat=True)), mailing.language or "ru"
            )
            if mailing.kind == MailingKind.SPECIAL
            else [],
            "editable": _editable(mailing),
            "can_send": request.user.has_perm(SEND_PERMISSION),
            "schedule_form": ScheduleForm(initial={"send_at": scheduled_local}),
            "header_title": str(mailing),
            "time_zone": settings.TIME_ZONE,
        },
    )


def _offered(mailing: Mailing | None, language: str) -> list[NewsletterItem]:
    """The issue's items as they stand, then the suggestions it does not carry yet."""
    chosen = (
        items_for_pages(list(mailing.items.values_list("page_id", flat=True)), language)
        if mailing is not None
        else []
    )
    taken = {item.page_id for item in chosen}
    return chosen + [
        item for item in selectors.special_suggestions(language) if item.page_id not in taken
    ]


def _compose(request: HttpRequest, mailing: Mailing | None) -> HttpResponse:
    languages = dict(settings.LANGUAGES)
    if request.method == "POST":
        language = request.POST.get("language", "")
    elif mailing is not None:
        language = mailing.language
    else:
        language = request.GET.get("language", "")
    if language not in languages:
        language = settings.LANGUAGE_CODE
    offered = _offered(mailing, language)
    if request.method == "POST":
        form = SpecialIssueForm(request.POST, offered=offered)
        if form.is_valid():
            try:
                mailing = services.special_save(
                    mailing=mailing,
                    subject=form.cleaned_data["subject"],
                    language=form.cleaned_data["language"],
                    intro=form.cleaned_data["intro"],
                    page_ids=form.page_ids(),
                    user=request.user,
                )
            except services.MailingLocked as locked:
                messages.error(request, str(locked))
                if mailing is None:
                    return redirect(_url("index"))
                return redirect(_url("detail"), pk=mailing.pk)
            messages.success(request, _("The issue is saved."))
            if "preview" in request.POST:
                return redirect(_url("preview"), pk=mailing.pk)
            return redirect(_url("edit"), pk=mailing.pk)
        messages.error(request, _("The issue could not be saved; see the errors below."))
    else:
        initial: dict[str, Any] = {"language": language}
        if mailing is not None:
            initial |= {
                "subject": mailing.subject,
                "intro": mailing.intro,
                "items": list(mailing.items.values_list("page_id", flat=True)),
            }
        form = SpecialIssueForm(initial=initial, offered=offered)
    return TemplateResponse(
        request,
        "wagtailadmin/newsletters/special_form.html",
        {
            "form": form,
            "mailing": mailing,
            "offered": offered,
            "checked": {str(value) for value in form["items"].value() or []},
            "language": language,
            "languages": settings.LANGUAGES,
            "since": selectors.suggestions_since(now=timezone.now()),
            "header_title": _("Edit the special issue")
            if mailing is not None
            else _("Compose a special issue"),
        },
    )


@permission_required(ADD_PERMISSION, raise_exception=True)
def special_create(request: HttpRequest) -> HttpResponse:
    return _compose(request, None)


@permission_required(VIEW_PERMISSION, raise_exception=True)
def special_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mailing = get_object_or_404(Mailing, pk=pk, kind=MailingKind.SPECIAL)
    if not _editable(mailing):
        messages.warning(request, _("This mailing has been queued; it cannot be changed."))
        return redirect(_url("detail"), pk=mailing.pk)
    return _compose(request, mailing)


@permission_required(VIEW_PERMISSION, raise_exception=True)
def special_preview(request: HttpRequest, pk: int) -> TemplateResponse:
    mailing = get_object_or_404(Mailing, pk=pk, kind=MailingKind.SPECIAL)
    rendered = issue_preview(mailing)
    return TemplateResponse(
        request,
        "wagtailadmin/newsletters/preview.html",
        {
            "mailing": mailing,
            "rendered": rendered,
            "editable": _editable(mailing),
            "header_title": _("Preview: %(subject)s") % {"subject": rendered.subject},
        },
    )


@permission_required(VIEW_PERMISSION, raise_exception=True)
def special_message(request: HttpRequest, pk: int) -> TemplateResponse:
    """The whole message as received: headers, the plain-text part, the HTML part."""
    mailing = get_object_or_404(Mailing, pk=pk, kind=MailingKind.SPECIAL)
    message = message_preview(mailing, getattr(request.user, "email", ""))
    return TemplateResponse(
        request,
        "wagtailadmin/newsletters/message.html",
        {
            "mailing": mailing,
            "source": message.message().as_string(),
            "header_title": _("As received: %(subject)s") % {"subject": message.subject},
        },
    )


@require_POST
@permission_required(VIEW_PERMISSION, raise_exception=True)
def special_test(request: HttpRequest, pk: int) -> HttpResponse:
    mailing = get_object_or_404(Mailing, pk=pk, kind=MailingKind.SPECIAL)
    email = getattr(request.user, "email", "")
    if not email:
        messages.error(
            request, _("Your account has no e-mail address: add one in your account settings.")
        )
    else:
        services.special_test_send(mailing=mailing, email=email)
        messages.success(request, _("A test was sent to %(email)s.") % {"email": email})
    return redirect(_url("preview"), pk=mailing.pk)


@require_POST
@permission_required(SEND_PERMISSION, raise_exception=True)
def special_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    mailing = get_object_or_404(Mailing, pk=pk, kind=MailingKind.SPECIAL)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a date and time like 28.11.2025 10:00."))
        return redirect(_url("detail"), pk=mailing.pk)
    at = form.cleaned_data["send_at"] or timezone.now()
    if "now" in request.POST:
        at = timezone.now()
    try:
        services.special_schedule(mailing=mailing, at=at)
    except (services.MailingLocked, services.MailingIncomplete) as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("The issue will be sent at %(when)s.")
            % {"when": timezone.localtime(at).strftime("%d.%m.%Y %H:%M")},
        )
    return redirect(_url("detail"), pk=mailing.pk)


@require_POST
@permission_required(SEND_PERMISSION, raise_exception=True)
def special_unschedule(request: HttpRequest, pk: int) -> HttpResponse:
    mailing = get_object_or_404(Mailing, pk=pk, kind=MailingKind.SPECIAL)
    if services.special_unschedule(mailing=mailing):
        messages.success(request, _("The issue is a draft again; nothing will be sent."))
    else:
        messages.error(request, _("This mailing has been queued; it cannot be changed."))
    return redirect(_url("detail"), pk=mailing.pk)
