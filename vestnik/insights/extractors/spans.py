"""Span repair: mending the tagger's usual slips before a span becomes a mention.

natasha's news tagger, trained on news, cuts the names of our analytical prose
in predictable wrong places. This module owns the fixes, each at the level of
one span in its sentence (`span_repaired`) or two adjacent spans
(`spans_joined`): spans of adjectives alone completed by their institution noun
or dropped, institutions cut before their genitive tail, names in the genitive
split in two, a bare institution noun before its place, a common noun opening a
sentence, facilities that are places, names listed under a system or project
noun that are not organisations, verbs and prepositions at a sentence start
(`not_a_name`). Keeping them apart from the naming rules lets each slip be
read, tested and retired on its own when the tagger improves.

Builds on `lexicon` (the word classes) and `inflection` (readings of words);
nothing here touches the database or natasha.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from vestnik.authors.morphology import NAME_GRAMMEMES
from vestnik.insights.extractors.base import Morphology, NamedSpan, Sentence
from vestnik.insights.extractors.inflection import (
    ADJECTIVES,
    CYRILLIC,
    INITIAL,
    NOUNS,
    case_and_number,
    head_index,
    head_lemmas,
    known_common_word,
    word_readings,
)
from vestnik.insights.extractors.lexicon import (
    FACILITY_ABBREVIATIONS,
    FACILITY_NOUNS,
    INSTITUTION_NOUNS,
    NOT_ORGANISATION_HEADS,
    OPENING_QUOTES,
    PLACE_NOUNS,
    QUOTES,
    abbreviation_like,
)

_WORD_BEFORE = re.compile(r"([A-Za-zА-ЯЁа-яё][\w-]*)\s*$")
_TOKENS = re.compile(r"[A-Za-zА-ЯЁа-яё][\w-]*|[^\w\s]")
# Words a list of names runs through: «такие как российская СПФС и китайская CIPS».
_LIST_WORDS = frozenset({"и", "а", "или", "также", "как", "такие", "такой", "например"})
# Abstract nouns: «Посредничество», «Председательство», «Решение» open a sentence
# capitalised, never a name on their own.
_ABSTRACT_ENDINGS = ("ство", "ние", "тие", "ость")
# Adjectives proper, not participles: the word before a name whose noun was left out.
_ADJF = frozenset({"ADJF"})


def _word_before(sentence: str, position: int) -> str:
    match = _WORD_BEFORE.search(sentence[:position])
    return match.group(1) if match else ""


def _after_place_noun(sentence: str, position: int, morph: Morphology) -> bool:
    """«у рифа Второй Томас», «в городе Туркестан»: a place noun right before the name."""
    word = _word_before(sentence, position)
    return word[:1].islower() and bool(
        frozenset(r.normal for r in word_readings(morph, word, NOUNS)) & PLACE_NOUNS
    )


def _elided_head(sentence: str, position: int, morph: Morphology) -> frozenset[str]:
    """The noun an adjective before `position` leaves out, read from the head of its list.

    «Национальные карточные системы стран БРИКС — российская «Мир», китайская
    UnionPay»: «китайская» has no noun of its own; walking back past names,
    adjectives, genitives and list words, the first other noun is «системы»,
    and UnionPay is a system. Empty when no adjective stands right before the
    name, or the walk meets a verb, a preposition or the start of the sentence.
    """
    tokens = [t for t in _TOKENS.findall(sentence[:position]) if t not in OPENING_QUOTES]
    if not tokens or not tokens[-1][:1].islower():
        return frozenset()
    adjective = tokens[-1]
    if not word_readings(morph, adjective, _ADJF) or word_readings(morph, adjective, NOUNS):
        return frozenset()
    for token in reversed(tokens[-16:-1]):
        if not CYRILLIC.search(token) or token[:1].isupper() or token.casefold() in _LIST_WORDS:
            continue  # punctuation, names, Latin names, «и», «такие как»
        if word_readings(morph, token, _ADJF) and not word_readings(morph, token, NOUNS):
            continue
        nouns = word_readings(morph, token, NOUNS)
        lemmas = frozenset(r.normal for r in nouns)
        if lemmas & (NOT_ORGANISATION_HEADS | INSTITUTION_NOUNS):
            return lemmas
        if nouns and any("gent" in r.grammemes for r in nouns):
            continue  # «стран», «передачи финансовых сообщений»: modifiers of the head
        return frozenset()
    return frozenset()


def _facility(words: Sequence[str], morph: Morphology) -> bool:
    """«Камбаратинская ГЭС-1», «АЭС „Эль-Дабаа“», «порт Актау»: a facility."""
    head = head_index(words, morph)
    candidates = {0, len(words) - 1} | ({head} if head is not None else set())
    for index in sorted(candidates):
        word = re.sub(r"-\d+$", "", words[index].strip(QUOTES))
        if word.casefold() in FACILITY_ABBREVIATIONS:
            return True
    return bool(head_lemmas(words, morph) & FACILITY_NOUNS)


def span_repaired(span: NamedSpan, sentence: str, morph: Morphology) -> NamedSpan | None:
    """Mend the tagger's usual slips, or drop the span.

    - A span of adjectives alone («Межгосударственную координационную», «Каспийская»,
      «Транскаспийский») is cut short: an organisation is completed by the noun
      that follows when that noun names an institution («… комиссию»); anything
      else is dropped.
    - An institution's genitive tail the tagger left out is taken in: «Объединённый
      военный комитет» + «лондонского страхового рынка».
    - At the start of a sentence, ordinary words are capitalised anyway: «Танкерный
      флот» is a name only if its head names an institution.
    """
    words = span.text.strip(QUOTES + ",.;:").split()
    if not words:
        return None
    if span.kind == "ORG":
        if _facility(words, morph):
            return replace(span, kind="LOC")
        if (
            not head_lemmas(words, morph) & INSTITUTION_NOUNS
            and _elided_head(sentence, span.start, morph) & NOT_ORGANISATION_HEADS
        ):
            return None  # «карточные системы … — российская «Мир», китайская UnionPay»
    if not any(CYRILLIC.search(word) for word in words):
        return span  # «Turkish Aerospace Industries (TUSAŞ)», «Anadolu»: the tagger's call
    if (
        span.kind == "PER"
        and len(words) == 1
        and _modifies_next(words[0], sentence, span.stop, morph)
    ):
        return None  # «Камбаратинской ГЭС-1»: an adjective, not a woman
    if span.kind == "PER" and _after_place_noun(sentence, span.start, morph):
        return replace(span, kind="LOC")  # «у рифа Второй Томас»
    if head_index(words, morph) is None:
        if not all(word_readings(morph, w, ADJECTIVES) for w in words if CYRILLIC.search(w)):
            return span  # Latin or unknown words: the tagger's call
        if span.kind != "ORG":
            return None
        extension = _noun_after(sentence, span.stop, morph)
        if extension is None or not (_lemmas(morph, extension[0]) & INSTITUTION_NOUNS):
            return None
        span = replace(span, text=sentence[span.start : extension[1]], stop=extension[1])
        words = span.text.split()
    if span.kind != "ORG":
        return span
    at_start = not sentence[: span.start].strip(QUOTES + " ")
    if at_start and _generic_noun(words[0], morph):
        # «Трибунал пришёл к выводу», «Председательство Филиппин …»: a common noun
        # capitalised because it opens the sentence; a name may follow it.
        if len(words) == 1:
            return None
        if words[1][:1].isupper() and not _lemmas(morph, words[0]) & INSTITUTION_NOUNS:
            cut = span.text.find(words[1], len(words[0]))
            span = replace(span, text=span.text[cut:], start=span.start + cut)
            words = words[1:]
    if _facility(words, morph):
        return replace(span, kind="LOC")  # after a generic noun was cut off
    institution = bool(head_lemmas(words, morph) & INSTITUTION_NOUNS)
    if (
        not institution
        and not sentence[: span.start].strip(QUOTES + " ")
        and len(words) > 1
        and all(w[:1].islower() for w in words[1:])
        and all(known_common_word(w, morph) for w in words)
    ):
        return None
    if institution and head_index(words, morph) == len(words) - 1:
        # Only a name that ends at its head was cut short; «Лиги арабских
        # государств» has its tail, and «результатов не дало» is not part of it.
        stop = _genitive_tail(sentence, span.stop, morph)
        if stop > span.stop:
            span = replace(span, text=sentence[span.start : stop], stop=stop)
    return span


_NEXT_WORD = re.compile(r"\s+([а-яё][а-яё-]*)")
_NEXT_ANY_WORD = re.compile(r"\s+([A-Za-zА-ЯЁа-яё][\w-]*)")


def _modifies_next(word: str, sentence: str, position: int, morph: Morphology) -> bool:
    """Whether `word` can be an adjective agreeing with the noun right after it."""
    match = _NEXT_ANY_WORD.match(sentence, position)
    if match is None:
        return False
    nouns = word_readings(morph, re.sub(r"-\d+$", "", match.group(1)), NOUNS)
    for adjective in word_readings(morph, word, ADJECTIVES):
        for noun in nouns:
            if case_and_number(adjective) == case_and_number(noun) and (
                "plur" in noun.grammemes
                or not ({"masc", "femn", "neut"} & noun.grammemes)
                or ({"masc", "femn", "neut"} & noun.grammemes & adjective.grammemes)
            ):
                return True
    return False


def _noun_after(sentence: str, position: int, morph: Morphology) -> tuple[str, int] | None:
    """The first noun after `position` past lowercase adjectives: its word and end offset."""
    for _ in range(4):
        match = _NEXT_WORD.match(sentence, position)
        if match is None:
            return None
        word = match.group(1)
        if word_readings(morph, word, NOUNS) and not word_readings(morph, word, ADJECTIVES):
            return word, match.end()
        if not word_readings(morph, word, ADJECTIVES):
            return None
        position = match.end()
    return None


def _genitive_tail(sentence: str, position: int, morph: Morphology) -> int:
    """Where the lowercase genitive words after `position` end: «лондонского страхового рынка»."""
    end = position
    pending = position
    for _ in range(6):
        match = _NEXT_WORD.match(sentence, pending)
        if match is None:
            break
        word = match.group(1)
        readings = morph.parses(word)
        genitive = [r for r in readings if "gent" in r.grammemes]
        if not genitive or any(r.pos in {"PREP", "CONJ", "VERB", "INFN", "PRTS"} for r in readings):
            break
        pending = match.end()
        if any(r.pos in NOUNS for r in genitive):
            end = pending
    return end


def _lemmas(morph: Morphology, word: str) -> frozenset[str]:
    return frozenset(r.normal for r in morph.parses(word))


def _generic_noun(word: str, morph: Morphology) -> bool:
    """An institution or an abstract noun in the dictionary: «Трибунал», «Посредничество»."""
    if not known_common_word(word, morph):
        return False
    lemmas = frozenset(r.normal for r in word_readings(morph, word, NOUNS))
    return bool(lemmas & INSTITUTION_NOUNS) or any(
        lemma.endswith(_ABSTRACT_ENDINGS) for lemma in lemmas
    )


def spans_joined(
    spans: Sequence[NamedSpan], sentences: Sequence[Sentence], morph: Morphology
) -> list[NamedSpan]:
    """«Турецкой республики» + «Северного Кипра (ТРСК)»: a genitive completes the name.

    Only a genitive continues a name; «с Турцией Казахстан» are two places. An
    institution followed by its organisation is one: «Секретариатом ООН».
    """
    joined: list[NamedSpan] = []
    for span in spans:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.kind == span.kind
            and previous.sentence == span.sentence
            and sentences[span.sentence].text[previous.stop : span.start] == " "
            and (
                (span.kind == "LOC" and _genitive_only(span.text, morph))
                # «Секретариатом» + «ООН»: an institution of an organisation.
                or (
                    span.kind == "ORG"
                    and bool(head_lemmas(previous.text.split(), morph) & INSTITUTION_NOUNS)
                    and (abbreviation_like(span.text) or _genitive_only(span.text, morph))
                )
            )
        ):
            text = sentences[span.sentence].text[previous.start : span.stop]
            joined[-1] = replace(previous, text=text, stop=span.stop)
            continue
        if (
            previous is not None
            and previous.kind == "ORG"
            and span.kind == "LOC"
            and previous.sentence == span.sentence
            and sentences[span.sentence].text[previous.stop : span.start] == " "
            and len(previous.text.split()) == 1
            and bool(_lemmas(morph, previous.text) & INSTITUTION_NOUNS)
            and _genitive_only(span.text, morph)
        ):
            # «Управления» + «Суэцкого канала»: a bare institution noun is no name;
            # with the place after it, it is. The place still counts as a place.
            text = sentences[span.sentence].text[previous.start : span.stop]
            joined[-1] = replace(previous, text=text, stop=span.stop)
        joined.append(span)
    return joined


def _genitive_only(text: str, morph: Morphology) -> bool:
    words = text.split()
    head = head_index(words, morph)
    if head is None:
        return False
    cases = {case_and_number(r) for r in word_readings(morph, words[head], NOUNS)}
    return bool(cases) and all(c is not None and c[0] == "gent" for c in cases)


def not_a_name(words: Sequence[str], morph: Morphology) -> bool:
    """«Углубляя», «Благодаря военно-техническому сотрудничеству»: a verb or a preposition.

    The tagger takes a capitalised word at the start of a sentence for a name
    now and then; a first word the dictionary knows only as something other
    than a noun or a name is not one.
    """
    if not words or INITIAL.match(words[0]) or not CYRILLIC.search(words[0]):
        return False
    if abbreviation_like(words[0].strip(QUOTES + ".,")):
        return False  # «ВПП»: the dictionary knows no abbreviation it was not given
    readings = morph.parses(words[0].strip(QUOTES + ".,"))
    return bool(readings) and all(
        r.pos not in NOUNS | ADJECTIVES and not (NAME_GRAMMEMES & r.grammemes) for r in readings
    )
