"""Rebuild costs: what `lemma serve` pays for a prose edit, and what the build memo saves.

    python bench/incremental.py bench/_work/sites/n500/lemma [--runs 3]

Run it on a site that `bench/run.py` has built (so the execution cache is warm). It prints JSON:

- serve_prose_s: one prose edit re-assembled in memory with serve's memos (no write, no search
  index), as `lemma serve` does after a save;
- build_warm_s / build_prose_s: a second `lemma build` in a fresh process, with the on-disk build
  memo (what bench/run.py measures as warm rebuild and prose edit);
- build_warm_no_memo_s / build_prose_no_memo_s: the same with the build memo and the search-index
  digest deleted before each build: Lemma before the memo existed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(BENCH))

from generate import PROSE_EDIT_FROM  # noqa: E402
from run import PROSE_EDIT_RE  # noqa: E402


def _edit(path: Path, number: int) -> None:
    text = path.read_text()
    path.write_text(PROSE_EDIT_RE.sub(f"{PROSE_EDIT_FROM[:-1]}, retouched {number}.", text, 1))


def _build(site: Path, *, memo: bool) -> float:
    if not memo:
        for name in ("build-memo.json", "search-index.digest"):
            (site / ".lemma-cache" / name).unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "lemma", "build", "-q"],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    site: Path = args.site.resolve()
    posts = sorted((site / "posts").glob("*.md"))
    target = posts[len(posts) // 2]
    original = target.read_text()
    result: dict[str, object] = {"posts": len(posts)}
    try:
        from lemma.config import load_config
        from lemma.memos import Memos
        from lemma.pipeline import assemble_site

        config = replace(load_config(site), serve_mode=True, search=False)
        memos = Memos()
        assemble_site(config, memos)  # the first build
        times = []
        for run in range(args.runs):
            _edit(target, run)
            started = time.perf_counter()
            assembly = assemble_site(config, memos)
            times.append(time.perf_counter() - started)
            assert not [r for r in assembly.runs.values() if not r.from_cache]
        result["serve_prose_s"] = round(statistics.median(times), 3)

        for memo in (True, False):
            suffix = "" if memo else "_no_memo"
            _build(site, memo=True)  # settle: the memo and index match the current posts
            warm = [_build(site, memo=memo) for _ in range(args.runs)]
            prose = []
            for run in range(args.runs):
                _edit(target, 100 + run)
                prose.append(_build(site, memo=memo))
            result[f"build_warm{suffix}_s"] = round(statistics.median(warm), 3)
            result[f"build_prose{suffix}_s"] = round(statistics.median(prose), 3)
    finally:
        target.write_text(original)
    result["load"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
