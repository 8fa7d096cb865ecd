"""Functions the sandbox tests run in a child process.

A module of their own, importable without Django's app registry (the fork
server's children import what they run by name, and never set Django up).
"""

from __future__ import annotations

import os
import signal
import time

from vestnik.importers.errors import ImportFailed


def sleep_forever() -> None:
    time.sleep(600)


def allocate(megabytes: int) -> int:
    blocks = [bytearray(1024 * 1024) for _ in range(megabytes)]
    return len(blocks)


def crash() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def refuse() -> None:
    raise ImportFailed("A message from the child.")


def fail() -> None:
    raise KeyError("word/missing.xml")


def answer(number: int, *, plus: int) -> int:
    return number + plus
