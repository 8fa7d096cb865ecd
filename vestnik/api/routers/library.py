"""/publications/ and /events/: the library's reports and the institution's events."""

from __future__ import annotations

from typing import Any

from ninja import Router

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import translation

from vestnik.api import representations as show
from vestnik.api import schemas
from vestnik.api.errors import ApiError
from vestnik.api.routers.offsets import cursor_page
from vestnik.core import front_cache
from vestnik.events.cache_keys import EVENT_LISTS
from vestnik.events.models import EventPage
from vestnik.events.selectors import event_people, public_event_or_404, public_events
from vestnik.publications.cache_keys import PUBLICATION_FILTERS
from vestnik.publications.models import PublicationPage
from vestnik.publications.selectors import public_publications, with_authors

router = Router()
MAX_ID = 2**63 - 1


def _languages(language: str) -> list[str]:
    if language not in ("", "ru", "en"):
        raise ApiError("invalid", "language must be ru or en.")
    return [language] if language else ["ru", "en"]


# --- publications -----------------------------------------------------------------


def _publications(language: str) -> Any:
    found = None
    for code in _languages(language):
        these = public_publications(language=code)
        found = these if found is None else found | these
    return found


def _publication(request: HttpRequest, page: PublicationPage) -> dict[str, Any]:
    front_cache.depends_on(front_cache.page_key(page.pk))
    for author in page.authors.all():
        if author.expert is not None:
            show.person(request, author.expert)
    return {
        "id": page.pk,
        "api_url": show.api_url(request, "publication", page.pk),
        "url": show.page_url(request, page),
        "language": page.language,
        "title": page.title,
        "label": page.listing_label,  # type: ignore[attr-defined]
        "series": page.series.name,
        "number": page.number,
        "year": page.year,
        "publication_date": page.publication_date,
        "abstract": page.abstract,
        "authors": [
            {
                "name": author.name_in(page.language),
                "slug": author.expert.slug if author.expert is not None else None,
            }
            for author in page.authors.all()
        ],
    }


@router.get(
    "/publications/",
    response={200: schemas.PublicationList, 400: schemas.Error},
    url_name="publications",
    tags=["publications"],
)
def publication_list(
    request: HttpRequest, language: str = "", limit: int = 20, cursor: str = ""
) -> dict[str, Any]:
    front_cache.depends_on(front_cache.ALL_LISTS, PUBLICATION_FILTERS)
    ordered = _publications(language).order_by("-publication_date", "-pk")
    pages, next_url = cursor_page(
        request, ordered, kind=f"publications:{language}", limit=limit, cursor=cursor
    )
    return {"results": [_publication(request, p) for p in with_authors(pages)], "next": next_url}


@router.get(
    "/publications/{int:publication_id}/",
    response={200: schemas.PublicationDetail, 404: schemas.Error},
    url_name="publication",
    tags=["publications"],
)
def publication_detail(request: HttpRequest, publication_id: int) -> dict[str, Any]:
    if not 0 < publication_id <= MAX_ID:
        raise Http404
    page = _publications("").filter(pk=publication_id).first()
    if page is None:
        raise Http404
    page = with_authors([page])[0]
    with translation.override("ru"):
        download = reverse("publications:download", args=[page.pk]) if page.pdf_id else None
    return {
        **_publication(request, page),
        "pdf_url": show.absolute(request, download),
        "page_count": page.page_count,
        "isbn": page.isbn,
        "doi": page.doi,
        "place": page.place,
        "countries": [show.term(request, t) for t in page.countries.all()],
        "regions": [show.term(request, t) for t in page.regions.all()],
        "topics": [show.term(request, t) for t in page.topics.all()],
    }


# --- events -------------------------------------------------------------------------


def _event(request: HttpRequest, event: EventPage) -> dict[str, Any]:
    front_cache.depends_on(front_cache.page_key(event.pk))
    return {
        "id": event.pk,
        "api_url": show.api_url(request, "event", event.pk),
        "url": show.page_url(request, event),
        "language": show.language_of(event.locale_id),
        "title": event.title,
        "kind": event.kind,
        "lead": event.lead,
        "start": event.start,
        "end": event.end,
        "place": event.place,
    }


@router.get(
    "/events/",
    response={200: schemas.EventList, 400: schemas.Error},
    url_name="events",
    tags=["events"],
)
def event_list(
    request: HttpRequest, language: str = "", limit: int = 20, cursor: str = ""
) -> dict[str, Any]:
    front_cache.depends_on(EVENT_LISTS)
    codes = _languages(language)
    found = public_events(language=codes[0])
    for code in codes[1:]:
        found = found | public_events(language=code)
    events, next_url = cursor_page(
        request,
        found.order_by("-start", "-pk"),
        kind=f"events:{language}",
        limit=limit,
        cursor=cursor,
    )
    return {"results": [_event(request, e) for e in events], "next": next_url}


@router.get(
    "/events/{int:event_id}/",
    response={200: schemas.EventDetail, 404: schemas.Error},
    url_name="event",
    tags=["events"],
)
def event_detail(request: HttpRequest, event_id: int) -> dict[str, Any]:
    if not 0 < event_id <= MAX_ID:
        raise Http404
    event = public_event_or_404(event_id)
    people = event_people(event)
    participants = []
    for role, group in (("speaker", people.speakers), ("moderator", people.moderators)):
        for p in group:
            expert = p.expert
            if expert is not None:
                show.person(request, expert)
            participants.append(
                {
                    "role": role,
                    "name": expert.name_in(show.language_of(event.locale_id)) if expert else p.name,
                    "affiliation": p.affiliation,
                    "expert": expert.slug if expert else None,
                }
            )
    return {
        **_event(request, event),
        "description": show.expand_db_html(event.description),
        "online_url": event.online_url,
        "video_url": event.video_url,
        "write_up": show.expand_db_html(event.write_up),
        "participants": participants,
        "countries": [show.term(request, t) for t in event.countries.all()],
        "topics": [show.term(request, t) for t in event.topics.all()],
    }
