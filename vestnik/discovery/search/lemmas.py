"""Words to index terms: search's rules over `core.morphology` and snowball.

Both search backends store and match *terms*, never raw words, so SQLite and
PostgreSQL see exactly the same strings and find exactly the same articles:

- a Cyrillic word becomes its dictionary forms (lemmas) from pymorphy3:
  «турецких» → «турецкий», «Казахстана» → «казахстан». A word the dictionary
  knows keeps every lemma it may have («стали» → «стать», «сталь»), because
  nothing in one word tells which the author meant; a word the dictionary only
  guesses at («Байрактаром») keeps the most probable guess;
- a Latin word is stemmed with the English snowball stemmer, in English and
  Russian articles alike: «Bayraktars» → «bayraktar»;
- anything else (numbers, other scripts) is kept as it is, lowercased.

Words are NFKC-normalised, stripped of combining accents (stress marks),
lowercased, and «ё» is folded into «е» before and after analysis. Function
words (prepositions, conjunctions, particles, interjections, and a short English
list) are neither indexed nor searched for. Words longer than `MAX_WORD_LENGTH`
are not indexed: they are links, hashes or noise.

The analysers load their data on first use, never at import: pymorphy3's is the
process's one (`core.morphology`).
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Iterator
from typing import Any

from vestnik.core.morphology import Parse, parses

MAX_WORD_LENGTH = 40

Term = tuple[str, ...]
"""The lemmas one word may stand for; a text matches the word if it has any of them."""

# A word as it stands in the text: letters and digits, with any combining
# accents inside it, so that «ударе́ние» stays one word.
_TEXT_WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f])*")
_WORD = re.compile(r"[^\W_]+")
_ACCENTS = re.compile(r"[\u0300-\u036f]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")
_FUNCTION_WORD_TAGS = frozenset({"PREP", "CONJ", "PRCL", "INTJ"})
_ENGLISH_STOP_WORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is"}
    | {"it", "its", "of", "on", "or", "that", "the", "to", "was", "were", "will", "with"}
)


@functools.cache
def _english_stemmer() -> Any:
    # Deferred: only English articles and queries need the stemmer.
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def fold(text: str) -> str:
    """The comparable form of a word: NFKC, no combining accents, lowercase, «ё» → «е»."""
    text = _ACCENTS.sub("", unicodedata.normalize("NFKC", text))
    return text.lower().replace("ё", "е")


def _clean(lemmas: list[str]) -> Term:
    kept: list[str] = []
    for lemma in lemmas:
        lemma = sys.intern(lemma.replace("ё", "е"))
        if lemma not in kept and len(lemma) <= MAX_WORD_LENGTH and _WORD.fullmatch(lemma):
            kept.append(lemma)
    return tuple(kept)


def _russian_term(word: str) -> Term:
    readings = parses(word)
    if not readings:
        return (word,)
    # `Parse.is_known` looks the parse's word up in the dictionary again on
    # every call, and the readings of one word share that word: asking once
    # per distinct word makes a rebuild's lemmatising about a third faster.
    known: dict[str, bool] = {}

    def is_known(parse: Parse) -> bool:
        if parse.word not in known:
            known[parse.word] = bool(parse.is_known)
        return known[parse.word]

    first = readings[0]
    if is_known(first) and first.tag.POS in _FUNCTION_WORD_TAGS:
        return ()
    if is_known(first):
        return _clean([p.normal_form for p in readings if is_known(p)]) or (word,)
    return _clean([first.normal_form]) or (word,)


def _word_term(word: str) -> Term:
    if len(word) > MAX_WORD_LENGTH:
        return ()
    if _CYRILLIC.search(word):
        return _russian_term(word)
    if _LATIN.search(word):
        if word in _ENGLISH_STOP_WORDS:
            return ()
        return (sys.intern(_english_stemmer().stemWord(word)),)
    return (word,)


# Queries and published articles repeat words; a quarter of a million of them
# (~80 MB at most) keep a process from parsing the same word twice.
@functools.lru_cache(maxsize=250_000)
def word_term(word: str) -> Term:
    """The term of one folded word, or () for a function word or an over-long word."""
    return _word_term(word)


class TermCache:
    """The terms of the words one bulk job (a rebuild) has met, up to `limit` words.

    `word_term` keeps the last 250,000 words of a process; the rebuild of a
    large archive meets more distinct word forms than that (about 400,000 in
    the bench's 100,000 articles), and a least-recently-used cache then evicts
    exactly the rare words that come back a few articles later, so they are
    parsed again and again. A rebuild instead keeps every word it has parsed,
    up to `limit` (roughly 150 bytes each), and the cache goes with the job.
    """

    def __init__(self, limit: int = 1_000_000) -> None:
        self._terms: dict[str, Term] = {}
        self._limit = limit

    def term(self, word: str) -> Term:
        term = self._terms.get(word)
        if term is None:
            term = _word_term(word)
            if len(self._terms) < self._limit:
                self._terms[word] = term
        return term

    def __len__(self) -> int:
        return len(self._terms)


def text_words(text: str) -> Iterator[tuple[int, int, Term]]:
    """(start, end, term) of each word of `text`, offsets into `text` itself (for snippets).

    A word whose normalised form falls apart (NFKC turns «½» into «1⁄2») yields
    one span per part, all with the offsets of the whole word.
    """
    for match in _TEXT_WORD.finditer(text):
        folded = fold(match.group())
        for part in _WORD.findall(folded):
            term = word_term(part)
            if term:
                yield match.start(), match.end(), term


def text_terms(text: str, *, cache: TermCache | None = None) -> list[Term]:
    """The terms of `text` in order, one per indexed word: what a document is indexed by.

    The same words as `text_words` finds, folded in one pass because indexing
    needs no offsets. A bulk job passes its own `cache`.
    """
    term_of = cache.term if cache is not None else word_term
    return [term for word in _WORD.findall(fold(text)) if (term := term_of(word))]


def query_terms(text: str, *, limit: int) -> tuple[list[Term], bool]:
    """The distinct terms of a query, at most `limit` of them, and whether any were cut."""
    terms: list[Term] = []
    for term in text_terms(text):
        if term in terms:
            continue
        if len(terms) == limit:
            return terms, True
        terms.append(term)
    return terms, False


@functools.lru_cache(maxsize=10_000)
def lemma_forms(lemma: str) -> frozenset[str]:
    """The folded forms of the words whose lemma is `lemma`: «турецкий» → «турецких», ….

    For Latin stems and other terms, the term itself, which begins its words; a
    Snowball stem ending in «i» also stands for «y» («countri» for "country").
    """
    forms = {lemma}
    if _CYRILLIC.search(lemma):
        for parse in parses(lemma):
            if fold(parse.normal_form) == lemma:
                forms.update(fold(form.word) for form in parse.lexeme)
    elif _LATIN.search(lemma) and lemma.endswith("i"):
        forms.add(lemma[:-1] + "y")
    return frozenset(forms)
