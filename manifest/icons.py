"""Draws the app's two Teams icons with Pillow: a speech bubble holding a target (a mål hit by a tegn).

Teams wants a 192×192 full-colour icon and a 32×32 outline icon that is white on a fully transparent
background (https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package).
Both are drawn large and scaled down, so the edges are smooth; the output is the same on every run.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

COLOR_SIZE = 192
OUTLINE_SIZE = 32
MANIFEST_DIR = Path(__file__).resolve().parent
COLOR_PATH = MANIFEST_DIR / "color.png"
OUTLINE_PATH = MANIFEST_DIR / "outline.png"

# A deep municipal green, the white of the bubble, and a warm yellow for the arrow that hits the mål.
BACKGROUND = (14, 99, 84)
ACCENT_COLOR = "#0E6354"
BUBBLE = (255, 255, 255)
TARGET = BACKGROUND
ARROW = (244, 180, 26)

_Point = tuple[float, float]
_Box = tuple[float, float, float, float]
_Fill = int | tuple[int, int, int]


def _scale(points: list[_Point], size: int) -> list[_Point]:
    return [(x * size, y * size) for x, y in points]


def _bubble(draw: ImageDraw.ImageDraw, box: _Box, radius: float, tail: list[_Point], fill: _Fill) -> None:
    """A rounded speech bubble: its body `box` and its tail polygon, all in pixels."""
    draw.rounded_rectangle(box, radius=radius, fill=fill)
    draw.polygon(tail, fill=fill)


def _ring(draw: ImageDraw.ImageDraw, centre: _Point, radius: float, width: float, fill: _Fill) -> None:
    cx, cy = centre
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=fill, width=round(width))


def _dot(draw: ImageDraw.ImageDraw, centre: _Point, radius: float, fill: _Fill) -> None:
    cx, cy = centre
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=fill)


def render_color(size: int = COLOR_SIZE, supersample: int = 8) -> Image.Image:
    """The full-colour icon: a white speech bubble with a target and an arrow in its centre, on green."""
    s = size * supersample
    image = Image.new("RGB", (s, s), BACKGROUND)
    draw = ImageDraw.Draw(image)
    box = (0.17 * s, 0.20 * s, 0.83 * s, 0.72 * s)
    tail = _scale([(0.27, 0.66), (0.22, 0.86), (0.47, 0.70)], s)
    _bubble(draw, box, 0.15 * s, tail, BUBBLE)

    centre = (0.50 * s, 0.46 * s)
    _ring(draw, centre, 0.185 * s, 0.042 * s, TARGET)
    _ring(draw, centre, 0.105 * s, 0.042 * s, TARGET)
    _dot(draw, centre, 0.040 * s, TARGET)

    # The arrow comes in from the upper right and stops in the bullseye; two pairs of feathers at its tail.
    end = (0.73 * s, 0.23 * s)
    draw.line((end, centre), fill=ARROW, width=round(0.034 * s))
    _dot(draw, centre, 0.028 * s, ARROW)
    length = 0.07 * s
    for offset in (0.0, 0.045):
        base = (end[0] - offset * s * 0.7071, end[1] + offset * s * 0.7071)
        for feather in ((0.0, -1.0), (1.0, 0.0)):
            tip = (base[0] + feather[0] * length, base[1] + feather[1] * length)
            draw.line((base, tip), fill=ARROW, width=round(0.026 * s))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def render_outline(size: int = OUTLINE_SIZE, supersample: int = 16) -> Image.Image:
    """The outline icon: the bubble's edge and a target inside it, white on transparent, nothing else."""
    s = size * supersample
    mask = Image.new("L", (s, s), 0)
    draw = ImageDraw.Draw(mask)
    # A solid bubble with its inside cut out again leaves an outline of even width, tail included.
    left, top, right, bottom = 0.05 * s, 0.09 * s, 0.95 * s, 0.75 * s
    radius = 0.20 * s
    tail = _scale([(0.20, 0.70), (0.14, 0.95), (0.46, 0.72)], s)
    _bubble(draw, (left, top, right, bottom), radius, tail, 255)
    stroke = 0.095 * s
    inner = (left + stroke, top + stroke, right - stroke, bottom - stroke)
    draw.rounded_rectangle(inner, radius=radius - stroke, fill=0)

    centre = (0.50 * s, (top + bottom) / 2)
    _ring(draw, centre, 0.175 * s, 0.075 * s, 255)
    _dot(draw, centre, 0.055 * s, 255)

    # Every pixel is white; only its opacity varies, so scaling in any client cannot produce grey fringes.
    icon = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    icon.putalpha(mask.resize((size, size), Image.Resampling.LANCZOS))
    return icon


def write_icons(directory: Path = MANIFEST_DIR) -> tuple[Path, Path]:
    """Render both icons into `directory` (the committed ones live next to this module)."""
    color_path = directory / COLOR_PATH.name
    outline_path = directory / OUTLINE_PATH.name
    render_color().save(color_path, format="PNG", optimize=True)
    render_outline().save(outline_path, format="PNG", optimize=True)
    return color_path, outline_path
