"""The one error every importer raises for input it cannot turn into an article."""

from __future__ import annotations


class ImportFailed(Exception):
    """The input is not something we can import; `message` tells the operator why.

    Raised before anything is written, so a failed import leaves no trace.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
