"""Named spans → the entities an article mentions, in the nominative, merged, counted.

The tagger finds «Министерством обороны», «Турции», «Р. Жаксылыковым»; the
rules here decide what each one is called and which of them are the same:

- names go into the nominative: the adjectives and the first noun of a place
  or an organisation («Семипалатинского танкоремонтного завода» →
  «Семипалатинский танкоремонтный завод»; the genitive tail of «Министерства
  обороны» stays), every word of a person's name, in the case the tagger read
  in context («Р. Жаксылыкова» after «министра» is a man in the genitive);
  names in quotes («Казахстан Инжиринг») and Latin names are left as written;
- «Организация Договора о коллективной безопасности (ОДКБ)» introduces an
  abbreviation: the full name and every later «ОДКБ» are one entity;
- a name the vocabulary knows takes the vocabulary's entity: «РК» and
  «Казахстан», «Анкара» and «Турция» (capitals are aliases of their states,
  editable), «Кыргызстан» and «Киргизия», «ЕС» and «Евросоюз». A place is a
  country only if the vocabulary says so; other places (cities, regions,
  blocs the vocabulary does not know) stay locations;
- people merge by surname when their initials agree: «Х. Байрактар» and
  «Байрактар»;
- the tagger's usual slips are mended (`_repaired`, `_joined`): spans of
  adjectives alone, institutions cut before their genitive tail, names in
  the genitive split in two, verbs and prepositions at a sentence start,
  a common noun opening a sentence («Председательство», «Трибунал»), a bare
  institution noun before its place («Управления» + «Суэцкого канала»);
- what is not an organisation is set apart: facilities («Камбаратинская
  ГЭС-1») are places, and names in a list under a system, project or document
  noun («карточные системы — российская «Мир», китайская UnionPay») are dropped;
- generic terms the tagger takes for organisations («СВО», «ВПК») and names
  editors hid are dropped.

Pure: morphology arrives through the `Morphology` protocol, the vocabulary as
a plain `Vocabulary`; nothing here touches the database or natasha.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from vestnik.insights.extractors.base import (
    EntityKind,
    ExtractedEntity,
    Morphology,
    NamedSpan,
    Sentence,
    WordParse,
)

_SPACES = re.compile(r"\s+")
_QUOTES = "\"'«»“”„‘’"
_OPENING_QUOTES = "«“„\"'‘"
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-"})
# «Организация Договора о коллективной безопасности (ОДКБ)»
_WITH_ABBREVIATION = re.compile(r"^(?P<name>.+?)\s*\((?P<short>[^()]{2,30})\)$")
# «Baykar Defence Х. Байрактаром»: a person the tagger glued to an organisation.
_TRAILING_PERSON = re.compile(
    r"^(?P<org>.+?)\s+(?P<person>(?:[A-ZА-ЯЁ]\.\s?){1,2}[A-ZА-ЯЁ][a-zа-яё]+(?:-[A-ZА-ЯЁ][a-zа-яё]+)?)$"
)
_INITIAL = re.compile(r"^[A-ZА-ЯЁ]\.$")
_ABBREVIATION = re.compile(r"^[^\W\d_][\w&-]*[^\W_]$")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-zА-ЯЁа-яё][\w-]*")

_NOUNS = frozenset({"NOUN"})
_ADJECTIVES = frozenset({"ADJF", "PRTF"})
_NAME_GRAMMEMES = frozenset({"Name", "Surn", "Patr"})
_PLACE = frozenset({"Geox"})
_UD_CASES = {
    "Nom": "nomn",
    "Gen": "gent",
    "Dat": "datv",
    "Acc": "accs",
    "Ins": "ablt",
    "Loc": "loct",
}
_UD_GENDERS = {"Masc": "masc", "Fem": "femn", "Neut": "neut"}
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")

# Terms natasha's news model tags as organisations or people although, in the
# analytical prose we publish, they name sectors, operations and weapons. Kept
# short and generic on purpose; anything particular is an editor's correction.
NOT_ENTITIES = frozenset(
    {
        "впк",
        "опк",
        "сво",
        "бпла",
        "ввп",
        "вс",
        "рэб",
        "пво",
        "ии",
    }
)


# Nouns that head the name of an institution: «Объединённый военный комитет …».
INSTITUTION_NOUNS = frozenset(
    {
        "министерство", "ведомство", "агентство", "служба", "комитет", "комиссия", "совет",
        "союз", "организация", "ассоциация", "альянс", "банк", "фонд", "центр", "институт",
        "университет", "академия", "бюро", "управление", "департамент", "дирекция",
        "секретариат", "парламент", "правительство", "администрация", "суд", "трибунал",
        "партия", "движение", "компания", "корпорация", "концерн", "холдинг", "консорциум",
        "завод", "фабрика", "комбинат", "верфь", "предприятие", "объединение", "флотилия",
        "командование", "штаб", "палата", "дума", "собрание", "меджлис", "сейм", "рада",
        "конгресс", "сенат", "биржа", "издательство", "федерация", "лига", "общество",
        "сообщество", "содружество", "миссия", "представительство", "посольство",
        "консульство", "прокуратура", "инспекция", "казначейство", "канцелярия", "аппарат",
        "мэрия", "кабинет", "коллегия", "группа", "дивизия", "бригада", "полк", "гвардия",
    }
)  # fmt: skip
# Nouns that head the name of a territory: «Дашогузский велаят» is a place.
TERRITORIAL_NOUNS = frozenset(
    {
        "область", "край", "провинция", "велаят", "вилаят", "район", "округ", "штат",
        "регион", "губерния", "уезд", "кантон", "графство", "префектура", "воеводство",
        "аймак", "оазис", "полуостров", "остров", "бассейн", "пролив", "залив", "море",
        "река", "озеро", "хребет", "долина", "пустыня", "месторождение",
    }
)  # fmt: skip
# Nouns and abbreviations that head the name of a facility: «Камбаратинская
# ГЭС-1», «АЭС „Эль-Дабаа“» are places where things are built, not organisations.
FACILITY_NOUNS = frozenset(
    {
        "электростанция", "плотина", "водохранилище", "порт", "аэропорт", "космодром",
        "терминал", "трубопровод", "нефтепровод", "газопровод", "канал", "мост", "тоннель",
        "рудник", "шахта",
    }
)  # fmt: skip
FACILITY_ABBREVIATIONS = frozenset({"аэс", "гэс", "тэс", "тэц", "грэс", "гаэс", "нпз", "гпз"})
# Nouns a place name follows as its apposition: «у рифа Второй Томас» is a reef,
# whatever the tagger's reading of «Второй Томас» as a man's name.
PLACE_NOUNS = TERRITORIAL_NOUNS | frozenset(
    {
        "риф", "мель", "атолл", "архипелаг", "мыс", "гора", "вулкан", "перевал", "ледник",
        "город", "село", "посёлок", "деревня", "станица", "аул", "кишлак", "порт", "аэропорт",
        "улица", "площадь", "проспект", "плато", "равнина", "столица",
    }
)  # fmt: skip
# Heads of lists of things that are not organisations: «карточные системы … —
# российская «Мир», китайская UnionPay»; «системы …, такие как российская СПФС».
# An organisation named after an adjective whose noun was left out takes that
# noun from the head of its list.
NOT_ORGANISATION_HEADS = frozenset(
    {
        "система", "карта", "платформа", "бренд", "мессенджер", "приложение", "проект",
        "программа", "инициатива", "маршрут", "коридор", "трубопровод", "газопровод",
        "нефтепровод", "месторождение", "соглашение", "декларация", "конвенция", "кодекс",
        "доктрина", "стратегия", "валюта", "технология", "стандарт",
    }
)  # fmt: skip


def name_key(text: str) -> str:
    """How names are compared: case, «ё», quotes, dashes and spacing do not matter."""
    text = text.translate(_DASHES).replace("ё", "е").replace("Ё", "Е")
    return _SPACES.sub(" ", text.strip().strip(_QUOTES).casefold()).strip()


# --- the vocabulary -------------------------------------------------------------


@dataclass(frozen=True)
class VocabularyEntry:
    key: str  # "country:TR" or "entity:42"
    kind: EntityKind
    name: str
    short_name: str = ""
    hidden: bool = False


@dataclass
class Vocabulary:
    """Names → what they stand for: countries, their aliases, editors' entities and aliases."""

    labels: dict[str, VocabularyEntry] = field(default_factory=dict)

    def add(self, entry: VocabularyEntry, names: Iterable[str]) -> None:
        for name in names:
            key = name_key(name)
            if key:
                self.labels[key] = entry

    def lookup(self, *names: str) -> VocabularyEntry | None:
        for name in names:
            entry = self.labels.get(name_key(name))
            if entry is not None:
                return entry
        return None


