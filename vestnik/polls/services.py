"""Poll writes: casting a ballot, guarding a poll's structure, importing archived totals.

`ballot_cast` is the only way a count changes. It validates everything before
touching the database, then writes the ballot and its choices in one
transaction; the unique constraint on (poll, respondent) decides races, so a
respondent who fires twenty ballots at once gets exactly one counted.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from vestnik.articles.drafts import PollDraft
from vestnik.polls import conf
from vestnik.polls.identity import Respondent
from vestnik.polls.models import (
    Audience,
    Ballot,
    BallotChoice,
    BallotCount,
    ChoiceCount,
    Poll,
    PollKind,
    PollOption,
    PollVoters,
    ResultsVisibility,
)
from vestnik.polls.selectors import poll_has_ballots

# --- refusals ----------------------------------------------------------------


class BallotRefused(Exception):
    """A ballot the rules do not allow; `message` is for the reader, in their language."""

    def __init__(self, code: str, message: str | Promise, status: int = 400) -> None:
        super().__init__(code)
        self.code = code
        self.status = status
        self._message = message

    @property
    def message(self) -> str:
        # Lazy messages are rendered when read, in the language active for the response.
        return str(self._message)


def refusal_not_open() -> BallotRefused:
    return BallotRefused("not_open", _("This poll is not open yet."), 403)


def refusal_closed() -> BallotRefused:
    return BallotRefused("closed", _("This poll is closed."), 403)


def refusal_signed_in_only() -> BallotRefused:
    return BallotRefused("signed_in_only", _("Only signed-in readers can vote in this poll."), 403)


def refusal_no_option() -> BallotRefused:
    return BallotRefused("no_option", _("Choose at least one option."))


def refusal_duplicate_option() -> BallotRefused:
    return BallotRefused("duplicate_option", _("Each option can be chosen only once."))


def refusal_foreign_option() -> BallotRefused:
    return BallotRefused("foreign_option", _("That option does not belong to this poll."))


def refusal_too_many(maximum: int) -> BallotRefused:
    message = ngettext(
        "Choose at most %(max)d option.", "Choose at most %(max)d options.", maximum
    ) % {"max": maximum}
    return BallotRefused("too_many", message)


def refusal_bad_audience() -> BallotRefused:
    return BallotRefused("bad_audience", _("Choose who you are from the list."))


def refusal_already_voted() -> BallotRefused:
    return BallotRefused("already_voted", _("You have already voted"), 409)


def refusal_rate_limited() -> BallotRefused:
    return BallotRefused(
        "rate_limited", _("Too many votes from your network. Please try again later."), 429
    )


def refusal_cross_site() -> BallotRefused:
    return BallotRefused("cross_site", _("Votes are accepted only from this site's pages."), 403)


def refusal_conflict() -> BallotRefused:
    return BallotRefused(
        "conflict", _("The poll changed while you were voting. Please try again."), 409
    )


# --- casting a ballot ----------------------------------------------------------


@dataclass(frozen=True)
class BallotResult:
    ballot_id: int
    option_ids: tuple[int, ...]


def _audience_checked(poll: Poll, audience: str | None) -> str:
    if not poll.ask_audience or not audience:
        # A poll that does not ask records no audience, whatever a client sends.
        return ""
    if audience not in Audience.values:
        raise refusal_bad_audience()
    return audience


def _options_belong(poll: Poll, chosen: Sequence[int]) -> bool:
    known = PollOption.objects.filter(poll_id=poll.pk, id__in=chosen).values_list("id", flat=True)
    return len(set(known)) == len(chosen)


def _rate_window_start(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(seconds=conf.rate_window_seconds())


def _rate_window_exceeded(*, poll: Poll, respondent: Respondent, now: datetime.datetime) -> bool:
    if not respondent.ip_hash:
        return False
    recent = Ballot.objects.filter(
        poll=poll, ip_hash=respondent.ip_hash, created_at__gte=_rate_window_start(now)
    )
    # Counting only up to the limit keeps the query cheap for a busy office address.
    limit = conf.rate_limit()
    return len(recent.values_list("id", flat=True)[:limit]) >= limit


# The ballot is written by hand-written SQL, because it is the hot path under
# load (docs/performance.md, "Polls"): one INSERT … SELECT writes the ballot
# only WHERE every chosen option is the poll's and the address's rate window
# has room, so the checks that need the database cost no extra round trip. The
# same transaction adds the ballot to the running tallies (upserts of
# BallotCount and ChoiceCount). On PostgreSQL all of it is one statement (a
# chain of data-modifying CTEs), which outside a transaction is its own
# transaction: one round trip in all, no BEGIN or COMMIT. Elsewhere (SQLite)
# the statements run in one transaction. Table names come from the models;
# every value is a parameter.
#
# Tally rows are locked in one order by every writer — the audience's ballot
# count first, then its choice counts by option id — so concurrent voters
# queue on a hot row but never deadlock. On PostgreSQL the chain fixes the
# order: each CTE reads the one before it, and the ORDER BY makes the choice
# upsert take its input whole, sorted, after the ballot count is locked.
def _ballot_condition(
    *, poll: Poll, chosen: Sequence[int], respondent: Respondent, now: datetime.datetime
) -> tuple[str, list[Any]]:
    placeholders = ", ".join(["%s"] * len(chosen))
    sql = (
        f"(SELECT COUNT(*) FROM {PollOption._meta.db_table}"  # noqa: S608 (values are parameters)
        f" WHERE poll_id = %s AND id IN ({placeholders})) = %s"
    )
    params: list[Any] = [poll.pk, *chosen, len(chosen)]
    if respondent.ip_hash:
        # The rate window: no (limit)th ballot from this address since the window opened.
        sql += (
            f" AND NOT EXISTS (SELECT 1 FROM {Ballot._meta.db_table} WHERE poll_id = %s"  # noqa: S608
            " AND ip_hash = %s AND created_at >= %s LIMIT 1 OFFSET %s)"
        )
        start = connection.ops.adapt_datetimefield_value(_rate_window_start(now))
        params += [poll.pk, respondent.ip_hash, start, conf.rate_limit() - 1]
    return sql, params


def _ballot_count_upsert(source: str) -> str:
    table = BallotCount._meta.db_table
    return (
        f"INSERT INTO {table} (poll_id, audience, count) {source}"
        f" ON CONFLICT (poll_id, audience) DO UPDATE SET count = {table}.count + 1"
    )


def _choice_count_upsert(source: str) -> str:
    table = ChoiceCount._meta.db_table
    return (
        f"INSERT INTO {table} (poll_id, option_id, audience, count) {source}"
        f" ON CONFLICT (poll_id, option_id, audience) DO UPDATE SET count = {table}.count + 1"
    )


def _ballot_insert(
    *,
    poll: Poll,
    chosen: Sequence[int],
    respondent: Respondent,
    audience: str,
    now: datetime.datetime,
) -> int | None:
    """Write the ballot, its choices and their tallies if the database-side checks pass.

    Returns the ballot's id, or None when a check failed and nothing was written.
    """
    condition, condition_params = _ballot_condition(
        poll=poll, chosen=chosen, respondent=respondent, now=now
    )
    ballot_values = [
        poll.pk,
        respondent.key,
        respondent.user_id,
        audience,
        respondent.ip_hash,
        connection.ops.adapt_datetimefield_value(now),
    ]
    insert_ballot = (
        f"INSERT INTO {Ballot._meta.db_table}"
        " (poll_id, respondent_key, user_id, audience, ip_hash, created_at)"
        f" SELECT %s, %s, %s, %s, %s, %s WHERE {condition} RETURNING id"
    )
    choice_table = BallotChoice._meta.db_table
    ordered = sorted(chosen)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            rows = ", ".join(["(%s::bigint)"] * len(ordered))
            counted = _ballot_count_upsert("SELECT %s, %s, 1 FROM ballot") + " RETURNING 1"  # noqa: S608 (names from the models)
            tallied = _choice_count_upsert(
                f"SELECT %s, chosen.id, %s, 1 FROM counted, (VALUES {rows}) AS chosen (id)"  # noqa: S608
                " ORDER BY chosen.id"
            )
            cursor.execute(
                f"WITH ballot AS ({insert_ballot}), counted AS ({counted}),"  # noqa: S608
                f" tallied AS ({tallied} RETURNING option_id)"
                f" INSERT INTO {choice_table} (ballot_id, poll_id, option_id, audience)"
                " SELECT ballot.id, %s, tallied.option_id, %s FROM ballot, tallied"
                " RETURNING ballot_id",
                [
                    *ballot_values,
                    *condition_params,
                    poll.pk,
                    audience,
                    poll.pk,
                    audience,
                    *ordered,
                    poll.pk,
                    audience,
                ],
            )
            row = cursor.fetchone()
            return None if row is None else int(row[0])
        with transaction.atomic():
            cursor.execute(insert_ballot, [*ballot_values, *condition_params])
            row = cursor.fetchone()
            if row is None:
                return None
            ballot_id = int(row[0])
            cursor.execute(
                f"INSERT INTO {choice_table} (ballot_id, poll_id, option_id, audience) VALUES "  # noqa: S608
                + ", ".join(["(%s, %s, %s, %s)"] * len(ordered)),
                [
                    value
                    for option_id in ordered
                    for value in (ballot_id, poll.pk, option_id, audience)
                ],
            )
            cursor.execute(_ballot_count_upsert("VALUES (%s, %s, 1)"), [poll.pk, audience])
            cursor.execute(
                _choice_count_upsert("VALUES " + ", ".join(["(%s, %s, %s, 1)"] * len(ordered))),
                [value for option_id in ordered for value in (poll.pk, option_id, audience)],
            )
            return ballot_id


def ballot_cast(
    *,
    poll: Poll,
    option_ids: Sequence[int],
    respondent: Respondent,
    audience: str | None = None,
    now: datetime.datetime | None = None,
) -> BallotResult:
    """Record one respondent's ballot, or raise `BallotRefused` having written nothing.

    Refusals come in the order docs/polls.md lists them, whichever check finds them.
    """
    now = now or timezone.now()
    if not poll.has_started(now):
        raise refusal_not_open()
    if poll.is_closed(now):
        raise refusal_closed()
    if poll.voters == PollVoters.SIGNED_IN and not respondent.signed_in:
        raise refusal_signed_in_only()
    chosen = tuple(option_ids)
    if not chosen:
        raise refusal_no_option()
    if len(set(chosen)) != len(chosen):
        raise refusal_duplicate_option()
    if len(chosen) > poll.choices_allowed:
        raise refusal_too_many(poll.choices_allowed)
    try:
        audience_code = _audience_checked(poll, audience)
    except BallotRefused:
        if not _options_belong(poll, chosen):
            raise refusal_foreign_option() from None
        raise

    try:
        # A savepoint inside a caller's transaction, so that a refused
        # duplicate leaves it usable; outside one, nothing (see _ballot_insert).
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            ballot_id = _ballot_insert(
                poll=poll, chosen=chosen, respondent=respondent, audience=audience_code, now=now
            )
    except IntegrityError:
        # The unique constraint is the one-ballot rule; anything else that fails
        # here is an option deleted or a poll changed mid-vote.
        if Ballot.objects.filter(poll=poll, respondent_key=respondent.key).exists():
            raise refusal_already_voted() from None
        raise refusal_conflict() from None
    if ballot_id is None:
        # Nothing was written; name the condition that failed, as the checks above would.
        if not _options_belong(poll, chosen):
            raise refusal_foreign_option()
        if _rate_window_exceeded(poll=poll, respondent=respondent, now=now):
            raise refusal_rate_limited()
        raise refusal_conflict()
    return BallotResult(ballot_id=ballot_id, option_ids=chosen)


# --- keeping the running tallies exact ------------------------------------------

# Ids per statement when ballots are deleted: under every database's limit on parameters.
DELETE_BATCH = 500


def _tallies_lower(
    by_audience: Counter[tuple[int, str]], by_option: Counter[tuple[int, str, int]]
) -> None:
    """Take counted ballots off the tallies, locking rows in ballot_cast's order."""
    for poll_id, audience in sorted(by_audience):
        BallotCount.objects.filter(poll_id=poll_id, audience=audience).update(
            count=F("count") - by_audience[poll_id, audience]
        )
    for poll_id, audience, option_id in sorted(by_option):
        ChoiceCount.objects.filter(poll_id=poll_id, audience=audience, option_id=option_id).update(
            count=F("count") - by_option[poll_id, audience, option_id]
        )


