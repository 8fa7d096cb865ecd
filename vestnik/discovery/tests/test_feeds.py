"""RSS 2.0 and Atom feeds, read back with feedparser as a feed reader would."""

from __future__ import annotations

import datetime
import html
import io
import re
from html.parser import HTMLParser

import feedparser
from PIL import Image as PILImage

from django.core.cache import cache
from django.core.files.images import ImageFile
from django.test import TestCase

from wagtail.models import PageViewRestriction

from vestnik.articles.factories import article_in_blog, english_translation, expert_with_blog
from vestnik.core.models import VestnikImage
from vestnik.site.services import site_setup
from vestnik.vocabulary.models import Country, Topic

IISS = "The military balance 2024. International Institute of Strategic Studies."


def make_image() -> VestnikImage:
    buffer = io.BytesIO()
    PILImage.new("RGB", (1200, 675), (90, 110, 140)).save(buffer, "JPEG")
    return VestnikImage.objects.create(
        title="Учения",
        credit="пресс-служба президента РК",
        file=ImageFile(buffer, name="drill.jpg"),
    )


class FeedTestCase(TestCase):
    """Two blogs, three Russian articles and a draft; the first article also in English."""

    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.kz = Country.objects.create(
            name_ru="Казахстан", name_en="Kazakhstan", slug="kz", iso_code="KZ"
        )
        cls.defence = Topic.objects.create(name_ru="Оборона", name_en="Defence", slug="defence")
        cls.blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        cls.other_blog = expert_with_blog("Ирина Соколова", "Ирины Соколовой")
        cls.image = make_image()
        cls.article = article_in_blog(
            cls.blog,
            title="На перекрестке Евразии",
            date=datetime.date(2025, 11, 28),
            lead="Казахстан расширяет военное сотрудничество с Турцией.",
            body=[
                ("paragraph", "<p>Расходы достигли максимума [^1].</p>"),
                (
                    "image",
                    {"image": cls.image, "caption": "Совместные учения", "credit": "", "alt": ""},
                ),
                ("heading", {"text": "Эволюция сотрудничества", "level": "h2"}),
                ("paragraph", "<p>Экспорт Турции вырос [^2].</p>"),
            ],
            footnotes={
                "1": f"<p>{IISS} P. 543.</p>",
                "2": f"<p>{IISS} P. 67.</p>",
            },
        )
        cls.article.countries.add(cls.kz)
        cls.article.topics.add(cls.defence)
        cls.article.co_authors.add(cls.other_blog.expert)
        cls.article.save_revision().publish()
        cls.older = article_in_blog(
            cls.blog, title="Каспийский транзит", date=datetime.date(2025, 3, 1)
        )
        cls.elsewhere = article_in_blog(
            cls.other_blog, title="Водная повестка", date=datetime.date(2025, 6, 1)
        )
        cls.draft = article_in_blog(cls.blog, title="Неопубликованный черновик", publish=False)
        # The first article in English (with its tags); the others are Russian only,
        # and an English draft of one of them is not for readers yet.
        cls.english = english_translation(
            cls.article,
            title="At the crossroads of Eurasia",
            lead="Kazakhstan expands military cooperation with Turkey.",
        )
        english_translation(cls.older, title="An unpublished translation", publish=False)

    def parse(self, url: str, content_type: str) -> feedparser.FeedParserDict:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertTrue(response["Content-Type"].startswith(content_type), response["Content-Type"])
        feed = feedparser.parse(response.content)
        self.assertFalse(feed.bozo, getattr(feed, "bozo_exception", None))
        return feed

    def parse_both(self, base: str) -> list[tuple[str, feedparser.FeedParserDict]]:
        return [
            ("rss", self.parse(f"{base}", "application/rss+xml")),
            ("atom", self.parse(f"{base}atom/", "application/atom+xml")),
        ]


