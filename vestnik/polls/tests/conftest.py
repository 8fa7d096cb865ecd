"""Fixtures shared by the poll tests."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from django.db import connections


@pytest.fixture
def threaded_db(transactional_db: None, tmp_path: Path) -> Iterator[None]:
    """A database that several threads, each with its own connection, can write at once.

    On PostgreSQL the test database already is one. On SQLite the test settings
    use a shared-cache in-memory database, whose table locks fail concurrent
    writers at once ("database table is locked") instead of queueing them. So
    for the duration of the test the default alias points at a file copy of
    the test database, opened the way production opens SQLite (WAL, IMMEDIATE
    transactions, a busy timeout), and every new thread connects to that file.
    The in-memory database is left untouched and restored afterwards.
    """
    if connections["default"].vendor != "sqlite":
        yield
        return
    original_settings = connections.settings["default"]
    memory_connection = connections["default"]
    memory_connection.ensure_connection()
    path = tmp_path / "threads.sqlite3"
    target = sqlite3.connect(path)
    memory_connection.connection.backup(target)
    target.close()
    connections.settings["default"] = {
        **original_settings,
        "NAME": str(path),
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        },
    }
    file_connection = connections.create_connection("default")
    connections["default"] = file_connection
    try:
        yield
    finally:
        file_connection.close()
        connections["default"] = memory_connection
        connections.settings["default"] = original_settings
