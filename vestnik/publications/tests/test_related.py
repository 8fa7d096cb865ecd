"""An article's aside names the reports behind it: public publications in its language
that share its countries and topics, the closest first."""

from __future__ import annotations

from django.test import TestCase

from wagtail.models import PageViewRestriction

from vestnik.articles.factories import article_in_blog
from vestnik.publications.factories import publication_in_library
from vestnik.publications.selectors import related_publications
from vestnik.site.tests.content import site_with_blog_and_country
from vestnik.vocabulary.models import Topic


class RelatedPublicationsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.blog, cls.country = site_with_blog_and_country()
        cls.topic = Topic.objects.create(name_ru="Логистика", slug="logistics")
        cls.article = article_in_blog(cls.blog, title="Паромы на Каспии", publish=False)
        cls.article.countries.add(cls.country)
        cls.article.topics.add(cls.topic)
        cls.article.save_revision().publish()
        cls.closest = cls._publication("Порты и паромы", "1", country=True, topic=True)
        cls.country_only = cls._publication("Тарифы на транзит", "2", country=True)
        cls.unrelated = cls._publication("Зерно Черноморья", "3")
        cls.draft = cls._publication("Черновик доклада", "4", country=True, publish=False)
        cls.private = cls._publication("Закрытый доклад", "5", country=True, topic=True)
        PageViewRestriction.objects.create(
            page=cls.private, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )

    @classmethod
    def _publication(
        cls, title: str, number: str, *, country: bool = False, topic: bool = False, publish=True
    ):  # type: ignore[no-untyped-def]
        page = publication_in_library(title=title, number=number, publish=False)
        if country:
            page.countries.add(cls.country)
        if topic:
            page.topics.add(cls.topic)
        revision = page.save_revision()
        if publish:
            revision.publish()
        return page

    def test_the_closest_public_publications_come_first(self) -> None:
        self.assertEqual(
            [page.pk for page in related_publications(self.article)],
            [self.closest.pk, self.country_only.pk],
        )

    def test_the_article_aside_shows_them_and_no_draft_or_private_one(self) -> None:
        response = self.client.get(self.article.url)
        self.assertContains(response, 'id="related-publications-title"')
        self.assertContains(response, self.closest.url)
        for hidden in (self.draft, self.private, self.unrelated):
            self.assertNotContains(response, f'href="{hidden.url}"')

    def test_an_article_without_tags_has_none(self) -> None:
        bare = article_in_blog(self.blog, title="Без тегов")
        self.assertEqual(related_publications(bare), [])
        self.assertNotContains(self.client.get(bare.url), 'id="related-publications-title"')
