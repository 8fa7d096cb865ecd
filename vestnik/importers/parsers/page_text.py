"""The saved text of a legacy portal's blog page → `ArticleDraft`.

A browser's "save as text" of such a page keeps one paragraph per line and
the page's furniture as short lines of their own:

    Блог Асана Жакупова            author, in the genitive
    <title>
    28 ноября 2025                 date
    Распечатать                    chrome
    <paragraph> …                  the first is the lead
    <file name>.jpg                an image; «Источник: …» after it is the credit
    <short line>                   a section heading
    <paragraph with [[1]]>         a footnote reference
    [1] <note>                     the notes, after the body
    Поделиться статьей             end of the article
    Прошедший опрос                a closed poll with its results
    …                              navigation: ignored

The portal's English pages say the same in English: «Asan Zhakupov's Blog»
(or «Blog of …»), «28 November 2025», «Print», «Source: …», «Notes» before
the notes, «Share», «Past poll» and «Choose no more than 2». A file may mix
the two; nothing here needs to be told which language a page is in.

Pure: no database, no settings, so it is tested and reused on its own. Every
rule is a small function below, named for the kind of line it recognises.
"""

from __future__ import annotations

import datetime
import html
import re
import unicodedata
from dataclasses import dataclass

from vestnik.articles.drafts import (
    ArticleDraft,
    BlockDraft,
    FootnoteDraft,
    HeadingDraft,
    ImageDraft,
    ParagraphDraft,
    PollDraft,
    PollOptionDraft,
)
from vestnik.articles.footnotes import MARKER, marker, markers_defuse
from vestnik.authors.morphology import name_nominative
from vestnik.core.dates import month_number, parse_date
from vestnik.importers.errors import ImportFailed

# Lines of the portal's page furniture, compared case-insensitively with «ё» as «е».
CHROME_LINES = frozenset(
    {
        "распечатать",
        "поделиться статьей",
        "социальная сеть запрещена в рф",
        "бизнесу",
        "исследователям",
        "учащимся",
        # The English pages
        "print",
        "share",
        "share the article",
        "share this article",
        "social network banned in russia",
        "for business",
        "for researchers",
        "for students",
    }
)
ARTICLE_END_LINES = frozenset(
    {"поделиться статьей", "share", "share the article", "share this article"}
)
POLL_START_LINES = frozenset({"прошедший опрос", "past poll"})
# A heading over the notes list, dropped: the site prints its own.
NOTES_HEADING_LINES = frozenset(
    {"примечания", "сноски", "notes", "footnotes", "references", "endnotes"}
)

# A heading is a short line; longer ones are always paragraphs.
HEADING_MAX_CHARS = 120
# An image caption is a short line right after the image.
CAPTION_MAX_CHARS = 200
TITLE_MAX_CHARS = 255

# «не более трех пунктов»: the count words a poll instruction uses.
COUNT_WORDS_GENITIVE = {
    "одного": 1,
    "двух": 2,
    "трех": 3,
    "четырех": 4,
    "пяти": 5,
    "шести": 6,
    "семи": 7,
    "восьми": 8,
    "девяти": 9,
    "десяти": 10,
    # «Choose no more than two options»
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}