@transaction.atomic
def ballots_delete(*, ballots: QuerySet[Ballot]) -> int:
    """Delete ballots (with their choices) and take them off the tallies; how many went.

    The only way to remove ballots while keeping the tallies exact (deleting a
    whole poll takes its tallies with it). The ballots are locked first, so a
    ballot deleted by someone else meanwhile is neither deleted nor subtracted twice.
    """
    ids = list(ballots.select_for_update().order_by("pk").values_list("pk", flat=True))
    by_audience: Counter[tuple[int, str]] = Counter()
    by_option: Counter[tuple[int, str, int]] = Counter()
    for start in range(0, len(ids), DELETE_BATCH):
        batch = ids[start : start + DELETE_BATCH]
        rows = Ballot.objects.filter(pk__in=batch).values_list("poll_id", "audience")
        for row in rows.annotate(n=Count("id")):
            by_audience[row[0], row[1]] += row[2]
        choices = BallotChoice.objects.filter(ballot_id__in=batch)
        for poll_id, audience, option_id, n in choices.values_list(
            "poll_id", "audience", "option_id"
        ).annotate(n=Count("id")):
            by_option[poll_id, audience, option_id] += n
        Ballot.objects.filter(pk__in=batch).delete()
    _tallies_lower(by_audience, by_option)
    return len(ids)


