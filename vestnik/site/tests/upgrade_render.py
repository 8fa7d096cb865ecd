"""Run by test_upgrade in a fresh process: every public page of an upgraded database, rendered.

Prints one JSON object: each URL with its status and whether the text the old
release showed there (a page's title) is still on it.
"""

from __future__ import annotations

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vestnik.settings.dev")
django.setup()

from django.test import Client  # noqa: E402  (after django.setup(), by necessity)

from wagtail.models import Page  # noqa: E402


def main() -> None:
    client = Client(HTTP_HOST="localhost")
    pages = list(Page.objects.live().public().filter(depth__gt=1).specific())
    checks: list[tuple[str, str]] = [(page.url, page.title) for page in pages if page.url]
    blogs = [page for page in pages if type(page).__name__ == "BlogPage"]
    articles = [page for page in pages if type(page).__name__ == "ArticlePage"]
    checks += [(f"{blogs[0].url}feed/", blogs[0].title)]
    checks += [(f"{articles[0].url}print/", articles[0].title)]
    checks += [(f"{articles[0].url}cite.bib", "")]
    checks += [("/en/polls/", "")]
    checks += [("/countries/", ""), ("/entities/", ""), ("/polls/", ""), ("/sitemap.xml", "")]
    results = []
    for url, expected in checks:
        response = client.get(url)
        body = response.content.decode(errors="replace")
        results.append(
            {"url": url, "status": response.status_code, "shows": not expected or expected in body}
        )
    types = sorted({f"{type(page)._meta.app_label}.{type(page).__name__}" for page in pages})
    print(json.dumps({"page_types": types, "results": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()
