"""E-mail: one message, with a plain-text and an HTML part and attachments, sent by the worker.

    from vestnik.core.mail import Attachment, email_send

    email_send(
        to=["reader@example.org"],
        subject="…",
        text="…",
        html="<p>…</p>",
        attachments=[Attachment("event.ics", ics_bytes, "text/calendar")],
    )

`email_send` queues the message once the current transaction commits (a
rolled-back registration sends nothing; a retried task elsewhere does not send
again), and `email_send_task` delivers it through `EMAIL_BACKEND` — SMTP from
the environment in production, the console log without `EMAIL_HOST`
(settings/base.py). The task is a `retrying_task`: a server that refuses the
connection, times out, drops it or answers with a 4xx code ("try again later",
greylisting) is tried again with backoff; a 5xx answer (no such mailbox,
rejected as spam) is final and fails at once. The message travels to the
worker as JSON, attachments base64-encoded.
"""

from __future__ import annotations

import base64
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from vestnik.core.tasks import TRANSIENT_ERRORS, retrying_task


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"


class TransientMailError(Exception):
    """The server answered 4xx: the same message may be accepted later."""


# SMTPServerDisconnected: the connection dropped mid-conversation. Connection
# refused and timeouts are OSErrors already in TRANSIENT_ERRORS.
MAIL_RETRY_ON: tuple[type[BaseException], ...] = (
    *TRANSIENT_ERRORS,
    TransientMailError,
    smtplib.SMTPServerDisconnected,
)


def email_payload(
    *,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str = "",
    attachments: Sequence[Attachment] = (),
    reply_to: Sequence[str] = (),
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The message as the JSON the task carries."""
    return {
        "to": list(to),
        "subject": subject,
        "text": text,
        "html": html,
        "reply_to": list(reply_to),
        "headers": dict(headers or {}),
        "attachments": [
            {
                "filename": item.filename,
                "mimetype": item.mimetype,
                "content": base64.b64encode(item.content).decode("ascii"),
            }
            for item in attachments
        ],
    }


def email_message(payload: dict[str, Any]) -> EmailMultiAlternatives:
    """The Django message for a payload from `email_payload`."""
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["text"],
        to=payload["to"],
        reply_to=payload.get("reply_to") or None,
        headers=payload.get("headers") or None,
    )
    if payload.get("html"):
        message.attach_alternative(payload["html"], "text/html")
    for item in payload.get("attachments", []):
        message.attach(item["filename"], base64.b64decode(item["content"]), item["mimetype"])
    return message


@retrying_task(attempts=6, backoff=timedelta(minutes=1), retry_on=MAIL_RETRY_ON)
def email_send_task(payload: dict[str, Any]) -> int:
    """Deliver one message; the number of messages sent (1)."""
    try:
        return email_message(payload).send(fail_silently=False)
    except smtplib.SMTPResponseException as error:
        # SMTPConnectError, SMTPDataError, SMTPSenderRefused… all carry the code.
        if 400 <= error.smtp_code < 500:
            raise TransientMailError(f"{error.smtp_code} {error.smtp_error!r}") from error
        raise
    except smtplib.SMTPRecipientsRefused as error:
        # Every recipient refused; worth another try only if each refusal was a 4xx.
        codes = [code for code, _message in error.recipients.values()]
        if codes and all(400 <= code < 500 for code in codes):
            raise TransientMailError(f"recipients refused: {codes}") from error
        raise


def email_send(
    *,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str = "",
    attachments: Sequence[Attachment] = (),
    reply_to: Sequence[str] = (),
    headers: dict[str, str] | None = None,
) -> None:
    """Queue one message for the worker, after the current transaction commits."""
    payload = email_payload(
        to=to,
        subject=subject,
        text=text,
        html=html,
        attachments=attachments,
        reply_to=reply_to,
        headers=headers,
    )
    transaction.on_commit(lambda: email_send_task.enqueue(payload))