@dataclass(frozen=True)
class TallyDrift:
    """A running tally that disagrees with the rows it counts."""

    poll_id: int
    audience: str
    option_id: int | None  # None: the poll's ballots from this audience
    kept: int
    counted: int

    def __str__(self) -> str:
        what = "ballots" if self.option_id is None else f"option {self.option_id}"
        audience = self.audience or "-"
        return (
            f"poll {self.poll_id}, {what}, audience {audience}:"
            f" kept {self.kept}, rows {self.counted}"
        )


def _poll_tallies_recount(poll_id: int, *, fix: bool) -> list[TallyDrift]:
    # Locking the tallies first (in ballot_cast's order) makes voters wait until
    # the comparison, and a repair, are done; ballots they add later count on top.
    kept_ballots = {
        row.audience: row
        for row in BallotCount.objects.select_for_update()
        .filter(poll_id=poll_id)
        .order_by("audience")
    }
    kept_choices = {
        (row.audience, row.option_id): row
        for row in ChoiceCount.objects.select_for_update()
        .filter(poll_id=poll_id)
        .order_by("audience", "option_id")
    }
    counted_ballots = dict(
        Ballot.objects.filter(poll_id=poll_id)
        .values_list("audience")
        .annotate(n=Count("id"))
        .values_list("audience", "n")
    )
    counted_choices = {
        (audience, option_id): n
        for audience, option_id, n in BallotChoice.objects.filter(poll_id=poll_id)
        .values_list("audience", "option_id")
        .annotate(n=Count("id"))
        .values_list("audience", "option_id", "n")
    }
    drift: list[TallyDrift] = []
    for audience in sorted(kept_ballots.keys() | counted_ballots.keys()):
        row = kept_ballots.get(audience)
        kept, counted = (row.count if row else 0), counted_ballots.get(audience, 0)
        if kept != counted:
            drift.append(TallyDrift(poll_id, audience, None, kept, counted))
            if fix:
                BallotCount.objects.update_or_create(
                    poll_id=poll_id, audience=audience, defaults={"count": counted}
                )
    for audience, option_id in sorted(kept_choices.keys() | counted_choices.keys()):
        choice = kept_choices.get((audience, option_id))
        kept, counted = (
            (choice.count if choice else 0),
            counted_choices.get((audience, option_id), 0),
        )
        if kept != counted:
            drift.append(TallyDrift(poll_id, audience, option_id, kept, counted))
            if fix:
                ChoiceCount.objects.update_or_create(
                    poll_id=poll_id,
                    audience=audience,
                    option_id=option_id,
                    defaults={"count": counted},
                )
    return drift


