"""Two Lemma checkouts built in turn (A, B, A, B, ...): wall time and CPU of the whole process tree.

    python bench/generate.py 100 /tmp/b100
    python bench/cold_ab.py /tmp/b100/lemma OLD_CHECKOUT/src src --rounds 5
    python bench/cold_ab.py /tmp/b100/lemma OLD_CHECKOUT/src src --rounds 5 --warm

Each checkout builds its own copy of the site. Cold (the default): every build starts with no
_site/ and no .lemma-cache/. --warm: one cold build first, then each measured build changes
nothing. The 1-minute load average is logged before each build. CPU is user + system time of
every process of the build, the fork server and the posts' processes included: the build runs
under a small wrapper that is a child subreaper (Linux), so that processes which outlive their
parent are waited for by it, and its RUSAGE_CHILDREN covers all of them.

Prints one line per build, then the medians and the median of each round's B/A ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

WRAPPER = """
import ctypes, json, os, resource, subprocess, sys, time
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: orphans are waited for here
started = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
wall = time.perf_counter() - started
while True:  # the fork server may outlive the build by a moment: wait for every descendant
    try:
        os.wait()
    except ChildProcessError:
        break
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "code": code}))
"""


def build(site: Path, src: Path, cold: bool) -> dict[str, float]:
    if cold:
        shutil.rmtree(site / "_site", ignore_errors=True)
        shutil.rmtree(site / ".lemma-cache", ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(src.resolve())
    load = os.getloadavg()[0]
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, sys.executable, "-m", "lemma", "build", "-q"],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise SystemExit(f"the build failed in {site}:\n{done.stderr}")
    result["load"] = load
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("site", type=Path, help="a generated site's lemma/ folder")
    parser.add_argument("a", type=Path, help="checkout A's src/ folder")
    parser.add_argument("b", type=Path, help="checkout B's src/ folder")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warm", action="store_true", help="rebuilds that change nothing")
    args = parser.parse_args()
    sites = {}
    for name in ("a", "b"):
        copy = args.site.parent / f"{args.site.name}-ab-{name}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(args.site / "posts", copy / "posts")
        shutil.copy2(args.site / "site.toml", copy / "site.toml")
        sites[name] = copy
        build(copy, getattr(args, name), cold=True)  # warm-up: .pyc files, the page cache
    rows: dict[str, list[dict[str, float]]] = {"a": [], "b": []}
    for round_ in range(1, args.rounds + 1):
        for name in ("a", "b"):
            row = build(sites[name], getattr(args, name), cold=not args.warm)
            rows[name].append(row)
            print(
                f"round {round_} {name.upper()}: wall {row['wall']:.2f} s, "
                f"cpu {row['cpu']:.2f} s, load before {row['load']:.2f}",
                flush=True,
            )
    for name in ("a", "b"):
        walls = [r["wall"] for r in rows[name]]
        cpus = [r["cpu"] for r in rows[name]]
        loads = [r["load"] for r in rows[name]]
        print(
            f"{name.upper()} median: wall {statistics.median(walls):.2f} s "
            f"(min {min(walls):.2f}, max {max(walls):.2f}), cpu {statistics.median(cpus):.2f} s, "
            f"load {statistics.median(loads):.2f}"
        )
    for figure in ("wall", "cpu"):
        ratios = [b[figure] / a[figure] for a, b in zip(rows["a"], rows["b"], strict=True)]
        print(
            f"B/A {figure}: median {statistics.median(ratios):.3f} "
            f"(min {min(ratios):.3f}, max {max(ratios):.3f})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
