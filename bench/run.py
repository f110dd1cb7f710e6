"""Benchmark Lemma against the tools a math blogger would otherwise use, on the same posts.

One command (about 20-25 minutes on a 2-core machine; the peers must be installed first, once):

    python bench/install_peers.py
    python bench/run.py                      # N = 20, 100, 500; median of 3 runs
    python bench/run.py --quick              # smoke test: N = 20, 1 run (about 3 minutes)
    python bench/run.py --baseline           # issue 3: Lemma vs a fresh python per post, N = 100
    python bench/run.py --scale              # Lemma alone at N = 100, 500, 2,000: per-post cost

For each size and tool: a cold build (no output, no cache), a warm rebuild with nothing changed, a
rebuild after one prose edit and one after one code edit (of the same post), the median of the runs,
the peak memory of the whole process tree, and a check that every printed line and every figure of
every post is in the tool's HTML (a tool that silently skipped work is flagged, never reported as
fast). Also the floor: the snippets run once in one warm interpreter (floor.py), and in a fresh
`python` process per post, on as many processes as there are cores.

Results accumulate in bench/_work/results.json (a later run replaces the numbers it measures again)
and are written to bench/RESULTS.md after every measurement, so partial results survive.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / "_work"
VENVS = WORK / "venvs"
RESULTS_JSON = WORK / "results.json"
RESULTS_MD = BENCH / "RESULTS.md"
CORES = os.cpu_count() or 1

sys.path.insert(0, str(BENCH))
from generate import CODE_EDIT_PATTERN, PROSE_EDIT_FROM, write_all  # noqa: E402

SCENARIOS = ("cold", "warm", "prose", "code")
PROSE_EDIT_RE = re.compile(re.escape(PROSE_EDIT_FROM[:-1]) + r"[^.]*\.")


# ---------------------------------------------------------------------------------------------
# Measuring one command: wall time and the peak memory of its whole process tree


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):  # noqa: PTH208  (sampled often: the cheapest call)
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as file:  # noqa: PTH123
                stat = file.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


def _pss_kb(pid: int) -> int:
    # PSS, not RSS: forked children share numpy's and matplotlib's pages with their parent, and
    # summing their RSS would count those pages once per child.
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as file:  # noqa: PTH123
            for line in file:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples the summed PSS of a process and all its descendants every `interval_s`."""

    def __init__(self, pid: int, interval_s: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval_s = interval_s
        self.peak_kb = 0
        self.peak_processes = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.sample()
            self._done.wait(self.interval_s)

    def sample(self) -> None:
        children = _children_map()
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, ()))
        total = sum(_pss_kb(pid) for pid in tree)
        self.peak_kb = max(self.peak_kb, total)
        self.peak_processes = max(self.peak_processes, len(tree))

    def stop(self) -> None:
        self._done.set()
        self.join()


@dataclass
class Measured:
    seconds: float
    peak_mb: float  # summed PSS of the process tree, sampled
    max_rss_mb: float  # the largest single process (getrusage of the wrapper's children)
    returncode: int
    cpu_s: float  # user + system time of the waited-for descendants
    stdout: str
    stderr: str
    load_before: float


