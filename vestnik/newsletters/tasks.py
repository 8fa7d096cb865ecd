"""The delivery worker's task: one batch of a mailing, then the next batch as a new task."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

from vestnik.core.tasks import TRANSIENT_ERRORS, retrying_task
from vestnik.newsletters import conf
from vestnik.newsletters.delivery import mailing_deliver

# A dropped or refused connection to the mail server: the batch is tried again
# later; rows handed over before the drop are never sent again.
DELIVERY_RETRY_ON: tuple[type[BaseException], ...] = (
    *TRANSIENT_ERRORS,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
)


@retrying_task(attempts=5, backoff=timedelta(minutes=1), retry_on=DELIVERY_RETRY_ON)
def mailing_deliver_task(mailing_id: int) -> dict[str, Any]:
    """Send one batch (`conf.batch_size`) and queue the rest as the next task.

    Batches let other tasks (confirmation e-mails, Wagtail's own) run between
    them on a busy worker; the lease keeps two workers off one mailing.
    """
    report = mailing_deliver(mailing_id, budget=conf.batch_size())
    if report.leased and report.remaining and (report.sent or report.failed or report.skipped):
        mailing_deliver_task.enqueue(mailing_id)
    return {
        "sent": report.sent,
        "failed": report.failed,
        "deferred": report.deferred,
        "skipped": report.skipped,
        "remaining": report.remaining,
        "finished": report.finished,
    }
