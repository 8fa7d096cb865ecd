"""The readership reports in the Wagtail admin: an overview of a period, and one page's days.

Who may see them (docs/readership.md, «Reports for editors»): users holding
`readership.view_readership`, which `setup_site` and the migration
`0002_report_permission` give the editors' and the authors' groups. Each
report covers the pages the user may edit (`reports.readable_pages`): an
editor's is the whole site, an author's their blog and co-authored articles.
Another's page answers 404 to an author, as if it did not exist; a user
without the permission is refused as Wagtail refuses (the dashboard with a
message); an anonymous visitor gets the login page.

Every table and a page's days download as CSV with `?format=csv`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from wagtail.models import Page

from vestnik.readership import exports
from vestnik.readership.admin_forms import PeriodForm
from vestnik.readership.charts import bar_chart
from vestnik.readership.reports import (
    VIEW_PERMISSION,
    overview,
    page_is_readable,
    page_series,
    readable_pages,
    reads_whole_site,
)

URL = "readership_reports"
# The overview lists this many top articles; its CSV lists every article read.
TOP_LIMIT = 20
PERIOD_PARAMETERS = ("period", "start", "end")


def _period_form(request: HttpRequest) -> PeriodForm:
    asked = any(name in request.GET for name in PERIOD_PARAMETERS)
    return PeriodForm(request.GET if asked else None, initial={"period": "week"})


def _period_query(request: HttpRequest) -> str:
    """The period's part of the query string, for links that keep it (CSV, page reports)."""
    query = QueryDict(mutable=True)
    for name in PERIOD_PARAMETERS:
        if request.GET.get(name):
            query[name] = request.GET[name]
    return query.urlencode()


def _csv(header: list[str], rows: list[list[exports.Cell]], filename: str) -> HttpResponse:
    response = HttpResponse(exports.csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _wants_csv(request: HttpRequest) -> bool:
    return request.GET.get("format") == "csv"


@permission_required(VIEW_PERMISSION, raise_exception=True)
def overview_view(request: HttpRequest) -> HttpResponse:
    form = _period_form(request)
    period = form.report_period()
    scope = readable_pages(request.user)
    table = request.GET.get("table", "")
    if _wants_csv(request) and not form.errors:
        if table not in exports.TABLES:
            raise Http404("No such table.")
        header, rows = exports.overview_table(overview(scope, period), table)
        return _csv(header, rows, exports.csv_filename(table, period))
    report = overview(scope, period, limit=TOP_LIMIT)
    return TemplateResponse(
        request,
        "wagtailadmin/readership/overview.html",
        {
            "header_title": _("Readership"),
            "form": form,
            "report": report,
            "period_query": _period_query(request) if not form.errors else "",
            "top_limit": TOP_LIMIT,
            "whole_site": reads_whole_site(request.user),
        },
    )


def _readable_page(request: HttpRequest, page_id: int) -> Page:
    page = get_object_or_404(Page.objects.select_related("locale"), pk=page_id)
    # Another author's page is answered as missing: its existence is not theirs to learn.
    if not page_is_readable(request.user, page):
        raise Http404("No such page.")
    return page


@permission_required(VIEW_PERMISSION, raise_exception=True)
def page_view(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _readable_page(request, page_id)
    form = _period_form(request)
    series = page_series(page, form.report_period())
    if _wants_csv(request) and not form.errors:
        header, rows = exports.series_table(series)
        return _csv(header, rows, exports.csv_filename(f"page-{page.pk}", series.period))
    context: dict[str, Any] = {
        "header_title": _("Readership of «%(title)s»") % {"title": page.get_admin_display_title()},
        "page": page,
        "form": form,
        "series": series,
        "chart": bar_chart([(day.day, day.views) for day in series.days]),
        "period_query": _period_query(request) if not form.errors else "",
        "public_url": page.get_url(request) if page.live else None,
        "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        "overview_url": reverse(f"{URL}:index"),
    }
    return TemplateResponse(request, "wagtailadmin/readership/page.html", context)
