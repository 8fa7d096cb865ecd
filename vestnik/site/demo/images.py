"""Illustrations for the demo articles, drawn with Pillow: schematic maps and charts.

Nothing is downloaded and nothing pretends to be a photograph or real data:
each picture is an abstract composition in the site's palette. A kind and a
seed always give the same bytes, so re-running the demo loader finds the
images it stored before.
"""

from __future__ import annotations

import io
import itertools
import math
import random
from collections.abc import Callable, Sequence

from PIL import Image, ImageDraw

from vestnik.site.demo.spec import ImageKind

WIDTH, HEIGHT = 1600, 900
# Drawn at twice the size and reduced: Pillow's primitives have no anti-aliasing.
SCALE = 2

Point = tuple[float, float]
Colour = tuple[int, ...]

NAVY = (15, 39, 71)
ACCENT = (22, 54, 95)
LINK = (26, 79, 143)
ORANGE = (194, 65, 12)
SAND = (239, 233, 220)
PAPER = (244, 246, 248)
RULE = (217, 222, 228)
SEA = (198, 221, 235)
LAND = (224, 216, 198)


class Canvas:
    """An image drawn in final-size coordinates and rendered at `SCALE`."""

    def __init__(self, top: Colour, bottom: Colour | None = None) -> None:
        self.image = _vertical_gradient(top, bottom or top)
        self.draw = ImageDraw.Draw(self.image, "RGBA")

    def _xy(self, points: Sequence[Point]) -> list[Point]:
        return [(x * SCALE, y * SCALE) for x, y in points]

    def polygon(self, points: Sequence[Point], fill: Colour, outline: Colour | None = None) -> None:
        self.draw.polygon(self._xy(points), fill=fill, outline=outline)

    def line(self, points: Sequence[Point], colour: Colour, width: float) -> None:
        self.lines([points], colour, width)

    def dashed(
        self,
        points: Sequence[Point],
        colour: Colour,
        width: float,
        dash: float = 18,
        gap: float = 12,
    ) -> None:
        self.lines(_dashes(points, dash, gap), colour, width)

    def lines(self, polylines: Sequence[Sequence[Point]], colour: Colour, width: float) -> None:
        scaled = [self._xy(points) for points in polylines if len(points) > 1]
        pixels = round(width * SCALE)
        if len(colour) < 4 or colour[3] == 255:
            for xy in scaled:
                self.draw.line(xy, fill=colour[:3], width=pixels, joint="curve")
            return
        # Translucent strokes drawn directly darken wherever segments overlap;
        # drawn once into a mask and pasted, they stay even.
        xs = [x for xy in scaled for x, _ in xy]
        ys = [y for xy in scaled for _, y in xy]
        if not xs:
            return
        left, top = max(0, int(min(xs)) - pixels), max(0, int(min(ys)) - pixels)
        right = min(self.image.width, int(max(xs)) + pixels + 1)
        bottom = min(self.image.height, int(max(ys)) + pixels + 1)
        if right <= left or bottom <= top:
            return
        mask = Image.new("L", (right - left, bottom - top))
        pen = ImageDraw.Draw(mask)
        for xy in scaled:
            pen.line(
                [(x - left, y - top) for x, y in xy], fill=colour[3], width=pixels, joint="curve"
            )
        self.image.paste(colour[:3], (left, top, right, bottom), mask)

    def circle(
        self,
        centre: Point,
        radius: float,
        fill: Colour | None = None,
        outline: Colour | None = None,
        width: float = 1,
    ) -> None:
        x, y = centre
        box = [
            (x - radius) * SCALE,
            (y - radius) * SCALE,
            (x + radius) * SCALE,
            (y + radius) * SCALE,
        ]
        self.draw.ellipse(box, fill=fill, outline=outline, width=round(width * SCALE))

    def rectangle(self, box: tuple[float, float, float, float], fill: Colour) -> None:
        self.draw.rectangle([v * SCALE for v in box], fill=fill)

    def jpeg(self) -> bytes:
        buffer = io.BytesIO()
        self.image.reduce(SCALE).save(buffer, format="JPEG", quality=86, optimize=True)
        return buffer.getvalue()


