"""/polls/: the poll archive, one poll, and voting by the rules of /polls/<id>/vote/.

What a poll shows is decided by `polls.presentation.poll_view`, as for the
archive page (a response shared by every reader: never «you voted»); a vote
goes through `polls.services.ballot_cast`, and its refusals keep their codes.
"""

from __future__ import annotations

from typing import Any

from ninja import Router

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from vestnik.api import representations as show
from vestnik.api import schemas
from vestnik.api.errors import ApiError
from vestnik.api.routers.offsets import cursor_page
from vestnik.core import front_cache
from vestnik.polls.cache_keys import POLL_ARCHIVE, poll_key
from vestnik.polls.identity import origin_allowed, respondent_cookie_set, respondent_from_request
from vestnik.polls.models import Poll
from vestnik.polls.presentation import poll_view, results_payload
from vestnik.polls.selectors import poll_archive, poll_for_ballot, poll_for_display
from vestnik.polls.services import ballot_cast, refusal_cross_site, refusal_foreign_option

router = Router(tags=["polls"])
MAX_ID = 2**63 - 1
# Open polls' tallies move with every ballot and nothing purges them: kept briefly.
POLL_MAX_AGE = 30


def _language(language: str) -> str:
    if language not in ("ru", "en"):
        raise ApiError("invalid", "language must be ru or en.")
    return language


def _poll(
    request: HttpRequest, poll: Poll, language: str, *, has_voted: bool | None = None
) -> dict[str, Any]:
    front_cache.depends_on(poll_key(poll.pk))
    payload = results_payload(poll_view(poll, live=True, language=language, has_voted=has_voted))
    return {
        "id": poll.pk,
        "number": poll.number,
        "api_url": show.api_url(request, "poll", poll.pk),
        "url": request.build_absolute_uri(reverse("polls:detail", args=[poll.pk])),
        "language": payload["language"],
        "question": payload["question"],
        "kind": payload["kind"],
        "max_choices": payload["max_choices"],
        "open": payload["open"],
        "closed": payload["closed"],
        "results_visible": payload["results_visible"],
        "respondents": payload["respondents"],
        "votes": payload["votes"],
        "options": [
            {"id": o["id"], "text": o["text"], "count": o["count"], "percent": o["percent"]}
            for o in payload["options"]
        ],
    }


def _cache_briefly(response: HttpResponse) -> None:
    response["Cache-Control"] = f"public, max-age={POLL_MAX_AGE}"


@router.get("/", response={200: schemas.PollList, 400: schemas.Error}, url_name="polls")
def poll_list(
    request: HttpRequest,
    response: HttpResponse,
    language: str = "ru",
    limit: int = 20,
    cursor: str = "",
) -> dict[str, Any]:
    language = _language(language)
    front_cache.depends_on(POLL_ARCHIVE)
    _cache_briefly(response)
    polls: list[Poll]
    polls, next_url = cursor_page(
        request,
        poll_archive(language=language),
        kind=f"polls:{language}",
        limit=limit,
        cursor=cursor,
    )
    return {"results": [_poll(request, p, language) for p in polls], "next": next_url}


def _poll_or_404(poll_id: int) -> Poll:
    poll = poll_for_display(poll_id) if 0 < poll_id <= MAX_ID else None
    if poll is None:
        raise Http404
    return poll


@router.get("/{int:poll_id}/", response={200: schemas.Poll, 404: schemas.Error}, url_name="poll")
def poll_detail(
    request: HttpRequest, response: HttpResponse, poll_id: int, language: str = "ru"
) -> dict[str, Any]:
    _cache_briefly(response)
    return _poll(request, _poll_or_404(poll_id), _language(language))


@router.post(
    "/{int:poll_id}/vote/",
    response={
        200: schemas.VoteAccepted,
        400: schemas.Error,
        403: schemas.Error,
        404: schemas.Error,
        409: schemas.Error,
        429: schemas.Error,
    },
    url_name="poll_vote",
)
def poll_vote(
    request: HttpRequest, response: HttpResponse, poll_id: int, vote: schemas.Vote
) -> dict[str, Any]:
    poll = poll_for_ballot(poll_id) if 0 < poll_id <= MAX_ID else None
    if poll is None:
        raise Http404
    who = respondent_from_request(request, create=True)
    if who is None:
        raise Http404
    if not origin_allowed(request):
        raise refusal_cross_site()
    if any(not 0 < option_id <= MAX_ID for option_id in vote.options):
        raise refusal_foreign_option()
    ballot_cast(
        poll=poll,
        option_ids=vote.options,
        respondent=who.respondent,
        audience=vote.audience or None,
    )
    response["Cache-Control"] = "no-store"
    if who.new_token:
        respondent_cookie_set(response, request, who.new_token)
    shown = _poll_or_404(poll_id)
    return {"ok": True, "poll": _poll(request, shown, "ru", has_voted=True)}
