"""Issue 16's measurement: Lemma, the two floors and MkDocs + markdown-exec, interleaved.

    python bench/install_peers.py mkdocs        # once
    python bench/interleaved.py                 # 100 posts, 5 rounds (about 15 minutes, 2 cores)
    python bench/interleaved.py --posts 20 --rounds 1 --out /tmp/smoke.md   # a smoke test

Every round runs each command once, in this order, so that a change in the machine's load falls
on all of them alike: Lemma cold; MkDocs + markdown-exec cold; the one-warm-interpreter floor
(floor.py: every snippet in one process, no isolation); the fork-per-post floor (fork_floor.py:
numpy and matplotlib preloaded and warmed up with one figure, one bare fork per post, as many at
a time as there are cores); then Lemma with nothing changed (plain, then with flags that change
how a build runs but not what it writes), after a prose edit and after a code edit. The load
average is logged before every command; CPU is summed over the command's whole process tree (the
RUSAGE_CHILDREN of a wrapper process); memory is the peak of the tree's summed PSS. Medians and
per-round ratios go to bench/RESULTS-interleaved.md (or --out), the samples to
bench/_work/interleaved.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from run import (  # noqa: E402
    CORES,
    REPO,
    TOOLS,
    WORK,
    edit_code,
    edit_prose,
    measure,
    prepare_site,
    site_folder,
)

SAMPLES_JSON = WORK / "interleaved.json"
CACHE = ".lemma-cache"
_POST_TIME = re.compile(r"^slowest: \S+ ([0-9.]+) s", re.MULTILINE)
RESULTS_MD = BENCH / "RESULTS-interleaved.md"


@dataclass(frozen=True)
class Command:
    name: str
    label: str
    argv: Callable[[Path], list[str]]  # from the site's folder (n100/)
    folder: str  # where it runs, under the site's folder
    prepare: Callable[[Path], None]  # before the command: clean or edit


# Flags that change how a build runs, not what it writes: the build after one with none of them
# must still find nothing to do (issue 16: "the memo survives flags that do not change output").
OTHER_FLAGS = ["--strict", "--keep-going", "--jobs", "1"]


def _clean(*names: str) -> Callable[[Path], None]:
    def clean(folder: Path) -> None:
        for name in names:
            shutil.rmtree(folder / name, ignore_errors=True)

    return clean


def _nothing(folder: Path) -> None:
    pass


def commands(edited: str, rounds: list[int]) -> list[Command]:
    lemma = [sys.executable, "-m", "lemma", "build"]
    mkdocs = TOOLS["mkdocs"]

    def prose(folder: Path) -> None:
        edit_prose(folder / edited, rounds[0])

    def code(folder: Path) -> None:
        edit_code(folder / edited)

    floor = str(BENCH / "floor.py")
    fork = str(BENCH / "fork_floor.py")
    snippets = "floor/snippets.json"
    return [
        Command("lemma_cold", "Lemma, cold", lambda s: lemma, "lemma", _clean("_site", CACHE)),
        Command(
            "mkdocs_cold",
            "MkDocs + markdown-exec, cold",
            lambda s: mkdocs.command(s / "mkdocs"),
            "mkdocs",
            _clean("site"),
        ),
        Command(
            "floor_one",
            "floor: one warm interpreter",
            lambda s: [sys.executable, floor, str(s / snippets)],
            "floor",
            _nothing,
        ),
        Command(
            "floor_fork",
            f"floor: a bare fork per post, {CORES} at a time",
            lambda s: [sys.executable, fork, str(s / snippets), "--jobs", str(CORES)],
            "floor",
            _nothing,
        ),
        Command("lemma_noop", "Lemma, nothing changed", lambda s: lemma, "lemma", _nothing),
        Command(
            "lemma_flags",
            "Lemma, nothing changed, other flags",
            lambda s: [*lemma, *OTHER_FLAGS],
            "lemma",
            _nothing,
        ),
        Command("lemma_prose", "Lemma, one prose edit", lambda s: lemma, "lemma", prose),
        Command("lemma_code", "Lemma, one code edit", lambda s: lemma, "lemma", code),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=RESULTS_MD)
    args = parser.parse_args(argv)
    expected = prepare_site(args.posts)
    site = site_folder(args.posts)
    slugs = list(expected)
    edited = expected[slugs[len(slugs) // 2]]["lemma_file"]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed Lemma has its bytecode compiled
    rounds = [0]
    samples: dict[str, list[dict[str, Any]]] = {}
    for round_number in range(args.rounds):
        rounds[0] = round_number
        for command in commands(edited, rounds):
            folder = site / command.folder
            command.prepare(folder)
            run_env = TOOLS["mkdocs"].env() if command.name == "mkdocs_cold" else env
            measured = measure(command.argv(site), folder, run_env)
            sample: dict[str, Any] = {
                "seconds": round(measured.seconds, 3),
                "cpu_s": round(measured.cpu_s, 2),
                "peak_mb": round(measured.peak_mb, 1),
                "load": round(measured.load_before, 2),
                "rc": measured.returncode,
            }
            if command.name == "floor_one" and measured.returncode == 0:
                sample["floor"] = json.loads(measured.stdout.strip().splitlines()[-1])
            post_time = _POST_TIME.search(measured.stdout)
            if command.name == "lemma_code" and post_time:
                sample["post_s"] = float(post_time.group(1))  # the edited post's own run
            if measured.returncode != 0:
                sample["error"] = (measured.stderr or measured.stdout)[-800:]
            samples.setdefault(command.name, []).append(sample)
            print(
                f"round {round_number + 1}/{args.rounds} {command.label:<42} "
                f"{measured.seconds:7.2f} s  cpu {measured.cpu_s:6.2f} s  "
                f"load {measured.load_before:.2f}  rc {measured.returncode}",
                flush=True,
            )
    SAMPLES_JSON.parent.mkdir(parents=True, exist_ok=True)
    SAMPLES_JSON.write_text(json.dumps(samples, indent=1))
    args.out.write_text(report(samples, args.posts, args.rounds, commands(edited, rounds)))
    print(f"wrote {args.out}")
    return 0


def _median(samples: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(s[key] for s in samples))


def _ratio(
    samples: dict[str, list[dict[str, Any]]], top: str, bottom: Callable[[int], float]
) -> str:
    """The median of the per-round ratios top / bottom (each round's own pair)."""
    ratios = [s["seconds"] / bottom(i) for i, s in enumerate(samples[top]) if bottom(i) > 0]
    return f"{statistics.median(ratios):.2f}×" if ratios else "–"


def _code_target(group: list[dict[str, Any]]) -> str:
    """The post's own run + 0.3 s, with the post's run as Lemma reported it."""
    runs = [s["post_s"] for s in group if "post_s" in s]
    if not runs:
        return "the post's own run + 0.3 s"
    own = statistics.median(runs)
    return f"≤ {own + 0.3:.2f} s (its run: {own:.2f} s, + 0.3 s)"


def report(
    samples: dict[str, list[dict[str, Any]]], posts: int, rounds: int, listed: list[Command]
) -> str:
    def floor_per_core(i: int) -> float:
        return float(samples["floor_one"][i]["floor"]["total_s"]) / CORES

    def seconds(name: str) -> Callable[[int], float]:
        return lambda i: float(samples[name][i]["seconds"])

    loads = [s["load"] for group in samples.values() for s in group]
    versions = ", ".join(
        f"{name} {version(name)}" for name in ("matplotlib", "numpy", "markdown-it-py", "pagefind")
    )
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    lines = [
        "# Lemma against the floors and MkDocs, interleaved",
        "",
        "Generated by `bench/interleaved.py` (see its docstring); do not edit by hand.",
        "",
        f"- {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Lemma at {commit}; {posts} generated posts, "
        f"{rounds} rounds, each command once per round in the order below",
        f"- {CORES} cores, Python {platform.python_version()}; {versions}",
        f"- load average before the commands: median {statistics.median(loads):.2f}, "
        f"from {min(loads):.2f} to {max(loads):.2f}",
        "",
        "| command | median wall | median CPU (whole tree) | peak PSS (whole tree) |",
        "|---|---:|---:|---:|",
    ]
    for command in listed:
        group = samples[command.name]
        lines.append(
            f"| {command.label} | {_median(group, 'seconds'):.2f} s | "
            f"{_median(group, 'cpu_s'):.2f} s | {_median(group, 'peak_mb'):.0f} MB |"
        )
    floor = samples["floor_one"]
    svg = statistics.median(float(s["floor"]["svg_s"]) for s in floor)
    total = statistics.median(float(s["floor"]["total_s"]) for s in floor)
    lines += [
        "",
        f"The one-interpreter floor's own clock (imports excluded): {total:.2f} s, of which "
        f"{svg:.2f} s matplotlib writing SVG; ÷ {CORES} cores = {total / CORES:.2f} s.",
        "",
        "Ratios, each the median of the rounds' own ratios (< 1 means Lemma is faster):",
        "",
        "| ratio | median | target (issue 16) |",
        "|---|---:|---:|",
        f"| Lemma cold ÷ (one-interpreter floor ÷ cores) | "
        f"{_ratio(samples, 'lemma_cold', floor_per_core)} | ≤ 1.3× |",
        f"| Lemma cold ÷ fork-per-post floor | "
        f"{_ratio(samples, 'lemma_cold', seconds('floor_fork'))} | ≤ 1.1× |",
        f"| Lemma cold ÷ MkDocs + markdown-exec cold | "
        f"{_ratio(samples, 'lemma_cold', seconds('mkdocs_cold'))} | ≤ 0.5× |",
        "",
        "Rebuilds, median wall against the issue's targets:",
        "",
        "| rebuild | median | target |",
        "|---|---:|---:|",
        f"| nothing changed | {_median(samples['lemma_noop'], 'seconds'):.2f} s | ≤ 0.3 s |",
        f"| nothing changed, `{' '.join(OTHER_FLAGS)}` | "
        f"{_median(samples['lemma_flags'], 'seconds'):.2f} s | ≤ 0.3 s |",
        f"| one prose edit | {_median(samples['lemma_prose'], 'seconds'):.2f} s | ≤ 0.5 s |",
        f"| one code edit | {_median(samples['lemma_code'], 'seconds'):.2f} s | "
        f"{_code_target(samples['lemma_code'])} |",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