class FeedTests(FeedTestCase):
    def test_site_feeds_list_every_published_article_newest_first(self) -> None:
        for url, kind in (("/feeds/articles.rss", "rss20"), ("/feeds/articles.atom", "atom10")):
            with self.subTest(url=url):
                feed = self.parse(
                    url, "application/rss+xml" if kind == "rss20" else "application/atom+xml"
                )
                self.assertEqual(feed.version, kind)
                self.assertEqual(
                    [entry.title for entry in feed.entries],
                    ["На перекрестке Евразии", "Водная повестка", "Каспийский транзит"],
                )
                self.assertTrue(feed.feed.title.startswith("Вестник"), feed.feed.title)
                self.assertTrue(feed.feed.link.startswith("http://localhost/"))

    def test_an_entry_carries_the_full_article_with_notes_and_credits(self) -> None:
        for url in ("/feeds/articles.rss", "/feeds/articles.atom"):
            with self.subTest(url=url):
                entry = self.parse(url, "application/").entries[0]
                self.assertEqual(entry.link, "http://localhost" + self.article.url)
                self.assertEqual(entry.id, "http://localhost" + self.article.url)
                self.assertEqual(
                    entry.summary, "Казахстан расширяет военное сотрудничество с Турцией."
                )
                self.assertEqual(entry.author, "Асан Жакупов, Ирина Соколова")
                self.assertEqual({tag.term for tag in entry.tags}, {"Казахстан", "Оборона"})
                self.assertEqual(entry.published_parsed[:3], (2025, 11, 28))
                # Typography joins short words to the next with no-break spaces.
                content = entry.content[0].value.replace("\xa0", " ")
                self.assertEqual(entry.content[0].type, "text/html")
                self.assertIn("Расходы достигли максимума", content)
                self.assertIn("Эволюция сотрудничества", content)
                self.assertIn("Совместные учения", content)
                self.assertIn("Источник: пресс-служба президента РК", content)
                self.assertIn("International Institute of Strategic Studies. P. 543.", content)
                self.assertIn("P. 67.", content)
                # Links inside the content are absolute: a reader has no page to resolve them.
                self.assertIn(f'href="http://localhost{self.article.url}#fn-1"', content)
                image = re.search(r'<img[^>]+src="([^"]+)"', content)
                assert image is not None
                self.assertTrue(image.group(1).startswith("http://localhost/media/images/"))
                self.assertNotIn("[^1]", content)

    def test_blog_feeds_hold_only_the_blogs_articles(self) -> None:
        for kind, feed in self.parse_both(f"{self.blog.url}feed/"):
            with self.subTest(kind=kind):
                self.assertEqual(
                    [entry.title for entry in feed.entries],
                    ["На перекрестке Евразии", "Каспийский транзит"],
                )
                self.assertIn("Блог Асана Жакупова", feed.feed.title)
                self.assertEqual(feed.feed.link, "http://localhost" + self.blog.url)

    def test_country_and_topic_feeds(self) -> None:
        for base, title in (
            ("/countries/kz/feed/", "На перекрестке Евразии"),
            ("/topics/defence/feed/", "На перекрестке Евразии"),
            ("/en/countries/kz/feed/", "At the crossroads of Eurasia"),
            ("/en/topics/defence/feed/", "At the crossroads of Eurasia"),
        ):
            for kind, feed in self.parse_both(base):
                with self.subTest(base=base, kind=kind):
                    self.assertEqual([entry.title for entry in feed.entries], [title])
        english = self.parse("/en/countries/kz/feed/", "application/rss+xml")
        self.assertIn("Kazakhstan", english.feed.title)
        self.assertEqual(english.feed.link, "http://localhost/en/countries/kz/")
        self.assertEqual(self.client.get("/countries/xx/feed/").status_code, 404)

    def test_feeds_are_advertised_in_the_head(self) -> None:
        def alternates(path: str) -> list[str]:
            html = self.client.get(path).content.decode()
            head = html.split("</head>")[0]
            return re.findall(
                r'<link rel="alternate" type="application/(?:rss|atom)\+xml" '
                r'title="[^"]*" href="([^"]+)"',
                head,
            )

        site = ["http://localhost/feeds/articles.rss", "http://localhost/feeds/articles.atom"]
        blog = [
            f"http://localhost{self.blog.url}feed/",
            f"http://localhost{self.blog.url}feed/atom/",
        ]
        self.assertEqual(alternates("/"), site)
        self.assertEqual(alternates(self.blog.url), blog + site)
        self.assertEqual(alternates(self.article.url), blog + site)
        self.assertEqual(
            alternates("/countries/kz/"),
            [
                "http://localhost/countries/kz/feed/",
                "http://localhost/countries/kz/feed/atom/",
                *site,
            ],
        )
        self.assertEqual(
            alternates("/en/topics/defence/")[:2],
            [
                "http://localhost/en/topics/defence/feed/",
                "http://localhost/en/topics/defence/feed/atom/",
            ],
        )

    def test_feeds_are_cached_and_follow_publishing(self) -> None:
        self.assertEqual(self.client.get("/feeds/articles.rss")["X-Page-Cache"], "miss")
        self.assertEqual(self.client.get("/feeds/articles.rss")["X-Page-Cache"], "hit")
        with self.captureOnCommitCallbacks(execute=True):
            self.draft.save_revision().publish()
        feed = feedparser.parse(self.client.get("/feeds/articles.rss").content)
        self.assertIn("Неопубликованный черновик", [entry.title for entry in feed.entries])


