"""OAI-PMH 2.0 at /oai/: every verb and error, selective harvesting, resumption, deleted records.

The last test harvests the whole repository with Sickle, a real harvester,
through a live server and its resumption tokens.
"""

from __future__ import annotations

import datetime
import os
from typing import Any

import pytest
from lxml import etree

from django.core import signing
from django.test import TestCase, override_settings

from wagtail.models import Page, PageViewRestriction

from vestnik.api.models import HarvestTombstone
from vestnik.api.oai.tokens import SALT
from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.articles.models import ArticlePage
from vestnik.articles.services import analysis_index_page
from vestnik.authors.models import Expert
from vestnik.core.selectors import visible_to_public
from vestnik.publications.factories import publication_in_library, series_ensure
from vestnik.publications.models import PublicationPage
from vestnik.site.services import site_setup

NS = {
    "o": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
UTC = datetime.UTC


def stamp(day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(2025, 11, day, hour, 0, 0, 400_000, tzinfo=UTC)


def identifier(page: Page) -> str:
    return f"oai:localhost:{page.pk}"


def _set_datestamp(page: Page, moment: datetime.datetime) -> None:
    Page.objects.filter(pk=page.pk).update(last_published_at=moment)


def build_repository() -> dict[str, Any]:
    """12 articles (9 blog posts, 3 analysis pieces) and 3 publications in 2 series, public;
    a draft, an article in a private blog; datestamps on 1..15 November 2025, one a day."""
    site_setup()
    blog = expert_with_blog("Ирина Соколова", "Ирины Соколовой")
    co_author = Expert.objects.create(full_name="Асан Жакупов", slug="asan-zhakupov")
    posts = [
        article_in_blog(
            blog,
            title=f"Статья номер {n}",
            lead=f"Лид статьи {n}.",
            date=datetime.date(2025, 10, n),
        )
        for n in range(1, 10)
    ]
    analysis = []
    for n in range(1, 4):
        piece = article_in_blog(
            analysis_index_page(),  # type: ignore[arg-type]
            title=f"Аналитика номер {n}",
            date=datetime.date(2025, 10, 20 + n),
            publish=False,
        )
        piece.co_authors.set([co_author])  # type: ignore[attr-defined]
        piece.save_revision().publish()
        analysis.append(ArticlePage.objects.get(pk=piece.pk))
    papers = series_ensure("Рабочие тетради", "Рабочая тетрадь", slug="working-papers")
    reports = series_ensure("Доклады", "Доклад", slug="reports")
    publications = [
        publication_in_library(
            title="Каспийский транзит: порты и тарифы",
            series=papers,
            number="91",
            authors=[blog.expert, "Пётр Иванов"],
            pdf=b"%PDF-1.4 test",
            doi="10.1234/vestnik.91",
        ),
        publication_in_library(title="Порты Каспия", series=papers, number="92"),
        publication_in_library(title="Энергетика региона", series=reports, number="7"),
    ]
    public = [*posts, *analysis, *publications]
    for day, page in enumerate(public, start=1):
        _set_datestamp(page, stamp(day))
    draft = article_in_blog(blog, title="Черновик статьи", publish=False)
    private_blog = expert_with_blog("Тимур Алиев", "Тимура Алиева")
    PageViewRestriction.objects.create(
        page=private_blog, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    private = article_in_blog(private_blog, title="Закрытая статья")
    return {
        "blog": blog,
        "posts": posts,
        "analysis": analysis,
        "publications": publications,
        "public": public,
        "draft": draft,
        "private_blog": private_blog,
        "private": private,
    }


class OAITestCase(TestCase):
    repository: dict[str, Any]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.repository = build_repository()

    def oai(self, method: str = "get", **arguments: Any) -> etree._Element:
        send = self.client.post if method == "post" else self.client.get
        response = send("/oai/", arguments)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/xml; charset=utf-8")
        root = etree.fromstring(response.content)
        self.assertEqual(root.tag, f"{{{NS['o']}}}OAI-PMH")
        self.assertRegex(
            root.findtext("o:responseDate", namespaces=NS) or "",
            r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$",
        )
        self.assertEqual(root.findtext("o:request", namespaces=NS), "http://testserver/oai/")
        return root

    def error_code(self, root: etree._Element) -> str | None:
        error = root.find("o:error", namespaces=NS)
        return None if error is None else error.get("code")

    def identifiers(self, root: etree._Element) -> list[str]:
        return root.xpath("//o:header/o:identifier/text()", namespaces=NS)  # type: ignore[return-value]

    def harvest(
        self, verb: str, **arguments: str
    ) -> tuple[list[etree._Element], list[etree._Element]]:
        """Every header of a list, following the resumption tokens; and the token elements."""
        headers: list[etree._Element] = []
        tokens: list[etree._Element] = []
        root = self.oai(verb=verb, **arguments)
        while True:
            self.assertIsNone(self.error_code(root))
            headers += root.xpath("//o:header", namespaces=NS)
            token = root.find(f"o:{verb}/o:resumptionToken", namespaces=NS)
            if token is None:
                return headers, tokens
            tokens.append(token)
            if not token.text:
                return headers, tokens
            root = self.oai(verb=verb, resumptionToken=token.text)


class VerbTests(OAITestCase):
    def test_identify(self) -> None:
        root = self.oai(verb="Identify")
        self.assertEqual(root.find("o:request", namespaces=NS).get("verb"), "Identify")  # type: ignore[union-attr]
        identify = root.find("o:Identify", namespaces=NS)
        assert identify is not None
        self.assertEqual(identify.findtext("o:baseURL", namespaces=NS), "http://testserver/oai/")
        self.assertEqual(identify.findtext("o:protocolVersion", namespaces=NS), "2.0")
        self.assertEqual(identify.findtext("o:deletedRecord", namespaces=NS), "persistent")
        self.assertEqual(identify.findtext("o:granularity", namespaces=NS), "YYYY-MM-DDThh:mm:ssZ")
        self.assertEqual(
            identify.findtext("o:earliestDatestamp", namespaces=NS), "2025-11-01T12:00:00Z"
        )
        self.assertTrue(identify.findtext("o:repositoryName", namespaces=NS))
        self.assertIn("@", identify.findtext("o:adminEmail", namespaces=NS) or "")

    def test_list_metadata_formats(self) -> None:
        for arguments in ({}, {"identifier": identifier(self.repository["posts"][0])}):
            root = self.oai(verb="ListMetadataFormats", **arguments)
            prefixes = root.xpath("//o:metadataPrefix/text()", namespaces=NS)
            self.assertEqual(prefixes, ["oai_dc"])
            self.assertEqual(
                root.findtext(
                    "o:ListMetadataFormats/o:metadataFormat/o:metadataNamespace", namespaces=NS
                ),
                NS["oai_dc"],
            )

    def test_list_sets(self) -> None:
        root = self.oai(verb="ListSets")
        specs = root.xpath("//o:set/o:setSpec/text()", namespaces=NS)
        self.assertEqual(
            specs,
            [
                "articles",
                "analysis",
                "publications",
                "series",
                "series:reports",
                "series:working-papers",
            ],
        )
        names = dict(zip(specs, root.xpath("//o:set/o:setName/text()", namespaces=NS), strict=True))
        self.assertEqual(names["series:reports"], "Доклады")

    def test_get_record_of_an_article(self) -> None:
        post = self.repository["posts"][0]
        root = self.oai(verb="GetRecord", identifier=identifier(post), metadataPrefix="oai_dc")
        request = root.find("o:request", namespaces=NS)
        assert request is not None
        self.assertEqual(
            dict(request.attrib),
            {"verb": "GetRecord", "identifier": identifier(post), "metadataPrefix": "oai_dc"},
        )
        record = root.find("o:GetRecord/o:record", namespaces=NS)
        assert record is not None
        self.assertEqual(record.findtext("o:header/o:identifier", namespaces=NS), identifier(post))
        self.assertEqual(
            record.findtext("o:header/o:datestamp", namespaces=NS), "2025-11-01T12:00:00Z"
        )
        self.assertEqual(record.xpath("o:header/o:setSpec/text()", namespaces=NS), ["articles"])
        dc = record.find("o:metadata/oai_dc:dc", namespaces=NS)
        assert dc is not None

        def values(name: str) -> list[str]:
            return dc.xpath(f"dc:{name}/text()", namespaces=NS)  # type: ignore[no-any-return]

        self.assertEqual(values("title"), ["Статья номер 1"])
        self.assertEqual(values("creator"), ["Соколова, Ирина"])
        self.assertEqual(values("description"), ["Лид статьи 1."])
        self.assertEqual(values("date"), ["2025-10-01"])
        self.assertEqual(values("type"), ["Text"])
        self.assertEqual(values("language"), ["ru"])
        self.assertEqual(values("publisher"), ["Вестник"])
        self.assertEqual(values("identifier"), [post.get_full_url()])
        self.assertEqual(values("relation"), [f"{post.get_full_url()}pdf/"])

    def test_get_record_of_an_analysis_piece_and_a_publication(self) -> None:
        piece = self.repository["analysis"][0]
        root = self.oai(verb="GetRecord", identifier=identifier(piece), metadataPrefix="oai_dc")
        self.assertEqual(root.xpath("//o:setSpec/text()", namespaces=NS), ["analysis"])
        self.assertEqual(root.xpath("//dc:creator/text()", namespaces=NS), ["Жакупов, Асан"])

        report = self.repository["publications"][0]
        root = self.oai(verb="GetRecord", identifier=identifier(report), metadataPrefix="oai_dc")
        self.assertEqual(
            root.xpath("//o:setSpec/text()", namespaces=NS),
            ["publications", "series:working-papers"],
        )
        self.assertEqual(
            root.xpath("//dc:creator/text()", namespaces=NS), ["Соколова, Ирина", "Иванов, Пётр"]
        )
        self.assertEqual(
            root.xpath("//dc:identifier/text()", namespaces=NS),
            [report.get_full_url(), "https://doi.org/10.1234/vestnik.91"],
        )
        self.assertEqual(
            root.xpath("//dc:relation/text()", namespaces=NS),
            [f"http://localhost/publications/{report.pk}/download/"],
        )
        self.assertEqual(
            root.xpath("//dc:description/text()", namespaces=NS),
            ["Как растёт транзит через Каспий и что мешает портам."],
        )

    def test_list_identifiers_and_records_in_one_response(self) -> None:
        for verb in ("ListIdentifiers", "ListRecords"):
            root = self.oai(verb=verb, metadataPrefix="oai_dc")
            expected = [identifier(page) for page in self.repository["public"]]
            self.assertEqual(self.identifiers(root), expected, verb)
            self.assertIsNone(root.find(f"o:{verb}/o:resumptionToken", namespaces=NS))
        self.assertEqual(len(root.xpath("//o:record/o:metadata/oai_dc:dc", namespaces=NS)), 15)

    def test_post_is_the_same_request(self) -> None:
        root = self.oai("post", verb="ListIdentifiers", metadataPrefix="oai_dc", set="analysis")
        self.assertEqual(
            self.identifiers(root), [identifier(page) for page in self.repository["analysis"]]
        )

    def test_harvester_language_changes_nothing(self) -> None:
        post = self.repository["posts"][0]
        response = self.client.get(
            "/oai/",
            {"verb": "GetRecord", "identifier": identifier(post), "metadataPrefix": "oai_dc"},
            headers={"accept-language": "en"},
        )
        self.assertIn("<dc:publisher>Вестник</dc:publisher>", response.content.decode())


class VisibilityTests(OAITestCase):
    def test_drafts_and_private_pages_are_never_listed_or_given(self) -> None:
        root = self.oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
        listed = set(self.identifiers(root))
        for hidden in (self.repository["draft"], self.repository["private"]):
            self.assertNotIn(identifier(hidden), listed)
            root = self.oai(
                verb="GetRecord", identifier=identifier(hidden), metadataPrefix="oai_dc"
            )
            self.assertEqual(self.error_code(root), "idDoesNotExist")
        self.assertFalse(HarvestTombstone.objects.exists())

    def test_an_unpublished_article_is_a_deleted_record(self) -> None:
        post = self.repository["posts"][2]
        post.unpublish()
        root = self.oai(verb="GetRecord", identifier=identifier(post), metadataPrefix="oai_dc")
        header = root.find("o:GetRecord/o:record/o:header", namespaces=NS)
        assert header is not None
        self.assertEqual(header.get("status"), "deleted")
        self.assertEqual(header.xpath("o:setSpec/text()", namespaces=NS), ["articles"])
        self.assertIsNone(root.find("o:GetRecord/o:record/o:metadata", namespaces=NS))
        self.assertNotIn("Статья номер 3", etree.tostring(root, encoding=str))

        for verb in ("ListIdentifiers", "ListRecords"):
            root = self.oai(verb=verb, metadataPrefix="oai_dc")
            headers = root.xpath("//o:header", namespaces=NS)
            deleted = [h for h in headers if h.get("status") == "deleted"]
            self.assertEqual(
                [h.findtext("o:identifier", namespaces=NS) for h in deleted], [identifier(post)]
            )
            # Last in the list: it left the public after everything else was published.
            self.assertEqual(headers[-1].get("status"), "deleted")
        self.assertEqual(len(root.xpath("//o:metadata", namespaces=NS)), 14)

        # Published again, it is a live record once more, with a new datestamp.
        post.save_revision().publish()
        root = self.oai(verb="GetRecord", identifier=identifier(post), metadataPrefix="oai_dc")
        self.assertEqual(root.xpath("//o:header[@status]", namespaces=NS), [])
        self.assertEqual(root.xpath("//dc:title/text()", namespaces=NS), ["Статья номер 3"])
        self.assertFalse(HarvestTombstone.objects.exists())

    def test_a_deleted_publication_stays_a_deleted_record(self) -> None:
        report = self.repository["publications"][2]
        page_id = report.pk
        Page.objects.get(pk=page_id).delete()
        self.assertFalse(PublicationPage.objects.filter(pk=page_id).exists())
        root = self.oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="series:reports")
        header = root.find("o:ListIdentifiers/o:header", namespaces=NS)
        assert header is not None
        self.assertEqual(header.get("status"), "deleted")
        self.assertEqual(header.findtext("o:identifier", namespaces=NS), f"oai:localhost:{page_id}")
        self.assertEqual(
            header.xpath("o:setSpec/text()", namespaces=NS), ["publications", "series:reports"]
        )

    def test_a_section_made_private_and_public_again(self) -> None:
        blog = self.repository["blog"]
        restriction = PageViewRestriction.objects.create(
            page=blog, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
        root = self.oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="articles")
        headers = root.xpath("//o:header", namespaces=NS)
        self.assertEqual(len(headers), 9)
        self.assertTrue(all(h.get("status") == "deleted" for h in headers))
        self.assertEqual(
            {h.findtext("o:identifier", namespaces=NS) for h in headers},
            {identifier(post) for post in self.repository["posts"]},
        )

        with self.captureOnCommitCallbacks(execute=True):
            restriction.delete()
        root = self.oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="articles")
        headers = root.xpath("//o:header", namespaces=NS)
        self.assertEqual(len(headers), 9)
        self.assertFalse(any(h.get("status") for h in headers))
        self.assertFalse(HarvestTombstone.objects.exists())

    def test_a_private_section_deleted_leaves_no_tombstones_of_its_never_public_pages(self) -> None:
        private = self.repository["private"]
        with self.captureOnCommitCallbacks(execute=True):
            self.repository["private_blog"].delete()
        self.assertFalse(Page.objects.filter(pk=private.pk).exists())
        self.assertFalse(HarvestTombstone.objects.exists())

    def test_a_deleted_blog_of_public_articles_leaves_their_tombstones(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.repository["blog"].delete()
        self.assertEqual(
            set(HarvestTombstone.objects.values_list("page_id", flat=True)),
            {post.pk for post in self.repository["posts"]},
        )


class SelectiveHarvestingTests(OAITestCase):
    def list_ids(self, **arguments: str) -> list[str] | str | None:
        root = self.oai(verb="ListIdentifiers", metadataPrefix="oai_dc", **arguments)
        return self.error_code(root) or self.identifiers(root)

    def test_from_and_until_in_seconds_and_days(self) -> None:
        public = [identifier(page) for page in self.repository["public"]]
        self.assertEqual(self.list_ids(**{"from": "2025-11-14"}), public[13:])
        self.assertEqual(self.list_ids(until="2025-11-02"), public[:2])
        self.assertEqual(
            self.list_ids(**{"from": "2025-11-03", "until": "2025-11-05"}), public[2:5]
        )
        # The datestamp shown is 12:00:00 (the fraction dropped); both bounds include it.
        self.assertEqual(
            self.list_ids(**{"from": "2025-11-03T12:00:00Z", "until": "2025-11-05T12:00:00Z"}),
            public[2:5],
        )
        self.assertEqual(
            self.list_ids(**{"from": "2025-11-03T12:00:01Z", "until": "2025-11-05T11:59:59Z"}),
            public[3:4],
        )
        self.assertEqual(self.list_ids(**{"from": "2025-12-01"}), "noRecordsMatch")

    def test_sets(self) -> None:
        repository = self.repository
        self.assertEqual(
            self.list_ids(set="articles"), [identifier(p) for p in repository["posts"]]
        )
        self.assertEqual(
            self.list_ids(set="analysis"), [identifier(p) for p in repository["analysis"]]
        )
        publications = [identifier(p) for p in repository["publications"]]
        self.assertEqual(self.list_ids(set="publications"), publications)
        self.assertEqual(self.list_ids(set="series"), publications)
        self.assertEqual(self.list_ids(set="series:working-papers"), publications[:2])
        self.assertEqual(self.list_ids(set="series:reports"), publications[2:])
        self.assertEqual(self.list_ids(set="series:reports", until="2025-11-14"), "noRecordsMatch")
        self.assertEqual(self.list_ids(set="no-such-set"), "noRecordsMatch")


@override_settings(VESTNIK_API_OAI_PAGE_SIZE=5)
class ResumptionTests(OAITestCase):
    def test_records_come_in_pages_of_five_through_resumption_tokens(self) -> None:
        for verb in ("ListIdentifiers", "ListRecords"):
            headers, tokens = self.harvest(verb, metadataPrefix="oai_dc")
            self.assertEqual(
                [h.findtext("o:identifier", namespaces=NS) for h in headers],
                [identifier(page) for page in self.repository["public"]],
            )
            self.assertEqual([t.get("cursor") for t in tokens], ["0", "5", "10"])
            self.assertEqual({t.get("completeListSize") for t in tokens}, {"15"})
            self.assertEqual(tokens[-1].text, None)  # the last page's token is empty
            self.assertTrue(all(t.get("expirationDate") for t in tokens[:-1]))

    def test_a_token_keeps_the_set_and_dates(self) -> None:
        headers, tokens = self.harvest(
            "ListIdentifiers", metadataPrefix="oai_dc", set="articles", until="2025-11-07"
        )
        self.assertEqual(
            [h.findtext("o:identifier", namespaces=NS) for h in headers],
            [identifier(page) for page in self.repository["posts"][:7]],
        )
        self.assertEqual([t.get("completeListSize") for t in tokens], ["7", "7"])

    def test_a_page_published_during_a_harvest_is_met_at_the_end(self) -> None:
        root = self.oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
        token = root.findtext("o:ListIdentifiers/o:resumptionToken", namespaces=NS)
        late = article_in_blog(self.repository["blog"], title="Поздняя статья")
        identifiers = self.identifiers(root)
        while token:
            root = self.oai(verb="ListIdentifiers", resumptionToken=token)
            identifiers += self.identifiers(root)
            token = root.findtext("o:ListIdentifiers/o:resumptionToken", namespaces=NS)
        self.assertEqual(
            identifiers, [identifier(p) for p in self.repository["public"]] + [identifier(late)]
        )

    def test_bad_forged_and_expired_tokens(self) -> None:
        root = self.oai(verb="ListRecords", metadataPrefix="oai_dc")
        token = root.findtext("o:ListRecords/o:resumptionToken", namespaces=NS) or ""
        forged = signing.dumps(
            {"v": "ListRecords", "a": {"metadataPrefix": "oai_dc"}, "d": "x", "p": 1, "c": 0},
            key="not-the-site-key",
            salt=SALT,
        )
        for bad in ("nonsense", token[:-2] + "xx", forged):
            root = self.oai(verb="ListRecords", resumptionToken=bad)
            self.assertEqual(self.error_code(root), "badResumptionToken", bad)
        # A token of one verb is not another's.
        root = self.oai(verb="ListIdentifiers", resumptionToken=token)
        self.assertEqual(self.error_code(root), "badResumptionToken")
        with override_settings(VESTNIK_API_OAI_TOKEN_MAX_AGE=-1):
            root = self.oai(verb="ListRecords", resumptionToken=token)
        self.assertEqual(self.error_code(root), "badResumptionToken")
        # The request element echoes the token of a well-formed request.
        self.assertEqual(root.find("o:request", namespaces=NS).get("resumptionToken"), token)  # type: ignore[union-attr]


class ErrorTests(OAITestCase):
    def assert_error(self, code: str, *, echoed: bool, **arguments: Any) -> None:
        root = self.oai(**arguments)
        self.assertEqual(self.error_code(root), code, arguments)
        self.assertTrue(root.findtext("o:error", namespaces=NS))
        # Only the request element and the error: no verb element.
        self.assertEqual(
            [etree.QName(child).localname for child in root], ["responseDate", "request", "error"]
        )
        request = root.find("o:request", namespaces=NS)
        assert request is not None
        self.assertEqual(bool(request.attrib), echoed, arguments)

    def test_bad_verb(self) -> None:
        self.assert_error("badVerb", echoed=False)
        self.assert_error("badVerb", echoed=False, verb="ListEverything")
        self.assert_error("badVerb", echoed=False, verb=["Identify", "Identify"])

    def test_bad_argument(self) -> None:
        post = identifier(self.repository["posts"][0])
        for arguments in (
            {"verb": "Identify", "set": "articles"},
            {"verb": "ListRecords"},  # metadataPrefix missing
            {"verb": "GetRecord", "identifier": post},
            {"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]},
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2025-13-01"},
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2025-11-01T10:00:00"},
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "yesterday"},
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2025-11-02",
                "until": "2025-11-01",
            },
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2025-11-01",
                "until": "2025-11-02T00:00:00Z",
            },
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
            {"verb": "ListMetadataFormats", "resumptionToken": "x"},
        ):
            self.assert_error("badArgument", echoed=False, **arguments)

    def test_cannot_disseminate_format(self) -> None:
        post = identifier(self.repository["posts"][0])
        self.assert_error(
            "cannotDisseminateFormat", echoed=True, verb="ListRecords", metadataPrefix="marc21"
        )
        self.assert_error(
            "cannotDisseminateFormat", echoed=True, verb="ListIdentifiers", metadataPrefix="mods"
        )
        self.assert_error(
            "cannotDisseminateFormat",
            echoed=True,
            verb="GetRecord",
            identifier=post,
            metadataPrefix="x",
        )

    def test_id_does_not_exist(self) -> None:
        for unknown in ("oai:localhost:999999", "oai:elsewhere.org:1", "1", "oai:localhost:abc"):
            self.assert_error(
                "idDoesNotExist",
                echoed=True,
                verb="GetRecord",
                identifier=unknown,
                metadataPrefix="oai_dc",
            )
        self.assert_error(
            "idDoesNotExist", echoed=True, verb="ListMetadataFormats", identifier="oai:localhost:0"
        )

    def test_bad_resumption_token(self) -> None:
        self.assert_error("badResumptionToken", echoed=True, verb="ListSets", resumptionToken="x")
        self.assert_error(
            "badResumptionToken", echoed=True, verb="ListIdentifiers", resumptionToken="x"
        )

    def test_no_records_match(self) -> None:
        self.assert_error(
            "noRecordsMatch",
            echoed=True,
            verb="ListRecords",
            metadataPrefix="oai_dc",
            until="2000-01-01",
        )


