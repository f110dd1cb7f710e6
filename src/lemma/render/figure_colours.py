"""Which figures keep their colours in the dark theme: those whose colours carry data.

The dark theme inverts a figure's lightness (hues kept), which keeps a line or bar plot readable
on a dark page. A heatmap, a filled contour plot, a colour-mapped scatter plot or a photo would
say something else inverted (viridis turns pink to olive, its order of brightness reversed), so
they are shown as drawn, on a white card. The rule reads the figure's bytes, so the same figure
is always decided the same way:

- an SVG that embeds a raster `<image>` (imshow, a colorbar, anything drawn `rasterized=True`),
  or that fills shapes with `MIN_COLOURS` or more distinct colours (pcolormesh, contourf,
  hexbin, a scatter plot with `c=`);
- a PNG or JPEG with `MIN_COLOURS` or more colours that each cover at least `MIN_AREA` of it
  (16 levels a channel, so that antialiasing, thin lines and text do not count).
"""

from __future__ import annotations

import io
import re
from functools import lru_cache

from lemma.reuse.figures import FigureStore

MIN_COLOURS = 8  # a plot's own colours stay below: Matplotlib's cycle, a background, text
MIN_AREA = 1 / 200  # of a raster's pixels, for one of its colours to count

_RASTER_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG; else it is SVG
_EMBEDDED_RASTER = re.compile(rb"<image\b")
_FILL = re.compile(rb"""fill(?::\s*|=["'])(#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3}))\b""")
_REDUCED_SIDE_PX = 640  # rasters are counted at about this size: the areas are what matter


def keeps_colours(data: bytes) -> bool:
    """Whether the figure in `data` (SVG, PNG or JPEG) shows colour-mapped data."""
    if data.startswith(_RASTER_SIGNATURES):
        return _raster_colours(data) >= MIN_COLOURS
    if _EMBEDDED_RASTER.search(data):
        return True
    fills = {colour.lower() for colour in _FILL.findall(data)}
    return len(fills) >= MIN_COLOURS


@lru_cache(maxsize=4096)
def stored_figure_keeps_colours(store: FigureStore, file_name: str) -> bool:
    """`keeps_colours` of a figure in the store: its name is its content's hash."""
    data = store.read(file_name)
    return data is not None and keeps_colours(data)


def _raster_colours(data: bytes) -> int:
    """How many colours each cover `MIN_AREA` of the image; 0 for bytes Pillow cannot read.
    Pillow comes with Matplotlib and is imported only when a page has a raster figure."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as opened:
            image = opened.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        return 0
    image = image.reduce(max(1, max(image.size) // _REDUCED_SIDE_PX))
    levels = image.point(lambda value: value & 0xF0)
    counts = levels.getcolors(maxcolors=1 << 12) or []
    min_pixels = MIN_AREA * image.width * image.height
    return sum(1 for count, _ in counts if count >= min_pixels)
