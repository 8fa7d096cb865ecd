"""Merging: mentions of names → the entities an article mentions, resolved and counted.

Owns `NameMention` (one name in one sentence, as the Russian rules in
`entities` and the English path in `english` both produce it) and what happens
to mentions once they are named: a name the vocabulary knows takes the
vocabulary's entity, an abbreviation joins the full name that introduced it
(«ОДКБ» and «Организация Договора о коллективной безопасности (ОДКБ)»), people
merge by surname when their initials agree, and each entity is counted by the
sentences that name it. It is language-independent, which is why it is not
part of the Russian rules.

Builds on `lexicon` only; nothing here touches morphology, the database or
natasha.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from vestnik.insights.extractors.base import EntityKind, ExtractedEntity
from vestnik.insights.extractors.lexicon import Vocabulary, name_key


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
