"""What templates and the JSON API show of a poll, decided in one place.

A poll is drawn in one of two ways. *Shared* (the default) is the same for
every reader, so it may sit in a page the anonymous page cache stores: it never
says whether this reader voted and never shows live tallies (only a closed
poll's final ones). *Personal* is for responses that are never cached: the
poll page, the JSON endpoints, and a page requested with a query string or a
session. The widget's script turns the shared form into the personal view by
asking the results endpoint.

Texts follow the reader's language (`core.locales.content_language`): an
English reader sees a poll's English texts, or its Russian ones marked
`lang="ru"` with a note when the poll has none (docs/polls.md, "Two languages").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from vestnik.core import page_cache
from vestnik.core.locales import content_language
from vestnik.polls.identity import respondent_from_request
from vestnik.polls.models import Audience, Poll, PollVoters
from vestnik.polls.selectors import (
    PollResults,
    poll_options,
    poll_results,
    respondent_has_voted,
)


@dataclass(frozen=True)
class PollView:
    poll: Poll
    heading: str
    is_open: bool
    closed: bool
    started: bool
    personal: bool
    has_voted: bool
    results: PollResults | None
    message: str = ""
    error: bool = False
    next_url: str = ""
    language: str = "ru"  # of the poll's texts as shown (`Poll.text_language`)
    reader_language: str = "ru"

    @property
    def untranslated(self) -> bool:
        """Shown in another language than the page's: its texts carry their own `lang`."""
        return self.language != self.reader_language

    @property
    def question(self) -> str:
        return self.poll.question_in(self.language)

    @property
    def method_note(self) -> str:
        return self.poll.method_note_in(self.language)

    @property
    def options(self) -> list[tuple[int, str]]:
        """(id, text) of each option in its order, for the form."""
        return [(option.id, option.text_in(self.language)) for option in poll_options(self.poll)]

    @property
    def dom_id(self) -> str:
        return f"poll-{self.poll.pk}"

    @property
    def show_form(self) -> bool:
        return self.is_open and not self.has_voted

    @property
    def results_pending(self) -> bool:
        """The reader voted but this poll publishes results only when it closes."""
        return self.has_voted and self.results is None

    @property
    def hint(self) -> str:
        if self.poll.is_multiple:
            maximum = self.poll.choices_allowed
            return ngettext(
                "Choose at most %(max)d option", "Choose at most %(max)d options", maximum
            ) % {"max": maximum}
        return gettext("Choose one option")

    @property
    def vote_url(self) -> str:
        return reverse("polls:vote", args=[self.poll.pk])

    @property
    def results_url(self) -> str:
        return reverse("polls:results", args=[self.poll.pk])

    @property
    def detail_url(self) -> str:
        return reverse("polls:detail", args=[self.poll.pk])

    @property
    def audiences(self) -> list[tuple[str, str]]:
        return [(code, str(label)) for code, label in Audience.choices]

    @property
    def signed_in_only(self) -> bool:
        return self.poll.voters == PollVoters.SIGNED_IN


def default_heading(poll: Poll, *, closed: bool) -> str:
    return gettext("Past poll") if closed else gettext("Poll")


def reader_has_voted(request: HttpRequest | None, poll: Poll) -> bool:
    if request is None:
        return False
    who = respondent_from_request(request, create=False)
    return who is not None and respondent_has_voted(poll=poll, respondent_key=who.respondent.key)


def request_is_personal(request: HttpRequest | None) -> bool:
    """Per-reader state may be drawn only where the page cache will not store the response."""
    return request is not None and not page_cache.request_is_cacheable(request)


