"""What editors and authors read of the counts: a page's days, the top pages, totals (reads only).

Every report covers a `Period` (whole days in the site's time zone) and a
scope, the pages its reader may see (`readable_pages`): an editor's scope is
the whole site, an author's their own work. "Own work" is not decided here: it
is what the admin already lets the author edit, the blog and the articles they
co-author (`articles.services.author_permissions_sync` grants exactly those),
so the numbers an author sees are of the texts the admin calls theirs.

Sums are made by the database, grouped by page, section, country or topic; what
needs the tree (the blog an article is in) is joined in Python over a few
queries for the whole report, never one per row.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from vestnik.articles.models import ArticlePage, BlogPage
from vestnik.authors.models import Expert
from vestnik.events.models import EventPage, Registration, RegistrationStatus
from vestnik.publications.models import DownloadCount, PublicationPage
from vestnik.readership.counting import today
from vestnik.readership.models import PageViewDay
from vestnik.vocabulary.models import Country, Topic

VIEW_PERMISSION = "readership.view_readership"

WEEK_DAYS = 7
MONTH_DAYS = 30
# A custom period's longest: a year and a day, so a chart stays one screen of bars.
MAX_DAYS = 366
# A section is a child of a home page: root (1) → home (2) → section (3).
SECTION_DEPTH = 3


# --- periods ----------------------------------------------------------------


class PeriodRefused(ValueError):
    """A custom period that cannot be reported; the message says why, for the editor."""


@dataclass(frozen=True)
class Period:
    """Whole days from `start` to `end`, both included."""

    start: datetime.date
    end: datetime.date
    # "week", "month" or "custom": which switch the report shows as chosen.
    kind: str = "custom"

    @property
    def length(self) -> int:
        return (self.end - self.start).days + 1

    def days(self) -> list[datetime.date]:
        return [self.start + datetime.timedelta(days=n) for n in range(self.length)]


def period_last(days: int, *, kind: str, until: datetime.date | None = None) -> Period:
    """The last `days` days, today included: a week is today and the six before it."""
    end = until or today()
    return Period(start=end - datetime.timedelta(days=days - 1), end=end, kind=kind)


def period_week(until: datetime.date | None = None) -> Period:
    return period_last(WEEK_DAYS, kind="week", until=until)


def period_month(until: datetime.date | None = None) -> Period:
    return period_last(MONTH_DAYS, kind="month", until=until)


def period_between(
    start: datetime.date, end: datetime.date, *, until: datetime.date | None = None
) -> Period:
    """A custom period, refused when it is backwards, in the future or longer than a year."""
    last = until or today()
    if start > end:
        raise PeriodRefused(_("The period's start is after its end."))
    if end > last:
        raise PeriodRefused(_("The period cannot end after today."))
    if (end - start).days + 1 > MAX_DAYS:
        raise PeriodRefused(_("A period can be at most %(days)s days long.") % {"days": MAX_DAYS})
    return Period(start=start, end=end, kind="custom")


def _in(period: Period) -> QuerySet[PageViewDay]:
    return PageViewDay.objects.filter(day__range=(period.start, period.end))


# --- who sees what -------------------------------------------------------------


def may_read_reports(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(VIEW_PERMISSION))


def readable_pages(user: Any) -> QuerySet[Page]:
    """The pages whose numbers `user` may read: the pages the admin lets them edit.

    Editors hold `change_page` on every home page, so every page; an author's
    own group holds it on their blog and on each article they co-author. A user
    without the readership permission reads none.
    """
    if not may_read_reports(user):
        return Page.objects.none()
    return PagePermissionPolicy().instances_user_has_permission_for(user, "change")  # type: ignore[no-any-return]


def reads_whole_site(user: Any) -> bool:
    """Whether `user` reads every page's numbers (an editor), not only their own (an author)."""
    if not may_read_reports(user):
        return False
    if user.is_superuser:
        return True
    return any(
        grant.permission.codename == "change_page" and grant.page.depth <= SECTION_DEPTH - 1
        for grant in PagePermissionPolicy().get_cached_permissions_for_user(user)
    )


