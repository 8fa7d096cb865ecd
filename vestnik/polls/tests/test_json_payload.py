"""The JSON a vote answers with, byte for byte: the widget's script and API clients read it.

`files/json_votes.json` was recorded from the release before the running
tallies; ids are replaced by names, since they depend on the database. Polls
in two languages added one key, `language` (of the texts), checked apart from
the recording: every key a client read before is unchanged, except that the
results fragment of a poll without English texts, under /en/, now marks its
Russian texts `lang="ru"` and says the poll is in Russian (test_languages.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.test import TestCase

from vestnik.polls.factories import poll_with_options, respondent
from vestnik.polls.services import ballot_cast
from vestnik.site.services import site_setup

GOLDEN = Path(__file__).parent / "files" / "json_votes.json"
JSON = {"HTTP_ACCEPT": "application/json"}


def named(payload: dict[str, Any], polls: dict[int, str], options: dict[int, str]) -> Any:
    """The payload with poll and option ids replaced by their names."""
    payload = {**payload, "id": polls[payload["id"]]}
    payload["options"] = [{**o, "id": options[o["id"]]} for o in payload["options"]]
    if "audiences" in payload:
        payload["audiences"] = [
            {**a, "options": [{**o, "id": options[o["id"]]} for o in a["options"]]}
            for a in payload["audiences"]
        ]
    return payload


class JsonVotePayloadTests(TestCase):
    def test_vote_and_results_answers_are_unchanged(self) -> None:
        site_setup()
        poll = poll_with_options(
            "Какие темы важнее?",
            ["Энергетика", "Транспорт", "Торговля"],
            max_choices=2,
            ask_audience=True,
        )
        a, b, c = poll.options.all()
        ballot_cast(poll=poll, option_ids=[a.pk], respondent=respondent(1), audience="student")
        ballot_cast(poll=poll, option_ids=[a.pk, c.pk], respondent=respondent(2))
        single = poll_with_options("Один?", ["Да", "Нет"])
        yes, no = single.options.all()
        ballot_cast(poll=single, option_ids=[no.pk], respondent=respondent(3))
        polls = {poll.pk: "poll", single.pk: "single"}
        options = {a.pk: "a", b.pk: "b", c.pk: "c", yes.pk: "yes", no.pk: "no"}
        answers = {}
        for language in ("", "/en"):
            self.client.cookies.clear()
            vote = {"option": [str(a.pk), str(b.pk)], "audience": "business"}
            response = self.client.post(f"{language}/polls/{poll.pk}/vote/", vote, **JSON)
            answers[f"multiple{language}"] = response.json()
            self.client.cookies.clear()
            vote = {"option": [str(yes.pk)]}
            response = self.client.post(f"{language}/polls/{single.pk}/vote/", vote, **JSON)
            answers[f"single{language}"] = response.json()
            response = self.client.get(f"{language}/polls/{single.pk}/results/", **JSON)
            answers[f"results{language}"] = response.json()
        expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
        for key, payload in answers.items():
            with self.subTest(key):
                # Neither poll has English texts, so they are Russian on both pages.
                self.assertEqual(payload.pop("language"), "ru")
                recorded = dict(expected[key])
                if key.endswith("/en"):
                    self.assertIn('<span lang="ru">', payload.pop("html"))
                    recorded.pop("html")
                self.assertEqual(named(payload, polls, options), recorded)
