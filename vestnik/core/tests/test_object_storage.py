"""Media in S3-compatible object storage, against a real S3 server on loopback (conftest)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from PIL import Image as PILImage

from django.conf import settings
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from wagtail.documents import get_document_model

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.core.models import VestnikImage, VestnikRendition
from vestnik.core.storage import (
    DEFAULT_CACHE_CONTROL,
    s3_media_origins,
    s3_media_storage_options,
)
from vestnik.site.services import site_setup

from .conftest import S3Bucket

pytestmark = pytest.mark.django_db


def jpeg_bytes(width: int = 1600, height: int = 900) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (40, 90, 150)).save(buffer, "JPEG")
    return buffer.getvalue()


def fetch(url: str) -> bytes:
    """What a reader's browser gets for a URL in a page."""
    with urllib.request.urlopen(url, timeout=10) as response:
        body: bytes = response.read()
        return body


@contextmanager
def s3_calls() -> Iterator[list[str]]:
    """The S3 operations the media storage performs inside the block (observed, not faked)."""
    calls: list[str] = []

    def record(model: Any, **kwargs: Any) -> None:
        calls.append(model.name)

    events = default_storage.connection.meta.client.meta.events
    events.register("before-call.s3", record)
    try:
        yield calls
    finally:
        events.unregister("before-call.s3", record)


def no_page_cache() -> override_settings:
    """Every request really renders the page (the page cache would answer the second one)."""
    return override_settings(VESTNIK_CORE_PAGE_CACHE_ENABLED=False)


def media_prefix(bucket: S3Bucket) -> str:
    return f"http://127.0.0.1:{bucket.server.port}/{bucket.name}/"