def page_is_readable(user: Any, page: Page) -> bool:
    """Whether `user` may read `page`'s report (no query beyond the user's cached rights)."""
    return may_read_reports(user) and bool(
        PagePermissionPolicy().user_has_permission_for_instance(user, "change", page)
    )


# --- one page ---------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    day: datetime.date
    views: int
    # Only for a publication (PDF downloads) or an event (registrations, not cancelled).
    downloads: int | None = None
    registrations: int | None = None


@dataclass(frozen=True)
class PageSeries:
    page: Page
    period: Period
    days: list[Day]
    has_downloads: bool = False
    has_registrations: bool = False

    @property
    def views(self) -> int:
        return sum(day.views for day in self.days)

    @property
    def downloads(self) -> int:
        return sum(day.downloads or 0 for day in self.days)

    @property
    def registrations(self) -> int:
        return sum(day.registrations or 0 for day in self.days)

    @property
    def busiest(self) -> Day | None:
        """The day with the most views (the earliest of equals); None when nobody read it."""
        best = max(self.days, key=lambda day: (day.views, -day.day.toordinal()), default=None)
        return best if best is not None and best.views else None


def views_per_day(page_id: int, period: Period) -> dict[datetime.date, int]:
    """The page's views on each day of the period; days without a row are 0."""
    found = dict(_in(period).filter(page_id=page_id).values_list("day", "views"))
    return {day: found.get(day, 0) for day in period.days()}


def downloads_per_day(page_ids: Iterable[int], period: Period) -> dict[datetime.date, int]:
    rows = (
        DownloadCount.objects.filter(
            page_id__in=list(page_ids), date__range=(period.start, period.end)
        )
        .values("date")
        .annotate(total=Sum("count"))
        .values_list("date", "total")
    )
    return dict(rows)


def _registrations_in(period: Period) -> QuerySet[Registration]:
    """Registrations made in the period (site's days) and not cancelled since."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return Registration.objects.filter(created_at__gte=start, created_at__lt=end).exclude(
        status=RegistrationStatus.CANCELLED
    )


def registrations_per_day(event_id: int, period: Period) -> dict[datetime.date, int]:
    rows = (
        _registrations_in(period)
        .filter(event_id=event_id)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(total=Count("pk"))
        .values_list("day", "total")
    )
    return dict(rows)


def page_series(page: Page, period: Period) -> PageSeries:
    """A page's views per day, with its PDF downloads or event registrations beside them."""
    views = views_per_day(page.pk, period)
    specific_class = page.specific_class
    downloads: dict[datetime.date, int] | None = None
    registrations: dict[datetime.date, int] | None = None
    if specific_class is not None and issubclass(specific_class, PublicationPage):
        downloads = downloads_per_day([page.pk], period)
    if specific_class is not None and issubclass(specific_class, EventPage):
        registrations = registrations_per_day(page.pk, period)
    days = [
        Day(
            day=day,
            views=count,
            downloads=None if downloads is None else downloads.get(day, 0),
            registrations=None if registrations is None else registrations.get(day, 0),
        )
        for day, count in views.items()
    ]
    return PageSeries(
        page=page,
        period=period,
        days=days,
        has_downloads=downloads is not None,
        has_registrations=registrations is not None,
    )


# --- the overview -------------------------------------------------------------


@dataclass
class PageTotal:
    """A page's views in the period, with what a list needs to name and link it."""

    page_id: int
    title: str
    language: str
    views: int
    downloads: int = 0
    registrations: int = 0


@dataclass
class Total:
    """Views added up over a group of pages: an expert's, a section's, a country's, a topic's."""

    key: int | str
    label: str
    views: int
    pages: int


def _content_type(model: type[Page]) -> ContentType:
    # Cached by Django for the process: no query after the first.
    return ContentType.objects.get_for_model(model)


