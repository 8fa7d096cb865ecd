"""Deployment settings and translations a user relies on."""

from __future__ import annotations

import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_production_settings_pass_the_deploy_check() -> None:
    # The browser tests allow async-unsafe ORM calls in this process; a deployment never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "vestnik.settings.production",
        "SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "vestnik.example.org",
        "DATABASE_URL": f"sqlite:///{ROOT / 'var' / 'deploy-check.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vestnik.settings.production", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def _untranslated(po_text: str) -> list[str]:
    entries = po_text.split("\n\n")
    missing = []
    for entry in entries[1:]:
        if "#, fuzzy" in entry:
            missing.append(entry)
            continue
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', entry, re.M)
        if any(re.sub(r'"\s*"', "", value).strip() in ('""', "") for value in msgstrs):
            missing.append(entry)
    return missing


def test_every_interface_string_has_a_russian_translation() -> None:
    po = (ROOT / "locale/ru/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    missing = _untranslated(po)
    assert not missing, "\n\n".join(missing[:10])
    # The compiled catalogue must be rebuilt after the .po changes (`make messages`).
    with (ROOT / "locale/ru/LC_MESSAGES/django.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    compiled = {key[0] if isinstance(key, tuple) else key for key in catalog} - {""}
    in_po = len(re.findall(r"^msgid ", po, re.M)) - 1
    assert len(compiled) == in_po