# --- names in the nominative -------------------------------------------------------


def shape_like(word: str, like: str) -> str:
    """`word` written the way `like` is: «министерство» like «Министерства» → «Министерство»."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    parts = word.split("-")
    models = like.split("-")
    if len(parts) != len(models):
        return word[:1].upper() + word[1:] if like[:1].isupper() else word
    return "-".join(
        part[:1].upper() + part[1:] if model[:1].isupper() else part
        for part, model in zip(parts, models, strict=True)
    )


def _readings(morph: Morphology, word: str, pos: frozenset[str]) -> list[WordParse]:
    return [parse for parse in morph.parses(word) if parse.pos in pos]


def _case_number(parse: WordParse) -> tuple[str, str] | None:
    case = next((case for case in _CASES if case in parse.grammemes), None)
    number = "plur" if "plur" in parse.grammemes else "sing"
    return (case, number) if case else None


def phrase_nominative(
    words: Sequence[str],
    morph: Morphology,
    *,
    prefer_nominative: bool = False,
    prefer: frozenset[str] = frozenset(),
) -> list[str]:
    """The name of a place or an organisation in the nominative.

    The adjectives before the first noun and that noun agree and change; what
    follows is a genitive or prepositional tail and stays: «Управлением военных
    заводов и верфей» → «Управление военных заводов и верфей». A singular
    reading wins over a plural one («Министерства» is «Министерство»), unless
    the noun has none («Нидерланды», «Эмиратов»); readings with a `prefer`red
    grammeme win first («Астану» is a place, Geox, not the name «Астан»). With
    `prefer_nominative`, a phrase that may already be a nominative stays as it
    is («поставки вооружений»): subjects of sentences are, names mostly not.
    """
    head = _head(words, morph)
    if head is None:
        return list(words)
    options: list[tuple[tuple[int, int, int, int], WordParse]] = []
    for reading in _readings(morph, words[head], _NOUNS):
        case_number = _case_number(reading)
        if case_number is None:
            continue
        case, number = case_number
        if all(_agreement(morph, words[i], case, number, reading) for i in range(head)):
            rank = (
                0 if prefer & reading.grammemes else 1,
                0 if prefer_nominative and case == "nomn" else 1,
                0 if number == "sing" else 1,
                _CASES.index(case),
            )
            options.append((rank, reading))
    if not options:
        return list(words)
    _, head_reading = min(options, key=lambda option: option[0])
    case, number = _case_number(head_reading) or ("", "")
    result = list(words)
    for index in range(head + 1):
        modifier: WordParse | None = (
            head_reading
            if index == head
            else _agreement(morph, words[index], case, number, head_reading)
        )
        if modifier is not None and modifier.nominative:
            result[index] = shape_like(modifier.nominative, words[index])
    return result


def _head(words: Sequence[str], morph: Morphology) -> int | None:
    """The first noun, past the adjectives that agree with it; None if the phrase has none."""
    for index, word in enumerate(words):
        if not _CYRILLIC.search(word):
            return None
        followed = index + 1 < len(words) and bool(
            _readings(morph, words[index + 1], _NOUNS | _ADJECTIVES)
        )
        if _readings(morph, word, _ADJECTIVES) and followed:
            continue
        if _readings(morph, word, _NOUNS):
            return index
        return None
    return None


def _agreement(
    morph: Morphology, word: str, case: str, number: str, head: WordParse
) -> WordParse | None:
    """The reading of an adjective that agrees with the head noun's reading, if any."""
    gender = next((g for g in ("masc", "femn", "neut") if g in head.grammemes), None)
    for reading in _readings(morph, word, _ADJECTIVES):
        if _case_number(reading) != (case, number):
            continue
        if number == "sing" and gender and not ({gender, "ms-f"} & reading.grammemes):
            continue
        return reading
    return None


