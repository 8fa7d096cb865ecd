"""Sending one message so that a worker killed at any moment never sends it twice.

SMTP accepts a message when the client sends the line with a single dot that
ends DATA; a server that loses the connection before that line throws the
message away. `LedgerSMTP.send_handing_over` sends the envelope and the whole
message except that line, then calls `hand_over()` — which records in the
database that this message is being handed to the server — and only then
sends the dot. So:

- killed before the hand-over: the row is still queued and the server has
  thrown the unfinished message away; the next worker sends it, once;
- killed after it: the row says handed over and is never sent again; the
  server has the message, or (if the process died in the microseconds
  between the commit and the dot leaving) lost it — at most once, never twice.

Where `EMAIL_BACKEND` is not SMTP (the console in development, the in-memory
outbox in tests), `BackendSender` hands over and then gives the message to
the backend: there is no server to lose it in between.
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import socket
import ssl
from collections.abc import Callable
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.utils.module_loading import import_string

_LINE_ENDS = re.compile(rb"\r\n|\r|\n")
_LEADING_DOT = re.compile(rb"(?m)^\.")


class PermanentRefusal(Exception):
    """The server said 5xx: this address will not take this message."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code} {message}")
        self.code = code


class TemporaryRefusal(Exception):
    """The server said 4xx: try this message again later."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code} {message}")
        self.code = code


class HandOverLost(Exception):
    """Another worker took the row first: the unfinished message was abandoned."""


class Sender(Protocol):
    def send(self, message: EmailMultiAlternatives, hand_over: Callable[[], bool]) -> None: ...

    def close(self) -> None: ...


def _refusal(code: int, reply: bytes | str) -> Exception:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    if 400 <= code < 500:
        return TemporaryRefusal(code, text)
    return PermanentRefusal(code, text)


class LedgerSMTP(smtplib.SMTP):
    def send_handing_over(
        self, sender: str, recipient: str, data: bytes, hand_over: Callable[[], bool]
    ) -> None:
        self.ehlo_or_helo_if_needed()
        code, reply = self.mail(sender)
        if code != 250:
            # About our sender, not the reader's address: the whole batch stops.
            self.rset()
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        code, reply = self.rcpt(recipient)
        if code not in (250, 251):
            self.rset()
            raise _refusal(code, reply)
        code, reply = self.docmd("data")
        if code != 354:
            self.rset()
            raise _refusal(code, reply)
        body = _LEADING_DOT.sub(b"..", _LINE_ENDS.sub(b"\r\n", data))
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        self.send(body)
        if not hand_over():
            # The message stays unfinished and the server drops it with the connection.
            self.close()
            raise HandOverLost
        self.send(b".\r\n")
        code, reply = self.getreply()
        if code != 250:
            raise _refusal(code, reply)


class LedgerSMTPSSL(LedgerSMTP, smtplib.SMTP_SSL):
    pass


class SmtpSender:
    """One connection to `EMAIL_HOST`, configured as Django's SMTP backend is."""

    def __init__(self) -> None:
        self.connection: LedgerSMTP | None = None

    def _open(self) -> LedgerSMTP:
        timeout = settings.EMAIL_TIMEOUT or 30
        connection: LedgerSMTP
        if settings.EMAIL_USE_SSL:
            connection = LedgerSMTPSSL(
                settings.EMAIL_HOST,
                settings.EMAIL_PORT,
                timeout=timeout,
                context=ssl.create_default_context(),
            )
        else:
            connection = LedgerSMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=timeout)
            if settings.EMAIL_USE_TLS:
                connection.starttls(context=ssl.create_default_context())
        if settings.EMAIL_HOST_USER:
            connection.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
        # The final dot is a write of its own after the body: with Nagle's
        # algorithm it would wait for the server's delayed ACK, 40 ms a message.
        if connection.sock is not None:
            connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection

    def send(self, message: EmailMultiAlternatives, hand_over: Callable[[], bool]) -> None:
        if self.connection is None:
            self.connection = self._open()
        try:
            self.connection.send_handing_over(
                message.from_email,
                message.to[0],
                message.message().as_bytes(),
                hand_over,
            )
        except (smtplib.SMTPServerDisconnected, OSError, HandOverLost):
            self.connection = None
            raise

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.connection.quit()
            self.connection = None


class BackendSender:
    """Any other `EMAIL_BACKEND` (console, in-memory): hand over, then give it the message."""

    def __init__(self) -> None:
        self.connection = get_connection(fail_silently=False)

    def send(self, message: EmailMultiAlternatives, hand_over: Callable[[], bool]) -> None:
        if not hand_over():
            raise HandOverLost
        message.connection = self.connection
        message.send(fail_silently=False)

    def close(self) -> None:
        self.connection.close()


def sender_open() -> Sender:
    if issubclass(import_string(settings.EMAIL_BACKEND), SmtpBackend):
        return SmtpSender()
    return BackendSender()
