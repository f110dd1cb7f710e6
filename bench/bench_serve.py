"""Live-preview latency of `lemma serve`: from saving an edit to the served page showing it.

    python bench/bench_serve.py --posts 200
    python bench/bench_serve.py --posts 200 --edit code

Generates a site of small posts (one in ten with a python snippet) in a temporary folder, starts a
real `lemma serve --port 0`, executes and warms it, then N times: writes a prose edit to one post
and measures (a) when the reload event reaches a connected client (what a browser waits for) and
(b) when a GET of the post's page returns the edit. Prints median and p90 in ms and writes them
to bench/RESULTS-serve.md. Target: the page shows the edit within 300 ms of the save.

`--edit code` changes a post's snippet instead (one post in ten has one) and waits for the page
to show the snippet's new output, which appears only once the post has run again: issue 16's
"a code edit costs at most the post's own run plus 0.3 s", in the preview loop. The snippet's own
run is a few milliseconds (numpy preloaded), so the target is the same 300 ms.

`--src DIR` runs another copy of Lemma's sources (to compare before/after a change).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
TARGET_MS = 300.0
DEADLINE_S = 30.0


def post_text(number: int, marker: str = "", code_edit: int | None = None) -> str:
    # A code edit prints "RESULT k+1" from `print("RESULT", k + 1)`: the page's code listing never
    # holds that text, its output does once the post has run again.
    edit = "" if code_edit is None else f'print("RESULT", {code_edit} + 1)\n'
    snippet = (
        f"\n```python\nimport numpy as np\nprint(np.arange({number % 7 + 3}).sum())\n{edit}```\n"
        if number % 10 == 0
        else ""
    )
    return (
        f"---\ntitle: Post number {number}\ndate: 2025-01-{number % 28 + 1:02d}\n"
        f"tags: [topic-{number % 9}, math]\n---\n\n"
        f"Opening paragraph of post {number} about $x_{{{number}}}^2$. {marker}\n\n"
        f"## A section\n\nSome words, a list and a fence:\n\n- one\n- two\n\n"
        f"```text\nplain text {number}\n```\n{snippet}"
    )


def generate(root: Path, posts: int) -> None:
    (root / "posts").mkdir(parents=True)
    (root / "site.toml").write_text('title = "Bench"\nsearch = false\n', encoding="utf-8")
    for number in range(posts):
        (root / "posts" / f"p{number:04d}.md").write_text(post_text(number), encoding="utf-8")


class Served:
    def __init__(self, root: Path, src: Path) -> None:
        env = dict(os.environ, PYTHONPATH=str(src))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "lemma", "serve", "--root", str(root), "--port", "0", "-q"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
            start_new_session=True,
        )
        assert self.process.stdout is not None
        self.port = 0
        for line in self.process.stdout:
            match = re.match(r"ready: http://localhost:(\d+)/", line)
            if match:
                self.port = int(match.group(1))
                break
        if not self.port:
            raise SystemExit("lemma serve did not start")
        self.versions: list[tuple[float, int]] = []  # (arrival time, version) of reload events
        threading.Thread(target=self._listen, daemon=True).start()

    def get(self, path: str) -> str:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path, headers={"Host": f"localhost:{self.port}"})
            return conn.getresponse().read().decode()
        finally:
            conn.close()

    def status(self) -> dict[str, float]:
        return dict(json.loads(self.get("/__lemma__/status")))

    def _listen(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=None)
        conn.request("GET", "/__lemma__/events", headers={"Host": f"localhost:{self.port}"})
        response = conn.getresponse()
        while line := response.fp.readline():
            if line.startswith(b"data: "):
                self.versions.append((time.perf_counter(), int(line[6:])))

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)
        self.process.wait(timeout=DEADLINE_S)


def until(predicate: Callable[[], bool]) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        time.sleep(0.002)


def measure(
    served: Served, root: Path, posts: int, runs: int, code: bool = False
) -> tuple[list[float], list[float]]:
    """(ms to the reload event, ms to the page showing the edit) for each run."""
    events_ms, pages_ms = [], []
    with_snippets = list(range(0, posts, 10))
    for run in range(runs):
        stamp = time.time_ns()
        if code:
            number = with_snippets[run % len(with_snippets)]
            text, marker = post_text(number, code_edit=stamp), f"RESULT {stamp + 1}"
        else:
            number = (run * 37 + 1) % posts
            marker = f"EDIT-{run}-{stamp}"
            text = post_text(number, marker)
        url = f"/posts/p{number:04d}/"
        seen = len(served.versions)
        started = time.perf_counter()
        (root / "posts" / f"p{number:04d}.md").write_text(text, "utf-8")
        until(lambda: marker in served.get(url))  # noqa: B023 - called within the iteration
        pages_ms.append((time.perf_counter() - started) * 1000)
        until(lambda: len(served.versions) > seen)  # noqa: B023
        events_ms.append((served.versions[seen][0] - started) * 1000)
    return events_ms, pages_ms


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--src", type=Path, default=SRC, help="Lemma sources to run")
    parser.add_argument("--label", default="current", help="name of this measurement")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS-serve.md")
    parser.add_argument("--edit", choices=["prose", "code"], default="prose", help="what changes")
    args = parser.parse_args()
    code = args.edit == "code"
    with tempfile.TemporaryDirectory(prefix="lemma-bench-serve-") as folder:
        root = Path(folder) / "site"
        generate(root, args.posts)
        started = time.perf_counter()
        served = Served(root, args.src.resolve())
        first_build_s = time.perf_counter() - started
        try:
            measure(served, root, args.posts, 3, code)  # warm: caches, memos, the OS page cache
            status_before = served.status()
            events_ms, pages_ms = measure(served, root, args.posts, args.runs, code)
            status = served.status()
        finally:
            served.stop()
    executed = status["executed_total"] - status_before["executed_total"]
    lines = [
        f"| {args.label} | {args.posts} | {args.runs} | {statistics.median(events_ms):.0f} "
        f"| {p90(events_ms):.0f} | {statistics.median(pages_ms):.0f} | {p90(pages_ms):.0f} "
        f"| {status['last_build_ms']:.0f} | {executed:.0f} |"
    ]
    print(f"first build and start: {first_build_s:.1f} s")
    print(
        f"reload event: median {statistics.median(events_ms):.0f} ms, p90 {p90(events_ms):.0f} ms; "
        f"page shows the edit: median {statistics.median(pages_ms):.0f} ms, "
        f"p90 {p90(pages_ms):.0f} ms (target {TARGET_MS:.0f} ms); "
        f"last rebuild {status['last_build_ms']:.0f} ms; "
        f"posts executed by the edits: {executed:.0f}"
    )
    if not args.no_write:
        write_results(lines[0])


def write_results(row: str) -> None:
    path = HERE / "RESULTS-serve.md"
    header = (
        "# `lemma serve` latency: an edit of one post to the served page\n\n"
        "`python bench/bench_serve.py --posts 200 [--edit code]` (see the script's docstring).\n"
        "Times in ms from\n"
        "the file write; target: page shows the edit within "
        f"{TARGET_MS:.0f} ms. Newest rows last.\n\n"
        "| label | posts | runs | event median | event p90 | page median | page p90 "
        "| rebuild | executed | machine | date |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    existing = path.read_text(encoding="utf-8") if path.is_file() else header
    machine = f"{platform.machine()} {os.cpu_count()} CPUs, Python {platform.python_version()}"
    today = datetime.now(UTC).date().isoformat()
    path.write_text(existing + f"{row} {machine} | {today} |\n", encoding="utf-8")
    print(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")


if __name__ == "__main__":
    main()
