"""Formula conversion speed, Lemma's converter against latex2mathml (the converter before it).

    python bench/math_conversion.py              # the sample blog's formulas, 7 interleaved rounds
    python bench/math_conversion.py --root tests/fixtures/math --rounds 5

Finds every formula of ROOT/posts/*.md as the parser sees it, then converts them all, round
after round, alternating the two converters (old, new, old, new, ...): latex2mathml's `convert`
as Lemma called it, and `lemma.render.texmath.convert` with its cache cleared first (a cold
build), and once more with the cache kept (a rebuild in `lemma serve`). Reports each median and
the median of the per-round ratios; > 1 means Lemma's converter is faster. Also prints the math
font's weight for those formulas and the time its subset takes. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from latex2mathml.converter import convert as old_convert  # noqa: E402

from lemma.parse import parse_body  # noqa: E402
from lemma.render.mathfont import _subset, math_font  # noqa: E402
from lemma.render.texmath import MathError, convert  # noqa: E402


def formulas(root: Path) -> list[tuple[str, bool]]:
    found = []
    for path in sorted((root / "posts").glob("*.md")):
        for token in parse_body(path.read_text(encoding="utf-8")):
            if token.type in ("math_block", "math_block_label", "amsmath"):
                found.append((token.content, True))
            for child in token.children or []:
                if child.type in ("math_inline", "math_inline_double"):
                    found.append((child.content, child.type == "math_inline_double"))
    return found


def time_old(items: list[tuple[str, bool]]) -> float:
    start = time.perf_counter()
    for tex, display in items:
        with contextlib.suppress(Exception):  # latex2mathml raises many types for bad TeX
            old_convert(tex, display="block" if display else "inline")
    return time.perf_counter() - start


def time_new(items: list[tuple[str, bool]], *, cold: bool) -> float:
    if cold:
        convert.cache_clear()
    start = time.perf_counter()
    for tex, display in items:
        with contextlib.suppress(MathError):
            convert(tex, display=display)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=REPO)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    items = formulas(args.root)
    root = args.root.resolve()
    shown = root.relative_to(REPO) if root.is_relative_to(REPO) else root.name
    print(f"{len(items)} formulas in {shown}/posts; load average {os.getloadavg()[0]:.2f}")
    time_old(items), time_new(items, cold=True)  # warm imports and tables once
    old, cold, warm = [], [], []
    for _ in range(args.rounds):
        old.append(time_old(items))
        cold.append(time_new(items, cold=True))
        warm.append(time_new(items, cold=False))
    ratios = [o / c for o, c in zip(old, cold, strict=True)]
    print(f"latex2mathml:          median {statistics.median(old) * 1000:8.2f} ms")
    print(f"Lemma, cold cache:     median {statistics.median(cold) * 1000:8.2f} ms")
    print(f"Lemma, warm cache:     median {statistics.median(warm) * 1000:8.2f} ms")
    print(
        f"ratio old/new (cold):  median {statistics.median(ratios):.2f}x  "
        f"(range {min(ratios):.2f}-{max(ratios):.2f})"
    )
    chars = "".join(convert(tex, display=d).text for tex, d in items if _converts(tex, d))
    start = time.perf_counter()
    _subset.cache_clear()
    font = math_font(chars, None)
    print(
        f"math font subset: {len(font):,} bytes (WOFF2), made in "
        f"{(time.perf_counter() - start) * 1000:.0f} ms (then cached on disk)"
    )


def _converts(tex: str, display: bool) -> bool:
    try:
        convert(tex, display=display)
    except MathError:
        return False
    return True


if __name__ == "__main__":
    main()
