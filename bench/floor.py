"""The physical floor: every post's snippets run once, in one warm interpreter, without any site.

    python bench/floor.py bench/_work/sites/n100/floor/snippets.json

Prints one JSON object: the total time (imports excluded), how much of it matplotlib spent writing
SVG, and, measured apart (not part of the total), what the same figures cost as PNG at 2x. Each post
gets a fresh namespace but nothing else is isolated: no process per post, no capture, no cache.
"""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np  # noqa: F401  (imported before the clock starts, like a warm kernel)


def main(path: str) -> int:
    posts = json.loads(Path(path).read_text())
    svg_s = png_s = 0.0
    figures = 0
    svg_bytes = png_bytes = 0

    def show(*args: object, **kwargs: object) -> None:
        nonlocal svg_s, png_s, figures, svg_bytes, png_bytes
        for number in plt.get_fignums():
            fig = plt.figure(number)
            started = time.perf_counter()
            buffer = io.BytesIO()
            fig.savefig(buffer, format="svg")
            svg_s += time.perf_counter() - started
            svg_bytes += buffer.tell()
            figures += 1
            started = time.perf_counter()
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=2 * fig.dpi)
            png_s += time.perf_counter() - started
            png_bytes += buffer.tell()
        plt.close("all")

    plt.show = show  # type: ignore[assignment]
    sink = io.StringIO()
    started = time.perf_counter()
    for post in posts:
        namespace: dict[str, object] = {"__name__": "__main__"}
        stdout, sys.stdout = sys.stdout, sink
        try:
            for code in post["snippets"]:
                exec(compile(code, post["slug"], "exec"), namespace)
                show()
        finally:
            sys.stdout = stdout
    total_s = time.perf_counter() - started - png_s  # PNG is measured apart, not in the floor
    print(
        json.dumps(
            {
                "posts": len(posts),
                "total_s": round(total_s, 3),
                "svg_s": round(svg_s, 3),
                "png_2x_s": round(png_s, 3),
                "figures": figures,
                "svg_ms_per_figure": round(1000 * svg_s / max(figures, 1), 1),
                "png_2x_ms_per_figure": round(1000 * png_s / max(figures, 1), 1),
                "svg_kb_per_figure": round(svg_bytes / 1024 / max(figures, 1), 1),
                "png_2x_kb_per_figure": round(png_bytes / 1024 / max(figures, 1), 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