def test_an_image_uploaded_in_the_admin_lands_in_the_bucket(
    s3_media: S3Bucket, admin_client: Client
) -> None:
    original = jpeg_bytes()
    filename = f"port-{uuid.uuid4().hex[:8]}.jpg"
    for _upload in range(2):
        response = admin_client.post(
            reverse("wagtailimages:add"),
            {
                "title": "Порт Актау",
                "credit": "пресс-служба порта",
                "file": SimpleUploadedFile(filename, original, content_type="image/jpeg"),
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]

    first, second = VestnikImage.objects.order_by("pk")
    keys = s3_media.keys()
    assert first.file.name in keys
    assert s3_media.read(first.file.name) == original
    assert (first.width, first.height) == (1600, 900)
    assert first.credit == "пресс-служба порта"
    # The same file name twice: the second upload must not replace the first.
    assert second.file.name != first.file.name
    assert {first.file.name, second.file.name} <= set(keys)
    assert not (Path(settings.MEDIA_ROOT) / first.file.name).exists()
    head = s3_media.client.head_object(Bucket=s3_media.name, Key=first.file.name)
    assert head["CacheControl"] == DEFAULT_CACHE_CONTROL
    assert head["ContentType"] == "image/jpeg"


def test_article_renditions_are_made_once_stored_in_the_bucket_and_linked_from_the_page(
    s3_media: S3Bucket, client: Client
) -> None:
    site_setup()
    image = VestnikImage.objects.create(
        title="Каспий",
        credit="пресс-служба",
        file=ImageFile(io.BytesIO(jpeg_bytes()), name=f"caspian-{uuid.uuid4().hex[:8]}.jpg"),
    )
    article = article_in_blog(
        expert_with_blog(),
        body=[
            ("paragraph", "<p>Транзит вырос.</p>"),
            ("image", {"image": image, "caption": "Порт зимой", "credit": "", "alt": ""}),
        ],
    )
    originals = s3_media.keys()
    assert set(originals) == {image.file.name}

    with s3_calls() as first_render_calls, no_page_cache():
        first = client.get(article.url)
    assert first.status_code == 200
    renditions = list(VestnikRendition.objects.filter(image=image).order_by("pk"))
    assert {"width-480", "width-800", "width-1200"} <= {r.filter_spec for r in renditions}
    keys = s3_media.keys()
    assert set(keys) == set(originals) | {r.file.name for r in renditions}
    assert first_render_calls.count("PutObject") == len(renditions)

    html = first.content.decode()
    img = re.search(r'<img[^>]*class="figure__img"[^>]*>', html)
    assert img is not None, html
    src = re.search(r'\ssrc="([^"]+)"', img.group(0))
    assert src is not None
    url = src.group(1)
    assert url.startswith(media_prefix(s3_media)), url
    # The production policy lets the page show it (settings/production.py).
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    assert origin in s3_media_origins(settings.STORAGES["default"]["OPTIONS"])
    key = url.removeprefix(media_prefix(s3_media))
    assert key in keys
    served = fetch(url)
    assert served == s3_media.read(key)
    assert PILImage.open(io.BytesIO(served)).format == "JPEG"
    srcset = re.search(r'\ssrcset="([^"]+)"', img.group(0))
    assert srcset is not None
    assert all(
        candidate.strip().startswith(media_prefix(s3_media))
        for candidate in srcset.group(1).split(",")
    )

    # A second render finds the renditions in the database: nothing is generated
    # or uploaded again, and storage is not even asked.
    with s3_calls() as second_render_calls, no_page_cache():
        second = client.get(article.url)
    assert second.status_code == 200
    # The same page but for the nonce, which is new on every render.
    without_nonce = re.compile(rb' nonce="[^"]*"')
    assert without_nonce.sub(b"", second.content) == without_nonce.sub(b"", first.content)
    assert second_render_calls == []
    assert s3_media.keys() == keys
    assert list(VestnikRendition.objects.filter(image=image).order_by("pk")) == renditions


def test_a_document_uploaded_in_the_admin_lands_in_the_bucket_and_is_served_from_it(
    s3_media: S3Bucket, admin_client: Client, client: Client
) -> None:
    payload = "Доклад: транзит через Каспий, 2025.\n".encode()
    filename = f"report-{uuid.uuid4().hex[:8]}.txt"
    response = admin_client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Доклад",
            "file": SimpleUploadedFile(filename, payload, content_type="text/plain"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = get_document_model().objects.get()
    assert s3_media.read(document.file.name) == payload
    assert not (Path(settings.MEDIA_ROOT) / document.file.name).exists()

    # Readers follow the site's document link; Wagtail reads the file from the bucket
    # and sends it itself, after checking the collection's privacy (docs/security.md).
    served = client.get(document.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == payload


def test_options_default_to_public_unsigned_non_overwriting_media() -> None:
    options = s3_media_storage_options({"AWS_STORAGE_BUCKET_NAME": "vestnik-media"})
    assert options["bucket_name"] == "vestnik-media"
    assert options["querystring_auth"] is False
    assert options["file_overwrite"] is False
    assert options["default_acl"] is None
    assert options["endpoint_url"] is None
    assert options["custom_domain"] is None
    assert options["url_protocol"] == "https:"
    assert options["object_parameters"] == {"CacheControl": DEFAULT_CACHE_CONTROL}


def test_options_follow_the_environment() -> None:
    options = s3_media_storage_options(
        {
            "AWS_STORAGE_BUCKET_NAME": "vestnik-media",
            "AWS_S3_ENDPOINT_URL": "https://storage.yandexcloud.net",
            "AWS_S3_REGION_NAME": "ru-central1",
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_S3_CUSTOM_DOMAIN": "media.vestnik.example.org",
            "AWS_LOCATION": "/vestnik/",
            "AWS_DEFAULT_ACL": "public-read",
            "AWS_QUERYSTRING_AUTH": "on",
            "AWS_S3_FILE_OVERWRITE": "0",
            "AWS_S3_CACHE_CONTROL": "public, max-age=600",
        }
    )
    assert options["endpoint_url"] == "https://storage.yandexcloud.net"
    assert options["region_name"] == "ru-central1"
    assert options["addressing_style"] == "path"
    assert options["custom_domain"] == "media.vestnik.example.org"
    assert options["location"] == "vestnik"
    assert options["default_acl"] == "public-read"
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    assert options["object_parameters"] == {"CacheControl": "public, max-age=600"}


def test_options_need_a_bucket() -> None:
    with pytest.raises(ValueError, match="AWS_STORAGE_BUCKET_NAME"):
        s3_media_storage_options({"AWS_STORAGE_BUCKET_NAME": " "})


def test_production_settings_put_media_in_the_bucket_when_one_is_named() -> None:
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "from django.core.files.storage import default_storage as s; "
        "print(json.dumps({'backend': settings.STORAGES['default']['BACKEND'], "
        "'url': s.url('images/a.jpg'), "
        "'img_src': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], "
        "'admin_img_src': settings.VESTNIK_CORE_ADMIN_CONTENT_SECURITY_POLICY['img-src']}))"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "DJANGO_SETTINGS_MODULE": "vestnik.settings.production",
        "SECRET_KEY": "s" * 20 + "-production-secret-for-the-storage-test-0123456789",
        "ALLOWED_HOSTS": "vestnik.example.org",
        "AWS_STORAGE_BUCKET_NAME": "vestnik-media",
        "AWS_S3_CUSTOM_DOMAIN": "media.vestnik.example.org",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    reported = json.loads(result.stdout.strip().splitlines()[-1])
    assert reported == {
        "backend": "storages.backends.s3.S3Storage",
        "url": "https://media.vestnik.example.org/images/a.jpg",
        "img_src": ["'self'", "data:", "https://media.vestnik.example.org"],
        "admin_img_src": ["'self'", "data:", "blob:", "https://media.vestnik.example.org"],
    }


@pytest.mark.parametrize(
    ("environ", "origins"),
    [
        ({"AWS_S3_CUSTOM_DOMAIN": "cdn.example.org/media"}, ["https://cdn.example.org"]),
        (
            {"AWS_S3_ENDPOINT_URL": "https://storage.yandexcloud.net"},
            ["https://b.storage.yandexcloud.net", "https://storage.yandexcloud.net"],
        ),
        (
            {"AWS_S3_ENDPOINT_URL": "http://minio:9000", "AWS_S3_ADDRESSING_STYLE": "path"},
            ["http://minio:9000"],
        ),
        (
            {"AWS_S3_REGION_NAME": "eu-west-1"},
            ["https://b.s3.eu-west-1.amazonaws.com", "https://s3.eu-west-1.amazonaws.com"],
        ),
    ],
)
def test_the_policy_names_where_media_urls_point(
    environ: dict[str, str], origins: list[str]
) -> None:
    options = s3_media_storage_options({"AWS_STORAGE_BUCKET_NAME": "b", **environ})
    assert s3_media_origins(options) == origins
