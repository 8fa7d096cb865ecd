"""The shipped nginx site (deploy/nginx/vestnik.conf) is valid nginx, as a server would load it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.harness import DEPLOY, MIME_TYPES, NGINX, PURGE_MODULE


@pytest.mark.needs("nginx")
def test_the_site_file_passes_nginx_t(tmp_path: Path) -> None:
    # A throwaway certificate where certbot would put the real one.
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=example.org", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (DEPLOY / "nginx" / "vestnik.conf").read_text()
    site = (
        site.replace("/srv/vestnik/app/deploy", str(DEPLOY))
        .replace("/etc/letsencrypt/live/example.org/fullchain.pem", str(cert))
        .replace("/etc/letsencrypt/live/example.org/privkey.pem", str(key))
        .replace("/var/cache/nginx/vestnik", str(tmp_path / "cache"))
    )
    assert "/srv/vestnik/app" not in site
    (tmp_path / "vestnik.conf").write_text(site)
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"load_module {PURGE_MODULE};\n{user}\npid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ include {MIME_TYPES}; include {tmp_path}/vestnik.conf; }}\n"
    )
    result = subprocess.run(
        [str(NGINX), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
