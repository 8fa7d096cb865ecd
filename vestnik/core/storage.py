"""Where media lives: on disk, or in S3-compatible object storage.

The production settings and the object-storage tests build the storage options
with the same function, so what the tests exercise is what production runs.
This module is imported by the settings, so it must not import models.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

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


def s3_media_origins(options: Mapping[str, Any]) -> list[str]:
    """The origins media URLs point at, for the Content-Security-Policy's img-src and media-src.

    With a custom domain every URL uses it. Without one django-storages builds
    URLs from the endpoint: path-style (`endpoint/bucket/key`) or virtual-hosted
    (`bucket.endpoint/key`); boto3 chooses when the addressing style is unset,
    so both are allowed then.
    """
    protocol = str(options.get("url_protocol") or "https:")
    if options.get("custom_domain"):
        # A source with a path matches that path alone; the origin covers every key.
        host = str(options["custom_domain"]).split("/", 1)[0]
        return [f"{protocol}//{host}"]
    bucket = str(options["bucket_name"])
    endpoint = options.get("endpoint_url")
    if endpoint:
        parts = urlsplit(str(endpoint))
        scheme, host = parts.scheme or "https", parts.netloc
    else:
        region = options.get("region_name")
        scheme, host = "https", f"s3.{region}.amazonaws.com" if region else "s3.amazonaws.com"
    style = options.get("addressing_style")
    origins = []
    if style in (None, "virtual", "auto"):
        origins.append(f"{scheme}://{bucket}.{host}")
    if style in (None, "path", "auto"):
        origins.append(f"{scheme}://{host}")
    return origins