_BLOG_LINES = (
    re.compile(r"Блог\s+(?P<name>\S.*)"),
    re.compile(r"(?P<name>\S.*?)[’']s?\s+[Bb]log"),
    re.compile(r"[Bb]log\s+of\s+(?P<name>\S.*)"),
)
_DATE_LINE = re.compile(
    r"(?P<day>\d{1,2})\s+(?P<month>[^\W\d]+)\s+(?P<year>\d{4})(?:\s*г(?:ода|\.)?)?"
    # «November 28, 2025», as American pages write it
    r"|(?P<month_first>[^\W\d]+)\s+\d{1,2},?\s+\d{4}",
    re.IGNORECASE,
)
_IMAGE_LINE = re.compile(r"\S+\.(?:jpe?g|png|gif|webp)", re.IGNORECASE)
_CREDIT_LINE = re.compile(
    r"(?:Источник|Фото|Source|Photo)\s*[:—–-]\s*(?P<credit>\S.*)", re.IGNORECASE
)
_NOTE_LINE = re.compile(r"\[(?P<number>\d{1,3})\]\s*(?P<text>\S.*)")
_REFERENCE = re.compile(r"\s*\[\[(?P<number>\d{1,3})\]\]")
# Sentences end with these; headings do not («…?» headings are common, so «?» is allowed).
_SENTENCE_END = frozenset(".,:;!…")
_CLOSING_MARKS = "»\"”’')]"
# Openers of list items and enumerations, which are paragraphs however short.
_LIST_OPENER = re.compile(
    r"(?:во-первых|во-вторых|в-третьих|в-четв[её]ртых|в-пятых|в-шестых|наконец|"
    r"кроме того|итак|таким образом|first(?:ly)?,|second(?:ly)?,|third(?:ly)?,|finally,)"
    r"\b|\d+\)|[-–—•*·]\s",
    re.IGNORECASE,
)
_POLL_QUESTION = re.compile(r"(?:(?P<number>\d{1,3})[.)]\s*)?(?P<question>\S.*)")
_POLL_INSTRUCTION = re.compile(
    r"\s*(?:Отметьте\s+не\s+более\s+(?P<count>\d{1,2}|[а-яё]+)\s+(?:пункт|вариант|ответ)[а-яё]*"
    r"|(?:Choose|Select|Tick|Mark)\s+(?:no\s+more\s+than|up\s+to|at\s+most)\s+"
    r"(?P<count_en>\d{1,2}|[a-z]+)(?:\s+(?:options?|items?|answers?|points?))?)\.?\s*$",
    re.IGNORECASE,
)
_POLL_SINGLE_INSTRUCTION = re.compile(
    r"\s*(?:(?:Выберите|Отметьте)\s+(?:один|одно)\s+(?:пункт|вариант|ответ)[а-яё]*"
    r"|(?:Choose|Select|Tick|Mark)\s+one(?:\s+(?:option|item|answer|point))?)\.?\s*$",
    re.IGNORECASE,
)
_POLL_VOTES = re.compile(r"(?P<votes>\d+)\s*\(\s*(?P<percent>\d+(?:[.,]\d+)?)\s*%\s*\)")


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based, for messages an operator can act on
    text: str

    @property
    def key(self) -> str:
        return self.text.casefold().replace("ё", "е")


def parse_page_text(text: str) -> ArticleDraft:
    # Numbered as in the file, so that messages point at the line an operator sees.
    lines = [
        _Line(number, raw.strip())
        for number, raw in enumerate(_split_lines(text), start=1)
        if raw.strip()
    ]
    if not lines:
        raise ImportFailed("The file is empty.")

    author_name, author_genitive = _blog_author(lines[0])
    rest = [
        line for line in lines[1:] if line.key not in CHROME_LINES or line.key in ARTICLE_END_LINES
    ]
    article_lines, poll_lines = _split_off_tail(rest)
    if not article_lines:
        raise ImportFailed("There is no title after the «Блог …» line.")

    warnings: list[str] = []
    title = _title(article_lines[0])
    body_lines = article_lines[1:]
    publication_date = _date(body_lines[0]) if body_lines else None
    if publication_date is not None:
        body_lines = body_lines[1:]
    else:
        warnings.append(
            "No date line (like «28 ноября 2025» or «28 November 2025») after the title: "
            "the import date is used."
        )

    text_lines, note_lines = _split_off_notes(body_lines)
    blocks = _blocks(text_lines)
    lead = _lead(blocks, warnings)
    if not lead and not any(isinstance(block, ParagraphDraft) for block in blocks):
        raise ImportFailed(
            f"«{_preview(title)}» has no text: no paragraphs follow the title and the date."
        )
    footnotes = _footnotes(note_lines, warnings)
    _check_references(blocks, footnotes, warnings)
    poll = _poll(poll_lines, warnings) if poll_lines else None

    return ArticleDraft(
        title=title,
        author_name=author_name,
        author_name_genitive=author_genitive,
        publication_date=publication_date,
        lead=lead,
        blocks=blocks,
        footnotes=footnotes,
        poll=poll,
        warnings=warnings,
    )