def poll_tallies_recount(*, poll_ids: Sequence[int] | None = None, fix: bool) -> list[TallyDrift]:
    """Count every poll's ballots from their rows and compare with the running tallies.

    Returns what disagreed (nothing, when the tallies are exact); with `fix` the
    tallies are set to the rows' counts. Each poll in its own transaction, so
    voting goes on in the others. Imported polls have neither ballots nor tallies.
    """
    ids = (
        poll_ids
        if poll_ids is not None
        else Poll.objects.order_by("pk").values_list("pk", flat=True)
    )
    drift: list[TallyDrift] = []
    for poll_id in list(ids):
        with transaction.atomic():
            drift += _poll_tallies_recount(poll_id, fix=fix)
    return drift


# --- guarding a poll's structure ---------------------------------------------


class PollLocked(ValidationError):
    """A change the ballots already cast do not allow."""


def poll_edit_check(
    *, poll: Poll, option_ids: Sequence[int | None], kind: str, max_choices: int
) -> None:
    """Refuse changes that would reinterpret ballots already cast.

    `option_ids` is the proposed order of options, None for a new one. Once a
    poll has a ballot its options can no longer be removed or reordered (new
    ones may follow the existing ones), its kind cannot change and its maximum
    cannot be lowered. Counts are never editable: they are counted from ballots.
    """
    if poll.pk is None or not poll_has_ballots(poll):
        return
    saved = Poll.objects.values("kind", "max_choices").get(pk=poll.pk)
    current = list(
        PollOption.objects.filter(poll_id=poll.pk)
        .order_by("sort_order", "id")
        .values_list("id", flat=True)
    )
    proposed = list(option_ids)
    kept = [option_id for option_id in proposed if option_id is not None]
    errors: list[str] = []
    if set(current) - set(kept):
        errors.append(
            gettext("This poll already has ballots, so its options can no longer be removed.")
        )
    elif proposed[: len(current)] != current:
        errors.append(
            gettext(
                "This poll already has ballots, so its options can no longer be reordered; "
                "new options can only be added after the existing ones."
            )
        )
    if kind != saved["kind"]:
        errors.append(gettext("This poll already has ballots, so its kind can no longer change."))
    if max_choices < saved["max_choices"]:
        errors.append(
            gettext(
                "This poll already has ballots, so its maximum number of choices "
                "can no longer be lowered."
            )
        )
    if errors:
        raise PollLocked(errors)


