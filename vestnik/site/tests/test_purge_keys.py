"""The purge-key sets, tested directly: what each change names, and that each app adds its own.

The front-cache tests prove the same end to end through nginx; these run
everywhere and say exactly which key went missing when one does.
"""

from __future__ import annotations

from django.test import TestCase, override_settings

from wagtail.models import Page

from vestnik.articles.cache_keys import SHARE_LINKS
from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.articles.models import ShareNetwork
from vestnik.authors.cache_keys import EXPERT_DIRECTORY, expert_key
from vestnik.authors.models import Expert
from vestnik.core import front_cache
from vestnik.core.models import CachedUrlKey
from vestnik.insights.cache_keys import ENTITY_INDEX, entity_key
from vestnik.insights.models import Entity, Mention
from vestnik.polls.cache_keys import POLL_ARCHIVE, SITE_POLL, poll_key
from vestnik.polls.factories import poll_with_options
from vestnik.site.models import BlogIndexPage, HomePage
from vestnik.site.services import site_setup
from vestnik.vocabulary.cache_keys import TERM_INDEXES, term_key
from vestnik.vocabulary.models import Country, Topic

# A configured backend switches recording and purging on; the dummy task backend
# keeps the purge task's URLs instead of sending them anywhere.
FRONT_CACHE = {
    "nginx": {
        "BACKEND": "vestnik.core.front_cache.NginxPurgeBackend",
        "LOCATION": "http://127.0.0.1:9",
    }
}
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class ArticlePurgeKeysTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.blog = expert_with_blog()
        cls.co_author = Expert.objects.create(full_name="Олег Петров", slug="oleg-petrov")
        cls.article = article_in_blog(cls.blog)
        cls.kazakhstan = Country.objects.create(
            name_ru="Казахстан", name_en="Kazakhstan", slug="kazakhstan", iso_code="KZ"
        )
        cls.energy = Topic.objects.create(name_ru="Энергетика", slug="energetika")
        cls.article.co_authors.add(cls.co_author)
        cls.article.countries.add(cls.kazakhstan)
        cls.article.topics.add(cls.energy)
        cls.article.save()
        cls.entity = Entity.objects.create(
            kind="org", name="Организация для теста", slug="test-organisation"
        )
        Mention.objects.create(page=cls.article, entity=cls.entity, count=2)

    def test_an_article_names_itself_its_listings_authors_terms_and_entities(self) -> None:
        keys = front_cache.page_purge_keys(Page.objects.get(pk=self.article.pk))
        home = HomePage.objects.get(locale__language_code="ru")
        blogs = BlogIndexPage.objects.get(locale__language_code="ru")
        self.assertLessEqual(
            {
                front_cache.page_key(self.article.pk),
                front_cache.ALL_LISTS,
                front_cache.under_key(self.blog.pk),
                front_cache.under_key(blogs.pk),
                front_cache.under_key(home.pk),
                expert_key(self.blog.expert_id),
                expert_key(self.co_author.pk),
                term_key("countries", self.kazakhstan.pk),
                term_key("topics", self.energy.pk),
                TERM_INDEXES,
                ENTITY_INDEX,
                entity_key(self.entity.pk),
            },
            keys,
        )

    def test_an_article_does_not_name_what_it_does_not_show(self) -> None:
        other = Expert.objects.create(full_name="Анна Смирнова", slug="anna-smirnova")
        keys = front_cache.page_purge_keys(self.article)
        self.assertNotIn(expert_key(other.pk), keys)
        self.assertNotIn(front_cache.NAVIGATION, keys)  # articles are not in the menu
        self.assertNotIn(SHARE_LINKS, keys)

    def test_a_blog_names_the_experts_directory(self) -> None:
        keys = front_cache.page_purge_keys(self.blog)
        self.assertIn(EXPERT_DIRECTORY, keys)
        self.assertIn(front_cache.page_key(self.blog.pk), keys)
        self.assertNotIn(ENTITY_INDEX, keys)  # entities list articles, not blogs


@override_settings(WAGTAILFRONTENDCACHE=FRONT_CACHE, TASKS=DUMMY_TASKS)
class ModelChangePurgesTests(TestCase):
    """Each app's registered models purge the URLs recorded under their keys, and only those."""

    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.blog = expert_with_blog()

    def _record(self, url: str, key: str) -> None:
        front_cache.cached_url_record(url=url, keys=[key])

    def _purged_after(self, change: object) -> set[str]:
        before = set(CachedUrlKey.objects.values_list("url", flat=True))
        with self.captureOnCommitCallbacks(execute=True):
            change()  # type: ignore[operator]
        return before - set(CachedUrlKey.objects.values_list("url", flat=True))

    def test_renaming_an_expert_purges_their_pages_and_the_directory(self) -> None:
        expert = self.blog.expert
        self._record("http://localhost/experts/x/", expert_key(expert.pk))
        self._record("http://localhost/experts/", EXPERT_DIRECTORY)
        self._record("http://localhost/countries/", TERM_INDEXES)
        expert.position = "старший научный сотрудник"
        self.assertEqual(
            self._purged_after(expert.save),
            {"http://localhost/experts/x/", "http://localhost/experts/"},
        )

    def test_renaming_a_term_purges_its_page_and_the_term_indexes(self) -> None:
        country = Country.objects.create(
            name_ru="Турция", name_en="Turkey", slug="turkey", iso_code="TR"
        )
        self._record("http://localhost/countries/tr/", term_key("countries", country.pk))
        self._record("http://localhost/countries/", TERM_INDEXES)
        self._record("http://localhost/experts/", EXPERT_DIRECTORY)
        country.name_en = "Türkiye"
        self.assertEqual(
            self._purged_after(country.save),
            {"http://localhost/countries/tr/", "http://localhost/countries/"},
        )

    def test_a_share_label_purges_pages_with_share_links(self) -> None:
        self._record("http://localhost/blogs/a/b/", SHARE_LINKS)
        self._record("http://localhost/blogs/", EXPERT_DIRECTORY)
        network = ShareNetwork.objects.first()
        assert network is not None
        network.legal_label = "Пометка"
        self.assertEqual(self._purged_after(network.save), {"http://localhost/blogs/a/b/"})

    def test_a_poll_purges_its_pages_the_archive_and_the_site_widget(self) -> None:
        poll = poll_with_options()
        self._record("http://localhost/polls/1/", poll_key(poll.pk))
        self._record("http://localhost/polls/", POLL_ARCHIVE)
        self._record("http://localhost/", SITE_POLL)
        self._record("http://localhost/experts/", EXPERT_DIRECTORY)
        poll.question = "Другой вопрос?"
        self.assertEqual(
            self._purged_after(poll.save),
            {"http://localhost/polls/1/", "http://localhost/polls/", "http://localhost/"},
        )
