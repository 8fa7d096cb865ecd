"""What pages tell machines: canonical and language links, Open Graph, JSON-LD, citation_*,
sitemap.xml and robots.txt."""

from __future__ import annotations

import datetime
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from PIL import Image as PILImage

from django.core.files.images import ImageFile
from django.test import TestCase

from vestnik.articles.factories import article_in_blog, english_translation, expert_with_blog
from vestnik.core.models import VestnikImage
from vestnik.site.services import site_setup
from vestnik.vocabulary.models import Country, Region, Topic

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
TITLE = "На перекрестке Евразии: динамика казахстанско-турецкого военного сотрудничества"
IISS = "The military balance 2024. International Institute of Strategic Studies."


class Head(HTMLParser):
    """The `<meta>`, `<link>` and JSON-LD of a page's head, as a crawler reads them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.links: list[dict[str, str]] = []
        self.json_ld: list[object] = []
        self._in_json_ld = False
        self._head = True
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._head:
            return
        values = {name: value or "" for name, value in attrs}
        if tag == "meta" and ("name" in values or "property" in values):
            self.meta.append((values.get("name") or values["property"], values.get("content", "")))
        elif tag == "link":
            self.links.append(values)
        elif tag == "script" and values.get("type") == "application/ld+json":
            self._in_json_ld = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._head = False
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.json_ld.append(json.loads(data))

    def all(self, name: str) -> list[str]:
        return [content for key, content in self.meta if key == name]

    def one(self, name: str) -> str:
        values = self.all(name)
        assert len(values) == 1, (name, values)
        return values[0]

    def link(self, rel: str, **attrs: str) -> list[str]:
        return [
            link["href"]
            for link in self.links
            if link.get("rel") == rel and all(link.get(k) == v for k, v in attrs.items())
        ]


def make_image() -> VestnikImage:
    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (90, 110, 140)).save(buffer, "JPEG")
    return VestnikImage.objects.create(
        title="Учения",
        credit="пресс-служба президента РК",
        file=ImageFile(buffer, name="drill.jpg"),
    )


class MetadataTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.tree = site_setup()
        cls.kz = Country.objects.create(
            name_ru="Казахстан", name_en="Kazakhstan", slug="kz", iso_code="KZ"
        )
        cls.asia = Region.objects.create(
            name_ru="Центральная Азия", name_en="Central Asia", slug="central-asia"
        )
        cls.defence = Topic.objects.create(name_ru="Оборона", name_en="Defence", slug="defence")
        Country.objects.create(name_ru="Андорра", name_en="Andorra", slug="ad", iso_code="AD")
        cls.blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        cls.blog.expert.position = "научный сотрудник"
        cls.blog.expert.affiliation = "Институт"
        cls.blog.expert.save()
        cls.co_author = expert_with_blog("Ирина Соколова", "Ирины Соколовой").expert
        cls.image = make_image()
        cls.article = article_in_blog(
            cls.blog,
            title=TITLE,
            date=datetime.date(2025, 11, 28),
            lead="Казахстан расширяет военное сотрудничество с Турцией.",
            body=[
                ("paragraph", "<p>Расходы [^1] и экспорт [^2].</p>"),
                (
                    "image",
                    {"image": cls.image, "caption": "Совместные учения", "credit": "", "alt": ""},
                ),
            ],
            footnotes={
                "1": f"<p>{IISS} P. 543.</p>",
                "2": "<p>Smith J. Turkish drones // Survival. 2021. Vol. 63, No. 3. P. 10–20.</p>",
            },
        )
        cls.article.countries.add(cls.kz)
        cls.article.regions.add(cls.asia)
        cls.article.topics.add(cls.defence)
        cls.article.co_authors.add(cls.co_author)
        cls.article.save_revision().publish()
        cls.note = article_in_blog(
            cls.blog,
            title="Заметка </script><b>",
            footnotes={"1": "<p>Автор благодарит коллег.</p>"},
        )
        # The article has an English version (with its tags); the note is Russian only,
        # and so is its topic.
        cls.english = english_translation(cls.article, title="At the crossroads of Eurasia")
        cls.economy = Topic.objects.create(name_ru="Экономика", name_en="Economy", slug="economy")
        cls.note.topics.add(cls.economy)
        cls.note.save_revision().publish()

    def head(self, path: str) -> Head:
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        return Head(response.content.decode())

    def test_citation_tags_for_scholarly_indexers_and_zotero(self) -> None:
        head = self.head(self.article.url)
        url = f"http://localhost{self.article.url}"
        self.assertEqual(head.one("citation_title"), TITLE)
        self.assertEqual(head.all("citation_author"), ["Жакупов, Асан", "Соколова, Ирина"])
        self.assertEqual(head.one("citation_publication_date"), "2025/11/28")
        self.assertEqual(head.one("citation_journal_title"), "Вестник")
        self.assertEqual(head.one("citation_publisher"), "Вестник")
        self.assertEqual(head.one("citation_language"), "ru")
        self.assertEqual(head.one("citation_pdf_url"), f"{url}pdf/")
        self.assertEqual(head.one("citation_abstract_html_url"), url)
        self.assertEqual(head.one("citation_keywords"), "Казахстан; Центральная Азия; Оборона")
        self.assertEqual(
            head.all("citation_reference"),
            [
                "citation_title=The military balance 2024; citation_publication_date=2024; "
                "citation_publisher=International Institute of Strategic Studies",
                "citation_title=Turkish drones; citation_author=Smith, J.; "
                "citation_publication_date=2021; citation_journal_title=Survival; "
                "citation_volume=63; citation_issue=3; citation_firstpage=10; citation_lastpage=20",
            ],
        )

    def test_citation_pdf_url_answers_with_a_pdf(self) -> None:
        pdf_path = (
            self.head(self.article.url).one("citation_pdf_url").removeprefix("http://localhost")
        )
        response = self.client.get(pdf_path)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")

    def test_canonical_and_language_alternates(self) -> None:
        url = f"http://localhost{self.article.url}"
        english_url = f"http://localhost{self.english.url}"
        for head in (self.head(self.article.url), self.head(self.english.url)):
            self.assertEqual(head.link("alternate", hreflang="ru"), [url])
            self.assertEqual(head.link("alternate", hreflang="en"), [english_url])
            self.assertEqual(head.link("alternate", hreflang="x-default"), [url])
        self.assertEqual(self.head(self.article.url).link("canonical"), [url])
        english = self.head(self.english.url)
        self.assertEqual(english.link("canonical"), [english_url])
        self.assertEqual(english.one("og:locale"), "en_US")
        self.assertEqual(english.one("og:locale:alternate"), "ru_RU")

    def test_a_russian_only_article_has_no_alternates(self) -> None:
        head = self.head(self.note.url)
        self.assertEqual([link for link in head.links if link.get("hreflang")], [])
        self.assertEqual(head.all("og:locale:alternate"), [])
        # Its old English address leads to it (vestnik/site/views.py), not to an English copy.
        response = self.client.get(f"/en{self.note.url}")
        self.assertRedirects(response, self.note.url, fetch_redirect_response=False)

    def test_each_page_describes_itself_to_search_engines(self) -> None:
        article = self.head(self.article.url)
        self.assertEqual(
            article.one("description"), "Казахстан расширяет военное сотрудничество с Турцией."
        )
        self.blog.intro = "<p>Заметки о безопасности в Центральной Азии.</p>"
        self.blog.save_revision().publish()
        self.assertEqual(
            self.head(self.blog.url).one("description"),
            "Заметки о безопасности в Центральной Азии.",
        )

    def test_open_graph_and_twitter_card(self) -> None:
        head = self.head(self.article.url)
        self.assertEqual(head.one("og:type"), "article")
        self.assertEqual(head.one("og:title"), TITLE)
        self.assertEqual(
            head.one("og:description"), "Казахстан расширяет военное сотрудничество с Турцией."
        )
        self.assertEqual(head.one("og:url"), f"http://localhost{self.article.url}")
        self.assertEqual(head.one("og:site_name"), "Вестник")
        self.assertEqual(head.one("og:locale"), "ru_RU")
        image = head.one("og:image")
        self.assertRegex(image, r"^http://localhost/media/images/drill.*\.width-1200\.jpg$")
        self.assertEqual(head.one("og:image:alt"), "Совместные учения")
        self.assertEqual(head.one("article:published_time"), "2025-11-28")
        self.assertEqual(
            head.all("article:author"),
            ["http://localhost/experts/asan-zhakupov/", "http://localhost/experts/irina-sokolova/"],
        )
        self.assertEqual(head.one("article:section"), "Блог Асана Жакупова")
        self.assertEqual(head.all("article:tag"), ["Казахстан", "Центральная Азия", "Оборона"])
        self.assertEqual(head.one("twitter:card"), "summary_large_image")
        self.assertEqual(head.one("twitter:title"), TITLE)
        self.assertEqual(head.one("twitter:image"), image)

    def test_json_ld_scholarly_article(self) -> None:
        [data] = self.head(self.article.url).json_ld
        assert isinstance(data, dict)
        url = f"http://localhost{self.article.url}"
        self.assertEqual(data["@context"], "https://schema.org")
        self.assertEqual(data["@type"], "ScholarlyArticle")
        self.assertEqual(data["headline"], TITLE)
        self.assertEqual(data["url"], url)
        self.assertEqual(data["mainEntityOfPage"], {"@type": "WebPage", "@id": url})
        self.assertEqual(data["datePublished"], "2025-11-28")
        modified = datetime.datetime.fromisoformat(str(data["dateModified"]))
        self.assertEqual(
            modified, self.article.specific_class.objects.get(pk=self.article.pk).last_published_at
        )
        self.assertEqual(data["inLanguage"], "ru")
        self.assertEqual(
            data["author"],
            [
                {
                    "@type": "Person",
                    "name": "Асан Жакупов",
                    "url": "http://localhost/experts/asan-zhakupov/",
                    "jobTitle": "научный сотрудник",
                    "affiliation": {"@type": "Organization", "name": "Институт"},
                },
                {
                    "@type": "Person",
                    "name": "Ирина Соколова",
                    "url": "http://localhost/experts/irina-sokolova/",
                },
            ],
        )
        self.assertEqual(data["publisher"]["@type"], "Organization")
        self.assertEqual(data["publisher"]["name"], "Вестник")
        self.assertEqual(
            data["isPartOf"],
            {
                "@type": "Blog",
                "name": "Блог Асана Жакупова",
                "url": "http://localhost/blogs/asan-zhakupov/",
            },
        )
        self.assertEqual(data["keywords"], ["Казахстан", "Центральная Азия", "Оборона"])
        self.assertEqual(data["encoding"]["contentUrl"], f"{url}pdf/")
        self.assertEqual(
            [item["name"] for item in data["citation"]],
            ["The military balance 2024", "Turkish drones"],
        )
        self.assertEqual(data["citation"][0]["@type"], "Book")

    def test_a_post_without_references_is_a_blog_posting_and_json_ld_stays_in_its_script(
        self,
    ) -> None:
        response = self.client.get(self.note.url)
        html = response.content.decode()
        self.assertNotIn("</script><b>", html.split("</head>")[0])
        [data] = Head(html).json_ld
        assert isinstance(data, dict)
        self.assertEqual(data["@type"], "BlogPosting")
        self.assertEqual(data["headline"], "Заметка </script><b>")
        self.assertNotIn("citation", data)
        self.assertEqual(Head(html).all("citation_reference"), [])
        self.assertEqual(Head(html).one("twitter:card"), "summary")

    def test_other_pages_have_no_citation_tags(self) -> None:
        for path in ("/", self.blog.url, "/experts/", "/experts/asan-zhakupov/", "/countries/kz/"):
            with self.subTest(path=path):
                head = self.head(path)
                self.assertEqual([n for n, _c in head.meta if n.startswith("citation_")], [])
                self.assertEqual(head.link("canonical"), [f"http://localhost{path}"])
                self.assertEqual(head.one("og:url"), f"http://localhost{path}")

    def test_page_types_in_json_ld(self) -> None:
        def json_ld(path: str) -> dict[str, object]:
            [data] = self.head(path).json_ld
            assert isinstance(data, dict)
            return data

        self.assertEqual(json_ld("/")["@type"], "WebSite")
        blog = json_ld(self.blog.url)
        self.assertEqual((blog["@type"], blog["name"]), ("Blog", "Блог Асана Жакупова"))
        profile = json_ld("/experts/asan-zhakupov/")
        self.assertEqual(profile["@type"], "ProfilePage")
        self.assertEqual(profile["mainEntity"]["name"], "Асан Жакупов")  # type: ignore[index]
        self.assertEqual(self.head("/experts/asan-zhakupov/").one("og:type"), "profile")
        term = json_ld("/en/countries/kz/")
        self.assertEqual((term["@type"], term["name"]), ("CollectionPage", "Kazakhstan"))

    def test_paginated_listing_canonical_keeps_the_page(self) -> None:
        from vestnik.discovery import views

        for number in range(3):
            article = article_in_blog(self.blog, title=f"Статья {number}")
            article.countries.add(self.kz)
            article.save_revision().publish()
        views.ARTICLES_PER_PAGE = 2
        try:
            head = self.head("/countries/kz/?page=2")
        finally:
            views.ARTICLES_PER_PAGE = 20
        self.assertEqual(head.link("canonical"), ["http://localhost/countries/kz/?page=2"])

    def test_sitemap_lists_pages_profiles_and_tags_in_both_languages(self) -> None:
        response = self.client.get("/sitemap.xml")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/xml")
        root = ET.fromstring(response.content)  # noqa: S314 (our own sitemap)
        urls = {
            url.findtext(f"{SITEMAP}loc"): {
                link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
            }
            for url in root.findall(f"{SITEMAP}url")
        }
        base = "http://localhost"
        both = {
            "/": "/en/",
            "/experts/": "/en/experts/",
            "/blogs/": "/en/blogs/",
            self.blog.url: "/en/blogs/asan-zhakupov/",
            self.article.url: self.english.url,
            "/experts/asan-zhakupov/": "/en/experts/asan-zhakupov/",
            "/experts/irina-sokolova/": "/en/experts/irina-sokolova/",
            "/countries/kz/": "/en/countries/kz/",
            "/regions/central-asia/": "/en/regions/central-asia/",
            "/topics/defence/": "/en/topics/defence/",
        }
        for path, english in both.items():
            with self.subTest(path=path):
                alternates = {"ru": f"{base}{path}", "en": f"{base}{english}",
                              "x-default": f"{base}{path}"}  # fmt: skip
                self.assertEqual(urls[f"{base}{path}"], alternates)
                self.assertEqual(urls[f"{base}{english}"], alternates)
        # Russian only: listed, with no alternate (the English URL is not a translation).
        for path in ("/business/", "/researchers/", "/students/", self.note.url,
                     "/topics/economy/"):  # fmt: skip
            with self.subTest(path=path):
                self.assertEqual(urls[f"{base}{path}"], {})
                self.assertNotIn(f"{base}/en{path}", urls)
        self.assertNotIn(f"{base}/countries/ad/", urls)  # no articles, no entry
        article = next(
            url
            for url in root.findall(f"{SITEMAP}url")
            if url.findtext(f"{SITEMAP}loc") == f"{base}{self.article.url}"
        )
        self.assertIsNotNone(article.findtext(f"{SITEMAP}lastmod"))

    def test_robots_txt_points_to_the_sitemap(self) -> None:
        response = self.client.get("/robots.txt")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        lines = response.content.decode().splitlines()
        self.assertEqual(lines[0], "User-agent: *")
        self.assertIn("Disallow: /admin/", lines)
        self.assertIn("Sitemap: http://localhost/sitemap.xml", lines)
