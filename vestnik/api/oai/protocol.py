"""The OAI-PMH 2.0 request grammar: verbs, their arguments, datestamps and error codes.

Pure functions of the request's arguments (no database), so every error the
protocol defines is decided here, in the order the specification lists them:
a bad verb first, then bad arguments (unknown, repeated, missing, exclusive,
malformed dates, from after until); what depends on the repository's content
(formats, identifiers, tokens, records) is the caller's.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# verb → (required arguments, optional arguments); `resumptionToken` is exclusive.
VERBS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset()),
    "ListIdentifiers": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
    "ListRecords": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
}
RESUMABLE = frozenset({"ListSets", "ListIdentifiers", "ListRecords"})

DAY = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")
SECOND = re.compile(r"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")


class OAIError(Exception):
    """One of the protocol's error conditions: `code` is its name, the message says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def echoes_arguments(self) -> bool:
        """The `request` element repeats the arguments only of a request that was well formed."""
        return self.code not in ("badVerb", "badArgument")


@dataclass(frozen=True)
class OAIRequest:
    verb: str
    arguments: dict[str, str]


def parse(query: Mapping[str, Sequence[str]]) -> OAIRequest:
    """The verb and its arguments, or the `badVerb` / `badArgument` the request deserves."""
    verbs = list(query.get("verb", []))
    if len(verbs) != 1:
        raise OAIError("badVerb", "Exactly one verb argument is required.")
    verb = verbs[0]
    if verb not in VERBS:
        raise OAIError("badVerb", "The value of the verb argument is not a legal OAI-PMH verb.")
    required, optional = VERBS[verb]
    arguments: dict[str, str] = {}
    for name, values in query.items():
        if name == "verb":
            continue
        if name not in required | optional and not (
            name == "resumptionToken" and verb in RESUMABLE
        ):
            raise OAIError("badArgument", f"{verb} takes no argument {name!r}.")
        if len(values) != 1:
            raise OAIError("badArgument", f"The argument {name!r} is repeated.")
        arguments[name] = values[0]
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OAIError("badArgument", "resumptionToken is an exclusive argument.")
        return OAIRequest(verb, arguments)
    missing = sorted(required - arguments.keys())
    if missing:
        raise OAIError("badArgument", f"{verb} requires {', '.join(missing)}.")
    if "from" in arguments or "until" in arguments:
        date_range(arguments.get("from"), arguments.get("until"))
    return OAIRequest(verb, arguments)


def parse_datestamp(value: str, *, end: bool) -> tuple[datetime.datetime, str]:
    """A UTC datestamp of either granularity, and which one it was.

    The repository's datestamps are to the second, shown without the fraction;
    so a bound is the whole second (or day) it names: `until=…T10:00:00Z`
    includes a page published at 10:00:00.4, and `until=2025-11-28` the whole day.
    The upper bound returned is exclusive.
    """
    match = SECOND.match(value)
    granularity = "second"
    if match is None:
        match = DAY.match(value)
        granularity = "day"
    if match is None:
        raise OAIError("badArgument", f"{value!r} is not a datestamp (YYYY-MM-DD[Thh:mm:ssZ]).")
    try:
        pattern = "%Y-%m-%dT%H:%M:%SZ" if granularity == "second" else "%Y-%m-%d"
        moment = datetime.datetime.strptime(value, pattern).replace(tzinfo=datetime.UTC)
    except ValueError:
        raise OAIError("badArgument", f"{value!r} is not a date.") from None
    if end:
        step = datetime.timedelta(days=1) if granularity == "day" else datetime.timedelta(seconds=1)
        try:
            moment += step
        except OverflowError:
            moment = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    return moment, granularity


def date_range(
    start: str | None, until: str | None
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """[from, until) in UTC; `badArgument` for bad dates, mixed granularities, from > until."""
    lower = parse_datestamp(start, end=False) if start is not None else None
    upper = parse_datestamp(until, end=True) if until is not None else None
    if lower is not None and upper is not None:
        if lower[1] != upper[1]:
            raise OAIError("badArgument", "from and until must have the same granularity.")
        if lower[0] >= upper[0]:
            raise OAIError("badArgument", "from is later than until.")
    return (lower[0] if lower else None, upper[0] if upper else None)


def format_datestamp(moment: datetime.datetime) -> str:
    """`YYYY-MM-DDThh:mm:ssZ` in UTC, the repository's granularity."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
