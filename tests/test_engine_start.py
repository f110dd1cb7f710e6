"""When the execution engine (the fork server with numpy and matplotlib) starts, seen from outside.

A build runs `lemma.cli.main` in a real subprocess, which then says whether its fork server was
ever started: the engine must start while posts load when some post has to run, and never on a
build whose every run comes from the cache, `_freeze/` or `--no-execute`.
"""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from site_support import SiteDir, lemma_env, post

pytestmark = pytest.mark.skipif(
    "forkserver" not in multiprocessing.get_all_start_methods(), reason="no fork server here"
)

# Runs the CLI in this process, then reports whether the fork server was ever started in it.
BUILD_AND_REPORT = """
import sys
from multiprocessing import forkserver
from lemma.cli import main
code = main(sys.argv[1:])
started = getattr(forkserver._forkserver, "_forkserver_pid", None) is not None
print("ENGINE", "started" if started else "idle", code)
"""

RUNS = post("Runs", body="Text.\n\n```python\nprint('RAN-' + str(6 * 7))\n```\n")
PROSE = post(
    "Prose",
    date="2025-01-10",
    body="Only words, and a fence that never runs:\n\n```text\nnot code\n```\n",
)


def run_script(site: SiteDir, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=site.root,
        env=lemma_env({"LEMMA_START_METHOD": "forkserver"}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def engine(site: SiteDir, *args: str) -> tuple[str, int, subprocess.CompletedProcess[str]]:
    done = run_script(site, BUILD_AND_REPORT, *args)
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert last.startswith("ENGINE "), f"{done.stdout}\n{done.stderr}"
    _, state, code = last.split()
    return state, int(code), done


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", 'title = "T"\nsearch = false\n')
    site.write("posts/2025-01-15-runs.md", RUNS)
    site.write("posts/2025-01-10-prose.md", PROSE)
    return site


def test_the_engine_starts_on_a_cold_build_and_never_on_a_cached_one(site: SiteDir) -> None:
    assert engine(site, "build")[:2] == ("started", 0)
    assert "RAN-42" in site.page("posts/runs/index.html")
    state, code, done = engine(site, "build")
    assert (state, code) == ("idle", 0), done.stdout
    assert "1 cached" in done.stdout or "0 executed" in done.stdout, done.stdout
    # A prose edit keeps the code: still nothing to run.
    site.write("posts/2025-01-15-runs.md", RUNS.replace("Text.", "Other text."))
    assert engine(site, "build")[:2] == ("idle", 0)
    # A code edit must run the post: the engine starts, and the page shows the new output.
    site.write("posts/2025-01-15-runs.md", RUNS.replace("6 * 7", "6 * 8"))
    assert engine(site, "build")[:2] == ("started", 0)
    assert "RAN-48" in site.page("posts/runs/index.html")


def test_a_site_without_code_never_starts_the_engine(site: SiteDir) -> None:
    (site.root / "posts/2025-01-15-runs.md").unlink()
    assert engine(site, "build")[:2] == ("idle", 0)
    assert engine(site, "check")[:2] == ("idle", 0)


def test_drafts_and_no_execute_do_not_start_the_engine(site: SiteDir) -> None:
    site.write("posts/2025-01-15-runs.md", RUNS.replace("date:", "draft: true\ndate:"))
    assert engine(site, "build")[:2] == ("idle", 0)  # the draft is left out: nothing runs
    assert engine(site, "build", "--drafts")[:2] == ("started", 0)
    site.write("posts/2025-01-15-runs.md", RUNS.replace("6 * 7", "6 * 9"))
    state, code, done = engine(site, "build", "--no-execute")
    assert (state, code) == ("idle", 1), done.stderr
    assert "posts/2025-01-15-runs.md:9: no stored results" in done.stderr


def test_check_runs_every_post_with_the_engine_started_early(site: SiteDir) -> None:
    state, code, done = engine(site, "check")
    assert (state, code) == ("started", 0), done.stderr
    site.write("posts/2025-01-15-runs.md", RUNS.replace("print(", "1 / 0\nprint("))
    state, code, done = engine(site, "check")
    assert (state, code) == ("started", 1)
    assert "posts/2025-01-15-runs.md:9: ZeroDivisionError" in done.stderr


# Says, at each start of the engine, whether the build's stages were imported yet.
BUILD_AND_REPORT_WHEN = """
import sys
import lemma.execute as execute
from lemma.cli import main
start = execute.start_engine
def spy(jobs, numeric=True, warm_up=True):
    when = "late" if "lemma.pipeline" in sys.modules else "early"
    print("START", when, "warm-up" if warm_up else "no-warm-up", "numeric" if numeric else "plain")
    start(jobs, numeric=numeric, warm_up=warm_up)
execute.start_engine = spy
main(sys.argv[1:])
"""


def starts(site: SiteDir, field: int = 1) -> list[str]:
    done = run_script(site, BUILD_AND_REPORT_WHEN, "build")
    assert done.returncode == 0, done.stderr
    return [line.split()[field] for line in done.stdout.splitlines() if line.startswith("START ")]


def test_a_code_edit_starts_the_engine_before_the_stages_are_imported(site: SiteDir) -> None:
    assert starts(site)[:1] == ["early"]  # no record yet: a first build, and a post has code
    site.write("posts/2025-01-15-runs.md", RUNS.replace("Text.", "Other text."))
    assert starts(site) == []  # a prose edit: nothing to run, nothing started
    site.write("posts/2025-01-15-runs.md", RUNS.replace("6 * 7", "6 * 8"))
    assert starts(site)[:1] == ["early"]  # the last build's record tells a code edit at once
    assert "RAN-48" in site.page("posts/runs/index.html")


def test_the_engine_preloads_numpy_only_for_code_that_may_import_it(site: SiteDir) -> None:
    assert starts(site, field=3)[:1] == ["plain"]  # print() alone: no numpy, no matplotlib
    numeric = RUNS.replace("print(", "import numpy as np\nprint(")
    numeric = numeric.replace("6 * 7", "np.int64(6) * 7 + 1")
    site.write("posts/2025-01-15-runs.md", numeric)
    assert starts(site, field=3)[:1] == ["numeric"]
    assert "RAN-43" in site.page("posts/runs/index.html")


def test_a_later_post_that_needs_numpy_starts_the_server_again_while_posts_load(
    site: SiteDir,
) -> None:
    # Loaded first, a post of plain Python starts a server without numpy; the first later post
    # that needs it starts the server again with it then, not once every post has loaded.
    numeric = RUNS.replace("Runs", "Numeric").replace("6 * 7", "6 * 7 + 10")
    site.write("posts/2025-01-20-numeric.md", numeric.replace("print(", "import numpy\nprint("))
    assert starts(site)[:1] == ["early"]  # a first build, which leaves the record
    done = run_script(site, BUILD_AND_REPORT_WHEN, "build", "--no-cache")  # no code edit
    assert done.returncode == 0, done.stderr
    started = [line.split()[3] for line in done.stdout.splitlines() if line.startswith("START ")]
    assert started == ["plain", "numeric"]
    assert "RAN-52" in site.page("posts/numeric/index.html")


def starts_warming_up(site: SiteDir) -> list[str]:
    return starts(site, field=2)


def test_the_server_draws_its_warm_up_figure_only_when_more_than_one_post_runs(
    site: SiteDir,
) -> None:
    # The warm-up takes the server about 0.11 s and saves each post's first figure about 0.04 s.
    other = RUNS.replace("Runs", "Also runs").replace("6 * 7", "6 * 9")
    site.write("posts/2025-01-16-also-runs.md", other)
    assert starts_warming_up(site)[:1] == ["warm-up"]  # a first build: both posts run
    # One edited post: no warm-up, and the variable that says so never reaches the post.
    flag = "import os\nprint('FLAG-' + str(os.environ.get('LEMMA_NO_WARM_UP')))\n"
    site.write("posts/2025-01-15-runs.md", RUNS.replace("print(", flag + "print("))
    assert starts_warming_up(site)[:1] == ["no-warm-up"]
    page = site.page("posts/runs/index.html")
    assert "FLAG-None" in page and "RAN-42" in page
    site.write("posts/2025-01-15-runs.md", RUNS.replace("6 * 7", "6 * 8"))
    site.write("posts/2025-01-16-also-runs.md", other.replace("6 * 9", "6 * 10"))
    assert starts_warming_up(site)[:1] == ["warm-up"]
    assert "RAN-60" in site.page("posts/also-runs/index.html")


def test_a_post_forked_from_a_warmed_up_server_finds_the_svg_writer_loaded(site: SiteDir) -> None:
    # The warm-up draws and saves a figure in the server, which loads matplotlib's SVG writer;
    # it must run after matplotlib is preloaded, or every post pays its first figure's costs.
    writer = "matplotlib.backends.backend_svg"
    asks = f"import sys, numpy\nprint('SVG-' + str({writer!r} in sys.modules))\n"
    other = RUNS.replace("Runs", "Also runs")
    site.write("posts/2025-01-15-runs.md", RUNS.replace("print(", asks + "print("))
    site.write("posts/2025-01-16-also-runs.md", other.replace("print(", asks + "print("))
    assert starts_warming_up(site)[:1] == ["warm-up"]
    assert "SVG-True" in site.page("posts/runs/index.html")
    assert "SVG-True" in site.page("posts/also-runs/index.html")
    # One edited post: a server without the warm-up, and the post loads the writer itself.
    site.write("posts/2025-01-15-runs.md", RUNS.replace("print(", asks + "print(1)\nprint("))
    assert starts_warming_up(site)[:1] == ["no-warm-up"]
    assert "SVG-False" in site.page("posts/runs/index.html")


# Says, in order, each post body made, each start of the work done while posts run (templates
# compiled, lexers made: with the languages), and each start of the posts' processes.
BUILD_AND_REPORT_ORDER = """
import sys
import lemma.execute.scheduler as scheduler
import lemma.render as render
from lemma.cli import main
made, prepare, run_children = (
    render.PostBodies._rendered, render.PostBodies.start_preparing, scheduler.run_children
)
def made_spy(self, post, run):
    print("BODY", post.source_path)
    return made(self, post, run)
def prepare_spy(self, languages):
    print("PREPARE", *sorted(languages))
    return prepare(self, languages)
def run_spy(pending, settings, on_finished):
    print("RUN", *[path for path, _ in pending])
    return run_children(pending, settings, on_finished)
render.PostBodies._rendered = made_spy
render.PostBodies.start_preparing = prepare_spy
scheduler.run_children = run_spy
main(sys.argv[1:])
"""


def events(site: SiteDir) -> list[str]:
    done = run_script(site, BUILD_AND_REPORT_ORDER, "build")
    assert done.returncode == 0, done.stderr
    kinds = ("BODY ", "PREPARE", "RUN ")
    return [line for line in done.stdout.splitlines() if line.startswith(kinds)]


def test_while_the_engine_starts_cached_posts_are_rendered_and_templates_and_lexers_made(
    site: SiteDir,
) -> None:
    # A code edit waits for the fork server (numpy, matplotlib): what does not need the edited
    # post's run is done meanwhile, not after it.
    other = RUNS.replace("Runs", "Also runs").replace("6 * 7", "6 * 9")
    site.write("posts/2025-01-16-also-runs.md", other)
    first = [line.split()[1:] for line in events(site) if line.startswith("RUN ")]
    assert first == [["posts/2025-01-16-also-runs.md", "posts/2025-01-15-runs.md"]]
    edited = RUNS.replace("6 * 7", "6 * 8")
    site.write("posts/2025-01-15-runs.md", edited)
    seen = events(site)
    run = seen.index("RUN posts/2025-01-15-runs.md")
    assert "BODY posts/2025-01-16-also-runs.md" in seen[:run]  # its run came from the cache
    assert "BODY posts/2025-01-15-runs.md" in seen[run:]  # made once its run is in
    # Once: the templates, and the lexer of the edited post's language (not the site's).
    assert [line for line in seen[:run] if line.startswith("PREPARE")] == ["PREPARE python"]
    assert not any(line.startswith("PREPARE") for line in seen[run:])
    assert "RAN-48" in site.page("posts/runs/index.html")
    # A prose edit runs nothing: nothing prepared beside the build's own work.
    site.write("posts/2025-01-15-runs.md", edited.replace("Text.", "Other text."))
    seen = events(site)
    assert not any(line.startswith(("PREPARE", "RUN ")) for line in seen), seen
    assert "Other text." in site.page("posts/runs/index.html")


def test_a_first_build_whose_only_code_is_in_a_draft_starts_nothing(site: SiteDir) -> None:
    site.write("posts/2025-01-15-runs.md", RUNS.replace("date:", "draft: true\ndate:"))
    assert starts(site) == []
    site.write("posts/2025-01-15-runs.md", RUNS)  # published: its code runs, the guess sees it
    (site.root / ".lemma-cache" / "last-build.json").unlink()  # as a first build again
    assert starts(site)[:1] == ["early"]


def test_the_engine_starts_under_a_temporary_folder_too_long_for_its_socket(
    site: SiteDir, tmp_path: Path
) -> None:
    # The fork server listens on TMPDIR/pymp-…/listener-…; past 107 bytes Linux refuses the
    # address, and the build stopped with a traceback ("AF_UNIX path too long"). Its socket's
    # folder then goes in /tmp.
    deep = tmp_path / ("t" * 40) / ("e" * 40)
    deep.mkdir(parents=True)
    result = site.build(env={"TMPDIR": str(deep), "LEMMA_START_METHOD": "forkserver"})
    assert result.code == 0, result.stderr
    assert "RAN-42" in site.page("posts/runs/index.html")
    assert not list(deep.glob("pymp-*")), "the socket's folder is not in the long TMPDIR"