def _views_by_page(
    scope: QuerySet[Page], period: Period, model: type[Page] | None = None
) -> dict[int, int]:
    rows = _in(period).filter(page__in=scope.values("pk"))
    if model is not None:
        rows = rows.filter(page__content_type=_content_type(model))
    return dict(rows.values("page_id").annotate(total=Sum("views")).values_list("page_id", "total"))


def _page_totals(views: Mapping[int, int], *, limit: int | None = None) -> list[PageTotal]:
    ranked = sorted(views.items(), key=lambda item: (-item[1], item[0]))
    if limit is not None:
        ranked = ranked[:limit]
    pages = {
        row["pk"]: row
        for row in Page.objects.filter(pk__in=[page_id for page_id, _ in ranked]).values(
            "pk", "title", "locale__language_code"
        )
    }
    return [
        PageTotal(
            page_id=page_id,
            title=pages[page_id]["title"],
            language=pages[page_id]["locale__language_code"],
            views=count,
        )
        for page_id, count in ranked
        if page_id in pages
    ]


def top_pages(
    scope: QuerySet[Page],
    period: Period,
    *,
    model: type[Page] | None = ArticlePage,
    limit: int | None = None,
) -> list[PageTotal]:
    """The pages of `scope` (articles, unless `model` says otherwise) most viewed in the period.

    Pages nobody viewed are left out; equal counts stand in the order pages were made.
    """
    return _page_totals(_views_by_page(scope, period, model), limit=limit)


def _ranked(totals: Iterable[Total]) -> list[Total]:
    return sorted(totals, key=lambda total: (-total.views, total.label))


def views_by_expert(scope: QuerySet[Page], period: Period) -> list[Total]:
    """Each author's articles' views: the blog's expert and every co-author count it in full.

    An article written by two counts for both, once each; the sum of the rows can
    therefore exceed the site's views.
    """
    views = _views_by_page(scope, period, ArticlePage)
    paths = dict(Page.objects.filter(pk__in=list(views)).values_list("pk", "path"))
    steplen = ArticlePage.steplen
    owners = dict(
        BlogPage.objects.filter(path__in={path[:-steplen] for path in paths.values()}).values_list(
            "path", "expert_id"
        )
    )
    written: dict[int, set[int]] = defaultdict(set)
    for page_id, path in paths.items():
        owner = owners.get(path[:-steplen])
        if owner is not None:
            written[owner].add(page_id)
    co_authors = ArticlePage.co_authors.through.objects.filter(
        articlepage_id__in=list(paths)
    ).values_list("articlepage_id", "expert_id")
    for page_id, expert_id in co_authors:
        written[expert_id].add(page_id)
    names = dict(Expert.objects.filter(pk__in=list(written)).values_list("pk", "full_name"))
    return _ranked(
        Total(
            key=expert_id,
            label=names.get(expert_id, ""),
            views=sum(views[page_id] for page_id in page_ids),
            pages=len(page_ids),
        )
        for expert_id, page_ids in written.items()
    )


def views_by_section(scope: QuerySet[Page], period: Period) -> list[Total]:
    """Views under each child of a home page (/blogs/, /analytics/, /events/ …), every type.

    A section and its translations are one row (/blogs/ and /en/blogs/), named
    in the site's language; a home page's own views are its own row.
    """
    prefix = SECTION_DEPTH * Page.steplen
    rows = (
        _in(period)
        .filter(page__in=scope.values("pk"))
        .annotate(section=Substr("page__path", 1, prefix))
        .values("section")
        .annotate(total=Sum("views"), pages=Count("page_id", distinct=True))
        .values_list("section", "total", "pages")
    )
    by_path = {path: (total, pages) for path, total, pages in rows}
    sections = list(
        Page.objects.filter(path__in=list(by_path)).values(
            "path", "title", "translation_key", "locale__language_code"
        )
    )
    merged: dict[str, Total] = {}
    for section in sorted(
        sections, key=lambda row: row["locale__language_code"] != settings.LANGUAGE_CODE
    ):
        key = str(section["translation_key"])
        total, pages = by_path[section["path"]]
        if key in merged:
            merged[key].views += total
            merged[key].pages += pages
        else:
            merged[key] = Total(key=key, label=section["title"], views=total, pages=pages)
    return _ranked(merged.values())


