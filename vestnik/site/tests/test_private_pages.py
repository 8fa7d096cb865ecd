"""Private means private everywhere: what an anonymous reader sees of protected articles.

Three articles are made private the ways Wagtail offers: one needs a login, one
a password, and one lives in a blog that needs a login (the restriction is on
an ancestor). Each is published first and restricted afterwards, as an editor
would do it, so the search index and the insights already hold them. Every
read path an anonymous reader has must then show none of their titles, leads,
body sentences or URLs; a public article with the same tags, entity and
search word shows the paths are really listing things.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.test import TestCase

from wagtail.models import PageViewRestriction

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.articles.models import ArticlePage, BlogPage
from vestnik.discovery.models import SearchDocument
from vestnik.discovery.search.services import search_index_rebuild
from vestnik.insights.models import Entity, KeyFigure, Mention, TimelineEvent
from vestnik.site.models import SectionFeaturedArticle, SectionPage
from vestnik.site.services import site_setup
from vestnik.vocabulary.models import Country, Topic

SEARCH_WORD = "квазикристалл"


def _body(sentence: str) -> list[tuple[str, Any]]:
    return [("paragraph", f"<p>{sentence}</p>")]


class PrivateArticle:
    """The words of one private article that must appear nowhere public."""

    def __init__(self, page: ArticlePage, sentence: str) -> None:
        self.page = page
        self.sentence = sentence

    def secrets(self) -> dict[str, str]:
        return {
            "title": self.page.title,
            "lead": self.page.lead,
            "sentence": self.sentence,
            "url": self.page.url,
        }


class PrivatePagesTestCase(TestCase):
    private: ClassVar[dict[str, PrivateArticle]]

    @classmethod
    def setUpTestData(cls) -> None:
        tree = site_setup()
        cls.kz = Country.objects.create(
            name_ru="Казахстан", name_en="Kazakhstan", slug="kz", iso_code="KZ"
        )
        cls.energy = Topic.objects.create(name_ru="Энергетика", name_en="Energy", slug="energy")
        cls.open_blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        cls.closed_blog = expert_with_blog("Ирина Соколова", "Ирины Соколовой")
        cls.public = cls._article(
            cls.open_blog,
            title="Открытая статья о степных ветрах",
            lead="Открытый лид о ветрах.",
            sentence=f"Открытый абзац: в марте 2024 года {SEARCH_WORD} нашли в Казахстане.",
        )
        cls.private = {}
        for name, blog, title, lead, sentence in (
            (
                "login",
                cls.open_blog,
                "Закрытая для гостей записка о газе",
                "Лид записки только для своих.",
                f"Тайный абзац один: в мае 2024 года {SEARCH_WORD} продали в Казахстане.",
            ),
            (
                "password",
                cls.open_blog,
                "Записка под паролем о нефти",
                "Лид записки под паролем.",
                f"Тайный абзац два: в июне 2024 года {SEARCH_WORD} купили в Казахстане.",
            ),
            (
                "blog",
                cls.closed_blog,
                "Статья из закрытого блога об угле",
                "Лид статьи закрытого блога.",
                f"Тайный абзац три: в июле 2024 года {SEARCH_WORD} сожгли в Казахстане.",
            ),
        ):
            page = cls._article(blog, title=title, lead=lead, sentence=sentence)
            cls.private[name] = PrivateArticle(page, sentence)

        # Featured in two audience sections, as editors curate them.
        for slug in ("researchers", "students"):
            section = tree.sections[slug]
            for order, article in enumerate([cls.public, *(p.page for p in cls.private.values())]):
                SectionFeaturedArticle.objects.create(
                    section=section, article=article, sort_order=order
                )

        # What insights found before the pages became private: one entity named
        # by every article, one named only in private text.
        cls.shared_entity = Entity.objects.create(
            kind="country", name="Казахстан", slug="kazakhstan"
        )
        cls.secret_entity = Entity.objects.create(
            kind="organisation", name="Тайный газовый консорциум", slug="tainyi-konsortsium"
        )
        for article in [cls.public, *(p.page for p in cls.private.values())]:
            Mention.objects.create(page=article, entity=cls.shared_entity, count=2)
            sentence = next(block.value.source for block in article.body)
            event = TimelineEvent.objects.create(
                page=article, year=2024, month=5, text=_plain(sentence), position=0
            )
            event.entities.add(cls.shared_entity)
            KeyFigure.objects.create(
                page=article,
                value=1,
                unit="USD",
                display="1 долл.",
                label="",
                sentence=_plain(sentence),
                position=0,
            )
        for private in cls.private.values():
            Mention.objects.create(page=private.page, entity=cls.secret_entity, count=3)

        # Restricted after publishing (and after indexing), the way an editor does it.
        PageViewRestriction.objects.create(
            page=cls.private["login"].page, restriction_type=PageViewRestriction.LOGIN
        )
        PageViewRestriction.objects.create(
            page=cls.private["password"].page,
            restriction_type=PageViewRestriction.PASSWORD,
            password="secret-word",
        )
        PageViewRestriction.objects.create(
            page=cls.closed_blog, restriction_type=PageViewRestriction.LOGIN
        )
        for private in cls.private.values():
            private.page = ArticlePage.objects.get(pk=private.page.pk)

    @classmethod
    def _article(cls, blog: BlogPage, *, title: str, lead: str, sentence: str) -> ArticlePage:
        article = article_in_blog(
            blog,
            title=title,
            lead=lead,
            body=_body(sentence),
            footnotes={},
            date=datetime.date(2025, 11, 28),
            publish=False,
        )
        article.countries = [cls.kz]
        article.topics = [cls.energy]
        article.save_revision().publish()
        return ArticlePage.objects.get(pk=article.pk)

    def read(self, url: str) -> str:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response.content.decode().replace("\xa0", " ")

    def assertAbsent(self, needle: str, html: str, message: str) -> None:
        # Not assertNotIn: that would print the whole page.
        self.assertFalse(needle in html, message)

    def assertShowsNothingPrivate(self, url: str, *, shows_public: bool = True) -> None:
        html = self.read(url)
        if shows_public:
            # The path lists things: the public twin is there.
            self.assertIn(self.public.title, html, url)
        for name, private in self.private.items():
            for part, secret in private.secrets().items():
                self.assertAbsent(secret, html, f"{url} shows the {part} of the {name} article")


class ListingsTests(PrivatePagesTestCase):
    def test_home(self) -> None:
        self.assertShowsNothingPrivate("/")

    def test_audience_sections(self) -> None:
        self.assertShowsNothingPrivate("/researchers/")
        self.assertShowsNothingPrivate("/students/")

    def test_blogs(self) -> None:
        self.assertShowsNothingPrivate(self.open_blog.url)
        html = self.read("/blogs/")
        self.assertIn(self.open_blog.url, html)
        self.assertAbsent(self.closed_blog.url, html, "/blogs/ links the private blog")

    def test_experts_directory_counts_public_articles_only(self) -> None:
        self.assertShowsNothingPrivate("/experts/", shows_public=False)
        with self.settings(VESTNIK_CORE_PAGE_CACHE_ENABLED=False):
            response = self.client.get("/experts/")
        experts = {expert.slug: expert for expert in response.context["experts"]}
        self.assertEqual(experts[self.open_blog.expert.slug].article_count, 1)
        self.assertEqual(experts[self.closed_blog.expert.slug].article_count, 0)

    def test_expert_profiles(self) -> None:
        self.assertShowsNothingPrivate(f"/experts/{self.open_blog.expert.slug}/")
        closed = f"/experts/{self.closed_blog.expert.slug}/"
        self.assertShowsNothingPrivate(closed, shows_public=False)
        self.assertAbsent(self.closed_blog.url, self.read(closed), "the profile links the blog")

    def test_related_articles_of_the_public_twin(self) -> None:
        self.assertShowsNothingPrivate(self.public.url)

    def test_term_pages_and_their_feeds(self) -> None:
        for url in (
            "/countries/kz/",
            "/countries/kz/feed/",
            "/countries/kz/feed/atom/",
            "/topics/energy/",
            "/topics/energy/feed/",
        ):
            self.assertShowsNothingPrivate(url)

    def test_site_and_blog_feeds(self) -> None:
        for url in (
            "/feeds/articles.rss",
            "/feeds/articles.atom",
            f"{self.open_blog.url}feed/",
            f"{self.open_blog.url}feed/atom/",
        ):
            self.assertShowsNothingPrivate(url)
        # The private blog has no feed: Wagtail finds no such page under it.
        self.assertEqual(self.client.get(f"{self.closed_blog.url}feed/").status_code, 404)

    def test_a_private_section_is_not_in_the_menu(self) -> None:
        section = SectionPage.objects.get(slug="business")
        PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
        with self.settings(VESTNIK_CORE_PAGE_CACHE_ENABLED=False):
            html = self.read("/")
        self.assertAbsent('href="/business/"', html, "the menu links the private section")
        self.assertIn('href="/researchers/"', html)

    def test_sitemap(self) -> None:
        self.assertShowsNothingPrivate("/sitemap.xml", shows_public=False)
        self.assertAbsent(self.closed_blog.url, self.read("/sitemap.xml"), "sitemap lists the blog")


class SearchTests(PrivatePagesTestCase):
    def test_search_finds_only_the_public_article(self) -> None:
        self.assertShowsNothingPrivate(f"/search/?q={SEARCH_WORD}")

    def test_the_index_forgets_a_page_made_private_and_learns_it_again(self) -> None:
        indexed = set(SearchDocument.objects.values_list("page_id", flat=True))
        self.assertEqual(indexed, {self.public.pk})
        # As the admin's privacy dialog does it: the row itself.
        PageViewRestriction.objects.get(page=self.private["login"].page).delete()
        # And in bulk, as a script might.
        PageViewRestriction.objects.filter(page=self.private["password"].page).delete()
        self.assertIn(self.private["login"].page.title, self.read(f"/search/?q={SEARCH_WORD}"))
        self.assertTrue(SearchDocument.objects.filter(page=self.private["password"].page).exists())

    def test_a_rebuild_indexes_the_public_article_only(self) -> None:
        search_index_rebuild()
        self.assertEqual(
            set(SearchDocument.objects.values_list("page_id", flat=True)), {self.public.pk}
        )
        self.assertShowsNothingPrivate(f"/search/?q={SEARCH_WORD}")

    def test_deleting_a_private_article_leaves_nothing_in_the_index(self) -> None:
        self.private["login"].page.delete()
        self.closed_blog.delete()
        self.assertEqual(
            set(SearchDocument.objects.values_list("page_id", flat=True)), {self.public.pk}
        )


class InsightsTests(PrivatePagesTestCase):
    def test_entity_page_lists_and_quotes_public_articles_only(self) -> None:
        html = self.read("/entities/kazakhstan/")
        self.assertIn(_plain(next(b.value.source for b in self.public.body)), html)
        self.assertShowsNothingPrivate("/entities/kazakhstan/")

    def test_entity_named_only_in_private_text_is_not_listed(self) -> None:
        html = self.read("/entities/")
        self.assertIn("/entities/kazakhstan/", html)
        self.assertAbsent(self.secret_entity.name, html, "/entities/ lists the secret entity")
        self.assertAbsent(self.secret_entity.slug, html, "/entities/ links the secret entity")

    def test_entity_named_only_in_private_text_has_no_page_content(self) -> None:
        response = self.client.get(f"/entities/{self.secret_entity.slug}/")
        if response.status_code == 200:
            self.assertShowsNothingPrivate(
                f"/entities/{self.secret_entity.slug}/", shows_public=False
            )
        else:
            self.assertEqual(response.status_code, 404)

    def test_neighbours_do_not_name_entities_of_private_text(self) -> None:
        html = self.read("/entities/kazakhstan/")
        self.assertAbsent(self.secret_entity.slug, html, "a neighbour from private text")


class ThePageItselfTests(PrivatePagesTestCase):
    """Wagtail guards the page and its sub-pages: print, citation files, PDF."""

    SUB_PAGES = ("", "print/", "pdf/", "cite.bib", "cite.ris", "cite.json", "references.bib")

    def test_every_sub_page_asks_for_a_login_or_the_password(self) -> None:
        for name, private in self.private.items():
            for sub_page in self.SUB_PAGES:
                url = f"{private.page.url}{sub_page}"
                response = self.client.get(url)
                body = response.content.decode()
                for part, secret in private.secrets().items():
                    if part != "url":
                        self.assertAbsent(secret, body, f"{url} shows the {part} of {name}")
                if name == "password":
                    self.assertEqual(response.status_code, 200, url)
                    self.assertIn('name="password"', body, url)
                else:
                    self.assertEqual(response.status_code, 302, url)
                    self.assertIn("/_util/login/", response["Location"], url)
                self.assertNotIn("X-Page-Cache", response, url)


def _plain(html: str) -> str:
    return html.removeprefix("<p>").removesuffix("</p>")
