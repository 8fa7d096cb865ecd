"""Search latency and indexing time over generated corpora of articles.

    .venv/bin/python bench/search.py [--runs sqlite:10000,postgres:10000,postgres:100000]
                                     [--repeat 15] [--write-docs]

Each run builds a throwaway database (SQLite file in a temporary directory;
PostgreSQL database `search_bench`, dropped and recreated), migrates it and
starts a worker process (this file with `--worker`) inside Django that:

1. creates the site, 12 experts with blogs, 30 countries and 12 topics;
2. inserts N live ArticlePage rows in bulk: `wagtailcore_page` rows with
   treebeard paths under the blogs and `articles_articlepage` rows beside them,
   because creating 100,000 pages one by one through Wagtail (a revision and a
   publish each) would take hours. They are real pages (routable, rendered by
   the article template) that simply never had a revision. Each has a title of
   6 words, a lead of 20 and a body of 3 paragraphs with 300 words in all,
   1–3 countries, 1–2 topics, a co-author on one in twenty and a date in
   2015–2025; one in ten is English. Words are real Russian words from the
   pymorphy3 dictionary, inflected at random, drawn with Zipf frequencies
   (s = 1) from 20,000 lemmas, so some words are in nearly every article and
   most in very few; English articles use the same words transliterated. The
   corpus depends only on the seed;
3. times `search_index_rebuild()`: reading every page, lemmatising, writing the
   search documents and the full-text index;
4. times `search_articles()` — matching, counting, four facets, one page of
   ten results with their pages, bylines and highlighted snippets — for query
   shapes from a very common word (in nearly every article) to a rare one, two
   and three words, a filter with date order, and page 5. Each shape runs twice
   to warm up, then `--repeat` times; p50/p99 are over all timed calls. These
   are *cold*: the cache of search answers is off, so every call runs the
   search statement;
5. runs the same calls again with the cache of answers on ("cached" columns):
   what a repeated query costs until the next publish.

The tables go to stdout (Markdown), progress to stderr; `--write-docs` puts
them between the bench's markers in the "## Search" section of
docs/performance.md (the prose around them is written by hand). Slow numbers are
results, not failures: the exit status is non-zero only when a run cannot be
built. Runs are bounded by `--timeout` seconds each.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get(
    "VESTNIK_BENCH_SEARCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/search_bench"
)
DEFAULT_RUNS = "sqlite:10000,postgres:10000,postgres:100000"
GOAL_P99_MS = 100  # PostgreSQL, 100,000 articles
GOAL_P99_MS_SQLITE = 60  # SQLite, 10,000 articles
SEED = 20251128
LEMMAS = 20_000
BODY_WORDS = 300
EXPERTS = 12
COUNTRIES = 30
TOPICS = 12
BATCH = 2000
DOCS = ROOT / "docs" / "performance.md"


def progress(message: str) -> None:
    print(f"[bench:search] {message}", file=sys.stderr, flush=True)


# --- the worker (inside Django) ------------------------------------------------


def _vocabulary(rng: random.Random, cache: Path) -> list[list[str]]:
    """Zipf-ordered lemmas, each with its word forms; the same for the same seed.

    Walking the dictionary takes a while, so runs share the result through `cache`.
    """
    if cache.exists():
        return json.loads(cache.read_text())  # type: ignore[no-any-return]
    from vestnik.core.morphology import analyzer  # the process's one analyser

    morph = analyzer()
    letters = "абвгдежзиклмнопрстуфхцчшэюя"
    lemmas: dict[str, None] = {}
    for first in letters:
        for second in letters:
            taken = 0
            for _word, tag, normal_form, _para, _idx in morph.dictionary.iter_known_words(
                first + second
            ):
                if tag.POS in {"NOUN", "ADJF", "INFN"} and "-" not in normal_form:
                    taken += normal_form not in lemmas
                    lemmas.setdefault(normal_form)
                if taken >= 80:
                    break
    chosen = rng.sample(sorted(lemmas), min(LEMMAS, len(lemmas)))
    vocabulary = []
    for lemma in chosen:
        parse = morph.parse(lemma)[0]
        forms = sorted({form.word for form in parse.lexeme})[:12] or [lemma]
        vocabulary.append(forms)
    cache.write_text(json.dumps(vocabulary, ensure_ascii=False))
    return vocabulary


class Corpus:
    def __init__(self, rng: random.Random, cache: Path) -> None:
        from vestnik.core.text import latin_slug

        self.rng = rng
        self.vocabulary = _vocabulary(rng, cache)
        # One draw per word: every form carries its lemma's Zipf weight shared
        # among the lemma's forms.
        self.forms: list[str] = []
        self.latin: list[str] = []
        self.cumulative: list[float] = []
        total = 0.0
        for rank, forms in enumerate(self.vocabulary):
            for form in forms:
                total += 1 / (rank + 1) / len(forms)
                self.forms.append(form)
                self.latin.append(latin_slug(form, max_length=40).replace("-", ""))
                self.cumulative.append(total)

    def sentence(self, count: int, *, english: bool = False) -> str:
        words = self.rng.choices(
            self.latin if english else self.forms, cum_weights=self.cumulative, k=count
        )
        return " ".join(words).capitalize()

    def form(self, rank: int) -> str:
        return self.rng.choice(self.vocabulary[rank])


def _taxonomy() -> tuple[list[Any], list[Any], list[Any]]:
    from vestnik.articles.factories import expert_with_blog
    from vestnik.vocabulary.models import Country, Topic

    names = [("Асан", "Жакупов"), ("Ирина", "Соколова"), ("Павел", "Корсаков"),
             ("Мария", "Иванова"), ("Дмитрий", "Орлов"), ("Анна", "Петрова"),
             ("Олег", "Смирнов"), ("Елена", "Кузнецова"), ("Игорь", "Волков"),
             ("Ольга", "Попова"), ("Тимур", "Ахметов"), ("Алия", "Нурланова")]  # fmt: skip
    blogs = [expert_with_blog(f"{first} {last}", f"{first} {last}") for first, last in names]
    countries = [
        Country.objects.create(
            name_ru=f"Страна {n}", name_en=f"Country {n}", slug=f"c{n}",
            iso_code=f"{chr(65 + n // 26)}{chr(65 + n % 26)}",
        )
        for n in range(COUNTRIES)
    ]  # fmt: skip
    topics = [
        Topic.objects.create(name_ru=f"Тема {n}", name_en=f"Topic {n}", slug=f"t{n}")
        for n in range(TOPICS)
    ]
    return blogs, countries, topics


def build(size: int, rng: random.Random, corpus: Corpus) -> dict[str, Any]:
    import datetime
    import uuid

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from wagtail.models import Locale, Page

    from vestnik.articles.models import ArticlePage
    from vestnik.site.services import site_setup

    site_setup()
    blogs, countries, topics = _taxonomy()
    content_type = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.get_default()
    now = timezone.now()
    positions = dict.fromkeys((blog.pk for blog in blogs), 0)
    # ArticlePage rows go in as plain rows: building 100,000 page objects twice
    # (base and child) would cost more than everything else here. Fields this
    # bench does not set get their defaults, so new fields need no change here.
    article_fields = ArticlePage._meta.local_concrete_fields
    insert_article = (
        f"INSERT INTO {ArticlePage._meta.db_table} ("  # noqa: S608 (names from the model)
        + ", ".join(connection.ops.quote_name(f.column) for f in article_fields)
        + ") VALUES ("
        + ", ".join(["%s"] * len(article_fields))
        + ")"
    )

    def article_row(**values: Any) -> list[Any]:
        return [
            values[f.name] if f.name in values else f.get_db_prep_save(f.get_default(), connection)
            for f in article_fields
        ]

    through = [
        (model._meta.db_table, column)
        for model, column in (
            (ArticlePage.countries.through, "country_id"),
            (ArticlePage.topics.through, "topic_id"),
            (ArticlePage.co_authors.through, "expert_id"),
        )
    ]
    started = time.monotonic()
    for start in range(0, size, BATCH):
        pages, details = [], []
        for number in range(start, min(size, start + BATCH)):
            blog = blogs[number % len(blogs)]
            positions[blog.pk] += 1
            english = rng.random() < 0.1
            title = corpus.sentence(6, english=english)
            slug = f"article-{number}"
            pages.append(
                Page(
                    title=title, draft_title=title, slug=slug, content_type=content_type,
                    path=ArticlePage._get_path(blog.path, blog.depth + 1, positions[blog.pk]),
                    depth=blog.depth + 1, numchild=0, url_path=f"{blog.url_path}{slug}/",
                    live=True, has_unpublished_changes=False, first_published_at=now,
                    last_published_at=now, locale=locale,
                )
            )  # fmt: skip
            body = [
                {"type": "paragraph", "id": str(uuid.uuid4()),
                 "value": f"<p>{corpus.sentence(BODY_WORDS // 3, english=english)}.</p>"}
                for _ in range(3)
            ]  # fmt: skip
            details.append(
                {
                    "language": "en" if english else "ru",
                    "lead": corpus.sentence(20, english=english) + ".",
                    "body": body,
                    "date": datetime.date(2015, 1, 1)
                    + datetime.timedelta(days=rng.randrange(11 * 365)),
                    "countries": rng.sample(countries, rng.randint(1, 3)),
                    "topics": rng.sample(topics, rng.randint(1, 2)),
                    "co_author": rng.choice(blogs).expert if rng.random() < 0.05 else None,
                    "blog": blog,
                }
            )
        with transaction.atomic():
            Page.objects.bulk_create(pages)
            with connection.cursor() as cursor:
                cursor.executemany(
                    insert_article,
                    [
                        article_row(page_ptr=page.pk, publication_date=d["date"].isoformat(),
                                    language=d["language"], lead=d["lead"],
                                    body=json.dumps(d["body"], ensure_ascii=False))
                        for page, d in zip(pages, details, strict=True)
                    ],
                )  # fmt: skip
            rows = {table: [] for table in through}
            for page, d in zip(pages, details, strict=True):
                rows[through[0]] += [(page.pk, country.pk) for country in d["countries"]]
                rows[through[1]] += [(page.pk, topic.pk) for topic in d["topics"]]
                if d["co_author"] is not None and d["co_author"].pk != d["blog"].expert_id:
                    rows[through[2]].append((page.pk, d["co_author"].pk))
            with connection.cursor() as cursor:
                for (table, column), values in rows.items():
                    cursor.executemany(
                        f"INSERT INTO {table} (articlepage_id, {column}) VALUES (%s, %s)",  # noqa: S608 (names from the models)
                        values,
                    )
        progress(f"  {min(size, start + BATCH):,} articles")
    for blog in blogs:
        Page.objects.filter(pk=blog.pk).update(numchild=positions[blog.pk])
    return {"build_seconds": time.monotonic() - started, "countries": countries}


def measure(size: int, repeat: int, budget: float, cache: Path) -> dict[str, Any]:
    from django.db import connection

    from vestnik.discovery.search.selectors import SearchFilters, Sort, search_articles
    from vestnik.discovery.search.services import search_index_rebuild

    rng = random.Random(SEED)
    progress("building the vocabulary")
    corpus = Corpus(rng, cache)
    progress(f"inserting {size:,} articles")
    built = build(size, rng, corpus)
    progress("indexing")
    started = time.monotonic()
    indexed = search_index_rebuild()
    index_seconds = time.monotonic() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def words(*ranks: int) -> str:
        return " ".join(corpus.form(rank) for rank in ranks)

    country = built["countries"][0].slug
    shapes = [
        ("very common word", {"query": words(3)}),
        ("common word", {"query": words(40)}),
        ("mid word", {"query": words(400)}),
        ("rare word", {"query": words(4000)}),
        ("two words", {"query": words(40, 400)}),
        ("three words", {"query": words(15, 150, 1500)}),
        (
            "country filter, by date",
            {"query": words(40), "sort": Sort.DATE, "filters": SearchFilters(country=country)},
        ),
        ("page 5", {"query": words(40), "page": 5}),
    ]
    # The bench's articles are Russian, and a search keeps to one language.
    shapes = [(label, {"language": "ru", **kwargs}) for label, kwargs in shapes]
    from django.conf import settings
    from django.core.cache import cache

    # Cold: every call runs the statement (the cache of answers is off).
    settings.VESTNIK_SEARCH_CACHE_SECONDS = 0
    deadline = time.monotonic() + budget
    samples: list[float] = []
    per_shape = []
    for label, kwargs in shapes:
        for _ in range(2):
            results = search_articles(**kwargs)
        times = []
        for _ in range(repeat):
            if times and time.monotonic() > deadline:
                break
            started = time.perf_counter()
            search_articles(**kwargs)
            times.append((time.perf_counter() - started) * 1000)
        samples += times
        per_shape.append(
            {"shape": label, "query": kwargs["query"], "matches": results.total,
             "p50_ms": statistics.median(times), "max_ms": max(times), "runs": len(times)}
        )  # fmt: skip
        progress(f"  {label}: {results.total:,} matches, p50 {statistics.median(times):.1f} ms")
    load = os.getloadavg()[0]
    # Cached: the same calls again with the cache of answers on (per content
    # generation, as in production), after one call per shape fills it.
    settings.VESTNIK_SEARCH_CACHE_SECONDS = 300
    cache.clear()
    cached: list[float] = []
    for _label, kwargs in shapes:
        search_articles(**kwargs)
        for _ in range(repeat):
            started = time.perf_counter()
            search_articles(**kwargs)
            cached.append((time.perf_counter() - started) * 1000)
    return {
        "load": load,
        "cached_p50_ms": statistics.median(cached),
        "cached_p99_ms": _percentile(cached, 99),
        "vendor": connection.vendor,
        "size": size,
        "indexed": indexed,
        "build_seconds": built["build_seconds"],
        "index_seconds": index_seconds,
        "p50_ms": statistics.median(samples),
        "p99_ms": _percentile(samples, 99),
        "shapes": per_shape,
    }


def _percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def worker(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    print(json.dumps(measure(args.size, args.repeat, args.budget, Path(args.vocabulary))))


# --- the orchestrator -----------------------------------------------------------


@dataclass(frozen=True)
class Run:
    vendor: str
    size: int


def _recreate_postgres() -> str:
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(POSTGRES_URL)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return POSTGRES_URL


def _environment(database_url: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "vestnik.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "WARNING",
        "DEBUG": "false",
    }


def run_one(run: Run, args: argparse.Namespace, scratch: Path) -> dict[str, Any]:
    if run.vendor == "postgres":
        database_url = _recreate_postgres()
    else:
        database_url = f"sqlite:///{scratch / f'search-{run.size}.sqlite3'}"
    env = _environment(database_url)
    progress(f"{run.vendor} {run.size:,}: migrating")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--run-syncdb", "--noinput", "-v", "0",
         "--settings", "bench.setup_settings"],
        cwd=ROOT, env=env, check=True, timeout=args.timeout,
    )  # fmt: skip
    result = subprocess.run(
        [sys.executable, __file__, "--worker", "--size", str(run.size),
         "--repeat", str(args.repeat), "--budget", str(args.budget),
         "--vocabulary", str(scratch / "vocabulary.json")],
        cwd=ROOT, env=env, check=True, timeout=args.timeout, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def table(results: list[dict[str, Any]]) -> str:
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    lines = [
        "| database | articles | index time | per article | search p50 | search p99"
        " | p99 / goal | cached p50 | cached p99 | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        goal = GOAL_P99_MS if r["vendor"] == "postgresql" else GOAL_P99_MS_SQLITE
        lines.append(
            f"| {name.get(r['vendor'], r['vendor'])} | {r['size']:,} | {r['index_seconds']:.0f} s "
            f"| {r['index_seconds'] / max(1, r['indexed']) * 1000:.2f} ms "
            f"| {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | {r['p99_ms'] / goal:.2f}× {goal} ms "
            f"| {r['cached_p50_ms']:.1f} ms | {r['cached_p99_ms']:.1f} ms | {r['load']:.1f} |"
        )
    lines += ["", "| database | articles | query shape | matches | p50 | slowest |",
              "|---|---:|---|---:|---:|---:|"]  # fmt: skip
    for r in results:
        for s in r["shapes"]:
            lines.append(
                f"| {name.get(r['vendor'], r['vendor'])} | {r['size']:,} | {s['shape']} "
                f"| {s['matches']:,} | {s['p50_ms']:.1f} ms | {s['max_ms']:.1f} ms |"
            )
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = model.group(1) if model else cpu
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


MARKERS = ("<!-- bench/search.py: begin -->", "<!-- bench/search.py: end -->")


def write_docs(table_text: str) -> None:
    """Put the tables between the markers of the «Search» section of docs/performance.md.

    The prose around them is written by hand; a section without markers is
    appended with them.
    """
    block = f"{MARKERS[0]}\n{table_text}\n\nMeasured on {machine()}.\n{MARKERS[1]}"
    text = DOCS.read_text() if DOCS.exists() else "# Performance\n"
    if MARKERS[0] in text and MARKERS[1] in text:
        start = text.index(MARKERS[0])
        end = text.index(MARKERS[1]) + len(MARKERS[1])
        text = text[:start] + block + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n## Search\n\n" + block + "\n"
    DOCS.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", default=DEFAULT_RUNS)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--budget", type=float, default=120.0, help="seconds of queries per run")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per run")
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=10_000, help=argparse.SUPPRESS)
    parser.add_argument("--vocabulary", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return 0
    runs = [Run(v, int(n)) for v, n in (item.split(":") for item in args.runs.split(","))]
    results = []
    with tempfile.TemporaryDirectory(prefix="vestnik-search-bench-") as scratch:
        for run in runs:
            started = time.monotonic()
            try:
                results.append(run_one(run, args, Path(scratch)))
            except (subprocess.SubprocessError, OSError, ValueError) as error:
                progress(f"{run.vendor} {run.size:,} failed: {error}")
                return 1
            progress(f"{run.vendor} {run.size:,}: done in {time.monotonic() - started:.0f} s")
    output = table(results)
    print(output)
    if args.write_docs:
        write_docs(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
