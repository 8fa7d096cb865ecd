"""The shipped nginx site (deploy/nginx/vestnik.conf): valid nginx, and what it serves itself.

The file is used as written, with only what a test machine must change: the
certificate (a throwaway one), the paths under /srv/vestnik and the ports
(free loopback ones instead of 80, 443 and 8080).
"""

from __future__ import annotations

import http.client
import os
import ssl
import subprocess
from pathlib import Path

import pytest

from tests.harness import DEPLOY, MIME_TYPES, NGINX, PURGE_MODULE, Nginx, free_port

pytestmark = pytest.mark.needs("nginx")


def throwaway_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for example.org where certbot would put the real one."""
    cert, key = directory / "fullchain.pem", directory / "privkey.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=example.org", "-addext", "subjectAltName=DNS:example.org",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def shipped_site(
    directory: Path, *, cert: Path, key: Path, ports: dict[int, int] | None = None
) -> str:
    """deploy/nginx/vestnik.conf with the machine-specific parts moved into `directory`.

    `ports` maps the shipped ports (80, 443, 8080) to others; their IPv6
    listeners are dropped (the test machine may have no IPv6 loopback).
    """
    # The media locations live in their own file, included by the site: it gets
    # the same machine-specific paths, and the site includes the rewritten copy.
    media = (DEPLOY / "nginx" / "vestnik-media.conf").read_text()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "vestnik-media.conf").write_text(
        media.replace("/srv/vestnik/var/", f"{directory}/var/")
    )
    # So does the beacon location, its log moved out of /run/vestnik.
    readership = (DEPLOY / "nginx" / "vestnik-readership.conf").read_text()
    (directory / "vestnik-readership.conf").write_text(
        readership.replace("/run/vestnik/views.log", str(directory / "views.log"))
    )
    site = (DEPLOY / "nginx" / "vestnik.conf").read_text()
    site = (
        site.replace(
            "/srv/vestnik/app/deploy/nginx/vestnik-media.conf",
            str(directory / "vestnik-media.conf"),
        )
        .replace(
            "/srv/vestnik/app/deploy/nginx/vestnik-readership.conf",
            str(directory / "vestnik-readership.conf"),
        )
        .replace("/srv/vestnik/app/deploy", str(DEPLOY))
        .replace("/srv/vestnik/var/", f"{directory}/var/")
        .replace("/etc/letsencrypt/live/example.org/fullchain.pem", str(cert))
        .replace("/etc/letsencrypt/live/example.org/privkey.pem", str(key))
        .replace("/var/cache/nginx/vestnik", str(directory / "cache"))
        .replace("/var/log/nginx/vestnik.access.log", str(directory / "access.log"))
    )
    for shipped, port in (ports or {}).items():
        listeners = [f"listen {shipped};", f"listen {shipped} ", f"listen 127.0.0.1:{shipped};"]
        assert any(listener in site for listener in listeners), shipped
        site = (
            site.replace(f"listen [::]:{shipped} ssl http2;\n", "")
            .replace(f"listen [::]:{shipped};\n", "")
            .replace(f"listen {shipped};", f"listen 127.0.0.1:{port};")
            .replace(f"listen {shipped} ", f"listen 127.0.0.1:{port} ")
            .replace(f"listen 127.0.0.1:{shipped};", f"listen 127.0.0.1:{port};")
        )
    assert "/srv/vestnik/" not in site
    return site


def main_config(directory: Path, site: str) -> str:
    (directory / "vestnik.conf").write_text(site)
    user = "user root;" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"{kind}_temp_path {directory}/{kind}_temp;"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"load_module {PURGE_MODULE};\n{user}\npid {directory}/nginx.pid;\n"
        f"error_log {directory}/error.log;\nevents {{}}\n"
        f"http {{ include {MIME_TYPES}; {temp} include {directory}/vestnik.conf; }}\n"
    )


class ShippedSite(Nginx):
    """nginx running deploy/nginx/vestnik.conf itself (its upstream left unreachable)."""

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir, upstream_port=free_port())
        self.redirect_port = free_port()
        workdir.mkdir(parents=True, exist_ok=True)
        self.cert, self.key = throwaway_certificate(workdir)

    def config(self) -> str:
        ports = {80: self.redirect_port, 443: self.port, 8080: self.purge_port}
        site = shipped_site(self.workdir, cert=self.cert, key=self.key, ports=ports)
        return main_config(self.workdir, site)

    def get(
        self, path: str, *, method: str = "GET", headers: dict[str, str] | None = None
    ) -> http.client.HTTPResponse:
        """GET (or `method`) over TLS, trusting the throwaway certificate, as example.org."""
        context = ssl.create_default_context(cafile=str(self.cert))
        context.check_hostname = False  # the certificate names example.org, we dial 127.0.0.1
        connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=context)
        connection.request(method, path, headers={"Host": "example.org", **(headers or {})})
        response = connection.getresponse()
        response.read()
        connection.close()
        return response


def test_the_site_file_passes_nginx_t(tmp_path: Path) -> None:
    cert, key = throwaway_certificate(tmp_path)
    site = shipped_site(tmp_path, cert=cert, key=key)
    (tmp_path / "nginx.conf").write_text(main_config(tmp_path, site))
    result = subprocess.run(
        [str(NGINX), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_files_nginx_serves_itself_say_nosniff(tmp_path: Path) -> None:
    # Without nosniff a browser may run an uploaded text file that looks like HTML
    # (issue #12, row 14); pages from Django carry the header from SecurityMiddleware.
    media = tmp_path / "site" / "var" / "media"
    static = tmp_path / "site" / "var" / "static"
    # Any upload nginx serves itself (documents never are: tests/production/test_documents.py).
    (media / "original_images").mkdir(parents=True)
    (media / "original_images" / "notes.txt").write_text("<html><script>alert(1)</script></html>")
    (media / "original_images" / "data.bin").write_bytes(
        b"<!DOCTYPE html><script>alert(1)</script>"
    )
    static.mkdir(parents=True)
    (static / "site.3f2a9c.css").write_text("body { margin: 0 }")

    with ShippedSite(tmp_path / "site") as site:
        for path in ("/media/original_images/notes.txt", "/media/original_images/data.bin"):
            response = site.get(path)
            assert response.status == 200, path
            assert response.getheader("X-Content-Type-Options") == "nosniff", path
            assert "max-age=2592000" in (response.getheader("Cache-Control") or ""), path
        notes = site.get("/media/original_images/notes.txt")
        assert notes.getheader("Content-Type") == "text/plain"
        # `always`: a missing file's error page says it too.
        missing = site.get("/media/original_images/missing.html")
        assert missing.status == 404
        assert missing.getheader("X-Content-Type-Options") == "nosniff"
        # The location's own headers survive beside it (add_header does not merge).
        css = site.get("/static/site.3f2a9c.css")
        assert css.status == 200
        assert css.getheader("X-Content-Type-Options") == "nosniff"
        assert "public, immutable" in css.headers.get_all("Cache-Control")


def test_the_site_answers_view_beacons_itself_and_logs_them_for_the_worker(
    tmp_path: Path,
) -> None:
    # The upstream is unreachable: a 204 can only be nginx's own answer.
    with ShippedSite(tmp_path / "site") as site:
        agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36"
        beacon = site.get(
            "/readership/view/?p=42", method="POST", headers={"User-Agent": agent, "DNT": "1"}
        )
        assert beacon.status == 204
        assert beacon.getheader("Cache-Control") == "no-store"
        assert beacon.getheader("X-Content-Type-Options") == "nosniff"
        assert site.get("/readership/view/?p=42").status == 204  # logged as a GET, not counted
    # nginx stopped: its buffer is written. One line per beacon, none in the site's access log.
    lines = (tmp_path / "site" / "views.log").read_bytes().splitlines()
    assert len(lines) == 2
    fields = lines[0].split(b"\t")
    assert fields[1:6] == [b"POST", b"42", b"127.0.0.1", agent.encode(), b"1"]
    access_log = (tmp_path / "site" / "access.log").read_bytes()
    assert b"/readership/view/" not in access_log


def test_the_access_log_keeps_networks_not_addresses(tmp_path: Path) -> None:
    with ShippedSite(tmp_path / "site") as site:
        site.get("/")  # a page: logged (its upstream is down, so a 502)
    access_log = (tmp_path / "site" / "access.log").read_text()
    assert access_log.startswith("127.0.0.0 [")
    assert "127.0.0.1" not in access_log and "python" not in access_log.lower()
