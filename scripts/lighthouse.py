"""Lighthouse scores of the main pages, served the way production serves them.

Usage:
    .venv/bin/python scripts/lighthouse.py [--base URL] [--port 8765] [--form mobile desktop]
        [--pages / /blogs/ ...] [--details] [--reports DIR]

Without --base it builds a throwaway site in VESTNIK_VAR_DIR (default /tmp/lh-site):
SQLite, production settings over plain http (SECURE_SSL_REDIRECT=0), `migrate`,
`load_demo`, `collectstatic`, media served by Django, and gunicorn with
deploy/gunicorn.conf.py on 127.0.0.1:<port>. It then runs Lighthouse from npm
(`npm install lighthouse` in /tmp/lh, or --lighthouse PATH) against Debian's
Chromium (CHROME_PATH, default /usr/bin/chromium) for each page and form factor
and prints a Markdown table of the four category scores. --details adds the
audits that cost points.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.error import URLError

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
# A throwaway site and a private npm folder, both outside the repository on a developer machine.
DEFAULT_VAR_DIR = "/tmp/lh-site"  # noqa: S108
DEFAULT_LIGHTHOUSE = "/tmp/lh/node_modules/.bin/lighthouse"  # noqa: S108

# The demo content is deterministic (docs/demo.md), so these URLs exist on every demo site:
# an article with a table, a map, footnotes and the poll widget, and the entity mentioned most.
PAGES = [
    "/",
    "/blogs/ilya-korsakov/severnyy-morskoy-put-pochemu-tranzit-rastet-medlennee-gruzopotoka/",
    "/blogs/",
    "/polls/",
    "/search/?q=транзит",
    "/entities/rossiya/",
    "/en/",
]
FORMS = ["mobile", "desktop"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGET = 95
# Scores below TARGET that are a decision, not a defect; the table marks them with *.
EXPECTED_BELOW = {
    ("/search/", "seo"): (
        "search results carry `noindex, follow` and robots.txt disallows /search/, "
        "so engines index the articles rather than endless result pages"
    ),
}
ATTEMPTS = 3
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def site_env(var_dir: Path, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "VESTNIK_VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "vestnik.settings.production",
            "SECRET_KEY": env.get("SECRET_KEY") or secrets.token_urlsafe(60),
            # Production minus TLS: there is no proxy in front, so plain http must not redirect.
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "VESTNIK_SERVE_MEDIA": "1",
            # No db_worker runs here; extract insights in-process so entity pages have content.
            "VESTNIK_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
            # Request logs would bury the score table; the server log goes to a file.
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def prepare_site(env: dict[str, str]) -> None:
    Path(env["VESTNIK_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["load_demo"],
        ["collectstatic", "--noinput", "-v", "0"],
    ):
        print(f"manage.py {' '.join(command)}", file=sys.stderr)
        subprocess.run(  # noqa: S603  (fixed argv, no shell)
            [str(PYTHON), "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def wait_until_up(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (URLError, ConnectionError):
            time.sleep(0.5)
    raise SystemExit(f"{base} did not answer within {timeout:.0f} s")


def run_lighthouse(lighthouse: str, url: str, form: str, report: Path) -> dict[str, int] | None:
    argv = [
        lighthouse,
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    if form == "desktop":
        argv.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    # On a busy machine Chromium now and then loses the trace (NO_NAVSTART); a rerun helps.
    for attempt in range(1, ATTEMPTS + 1):
        done = subprocess.run(argv, env=env, check=False)  # noqa: S603  (fixed argv, no shell)
        if done.returncode == 0:
            break
        if attempt == ATTEMPTS:
            print(f"lighthouse failed {ATTEMPTS} times on {url} ({form})", file=sys.stderr)
            return None
    result = json.loads(report.read_text())
    return {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}


def failing_audits(report: Path) -> list[str]:
    """Audits that cost points, per category, for --details."""
    result = json.loads(report.read_text())
    lines = []
    for name in CATEGORIES:
        for ref in result["categories"][name]["auditRefs"]:
            audit = result["audits"][ref["id"]]
            score = audit.get("score")
            if ref["weight"] and score is not None and score < 0.9:
                shown = audit.get("displayValue", "")
                lines.append(f"  {name}: {ref['id']} ({score:.2f}) {shown}".rstrip())
    return lines


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--base", help="score a running site instead of serving one")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--var-dir", default=os.environ.get("VESTNIK_VAR_DIR", DEFAULT_VAR_DIR))
    parser.add_argument("--lighthouse", default=DEFAULT_LIGHTHOUSE)
    parser.add_argument("--form", nargs="+", choices=["mobile", "desktop"], default=FORMS)
    parser.add_argument("--pages", nargs="+", default=PAGES)
    parser.add_argument("--reports", help="keep the JSON reports in this directory")
    parser.add_argument("--details", action="store_true", help="list audits that cost points")
    args = parser.parse_args()

    if not Path(args.lighthouse).exists():
        raise SystemExit(f"{args.lighthouse} not found: run `npm install lighthouse` in /tmp/lh")
    server = None
    base = args.base.rstrip("/") if args.base else f"http://127.0.0.1:{args.port}"
    if not args.base:
        if not port_is_free(args.port):
            raise SystemExit(f"port {args.port} is taken: pick another with --port")
        env = site_env(Path(args.var_dir), args.port)
        prepare_site(env)
        server_log = Path(args.var_dir) / "gunicorn.log"
        print(f"gunicorn on {base}, log in {server_log}", file=sys.stderr)
        server = subprocess.Popen(  # noqa: S603  (fixed argv, no shell)
            [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "vestnik.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=server_log.open("w"),
            stderr=subprocess.STDOUT,
        )
    reports = Path(args.reports or tempfile.mkdtemp(prefix="lighthouse-"))
    reports.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, str, dict[str, int] | None]] = []
    details: list[str] = []
    try:
        wait_until_up(base)
        for form in args.form:
            for path in args.pages:
                name = "".join(c if c.isalnum() else "-" for c in path).strip("-") or "home"
                report = reports / f"{name[:60]}-{form}.json"
                print(f"lighthouse {form} {path}", file=sys.stderr)
                scores = run_lighthouse(args.lighthouse, base + path, form, report)
                rows.append((path, form, scores))
                if args.details and scores is not None:
                    details += [f"{path} ({form})", *failing_audits(report)]
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)

    print("| page | form | performance | accessibility | best practices | SEO |")
    print("|---|---|---|---|---|---|")
    below = []
    for path, form, scores in rows:
        if scores is None:
            below.append(f"{path} ({form}): no report")
            print(f"| `{path}` | {form} | — | — | — | — |")
            continue
        cells = []
        for category in CATEGORIES:
            expected = EXPECTED_BELOW.get((path.split("?")[0], category))
            cells.append(f"{scores[category]}{'*' if expected else ''}")
            if scores[category] < TARGET and not expected:
                below.append(f"{path} ({form}): {category} {scores[category]}")
        print(f"| `{path}` | {form} | {' | '.join(cells)} |")
    for (path, category), reason in EXPECTED_BELOW.items():
        if any(row[0].split("?")[0] == path for row in rows):
            print(f"\n\\* {path} {category}: {reason}")
    if details:
        print("\n" + "\n".join(details))
    print(f"\nJSON reports: {reports}", file=sys.stderr)
    for line in below:
        print(f"below {TARGET}: {line}", file=sys.stderr)
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
