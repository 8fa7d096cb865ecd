import datetime

import pytest

from vestnik.core.dates import month_number, parse_date


@pytest.mark.parametrize(
    "text",
    [
        "28 ноября 2025",
        "28 ноября 2025 г.",
        "28 ноября 2025 года",
        "28 нояб. 2025",
        "28.11.2025",
        "2025-11-28",
        "2025-11-28T10:30:00",
        "November 28, 2025",
        "28 November 2025",
    ],
)
def test_every_form_importers_and_references_meet(text: str) -> None:
    assert parse_date(text) == datetime.date(2025, 11, 28)


@pytest.mark.parametrize("text", ["31.02.2024", "28 дней 2025", "вчера", "", "2025"])
def test_no_date_is_invented(text: str) -> None:
    assert parse_date(text) is None


def test_march_is_not_may() -> None:
    assert month_number("марта") == 3
    assert month_number("мая") == 5
    assert month_number("дней") is None