def render(kind: ImageKind, seed: int) -> bytes:
    """A 1600×900 JPEG of the given kind; the same arguments give the same bytes."""
    return _PAINTERS[kind](random.Random(seed)).jpeg()  # noqa: S311 (pictures, not secrets)


# --- geometry ----------------------------------------------------------------


def _vertical_gradient(top: Colour, bottom: Colour) -> Image.Image:
    height = HEIGHT * SCALE
    column = bytes(
        round(a + (b - a) * y / (height - 1))
        for y in range(height)
        for a, b in zip(top, bottom, strict=True)
    )
    # Stretching a one-pixel column sideways with NEAREST only copies it: fast.
    strip = Image.frombytes("RGB", (1, height), column)
    return strip.resize((WIDTH * SCALE, height), Image.Resampling.NEAREST)


def _wobble(
    rng: random.Random, harmonics: int = 9, amplitude: float = 1.0
) -> Callable[[float], float]:
    """A smooth periodic function of an angle: the sum of a few random sines."""
    terms = [
        (k, rng.uniform(0, 2 * math.pi), amplitude * rng.uniform(0.4, 1.0) / k)
        for k in range(2, harmonics + 2)
    ]
    return lambda angle: sum(a * math.sin(k * angle + phase) for k, phase, a in terms)


def _blob(
    rng: random.Random,
    centre: Point,
    radius: float,
    *,
    squash: float = 1.0,
    roughness: float = 0.35,
    steps: int = 160,
) -> list[Point]:
    wobble = _wobble(rng, amplitude=roughness)
    cx, cy = centre
    points = []
    for i in range(steps):
        angle = 2 * math.pi * i / steps
        r = radius * (1 + wobble(angle))
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle) * squash))
    return points


def _scaled(points: Sequence[Point], centre: Point, factor: float) -> list[Point]:
    cx, cy = centre
    return [(cx + (x - cx) * factor, cy + (y - cy) * factor) for x, y in points]