def _views_by_term(
    scope: QuerySet[Page], period: Period, relation: str, model: type[Country] | type[Topic]
) -> list[Total]:
    lookup = f"page__articlepage__{relation}"
    rows = (
        _in(period)
        .filter(page__in=scope.values("pk"), **{f"{lookup}__isnull": False})
        .values(lookup)
        .annotate(total=Sum("views"), pages=Count("page_id", distinct=True))
        .values_list(lookup, "total", "pages")
    )
    counts = {term_id: (total, pages) for term_id, total, pages in rows}
    terms = model.objects.filter(pk__in=list(counts))
    return _ranked(
        Total(key=term.pk, label=term.name, views=counts[term.pk][0], pages=counts[term.pk][1])
        for term in terms
    )


def views_by_country(scope: QuerySet[Page], period: Period) -> list[Total]:
    """Views of the articles tagged with each country (an article counts for each of its tags)."""
    return _views_by_term(scope, period, "countries", Country)


def views_by_topic(scope: QuerySet[Page], period: Period) -> list[Total]:
    """Views of the articles tagged with each topic (an article counts for each of its tags)."""
    return _views_by_term(scope, period, "topics", Topic)


def publications_with_downloads(scope: QuerySet[Page], period: Period) -> list[PageTotal]:
    """Publications viewed or downloaded in the period: views and PDF downloads side by side."""
    views = _views_by_page(scope, period, PublicationPage)
    downloads = dict(
        DownloadCount.objects.filter(
            page__in=scope.values("pk"), date__range=(period.start, period.end)
        )
        .values("page_id")
        .annotate(total=Sum("count"))
        .values_list("page_id", "total")
    )
    rows = _page_totals({page_id: views.get(page_id, 0) for page_id in {*views, *downloads}})
    for row in rows:
        row.downloads = downloads.get(row.page_id, 0)
    return sorted(rows, key=lambda row: (-row.views, -row.downloads, row.title))


def events_with_registrations(scope: QuerySet[Page], period: Period) -> list[PageTotal]:
    """Events viewed or registered for in the period: views and registrations side by side."""
    views = _views_by_page(scope, period, EventPage)
    registrations = dict(
        _registrations_in(period)
        .filter(event__in=scope.values("pk"))
        .values("event_id")
        .annotate(total=Count("pk"))
        .values_list("event_id", "total")
    )
    rows = _page_totals({page_id: views.get(page_id, 0) for page_id in {*views, *registrations}})
    for row in rows:
        row.registrations = registrations.get(row.page_id, 0)
    return sorted(rows, key=lambda row: (-row.views, -row.registrations, row.title))


@dataclass(frozen=True)
class Overview:
    period: Period
    views: int
    top: list[PageTotal]
    experts: list[Total]
    sections: list[Total]
    countries: list[Total]
    topics: list[Total]
    publications: list[PageTotal]
    events: list[PageTotal]


def overview(scope: QuerySet[Page], period: Period, *, limit: int | None = None) -> Overview:
    """Every table of the overview over one scope and period (a fixed number of queries)."""
    sections = views_by_section(scope, period)
    return Overview(
        period=period,
        views=sum(section.views for section in sections),
        top=top_pages(scope, period, limit=limit),
        experts=views_by_expert(scope, period),
        sections=sections,
        countries=views_by_country(scope, period),
        topics=views_by_topic(scope, period),
        publications=publications_with_downloads(scope, period),
        events=events_with_registrations(scope, period),
    )
