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
- the tagger's usual slips are mended (`spans`): spans of
  adjectives alone, institutions cut before their genitive tail, names in
  the genitive split in two, verbs and prepositions at a sentence start,
  a common noun opening a sentence («Председательство», «Трибунал»), a bare
  institution noun before its place («Управления» + «Суэцкого канала»);
- what is not an organisation is set apart: facilities («Камбаратинская
  ГЭС-1») are places, and names in a list under a system, project or document
  noun («карточные системы — российская «Мир», китайская UnionPay») are dropped;
- generic terms the tagger takes for organisations («СВО», «ВПК») and names
  editors hid are dropped.

This module is the entry point: `span_mentions` turns the tagger's spans into
mentions and `gazetteer_mentions` adds the names it missed; `entities_merge`
makes entities of them. Each job has its own module beside this one:
`lexicon` (name comparison, the vocabulary, the word lists), `inflection`
(readings and the nominative), `spans` (repairs of the tagger's spans) and
`merging` (mentions → entities); the names other code uses are re-exported
here (`__all__`).

Pure: morphology arrives through the `Morphology` protocol, the vocabulary as
a plain `Vocabulary`; nothing here touches the database or natasha.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from vestnik.authors.morphology import NAME_GRAMMEMES
from vestnik.insights.extractors.base import Morphology, NamedSpan, Sentence
from vestnik.insights.extractors.inflection import (
    head_lemmas,
    maybe_nominative,
    person_name,
    phrase_nominative,
    shape_like,
)
from vestnik.insights.extractors.lexicon import (
    NOT_ENTITIES,
    OPENING_QUOTES,
    QUOTES,
    TERRITORIAL_NOUNS,
    Vocabulary,
    VocabularyEntry,
    abbreviation_like,
    name_key,
)
from vestnik.insights.extractors.merging import NameMention, entities_merge
from vestnik.insights.extractors.spans import not_a_name, span_repaired, spans_joined

__all__ = [
    "NameMention",
    "Vocabulary",
    "VocabularyEntry",
    "entities_merge",
    "gazetteer_mentions",
    "name_key",
    "span_mentions",
]

# «Организация Договора о коллективной безопасности (ОДКБ)»
_WITH_ABBREVIATION = re.compile(r"^(?P<name>.+?)\s*\((?P<short>[^()]{2,30})\)$")
# «Baykar Defence Х. Байрактаром»: a person the tagger glued to an organisation.
_TRAILING_PERSON = re.compile(
    r"^(?P<org>.+?)\s+(?P<person>(?:[A-ZА-ЯЁ]\.\s?){1,2}[A-ZА-ЯЁ][a-zа-яё]+(?:-[A-ZА-ЯЁ][a-zа-яё]+)?)$"
)
_WORD = re.compile(r"[A-Za-zА-ЯЁа-яё][\w-]*")
_PLACE = frozenset({"Geox"})


def span_mentions(
    spans: Sequence[NamedSpan], sentences: Sequence[Sentence], morph: Morphology
) -> list[NameMention]:
    """Tagged spans → mentions with nominative names; glued names split, stray words dropped."""
    mentions: list[NameMention] = []
    for tagged in spans_joined(spans, sentences, morph):
        span = span_repaired(tagged, sentences[tagged.sentence].text, morph)
        if span is None:
            continue
        sentence = sentences[span.sentence].text
        # «госкорпорация «Росатом»», «компания «Казахстан Инжиринг»»: a name in
        # quotes that may be a nominative stays as written; «по плану «Группы
        # двадцати»» is declined and goes into the nominative like any other name.
        quoted = (
            span.start > 0
            and sentence[span.start - 1] in OPENING_QUOTES
            and maybe_nominative(span.text.strip(QUOTES + ",.;:").split(), morph)
        )
        text = span.text.strip().strip(QUOTES + ",.;:").strip()
        if not text:
            continue
        kind: str = span.kind
        if kind == "ORG" and (glued := _TRAILING_PERSON.match(text)):
            person = glued.group("person")
            mentions.append(
                NameMention("PER", person_name(person, (), morph), "", span.sentence, person)
            )
            text = glued.group("org")
        name, short = text, ""
        if abbreviated := _WITH_ABBREVIATION.match(text):
            name, short = abbreviated.group("name"), abbreviated.group("short").strip()
        words = name.split()
        if not_a_name(words, morph):
            continue
        weak = False
        if kind == "PER":
            # A lone word is a person only if the dictionary knows it as a surname, or
            # as nothing at all but a name; a lone given name («Тенгиза», also an oil
            # field) must be the surname of a fuller name in the same article.
            grammemes = [r.grammemes for r in morph.parses(words[0])] if len(words) == 1 else []
            named = any(NAME_GRAMMEMES & g for g in grammemes)
            surname = any({"Surn", "Patr"} & g for g in grammemes)
            also_a_place = any("Geox" in g for g in grammemes)
            weak = len(words) == 1 and (not named or (not surname and also_a_place))
            name = person_name(name, span.grammar, morph)
        elif not quoted:
            if head_lemmas(words, morph) & TERRITORIAL_NOUNS:
                kind = "LOC"  # «Дашогузский велаят» is a province, whatever the tagger said
            prefer = _PLACE if kind == "LOC" else frozenset()
            name = " ".join(phrase_nominative(words, morph, prefer=prefer))
        if name_key(name) in NOT_ENTITIES or name_key(short) in NOT_ENTITIES:
            continue
        if name.count("«") > name.count("»"):
            name += "»"  # «АЭС «Эль-Дабаа»»: the closing quote went with the punctuation
        mentions.append(NameMention(kind, name, short, span.sentence, span.text, weak))
    return mentions


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
            if not sentence.text[: match.start()].strip(QUOTES + " "):
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