def _bezier(start: Point, control: Point, end: Point, steps: int = 40) -> list[Point]:
    points = []
    for i in range(steps + 1):
        t = i / steps
        x = (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t**2 * end[0]
        y = (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t**2 * end[1]
        points.append((x, y))
    return points


def _dashes(points: Sequence[Point], dash: float, gap: float) -> list[list[Point]]:
    segments: list[list[Point]] = []
    current: list[Point] = [points[0]]
    drawing, left = True, dash
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        length = math.hypot(x1 - x0, y1 - y0)
        done = 0.0
        while length - done > left:
            done += left
            t = done / length
            point = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
            if drawing:
                current.append(point)
                segments.append(current)
            current = [point]
            drawing, left = not drawing, gap if drawing else dash
        left -= length - done
        if drawing:
            current.append((x1, y1))
    if drawing and len(current) > 1:
        segments.append(current)
    return segments


def _alpha(colour: Colour, alpha: int) -> Colour:
    return (*colour[:3], alpha)


# --- painters ----------------------------------------------------------------


def _polar_route(rng: random.Random) -> Canvas:
    """A polar view: latitude rings, Eurasia along the bottom, a route along its coast."""
    canvas = Canvas(NAVY, ACCENT)
    pole = (WIDTH * 0.5, HEIGHT * 0.3)
    for radius in range(120, 1500, 120):
        canvas.circle(pole, radius, outline=(255, 255, 255, 26), width=1.5)
    meridians = [
        [pole, (pole[0] + 1800 * math.cos(angle), pole[1] + 1800 * math.sin(angle))]
        for angle in (math.pi * i / 6 for i in range(12))
    ]
    canvas.lines(meridians, (255, 255, 255, 18), 1.2)

    def coast(
        start: float, end: float, base: float, wobble: Callable[[float], float]
    ) -> list[Point]:
        steps = 220
        points = []
        for i in range(steps + 1):
            angle = start + (end - start) * i / steps
            r = base * (1 + 0.12 * wobble(angle * 1.6))
            points.append((pole[0] + r * math.cos(angle), pole[1] + r * math.sin(angle)))
        return points

    eurasia = coast(math.radians(-8), math.radians(188), 430, _wobble(rng, 7))
    far = [
        (pole[0] + 2400 * math.cos(math.radians(a)), pole[1] + 2400 * math.sin(math.radians(a)))
        for a in range(188, -9, -4)
    ]
    canvas.polygon(eurasia + far, fill=(58, 84, 112))
    canvas.line(eurasia, (150, 176, 201), 2.5)
    for _ in range(5):
        angle = rng.uniform(math.radians(15), math.radians(165))
        spot = (pole[0] + 360 * math.cos(angle), pole[1] + 360 * math.sin(angle))
        canvas.polygon(_blob(rng, spot, rng.uniform(14, 34), roughness=0.35), fill=(58, 84, 112))
    ice = _blob(rng, pole, 230, roughness=0.3)
    canvas.polygon(_scaled(ice, pole, 1.25), fill=(235, 242, 248, 40))
    canvas.polygon(ice, fill=(235, 242, 248, 90))

    route = [(x + (pole[0] - x) * 0.1, y + (pole[1] - y) * 0.1) for x, y in eurasia[14:-14]]
    canvas.line(route, _alpha(ORANGE, 70), 14)
    canvas.dashed(route, (240, 128, 60), 4.5, dash=22, gap=14)
    for index in (0, len(route) // 3, len(route) * 2 // 3, len(route) - 1):
        canvas.circle(route[index], 13, fill=(255, 255, 255), outline=ORANGE, width=5)
    return canvas


def _sea_routes(rng: random.Random) -> Canvas:
    """An enclosed sea with routes and pipelines leaving its shores."""
    canvas = Canvas(SAND, LAND)
    for y in range(60, HEIGHT, 60):
        canvas.line([(0, y), (WIDTH, y)], (255, 255, 255, 60), 1)
    centre = (WIDTH * rng.uniform(0.42, 0.5), HEIGHT * 0.5)
    squash = rng.uniform(0.55, 1.4)
    sea = _blob(rng, centre, 260, squash=squash, roughness=0.28)
    canvas.polygon(_scaled(sea, centre, 1.18), fill=_alpha(SEA, 110))
    canvas.polygon(sea, fill=SEA, outline=(120, 160, 190))
    for factor in (0.8, 0.6, 0.4):
        canvas.line(
            [*_scaled(sea, centre, factor), _scaled(sea, centre, factor)[0]],
            (255, 255, 255, 110),
            1.5,
        )
    colours = [ACCENT, ORANGE, LINK, (96, 112, 128)]
    ports = [sea[int((i + rng.uniform(-0.25, 0.25)) * len(sea) / 7) % len(sea)] for i in range(7)]
    for i, port in enumerate(ports):
        angle = math.atan2(port[1] - centre[1], port[0] - centre[0]) + rng.uniform(-0.5, 0.5)
        length = rng.uniform(420, 900)
        end = (port[0] + length * math.cos(angle), port[1] + length * math.sin(angle))
        control = (
            (port[0] + end[0]) / 2 + rng.uniform(-160, 160),
            (port[1] + end[1]) / 2 + rng.uniform(-120, 120),
        )
        path = _bezier(port, control, end)
        colour = colours[i % len(colours)]
        if i % 3 == 2:
            canvas.dashed(path, colour, 5, dash=20, gap=14)
        else:
            canvas.line(path, _alpha(colour, 60), 16)
            canvas.line(path, colour, 5)
    across = _bezier(ports[0], centre, ports[3])
    canvas.dashed(across, NAVY, 3.5, dash=10, gap=10)
    for port in ports:
        canvas.circle(port, 12, fill=(255, 255, 255), outline=NAVY, width=4)
    return canvas


def _river_basin(rng: random.Random) -> Canvas:
    """Rivers running from mountains in the east to a shrinking lake in the west."""
    canvas = Canvas(SAND, (230, 222, 204))
    for _ in range(4):
        peak = (rng.uniform(1150, 1500), rng.uniform(120, 760))
        rings = _blob(rng, peak, rng.uniform(140, 220), squash=0.7, roughness=0.25)
        for factor in (1.0, 0.78, 0.56, 0.34):
            canvas.polygon(
                _scaled(rings, peak, factor), fill=(196, 176, 140, 40), outline=(170, 146, 108, 120)
            )
    lake_centre = (300, 470)
    lake = _blob(rng, lake_centre, 150, squash=1.2, roughness=0.3)
    for factor, alpha in ((1.9, 70), (1.55, 100), (1.25, 140)):
        shore = _scaled(lake, lake_centre, factor)
        canvas.dashed([*shore, shore[0]], (90, 140, 180, alpha), 2.2, dash=14, gap=10)
    canvas.polygon(lake, fill=(120, 170, 205), outline=(70, 120, 165))

    def river(start: Point, end: Point, width: float) -> list[Point]:
        # A meander: a gentle curve plus a few sine bends across it, fading at the mouth.
        dx, dy = end[0] - start[0], end[1] - start[1]
        length = math.hypot(dx, dy) or 1.0
        across = (-dy / length, dx / length)
        bend = rng.uniform(-0.25, 0.25) * length
        waves = [
            (rng.uniform(2, 7), rng.uniform(0, 2 * math.pi), rng.uniform(6, 18)) for _ in range(3)
        ]
        points = []
        for i in range(81):
            t = i / 80
            offset = bend * 4 * t * (1 - t) + sum(
                amp * math.sin(freq * math.pi * t + phase) for freq, phase, amp in waves
            ) * (1 - t)
            points.append(
                (start[0] + dx * t + across[0] * offset, start[1] + dy * t + across[1] * offset)
            )
        canvas.line(points, (70, 120, 165), width)
        return points

    mouths = [
        (lake_centre[0] + 120, lake_centre[1] - 90),
        (lake_centre[0] + 140, lake_centre[1] + 80),
    ]
    for mouth, source_y in zip(mouths, (220, 700), strict=True):
        main = river((1380, source_y), mouth, 7)
        for _ in range(4):
            join = main[rng.randrange(25, 70)]
            source = (rng.uniform(1050, 1550), rng.uniform(80, 820))
            river(source, join, 3.2)
    for _ in range(9):
        field = (rng.uniform(560, 1000), rng.uniform(180, 720))
        canvas.rectangle((field[0], field[1], field[0] + 46, field[1] + 30), (150, 170, 100, 90))
    canvas.circle((1240, 470), 14, fill=(255, 255, 255), outline=ORANGE, width=5)
    canvas.circle((980, 300), 14, fill=(255, 255, 255), outline=ORANGE, width=5)
    return canvas


def _network(rng: random.Random) -> Canvas:
    """Nodes of different weight joined by links of different strength."""
    canvas = Canvas(NAVY, (10, 26, 48))
    centre = (WIDTH / 2, HEIGHT / 2)
    for ring in (160, 300, 440):
        canvas.circle(centre, ring, outline=(255, 255, 255, 20), width=1.5)
    count = 10
    nodes = []
    for i in range(count):
        angle = 2 * math.pi * i / count + rng.uniform(-0.15, 0.15)
        distance = rng.uniform(280, 400)
        nodes.append(
            (centre[0] + distance * 1.65 * math.cos(angle), centre[1] + distance * math.sin(angle))
        )
    weights = [rng.uniform(0.4, 1.0) for _ in nodes]
    weights[0] = weights[3] = 1.3
    for i in range(count):
        for j in range(i + 1, count):
            if rng.random() > 0.45 and i not in (0, 3) and j not in (0, 3):
                continue
            strength = rng.uniform(0.2, 1.0)
            control = (centre[0] + rng.uniform(-120, 120), centre[1] + rng.uniform(-90, 90))
            path = _bezier(nodes[i], control, nodes[j])
            colour = ORANGE if strength > 0.85 else (150, 190, 230)
            canvas.line(path, _alpha(colour, round(60 + 120 * strength)), 1.5 + 5 * strength)
    for node, weight in zip(nodes, weights, strict=True):
        size = 16 + 26 * weight
        canvas.circle(node, size * 1.8, fill=(150, 190, 230, 30))
        canvas.circle(node, size, fill=(235, 242, 248), outline=LINK, width=5)
        canvas.circle(node, size * 0.35, fill=ACCENT)
    return canvas


def _bars(rng: random.Random) -> Canvas:
    """An abstract stacked bar chart: a shifting mix over twelve periods (no real data)."""
    canvas = Canvas(PAPER, (255, 255, 255))
    left, right, top, bottom = 140, 1480, 120, 760
    for i in range(6):
        y = bottom - (bottom - top) * i / 5
        canvas.line([(left, y), (right, y)], RULE, 2)
    canvas.line([(left, bottom), (right, bottom)], (86, 98, 112), 3)
    count = 12
    slot = (right - left) / count
    share = rng.uniform(0.15, 0.25)
    for i in range(count):
        share = min(0.8, share + rng.uniform(0.02, 0.07))
        total = rng.uniform(0.78, 0.98)
        parts = [total * (1 - share) * 0.7, total * (1 - share) * 0.3, total * share]
        x0 = left + i * slot + slot * 0.2
        x1 = left + (i + 1) * slot - slot * 0.2
        y = bottom
        for part, colour in zip(parts, [(160, 172, 186), LINK, ORANGE], strict=True):
            height = part * (bottom - top)
            canvas.rectangle((x0, y - height, x1, y), colour)
            y -= height
    trend = [
        (
            left + (i + 0.5) * slot,
            bottom - (bottom - top) * (0.2 + 0.05 * i + rng.uniform(-0.03, 0.03)),
        )
        for i in range(count)
    ]
    canvas.line(trend, NAVY, 4)
    for point in trend:
        canvas.circle(point, 9, fill=(255, 255, 255), outline=NAVY, width=4)
    return canvas


def _archipelago(rng: random.Random) -> Canvas:
    """Scattered islands, overlapping dashed claim lines and a shipping lane."""
    canvas = Canvas((214, 232, 240), (186, 212, 228))
    canvas.lines(
        [[(i * 70, 0), (i * 70 + 500, HEIGHT)] for i in range(-10, 30)], (255, 255, 255, 28), 1.2
    )
    canvas.polygon(_blob(rng, (-120, 300), 420, squash=1.3, roughness=0.25), fill=LAND)
    canvas.polygon(_blob(rng, (1760, 520), 380, squash=1.4, roughness=0.3), fill=LAND)
    canvas.polygon(_blob(rng, (820, -260), 420, squash=0.8, roughness=0.25), fill=LAND)
    for _ in range(5):
        cluster = (rng.uniform(420, 1240), rng.uniform(220, 760))
        for _ in range(rng.randint(6, 12)):
            spot = (cluster[0] + rng.gauss(0, 55), cluster[1] + rng.gauss(0, 40))
            island = _blob(rng, spot, rng.uniform(4, 14), roughness=0.3, steps=36)
            canvas.polygon(_scaled(island, spot, 2.2), fill=(255, 255, 255, 70))
            canvas.polygon(island, fill=(200, 184, 150), outline=(150, 130, 96))
    claims = [(ORANGE, 0.0), (LINK, 1.0), (ACCENT, 2.0)]
    for colour, shift in claims:
        claim = _blob(rng, (820 + 60 * shift, 480 - 30 * shift), 330, squash=0.95, roughness=0.22)
        canvas.polygon(claim, fill=_alpha(colour, 18))
        canvas.dashed([*claim, claim[0]], _alpha(colour, 220), 3.5, dash=16, gap=11)
    lane = _bezier((200, 900), (700, 380), (1500, -20))
    canvas.line(lane, (255, 255, 255, 120), 18)
    canvas.dashed(lane, NAVY, 3, dash=12, gap=12)
    return canvas


_PAINTERS: dict[ImageKind, Callable[[random.Random], Canvas]] = {
    "polar_route": _polar_route,
    "sea_routes": _sea_routes,
    "river_basin": _river_basin,
    "network": _network,
    "bars": _bars,
    "archipelago": _archipelago,
}