# --- a real harvester ------------------------------------------------------------

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(VESTNIK_API_OAI_PAGE_SIZE=5)
def test_sickle_harvests_every_public_page_through_resumption_tokens(
    live_server: Any, sequences_after_snapshot: None
) -> None:
    from sickle import Sickle  # the harvester is a test dependency only

    repository = build_repository()
    gone = repository["posts"][4]
    gone.unpublish()
    harvester = Sickle(f"{live_server.url}/oai/")

    identify = harvester.Identify()
    assert identify.protocolVersion == "2.0"
    assert identify.deletedRecord == "persistent"

    records = list(harvester.ListRecords(metadataPrefix="oai_dc"))
    live = [record for record in records if not record.deleted]
    deleted = [record for record in records if record.deleted]
    public = visible_to_public(Page.objects.type(ArticlePage, PublicationPage))
    assert sorted(record.header.identifier for record in live) == sorted(
        identifier(page) for page in public
    )
    assert len(live) == 14
    assert [record.header.identifier for record in deleted] == [identifier(gone)]
    titles = {record.metadata["title"][0] for record in live}
    assert "Каспийский транзит: порты и тарифы" in titles
    assert "Статья номер 5" not in titles
    assert len(records) == 15  # three full pages of five, every record once

    analysis = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", set="analysis"))
    assert [header.identifier for header in analysis] == [
        identifier(page) for page in repository["analysis"]
    ]
    one = harvester.GetRecord(
        identifier=identifier(repository["publications"][0]), metadataPrefix="oai_dc"
    )
    assert one.metadata["identifier"][1] == "https://doi.org/10.1234/vestnik.91"
