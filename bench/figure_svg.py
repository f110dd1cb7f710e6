"""SVG bytes and write time per figure under matplotlib's SVG options, run interleaved.

    python bench/figure_svg.py [ROUNDS]

Draws figures like the ones bench/generate.py's posts draw (a loss curve, several lines, a
log-log error plot, a histogram, a scatter) and saves each as SVG under each option, round by
round (A, B, C, A, B, C, ...), so a load change on the shared machine hits every option alike.
Prints the load average before each round, and per figure and option the bytes and the median
`savefig` time, with the ratio to today's settings.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

import matplotlib

matplotlib.use("agg")
matplotlib.rcParams["figure.max_open_warning"] = 0  # one copy of each figure per option
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

# Today's settings are lemma.execute.figures.FigureStore.save's.
BASE: dict[str, Any] = {"svg.hashsalt": "lemma"}
OPTIONS: dict[str, dict[str, Any]] = {
    "today (paths)": {},
    "fonttype none": {"svg.fonttype": "none"},
    "simplify 0.5 px": {"path.simplify_threshold": 0.5},
    "simplify 1.0 px": {"path.simplify_threshold": 1.0},
    "none + simplify 1.0": {"svg.fonttype": "none", "path.simplify_threshold": 1.0},
}
# A path takes its simplification threshold when it is created, so each option draws its own
# copy of every figure with the option in force (setting it at savefig time changes nothing).


def _loss_curve(rng: np.random.Generator) -> Any:
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.semilogy(np.exp(-np.arange(300) / 60) + rng.random(300) * 1e-3)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title("Loss curve (post 1, figure 1)")
    return fig


def _step_sizes(rng: np.random.Generator) -> Any:
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for lr in (0.01, 0.05, 0.1, 0.2):
        ax.plot(np.cumsum(rng.normal(-lr, 0.05, 200)), label=f"lr = {lr}")
    ax.legend()
    ax.set_title("Step sizes (post 1, figure 2)")
    return fig


def _loglog(rng: np.random.Generator) -> Any:
    counts = np.arange(1, 20001)
    running = 4 * np.cumsum(rng.random(20000) ** 2 + rng.random(20000) ** 2 < 1) / counts
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.loglog(counts[::10], np.abs(running - np.pi)[::10])
    ax.loglog(counts[::10], 1 / np.sqrt(counts[::10]), "--")
    ax.set_title("Monte Carlo error (post 2, figure 1)")
    return fig


def _histogram(rng: np.random.Generator) -> Any:
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(rng.normal(size=300), bins=30)
    ax.set_title("Batch means (post 2, figure 2)")
    return fig


def _scatter(rng: np.random.Generator) -> Any:
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.scatter(rng.normal(size=500), rng.normal(size=500), s=6)
    ax.set_title("Samples (post 3, figure 1)")
    return fig


FIGURES: dict[str, Callable[[np.random.Generator], Any]] = {
    "loss curve": _loss_curve,
    "4 lines + legend": _step_sizes,
    "log-log 2000 pts": _loglog,
    "histogram": _histogram,
    "scatter 500": _scatter,
}


def save_svg(fig: Any, settings: Mapping[str, Any]) -> tuple[int, float]:
    buffer = io.BytesIO()
    with matplotlib.rc_context({**BASE, **settings}):
        started = time.perf_counter()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        elapsed = time.perf_counter() - started
    return len(buffer.getvalue()), elapsed


def main(rounds: int) -> None:
    figures: dict[tuple[str, str], Any] = {}
    for option, settings in OPTIONS.items():
        with matplotlib.rc_context(settings):
            for name, make in FIGURES.items():
                figures[name, option] = make(np.random.default_rng(7))
    for fig in figures.values():
        save_svg(fig, {})  # warm up: font loading and the first draw are not per-figure costs
    sizes: dict[tuple[str, str], int] = {}
    times: dict[tuple[str, str], list[float]] = {}
    for number in range(rounds):
        print(f"round {number + 1}: load {os.getloadavg()[0]:.2f}", file=sys.stderr)
        for figure in FIGURES:
            for option, settings in OPTIONS.items():
                size, elapsed = save_svg(figures[figure, option], settings)
                sizes[figure, option] = size
                times.setdefault((figure, option), []).append(elapsed)
    print(f"matplotlib {matplotlib.__version__}, {rounds} interleaved rounds, median savefig time")
    print("| figure | option | SVG bytes | bytes ratio | ms | time ratio |")
    print("|---|---|---:|---:|---:|---:|")
    for figure in FIGURES:
        base_size = sizes[figure, "today (paths)"]
        base_time = statistics.median(times[figure, "today (paths)"])
        for option in OPTIONS:
            size = sizes[figure, option]
            median = statistics.median(times[figure, option])
            print(
                f"| {figure} | {option} | {size:,} | {size / base_size:.2f} "
                f"| {median * 1000:.1f} | {median / base_time:.2f} |"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