def person_nominative(
    words: Sequence[str], grammar: Sequence[tuple[str, str]], morph: Morphology
) -> list[str]:
    """A person's name in the nominative, in the case the tagger read in context.

    The tagger reads the case of initials and given names well and of unknown
    surnames badly, so the sentence's case is the one most of the name's words
    were given; the dictionary then supplies a reading of each word in that case
    («Жаксылыкова», genitive, masculine → «Жаксылыков»).
    """
    cases = Counter(_UD_CASES[case] for case, _ in grammar if case in _UD_CASES)
    genders = Counter(_UD_GENDERS[g] for _, g in grammar if g in _UD_GENDERS)
    context_case = cases.most_common(1)[0][0] if cases else None
    gender = genders.most_common(1)[0][0] if genders else None
    name_words = [i for i, w in enumerate(words) if not _INITIAL.match(w) and _CYRILLIC.search(w)]
    if not name_words:
        return list(words)
    feasible: list[str] = []
    for case in _CASES:
        if all(_person_reading(morph, words[i], case, gender) for i in name_words):
            feasible.append(case)
    if not feasible or (context_case == "nomn" and "nomn" not in feasible):
        # The tagger read a nominative the dictionary cannot confirm: an unknown
        # name («Чиленга Мвале», not «Чиленг») is already in the nominative.
        return list(words)
    if context_case in feasible:
        case = context_case
    elif "nomn" in feasible:
        case = "nomn"
    else:
        case = feasible[0]
    result = list(words)
    for index in name_words:
        reading = _person_reading(morph, words[index], case, gender)
        if reading is not None and reading.nominative:
            result[index] = shape_like(reading.nominative, words[index])
    return result


