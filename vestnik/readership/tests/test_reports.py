"""The readership reports' selectors: periods, a page's days, the top, the totals, who sees what."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group
from django.test import TestCase
from django.utils import timezone

from wagtail.models import Page

from vestnik.articles.factories import article_in_blog, english_translation, expert_with_blog
from vestnik.events.factories import event_page
from vestnik.events.models import EventIndexPage, Registration, RegistrationStatus
from vestnik.publications.factories import publication_in_library
from vestnik.publications.models import DownloadCount
from vestnik.readership import reports
from vestnik.readership.models import PageViewDay
from vestnik.site.services import AUTHORS_GROUP, site_setup
from vestnik.site.tests.accounts import account_for, editor_account
from vestnik.vocabulary.models import Country, Topic

TODAY = datetime.date(2025, 12, 7)
WEEK = reports.period_week(until=TODAY)
MONTH = reports.period_month(until=TODAY)


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def views(page: Page, **by_days_ago: int) -> None:
    """`views(page, d0=5, d3=2)`: 5 views today, 2 three days ago."""
    for key, count in by_days_ago.items():
        PageViewDay.objects.create(page=page, day=days_ago(int(key[1:])), views=count)


class PeriodTests(TestCase):
    def test_a_week_is_today_and_the_six_days_before(self) -> None:
        self.assertEqual((WEEK.start, WEEK.end), (datetime.date(2025, 12, 1), TODAY))
        self.assertEqual(WEEK.length, 7)
        self.assertEqual(WEEK.days()[0], WEEK.start)
        self.assertEqual(WEEK.days()[-1], TODAY)

    def test_a_month_is_thirty_days(self) -> None:
        self.assertEqual((MONTH.start, MONTH.length), (datetime.date(2025, 11, 8), 30))

    def test_a_custom_period(self) -> None:
        period = reports.period_between(days_ago(10), days_ago(3), until=TODAY)
        self.assertEqual((period.length, period.kind), (8, "custom"))

    def test_a_period_that_cannot_be_reported_is_refused(self) -> None:
        refused = [
            (days_ago(1), days_ago(3)),  # backwards
            (days_ago(1), TODAY + datetime.timedelta(days=1)),  # tomorrow
            (days_ago(reports.MAX_DAYS), TODAY),  # a day too long
        ]
        for start, end in refused:
            with self.subTest(start=start, end=end), self.assertRaises(reports.PeriodRefused):
                reports.period_between(start, end, until=TODAY)
        longest = reports.period_between(days_ago(reports.MAX_DAYS - 1), TODAY, until=TODAY)
        self.assertEqual(longest.length, reports.MAX_DAYS)


class ReportTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.blog_a = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        cls.blog_b = expert_with_blog("Ирина Соколова", "Ирины Соколовой")
        cls.asan, cls.irina = cls.blog_a.expert, cls.blog_b.expert
        cls.kz = Country.objects.create(iso_code="KZ", name_ru="Казахстан", slug="kazakhstan")
        cls.tr = Country.objects.create(iso_code="TR", name_ru="Турция", slug="turtsiya")
        cls.energy = Topic.objects.create(name_ru="Энергетика", slug="energetika")
        cls.a1 = article_in_blog(cls.blog_a, title="Статья Жакупова")
        cls.a1.countries.set([cls.kz, cls.tr])
        cls.a1.topics.set([cls.energy])
        cls.a1.save()
        # Irina's article, co-written with Asan.
        cls.b1 = article_in_blog(cls.blog_b, title="Статья Соколовой с Жакуповым")
        cls.b1.co_authors.set([cls.asan])
        cls.b1.countries.set([cls.kz])
        cls.b1.save()
        cls.b2 = article_in_blog(cls.blog_b, title="Статья Соколовой")
        cls.b1_en = english_translation(cls.b1, title="Sokolova and Zhakupov")
        cls.publication = publication_in_library(title="Доклад о транзите")
        cls.event = event_page(
            EventIndexPage.objects.get(locale__language_code="ru"), title="Круглый стол"
        )
        views(cls.a1, d0=5, d2=3, d10=100)  # 8 this week, 108 this month
        views(cls.b1, d1=4, d6=1, d7=50)  # 5 this week, 55 this month
        views(cls.b2, d3=2)
        views(cls.b1_en, d0=7)
        views(cls.blog_b, d0=9)
        views(cls.publication, d1=6)
        views(cls.event, d2=1)
        DownloadCount.objects.create(page=cls.publication, date=days_ago(1), count=4)
        DownloadCount.objects.create(page=cls.publication, date=days_ago(20), count=40)
        zone = timezone.get_current_timezone()
        for when, status in (
            (days_ago(0), RegistrationStatus.CONFIRMED),
            (days_ago(1), RegistrationStatus.WAITING),
            (days_ago(1), RegistrationStatus.CANCELLED),
            (days_ago(9), RegistrationStatus.CONFIRMED),
        ):
            Registration.objects.create(
                event=cls.event,
                name="Читатель",
                email=f"r{Registration.objects.count()}@example.org",
                status=status,
                created_at=datetime.datetime.combine(when, datetime.time(23, 30), tzinfo=zone),
            )
        cls.everything = Page.objects.all()

    def test_views_per_day_fill_the_days_without_views_with_zero(self) -> None:
        days = reports.views_per_day(self.a1.pk, WEEK)
        self.assertEqual(list(days), WEEK.days())
        self.assertEqual(days[TODAY], 5)
        self.assertEqual(days[days_ago(2)], 3)
        self.assertEqual(sum(days.values()), 8)
        self.assertEqual(list(days.values()).count(0), 5)

    def test_top_articles_of_the_week_and_the_month(self) -> None:
        week = reports.top_pages(self.everything, WEEK)
        self.assertEqual(
            [(row.page_id, row.views) for row in week],
            [(self.a1.pk, 8), (self.b1_en.pk, 7), (self.b1.pk, 5), (self.b2.pk, 2)],
        )
        self.assertEqual((week[1].title, week[1].language), ("Sokolova and Zhakupov", "en"))
        month = reports.top_pages(self.everything, MONTH, limit=2)
        self.assertEqual(
            [(row.page_id, row.views) for row in month], [(self.a1.pk, 108), (self.b1.pk, 55)]
        )

    def test_the_top_keeps_to_its_scope(self) -> None:
        scope = Page.objects.filter(pk__in=[self.b2.pk, self.blog_b.pk])
        self.assertEqual([row.page_id for row in reports.top_pages(scope, WEEK)], [self.b2.pk])

    def test_an_expert_counts_their_blog_and_what_they_co_wrote(self) -> None:
        experts = {row.key: row for row in reports.views_by_expert(self.everything, WEEK)}
        # Asan: his article (8) and the one he co-wrote, in Russian (5) and English (7).
        self.assertEqual((experts[self.asan.pk].views, experts[self.asan.pk].pages), (20, 3))
        self.assertEqual(experts[self.asan.pk].label, "Асан Жакупов")
        # Irina: her two articles and the translation of one (5 + 2 + 7).
        self.assertEqual((experts[self.irina.pk].views, experts[self.irina.pk].pages), (14, 3))

    def test_sections_join_a_section_and_its_translation(self) -> None:
        sections = reports.views_by_section(self.everything, WEEK)
        by_label = {row.label: (row.views, row.pages) for row in sections}
        # /blogs/ and /en/blogs/: 8 + 5 + 2 + 7 of articles and 9 of a blog page.
        self.assertEqual(by_label["Блоги"], (31, 5))
        self.assertEqual(by_label["Публикации"][0], 6)
        self.assertEqual(by_label["Мероприятия"][0], 1)
        self.assertEqual(sections[0].label, "Блоги")
        self.assertEqual(sum(row.views for row in sections), 38)

    def test_countries_and_topics_count_each_tagged_article(self) -> None:
        countries = {
            row.label: (row.views, row.pages)
            for row in reports.views_by_country(self.everything, WEEK)
        }
        # The English translation carries its source's tags: 8 + 5 + 7 over three pages.
        self.assertEqual(countries["Казахстан"], (20, 3))
        self.assertEqual(countries["Турция"], (8, 1))
        topics = reports.views_by_topic(self.everything, WEEK)
        self.assertEqual([(row.label, row.views) for row in topics], [("Энергетика", 8)])

    def test_publications_with_their_downloads(self) -> None:
        [row] = reports.publications_with_downloads(self.everything, WEEK)
        self.assertEqual((row.page_id, row.views, row.downloads), (self.publication.pk, 6, 4))
        [row] = reports.publications_with_downloads(self.everything, MONTH)
        self.assertEqual(row.downloads, 44)

    def test_events_with_their_registrations_not_cancelled(self) -> None:
        [row] = reports.events_with_registrations(self.everything, WEEK)
        self.assertEqual((row.page_id, row.views, row.registrations), (self.event.pk, 1, 2))
        [row] = reports.events_with_registrations(self.everything, MONTH)
        self.assertEqual(row.registrations, 3)

    def test_a_page_series_carries_downloads_or_registrations(self) -> None:
        publication = reports.page_series(Page.objects.get(pk=self.publication.pk), WEEK)
        self.assertTrue(publication.has_downloads)
        self.assertFalse(publication.has_registrations)
        self.assertEqual((publication.views, publication.downloads), (6, 4))
        event = reports.page_series(Page.objects.get(pk=self.event.pk), WEEK)
        # Registered at 23:30 in the site's zone: the site's day, not UTC's.
        self.assertEqual(
            {day.day: day.registrations for day in event.days if day.registrations},
            {TODAY: 1, days_ago(1): 1},
        )
        article = reports.page_series(Page.objects.get(pk=self.a1.pk), WEEK)
        self.assertFalse(article.has_downloads or article.has_registrations)
        self.assertEqual(article.busiest.day if article.busiest else None, TODAY)

    def test_the_overview_adds_up(self) -> None:
        report = reports.overview(self.everything, WEEK, limit=1)
        self.assertEqual(report.views, 38)
        self.assertEqual([row.page_id for row in report.top], [self.a1.pk])


class ScopeTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.blog_a = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        cls.blog_b = expert_with_blog("Ирина Соколова", "Ирины Соколовой")
        cls.a1 = article_in_blog(cls.blog_a, title="Статья Жакупова")
        cls.b1 = article_in_blog(cls.blog_b, title="Статья Соколовой с Жакуповым")
        cls.b1.co_authors.set([cls.blog_a.expert])
        cls.b1.save_revision().publish()
        cls.b2 = article_in_blog(cls.blog_b, title="Статья Соколовой")
        cls.author = account_for(cls.blog_a.expert, "asan")
        cls.editor = editor_account()

    def test_an_editor_reads_every_page(self) -> None:
        scope = reports.readable_pages(self.editor)
        self.assertTrue(
            {self.a1.pk, self.b1.pk, self.b2.pk, self.blog_b.pk}
            <= set(scope.values_list("pk", flat=True))
        )
        self.assertTrue(reports.reads_whole_site(self.editor))

    def test_an_author_reads_their_blog_and_what_they_co_wrote(self) -> None:
        scope = set(reports.readable_pages(self.author).values_list("pk", flat=True))
        self.assertEqual(scope & {self.a1.pk, self.b1.pk, self.b2.pk}, {self.a1.pk, self.b1.pk})
        self.assertTrue(reports.page_is_readable(self.author, self.b1))
        self.assertFalse(reports.page_is_readable(self.author, self.b2))
        self.assertFalse(reports.reads_whole_site(self.author))

    def test_without_the_permission_nothing(self) -> None:
        # Still their blog's writer (their own group), no longer in «Авторы».
        self.author.groups.remove(Group.objects.get(name=AUTHORS_GROUP))
        self.author = type(self.author).objects.get(pk=self.author.pk)
        self.assertTrue(self.a1.permissions_for_user(self.author).can_edit())
        self.assertFalse(reports.readable_pages(self.author).exists())
        self.assertFalse(reports.page_is_readable(self.author, self.a1))
