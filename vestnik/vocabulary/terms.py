"""The controlled vocabulary: seeding countries and regions, suggesting and resolving terms.

Countries come from ISO 3166-1 (`data/countries.json`: Russian and English
names, and the short forms texts use — «США», «РФ», «КНР» — as aliases);
regions are the groupings the institute writes about (`data/regions.json`);
topics belong to the editors. Seeding only adds what is missing and fills
empty fields, so an editor's corrections survive every re-run.

Suggestions and name resolution compare case-folded text in Python rather than
with `icontains`: SQLite folds the case of ASCII letters only, and the whole
vocabulary is a few hundred rows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from django.db import transaction

from vestnik.core.text import latin_slug
from vestnik.vocabulary.models import Country, Region, Topic, VocabularyTerm

DATA_DIR = Path(__file__).resolve().parent / "data"

TermT = TypeVar("TermT", bound=VocabularyTerm)

# URL segment → model; the same names are the article's relation fields.
VOCABULARIES: dict[str, type[VocabularyTerm]] = {
    "countries": Country,
    "regions": Region,
    "topics": Topic,
}


def vocabulary_kind(term: VocabularyTerm) -> str:
    for kind, model in VOCABULARIES.items():
        if isinstance(term, model):
            return kind
    raise ValueError(f"{type(term).__name__} is not a vocabulary model")


# --- seeding -----------------------------------------------------------------


@dataclass(frozen=True)
class VocabularySummary:
    countries_created: int
    countries_completed: int
    regions_created: int


def _rows(name: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
    return rows


@transaction.atomic
def vocabulary_ensure() -> VocabularySummary:
    """Seed the ISO 3166-1 countries and the common regions; safe to run again."""
    countries = {country.iso_code.upper(): country for country in Country.objects.all()}
    taken_slugs = {country.slug for country in countries.values()}
    created = completed = 0
    for row in _rows("countries.json"):
        country = countries.get(row["iso_code"])
        if country is None:
            slug = row["slug"]
            if slug in taken_slugs:
                slug = f"{latin_slug(row['name_en'], max_length=140)}-{slug}"
            # One save per row (not bulk_create) so the search index hears of each country.
            Country.objects.create(
                iso_code=row["iso_code"],
                slug=slug,
                name_ru=row["name_ru"],
                name_en=row["name_en"],
                aliases=row["aliases"],
            )
            taken_slugs.add(slug)
            created += 1
            continue
        missing = [
            field for field in ("name_en", "aliases") if not getattr(country, field) and row[field]
        ]
        if missing:
            for field in missing:
                setattr(country, field, row[field])
            country.save(update_fields=missing)
            completed += 1

    regions_created = 0
    existing_regions = list(Region.objects.all())
    known = {region.slug for region in existing_regions} | {
        normalise(region.name_ru) for region in existing_regions
    }
    for row in _rows("regions.json"):
        if row["slug"] in known or normalise(row["name_ru"]) in known:
            continue
        Region.objects.create(slug=row["slug"], name_ru=row["name_ru"], name_en=row["name_en"])
        regions_created += 1
    return VocabularySummary(
        countries_created=created, countries_completed=completed, regions_created=regions_created
    )


# --- matching ----------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_QUOTES = "\"'«»“”„"


def normalise(text: str) -> str:
    """Compare names the way a reader would: case, «ё» and stray quotes do not matter."""
    return _SPACES.sub(" ", text.strip().strip(_QUOTES).casefold().replace("ё", "е")).strip()


def term_labels(term: VocabularyTerm) -> list[str]:
    """Every form a term may be typed in: names, aliases, slug, ISO code."""
    labels = [term.name_ru, term.name_en, term.slug]
    if isinstance(term, Country):
        labels.append(term.iso_code)
        labels.extend(alias for alias in term.aliases.split(","))
    return [label for label in (normalise(label) for label in labels) if label]


def _rank(labels: list[str], needle: str) -> int | None:
    if needle in labels:
        return 0
    if any(label.startswith(needle) for label in labels):
        return 1
    if any(word.startswith(needle) for label in labels for word in re.split(r"[\s\-]", label)):
        return 2
    if len(needle) > 2 and any(needle in label for label in labels):
        return 3
    return None


def terms_suggest(model: type[TermT], query: str, *, limit: int = 10) -> list[TermT]:
    """Terms matching what an editor has typed so far, best matches first."""
    needle = normalise(query)
    if not needle:
        return []
    ranked: list[tuple[int, str, TermT]] = []
    for term in model.objects.all():
        rank = _rank(term_labels(term), needle)
        if rank is not None:
            ranked.append((rank, normalise(term.name_ru), term))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [term for _rank_, _name, term in ranked[:limit]]


def terms_resolve(terms: Iterable[TermT], names: Iterable[str]) -> tuple[list[TermT], list[str]]:
    """The terms that typed names refer to, and the names that match no term.

    Names, ISO codes and aliases all resolve, so «РФ» and «Russia» both find Russia.
    """
    by_label: dict[str, TermT] = {}
    for term in terms:
        for label in term_labels(term):
            by_label.setdefault(label, term)
    found: list[TermT] = []
    unknown: list[str] = []
    for name in names:
        key = normalise(name)
        if not key:
            continue
        match = by_label.get(key)
        if match is None:
            unknown.append(name.strip().strip(_QUOTES))
        elif match not in found:
            found.append(match)
    return found, unknown


def suggestion_label(term: VocabularyTerm) -> str:
    """What the editor sees in the suggestion list: both names, and the ISO code."""
    parts = [term.name_ru]
    if term.name_en and term.name_en != term.name_ru:
        parts.append(term.name_en)
    label = " — ".join(parts)
    if isinstance(term, Country):
        label += f" ({term.iso_code})"
    return label
