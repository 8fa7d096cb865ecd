"""The readership reports in the admin, over HTTP: who sees what, the chart, the CSV, the budget."""

from __future__ import annotations

import csv
import datetime
import io
import re
from typing import Any

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client, TestCase
from django.urls import reverse

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.events.factories import event_page
from vestnik.events.models import EventIndexPage, Registration, RegistrationStatus
from vestnik.publications.factories import publication_in_library
from vestnik.publications.models import DownloadCount
from vestnik.readership.counting import today
from vestnik.readership.exports import BYTE_ORDER_MARK, safe_cell
from vestnik.readership.models import PageViewDay
from vestnik.readership.reports import MONTH_DAYS, WEEK_DAYS
from vestnik.site.services import site_setup
from vestnik.site.tests.accounts import account_for, editor_account

OVERVIEW = reverse("readership_reports:index")


def page_report(page: Any) -> str:
    return reverse("readership_reports:page", args=[page.pk])


def csv_rows(response: Any) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith(BYTE_ORDER_MARK)
    return list(csv.reader(io.StringIO(text.removeprefix(BYTE_ORDER_MARK))))


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


class ReportsAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.blog_a = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        cls.blog_b = expert_with_blog("Ирина Соколова", "Ирины Соколовой")
        cls.own = article_in_blog(cls.blog_a, title="Статья Жакупова")
        cls.others = article_in_blog(cls.blog_b, title="Статья Соколовой")
        # A title a spreadsheet would run: it must come out as text.
        cls.formula = article_in_blog(cls.blog_b, title='=HYPERLINK("http://evil")')
        cls.publication = publication_in_library(title="Доклад о транзите")
        cls.event = event_page(
            EventIndexPage.objects.get(locale__language_code="ru"), title="Круглый стол"
        )
        for page, count in ((cls.own, 11), (cls.others, 23), (cls.formula, 5)):
            PageViewDay.objects.create(page=page, day=days_ago(0), views=count)
            PageViewDay.objects.create(page=page, day=days_ago(3), views=1)
        PageViewDay.objects.create(page=cls.publication, day=days_ago(1), views=6)
        PageViewDay.objects.create(page=cls.event, day=days_ago(1), views=2)
        DownloadCount.objects.create(page=cls.publication, date=days_ago(1), count=4)
        Registration.objects.create(
            event=cls.event,
            name="Читатель",
            email="reader@example.org",
            status=RegistrationStatus.CONFIRMED,
        )
        cls.author = account_for(cls.blog_a.expert, "asan")
        cls.editor = editor_account()
        cls.stranger = get_user_model().objects.create_user("stranger", password="x")
        cls.stranger.user_permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )

    def as_user(self, user: Any) -> Client:
        self.client.force_login(user)
        return self.client

    # --- who sees what --------------------------------------------------------

    def test_an_editor_sees_every_page(self) -> None:
        response = self.as_user(self.editor).get(OVERVIEW)
        self.assertEqual(response.status_code, 200)
        for page in (self.own, self.others, self.publication, self.event):
            self.assertContains(response, page_report(page))
        self.assertContains(response, 'data-readership-table="experts"')
        self.assertNotContains(response, 'readership-note">' + "You see")

    def test_an_author_sees_their_own_pages_only(self) -> None:
        response = self.as_user(self.author).get(OVERVIEW)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, page_report(self.own))
        self.assertContains(response, self.own.title)
        for page in (self.others, self.formula, self.publication, self.event):
            self.assertNotContains(response, page_report(page))
            self.assertNotContains(response, page.title)
        self.assertNotContains(response, "Ирина Соколова")
        # No publications or events in their scope: no empty tables for them.
        self.assertNotContains(response, 'data-readership-table="publications"')
        self.assertNotContains(response, 'data-readership-table="events"')
        rows = csv_rows(self.client.get(OVERVIEW, {"table": "top", "format": "csv"}))
        self.assertEqual([row[0] for row in rows[1:]], [str(self.own.pk)])

    def test_an_author_reads_their_own_page_report(self) -> None:
        response = self.as_user(self.author).get(page_report(self.own))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, reverse("wagtailadmin_pages:edit", args=[self.own.pk]))
        self.assertContains(response, 'href="' + self.own.url + '"')

    def test_another_authors_page_is_not_found_for_an_author(self) -> None:
        for page in (self.others, self.publication):
            with self.subTest(page=page.title):
                response = self.as_user(self.author).get(page_report(page))
                self.assertEqual(response.status_code, 404)
                csv_response = self.client.get(page_report(page), {"format": "csv"})
                self.assertEqual(csv_response.status_code, 404)

    def test_an_anonymous_visitor_goes_to_the_login(self) -> None:
        for url in (OVERVIEW, page_report(self.own), OVERVIEW + "?table=top&format=csv"):
            with self.subTest(url=url):
                response = Client().get(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith("/admin/login/"))

    def test_an_admin_user_without_the_permission_is_refused(self) -> None:
        for url in (OVERVIEW, page_report(self.own)):
            with self.subTest(url=url):
                # Wagtail's admin answers a refusal with the dashboard and a message.
                response = self.as_user(self.stranger).get(url)
                self.assertEqual((response.status_code, response["Location"]), (302, "/admin/"))
        menu = self.client.get(reverse("wagtailadmin_home"))
        self.assertNotContains(menu, OVERVIEW)

    def test_the_menu_and_the_page_buttons(self) -> None:
        home = self.as_user(self.author).get(reverse("wagtailadmin_home"))
        self.assertContains(home, OVERVIEW)
        edit = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.own.pk]))
        self.assertContains(edit, page_report(self.own))
        listing = self.as_user(self.editor).get(
            reverse("wagtailadmin_explore", args=[self.blog_b.pk])
        )
        self.assertContains(listing, page_report(self.others))

    # --- the per-page report ------------------------------------------------

    def test_the_chart_has_one_bar_per_day_and_the_table_the_same_numbers(self) -> None:
        for period, days in (("week", WEEK_DAYS), ("month", MONTH_DAYS)):
            with self.subTest(period=period):
                response = self.as_user(self.editor).get(
                    page_report(self.others), {"period": period}
                )
                html = response.content.decode()
                svg = re.search(r"<svg[^>]*data-readership-chart.*?</svg>", html, re.S)
                assert svg is not None
                self.assertIn('role="img"', svg.group(0))
                self.assertIn(
                    'aria-labelledby="readership-chart-title readership-chart-desc"', svg.group(0)
                )
                self.assertRegex(svg.group(0), r'<title id="readership-chart-title">[^<]+</title>')
                self.assertRegex(svg.group(0), r'<desc id="readership-chart-desc">[^<]+</desc>')
                bars = re.findall(
                    r'<rect [^>]*data-day="([\d-]+)" data-views="(\d+)"', svg.group(0)
                )
                self.assertEqual(len(bars), days)
                self.assertEqual(bars[-1], (today().isoformat(), "23"))
                self.assertEqual(bars[-4], (days_ago(3).isoformat(), "1"))
                # Coordinates with a dot even in Russian: the SVG must parse.
                self.assertNotRegex(svg.group(0), r'(x|y|width|height)="\d+,\d+"')
                rows = re.findall(r'<tr data-day="([\d-]+)">.*?data-views>(\d+)<', html, re.S)
                self.assertEqual(rows, bars)
                self.assertContains(response, 'data-total="views">24<')

    def test_the_page_report_shows_downloads_and_registrations(self) -> None:
        publication = self.as_user(self.editor).get(page_report(self.publication))
        self.assertContains(publication, 'data-total="downloads">4<')
        self.assertNotContains(publication, 'data-total="registrations"')
        event = self.client.get(page_report(self.event))
        self.assertContains(event, 'data-total="registrations">1<')

    def test_a_page_series_as_csv(self) -> None:
        response = self.as_user(self.editor).get(page_report(self.publication), {"format": "csv"})
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment;", response["Content-Disposition"])
        rows = csv_rows(response)
        self.assertEqual(len(rows), 1 + WEEK_DAYS)
        self.assertEqual(len(rows[0]), 3)
        self.assertEqual(rows[-2], [days_ago(1).isoformat(), "6", "4"])

    # --- the overview -----------------------------------------------------------

    def test_every_table_downloads_as_csv(self) -> None:
        self.as_user(self.editor)
        expected = {
            "top": [str(self.others.pk), "Статья Соколовой", "ru", "24"],
            "experts": ["Ирина Соколова", "2", "30"],
            "publications": [str(self.publication.pk), "Доклад о транзите", "ru", "6", "4"],
            "events": [str(self.event.pk), "Круглый стол", "ru", "2", "1"],
        }
        for table in (
            "top",
            "experts",
            "sections",
            "countries",
            "topics",
            "publications",
            "events",
        ):
            with self.subTest(table=table):
                response = self.client.get(OVERVIEW, {"table": table, "format": "csv"})
                self.assertEqual(response.status_code, 200)
                rows = csv_rows(response)
                if table in expected:
                    self.assertEqual(rows[1], expected[table])
        self.assertEqual(
            self.client.get(OVERVIEW, {"table": "users", "format": "csv"}).status_code, 404
        )

    def test_a_title_that_is_a_formula_stays_text_in_the_csv(self) -> None:
        rows = csv_rows(self.as_user(self.editor).get(OVERVIEW, {"table": "top", "format": "csv"}))
        titles = [row[1] for row in rows[1:]]
        self.assertIn('\'=HYPERLINK("http://evil")', titles)
        self.assertFalse(any(title.startswith(("=", "+", "-", "@")) for title in titles))
        for value in ("=1+2", "+7", "-3", "@SUM(A1)", "\tx", "\rx"):
            self.assertEqual(safe_cell(value), "'" + value)
        self.assertEqual(safe_cell(-3), -3)
        self.assertEqual(safe_cell("Статья"), "Статья")

    def test_a_custom_period(self) -> None:
        start, end = days_ago(5), days_ago(2)
        response = self.as_user(self.editor).get(
            OVERVIEW, {"period": "custom", "start": start.isoformat(), "end": end.isoformat()}
        )
        self.assertEqual(response.status_code, 200)
        # Only the day three days ago: 1 view of each of the three articles.
        top = re.findall(
            r'<tr data-page="(\d+)">.*?data-views>(\d+)<', response.content.decode(), re.S
        )
        self.assertEqual(
            sorted(top),
            sorted((str(page.pk), "1") for page in (self.own, self.others, self.formula)),
        )
        rows = csv_rows(
            self.client.get(
                OVERVIEW,
                {
                    "period": "custom",
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "table": "top",
                    "format": "csv",
                },
            )
        )
        self.assertEqual({row[3] for row in rows[1:]}, {"1"})

    def test_a_wrong_period_says_why(self) -> None:
        self.as_user(self.editor)
        wrong = (
            {"period": "custom", "start": days_ago(2).isoformat(), "end": days_ago(5).isoformat()},
            {"period": "custom", "start": days_ago(2).isoformat()},
            {"period": "custom", "start": "yesterday", "end": days_ago(1).isoformat()},
            {"period": "custom", "start": days_ago(400).isoformat(), "end": today().isoformat()},
        )
        for query in wrong:
            with self.subTest(query=query):
                response = self.client.get(OVERVIEW, query)
                self.assertEqual(response.status_code, 200)
                self.assertRegex(response.content.decode(), r"data-period-error|error-message")
                # A CSV asked with a wrong period gets the page that says why, not a file.
                response = self.client.get(OVERVIEW, {**query, "table": "top", "format": "csv"})
                self.assertEqual(response["Content-Type"], "text/html; charset=utf-8")


def _views_for(count: int) -> None:
    blog = expert_with_blog(f"Эксперт Номер{count}", f"Эксперта Номер{count}")
    for number in range(count):
        article = article_in_blog(blog, title=f"Статья {count}-{number}")
        PageViewDay.objects.create(page=article, day=today(), views=number + 1)


@pytest.mark.django_db
def test_the_overview_costs_the_same_queries_for_few_pages_and_many(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    site_setup()
    editor = editor_account()
    client.force_login(editor)
    _views_for(2)
    client.get(OVERVIEW)  # the process's caches (content types, site root paths) warm
    with django_assert_max_num_queries(30) as few:
        assert client.get(OVERVIEW).status_code == 200
    _views_for(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(OVERVIEW).status_code == 200