def _person_reading(
    morph: Morphology, word: str, case: str, gender: str | None
) -> WordParse | None:
    readings = [
        r
        for r in _readings(morph, word, _NOUNS)
        if case in r.grammemes and "plur" not in r.grammemes
    ]
    if gender:
        same = [r for r in readings if {gender, "ms-f"} & r.grammemes]
        readings = same or readings
    named = [r for r in readings if _NAME_GRAMMEMES & r.grammemes]
    best = named or readings
    return best[0] if best else None


# --- mentions --------------------------------------------------------------------------


@dataclass(frozen=True)
class NameMention:
    """One name in one sentence, after the rules: what the article calls it, and where."""

    kind: EntityKind | str  # PER/LOC/ORG until resolved, then an entity kind
    name: str
    short_name: str
    sentence: int
    surface: str
    # A lone word tagged as a person that no dictionary knows as a name («Тенгиза»):
    # kept only if it is the surname of a fuller name in the same article.
    weak: bool = False


def span_mentions(
    spans: Sequence[NamedSpan], sentences: Sequence[Sentence], morph: Morphology
) -> list[NameMention]:
    """Tagged spans → mentions with nominative names; glued names split, stray words dropped."""
    mentions: list[NameMention] = []
    for tagged in _joined(spans, sentences, morph):
        span = _repaired(tagged, sentences[tagged.sentence].text, morph)
        if span is None:
            continue
        sentence = sentences[span.sentence].text
        # «госкорпорация «Росатом»», «компания «Казахстан Инжиринг»»: a name in
        # quotes that may be a nominative stays as written; «по плану «Группы
        # двадцати»» is declined and goes into the nominative like any other name.
        quoted = (
            span.start > 0
            and sentence[span.start - 1] in _OPENING_QUOTES
            and _maybe_nominative(span.text.strip(_QUOTES + ",.;:").split(), morph)
        )
        text = span.text.strip().strip(_QUOTES + ",.;:").strip()
        if not text:
            continue
        kind: str = span.kind
        if kind == "ORG" and (glued := _TRAILING_PERSON.match(text)):
            person = glued.group("person")
            mentions.append(
                NameMention("PER", _person_name(person, (), morph), "", span.sentence, person)
            )
            text = glued.group("org")
        name, short = text, ""
        if abbreviated := _WITH_ABBREVIATION.match(text):
            name, short = abbreviated.group("name"), abbreviated.group("short").strip()
        words = name.split()
        if _not_a_name(words, morph):
            continue
        weak = False
        if kind == "PER":
            # A lone word is a person only if the dictionary knows it as a surname, or
            # as nothing at all but a name; a lone given name («Тенгиза», also an oil
            # field) must be the surname of a fuller name in the same article.
            grammemes = [r.grammemes for r in morph.parses(words[0])] if len(words) == 1 else []
            named = any(_NAME_GRAMMEMES & g for g in grammemes)
            surname = any({"Surn", "Patr"} & g for g in grammemes)
            also_a_place = any("Geox" in g for g in grammemes)
            weak = len(words) == 1 and (not named or (not surname and also_a_place))
            name = _person_name(name, span.grammar, morph)
        elif not quoted:
            if _head_lemma(words, morph) & TERRITORIAL_NOUNS:
                kind = "LOC"  # «Дашогузский велаят» is a province, whatever the tagger said
            prefer = _PLACE if kind == "LOC" else frozenset()
            name = " ".join(phrase_nominative(words, morph, prefer=prefer))
        if name_key(name) in NOT_ENTITIES or name_key(short) in NOT_ENTITIES:
            continue
        if name.count("«") > name.count("»"):
            name += "»"  # «АЭС «Эль-Дабаа»»: the closing quote went with the punctuation
        mentions.append(NameMention(kind, name, short, span.sentence, span.text, weak))
    return mentions


