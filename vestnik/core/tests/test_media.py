"""Documents in a private collection leave only through Wagtail's document view."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import TestCase

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

SECRET = b"private budget lines"


class PrivateDocumentTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.collection = Collection.get_first_root_node().add_child(name="Для совета")
        CollectionViewRestriction.objects.create(
            collection=cls.collection,
            restriction_type=CollectionViewRestriction.PASSWORD,
            password="secret-word",
        )
        cls.document = get_document_model().objects.create(
            title="Бюджет", collection=cls.collection, file=ContentFile(SECRET, name="budget.txt")
        )

    def test_the_document_view_asks_for_the_password(self) -> None:
        response = self.client.get(self.document.url)
        self.assertTrue(self.document.url.startswith("/documents/"), self.document.url)
        self.assertEqual(response.status_code, 200)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        self.assertNotIn(SECRET, body)
        self.assertIn(b'name="password"', body)

    def test_the_file_is_not_served_under_media(self) -> None:
        path = self.document.file.name  # documents/budget….txt
        for url in (f"/media/{path}", f"/media/images/../{path}", f"/media/./{path}"):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 404, url)

    def test_stored_article_pdfs_are_not_served_under_media(self) -> None:
        name = default_storage.save("article-pdfs/7/3-0-ru.pdf", ContentFile(b"%PDF private"))
        try:
            self.assertEqual(self.client.get(f"/media/{name}").status_code, 404)
        finally:
            default_storage.delete(name)

    def test_other_media_is_still_served(self) -> None:
        name = default_storage.save("images/map.txt", ContentFile(b"a public map"))
        try:
            response = self.client.get(f"/media/{name}")
            self.assertEqual(response.status_code, 200)
            self.assertEqual(b"".join(response.streaming_content), b"a public map")
        finally:
            default_storage.delete(name)