def _split_lines(text: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", unicodedata.normalize("NFC", text.removeprefix("\ufeff")))


# --- the header -------------------------------------------------------------


def _blog_author(line: _Line) -> tuple[str, str]:
    """(the author's name, its genitive): «Блог Асана Жакупова» gives both, English the first."""
    russian, *english = _BLOG_LINES
    match = russian.fullmatch(line.text)
    if match is not None:
        genitive = " ".join(match.group("name").split())
        return name_nominative(genitive), genitive
    for pattern in english:
        match = pattern.fullmatch(line.text)
        if match is not None:
            return " ".join(match.group("name").split()), ""
    raise ImportFailed(
        "This is not the saved text of a blog page: the first line should be "
        f"«Блог <author's name>» (or «<Author's name>'s Blog»), but line {line.number} "
        f"is «{_preview(line.text)}»."
    )


def _title(line: _Line) -> str:
    if _date(line) is not None:
        raise ImportFailed(f"There is no title: line {line.number} after «Блог …» is a date.")
    if len(line.text) > TITLE_MAX_CHARS:
        raise ImportFailed(
            f"Line {line.number} is too long for a title ({len(line.text)} characters, "
            f"at most {TITLE_MAX_CHARS}): the title should follow the «Блог …» line."
        )
    return line.text


def _date(line: _Line) -> datetime.date | None:
    match = _DATE_LINE.fullmatch(line.text)
    if match is None or month_number(match.group("month") or match.group("month_first")) is None:
        return None
    date = parse_date(line.text)
    if date is None:
        raise ImportFailed(f"Line {line.number} is not a real date: «{line.text}».")
    return date


def _split_off_tail(lines: list[_Line]) -> tuple[list[_Line], list[_Line]]:
    """(the article, the poll block): the article ends at the share links or the poll."""
    article: list[_Line] = []
    poll: list[_Line] = []
    in_article = True
    in_poll = False
    for line in lines:
        if line.key in POLL_START_LINES:
            in_article, in_poll = False, True
        elif line.key in ARTICLE_END_LINES:
            in_article = False
        elif in_poll:
            poll.append(line)
        elif in_article:
            article.append(line)
    return article, poll


def _split_off_notes(lines: list[_Line]) -> tuple[list[_Line], list[_Line]]:
    """Notes start at the first «[n] …» line and run to the end of the article.

    A «Notes» («Примечания») line just before them is the list's heading, not a
    section of the text.
    """
    for index, line in enumerate(lines):
        if _NOTE_LINE.fullmatch(line.text):
            text = lines[:index]
            if text and text[-1].key.rstrip(":") in NOTES_HEADING_LINES:
                text = text[:-1]
            return text, lines[index:]
    return lines, []


# --- the body ---------------------------------------------------------------


def _blocks(lines: list[_Line]) -> list[BlockDraft]:
    blocks: list[BlockDraft] = []
    index = 0
    while index < len(lines):
        text = lines[index].text
        index += 1
        if _IMAGE_LINE.fullmatch(text):
            image = ImageDraft(filename=text)
            if index < len(lines) and _is_caption(lines[index].text):
                image.caption = lines[index].text
                index += 1
            if index < len(lines) and (credit := _CREDIT_LINE.fullmatch(lines[index].text)):
                image.credit = credit.group("credit").strip()
                index += 1
            blocks.append(image)
        elif (
            _is_heading(text)
            and blocks
            and not isinstance(blocks[-1], HeadingDraft)
            and index < len(lines)
        ):
            blocks.append(HeadingDraft(text=text, level="h2"))
        else:
            blocks.append(ParagraphDraft(html=paragraph_html(text)))
    return blocks


def paragraph_html(text: str) -> str:
    """A line of text as Wagtail rich text: escaped, with `[[n]]` turned into `[^n]`.

    Only `[[n]]` cites a note in a saved page; a `[^…]` typed in the text stays text.
    """
    escaped = markers_defuse(html.escape(text, quote=False))
    return "<p>" + _REFERENCE.sub(_draft_reference, escaped) + "</p>"


def _draft_reference(match: re.Match[str]) -> str:
    # «[[01]]» and «[[1]]» cite the same note [1]; the space before a mark is dropped.
    return marker(str(int(match.group("number"))))


def _is_heading(text: str) -> bool:
    if len(text) > HEADING_MAX_CHARS or _REFERENCE.search(text) or _LIST_OPENER.match(text):
        return False
    if MARKER.search(text) or _CREDIT_LINE.fullmatch(text):
        return False
    last = text.rstrip(_CLOSING_MARKS)[-1:]
    first = text[:1]
    return last not in _SENTENCE_END and (first.isupper() or first.isdigit() or first in '«"„')


def _is_caption(text: str) -> bool:
    return (
        len(text) <= CAPTION_MAX_CHARS
        and not _CREDIT_LINE.fullmatch(text)
        and not _IMAGE_LINE.fullmatch(text)
        and not _REFERENCE.search(text)
    )


def _lead(blocks: list[BlockDraft], warnings: list[str]) -> str:
    """The first paragraph, when the text opens with one, moves out of the body into the lead.

    The lead is plain text, so a first paragraph that cites a note stays in the
    body, where the reference keeps working.
    """
    if not blocks or not isinstance(blocks[0], ParagraphDraft):
        return ""
    first = blocks[0].html
    if MARKER.search(first):
        warnings.append(
            "The first paragraph cites a footnote, so it stays in the body; "
            "the article has no lead until an editor writes one."
        )
        return ""
    del blocks[0]
    return html.unescape(first.removeprefix("<p>").removesuffix("</p>"))


# --- footnotes --------------------------------------------------------------


def _footnotes(lines: list[_Line], warnings: list[str]) -> list[FootnoteDraft]:
    """«[n] text» lines; a line that is not «[n] …» continues the note above it."""
    notes: list[tuple[str, list[str]]] = []
    for line in lines:
        match = _NOTE_LINE.fullmatch(line.text)
        if match is not None:
            notes.append((str(int(match.group("number"))), [match.group("text")]))
        else:
            notes[-1][1].append(line.text)
    footnotes: list[FootnoteDraft] = []
    seen: set[str] = set()
    for key, parts in notes:
        if key in seen:
            warnings.append(f"Note [{key}] appears twice at the end; the first one is kept.")
            continue
        seen.add(key)
        footnotes.append(
            FootnoteDraft(key=key, html=markers_defuse(html.escape(" ".join(parts), quote=False)))
        )
    return footnotes


def _check_references(
    blocks: list[BlockDraft], footnotes: list[FootnoteDraft], warnings: list[str]
) -> None:
    cited = {
        match.group(1)
        for block in blocks
        if isinstance(block, ParagraphDraft)
        for match in MARKER.finditer(block.html)
    }
    keys = [note.key for note in footnotes]
    for key in sorted(cited - set(keys), key=int):
        warnings.append(f"The text cites [[{key}]] but there is no note [{key}] at the end.")
    for key in keys:
        if key not in cited:
            warnings.append(f"Note [{key}] is never cited in the text.")


# --- the poll ---------------------------------------------------------------


def _poll(lines: list[_Line], warnings: list[str]) -> PollDraft | None:
    """«Прошедший опрос» («Past poll»): a numbered question, then options and their results.

    Each option is followed by «votes (percent%)».
    """
    match = _POLL_QUESTION.fullmatch(lines[0].text)
    number = match.group("number") if match is not None else None
    question, max_choices = _poll_instruction(match.group("question") if match else lines[0].text)
    rest = lines[1:]
    if rest and max_choices is None:
        # The instruction sometimes sits on a line of its own.
        instruction_only, count = _poll_instruction(rest[0].text)
        if count is not None and not instruction_only:
            max_choices, rest = count, rest[1:]
    options: list[PollOptionDraft] = []
    for option_line, votes_line in zip(rest[::2], rest[1::2], strict=False):
        votes = _POLL_VOTES.fullmatch(votes_line.text)
        if votes is None or _POLL_VOTES.fullmatch(option_line.text):
            break
        options.append(
            PollOptionDraft(
                text=option_line.text,
                votes=int(votes.group("votes")),
                percent=float(votes.group("percent").replace(",", ".")),
            )
        )
    if len(options) < 2:
        warnings.append(
            f"The «Прошедший опрос» («Past poll») block (line {lines[0].number}) has no "
            "options in the form «option» then «votes (percent%)»; the poll was not imported."
        )
        return None
    return PollDraft(
        question=question,
        number=int(number) if number else None,
        max_choices=max_choices or 1,
        closed=True,
        options=options,
    )


def _poll_instruction(text: str) -> tuple[str, int | None]:
    """(the question without its instruction, the maximum number of choices or None).

    The instruction is «Отметьте не более трех пунктов» or «Choose no more than 3».
    """
    match = _POLL_INSTRUCTION.search(text)
    if match is not None:
        count = (match.group("count") or match.group("count_en")).lower().replace("ё", "е")
        number = int(count) if count.isdigit() else COUNT_WORDS_GENITIVE.get(count)
        if number:
            return text[: match.start()].strip(), number
    match = _POLL_SINGLE_INSTRUCTION.search(text)
    if match is not None:
        return text[: match.start()].strip(), 1
    return text.strip(), None


def _preview(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