_WORD_BEFORE = re.compile(r"([A-Za-zА-ЯЁа-яё][\w-]*)\s*$")
_TOKENS = re.compile(r"[A-Za-zА-ЯЁа-яё][\w-]*|[^\w\s]")
# Words a list of names runs through: «такие как российская СПФС и китайская CIPS».
_LIST_WORDS = frozenset({"и", "а", "или", "также", "как", "такие", "такой", "например"})
# Abstract nouns: «Посредничество», «Председательство», «Решение» open a sentence
# capitalised, never a name on their own.
_ABSTRACT_ENDINGS = ("ство", "ние", "тие", "ость")


def _word_before(sentence: str, position: int) -> str:
    match = _WORD_BEFORE.search(sentence[:position])
    return match.group(1) if match else ""


def _maybe_nominative(words: Sequence[str], morph: Morphology) -> bool:
    """Whether a name's head noun can be a singular nominative: «Росатом», not «Группы»."""
    head = _head(words, morph)
    if head is None:
        return True
    return any(
        {"nomn", "sing"} <= r.grammemes or "Fixd" in r.grammemes
        for r in _readings(morph, words[head], _NOUNS)
    )


def _after_place_noun(sentence: str, position: int, morph: Morphology) -> bool:
    """«у рифа Второй Томас», «в городе Туркестан»: a place noun right before the name."""
    word = _word_before(sentence, position)
    return word[:1].islower() and bool(
        frozenset(r.normal for r in _readings(morph, word, _NOUNS)) & PLACE_NOUNS
    )


def _elided_head(sentence: str, position: int, morph: Morphology) -> frozenset[str]:
    """The noun an adjective before `position` leaves out, read from the head of its list.

    «Национальные карточные системы стран БРИКС — российская «Мир», китайская
    UnionPay»: «китайская» has no noun of its own; walking back past names,
    adjectives, genitives and list words, the first other noun is «системы»,
    and UnionPay is a system. Empty when no adjective stands right before the
    name, or the walk meets a verb, a preposition or the start of the sentence.
    """
    tokens = [t for t in _TOKENS.findall(sentence[:position]) if t not in _OPENING_QUOTES]
    if not tokens or not tokens[-1][:1].islower():
        return frozenset()
    adjective = tokens[-1]
    if not _readings(morph, adjective, frozenset({"ADJF"})) or _readings(morph, adjective, _NOUNS):
        return frozenset()
    for token in reversed(tokens[-16:-1]):
        if not _CYRILLIC.search(token) or token[:1].isupper() or token.casefold() in _LIST_WORDS:
            continue  # punctuation, names, Latin names, «и», «такие как»
        if _readings(morph, token, frozenset({"ADJF"})) and not _readings(morph, token, _NOUNS):
            continue
        nouns = _readings(morph, token, _NOUNS)
        lemmas = frozenset(r.normal for r in nouns)
        if lemmas & (NOT_ORGANISATION_HEADS | INSTITUTION_NOUNS):
            return lemmas
        if nouns and any("gent" in r.grammemes for r in nouns):
            continue  # «стран», «передачи финансовых сообщений»: modifiers of the head
        return frozenset()
    return frozenset()