class LanguageFeedTests(FeedTestCase):
    """Each language has its feeds, listing only its own articles."""

    def test_the_english_site_feed_lists_english_articles_only(self) -> None:
        rss = self.parse("/en/feeds/articles.rss", "application/rss+xml")
        atom = self.parse("/en/feeds/articles.atom", "application/atom+xml")
        for kind, feed in (("rss", rss), ("atom", atom)):
            with self.subTest(kind=kind):
                self.assertEqual(
                    [entry.title for entry in feed.entries], ["At the crossroads of Eurasia"]
                )
                self.assertEqual(feed.feed.title, "Vestnik: articles")
                self.assertEqual(feed.feed.link, "http://localhost/en/")
                self.assertEqual(feed.feed.language, "en")
                entry = feed.entries[0]
                self.assertEqual(entry.link, "http://localhost" + self.english.url)
                self.assertEqual(entry.author, "Asan Zhakupov, Irina Sokolova")
                self.assertEqual({tag.term for tag in entry.tags}, {"Kazakhstan", "Defence"})

    def test_the_russian_site_feed_has_no_english_article(self) -> None:
        feed = self.parse("/feeds/articles.rss", "application/rss+xml")
        self.assertEqual(feed.feed.language, "ru")
        self.assertNotIn(self.english.url, self.client.get("/feeds/articles.rss").content.decode())
        self.assertNotIn("At the crossroads", [entry.title for entry in feed.entries])

    def test_a_blog_feed_exists_in_each_language_the_blog_does(self) -> None:
        english_blog = self.english.get_parent()
        self.assertEqual(english_blog.url, "/en/blogs/asan-zhakupov/")
        for kind, feed in self.parse_both(f"{english_blog.url}feed/"):
            with self.subTest(kind=kind):
                self.assertEqual(
                    [entry.title for entry in feed.entries], ["At the crossroads of Eurasia"]
                )
                # RSS titles are escaped once more (plain text in a field read as HTML).
                self.assertIn("Asan Zhakupov's Blog", html.unescape(feed.feed.title))
                self.assertEqual(feed.feed.link, "http://localhost" + english_blog.url)
        # Irina Sokolova has no English blog: no feed, and no Russian feed under /en/ either.
        for url in ("/en/blogs/irina-sokolova/feed/", "/en/blogs/irina-sokolova/feed/atom/"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_private_translation_is_in_no_feed_sitemap_or_search(self) -> None:
        cache.clear()  # answers cached by the tests before this one
        PageViewRestriction.objects.create(
            page=self.english, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
        english_blog = self.english.get_parent()
        for url in (
            "/en/feeds/articles.rss",
            "/en/feeds/articles.atom",
            f"{english_blog.url}feed/",
            "/en/countries/kz/feed/",
            "/sitemap.xml",
            "/en/search/?q=crossroads",
            "/search/?q=crossroads&lang=all",
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn(self.english.slug, response.content.decode())


class HostileTextTests(TestCase):
    """Plain text typed by an author stays text in every reader, whatever it looks like."""

    LEAD = "<img src=x onerror=alert(1)> & «лид»"
    TITLE = "<script>alert(2)</script> Заголовок & ко"
    NAME = "<b onmouseover=alert(3)>Иван</b> Петров"

    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.blog = expert_with_blog(cls.NAME, cls.NAME)
        cls.article = article_in_blog(cls.blog, title=cls.TITLE, lead=cls.LEAD)

    def as_read(self, detail: feedparser.FeedParserDict) -> str:
        """A field as a reader shows it; fails if the reader would build any element."""
        if detail.type not in ("text/html", "application/xhtml+xml"):
            return str(detail.value)
        reader = _HtmlReader()
        reader.feed(detail.value)
        reader.close()
        self.assertEqual(reader.elements, [], detail.value)
        return reader.text.replace("\xa0", " ")

    def test_lead_title_and_name_stay_text(self) -> None:
        for url in (
            "/feeds/articles.rss",
            "/feeds/articles.atom",
            f"{self.blog.url}feed/",
            f"{self.blog.url}feed/atom/",
        ):
            with self.subTest(url=url):
                feed = feedparser.parse(self.client.get(url).content)
                self.assertFalse(feed.bozo, getattr(feed, "bozo_exception", None))
                entry = feed.entries[0]
                self.assertEqual(self.as_read(entry.title_detail), self.TITLE)
                self.assertEqual(self.as_read(entry.summary_detail), self.LEAD)
                # `dc:creator` and Atom's `<name>` are text elements.
                self.assertEqual(entry.author, self.NAME)
                if url.startswith("/blogs/"):
                    self.assertIn(self.NAME, self.as_read(feed.feed.title_detail))
                    self.assertIn(self.NAME, self.as_read(feed.feed.subtitle_detail))
                # The article's HTML stays HTML, with the lead escaped inside it.
                reader = _HtmlReader()
                reader.feed(entry.content[0].value)
                self.assertNotIn("img", reader.elements)
                self.assertNotIn("script", reader.elements)
                self.assertIn(self.LEAD, reader.text.replace("\xa0", " "))
                self.assertIn("p", reader.elements)


class _HtmlReader(HTMLParser):
    """The elements and the text a browser would make of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(tag)

    def handle_data(self, data: str) -> None:
        self.text += data