def poll_option_delete(*, option: PollOption) -> None:
    """Delete an option nobody has chosen; options with ballots stay."""
    if BallotChoice.objects.filter(option=option).exists():
        raise PollLocked(
            gettext("This poll already has ballots, so its options can no longer be removed.")
        )
    option.delete()


# --- importing archived totals -----------------------------------------------

# A published percentage such as 66.67 is the true share rounded to two decimals.
HALF_HUNDREDTH = Fraction(1, 200)


@dataclass
class PollImportResult:
    poll: Poll
    created: bool
    warnings: list[str] = field(default_factory=list)


def _respondents_bounds(votes: int, percent: Fraction) -> tuple[Fraction, Fraction | None]:
    """The respondent counts N for which votes/N, rounded, reads as `percent`."""
    low = Fraction(100 * votes) / (percent + HALF_HUNDREDTH)
    high = Fraction(100 * votes) / (percent - HALF_HUNDREDTH) if percent > HALF_HUNDREDTH else None
    return low, high


def respondents_from_draft(draft: PollDraft) -> tuple[int | None, list[str]]:
    """Derive the number of respondents from counts and rounded percentages.

    Each option bounds the count: 228 votes at 66.67% means 341.96 ≤ N ≤ 342.01.
    When every option's bounds meet, N is the integer they share closest to the
    estimate of the most-voted option; when they do not, that estimate is used
    and a warning says the block does not add up.
    """
    options = [option for option in draft.options if option.percent is not None]
    if not draft.options:
        return None, [gettext("The poll has no options.")]
    if not options:
        if draft.max_choices <= 1:
            return sum(option.votes for option in draft.options), []
        return None, [
            gettext("The poll gives no percentages, so the number of respondents is unknown.")
        ]
    low = Fraction(max(option.votes for option in draft.options))
    high: Fraction | None = None
    consistent = True
    for option in options:
        percent = Fraction(str(option.percent))
        if percent == 0:
            consistent = consistent and option.votes == 0
            continue
        option_low, option_high = _respondents_bounds(option.votes, percent)
        low = max(low, option_low)
        if option_high is not None:
            high = option_high if high is None else min(high, option_high)
    leader = max(
        (option for option in options if option.percent),
        key=lambda option: option.votes,
        default=None,
    )
    if leader is None:
        return None, [gettext("The poll's percentages are all zero.")]
    estimate = Fraction(100 * leader.votes) / Fraction(str(leader.percent))
    candidates = range(math.ceil(low), math.floor(high) + 1) if high is not None else None
    if consistent and (candidates is None or len(candidates) > 0):
        if candidates is None:
            return max(math.ceil(low), round(estimate)), []
        return min(candidates, key=lambda n: (abs(n - estimate), n)), []
    respondents = round(estimate)
    return respondents, [
        gettext(
            "The percentages of this poll do not agree on one number of respondents; "
            "%(respondents)d was taken from the most chosen option."
        )
        % {"respondents": respondents}
    ]


