"""Time and memory to import a long Word manuscript: 30 pages, 100 footnotes, 10 images.

    .venv/bin/python bench/import_docx.py [--runs 3] [--keep]

Builds a throwaway site (SQLite in a temporary directory, `migrate` and
`setup_site`), generates the manuscript with the test helper
(`vestnik/importers/tests/manuscripts.py`, python-docx plus hand-built notes)
from a fixed seed, and imports it `--runs` times through
`importers.services.import_docx_bytes`, exactly as `manage.py import_docx`
and the admin do: checks, conversion in the sandboxed child, then the mapper
writing the expert, blog, images, footnotes and a revision. Each run changes
the title, so every run creates a new article with new images.

Reported per run: the conversion (child process, including its start), the
mapper (database), the whole import; the first run includes starting the fork
server. Peak memory: the conversion child's peak RSS, measured by running the
same conversion once more in a forked child of this process, and this
process's own peak RSS (Django, the mapper, Pillow reading the images).

The table goes to stdout, progress to stderr. The exit status is non-zero only
when the import fails; slow numbers are results, not failures (the goal is
printed beside them).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import multiprocessing
import os
import platform
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = 20251128
PAGES = 30
WORDS_PER_PAGE = 430
FOOTNOTES = 100
IMAGES = 10
GOAL_SECONDS = 3.0

_VOCABULARY = (  # noqa: SIM905 (a sentence is easier to read and edit than a list)
    "экспорт импорт транзит порт маршрут рынок спрос предложение грузопоток инвестиции "
    "соглашение правительство регион страна союз политика экономика энергетика газ нефть "
    "уголь пшеница контейнер железная дорога море берег пролив канал тариф пошлина санкции "
    "банк валюта кредит бюджет доля рост спад прогноз оценка данные статистика исследование "
    "институт эксперт аналитик решение проблема вопрос причина следствие условие ограничение "
    "возможность риск выгода издержки сроки график партнёр поставщик покупатель перевозчик "
    "за последние годы в первую очередь по оценкам несмотря на при этом кроме того однако"
).split()


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choices(_VOCABULARY, k=rng.randint(8, 18))).capitalize() + "."


def photo(rng: random.Random, number: int) -> bytes:
    """A 1600×1000 JPEG with structure and noise, about the size of a press photo."""
    from PIL import Image, ImageDraw, ImageFilter

    picture = Image.effect_noise((1600, 1000), 40).convert("RGB")
    draw = ImageDraw.Draw(picture)
    for _ in range(40):
        x, y = rng.randrange(1600), rng.randrange(1000)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x, y, x + rng.randrange(50, 400), y + rng.randrange(50, 300)), fill=colour)
    picture = picture.filter(ImageFilter.GaussianBlur(1))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def manuscript_bytes(title: str) -> tuple[bytes, dict[str, int]]:
    from vestnik.importers.tests.manuscripts import Bold, Italic, Link, Manuscript, Note

    rng = random.Random(SEED)
    manuscript = Manuscript(title=title, author="Ирина Соколова", date="28 ноября 2025")
    paragraphs = PAGES * WORDS_PER_PAGE // 110
    notes_at = set(rng.sample(range(1, paragraphs), FOOTNOTES // 2))
    images_at = set(rng.sample(range(5, paragraphs), IMAGES))
    words = notes = images = 0
    manuscript.paragraph(sentence(rng) + " " + sentence(rng))
    for index in range(1, paragraphs):
        if index % 12 == 1:
            manuscript.heading(sentence(rng).rstrip("."), 1 if index % 24 == 1 else 2)
        parts: list[Any] = [" ".join(sentence(rng) for _ in range(7))]
        if index % 9 == 0:
            parts += [" ", Bold("ключевой вывод"), " и ", Italic("оговорка"), "."]
        if index % 15 == 0:
            parts += [" См. ", Link("доклад", f"https://example.org/report/{index}"), "."]
        if index in notes_at:
            for _ in range(2):
                notes += 1
                parts += [" " + sentence(rng), Note(f"{sentence(rng)} С. {rng.randint(1, 400)}.")]
        manuscript.paragraph(*parts)
        words += sum(len(str(getattr(p, "text", p)).split()) for p in parts)
        if index % 20 == 0:
            manuscript.bullets(*(sentence(rng) for _ in range(4)))
        if index % 33 == 0:
            manuscript.table(
                [["Год", "Объём", "Доля"]]
                + [
                    [str(2015 + n), f"{rng.uniform(1, 9):.1f}", f"{rng.randint(1, 60)}%"]
                    for n in range(8)
                ]
            )
        if index % 40 == 0:
            manuscript.quote(sentence(rng))
        if index in images_at:
            images += 1
            manuscript.image(
                photo(rng, images),
                caption=f"Рисунок {images}. {sentence(rng)} Источник: пресс-служба",
                alt=sentence(rng),
            )
    data = manuscript.to_bytes()
    return data, {"words": words, "footnotes": notes, "images": images, "bytes": len(data)}


@contextlib.contextmanager
def timed(module: Any, name: str, timings: dict[str, float], key: str) -> Iterator[None]:
    original = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            timings[key] = time.perf_counter() - started

    setattr(module, name, wrapper)
    try:
        yield
    finally:
        setattr(module, name, original)


def _child_peak(connection: Connection, data: bytes) -> None:
    from vestnik.importers.parsers.docx import parse_docx_checked
    from vestnik.importers.safety import Limits

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    draft = parse_docx_checked(data, filename="bench.docx", limits=Limits())
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    connection.send((before, after, len(draft.blocks)))
    connection.close()


def conversion_peak_kib(data: bytes) -> tuple[int, int]:
    """(peak RSS, growth over the start) of one conversion in a fresh child, in KiB."""
    # Forked from this process: the function lives in __main__, which a fork server lacks.
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(target=_child_peak, args=(writer, data))
    process.start()
    writer.close()
    before, after, _blocks = reader.recv()
    process.join()
    return after, after - before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the temporary site")
    arguments = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="vestnik-bench-import-"))
    os.environ["VESTNIK_VAR_DIR"] = str(workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vestnik.settings.dev")
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from vestnik.importers import services
    from vestnik.site.services import site_setup

    try:
        log(f"site in {workdir}: migrate, setup_site")
        call_command("migrate", verbosity=0)
        site_setup()
        log("generating the manuscript")
        rows: list[tuple[str, float, float, float, int]] = []
        shape: dict[str, int] = {}
        for run in range(1, arguments.runs + 1):
            data, shape = manuscript_bytes(f"Длинная рукопись для замера, прогон {run}")
            timings: dict[str, float] = {}
            # The service looks both up by name, so timing wrappers see exactly its calls.
            with (
                timed(services, "sandboxed", timings, "conversion"),
                timed(services, "article_create_from_draft", timings, "mapper"),
            ):
                started = time.perf_counter()
                result = services.import_docx_bytes(data=data, filename="bench.docx")
                total = time.perf_counter() - started
            footnotes = result.article.footnotes.count()
            log(f"run {run}: {total:.2f} s, {footnotes} footnotes, {len(result.warnings)} warnings")
            rows.append(
                (
                    f"run {run}{' (cold)' if run == 1 else ''}",
                    timings["conversion"],
                    timings["mapper"],
                    total,
                    footnotes,
                )
            )
        peak, growth = conversion_peak_kib(data)
        parent_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    finally:
        if not arguments.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    machine = platform.processor() or platform.machine()
    print(
        f"Import of a generated manuscript — {platform.node()}, {machine}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        f"{PAGES} pages (~{shape['words']:,} words), {shape['footnotes']} footnotes, "
        f"{shape['images']} JPEG images 1600×1000; .docx {shape['bytes'] / 2**20:.1f} MB"
    )
    print()
    print(f"{'':<14} {'conversion':>11} {'mapper+DB':>10} {'total':>8}  {'notes':>5}")
    for label, conversion, mapper, total, notes in rows:
        print(f"{label:<14} {conversion:>9.2f} s {mapper:>8.2f} s {total:>6.2f} s  {notes:>5}")
    warm = sorted(row[3] for row in rows[1:]) or [rows[0][3]]
    print()
    print(
        f"warm import: median {statistics.median(warm):.2f} s, best {warm[0]:.2f} s, "
        f"worst {warm[-1]:.2f} s (goal < {GOAL_SECONDS:.0f} s)"
    )
    print(
        f"conversion child: peak RSS {peak / 1024:.0f} MB ({growth / 1024:+.0f} MB over its start)"
    )
    print(f"this process (Django, mapper, images): peak RSS {parent_peak / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
