"""Does a build's cost grow linearly with the size of a pathological post? Size n against 4n.

    python bench/linearity.py            # 5 rounds, sizes interleaved (n, 4n, n, 4n, ...)
    python bench/linearity.py --rounds 3

Each case builds one post through the real CLI (`python -m lemma build`, no execution, no search)
at size n and at size 4n, alternating, and reports the median wall time of each and the median of
the per-round ratios. Linear is about 4x (plus start-up, which pulls the ratio below 4); a quadratic
stage gives about 16x. The load average is logged before every command. These were assertions
in the trust suite once; timing belongs here, where a noisy machine shows as a wide range.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

PARAGRAPH = (
    "Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt "
    "ut labore et dolore magna aliqua. "
    * 8
    + "With *emphasis*, `code`, a [link](#a) and $x^2$.\n\n"
)

# name -> (body of size n, n)
CASES: dict[str, tuple[Callable[[int], str], int]] = {
    "repeated headings": (
        lambda n: "".join(f"## Proof\n\n### Step {i}\n\n" for i in range(n // 2)),
        2_500,
    ),
    "unclosed math environments": (lambda n: "\\begin{align}\nx\n\n" * n, 2_000),
    "large post (1.25 MB vs 5 MB)": (
        lambda n: PARAGRAPH * n,
        int(1.25 * 1_000_000 // len(PARAGRAPH)),
    ),
}


def write_blog(root: Path, body: str) -> None:
    (root / "posts").mkdir(parents=True)
    (root / "site.toml").write_text("search = false\n\n[execute]\neval = false\n")
    post = f"---\ntitle: Big\ndate: 2025-01-15\n---\n\n{body}"
    (root / "posts" / "big.md").write_text(post, encoding="utf-8")


def time_build(root: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    command = [sys.executable, "-m", "lemma", "build", "--root", str(root), "--no-cache"]
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build failed in {root}:\n{result.stdout}\n{result.stderr}")
    return took


def measure(name: str, make: Callable[[int], str], n: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "small", Path(tmp) / "large"
        write_blog(small, make(n))
        write_blog(large, make(4 * n))
        time_build(small)  # warm up: the file cache, compiled bytecode
        small_s: list[float] = []
        large_s: list[float] = []
        for _ in range(rounds):
            print(f"  load {os.getloadavg()[0]:.2f}", file=sys.stderr)
            small_s.append(time_build(small))
            print(f"  load {os.getloadavg()[0]:.2f}", file=sys.stderr)
            large_s.append(time_build(large))
        ratios = [b / a for a, b in zip(small_s, large_s, strict=True)]
        print(
            f"{name}: n {statistics.median(small_s):.2f} s, 4n {statistics.median(large_s):.2f} s, "
            f"ratio median {statistics.median(ratios):.1f}x "
            f"(min {min(ratios):.1f}x, max {max(ratios):.1f}x; linear ~4x, quadratic ~16x)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    for name, (make, n) in CASES.items():
        measure(name, make, n, args.rounds)


if __name__ == "__main__":
    main()
