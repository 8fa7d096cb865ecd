"""The bench's WSGI application: Vestnik as deployed, and the minimal vote two ways.

- `/bench/minimal/…` goes through the middleware of a new Django project
  (`startproject`'s list), as a minimal site's vote view would;
- `/bench/vestnik-stack/minimal/…` is the same view behind Vestnik's own
  middleware, which shows what the stack costs;
- everything else is `vestnik.wsgi`, unchanged.

One gunicorn serves all three, so every row of the table runs under the same
server, workers and database connections.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.handlers.wsgi import WSGIHandler
from django.test.utils import override_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.polls_settings")

from vestnik.wsgi import application as vestnik_application

STOCK_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
STOCK_PREFIX = "/bench/minimal/"
VESTNIK_STACK_PREFIX = "/bench/vestnik-stack"


class StockHandler(WSGIHandler):
    """Django's WSGI handler with startproject's middleware instead of the settings'."""

    def load_middleware(self, is_async: bool = False) -> None:
        with override_settings(MIDDLEWARE=STOCK_MIDDLEWARE):
            super().load_middleware(is_async)


stock_application = StockHandler()


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    path = environ.get("PATH_INFO", "")
    if path.startswith(STOCK_PREFIX):
        return stock_application(environ, start_response)
    if path.startswith(VESTNIK_STACK_PREFIX):
        environ["PATH_INFO"] = path[len(VESTNIK_STACK_PREFIX) :]
    return vestnik_application(environ, start_response)
