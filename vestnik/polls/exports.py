"""CSV export of a poll's results for editors.

A poll's results are one set in both languages, so one file carries both
texts: the Russian in `question` and `option`, the English (blank when not
translated) in the last two columns, added at the end so that spreadsheets
built on the earlier columns keep working.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.conf import settings

from vestnik.polls.models import Poll
from vestnik.polls.selectors import OptionTally, poll_options, poll_results

CSV_HEADER = [
    "poll_number",
    "question",
    "option_position",
    "option",
    "audience",
    "count",
    "percent_of_respondents",
    "respondents",
    "source",
    "question_en",
    "option_en",
]


def poll_results_rows(poll: Poll) -> Iterator[list[str]]:
    """One row per option; then, if the poll asked, one row per option and audience."""
    results = poll_results(poll, language=settings.LANGUAGE_CODE)
    english = {option.id: option.text_en for option in poll_options(poll)}
    source = "imported" if results.imported else "ballots"

    def row(position: int, tally: OptionTally, audience: str, respondents: int | None) -> list[str]:
        return [
            str(poll.number),
            poll.question,
            str(position),
            tally.text,
            audience,
            str(tally.count),
            "" if tally.percent is None else str(tally.percent),
            "" if respondents is None else str(respondents),
            source,
            poll.question_en,
            english.get(tally.id, ""),
        ]

    yield CSV_HEADER
    for position, tally in enumerate(results.options, start=1):
        yield row(position, tally, "all", results.respondents)
    for audience in results.audiences:
        for position, tally in enumerate(audience.options, start=1):
            yield row(position, tally, audience.code or "unspecified", audience.respondents)


def poll_results_csv(poll: Poll) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(poll_results_rows(poll))
    return buffer.getvalue()