def poll_view(
    poll: Poll,
    *,
    request: HttpRequest | None = None,
    personal: bool = False,
    heading: str = "",
    message: str = "",
    error: bool = False,
    next_url: str = "",
    live: bool = False,
    has_voted: bool | None = None,
    language: str | None = None,
) -> PollView:
    """Decide what to draw; `live` allows an open poll's tallies in a response nobody caches.

    `has_voted` overrides the lookup when the caller knows better (the vote
    response, whose new cookie the request does not carry yet). `language` is
    the reader's, by default the request's.
    """
    now = timezone.now()
    reader_language = language or content_language()
    shown = poll.text_language(reader_language)
    closed = poll.is_closed(now)
    if has_voted is None:
        has_voted = personal and reader_has_voted(request, poll)
    # A shared view shows only a closed poll's final tallies; live ones come
    # from the results endpoint, so a cached page never shows stale numbers.
    visible = poll.results_visible(has_voted=has_voted, now=now) and (personal or live or closed)
    return PollView(
        poll=poll,
        heading=heading or default_heading(poll, closed=closed),
        is_open=poll.is_open(now),
        closed=closed,
        started=poll.has_started(now),
        personal=personal,
        has_voted=has_voted,
        results=poll_results(poll, language=reader_language) if visible else None,
        message=message,
        error=error,
        next_url=next_url,
        language=shown,
        reader_language=reader_language,
    )


def results_html(view: PollView) -> str:
    # No request, so no context processors: the fragment draws nothing of the
    # request or the reader beyond `view`, and they cost more than the drawing.
    return render_to_string("components/poll_results.html", {"view": view})


def _number(value: Any) -> float | None:
    return float(value) if value is not None else None


def results_payload(view: PollView) -> dict[str, Any]:
    """The JSON shape of GET /polls/<id>/results/ and of a successful JSON vote."""
    poll = view.poll
    results = view.results
    if results is not None:
        options = [
            {
                "id": tally.id,
                "text": tally.text,
                "count": tally.count,
                "percent": _number(tally.percent),
                "share_of_votes": _number(tally.share),
                "label": tally.label,
            }
            for tally in results.options
        ]
    else:
        options = [
            {
                "id": option_id,
                "text": text,
                "count": None,
                "percent": None,
                "share_of_votes": None,
                "label": None,
            }
            for option_id, text in view.options
        ]
    payload: dict[str, Any] = {
        "id": poll.pk,
        "number": poll.number,
        # The texts' language: the reader's, or Russian for a poll not translated.
        "language": view.language,
        "question": view.question,
        "kind": poll.kind,
        "max_choices": poll.choices_allowed,
        "open": view.is_open,
        "closed": view.closed,
        "imported": poll.imported,
        "indicative": poll.indicative,
        "has_voted": view.has_voted,
        "results_visible": results is not None,
        "respondents": results.respondents if results else None,
        "votes": results.votes if results else None,
        "options": options,
        "html": results_html(view) if (results or view.has_voted) else "",
    }
    if results and results.audiences:
        payload["audiences"] = [
            {
                "code": audience.code,
                "label": audience.label,
                "respondents": audience.respondents,
                "options": [
                    {"id": t.id, "count": t.count, "percent": _number(t.percent)}
                    for t in audience.options
                ],
            }
            for audience in results.audiences
        ]
    if view.message:
        payload["message"] = view.message
    return payload


def embedded_poll_view(poll: Poll, *, request: HttpRequest | None, heading: str = "") -> PollView:
    """A poll inside another page (the site widget, an article's poll block).

    Shared, so the page stays cacheable, except on the page the no-JavaScript
    vote redirects back to (`?poll=<id>`): that request carries a query string,
    the page cache neither serves nor stores it, and the reader sees their result.
    """
    personal = (
        request_is_personal(request)
        and request is not None
        and request.GET.get("poll") == str(poll.pk)
    )
    return poll_view(
        poll,
        request=request,
        personal=personal,
        heading=heading,
        next_url=request.get_full_path() if request is not None else "",
        message=gettext("Thank you, your vote has been counted.")
        if personal and request is not None and request.GET.get("voted")
        else "",
    )
