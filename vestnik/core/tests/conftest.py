"""An S3-compatible server on loopback for the object-storage tests.

moto's server mode runs in its own process, speaking the S3 HTTP API; the
tests reach it through django-storages and boto3 exactly as production reaches
a real bucket. It starts once per test session, on a free port, and is stopped
at the end whatever happens.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from django.test import override_settings

from tests.harness import free_port
from vestnik.core.storage import S3_BACKEND, s3_media_storage_options

# moto accepts any credentials; boto3 only needs some, and never the machine's own.
CREDENTIALS = {"access_key": "vestnik-test", "secret_key": "vestnik-test-secret"}
REGION = "us-east-1"
START_TIMEOUT = 60.0


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    port: int

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=CREDENTIALS["access_key"],
            aws_secret_access_key=CREDENTIALS["secret_key"],
        )


@dataclass(frozen=True)
class S3Bucket:
    server: S3Server
    name: str
    client: Any

    def keys(self) -> dict[str, str]:
        """Every object in the bucket: key → ETag."""
        listed: dict[str, str] = {}
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name):
            for item in page.get("Contents", []):
                listed[item["Key"]] = item["ETag"]
        return listed

    def read(self, key: str) -> bytes:
        body: bytes = self.client.get_object(Bucket=self.name, Key=key)["Body"].read()
        return body


def public_read_policy(bucket: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicMedia",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


def _wait_until_serving(process: subprocess.Popen[bytes], url: str) -> bool:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False  # the port was taken between probing and binding, most likely
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                return True
        time.sleep(0.2)
    return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    log_path: Path = tmp_path_factory.mktemp("moto") / "moto-server.log"
    for _attempt in range(3):
        port = free_port()
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        endpoint = f"http://127.0.0.1:{port}"
        if _wait_until_serving(process, f"{endpoint}/moto-api/"):
            try:
                yield S3Server(endpoint_url=endpoint, port=port)
            finally:
                _stop(process)
            return
        _stop(process)
    pytest.fail(f"moto server did not start: {log_path.read_text(errors='replace')[-2000:]}")


@pytest.fixture
def s3_media(s3_server: S3Server) -> Iterator[S3Bucket]:
    """Media storage switched to a fresh bucket, configured as production configures it.

    The bucket's URLs go through a "custom domain" (the endpoint host plus the
    bucket, path-style), as they would through a CDN, so pages link to the
    storage and the links can be fetched.
    """
    client = s3_server.client()
    name = f"vestnik-media-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name)
    # Public media, as the runbook sets it up: readers may GET any object.
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read_policy(name)))
    environ = {
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": s3_server.endpoint_url,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_S3_CUSTOM_DOMAIN": f"127.0.0.1:{s3_server.port}/{name}",
        "AWS_S3_URL_PROTOCOL": "http:",
    }
    options = {**s3_media_storage_options(environ), **CREDENTIALS}
    storages = {
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": options},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield S3Bucket(server=s3_server, name=name, client=client)
