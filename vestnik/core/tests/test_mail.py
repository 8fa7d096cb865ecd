"""E-mail through the task, delivered to a real SMTP server on loopback."""

from __future__ import annotations

from typing import Any

import pytest

from django.test import override_settings

from vestnik.core.mail import Attachment, email_payload, email_send, email_send_task
from vestnik.core.tasks import TaskResultStatus

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _payload(**overrides: Any) -> dict[str, Any]:
    return email_payload(
        to=overrides.pop("to", ["reader@example.org"]),
        subject="Приглашение",
        text="Текст письма",
        html="<p>Текст <b>письма</b></p>",
        attachments=[
            Attachment("event.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
        ],
        **overrides,
    )


def test_message_has_text_html_and_attachment(
    smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to=["reader@example.org"],
            subject="Приглашение",
            text="Текст письма",
            html="<p>Текст <b>письма</b></p>",
            attachments=[
                Attachment("event.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
            ],
        )
    [message] = smtp_server.messages
    assert message["Subject"] == "Приглашение"
    assert message["To"] == "reader@example.org"
    assert message.get_body(("plain",)).get_content().strip() == "Текст письма"
    assert "<b>письма</b>" in message.get_body(("html",)).get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "event.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert b"BEGIN:VCALENDAR" in attachment.get_payload(decode=True)


def test_nothing_is_sent_when_the_transaction_rolls_back(
    smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email_send(to=["reader@example.org"], subject="S", text="T")
    assert len(callbacks) == 1  # queued only for after the commit
    assert smtp_server.messages == []


@override_settings(TASKS=IMMEDIATE)
def test_a_4xx_answer_is_retried_until_accepted(smtp_server: Any) -> None:
    smtp_server.refuse_with = "451 4.3.0 Try again later"
    smtp_server.refusals = 2
    result = email_send_task.enqueue(_payload())
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert len(smtp_server.messages) == 1


@override_settings(TASKS=IMMEDIATE)
def test_a_5xx_answer_is_final(smtp_server: Any) -> None:
    smtp_server.refuse_with = "550 5.1.1 No such user"
    smtp_server.refusals = 10
    result = email_send_task.enqueue(_payload())
    assert result.status == TaskResultStatus.FAILED
    assert smtp_server.refusals == 9  # one attempt only
    assert smtp_server.messages == []


@override_settings(TASKS=IMMEDIATE)
def test_connection_refused_is_retried(settings: Any) -> None:
    from tests.harness import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    result = email_send_task.enqueue(_payload())
    # Every attempt was made (the immediate backend runs them in a row) and the
    # last one failed with the original error.
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[-1].exception_class_path == "builtins.ConnectionRefusedError"


def test_console_backend_is_the_default_without_email_host() -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    env["DJANGO_SETTINGS_MODULE"] = "vestnik.settings.base"
    env.setdefault("SECRET_KEY", "x")
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django;from django.conf import settings;print(settings.EMAIL_BACKEND)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == "django.core.mail.backends.console.EmailBackend"


@override_settings(TASKS=IMMEDIATE)
def test_a_greylisted_recipient_is_retried_and_an_unknown_one_is_not(smtp_server: Any) -> None:
    smtp_server.refuse_recipients_with = "450 4.2.0 Greylisted, try again later"
    smtp_server.recipient_refusals = 1
    assert email_send_task.enqueue(_payload()).status == TaskResultStatus.SUCCESSFUL
    assert len(smtp_server.messages) == 1

    smtp_server.refuse_recipients_with = "550 5.1.1 No such user"
    smtp_server.recipient_refusals = 10
    assert email_send_task.enqueue(_payload()).status == TaskResultStatus.FAILED
    assert smtp_server.recipient_refusals == 9
    assert len(smtp_server.messages) == 1
