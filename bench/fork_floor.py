"""The fork-per-post floor: numpy and matplotlib imported and warmed up once, then one bare fork
per post.

    python bench/fork_floor.py bench/_work/sites/n100/floor/snippets.json [--jobs 2]

What any isolated executor must pay at least, with nothing of Lemma: each post runs in a forked
child of a preloaded process (a fresh namespace, its own memory), `--jobs` at a time, its figures
written as SVG files into a scratch folder, its printed output captured; the parent only waits.
The parent draws one figure before the first fork, as Lemma's fork server does: without it, every
child paid matplotlib's first-figure costs again (fonts, mathtext, the SVG writer), and this floor
was soft (its children took 14-26 % more CPU in paired runs).
Prints one JSON object with the wall time (from before the imports) and the posts run.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

STARTED = time.perf_counter()

import matplotlib  # noqa: E402  (timed: a fork server pays its imports too)

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402, F401


def warm_up() -> None:
    """Pay matplotlib's first-figure costs (fonts, the mathtext grammar, the SVG writer) once in
    the parent, as a preloaded fork server would, instead of once in every child."""
    fig = plt.figure()
    axes = fig.add_subplot()
    axes.plot([0, 1], [0, 1], label="$x^2$")
    axes.set_title("warm-up $\\alpha$")
    axes.legend()
    fig.savefig(io.BytesIO(), format="svg")
    plt.close(fig)


def run_post(post: dict[str, object], scratch: Path) -> None:
    """The child: every snippet of the post in one namespace, each figure saved as SVG."""
    os.chdir(scratch)
    namespace: dict[str, object] = {"__name__": "__main__"}
    sys.stdout = io.StringIO()
    count = 0
    for code in post["snippets"]:  # type: ignore[attr-defined]
        exec(compile(str(code), str(post["slug"]), "exec"), namespace)
        for number in plt.get_fignums():
            plt.figure(number).savefig(scratch / f"figure-{count}.svg", format="svg")
            count += 1
        plt.close("all")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("snippets", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    posts = json.loads(args.snippets.read_text())
    warm_up()
    base = Path(tempfile.mkdtemp(prefix="fork-floor-"))
    running: set[int] = set()
    failed = 0
    try:
        for index, post in enumerate(posts):
            while len(running) >= args.jobs:
                pid, status = os.wait()
                running.discard(pid)
                failed += status != 0
            scratch = base / str(index)
            scratch.mkdir()
            pid = os.fork()
            if pid == 0:
                try:
                    run_post(post, scratch)
                    code = 0
                except BaseException:
                    code = 1
                os._exit(code)
            running.add(pid)
        while running:
            pid, status = os.wait()
            running.discard(pid)
            failed += status != 0
    finally:
        shutil.rmtree(base, ignore_errors=True)
    wall = time.perf_counter() - STARTED
    print(json.dumps({"posts": len(posts), "failed": failed, "wall_s": round(wall, 3)}))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
