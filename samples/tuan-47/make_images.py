"""Draw the illustrations of the sample bulletin "Nhịp Tuần" số 47.

Run from anywhere with the project's Python (Pillow is the only dependency):

    python samples/tuan-47/make_images.py

Every picture is drawn from code with fixed random seeds, so running the script again gives
byte-identical JPEGs (1600 x 1000 px, quality 85) in ``articles/images/``. Pictures are drawn
at twice the size and scaled down, which smooths the edges of polygons and text.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
FONTS = HERE.parents[1] / "styles" / "fonts"
OUT = HERE / "articles" / "images"

W, H = 1600, 1000  # size of the finished pictures
S = 2  # drawing scale: everything is drawn at S times the size, then scaled down

_font_cache: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}


def font(name: str, size: float) -> ImageFont.FreeTypeFont:
    """A Noto font at ``size`` pixels of the finished picture."""
    key = (name, round(size * S))
    if key not in _font_cache:
        _font_cache[key] = ImageFont.truetype(str(FONTS / f"{name}.ttf"), key[1])
    return _font_cache[key]


def rgb(hex_colour: str, alpha: int | None = None) -> tuple[int, ...]:
    value = hex_colour.lstrip("#")
    channels = tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))
    return channels if alpha is None else (*channels, alpha)


def mix(a: str, b: str, t: float) -> tuple[int, int, int]:
    ca, cb = rgb(a), rgb(b)
    return tuple(round(x + (y - x) * t) for x, y in zip(ca, cb, strict=True))


class Canvas:
    """An RGBA image addressed in the coordinates of the finished picture."""

    def __init__(self, background: tuple[int, ...] = (0, 0, 0, 0)) -> None:
        if len(background) == 3:
            background = (*background, 255)
        self.image = Image.new("RGBA", (W * S, H * S), background)
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def _pts(points):
        return [(x * S, y * S) for x, y in points]

    def polygon(self, points, fill, outline=None, width=1):
        self.draw.polygon(self._pts(points), fill=fill, outline=outline, width=round(width * S))

    def line(self, points, fill, width=1.0, joint="curve"):
        self.draw.line(self._pts(points), fill=fill, width=max(1, round(width * S)), joint=joint)

    def dashed(self, points, fill, width=1.0, dash=14.0, gap=9.0):
        """A dashed polyline; dashes are measured along the line."""
        on, left = True, dash
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            length = math.hypot(x1 - x0, y1 - y0)
            pos = 0.0
            while pos < length:
                step = min(left, length - pos)
                if on:
                    a, b = pos / length, (pos + step) / length
                    self.line(
                        [
                            (x0 + (x1 - x0) * a, y0 + (y1 - y0) * a),
                            (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b),
                        ],
                        fill,
                        width,
                        joint=None,
                    )
                pos += step
                left -= step
                if left <= 1e-9:
                    on = not on
                    left = dash if on else gap

    def ellipse(self, box, fill=None, outline=None, width=1):
        x0, y0, x1, y1 = box
        self.draw.ellipse(
            (x0 * S, y0 * S, x1 * S, y1 * S), fill=fill, outline=outline, width=round(width * S)
        )

    def circle(self, x, y, r, fill=None, outline=None, width=1):
        self.ellipse((x - r, y - r, x + r, y + r), fill, outline, width)

    def rectangle(self, box, fill=None, outline=None, width=1, radius=0):
        x0, y0, x1, y1 = box
        self.draw.rounded_rectangle(
            (x0 * S, y0 * S, x1 * S, y1 * S),
            radius=radius * S,
            fill=fill,
            outline=outline,
            width=round(width * S),
        )

    def text(self, xy, words, name, size, fill, anchor="la", spacing=0.0):
        x, y = xy
        self.draw.text(
            (x * S, y * S),
            words,
            font=font(name, size),
            fill=fill,
            anchor=anchor,
            spacing=spacing * S,
        )

    def text_width(self, words, name, size) -> float:
        return self.draw.textlength(words, font=font(name, size)) / S

    def rotated_text(self, xy, words, name, size, fill, angle):
        """Text centred on ``xy`` and turned ``angle`` degrees anticlockwise."""
        f = font(name, size)
        left, top, right, bottom = f.getbbox(words)
        tile = Image.new("RGBA", (right - left + 8, bottom - top + 8), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((4 - left, 4 - top), words, font=f, fill=fill)
        tile = tile.rotate(angle, resample=Image.BICUBIC, expand=True)
        x, y = xy
        self.image.alpha_composite(
            tile, (round(x * S - tile.width / 2), round(y * S - tile.height / 2))
        )

    def paste_layer(self, layer: Canvas, blur: float = 0.0):
        image = layer.image
        if blur:
            image = image.filter(ImageFilter.GaussianBlur(blur * S))
        self.image.alpha_composite(image)

    def vertical_gradient(self, box, stops):
        """Fill ``box`` with colours interpolated between ``stops`` [(t, "#hex"), ...]."""
        x0, y0, x1, y1 = (round(v * S) for v in box)
        height = y1 - y0
        column = Image.new("RGBA", (1, height))
        for row in range(height):
            t = row / max(1, height - 1)
            for (ta, ca), (tb, cb) in zip(stops, stops[1:], strict=False):
                if ta <= t <= tb:
                    column.putpixel((0, row), (*mix(ca, cb, (t - ta) / ((tb - ta) or 1)), 255))
                    break
        self.image.paste(column.resize((x1 - x0, height)), (x0, y0))

    def finish(self, seed: int, grain: float = 6.0) -> Image.Image:
        """Scale down to the final size and add a little film grain."""
        image = self.image.convert("RGB").resize((W, H), Image.LANCZOS)
        if grain:
            image = add_grain(image, seed, grain)
        return image


def add_grain(image: Image.Image, seed: int, amount: float) -> Image.Image:
    """Monochrome noise of +/- ``amount`` levels, reproducible from ``seed``."""
    rng = random.Random(seed)
    small = Image.frombytes("L", (W // 2, H // 2), rng.randbytes((W // 2) * (H // 2)))
    noise = small.resize((W, H), Image.BILINEAR)
    noise = noise.point(lambda v: round(128 + (v - 128) * amount / 128))
    noise = Image.merge("RGB", (noise, noise, noise))
    return ImageChops.add(image, noise, scale=1.0, offset=-128)


def smooth_curve(rng: random.Random, base: float, amplitude: float, waves: int = 4):
    """A function x -> y built from a few sine waves with random phases."""
    parts = [
        (amplitude / (k + 1) ** 0.9, rng.uniform(0.6, 1.4) * (k + 1), rng.uniform(0, math.tau))
        for k in range(waves)
    ]

    def curve(x: float) -> float:
        t = x / W * math.tau
        return base + sum(a * math.sin(f * t + p) for a, f, p in parts)

    return curve


def save(image: Image.Image, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    image.save(path, "JPEG", quality=85, optimize=True)
    print(f"{path.relative_to(HERE)}  {path.stat().st_size // 1024} KB")


# --------------------------------------------------------------------------------------------
# 1. Bar chart: rice export prices (article 04)
# --------------------------------------------------------------------------------------------

RICE_PRICES = [458, 448, 465, 482, 498, 503, 555, 618, 612, 620, 655]  # USD/tấn, T1..T11


def rice_chart() -> Image.Image:
    c = Canvas(rgb("#FAF6EE"))
    ink, muted, gold, dark_gold = rgb("#2B2118"), rgb("#7A6A58"), rgb("#D19B3A"), rgb("#8A5A12")

    c.rectangle((0, 0, W, 14), fill=dark_gold)
    c.text((80, 62), "Giá gạo 5% tấm xuất khẩu năm 2023", "NotoSerifDisplay-Bold", 60, ink)
    c.text((82, 150), "Bình quân theo tháng, đơn vị: USD/tấn", "NotoSans-Regular", 30, muted)

    left, right, top, bottom = 170, 1530, 250, 850
    vmax = 700

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * value / vmax

    for value in range(0, vmax + 1, 100):
        y = y_of(value)
        c.line([(left, y), (right, y)], rgb("#E3D9C8") if value else rgb("#9C8B75"), 2)
        c.text((left - 18, y), f"{value}", "NotoSans-Regular", 26, muted, anchor="rm")

    slot = (right - left) / len(RICE_PRICES)
    for index, value in enumerate(RICE_PRICES):
        x0 = left + slot * index + slot * 0.17
        x1 = left + slot * (index + 1) - slot * 0.17
        last = index == len(RICE_PRICES) - 1
        colour = dark_gold if last else gold
        c.rectangle((x0, y_of(value), x1, bottom), fill=colour, radius=4)
        c.rectangle((x0, bottom - 4, x1, bottom), fill=colour)
        label = f"{value}*" if last else f"{value}"
        c.text(((x0 + x1) / 2, y_of(value) - 10), label, "NotoSans-Bold", 27, ink, anchor="md")
        c.text(
            ((x0 + x1) / 2, bottom + 16), f"T{index + 1}", "NotoSans-Bold", 27, muted, anchor="ma"
        )

    # India's export ban, 20 July: a note above the low bars with an arrow to July.
    bx0, by0, bx1, by1 = 210, 262, 790, 372
    c.rectangle(
        (bx0, by0, bx1, by1), fill=rgb("#FFFFFF"), outline=rgb("#D8CBB6"), width=2, radius=10
    )
    c.text((bx0 + 24, by0 + 20), "20/7: Ấn Độ cấm xuất khẩu gạo trắng", "NotoSans-Bold", 28, ink)
    c.text(
        (bx0 + 24, by0 + 62), "Giá gạo Việt Nam vượt mốc 600 USD/tấn", "NotoSans-Regular", 25, muted
    )
    ban_x = left + slot * 7  # between the July and August bars
    c.dashed([(ban_x, top - 6), (ban_x, bottom)], rgb("#B03A2E"), 3, dash=12, gap=8)
    c.line([(bx1, by0 + 30), (ban_x, by0 + 30)], rgb("#B03A2E"), 3)
    c.circle(ban_x, by0 + 30, 7, fill=rgb("#B03A2E"))

    c.line([(80, 930), (W - 80, 930)], rgb("#D8CBB6"), 2)
    c.text(
        (80, 948),
        "* Tháng 11: số liệu ước tính. Nguồn: tổng hợp từ các doanh nghiệp xuất khẩu gạo.",
        "NotoSans-Regular",
        23,
        muted,
    )
    c.text((W - 80, 948), "Đồ họa: Bảo Ngọc", "NotoSans-Bold", 23, muted, anchor="ra")
    return c.finish(seed=401, grain=3)


# --------------------------------------------------------------------------------------------
# 2. Horizontal bars: forecast rainfall in central Vietnam (article 02, inline figure)
# --------------------------------------------------------------------------------------------

RAINFALL = [
    ("Quảng Trị", 260),
    ("Thừa Thiên Huế", 390),
    ("Đà Nẵng", 330),
    ("Quảng Nam", 420),
    ("Quảng Ngãi", 310),
]


def raindrop(c: Canvas, x: float, y: float, size: float, fill) -> None:
    points = []
    for step in range(60):
        t = math.tau * step / 60
        # A teardrop with its point upwards.
        points.append(
            (x + size * 1.25 * math.sin(t) * math.sin(t / 2) ** 1.4, y - size * 1.3 * math.cos(t))
        )
    c.polygon(points, fill=fill)


def rainfall_chart() -> Image.Image:
    c = Canvas()
    c.vertical_gradient((0, 0, W, H), [(0, "#E9F0F5"), (1, "#F7F9FB")])
    ink, muted = rgb("#1C2B36"), rgb("#5D7180")

    c.text((80, 62), "Lượng mưa dự báo cao nhất", "NotoSerifDisplay-Bold", 60, ink)
    c.text(
        (82, 150), "Từ đêm 23 đến hết ngày 26/11/2023, đơn vị: mm", "NotoSans-Regular", 30, muted
    )
    rng = random.Random(202)
    for k in range(7):
        raindrop(
            c,
            1180 + k * 52 + rng.uniform(-8, 8),
            90 + (k % 3) * 34,
            15,
            rgb("#4F8FBF", 110 + 20 * (k % 3)),
        )

    label_right, x0, scale = 440, 470, 2.1  # px per mm
    top, row = 270, 118
    for value in range(0, 501, 100):
        x = x0 + value * scale
        c.line([(x, top - 20), (x, top + row * len(RAINFALL) - 20)], rgb("#D5DFE6"), 2)
        c.text(
            (x, top + row * len(RAINFALL) - 6),
            f"{value}",
            "NotoSans-Regular",
            24,
            muted,
            anchor="ma",
        )

    # The 400 mm mark goes behind the bars: a bar that passes it visibly overshoots it.
    threshold = x0 + 400 * scale
    c.dashed(
        [(threshold, top - 44), (threshold, top + row * len(RAINFALL) - 24)],
        rgb("#C0392B"),
        3,
        dash=16,
        gap=10,
    )
    c.text((threshold, top - 50), "Mốc 400 mm", "NotoSans-Bold", 24, rgb("#C0392B"), anchor="md")

    for index, (place, value) in enumerate(RAINFALL):
        y = top + index * row
        t = (value - 250) / 180
        colour = mix("#7FB6DD", "#164E80", max(0.0, min(1.0, t)))
        c.text((label_right, y + 38), place, "NotoSans-Bold", 34, ink, anchor="rm")
        c.rectangle((x0, y + 8, x0 + value * scale, y + 70), fill=colour, radius=8)
        c.text(
            (x0 + value * scale - 18, y + 39),
            f"{value} mm",
            "NotoSans-Bold",
            30,
            rgb("#FFFFFF"),
            anchor="rm",
        )

    c.line([(80, 930), (W - 80, 930)], rgb("#C9D6DF"), 2)
    c.text(
        (80, 948),
        "Nguồn: Đài Khí tượng thủy văn khu vực Trung Trung Bộ, bản tin sáng 22/11.",
        "NotoSans-Regular",
        23,
        muted,
    )
    c.text((W - 80, 948), "Đồ họa: Nhịp Tuần", "NotoSans-Bold", 23, muted, anchor="ra")
    return c.finish(seed=202, grain=3)


# --------------------------------------------------------------------------------------------
# 3. Map: the Vĩnh Long - Trà Vinh expressway (article 03)
# --------------------------------------------------------------------------------------------


def catmull_rom(points, steps: int = 16):
    """A smooth curve through ``points``."""
    pts = [points[0], *points, points[-1]]
    out = []
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for s in range(steps):
            t = s / steps
            out.append(
                tuple(
                    0.5
                    * (
                        2 * b
                        + (-a + c) * t
                        + (2 * a - 5 * b + 4 * c - d) * t * t
                        + (-a + 3 * b - 3 * c + d) * t**3
                    )
                    for a, b, c, d in zip(p0, p1, p2, p3, strict=True)
                )
            )
    out.append(points[-1])
    return out


def label_along(c: Canvas, curve, x: float, words: str, size: float, fill) -> None:
    """Write ``words`` on a river, centred where the curve reaches ``x`` and turned with it."""
    index = min(range(1, len(curve) - 1), key=lambda i: abs(curve[i][0] - x))
    (xa, ya), (xb, yb) = curve[index - 1], curve[index + 1]
    angle = -math.degrees(math.atan2(yb - ya, xb - xa))
    if angle < -90 or angle > 90:
        angle += 180
    c.rotated_text(curve[index], words, "NotoSerif-Italic", size, fill, angle)


def expressway_map() -> Image.Image:
    c = Canvas(rgb("#F1ECDD"))
    water, water_dark = rgb("#A9CFE6"), rgb("#4F7F9F")
    ink, muted, red = rgb("#2A2A2A"), rgb("#6B6455"), rgb("#C62828")

    # Fields as soft patches, the sea in the south-east corner, then the rivers.
    rng = random.Random(303)
    for _ in range(70):
        x, y = rng.uniform(0, W), rng.uniform(0, H)
        w, h = rng.uniform(60, 160), rng.uniform(30, 90)
        c.ellipse((x, y, x + w, y + h), fill=(*mix("#E6DFC8", "#DCE3C4", rng.random()), 255))
    c.polygon([(W, 520), (1530, 660), (1470, 780), (1440, 900), (1415, H), (W, H)], fill=water)
    c.text((1515, 900), "BIỂN ĐÔNG", "NotoSans-Bold", 28, (*water_dark, 255), anchor="mm")

    co_chien = catmull_rom(
        [(-20, 120), (220, 150), (560, 270), (900, 430), (1200, 590), (1480, 740)]
    )
    song_hau = catmull_rom([(-20, 380), (330, 560), (700, 760), (1000, 930), (1120, 1020)])
    mang_thit = catmull_rom([(660, 322), (610, 420), (585, 500), (520, 600), (470, 640)])
    c.line(co_chien, water, 46)
    c.line(song_hau, water, 58)
    c.line(mang_thit, water, 14)
    label_along(c, co_chien, 1060, "Sông Cổ Chiên", 28, (*water_dark, 255))
    label_along(c, song_hau, 820, "Sông Hậu", 30, (*water_dark, 255))
    c.rotated_text((690, 365), "Sông Măng Thít", "NotoSerif-Italic", 21, (*water_dark, 255), 62)

    for name, xy in [
        ("BẾN TRE", (690, 150)),
        ("VĨNH LONG", (380, 455)),
        ("TRÀ VINH", (1060, 800)),
        ("SÓC TRĂNG", (820, 950)),
        ("CẦN THƠ", (150, 570)),
    ]:
        c.text(xy, name, "NotoSans-Bold", 40, rgb("#C9BFA6"), anchor="mm")

    # The existing expressway Mỹ Thuận - Cần Thơ and national road 53.
    existing = catmull_rom([(350, -10), (320, 160), (300, 320), (200, 480), (70, 650)])
    c.line(existing, rgb("#FFFFFF"), 16)
    c.line(existing, rgb("#8A8F98"), 10)
    c.text((365, 30), "Hướng TP.HCM", "NotoSans-Bold", 24, muted, anchor="lm")
    c.text((92, 676), "Hướng Cần Thơ", "NotoSans-Bold", 24, muted, anchor="lm")
    ql53 = catmull_rom([(240, 215), (420, 330), (600, 410), (730, 470), (950, 590), (1220, 720)])
    c.dashed(ql53, rgb("#E08E2B"), 5, dash=16, gap=10)

    nodes = [(300, 320), (700, 525), (930, 650), (1150, 770)]
    route = catmull_rom([nodes[0], (470, 405), *nodes[1:]])
    c.line(route, rgb("#FFFFFF"), 22)
    c.line(route, red, 14)

    # The bridge over the Măng Thít.
    c.rectangle((578, 452, 606, 472), fill=rgb("#FFFFFF"), outline=ink, width=2, radius=3)
    c.text((566, 500), "Cầu Măng Thít 1.180 m", "NotoSans-Regular", 21, ink, anchor="rm")

    for name, (x, y), anchor in [
        ("TP. Vĩnh Long", (240, 215), "ra"),
        ("Mang Thít", (520, 372), "rd"),
        ("Vũng Liêm", (730, 470), "ld"),
        ("Càng Long", (950, 590), "ld"),
        ("TP. Trà Vinh", (1220, 720), "ld"),
    ]:
        c.circle(x, y, 9, fill=ink, outline=rgb("#FFFFFF"), width=3)
        dx = 14 if anchor.startswith("l") else -14
        dy = -8 if anchor.endswith("d") else 10
        c.text((x + dx, y + dy), name, "NotoSans-Bold", 27, ink, anchor=anchor)

    def node(x, y, number, r=20):
        c.circle(x, y, r, fill=rgb("#FFFFFF"), outline=red, width=5)
        c.text((x, y + 1), str(number), "NotoSans-Bold", r * 1.1, red, anchor="mm")

    for number, (x, y) in enumerate(nodes, start=1):
        node(x, y, number)

    # Facts box.
    bx0, by0, bx1, by1 = 1010, 40, 1560, 330
    c.rectangle((bx0 + 6, by0 + 8, bx1 + 6, by1 + 8), fill=rgb("#D9D1BC"), radius=16)
    c.rectangle((bx0, by0, bx1, by1), fill=rgb("#FFFFFF"), radius=16)
    c.rectangle((bx0, by0, bx1, by0 + 70), fill=red, radius=16)
    c.rectangle((bx0, by0 + 40, bx1, by0 + 70), fill=red)
    c.text(
        ((bx0 + bx1) / 2, by0 + 35),
        "CAO TỐC VĨNH LONG - TRÀ VINH",
        "NotoSans-Bold",
        29,
        rgb("#FFFFFF"),
        anchor="mm",
    )
    rows = [
        ("Chiều dài", "62,4 km"),
        ("Quy mô", "4 làn xe"),
        ("Tổng vốn", "11.860 tỷ đồng"),
        ("Thời gian đi", "45 phút (trước đây 1 giờ 45)"),
    ]
    for index, (key, value) in enumerate(rows):
        y = by0 + 100 + index * 52
        c.text((bx0 + 26, y), key, "NotoSans-Regular", 25, muted, anchor="lm")
        c.text((bx0 + 190, y), value, "NotoSans-Bold", 25, ink, anchor="lm")

    # Legend, with the names of the numbered junctions, and a scale bar.
    lx, ly, lw, lh = 40, 735, 640, 245
    c.rectangle((lx, ly, lx + lw, ly + lh), fill=(255, 255, 255, 240), radius=12)
    items = [
        ("route", "Cao tốc Vĩnh Long - Trà Vinh"),
        ("existing", "Cao tốc đang khai thác"),
        ("ql", "Quốc lộ 53"),
        ("node", "Nút giao liên thông:"),
    ]
    for index, (kind, label) in enumerate(items):
        y = ly + 34 + index * 40
        if kind == "route":
            c.line([(lx + 24, y), (lx + 84, y)], red, 12)
        elif kind == "existing":
            c.line([(lx + 24, y), (lx + 84, y)], rgb("#8A8F98"), 9)
        elif kind == "ql":
            c.dashed([(lx + 24, y), (lx + 84, y)], rgb("#E08E2B"), 5, dash=14, gap=8)
        else:
            node(lx + 54, y, 1, r=16)
        c.text((lx + 104, y), label, "NotoSans-Regular", 23, ink, anchor="lm")
    c.text(
        (lx + 104, ly + 34 + 4 * 40),
        "1. Long Hồ   2. Vũng Liêm   3. Càng Long   4. Châu Thành",
        "NotoSans-Bold",
        22,
        red,
        anchor="lm",
    )
    px_per_km = math.dist(nodes[0], nodes[-1]) / 62.4 * 1.04
    sx = 1190
    c.line([(sx, 955), (sx + 10 * px_per_km, 955)], ink, 4)
    for x in (sx, sx + 10 * px_per_km):
        c.line([(x, 945), (x, 965)], ink, 3)
    c.text((sx + 5 * px_per_km, 940), "10 km", "NotoSans-Bold", 22, ink, anchor="md")

    # North arrow.
    c.polygon([(70, 40), (90, 100), (70, 88), (50, 100)], fill=ink)
    c.text((70, 112), "B", "NotoSans-Bold", 26, ink, anchor="ma")
    c.text((W - 30, H - 16), "Đồ họa: Khánh Linh", "NotoSans-Regular", 20, muted, anchor="rd")
    return c.finish(seed=303, grain=4)


# --------------------------------------------------------------------------------------------
# 4. Landscape: rice terraces after the harvest (article 05)
# --------------------------------------------------------------------------------------------


def terraces() -> Image.Image:
    rng = random.Random(505)
    c = Canvas()
    c.vertical_gradient(
        (0, 0, W, H), [(0, "#B9D0DE"), (0.38, "#E9E6D6"), (0.55, "#F3E3C3"), (1, "#F3E3C3")]
    )
    glow = Canvas((255, 244, 214, 0))  # blurred layers start in their own colour, not black
    glow.circle(1180, 250, 170, fill=(255, 244, 214, 150))
    c.paste_layer(glow, blur=60)

    xs = [x * 10 for x in range(-1, W // 10 + 2)]
    ridges = [
        ("#B4C2C9", 330, 60),
        ("#98AAB3", 390, 70),
        ("#7F958F", 450, 80),
        ("#6B8273", 520, 70),
    ]
    for index, (colour, base, amplitude) in enumerate(ridges):
        curve = smooth_curve(rng, base, amplitude, waves=5)
        c.polygon([(x, curve(x)) for x in xs] + [(W + 20, H), (-20, H)], fill=rgb(colour))
        mist = Canvas((246, 240, 226, 0))
        mist.rectangle((-40, base + 30, W + 40, base + 120), fill=(246, 240, 226, 90 - 15 * index))
        c.paste_layer(mist, blur=30)

    straw = ["#D9B45C", "#CFA64E", "#C39746", "#D4B869", "#B9A052", "#A9A158"]
    hills = [
        # (ridge base, ridge amplitude, left, right, number of terraces)
        (560, 60, -40, 1000, 15),
        (640, 50, 700, W + 40, 13),
    ]
    house = None
    for hill_index, (base, amplitude, x_left, x_right, count) in enumerate(hills):
        ridge_wave = smooth_curve(rng, 0, amplitude, waves=3)
        centre, half = (x_left + x_right) / 2, (x_right - x_left) / 2

        def ridge(x, centre=centre, half=half, base=base, ridge_wave=ridge_wave):
            d = (x - centre) / half
            return base + 240 * d * d + ridge_wave(x)

        hxs = [x for x in xs if x_left - 60 <= x <= x_right + 60]
        c.polygon([(x, ridge(x)) for x in hxs] + [(hxs[-1], H), (hxs[0], H)], fill=rgb("#B58E45"))
        previous = [ridge(x) for x in hxs]
        for k in range(1, count + 1):
            flat = base + 40 + (H - base) * (k / count) ** 1.15
            wiggle = smooth_curve(rng, 0, 14 + 2 * k, waves=3)
            a = (k / count) ** 0.8
            current = [max(ridge(x) + 6, ridge(x) * (1 - a) + (flat + wiggle(x)) * a) for x in hxs]
            fill = rgb(straw[(k + hill_index) % len(straw)])
            c.polygon(
                list(zip(hxs, previous, strict=True))
                + list(zip(reversed(hxs), reversed(current), strict=True)),
                fill=fill,
            )
            c.line(list(zip(hxs, current, strict=True)), rgb("#6E5427"), 4)
            c.line([(x, y + 4) for x, y in zip(hxs, current, strict=True)], rgb("#EBD08A"), 2)
            if hill_index == 0 and k == 6:
                hx = 430
                house = (hx, current[hxs.index(hx)])
            previous = current
        # Small trees along the ridge.
        for _ in range(14):
            tx = rng.uniform(x_left + 80, x_right - 80)
            ty = ridge(tx)
            for _ in range(3):
                r = rng.uniform(9, 16)
                c.circle(
                    tx + rng.uniform(-10, 10),
                    ty - r + rng.uniform(-4, 4),
                    r,
                    fill=rgb(rng.choice(["#3F5A3A", "#4B6B42", "#35503A"])),
                )

    if house:
        hx, hy = house
        c.rectangle((hx - 45, hy - 55, hx + 45, hy - 2), fill=rgb("#8B6A48"))
        c.rectangle((hx - 10, hy - 35, hx + 10, hy - 2), fill=rgb("#4A3524"))
        c.polygon([(hx - 70, hy - 50), (hx, hy - 105), (hx + 70, hy - 50)], fill=rgb("#5A3E2B"))
        smoke = Canvas((240, 238, 232, 0))
        for i in range(6):
            smoke.circle(
                hx + 30 + i * 12, hy - 120 - i * 26, 14 + i * 4, fill=(240, 238, 232, 70 - i * 9)
            )
        c.paste_layer(smoke, blur=8)

    haze = Canvas((248, 242, 228, 0))
    haze.rectangle((-40, 540, W + 40, 700), fill=(248, 242, 228, 45))
    c.paste_layer(haze, blur=40)
    c.text(
        (W - 24, H - 16),
        "Minh họa: Tùng Lâm",
        "NotoSans-Regular",
        20,
        (255, 255, 255, 210),
        anchor="rd",
    )
    return c.finish(seed=505, grain=7)


# --------------------------------------------------------------------------------------------
# 5. Sunset on the river with ghe Ngo boats (article 08)
# --------------------------------------------------------------------------------------------


def palm(
    c: Canvas, x: float, ground: float, height: float, lean: float, rng: random.Random, colour
) -> None:
    top = (x + lean, ground - height)
    trunk = catmull_rom([(x, ground), (x + lean * 0.35, ground - height * 0.55), top], 10)
    c.line(trunk, colour, 9)
    for k in range(8):
        side = -1 if k % 2 else 1
        spread = rng.uniform(70, 130)
        tip = (top[0] + side * spread, top[1] + rng.uniform(10, 70))
        mid = (top[0] + side * spread * 0.45, top[1] - rng.uniform(18, 42))
        frond = catmull_rom([top, mid, tip], 10)
        c.line(frond, colour, 5)
        # Leaflets hang from each frond, longer in the middle.
        for i in range(2, len(frond) - 1):
            (xa, ya), (xb, yb) = frond[i - 1], frond[i]
            t = i / len(frond)
            size = 26 * math.sin(math.pi * t) + 6
            for turn in (-1, 1):
                dx, dy = xb - xa, yb - ya
                norm = math.hypot(dx, dy) or 1
                nx, ny = -dy / norm * turn, dx / norm * turn
                c.line(
                    [(xb, yb), (xb + nx * size * 0.5 + dx / norm * 6, yb + abs(ny) * size + 4)],
                    colour,
                    2.5,
                )


def pagoda(c: Canvas, x: float, ground: float, colour) -> None:
    c.rectangle((x - 95, ground - 70, x + 95, ground), fill=colour)
    # Steep stacked gables with curled finials at the eaves, then a slender spire.
    for level, (half, y, rise) in enumerate(
        [(160, ground - 60, 95), (118, ground - 120, 85), (80, ground - 178, 72)]
    ):
        c.polygon(
            [
                (x - half, y),
                (x + half, y),
                (x + half * 0.28, y - rise),
                (x - half * 0.28, y - rise),
            ],
            fill=colour,
        )
        for side in (-1, 1):
            ex = x + side * half
            c.line(
                catmull_rom(
                    [
                        (ex - side * 12, y - 3),
                        (ex + side * 4, y - 6),
                        (ex + side * 9, y - 20 - 3 * level),
                    ],
                    6,
                ),
                colour,
                5,
            )
    c.polygon([(x - 14, ground - 240), (x, ground - 360), (x + 14, ground - 240)], fill=colour)


def ghe_ngo(
    c: Canvas,
    x0: float,
    x1: float,
    y: float,
    scale: float,
    paddlers: int,
    body,
    stripe,
    rng: random.Random,
) -> None:
    length = x1 - x0
    top = [
        (x0 + length * t, y - 6 * scale * math.sin(math.pi * t))
        for t in [i / 40 for i in range(41)]
    ]
    bottom = [
        (x0 + length * t, y + 20 * scale + 8 * scale * math.sin(math.pi * t))
        for t in [i / 40 for i in range(41)]
    ]
    bow = catmull_rom(
        [
            (x1, y),
            (x1 + 30 * scale, y - 25 * scale),
            (x1 + 42 * scale, y - 70 * scale),
            (x1 + 30 * scale, y - 95 * scale),
        ],
        8,
    )
    stern = catmull_rom(
        [(x0, y), (x0 - 25 * scale, y - 18 * scale), (x0 - 35 * scale, y - 50 * scale)], 8
    )
    outline = (
        list(reversed(stern))
        + top
        + bow
        + [(x1 + 20 * scale, y - 60 * scale), (x1 + 10 * scale, y + 12 * scale)]
        + list(reversed(bottom))
        + [(x0 - 10 * scale, y + 10 * scale)]
    )
    c.polygon(outline, fill=body)
    c.line([(x, yy + 9 * scale) for x, yy in top], stripe, 3 * scale)
    s = scale
    for i in range(paddlers):
        px = x0 + length * (0.1 + 0.8 * i / max(1, paddlers - 1))
        py = y - 6 * s * math.sin(math.pi * (px - x0) / length)
        # Rowers lean towards the bow (right), all in the same stroke, with a little scatter.
        lean = (10 + rng.uniform(-2, 2)) * s
        shoulder = (px + lean, py - 22 * s)
        c.polygon(
            [
                (px - 6 * s, py + 2 * s),
                (px + 7 * s, py + 2 * s),
                (shoulder[0] + 4 * s, shoulder[1]),
                (shoulder[0] - 5 * s, shoulder[1] + 2 * s),
            ],
            fill=body,
        )
        c.circle(shoulder[0] + 4 * s, shoulder[1] - 7 * s, 6 * s, fill=body)
        hands = (shoulder[0] + 3 * s, shoulder[1] + 8 * s)
        blade = (px - 16 * s, py + 30 * s)
        c.line([(shoulder[0] + 9 * s, shoulder[1] - 4 * s), hands, blade], body, 2.6 * s)
    # The helmsman stands at the stern with a long steering oar.
    hx = x0 + 10 * s
    hy = y - 2 * s
    c.polygon(
        [(hx - 6 * s, hy), (hx + 6 * s, hy), (hx + 5 * s, hy - 40 * s), (hx - 5 * s, hy - 40 * s)],
        fill=body,
    )
    c.circle(hx, hy - 48 * s, 7 * s, fill=body)
    c.line([(hx + 10 * s, hy - 36 * s), (hx - 60 * s, hy + 34 * s)], body, 3.5 * s)


def sunset() -> Image.Image:
    rng = random.Random(808)
    horizon = 560
    c = Canvas()
    c.vertical_gradient(
        (0, 0, W, horizon),
        [(0, "#2E2350"), (0.35, "#7A3A6A"), (0.7, "#E0694A"), (0.92, "#F6A04A"), (1, "#FFD27A")],
    )
    c.vertical_gradient(
        (0, horizon, W, H), [(0, "#F0A555"), (0.25, "#B45A5A"), (0.7, "#4C2D52"), (1, "#24193A")]
    )
    sun_x, sun_y = 1040, horizon - 58
    glow = Canvas((255, 190, 110, 0))
    glow.circle(sun_x, sun_y, 260, fill=(255, 190, 110, 120))
    glow.circle(sun_x, sun_y, 130, fill=(255, 220, 150, 170))
    c.paste_layer(glow, blur=50)
    clouds = Canvas((120, 50, 90, 0))
    for _ in range(9):
        cx, cy = rng.uniform(-100, W + 100), rng.uniform(90, 380)
        w = rng.uniform(260, 520)
        clouds.ellipse((cx - w / 2, cy - 16, cx + w / 2, cy + 16), fill=(120, 50, 90, 110))
    c.paste_layer(clouds, blur=10)
    c.circle(sun_x, sun_y, 62, fill=rgb("#FFE6A6"))

    # Far bank: a low silhouette with palms and a Khmer pagoda roof.
    bank = rgb("#2A1A33")
    bank_curve = smooth_curve(rng, horizon - 22, 6, waves=3)
    c.polygon(
        [(x, bank_curve(x)) for x in range(-20, W + 30, 20)]
        + [(W + 20, horizon + 8), (-20, horizon + 8)],
        fill=bank,
    )
    pagoda(c, 330, horizon - 18, bank)
    for x in [70, 140, 560, 640, 700, 1290, 1370, 1460, 1540]:
        palm(c, x, horizon - 15, rng.uniform(150, 230), rng.uniform(-30, 30), rng, bank)

    # Sun path on the water and ripples.
    ripples = Canvas((255, 214, 140, 0))
    for i in range(90):
        t = i / 90
        y = horizon + 12 + t * (H - horizon - 20)
        half = 20 + 180 * t * rng.uniform(0.4, 1.0)
        x = sun_x + rng.uniform(-40, 40) * (0.3 + t)
        ripples.line(
            [(x - half, y), (x + half, y)],
            (255, 214, 140, round(200 * (1 - t) + 30)),
            rng.uniform(2, 5),
        )
    for _ in range(160):
        y = rng.uniform(horizon + 10, H)
        x = rng.uniform(-50, W)
        ripples.line([(x, y), (x + rng.uniform(40, 160), y)], (255, 255, 255, 28), 2)
    c.paste_layer(ripples, blur=1.2)

    # Each boat is drawn on its own layer, mirrored about its waterline for the reflection.
    boats = [
        (760, 1340, 705, 0.75, 18, rgb("#D9A441"), 1),
        (140, 1020, 845, 1.0, 24, rgb("#E8B04A"), 2),
    ]
    for x0, x1, y, scale, paddlers, stripe, seed in boats:
        layer = Canvas()
        ghe_ngo(layer, x0, x1, y, scale, paddlers, rgb("#1A1024"), stripe, random.Random(seed))
        mirrored = layer.image.transpose(Image.FLIP_TOP_BOTTOM)
        mirrored.putalpha(mirrored.getchannel("A").point(lambda a: a * 45 // 100))
        reflection = Canvas((26, 16, 36, 0))
        reflection.image.paste(mirrored, (0, round((2 * y + 24 * scale) * S) - H * S + 1))
        c.paste_layer(reflection, blur=2.5)
        c.paste_layer(layer)

    c.text(
        (W - 24, H - 16),
        "Minh họa: Huỳnh Kha",
        "NotoSans-Regular",
        20,
        (255, 235, 210, 200),
        anchor="rd",
    )
    return c.finish(seed=808, grain=6)


# --------------------------------------------------------------------------------------------
# 6. Football: a goalmouth scene under floodlights (article 09)
# --------------------------------------------------------------------------------------------

CAM_H, FOCAL, HORIZON_Y, CAM_X = 5.0, 1128.0, 60.0, -3.0


def project(x: float, z: float, height: float = 0.0) -> tuple[float, float]:
    """Pitch coordinates in metres (x across, z away from the camera) to picture pixels."""
    return (W / 2 + FOCAL * (x - CAM_X) / z, HORIZON_Y + FOCAL * (CAM_H - height) / z)


def pitch_line(c: Canvas, points, width: float = 4.0) -> None:
    c.line([project(x, z) for x, z in points], (246, 248, 244, 235), width)


def player(
    c: Canvas, x: float, z: float, shirt, shorts, pose: float, rng: random.Random, skin="#C98E64"
) -> None:
    fx, fy = project(x, z)
    m = FOCAL / z  # pixels per metre at this depth
    shadow = Canvas((10, 40, 15, 0))
    shadow.ellipse(
        (fx - 0.45 * m, fy - 0.09 * m, fx + 0.75 * m, fy + 0.1 * m), fill=(10, 40, 15, 110)
    )
    c.paste_layer(shadow, blur=3)
    hip = (fx, fy - 0.95 * m)
    stride = 0.35 * m * pose
    for foot_dx, knee_dx in [(-stride, -stride * 0.2), (stride, stride * 0.8)]:
        knee = (hip[0] + knee_dx, hip[1] + 0.48 * m)
        foot = (fx + foot_dx, fy)
        c.line([hip, knee, foot], rgb(skin), 0.16 * m)
        c.line(
            [(foot[0] - 0.04 * m, foot[1]), (foot[0] + 0.16 * m, foot[1])], rgb("#111111"), 0.09 * m
        )
        c.line(
            [knee, (knee[0] + (foot[0] - knee[0]) * 0.55, knee[1] + (foot[1] - knee[1]) * 0.55)],
            shirt,
            0.17 * m,
        )
    c.polygon(
        [
            (hip[0] - 0.24 * m, hip[1] - 0.2 * m),
            (hip[0] + 0.24 * m, hip[1] - 0.2 * m),
            (hip[0] + 0.28 * m, hip[1] + 0.12 * m),
            (hip[0] - 0.28 * m, hip[1] + 0.12 * m),
        ],
        fill=shorts,
    )
    shoulder_y = hip[1] - 0.62 * m
    c.polygon(
        [
            (hip[0] - 0.26 * m, hip[1] - 0.15 * m),
            (hip[0] + 0.26 * m, hip[1] - 0.15 * m),
            (hip[0] + 0.3 * m, shoulder_y),
            (hip[0] - 0.3 * m, shoulder_y),
        ],
        fill=shirt,
    )
    for side in (-1, 1):
        arm = rng.uniform(0.2, 0.5) * side * (1 + pose)
        c.line(
            [
                (hip[0] + side * 0.3 * m, shoulder_y + 0.05 * m),
                (hip[0] + (side * 0.38 + arm * 0.3) * m, shoulder_y + 0.35 * m),
                (hip[0] + (side * 0.42 + arm * 0.5) * m, shoulder_y + 0.62 * m),
            ],
            rgb(skin),
            0.1 * m,
        )
    head_y = shoulder_y - 0.17 * m
    c.circle(hip[0], head_y, 0.13 * m, fill=rgb(skin))
    c.ellipse(
        (hip[0] - 0.14 * m, head_y - 0.15 * m, hip[0] + 0.14 * m, head_y - 0.01 * m),
        fill=rgb("#1B1410"),
    )


def football() -> Image.Image:
    rng = random.Random(909)
    c = Canvas(rgb("#0D1424"))

    # Stand behind the goal: rows of spectators, then advertising boards.
    board_top = project(0, 28, 1.0)[1]
    c.vertical_gradient((0, 0, W, board_top), [(0, "#121A2C"), (1, "#26304A")])
    for row in range(16):
        y = 8 + row * (board_top - 14) / 16
        for _ in range(80):
            x = rng.uniform(-10, W + 10)
            colour = rng.choice(
                ["#C62828", "#C62828", "#1E63B5", "#F2F2F2", "#E0B040", "#8A94A6", "#D45050"]
            )
            c.circle(x, y + rng.uniform(-2, 2), rng.uniform(3.5, 5.5), fill=rgb(colour))
    crowd_shade = Canvas((10, 14, 30, 0))
    crowd_shade.rectangle((0, 0, W, board_top), fill=(10, 14, 30, 80))
    c.paste_layer(crowd_shade)
    lights = Canvas((255, 250, 225, 0))
    for x in (180, 1420):
        lights.circle(x, -40, 260, fill=(255, 250, 225, 120))
    c.paste_layer(lights, blur=70)

    # Grass with mowing stripes, 4 m deep, from the near edge to behind the goal line.
    z_values = [5.0 + 3 * i for i in range(8)] + [28.0]
    for i, (za, zb) in enumerate(zip(z_values, z_values[1:], strict=False)):
        colour = rgb("#3E8E41") if i % 2 else rgb("#347A37")
        c.polygon(
            [project(-80, za), project(80, za), project(80, zb), project(-80, zb)], fill=colour
        )
    board_bottom = project(0, 28, 0.0)[1]
    c.rectangle((0, board_top, W, board_bottom), fill=rgb("#0F3D7A"))
    for k, x in enumerate(range(-260, W, 420)):
        c.rectangle(
            (x, board_top, x + 400, board_bottom), fill=rgb("#B71C1C") if k % 2 else rgb("#0F3D7A")
        )
        c.text(
            (x + 200, (board_top + board_bottom) / 2),
            "NHỊP TUẦN" if k % 2 else "BÓNG ĐÁ SINH VIÊN 2023",
            "NotoSans-Bold",
            22,
            rgb("#FFFFFF"),
            anchor="mm",
        )

    # Markings: goal line, penalty box, goal area, penalty spot and arc.
    goal_z = 24.0
    pitch_line(c, [(-60, goal_z), (60, goal_z)], 4)
    box = goal_z - 16.5
    pitch_line(c, [(-20.16, goal_z), (-20.16, box), (20.16, box), (20.16, goal_z)], 5)
    small = goal_z - 5.5
    pitch_line(c, [(-9.16, goal_z), (-9.16, small), (9.16, small), (9.16, goal_z)], 4)
    spot_x, spot_y = project(0, goal_z - 11)
    c.ellipse((spot_x - 6, spot_y - 3, spot_x + 6, spot_y + 3), fill=(246, 248, 244, 235))
    arc = []
    for step in range(60):
        a = math.pi * (1.0 + step / 59)
        x, z = 9.15 * math.cos(a), goal_z - 11 + 9.15 * math.sin(a)
        if z < box:
            arc.append((x, z))
    pitch_line(c, arc, 5)

    # Goal: net behind, then posts and bar.
    depth = 2.0
    net = (235, 235, 235, 120)
    for i in range(13):
        x = -3.66 + 7.32 * i / 12
        c.line(
            [
                project(x, goal_z, 2.44),
                project(x, goal_z + depth, 2.0),
                project(x, goal_z + depth, 0),
            ],
            net,
            1.5,
        )
    for j in range(7):
        h = 2.44 * j / 6
        c.line(
            [project(-3.66, goal_z + depth, h * 0.82), project(3.66, goal_z + depth, h * 0.82)],
            net,
            1.5,
        )
    for x in (-3.66, 3.66):
        c.line([project(x, goal_z), project(x, goal_z, 2.44)], rgb("#FFFFFF"), 6)
    c.line([project(-3.66, goal_z, 2.44), project(3.66, goal_z, 2.44)], rgb("#FFFFFF"), 6)

    # Players, far ones first. Red: Cần Thơ, blue: Đà Nẵng, keeper in yellow.
    red, blue, keeper = rgb("#C62828"), rgb("#1E63B5"), rgb("#E9C03A")
    cast = [
        (0.2, 23.2, keeper, rgb("#222222"), 0.5),
        (-7.0, 19.0, blue, rgb("#F2F2F2"), 0.6),
        (5.0, 17.0, red, rgb("#FFFFFF"), 0.9),
        (2.4, 15.5, blue, rgb("#F2F2F2"), 0.5),
        (-3.2, 13.0, blue, rgb("#F2F2F2"), 0.8),
        (-1.0, 11.2, red, rgb("#FFFFFF"), 1.0),
        (-8.5, 9.5, red, rgb("#FFFFFF"), 0.7),
    ]
    for x, z, shirt, shorts, pose in sorted(cast, key=lambda item: -item[1]):
        player(c, x, z, shirt, shorts, pose, rng)
    bx, by = project(-0.2, 10.9, 0.22)
    m = FOCAL / 10.9
    c.circle(bx, by, 0.12 * m, fill=rgb("#FAFAFA"), outline=rgb("#333333"), width=1.5)
    c.circle(bx + 0.03 * m, by - 0.02 * m, 0.04 * m, fill=rgb("#333333"))

    vignette = Canvas()
    vignette.rectangle((-200, H - 120, W + 200, H + 200), fill=(0, 0, 0, 70))
    c.paste_layer(vignette, blur=60)
    c.text(
        (W - 24, H - 16),
        "Minh họa: Đức Toàn",
        "NotoSans-Regular",
        20,
        (255, 255, 255, 200),
        anchor="rd",
    )
    return c.finish(seed=909, grain=5)


PICTURES = {
    "gia-gao-xuat-khau-2023.jpg": rice_chart,
    "du-bao-mua-mien-trung.jpg": rainfall_chart,
    "cao-toc-vinh-long-tra-vinh.jpg": expressway_map,
    "ruong-bac-thang-mu-cang-chai.jpg": terraces,
    "ghe-ngo-hoang-hon.jpg": sunset,
    "san-bong-chung-ket.jpg": football,
}


def main() -> None:
    for name, draw in PICTURES.items():
        save(draw(), name)


if __name__ == "__main__":
    main()
