"""Where media lives: on disk, or in S3-compatible object storage.

The production settings and the object-storage tests build the storage options
with the same function, so what the tests exercise is what production runs.
This module is imported by the settings, so it must not import models.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

S3_BACKEND = "storages.backends.s3.S3Storage"

# Media names never repeat (uploads are never overwritten, renditions carry their
# filter in the name), so a cached copy can live for a year.
DEFAULT_CACHE_CONTROL = "public, max-age=31536000, immutable"

_TRUE = {"1", "true", "yes", "on"}


def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    value = environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in _TRUE


def _optional(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    return value or None


def s3_media_storage_options(environ: Mapping[str, str]) -> dict[str, Any]:
    """django-storages options for public media in an S3-compatible bucket.

    Read from the environment (`AWS_*`, the names django-storages documents);
    docs/operations.md lists them. Credentials are not read here: django-storages
    takes AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment itself,
    and boto3 falls back to its own chain (instance role, ~/.aws) without them.
    """
    bucket = _optional(environ, "AWS_STORAGE_BUCKET_NAME")
    if bucket is None:
        raise ValueError("AWS_STORAGE_BUCKET_NAME is not set")
    return {
        "bucket_name": bucket,
        # Any S3-compatible service (MinIO, Ceph, Yandex Object Storage, Selectel…);
        # unset means AWS itself.
        "endpoint_url": _optional(environ, "AWS_S3_ENDPOINT_URL"),
        "region_name": _optional(environ, "AWS_S3_REGION_NAME"),
        # "path" for services without per-bucket host names (MinIO on one host).
        "addressing_style": _optional(environ, "AWS_S3_ADDRESSING_STYLE"),
        "signature_version": environ.get("AWS_S3_SIGNATURE_VERSION", "").strip() or "s3v4",
        # A CDN or bucket domain for the URLs in pages (media.example.org); without it
        # URLs point at the endpoint.
        "custom_domain": _optional(environ, "AWS_S3_CUSTOM_DOMAIN"),
        "url_protocol": environ.get("AWS_S3_URL_PROTOCOL", "").strip() or "https:",
        # A key prefix, for a bucket shared with other applications.
        "location": environ.get("AWS_LOCATION", "").strip().strip("/"),
        # Public media: signed URLs would expire inside cached pages and defeat the
        # page cache, since every render would produce a different URL.
        "querystring_auth": _flag(environ, "AWS_QUERYSTRING_AUTH", False),
        # Two uploads named photo.jpg must not replace each other: the second one
        # gets a suffix, as on disk.
        "file_overwrite": _flag(environ, "AWS_S3_FILE_OVERWRITE", False),
        # "public-read" for buckets that use ACLs; unset for buckets whose policy
        # makes objects public (AWS's default since 2023 refuses ACLs).
        "default_acl": _optional(environ, "AWS_DEFAULT_ACL"),
        "object_parameters": {
            "CacheControl": environ.get("AWS_S3_CACHE_CONTROL", "").strip() or DEFAULT_CACHE_CONTROL
        },
    }