def measure(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Measured:
    """Run `command` in a wrapper process, so that RUSAGE_CHILDREN covers only this command."""
    # The wrapper is a child subreaper: a process the command leaves behind (a fork server
    # whose parent exited first) is adopted by it and waited for, so that its CPU, and that of
    # the children it waited for, is counted; otherwise init reaps it and the CPU is lost.
    wrapper = (
        "import ctypes, json, os, resource, subprocess, sys, time\n"
        "ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:])\n"
        "t = time.perf_counter() - t\n"
        "while True:\n"
        "    try:\n"
        "        os.wait()\n"
        "    except ChildProcessError:\n"
        "        break\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'seconds': t, 'max_rss_kb': u.ru_maxrss,"
        " 'cpu_s': u.ru_utime + u.ru_stime,"
        " 'rc': p.returncode}), file=sys.stderr)\n"
    )
    load = os.getloadavg()[0]
    process = subprocess.Popen(
        [sys.executable, "-c", wrapper, *command],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    sampler = TreeSampler(process.pid)
    sampler.start()
    stdout, stderr = process.communicate()
    sampler.stop()
    lines = stderr.rstrip().splitlines()
    try:
        info = json.loads(lines[-1])
        stderr = "\n".join(lines[:-1])
    except (IndexError, json.JSONDecodeError):
        info = {"seconds": float("nan"), "max_rss_kb": 0, "cpu_s": 0, "rc": process.returncode}
    return Measured(
        seconds=info["seconds"],
        peak_mb=sampler.peak_kb / 1024,
        max_rss_mb=info["max_rss_kb"] / 1024,
        returncode=info["rc"],
        cpu_s=info["cpu_s"],
        stdout=stdout,
        stderr=stderr,
        load_before=load,
    )


# ---------------------------------------------------------------------------------------------
# The tools


def _venv_bin(peer: str) -> Path:
    return VENVS / peer / "bin"


def _hugo_binary() -> Path:
    # The `hugo` package's console script is a Python launcher; time the real binary instead.
    found = sorted((VENVS / "hugo").glob("lib/python*/site-packages/hugo/binaries/hugo"))
    return found[0] if found else _venv_bin("hugo") / "hugo"


@dataclass
class Tool:
    name: str
    label: str
    folder: str  # inside the generated site folder
    executes: bool
    incremental: str  # what a rebuild does, for the table's notes
    command: Callable[[Path], list[str]]
    clean: tuple[str, ...]  # removed for a cold build (relative to the tool's folder)
    source: Callable[[str, dict[str, Any]], str]  # post slug -> source file (relative)
    page: Callable[[str], str]  # post slug -> output page (relative)
    output_dir: str
    env: Callable[[], dict[str, str]] = field(default=lambda: dict(os.environ))
    max_posts: int = 10**9


def _lemma_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _jupyter_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{_venv_bin('jupyter')}{os.pathsep}{env['PATH']}"
    env.pop("PYTHONPATH", None)
    return env


def _peer_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env


JUPYTER_BUILD = (
    "set -e\njupytext --to ipynb --quiet notebooks/*.md\n"
    "jupyter nbconvert --execute --to html --output-dir html notebooks/*.ipynb 2>nbconvert.log\n"
)

TOOLS = {
    "lemma": Tool(
        "lemma",
        "Lemma",
        "lemma",
        True,
        "cache: executes only changed posts",
        lambda site: [sys.executable, "-m", "lemma", "build"],
        ("_site", ".lemma-cache"),
        lambda slug, exp: exp["lemma_file"],
        lambda slug: f"_site/posts/{slug}/index.html",
        "_site",
        env=_lemma_env,
    ),
    "mkdocs": Tool(
        "mkdocs",
        "MkDocs + markdown-exec",
        "mkdocs",
        True,
        "no cache: executes every post",
        lambda site: [str(_venv_bin("mkdocs") / "mkdocs"), "build", "--quiet"],
        ("site",),
        lambda slug, exp: f"docs/{slug}.md",
        lambda slug: f"site/{slug}/index.html",
        "site",
        env=_peer_env,
    ),
    "jupyter": Tool(
        "jupyter",
        "Jupyter nbconvert --execute",
        "jupyter",
        True,
        "no cache: executes every notebook",
        lambda site: ["bash", "-c", JUPYTER_BUILD],
        ("html",),
        lambda slug, exp: f"notebooks/{slug}.md",
        lambda slug: f"html/{slug}.html",
        "html",
        env=_jupyter_env,
        max_posts=100,
    ),
    "pelican": Tool(
        "pelican",
        "Pelican (render only)",
        "pelican",
        False,
        "full render",
        lambda site: [
            str(_venv_bin("pelican") / "pelican"),
            "content",
            "-s",
            "pelicanconf.py",
            "-o",
            "output",
            "--quiet",
        ],
        ("output", "cache", "__pycache__"),
        lambda slug, exp: f"content/{slug}.md",
        lambda slug: f"output/{slug}.html",
        "output",
        env=_peer_env,
    ),
    "hugo": Tool(
        "hugo",
        "Hugo (render only)",
        "hugo",
        False,
        "full render",
        lambda site: [str(_hugo_binary()), "--quiet", "-d", "public"],
        ("public", "resources", ".hugo_build.lock"),
        lambda slug, exp: f"content/posts/{slug}.md",
        lambda slug: f"public/posts/{slug}/index.html",
        "public",
        env=_peer_env,
    ),
}


# ---------------------------------------------------------------------------------------------
# The execution check

_DATA_SVG = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')
_DATA_PNG = re.compile(r'src="data:image/png;base64,')
_LOCAL_FIGURE = re.compile(r'src="([^"]+\.(?:svg|png))"')


def check_site(tool: Tool, folder: Path, expected: dict[str, Any]) -> dict[str, Any]:
    """Every printed line and every figure of every post, found in the tool's HTML."""
    missing_pages = missing_prints = missing_figures = 0
    examples: list[str] = []
    for slug, exp in expected.items():
        page = folder / tool.page(slug)
        try:
            text = page.read_text(encoding="utf-8", errors="replace")
        except OSError:
            missing_pages += 1
            examples.append(f"no page {tool.page(slug)}")
            continue
        if not tool.executes:
            continue
        haystack = [html.unescape(text)]
        for encoded in _DATA_SVG.findall(text):
            haystack.append(base64.b64decode(encoded).decode("utf-8", "replace"))
        for src in _LOCAL_FIGURE.findall(text):
            if src.startswith("data:"):
                continue
            path = re.sub(r"^(https?:)?//[^/]+", "", src).lstrip("/")
            candidate = folder / tool.output_dir / path
            if not candidate.is_file():
                candidate = (page.parent / src).resolve()
            if candidate.is_file():
                haystack.append(candidate.read_text(encoding="utf-8", errors="replace"))
        all_text = "\n".join(haystack)
        lost = [m for m in exp["prints"] if m not in all_text]
        missing_prints += len(lost)
        unseen = [m for m in exp["figures"] if m not in all_text]
        pngs = len(_DATA_PNG.findall(text))  # a PNG has no text to find: count it instead
        missing_figures += max(0, len(unseen) - pngs)
        if (lost or len(unseen) > pngs) and len(examples) < 3:
            examples.append(f"{slug}: missing {lost + unseen}")
    ok = missing_pages == missing_prints == missing_figures == 0
    return {
        "ok": ok,
        "missing_pages": missing_pages,
        "missing_prints": missing_prints,
        "missing_figures": missing_figures,
        "examples": examples,
    }


# ---------------------------------------------------------------------------------------------
# Results store


def load_results() -> dict[str, Any]:
    if RESULTS_JSON.exists():
        return json.loads(RESULTS_JSON.read_text())
    return {"measurements": {}, "notes": {}}


def save_results(results: dict[str, Any]) -> None:
    RESULTS_JSON.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_JSON.write_text(json.dumps(results, indent=1, sort_keys=True))
    from report import write_report

    write_report(results, RESULTS_MD)


def record(results: dict[str, Any], key: str, value: dict[str, Any]) -> None:
    value["when"] = datetime.now(UTC).isoformat(timespec="seconds")
    results["measurements"][key] = value
    save_results(results)


# ---------------------------------------------------------------------------------------------
# Benchmarks


def site_folder(size: int) -> Path:
    return WORK / "sites" / f"n{size}"


def prepare_site(size: int) -> dict[str, Any]:
    folder = site_folder(size)
    print(f"generating {size} posts into {folder.relative_to(REPO)}", flush=True)
    return write_all(size, folder)


def edit_prose(path: Path, run: int) -> None:
    text = path.read_text()
    new, count = PROSE_EDIT_RE.subn(f"{PROSE_EDIT_FROM[:-1]}, edited {run + 1} times.", text, 1)
    assert count == 1, f"no prose edit point in {path}"
    path.write_text(new)


def edit_code(path: Path) -> None:
    text = path.read_text()
    new, count = CODE_EDIT_PATTERN.subn(lambda m: f"n = {int(m.group(1)) + 1}", text, 1)
    assert count == 1, f"no code edit point in {path}"
    path.write_text(new)


def _lemma_summary(stdout: str) -> dict[str, int]:
    match = re.search(r"(\d+) executed, (\d+) from cache, (\d+) failed", stdout)
    if not match:
        return {}
    executed, cached, failed = (int(g) for g in match.groups())
    return {"executed": executed, "from_cache": cached, "failed": failed}


def bench_tool(
    results: dict[str, Any],
    tool: Tool,
    size: int,
    expected: dict[str, Any],
    runs: int,
    rebuild_runs: int,
    scenarios: Sequence[str] = SCENARIOS,
    key: str | None = None,
) -> None:
    folder = site_folder(size) / tool.folder
    slugs = list(expected)
    edited = slugs[len(slugs) // 2]
    source = folder / tool.source(edited, expected[edited])
    samples: dict[str, list[dict[str, Any]]] = {s: [] for s in scenarios}
    for run in range(runs):
        for scenario in scenarios:
            if scenario != "cold" and run >= rebuild_runs:
                continue
            if scenario == "cold":
                for name in tool.clean:
                    target = folder / name
                    if target.is_dir():
                        shutil.rmtree(target)
                    elif target.exists():
                        target.unlink()
            elif scenario == "prose":
                edit_prose(source, run)
            elif scenario == "code":
                edit_code(source)
            measured = measure(tool.command(folder), folder, tool.env())
            sample: dict[str, Any] = {
                "seconds": round(measured.seconds, 3),
                "peak_mb": round(measured.peak_mb, 1),
                "max_rss_mb": round(measured.max_rss_mb, 1),
                "rc": measured.returncode,
                "cpu_s": round(measured.cpu_s, 2),
                "load": round(measured.load_before, 2),
            }
            if tool.name == "lemma":
                sample.update(_lemma_summary(measured.stdout))
            if measured.returncode != 0:
                sample["error"] = (measured.stderr or measured.stdout)[-1500:]
            if scenario in ("cold", "code") or run == 0:
                sample["check"] = check_site(tool, site_folder(size) / tool.folder, expected)
            samples[scenario].append(sample)
            flag = "" if measured.returncode == 0 else f"  FAILED rc={measured.returncode}"
            check = sample.get("check", {})
            if check and not check["ok"]:
                flag += f"  CHECK FAILED {check}"
            print(
                f"  {tool.name:8} n={size:<5} {scenario:5} run {run + 1}: "
                f"{measured.seconds:7.2f} s  peak {measured.peak_mb:6.0f} MB"
                f"  load {measured.load_before:.1f} {sample.get('executed', '')}{flag}",
                flush=True,
            )
            if measured.returncode != 0 and "error" in sample:
                print("    " + sample["error"][-600:].replace("\n", "\n    "), flush=True)
            record(results, f"{key or tool.name}/{size}/{scenario}", summarize(samples[scenario]))


def summarize(samples: list[dict[str, Any]]) -> dict[str, Any]:
    seconds = [s["seconds"] for s in samples]
    checks = [s["check"] for s in samples if "check" in s]
    return {
        "median_s": round(statistics.median(seconds), 3),
        "runs": len(samples),
        "seconds": seconds,
        "cpu_s": round(statistics.median(s.get("cpu_s", 0) for s in samples), 2),
        "peak_mb": max(s["peak_mb"] for s in samples),
        "max_rss_mb": max(s["max_rss_mb"] for s in samples),
        "ok": all(s["rc"] == 0 for s in samples) and all(c["ok"] for c in checks),
        "check": checks[-1] if checks else None,
        "load": [s["load"] for s in samples],
        "samples": samples,
    }


def bench_floor(results: dict[str, Any], size: int, runs: int) -> None:
    floor = site_folder(size) / "floor"
    env = dict(os.environ)
    env.update({"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    env.pop("PYTHONPATH", None)
    warm: list[dict[str, Any]] = []
    for run in range(runs):
        measured = measure([sys.executable, str(BENCH / "floor.py"), "snippets.json"], floor, env)
        info = json.loads(measured.stdout)
        info["load"] = round(measured.load_before, 2)
        info["process_s"] = round(measured.seconds, 3)
        warm.append(info)
        print(
            f"  floor    n={size:<5} warm interpreter run {run + 1}: {info['total_s']:.2f} s "
            f"(SVG {info['svg_s']:.2f} s, {info['svg_ms_per_figure']} ms/figure; PNG 2x "
            f"{info['png_2x_ms_per_figure']} ms/figure)  load {measured.load_before:.1f}",
            flush=True,
        )
    best = sorted(warm, key=lambda i: i["total_s"])[len(warm) // 2]
    record(
        results,
        f"floor-warm/{size}",
        {
            "median_s": best["total_s"],
            "runs": len(warm),
            "seconds": [i["total_s"] for i in warm],
            **best,
        },
    )
    scripts = sorted(floor.glob("post-*.py"))
    per_process: list[float] = []
    for run in range(runs):
        load = os.getloadavg()[0]
        started = time.perf_counter()

        def run_one(script: Path) -> int:
            done = subprocess.run(
                [sys.executable, str(script)],
                env=env,
                cwd=floor,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            return done.returncode

        with ThreadPoolExecutor(CORES) as pool:
            codes = list(pool.map(run_one, scripts))
        elapsed = time.perf_counter() - started
        per_process.append(round(elapsed, 3))
        failures = sum(1 for c in codes if c != 0)
        print(
            f"  floor    n={size:<5} fresh python per post on {CORES} processes run {run + 1}: "
            f"{elapsed:.2f} s  load {load:.1f}" + (f"  {failures} FAILED" if failures else ""),
            flush=True,
        )
    record(
        results,
        f"floor-process/{size}",
        {
            "median_s": statistics.median(per_process),
            "runs": len(per_process),
            "seconds": per_process,
            "processes": CORES,
        },
    )


def machine_info() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    from importlib.metadata import version

    packages = {}
    for name in (
        "numpy",
        "matplotlib",
        "markdown-it-py",
        "Jinja2",
        "Pygments",
        "latex2mathml",
        "pagefind",
    ):
        try:
            packages[name] = version(name)
        except Exception:
            packages[name] = "not installed"
    peers = {}
    peers_json = WORK / "peers.json"
    if peers_json.exists():
        for peer, info in json.loads(peers_json.read_text()).items():
            peers[peer] = (
                info.get("packages") if info.get("ok") else f"FAILED: {info.get('reason')}"
            )
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "src"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit, dirty = "unknown", ""
    return {
        "cores": CORES,
        "cpu": cpu,
        "memory_gb": round(memory_gb, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": packages,
        "peers": peers,
        "lemma_commit": commit + (" + uncommitted changes in src/" if dirty else ""),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=None,
        help="post counts (default: 20,100,500; with --scale: 100,500,2000)",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument(
        "--rebuild-runs",
        type=int,
        default=None,
        help="runs of warm/prose/code for tools without a cache (default 1: = a cold build)",
    )
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated tools")
    parser.add_argument("--no-floor", action="store_true", help="skip the floor measurements")
    parser.add_argument("--quick", action="store_true", help="N = 20, 1 run: a smoke test")
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="issue 3's bench only: Lemma and the floors at N = 100",
    )
    parser.add_argument(
        "--scale",
        action="store_true",
        help="Lemma alone at N = 100, 500, 2000 (cold, warm, prose edit)",
    )
    parser.add_argument(
        "--jupyter-max",
        type=int,
        default=100,
        help="largest N for nbconvert (default 100: it takes ~2 s a post)",
    )
    parser.add_argument("--reset", action="store_true", help="forget earlier results")
    args = parser.parse_args(argv)

    sizes = [int(s) for s in (args.sizes or "20,100,500").split(",")]
    tools = [t for t in args.tools.split(",") if t]
    runs = args.runs
    scenarios: Sequence[str] = SCENARIOS
    floor = not args.no_floor
    if args.quick:
        sizes, runs = [20], 1
    if args.baseline:
        sizes, tools = [100], ["lemma"]
    if args.scale:
        sizes, tools, floor, scenarios = (
            sizes if args.sizes else [100, 500, 2000],
            ["lemma"],
            False,
            ("cold", "warm", "prose"),
        )
        runs = 1 if args.runs == 3 else args.runs
    TOOLS["jupyter"].max_posts = args.jupyter_max

    missing = [t for t in tools if t not in TOOLS]
    if missing:
        parser.error(f"unknown tools {missing}; choose from {list(TOOLS)}")
    results = {"measurements": {}, "notes": {}} if args.reset else load_results()
    results["machine"] = machine_info()
    results.setdefault("commands", [])
    command = "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    results["commands"] = [c for c in results["commands"] if c != command.strip()] + [
        command.strip()
    ]
    started = time.perf_counter()
    for size in sizes:
        expected = prepare_site(size)
        if floor:
            bench_floor(results, size, runs if size <= 100 else 1)
        for name in tools:
            tool = TOOLS[name]
            if size > tool.max_posts:
                results["notes"][f"{name}/{size}"] = (
                    f"not run: {tool.label} stops at {tool.max_posts} posts (--jupyter-max)"
                )
                save_results(results)
                continue
            # Budget (keeps the default run near 25 minutes on 2 cores): MkDocs and nbconvert
            # have no cache, so a rebuild re-executes every post and costs what a cold build
            # costs; they get fewer runs, and their rebuilds are measured where affordable.
            tool_runs, rebuild_runs, tool_scenarios = runs, runs, list(scenarios)
            if name == "mkdocs":
                tool_runs = runs if size <= 100 else 1
                rebuild_runs = 1
                if size > 100:
                    tool_scenarios = ["cold", "warm"]
            elif name == "jupyter":
                tool_runs = rebuild_runs = 1
                tool_scenarios = ["cold", "warm"] if size <= 20 else ["cold"]
            if args.rebuild_runs is not None:
                rebuild_runs = args.rebuild_runs
            for skipped in set(scenarios) - set(tool_scenarios):
                results["notes"][f"{name}/{size}/{skipped}"] = (
                    "not measured: no cache, a rebuild re-executes every post (see the cold build)"
                )
            tag = "scale" if args.scale else None
            bench_tool(
                results,
                tool,
                size,
                expected,
                tool_runs,
                min(rebuild_runs, tool_runs),
                tool_scenarios,
                # --scale keeps its own rows, so its single runs never replace the medians of
                # the comparison tables (lemma/100, lemma/500)
                key="lemma-scale" if tag else None,
            )
            if tag:
                results["notes"][f"scale/{size}"] = "measured with --scale"
    results["last_duration_s"] = round(time.perf_counter() - started, 1)
    save_results(results)
    print(
        f"done in {time.perf_counter() - started:.0f} s; results in {RESULTS_MD.relative_to(REPO)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