def _totals_warnings(draft: PollDraft, respondents: int | None) -> list[str]:
    if respondents is None:
        return []
    votes = sum(option.votes for option in draft.options)
    if draft.max_choices <= 1 and votes != respondents:
        return [
            gettext(
                "The options add up to %(votes)d votes, but a one-choice poll of "
                "%(respondents)d respondents should have exactly that many."
            )
            % {"votes": votes, "respondents": respondents}
        ]
    if votes > respondents * draft.max_choices:
        return [
            gettext(
                "The options add up to %(votes)d votes, more than %(respondents)d respondents "
                "could cast with at most %(max)d choices each; the totals are kept as published."
            )
            % {"votes": votes, "respondents": respondents, "max": draft.max_choices}
        ]
    return []


def _import_moment(article: Any) -> datetime.datetime:
    """The archive does not date its polls; the article that carried it is the best bound.

    Midday rather than midnight, so the date reads the same in any time zone.
    """
    day = getattr(article, "publication_date", None)
    if isinstance(day, datetime.date):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    return timezone.now()


@transaction.atomic
def poll_create_from_draft(*, draft: PollDraft, article: Any = None) -> PollImportResult:
    """Create a closed poll with imported totals from a parsed «Прошедший опрос» block.

    Idempotent: a poll already imported with the same question is returned
    unchanged. Totals that cannot be reconciled are imported as published, with
    warnings in the result and in the poll's import notes for editors.
    """
    existing = Poll.objects.filter(question=draft.question, imported=True).first()
    if existing is not None:
        return PollImportResult(poll=existing, created=False)
    respondents, warnings = respondents_from_draft(draft)
    warnings += _totals_warnings(draft, respondents)
    moment = _import_moment(article)
    multiple = draft.max_choices > 1
    poll = Poll.objects.create(
        question=draft.question,
        kind=PollKind.MULTIPLE if multiple else PollKind.SINGLE,
        max_choices=max(1, draft.max_choices),
        opens_at=moment,
        closes_at=moment,
        results_visibility=ResultsVisibility.ALWAYS,
        imported=True,
        imported_respondents=respondents,
        import_note="\n".join(warnings),
        source_page=article if getattr(article, "pk", None) else None,
    )
    PollOption.objects.bulk_create(
        PollOption(poll=poll, text=option.text, imported_votes=option.votes, sort_order=index)
        for index, option in enumerate(draft.options)
    )
    return PollImportResult(poll=poll, created=True, warnings=warnings)


class PollTranslationError(ValueError):
    """English texts that do not fit the poll (another number of options, an empty question)."""


@transaction.atomic
def poll_english_set(
    *, poll: Poll, question: str, option_texts: Sequence[str], method_note: str | None = None
) -> Poll:
    """Give a poll its English texts, option by option in the poll's order.

    The poll stays one row with one set of options, so ballots cast in either
    language keep counting together; this only adds words. An importer of an
    English page or the demo calls it; editors use the admin form, which
    checks the same rule (`forms.PollAdminForm`).
    """
    question = " ".join(question.split())
    if not question:
        raise PollTranslationError(gettext("The English question cannot be empty."))
    options = list(poll.options.order_by("sort_order", "pk"))
    if len(options) != len(option_texts):
        raise PollTranslationError(
            gettext(
                "The English version needs one text per option: the poll has %(poll)d, "
                "the English version %(english)d."
            )
            % {"poll": len(options), "english": len(option_texts)}
        )
    poll.question_en = question
    fields = ["question_en", "updated_at"]
    if method_note is not None:
        poll.method_note_en = method_note.strip()
        fields.append("method_note_en")
    poll.save(update_fields=fields)
    for option, text in zip(options, option_texts, strict=True):
        option.text_en = " ".join(text.split())
        option.save(update_fields=["text_en"])
    return poll
