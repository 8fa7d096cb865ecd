"""The one module that knows natasha: sentences, named spans and word readings.

The models (navec embeddings and slovnet taggers, all inside the
installed wheels, nothing is downloaded) load on first
use, once per process, behind a lock: never at import, so web workers that
never extract never pay for them. `analyzer()` is the process-wide instance.

Only the named-entity tagger reads every sentence. The morphological tagger,
which costs three times as much, reads only the sentences that name a person,
to learn the case of «Р. Жаксылыкова» (a genitive here, not a woman's name);
the syntax parser is not used at all. Names of places and organisations are
put into the nominative by rules over dictionary readings (`inflection.py`),
which are cheap and, for names, as good. The readings come from the process's
one pymorphy3 analyser (`core.morphology`), the dictionary search and the
authors' names read too, not from natasha's own pymorphy2 copy.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import partial
from typing import Any

from vestnik.core.morphology import Parse, parses
from vestnik.insights.extractors.base import (
    NamedSpan,
    Sentence,
    TextUnit,
    WordParse,
)

_SPAN_KINDS: frozenset[str] = frozenset({"PER", "LOC", "ORG"})
# Sentences longer than this are cut for the taggers: the models were trained on
# news sentences, and a run-on table cell must not cost a second.
_MAX_SENTENCE_CHARS = 2000
_BATCH_SIZE = 32
_DECLINABLE = frozenset({"NOUN", "ADJF", "PRTF", "NUMR"})


class NatashaAnalyzer:
    """Sentences, names and morphology for Russian text."""

    def __init__(self) -> None:
        # Deferred: natasha loads its embeddings and taggers on import; only extraction needs them.
        from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

        self._segmenter = Segmenter()
        embedding = NewsEmbedding()
        self._ner = NewsNERTagger(embedding)
        # slovnet infers 8 sentences at a time by default; 32 keeps numpy busier.
        self._ner.batch_size = self._ner.infer.encoder.batch_size = _BATCH_SIZE
        self._morph_tagger = NewsMorphTagger(embedding)
        # Word → readings; names recur, and pymorphy's own cache is per exact call.
        self._readings: dict[str, tuple[WordParse, ...]] = {}

    # --- sentences and names -------------------------------------------------

    def sentences(self, units: Sequence[TextUnit]) -> list[Sentence]:
        sentences: list[Sentence] = []
        for index, unit in enumerate(units):
            for sent in self._segmenter.sentenize(unit.text):
                if sent.text.strip():
                    sentences.append(Sentence(index, sent.start, sent.stop, sent.text))
        return sentences

    def named_spans(self, sentences: Sequence[Sentence]) -> list[NamedSpan]:
        texts = [sentence.text[:_MAX_SENTENCE_CHARS] for sentence in sentences]
        # Batches of sentences of like length pad least: about a third faster.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        found: list[tuple[int, Any]] = []
        for index, markup in zip(order, self._ner.map([texts[i] for i in order]), strict=True):
            found.extend((index, span) for span in markup.spans if span.type in _SPAN_KINDS)
        found.sort(key=lambda item: (item[0], item[1].start))
        with_people = sorted({index for index, span in found if span.type == "PER"})
        grammar = dict(
            zip(with_people, self._grammar([texts[i] for i in with_people]), strict=True)
        )
        spans: list[NamedSpan] = []
        for index, span in found:
            words: tuple[tuple[str, str], ...] = ()
            if span.type == "PER":
                words = tuple(
                    features
                    for (start, stop), features in grammar[index]
                    if start >= span.start and stop <= span.stop
                )
            spans.append(
                NamedSpan(
                    kind=span.type,
                    text=texts[index][span.start : span.stop],
                    sentence=index,
                    start=span.start,
                    stop=span.stop,
                    grammar=words,
                )
            )
        return spans

    def _grammar(self, texts: list[str]) -> list[list[tuple[tuple[int, int], tuple[str, str]]]]:
        """Per sentence and token: its offsets and (case, gender) as read in context."""
        tokenised = [list(self._segmenter.tokenize(text)) for text in texts]
        markups = self._morph_tagger.map([[token.text for token in tokens] for tokens in tokenised])
        return [
            [
                (
                    (token.start, token.stop),
                    (tag.feats.get("Case", ""), tag.feats.get("Gender", "")),
                )
                for token, tag in zip(tokens, markup.tokens, strict=True)
            ]
            for tokens, markup in zip(tokenised, markups, strict=True)
        ]

    # --- morphology ----------------------------------------------------------

    def parses(self, word: str) -> Sequence[WordParse]:
        key = word.lower().replace("ё", "е")
        readings = self._readings.get(key)
        if readings is None:
            readings = self._readings[key] = tuple(self._read(key))
        return readings

    def _read(self, word: str) -> list[WordParse]:
        return [
            WordParse(
                normal=form.normal_form,
                pos=str(form.tag.POS or ""),
                grammemes=frozenset(str(form.tag).replace(" ", ",").split(",")),
                inflect=partial(_inflected, form) if form.tag.POS in _DECLINABLE else None,
            )
            for form in parses(word)
        ]


def _inflected(form: Parse, case: str) -> str | None:
    if case in form.tag:
        return str(form.word)
    inflected = form.inflect({case})
    return str(inflected.word) if inflected is not None else None


_instance: NatashaAnalyzer | None = None
_lock = threading.Lock()


def analyzer() -> NatashaAnalyzer:
    """The process's analyser, loaded on first call (about two seconds)."""
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                _instance = NatashaAnalyzer()
    return _instance


def is_loaded() -> bool:
    return _instance is not None
