"""Write bench/RESULTS.md from bench/_work/results.json (run.py calls this after every measurement).

    python bench/report.py        # rewrite RESULTS.md from the stored results

The hand-written analysis in bench/ANALYSIS.md (where Lemma's time goes, what was optimised) is
included as it stands.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
SCENARIO_LABELS = {
    "cold": "cold build",
    "warm": "warm rebuild",
    "prose": "prose edit",
    "code": "code edit",
}
TOOL_ORDER = ("lemma", "mkdocs", "jupyter", "pelican", "hugo")
LABELS = {
    "lemma": "Lemma",
    "mkdocs": "MkDocs + markdown-exec",
    "jupyter": "Jupyter nbconvert --execute",
    "pelican": "Pelican (render only)",
    "hugo": "Hugo (render only)",
}
EXECUTES = {"lemma": True, "mkdocs": True, "jupyter": True, "pelican": False, "hugo": False}


def _seconds(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 1:
        return f"{value * 1000:.0f} ms"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "–"
    r = a / b
    return f"{r:.2f}×" if r < 10 else f"{r:.0f}×"


def _sizes(measurements: dict[str, Any]) -> list[int]:
    return sorted({int(k.split("/")[1]) for k in measurements})


def _get(measurements: dict[str, Any], key: str) -> dict[str, Any] | None:
    return measurements.get(key)


def _median(measurements: dict[str, Any], key: str) -> float | None:
    m = measurements.get(key)
    return m["median_s"] if m else None


def _cell(m: dict[str, Any] | None) -> str:
    if m is None:
        return "–"
    text = _seconds(m["median_s"])
    if m.get("runs", 1) != 3:
        text += f" ({m['runs']} run{'s' if m['runs'] != 1 else ''})"
    if not m.get("ok", True):
        text += " **FAILED**"
    return text


def _check(tool: str, m: dict[str, Any] | None) -> str:
    if m is None or m.get("check") is None:
        return "–"
    c = m["check"]
    if c["ok"]:
        return "all prints and figures found" if EXECUTES[tool] else "all pages written"
    parts = [
        f"{c[k]} {k.replace('missing_', '')} missing"
        for k in ("missing_pages", "missing_prints", "missing_figures")
        if c[k]
    ]
    return "**FLAGGED**: " + ", ".join(parts)


def _executed(m: dict[str, Any] | None) -> str:
    if not m:
        return ""
    samples = [s for s in m.get("samples", []) if "executed" in s]
    if not samples:
        return ""
    s = samples[-1]
    return f"{s['executed']} executed / {s['from_cache']} cached"


def size_table(ms: dict[str, Any], notes: dict[str, str], size: int) -> list[str]:
    lines = [
        f"### {size} posts",
        "",
        "| tool | cold build | warm rebuild | prose edit | code edit | peak memory (cold) | "
        "execution check |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for tool in TOOL_ORDER:
        cold = _get(ms, f"{tool}/{size}/cold")
        if cold is None:
            note = notes.get(f"{tool}/{size}")
            if note:
                lines.append(f"| {LABELS[tool]} | {note} | | | | | |")
            continue
        cells = [
            _cell(_get(ms, f"{tool}/{size}/{s}"))
            if _get(ms, f"{tool}/{size}/{s}") or f"{tool}/{size}/{s}" not in notes
            else "= cold (no cache)"
            for s in ("cold", "warm", "prose", "code")
        ]
        peak = f"{cold['peak_mb']:.0f} MB"
        lines.append(
            f"| {LABELS[tool]} | " + " | ".join(cells) + f" | {peak} | "
            f"{_check(tool, _get(ms, f'{tool}/{size}/code') or cold)} |"
        )
    warm = _get(ms, f"floor-warm/{size}")
    proc = _get(ms, f"floor-process/{size}")
    if warm:
        cores = _cores(ms)
        lines.append(
            f"| floor: one warm interpreter | {_seconds(warm['median_s'])} "
            f"(÷{cores} cores = {_seconds(warm['median_s'] / cores)}; SVG writing "
            f"{_seconds(warm['svg_s'])}) | | | | | |"
        )
    if proc:
        lines.append(
            f"| floor: fresh `python` per post, {proc['processes']} processes | "
            f"{_seconds(proc['median_s'])} | | | | | |"
        )
    lines.append("")
    lemma = {s: _median(ms, f"lemma/{size}/{s}") for s in SCENARIO_LABELS}
    if lemma["cold"] is not None:
        lines += [
            "Ratios (how many times longer the other takes than Lemma; > 1 means Lemma is faster):",
            "",
        ]
        lines.append("| vs | cold build | warm rebuild | prose edit | code edit |")
        lines.append("|---|---:|---:|---:|---:|")
        for tool in TOOL_ORDER[1:]:
            if _get(ms, f"{tool}/{size}/cold") is None:
                continue
            cells = [_ratio(_median(ms, f"{tool}/{size}/{s}"), lemma[s]) for s in SCENARIO_LABELS]
            lines.append(f"| {LABELS[tool]} | " + " | ".join(cells) + " |")
        if warm:
            per_core = warm["median_s"] / _cores(ms)
            lines.append(
                f"| floor ÷ cores (Lemma ÷ floor) | {_ratio(lemma['cold'], per_core)} "
                "(Lemma is this many times the floor) | | | |"
            )
        if proc:
            lines.append(
                f"| fresh `python` per post (Lemma ÷ it) | "
                f"{_ratio(lemma['cold'], proc['median_s'])} | | | |"
            )
        executed = [
            f"{SCENARIO_LABELS[s]}: {_executed(_get(ms, f'lemma/{size}/{s}'))}"
            for s in SCENARIO_LABELS
            if _executed(_get(ms, f"lemma/{size}/{s}"))
        ]
        if executed:
            lines += ["", "Lemma's own summary line: " + "; ".join(executed) + "."]
        lines.append("")
    return lines


def _cores(ms: dict[str, Any]) -> int:
    return int(_MACHINE.get("cores", 2))


_MACHINE: dict[str, Any] = {}


def targets(ms: dict[str, Any]) -> list[str]:
    def row(target: str, measured: float | None, limit: float | None, shown: str = "") -> str:
        if measured is None or limit is None:
            return f"| {target} | not measured | |"
        ok = "met" if measured <= limit else "**not met**"
        return f"| {target} | {shown or _seconds(measured)} | {ok} |"

    cores = _cores(ms)
    warm100 = _get(ms, "floor-warm/100")
    proc100 = _median(ms, "floor-process/100")
    cold100 = _median(ms, "lemma/100/cold")
    lines = ["| target (2 cores) | measured | |", "|---|---|---|"]
    if warm100 and cold100:
        limit = 1.3 * warm100["median_s"] / cores
        lines.append(
            row(
                "cold, 100 posts: ≤ 1.3 × floor ÷ cores",
                cold100,
                limit,
                f"{_seconds(cold100)} = {cold100 / (warm100['median_s'] / cores):.2f} × "
                "floor ÷ cores",
            )
        )
    else:
        lines.append(row("cold, 100 posts: ≤ 1.3 × floor ÷ cores", None, None))
    mk = _median(ms, "mkdocs/100/cold")
    lines.append(
        row(
            "cold, 100 posts: ≥ 2× faster than MkDocs + markdown-exec",
            cold100,
            mk / 2 if mk else None,
            f"{mk / cold100:.1f}× faster" if mk and cold100 else "",
        )
    )
    nb = _median(ms, "jupyter/100/cold")
    lines.append(
        row(
            "cold, 100 posts: ≥ 10× faster than nbconvert",
            cold100,
            nb / 10 if nb else None,
            f"{nb / cold100:.1f}× faster" if nb and cold100 else "",
        )
    )
    lines.append(
        row(
            "cold, 100 posts: ≤ 0.5 × fresh python per post (issue 3)",
            cold100,
            proc100 / 2 if proc100 else None,
            f"{cold100 / proc100:.2f} ×" if proc100 and cold100 else "",
        )
    )
    warm = _median(ms, "lemma/100/warm")
    lines.append(row("warm rebuild, 100 posts: < 0.5 s", warm, 0.5))
    lines.append(row("warm rebuild, 100 posts: < 1.5 s and executes nothing (issue 3)", warm, 1.5))
    warm500 = _median(ms, "lemma/500/warm")
    lines.append(row("warm rebuild, 500 posts: < 2 s", warm500, 2.0))
    hugo500 = _median(ms, "hugo/500/cold")
    lines.append(
        row(
            "warm rebuild, 500 posts: faster than Hugo's full build",
            warm500,
            hugo500,
            f"{_seconds(warm500)} vs Hugo {_seconds(hugo500)}" if warm500 and hugo500 else "",
        )
    )
    lines.append(row("prose edit, 500 posts: < 0.3 s", _median(ms, "lemma/500/prose"), 0.3))
    peak = _get(ms, "lemma/500/cold")
    lines.append(
        row(
            "peak memory, 500-post cold build: < 1 GB",
            peak["peak_mb"] if peak else None,
            1024.0,
            f"{peak['peak_mb']:.0f} MB" if peak else "",
        )
    )
    return lines


def scale(ms: dict[str, Any]) -> list[str]:
    def key(n: int) -> str:  # --scale's own rows (lemma-scale/N), else the comparison's
        return "lemma-scale" if _get(ms, f"lemma-scale/{n}/cold") else "lemma"

    sizes = [n for n in (100, 500, 2000) if _get(ms, f"{key(n)}/{n}/cold")]
    if not sizes:
        return ["Not measured yet (`python bench/run.py --scale`)."]
    lines = [
        "| posts | cold | per post | warm | per post | prose edit | peak memory (cold) | runs |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        k = key(n)
        cold = _median(ms, f"{k}/{n}/cold") or 0
        warm = _median(ms, f"{k}/{n}/warm")
        prose = _median(ms, f"{k}/{n}/prose")
        peak = ms[f"{k}/{n}/cold"]["peak_mb"]
        runs = ms[f"{k}/{n}/cold"].get("runs", 1)
        flag = "" if ms[f"{k}/{n}/cold"].get("ok", True) else " **FLAGGED**"
        lines.append(
            f"| {n} | {_seconds(cold)}{flag} | {cold / n * 1000:.0f} ms | {_seconds(warm)} | "
            f"{(warm or 0) / n * 1000:.1f} ms | {_seconds(prose)} | {peak:.0f} MB | {runs} |"
        )
    return lines


def readme_section(ms: dict[str, Any]) -> list[str]:
    size = 100
    lemma = {s: _median(ms, f"lemma/{size}/{s}") for s in SCENARIO_LABELS}
    if lemma["cold"] is None:
        return ["Not measured yet."]
    warm = _get(ms, f"floor-warm/{size}")
    proc = _get(ms, f"floor-process/{size}")
    lines = [
        "## Speed",
        "",
        f"100 generated math posts (numpy, 1-2 matplotlib figures each), "
        f"{_cores(ms)}-core machine, "
        "median of 3 runs (1 run for nbconvert and for MkDocs' rebuilds); from "
        "[bench/RESULTS.md](bench/RESULTS.md) (`python bench/run.py`).",
        "",
        "| 100 posts | cold build | warm rebuild | prose edit | code edit |",
        "|---|---:|---:|---:|---:|",
        "| **Lemma** | " + " | ".join(f"**{_seconds(lemma[s])}**" for s in SCENARIO_LABELS) + " |",
    ]
    for tool in TOOL_ORDER[1:]:
        vals = {s: _median(ms, f"{tool}/{size}/{s}") for s in SCENARIO_LABELS}
        if vals["cold"] is None:
            continue
        cells = [
            f"{_seconds(vals[s])} ({_ratio(vals[s], lemma[s])})" if vals[s] else "–"
            for s in SCENARIO_LABELS
        ]
        lines.append(f"| {LABELS[tool]} | " + " | ".join(cells) + " |")
    if proc:
        lines.append(
            f"| a fresh `python` per post ({proc['processes']} processes) | "
            f"{_seconds(proc['median_s'])} ({_ratio(proc['median_s'], lemma['cold'])}) "
            "| | | |"
        )
    if warm:
        per_core = warm["median_s"] / _cores(ms)
        lines.append(
            f"| floor: one warm interpreter ÷ {_cores(ms)} cores | {_seconds(per_core)} "
            f"(Lemma = {_ratio(lemma['cold'], per_core)} of it) | | | |"
        )
    lines += [
        "",
        "In brackets: how many times longer than Lemma. Pelican and Hugo render without executing "
        "anything; MkDocs and nbconvert have no cache and execute every post on every build "
        "(nbconvert: one run, its rebuilds cost what its cold build costs).",
    ]
    loads = {t: _load_median(ms, f"{t}/{size}/") for t in ("lemma", "mkdocs")}
    lemma_load, peer_load = loads["lemma"], loads["mkdocs"]
    if lemma_load is not None and peer_load is not None and abs(lemma_load - peer_load) >= 0.5:
        lines += [
            "",
            f"Load average during the runs: Lemma {lemma_load:.1f}, the peers "
            f"{peer_load:.1f} (measured at different times on a shared machine; "
            "see bench/RESULTS.md).",
        ]
    lines += ["", "Targets (issue 6; 2 cores, 100 posts unless stated):", "", *targets(ms)]
    return lines


def _load_median(ms: dict[str, Any], prefix: str) -> float | None:
    loads = [
        x
        for k, m in ms.items()
        if k.startswith(prefix)
        for x in (m.get("load") if isinstance(m.get("load"), list) else [m.get("load")])
        if x is not None
    ]
    return sorted(loads)[len(loads) // 2] if loads else None


def write_report(results: dict[str, Any], path: Path) -> None:
    ms = results.get("measurements", {})
    notes = results.get("notes", {})
    machine = results.get("machine", {})
    _MACHINE.clear()
    _MACHINE.update(machine)
    lines = [
        "# Lemma benchmark results",
        "",
        "Generated by `bench/run.py` (see its docstring); do not edit by hand: the analysis comes "
        "from `bench/ANALYSIS.md`. Times are wall-clock medians; *peak memory* is the summed "
        "PSS of "
        "the build's whole process tree, sampled every 0.2 s.",
        "",
        "## Machine",
        "",
        f"- {machine.get('cores')} cores ({machine.get('cpu')}), "
        f"{machine.get('memory_gb')} GB memory, "
        f"{machine.get('platform')}",
        f"- Python {machine.get('python')}; "
        + ", ".join(f"{k} {v}" for k, v in machine.get("packages", {}).items()),
        f"- Lemma at {machine.get('lemma_commit')}",
    ]
    for peer, packages in machine.get("peers", {}).items():
        shown = ", ".join(packages) if isinstance(packages, list) else packages
        lines.append(f"- {peer}: {shown}")
    lines += [
        "- Load: the machine is shared with other engineers' test runs; the load average before "
        "each build is stored with every sample in `bench/_work/results.json` and summarised "
        "below.",
        "",
        "Commands run: " + "; ".join(f"`{c}`" for c in results.get("commands", [])),
        "",
        "## Results",
        "",
    ]
    sizes = [
        n
        for n in _sizes(ms)
        if any(
            k.startswith(("mkdocs/", "hugo/", "floor")) and k.split("/")[1] == str(n) for k in ms
        )
    ]
    for size in sizes:
        lines += size_table(ms, notes, size)
    groups: dict[str, list[float]] = {"Lemma and the floors": [], "the peers": []}
    for k, m in ms.items():
        value = m.get("load")
        group = "Lemma and the floors" if k.startswith(("lemma", "floor")) else "the peers"
        groups[group] += value if isinstance(value, list) else [value] if value is not None else []
    shown = [
        f"{name}: median {sorted(ls)[len(ls) // 2]:.1f}, max {max(ls):.1f}"
        for name, ls in groups.items()
        if ls
    ]
    if shown:
        lines += [
            f"Load average before the builds (on {machine.get('cores')} cores), "
            + "; ".join(shown)
            + ".",
            "",
        ]
    floors = [m for k, m in ms.items() if k.startswith("floor-warm/")]
    fig = max(floors, key=lambda m: m["figures"]) if floors else None  # the most figures
    if fig:
        lines += [
            "## Figure encoding",
            "",
            "Per matplotlib figure in these posts (from the warm-interpreter floor, "
            f"{fig['figures']} "
            "figures): "
            f"SVG {fig['svg_ms_per_figure']} ms and {fig['svg_kb_per_figure']} KB; PNG at 2× "
            f"{fig['png_2x_ms_per_figure']} ms and {fig['png_2x_kb_per_figure']} KB. SVG writing "
            f"is {100 * fig['svg_s'] / fig['total_s']:.0f}% of the floor.",
            "",
        ]
    lines += ["## Targets", "", *targets(ms), ""]
    lines += ["## Scale: Lemma alone", "", *scale(ms), ""]
    for size, inc in sorted(results.get("incremental", {}).items()):
        lines += [
            f"## Incremental rebuilds, {size} posts (`python bench/incremental.py`)",
            "",
            "| | with the build memo | without (Lemma before it) |",
            "|---|---:|---:|",
            f"| `lemma build`, nothing changed | {_seconds(inc['build_warm_s'])} | "
            f"{_seconds(inc['build_warm_no_memo_s'])} |",
            f"| `lemma build` after a prose edit | {_seconds(inc['build_prose_s'])} | "
            f"{_seconds(inc['build_prose_no_memo_s'])} |",
            f"| `lemma serve` rebuild after a prose edit (in memory, no search index) | "
            f"{_seconds(inc['serve_prose_s'])} | {_seconds(inc.get('serve_prose_s_before'))} |",
            "",
            f"Load average {inc['load']}. {inc.get('note', '')}",
            "",
        ]
    lines += [
        "## README section (ready to paste)",
        "",
        "```markdown",
        *readme_section(ms),
        "```",
        "",
    ]
    analysis = BENCH / "ANALYSIS.md"
    if analysis.exists():
        lines += [analysis.read_text().rstrip(), ""]
    path.write_text("\n".join(lines))


def main() -> int:
    results = json.loads((BENCH / "_work" / "results.json").read_text())
    write_report(results, BENCH / "RESULTS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
