"""HTTP interface of polls: vote, results (JSON), a poll's own page and the archive.

None of these responses is stored by the page cache (they are not Wagtail
pages), and the per-reader ones say so with `never_cache`.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from vestnik.polls import conf
from vestnik.polls.identity import origin_allowed, respondent_cookie_set, respondent_from_request
from vestnik.polls.models import Poll
from vestnik.polls.presentation import poll_view, results_payload
from vestnik.polls.selectors import poll_archive, poll_for_ballot, poll_for_display
from vestnik.polls.services import (
    BallotRefused,
    ballot_cast,
    refusal_cross_site,
    refusal_foreign_option,
)

# Query keys the no-JavaScript vote redirect adds to the page it returns to:
# with a query string the page bypasses the anonymous cache and draws this
# reader's result in place of the form.
RETURN_KEYS = ("poll", "voted")


# Ids are bigint primary keys; anything outside that range names nothing of ours,
# and passing it on would make the database driver fail with a 500.
MAX_ID = 2**63 - 1


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _poll_or_404(poll_id: int, *, with_options: bool = True) -> Poll:
    if not 0 < poll_id <= MAX_ID:
        raise Http404
    poll = poll_for_display(poll_id) if with_options else poll_for_ballot(poll_id)
    if poll is None:
        raise Http404
    return poll


def _option_ids(values: list[str]) -> list[int]:
    try:
        ids = [int(value) for value in values]
    except ValueError:
        raise refusal_foreign_option() from None
    if any(not 0 < option_id <= MAX_ID for option_id in ids):
        raise refusal_foreign_option()
    return ids


def _is_local_path(url: str) -> bool:
    """A path on this site that no browser can read as another host.

    `//host/x` is a URL without a scheme, and browsers read `/\\host/x` the same
    way, since they take backslashes for slashes.
    """
    return (
        url.startswith("/")
        and not url.startswith("//")
        and "\\" not in url
        and url_has_allowed_host_and_scheme(url, allowed_hosts=set())
    )


def _poll_page_url(poll: Poll) -> str:
    return f"{reverse('polls:detail', args=[poll.pk])}?voted=1#poll-{poll.pk}"


def _return_url(request: HttpRequest, poll: Poll) -> str:
    """Back to the page the reader voted on (if it is ours), marked to draw their result."""
    candidate = request.POST.get("next") or request.headers.get("Referer", "")
    safe = "\\" not in candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not candidate or not safe:
        return _poll_page_url(poll)
    parts = urlsplit(candidate)
    query = [
        pair
        for pair in parse_qsl(parts.query, keep_blank_values=True)
        if pair[0] not in RETURN_KEYS
    ]
    query += [("poll", str(poll.pk)), ("voted", "1")]
    # Only the path of the candidate is kept, so the check that counts is on what we send:
    # «http://our-host//evil.example/x» passes the host check, its path does not.
    location = urlunsplit(("", "", parts.path or "/", urlencode(query), f"poll-{poll.pk}"))
    return location if _is_local_path(location) else _poll_page_url(poll)


def _refused(request: HttpRequest, poll: Poll, refusal: BallotRefused) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {"ok": False, "error": refusal.code, "message": refusal.message}, status=refusal.status
        )
    prefetch_related_objects([poll], "options")
    view = poll_view(
        poll,
        request=request,
        personal=True,
        heading=gettext("Poll No. %(number)s") % {"number": poll.number},
        message=refusal.message,
        error=True,
    )
    return TemplateResponse(
        request, "pages/polls/poll_detail.html", {"view": view}, status=refusal.status
    )


@csrf_exempt  # cached pages carry no CSRF token; identity.origin_allowed defends instead
@never_cache
def vote(request: HttpRequest, poll_id: int) -> HttpResponse:
    # The ballot itself needs only the poll row; options are loaded when a
    # response shows them. This is the hot path under load.
    poll = _poll_or_404(poll_id, with_options=False)
    if request.method != "POST":
        refusal = BallotRefused(
            "method_not_allowed", _("Votes are cast by sending the poll form."), 405
        )
        not_allowed = _refused(request, poll, refusal)
        not_allowed["Allow"] = "POST"
        return not_allowed
    who = respondent_from_request(request, create=True)
    if who is None:  # create=True always yields one; this keeps the type checker honest
        raise Http404
    try:
        if not origin_allowed(request):
            raise refusal_cross_site()
        ballot_cast(
            poll=poll,
            option_ids=_option_ids(request.POST.getlist("option")),
            respondent=who.respondent,
            audience=request.POST.get("audience") or None,
        )
    except BallotRefused as refusal:
        return _refused(request, poll, refusal)

    response: HttpResponse
    if _wants_json(request):
        # The options come with the results (selectors.poll_options), not from a prefetch.
        view = poll_view(
            poll,
            request=request,
            personal=True,
            has_voted=True,
            message=gettext("Thank you, your vote has been counted."),
        )
        response = JsonResponse({"ok": True, **results_payload(view)})
    else:
        response = redirect(_return_url(request, poll))
    if who.new_token:
        respondent_cookie_set(response, request, who.new_token)
    return response


@require_safe
@never_cache
def results(request: HttpRequest, poll_id: int) -> JsonResponse:
    view = poll_view(_poll_or_404(poll_id), request=request, personal=True)
    return JsonResponse(results_payload(view))


@require_safe
@never_cache
def detail(request: HttpRequest, poll_id: int) -> TemplateResponse:
    poll = _poll_or_404(poll_id)
    heading = gettext("Poll No. %(number)s") % {"number": poll.number}
    view = poll_view(poll, request=request, personal=True, heading=heading)
    if request.GET.get("voted") and view.has_voted:
        view = poll_view(
            poll,
            request=request,
            personal=True,
            heading=heading,
            has_voted=True,
            message=gettext("Thank you, your vote has been counted."),
        )
    return TemplateResponse(request, "pages/polls/poll_detail.html", {"view": view})


@require_safe
def archive(request: HttpRequest) -> TemplateResponse:
    paginator = Paginator(poll_archive(), conf.archive_page_size())
    page_obj = paginator.get_page(request.GET.get("page"))
    views = [poll_view(poll, live=True) for poll in page_obj.object_list]
    return TemplateResponse(
        request,
        "pages/polls/poll_archive.html",
        {"views": views, "page_obj": page_obj, "paginator": paginator},
    )