def _facility(words: Sequence[str], morph: Morphology) -> bool:
    """«Камбаратинская ГЭС-1», «АЭС „Эль-Дабаа“», «порт Актау»: a facility."""
    head = _head(words, morph)
    candidates = {0, len(words) - 1} | ({head} if head is not None else set())
    for index in sorted(candidates):
        word = re.sub(r"-\d+$", "", words[index].strip(_QUOTES))
        if word.casefold() in FACILITY_ABBREVIATIONS:
            return True
    return bool(_head_lemma(words, morph) & FACILITY_NOUNS)


def _head_lemma(words: Sequence[str], morph: Morphology) -> frozenset[str]:
    head = _head(words, morph)
    if head is None:
        return frozenset()
    return frozenset(r.normal for r in _readings(morph, words[head], _NOUNS))


def _repaired(span: NamedSpan, sentence: str, morph: Morphology) -> NamedSpan | None:
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
    words = span.text.strip(_QUOTES + ",.;:").split()
    if not words:
        return None
    if span.kind == "ORG":
        if _facility(words, morph):
            return replace(span, kind="LOC")
        if (
            not _head_lemma(words, morph) & INSTITUTION_NOUNS
            and _elided_head(sentence, span.start, morph) & NOT_ORGANISATION_HEADS
        ):
            return None  # «карточные системы … — российская «Мир», китайская UnionPay»
    if not any(_CYRILLIC.search(word) for word in words):
        return span  # «Turkish Aerospace Industries (TUSAŞ)», «Anadolu»: the tagger's call
    if (
        span.kind == "PER"
        and len(words) == 1
        and _modifies_next(words[0], sentence, span.stop, morph)
    ):
        return None  # «Камбаратинской ГЭС-1»: an adjective, not a woman
    if span.kind == "PER" and _after_place_noun(sentence, span.start, morph):
        return replace(span, kind="LOC")  # «у рифа Второй Томас»
    if _head(words, morph) is None:
        if not all(_readings(morph, w, _ADJECTIVES) for w in words if _CYRILLIC.search(w)):
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
    at_start = not sentence[: span.start].strip(_QUOTES + " ")
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
    institution = bool(_head_lemma(words, morph) & INSTITUTION_NOUNS)
    if (
        not institution
        and not sentence[: span.start].strip(_QUOTES + " ")
        and len(words) > 1
        and all(w[:1].islower() for w in words[1:])
        and all(known_common_word(w, morph) for w in words)
    ):
        return None
    if institution and _head(words, morph) == len(words) - 1:
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
    nouns = _readings(morph, re.sub(r"-\d+$", "", match.group(1)), _NOUNS)
    for adjective in _readings(morph, word, _ADJECTIVES):
        for noun in nouns:
            if _case_number(adjective) == _case_number(noun) and (
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
        if _readings(morph, word, _NOUNS) and not _readings(morph, word, _ADJECTIVES):
            return word, match.end()
        if not _readings(morph, word, _ADJECTIVES):
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
        if any(r.pos in _NOUNS for r in genitive):
            end = pending
    return end


def _lemmas(morph: Morphology, word: str) -> frozenset[str]:
    return frozenset(r.normal for r in morph.parses(word))


def _generic_noun(word: str, morph: Morphology) -> bool:
    """An institution or an abstract noun in the dictionary: «Трибунал», «Посредничество»."""
    if not known_common_word(word, morph):
        return False
    lemmas = frozenset(r.normal for r in _readings(morph, word, _NOUNS))
    return bool(lemmas & INSTITUTION_NOUNS) or any(
        lemma.endswith(_ABSTRACT_ENDINGS) for lemma in lemmas
    )


def known_common_word(word: str, morph: Morphology) -> bool:
    """A dictionary word that is not a name, a place or an abbreviation."""
    readings = morph.parses(word)
    return bool(readings) and not any(
        {"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr", "Trad", "UNKN"} & r.grammemes
        for r in readings
    )


def _joined(
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
                    and bool(_head_lemma(previous.text.split(), morph) & INSTITUTION_NOUNS)
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
    head = _head(words, morph)
    if head is None:
        return False
    cases = {_case_number(r) for r in _readings(morph, words[head], _NOUNS)}
    return bool(cases) and all(c is not None and c[0] == "gent" for c in cases)


def _person_name(text: str, grammar: Sequence[tuple[str, str]], morph: Morphology) -> str:
    # «Р.Жаксылыков» and «Р. Жаксылыков» are the same; initials keep their dots.
    words = re.sub(r"([A-ZА-ЯЁ]\.)(?=[A-ZА-ЯЁ])", r"\1 ", text).split()
    tagged = list(grammar) if grammar else []
    # The grammar has a slot per token, and «Р.» is two tokens: keep only words' slots.
    word_grammar = [g for g in tagged if g != ("", "")]
    return " ".join(person_nominative(words, word_grammar, morph))


def _not_a_name(words: Sequence[str], morph: Morphology) -> bool:
    """«Углубляя», «Благодаря военно-техническому сотрудничеству»: a verb or a preposition.

    The tagger takes a capitalised word at the start of a sentence for a name
    now and then; a first word the dictionary knows only as something other
    than a noun or a name is not one.
    """
    if not words or _INITIAL.match(words[0]) or not _CYRILLIC.search(words[0]):
        return False
    if abbreviation_like(words[0].strip(_QUOTES + ".,")):
        return False  # «ВПП»: the dictionary knows no abbreviation it was not given
    readings = morph.parses(words[0].strip(_QUOTES + ".,"))
    return bool(readings) and all(
        r.pos not in _NOUNS | _ADJECTIVES and not (_NAME_GRAMMEMES & r.grammemes) for r in readings
    )


def gazetteer_mentions(
    sentences: Sequence[Sentence],
    spans: Sequence[NamedSpan],
    mentions: Sequence[NameMention],
    vocabulary: Vocabulary,
    morph: Morphology,
) -> list[NameMention]:
    """Names the tagger missed: countries the vocabulary knows, and abbreviations.

    A capitalised word outside every tagged span that the dictionary reads as a
    place and the vocabulary as a country («Кипра»), an abbreviation the
    article introduced («ОДКБ» after «… (ОДКБ)»), and an abbreviation the
    vocabulary knows («РФ») all count. Sentence-initial words are skipped
    unless they are abbreviations: «Того» opens many a sentence.
    """
    introduced = {name_key(m.short_name): m for m in mentions if m.short_name}
    covered: dict[int, list[tuple[int, int]]] = {}
    for span in spans:
        covered.setdefault(span.sentence, []).append((span.start, span.stop))
    found: list[NameMention] = []
    for index, sentence in enumerate(sentences):
        taken = covered.get(index, [])
        for match in _WORD.finditer(sentence.text):
            word = match.group(0)
            if not word[:1].isupper() or any(a <= match.start() < b for a, b in taken):
                continue
            if abbreviation_like(word):
                source = introduced.get(name_key(word))
                if source is not None:
                    found.append(NameMention(source.kind, source.name, word, index, word))
                elif vocabulary.lookup(word) is not None:
                    found.append(NameMention("LOC", word, "", index, word))
                continue
            if not sentence.text[: match.start()].strip(_QUOTES + " "):
                continue
            for reading in morph.parses(word):
                if reading.pos != "NOUN" or "Geox" not in reading.grammemes:
                    continue
                nominative = shape_like(reading.nominative or word, word)
                entry = vocabulary.lookup(nominative)
                if entry is not None and entry.kind == "country":
                    found.append(NameMention("LOC", nominative, "", index, word))
                    break
    return found


# --- resolving and merging -------------------------------------------------------------


_SPAN_KINDS: dict[str, EntityKind] = {
    "PER": "person",
    "ORG": "organisation",
    "LOC": "location",
}


@dataclass
class _Group:
    kind: EntityKind
    name: str
    short_name: str = ""
    key: str = ""
    names: Counter[str] = field(default_factory=Counter)
    forms: set[str] = field(default_factory=set)
    sentences: list[int] = field(default_factory=list)
    weak: bool = True

    @property
    def count(self) -> int:
        return len(self.sentences)

    def absorb(self, other: _Group) -> None:
        self.weak = self.weak and other.weak
        self.names.update(other.names)
        self.forms |= other.forms
        self.sentences.extend(other.sentences)
        self.short_name = self.short_name or other.short_name


def entities_merge(
    mentions: Sequence[NameMention], vocabulary: Vocabulary
) -> list[ExtractedEntity]:
    """Mentions → entities with counts, resolved against the vocabulary and merged."""
    groups: dict[str, _Group] = {}
    for mention in mentions:
        entry = vocabulary.lookup(mention.name, mention.short_name, mention.surface)
        if entry is not None and entry.hidden:
            continue
        if entry is not None:
            group_key = entry.key
            kind: EntityKind = entry.kind
            name, short = entry.name, entry.short_name or mention.short_name
        else:
            kind = _SPAN_KINDS.get(mention.kind, "location")
            group_key = f"{kind}:{name_key(mention.name)}"
            name, short = mention.name, mention.short_name
        group = groups.get(group_key)
        if group is None:
            group = groups[group_key] = _Group(
                kind=kind, name=name, short_name=short, key=entry.key if entry else ""
            )
        group.short_name = group.short_name or short
        group.weak = group.weak and mention.weak
        group.names[mention.name] += 1
        group.forms.update(
            form for form in (mention.name, mention.short_name, mention.surface) if form
        )
        group.sentences.append(mention.sentence)

    merged = _merge_abbreviations(list(groups.values()))
    merged = _merge_people(merged)
    for group in merged:
        if not group.key and group.kind != "person" and len(group.names) > 1:
            # Unknown names take their most frequent spelling.
            group.name = group.names.most_common(1)[0][0]
    merged.sort(key=lambda g: (_KIND_ORDER[g.kind], -g.count, g.name))
    return [
        ExtractedEntity(
            kind=group.kind,
            name=group.name,
            count=group.count,
            short_name=group.short_name if group.short_name != group.name else "",
            key=group.key,
            forms=tuple(sorted(group.forms)),
            sentences=tuple(sorted(set(group.sentences))),
        )
        for group in merged
    ]


_KIND_ORDER: dict[str, int] = {"country": 0, "organisation": 1, "person": 2, "location": 3}


def _merge_abbreviations(groups: list[_Group]) -> list[_Group]:
    """«ОДКБ» joins «Организация Договора о коллективной безопасности (ОДКБ)»."""
    by_short = {name_key(g.short_name): g for g in groups if g.short_name}
    result: list[_Group] = []
    for group in groups:
        target = by_short.get(name_key(group.name))
        if target is not None and target is not group and group.kind != "person":
            target.absorb(group)
            target.key = target.key or group.key
        else:
            result.append(group)
    return result


def _merge_people(groups: list[_Group]) -> list[_Group]:
    """«Байрактар» and «Х. Байрактар», «Р. Жаксылыков» and «Руслан Жаксылыков»."""
    people = [g for g in groups if g.kind == "person" and not g.key]
    others = [g for g in groups if g not in people]
    people.sort(key=lambda g: (-len(g.name.split()), -len(g.name)))
    kept: list[_Group] = []
    for group in people:
        target = next((k for k in kept if _same_person(k.name, group.name)), None)
        if target is not None:
            target.absorb(group)
        elif not group.weak:
            kept.append(group)
    return others + kept


def _same_person(fuller: str, other: str) -> bool:
    a, b = fuller.split(), other.split()
    if not a or not b or name_key(a[-1]) != name_key(b[-1]):
        return False
    given_a, given_b = a[:-1], b[:-1]
    return all(x[:1].casefold() == y[:1].casefold() for x, y in zip(given_a, given_b, strict=False))


def abbreviation_like(text: str) -> bool:
    """«ОДКБ», «TUSAŞ», «G20»: two or more characters, letters all capitals."""
    return bool(_ABBREVIATION.match(text)) and text.upper() == text
