"""Faulty snippets, each in its own post of one site, built for real with the CLI.

One site holds every fault next to two good posts. It is built three times: with harmless
snippets (the "previous site"), with the faults (must fail, report each fault at its line, leave
the previous site, no temporary files and no processes), and with the faults and --keep-going
(the good posts must be exactly right, the faulty ones show their errors).
"""

from __future__ import annotations

import importlib.util
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from lemma.missing_modules import DISTRIBUTIONS

from .conftest import (
    Run,
    TrustSite,
    assert_no_traceback,
    marked_processes,
    needs_engine,
    post_text,
    snapshot,
)

pytestmark = [needs_engine, pytest.mark.slow]

CODE_LINE = 7  # post_text: 4 lines of front matter, a blank line, the fence, then the code
SLEEPER = "import time; time.sleep(300)"  # the body of a process that must not outlive the build


@dataclass(frozen=True)
class Fault:
    name: str
    code: str  # {marker}, {comm}, {root}, {out} are filled in; "# fails" marks the failing line
    cause: str = ""  # a regex the error message must match; "" when the post must succeed
    page: tuple[str, ...] = ()  # what the post's page must show with --keep-going
    proves: str = ""
    # A process that vanishes without a traceback (os._exit, a fatal signal with no handler) is
    # reported at the first line of the snippet it was running; other faults at their line.
    at_snippet: bool = False

    @property
    def source_path(self) -> str:
        return f"posts/fault-{self.name}.md"

    @property
    def line(self) -> int:
        lines = self.code.splitlines()
        return CODE_LINE + next(i for i, text in enumerate(lines) if "# fails" in text)


FAULTS = [
    Fault(
        "infinite-loop",
        "#| timeout: 2\nwhile True: pass  # fails",
        r"timed out after 2 s",
        proves="the per-snippet timeout (SIGUSR1, then SIGKILL of the group)",
    ),
    Fault(
        "timeout-swallowed",
        "#| timeout: 2\nimport time\nwhile True:\n    try:\n        time.sleep(10)  # fails\n"
        "    except BaseException:\n        pass",
        r"timed out after 2 s",
        proves="the grace period then SIGKILL when a snippet catches the timeout",
    ),
    Fault(
        "recursion",
        "def down(n):\n    return down(n + 1)  # fails\ndown(0)",
        r"RecursionError",
        proves="the worker boundary catching every exception",
    ),
    Fault(
        "c-stack-overflow",
        "import sys\nsys.setrecursionlimit(10**8)\ndef down(n):\n    return down(n + 1)  # fails\n"
        "down(0)",
        r"out of memory.*recursion|segmentation fault|RecursionError",
        proves="runner._out_of_memory_error: a recursion that eats the memory is still reported",
    ),
    Fault(
        "os-exit",
        "import os\nos._exit(3)  # fails",
        r"exited with code 3",
        proves="crash_error for a child that exits without reporting",
        at_snippet=True,
    ),
    Fault(
        "segfault",
        "import ctypes\nctypes.string_at(0)  # fails",
        r"segmentation fault",
        proves="signal exits described in plain words (crash.describe_exit)",
    ),
    Fault(
        "memory",
        "chunks = []\nwhile True:\n    chunks.append(bytearray(64 * 1024 * 1024))  # fails",
        r"out of memory.*512 MB",
        proves="RLIMIT_AS from memory_limit_mb",
    ),
    Fault(
        "fork-bomb",
        # The post's own process starts 200, more than the budget of 128, so the refusal always
        # lands in the post (when every copy forks again, a copy may take the last slot and the
        # post finish). Without the budget this stays 200 short-lived processes, not a dead machine.
        "import ctypes, os, time\nctypes.CDLL(None).prctl(15, b'{comm}')\nfor _ in range(200):\n"
        "    if os.fork() == 0:  # fails\n        time.sleep(3)\n        os._exit(0)",
        r"processes",
        proves="the per-post process budget (RLIMIT_NPROC does not bind root)",
    ),
    Fault(
        "fork-without-exit",
        "import os\npid = os.fork()\n"
        "if pid:\n    os.waitpid(pid, 0)  # the copy reaches the pipe first\n"
        "print('hello from', 'the child' if pid == 0 else 'the post')",
        page=("hello from the post",),
        proves="worker._send: a fork that runs on never reports for the post",
    ),
    Fault(
        "background-processes",
        "import os, subprocess, sys\n"
        "subprocess.Popen([sys.executable, '-c', '{sleeper}', '{marker}-plain'])\n"
        "subprocess.Popen([sys.executable, '-c', '{sleeper}', '{marker}-session'],"
        " start_new_session=True)\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        os.execv(sys.executable, [sys.executable, '-c', '{sleeper}', '{marker}-double'])\n"
        "    os._exit(0)\n"
        "print('spawned three')",
        page=("spawned three",),
        proves="the post's process group killed, and orphans adopted and killed by the builder",
    ),
    Fault(
        "sys-exit",
        "import sys\nsys.exit(0)  # fails",
        r"sys\.exit\(0\).*cannot stop the build",
        proves="SystemExit caught at the worker boundary with a plain message",
    ),
    Fault(
        "input",
        "name = input('name? ')  # fails",
        r"cannot read input",
        proves="stdin replaced: input() fails at once instead of hanging",
    ),
    Fault(
        "huge-stdout",
        "import os, sys\nchunk = 'y' * 1_000_000 + '\\n'\nfor _ in range(100):\n"
        "    sys.stdout.write(chunk)\nfor _ in range(20):\n    os.write(1, chunk.encode())\n"
        "print('after the flood')",
        page=("output truncated",),
        proves="OUTPUT_LIMIT_CHARS: 120 MB of output becomes a truncated page, fast",
    ),
    Fault(
        "write-current-folder",
        "with open('scratch.txt', 'w') as f:\n    f.write('written in scratch')\n"
        "print(open('scratch.txt').read())",
        page=("written in scratch",),
        proves="the scratch working folder: the file never lands beside the post",
    ),
    Fault(
        "write-output-folder",
        "open(r'{out}/pwned.html', 'w').write('pwned')  # fails",
        r"PermissionError.*cannot change files in the site folder",
        proves="the audit-hook write guard on the output folder",
    ),
    Fault(
        "write-site-root",
        "open(r'{root}/posts/pwned.md', 'w').write('pwned')  # fails",
        r"PermissionError.*cannot change files in the site folder",
        proves="the audit-hook write guard on the site root",
    ),
    Fault(
        "chdir",
        "import os\nos.chdir(r'{root}')\nprint(os.getcwd())\n"
        "open('oops.txt', 'w').write('x')  # fails",
        r"PermissionError.*cannot change files",
        proves="a changed working folder neither escapes the guard nor leaks into other posts",
    ),
    Fault(
        "delete-beside",
        "import os\nos.remove('data.csv')  # fails",
        r"PermissionError.*cannot change files in the site folder",
        proves="the write guard resolving scratch links to the post's folder",
    ),
    Fault(
        "close-stdout",
        "import sys\nsys.stdout.close()\nprint('printed after close')",
        page=("printed after close",),
        proves="the capture writers survive a snippet closing sys.stdout",
    ),
    Fault(
        "keyboard-interrupt",
        "raise KeyboardInterrupt  # fails",
        r"KeyboardInterrupt",
        proves="a snippet's KeyboardInterrupt is the post's error, not the build's",
    ),
    Fault(
        "thread-left-running",
        "import threading, time\nthreading.Thread(target=time.sleep, args=(300,)).start()\n"
        "print('thread started')",
        page=("thread started",),
        proves="os._exit at the end of the post's process: a live thread cannot hold it up",
    ),
    Fault(
        "alarm",
        "import signal, time\nsignal.alarm(1)\ntime.sleep(30)  # fails",
        r"alarm",
        proves="SIGALRM described as signal.alarm(), not a hang",
        at_snippet=True,
    ),
    Fault(
        "invalid-utf8",
        "import os, sys\nsys.stdout.buffer.write(b'[\\xff\\xfe]')\nsys.stdout.flush()\n"
        "os.write(1, b'<\\xc3\\x28>\\n')\nprint('after bytes')",
        page=("after bytes", "[\ufffd\ufffd]", "&lt;\ufffd(&gt;"),
        proves="undecodable bytes replaced, never a protocol or page error",
    ),
    Fault(
        "module-of-its-own",
        "import helpers_not_written_yet  # fails",
        r"No module named 'helpers_not_written_yet' \(install its package where Lemma runs, "
        r"often pip install helpers_not_written_yet; or put your helpers_not_written_yet\.py "
        r"beside the post\)$",
        proves="a missing module's error says how to fix it: install it, or write it",
    ),
    Fault(
        "submodule-misnamed",
        "import numpy.lineralg  # fails",
        r"No module named 'numpy\.lineralg'$",
        proves="no install hint where the package is installed: the name is wrong",
    ),
]
# A package imported by another name than pip's: the hint names pip's (the first not installed).
_ABSENT = next((name for name in DISTRIBUTIONS if importlib.util.find_spec(name) is None), None)
if _ABSENT is not None:
    FAULTS.append(
        Fault(
            "package-by-import-name",
            f"import {_ABSENT}  # fails",
            rf"No module named '{_ABSENT}' \(install it where Lemma runs: pip install "
            rf"{re.escape(DISTRIBUTIONS[_ABSENT])}\)$",
            proves="the hint installs the distribution, not the import name (sklearn)",
        )
    )

GOOD_POSTS = {
    "posts/2025-01-01-good-a.md": post_text(
        "Good A",
        "```python\nimport os\n"
        "print('GOOD-A', open('data.csv').read().strip(), os.getcwd() != '/')\n```\n",
    ),
    "posts/2025-01-02-good-b.md": post_text(
        "Good B",
        "```python\nimport numpy as np\nimport matplotlib.pyplot as plt\n"
        "print('GOOD-B', int(np.arange(10).sum()))\nplt.plot([0, 1], [1, 0])\nplt.show()\n```\n",
    ),
    "posts/data.csv": "1,2,3\n",
}


@dataclass
class FaultBuilds:
    site: TrustSite
    benign: Run
    faulty: Run
    kept: Run
    previous: dict[str, bytes]
    after_faulty: dict[str, bytes]
    leftovers: dict[str, list[str]]
    processes: dict[str, list[tuple[int, str]]]
    comm: str


def _fill(fault: Fault, site: TrustSite, comm: str) -> str:
    return (
        fault.code.replace("{marker}", site.marker)
        .replace("{comm}", comm)
        .replace("{root}", str(site.root))
        .replace("{out}", str(site.out))
        .replace("{sleeper}", SLEEPER)
    )


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> FaultBuilds:
    base = tmp_path_factory.mktemp("faults")
    (base / "tmp").mkdir()
    (base / "site").mkdir()
    site = TrustSite(base / "site", base / "tmp")
    comm = "tb" + uuid.uuid4().hex[:12]  # a process name, inherited by forks
    for relative, content in GOOD_POSTS.items():
        site.write(relative, content)
    site.write("site.toml", "memory_limit_mb = 512\nsearch = false\n")
    try:
        for fault in FAULTS:
            site.write(
                fault.source_path, post_text(fault.name, "```python\nprint('benign')\n```\n")
            )
        benign = site.build(timeout_s=300)
        assert benign.code == 0, str(benign)
        previous = snapshot(site.out)
        leftovers, processes = {}, {}
        for fault in FAULTS:
            body = f"```python\n{_fill(fault, site, comm)}\n```\n"
            site.write(fault.source_path, post_text(fault.name, body))
        faulty = site.build(timeout_s=300)  # the hang guard: every fault together, well under it
        leftovers["faulty"], processes["faulty"] = site.leftovers(), site.wait_no_processes()
        after_faulty = snapshot(site.out)
        kept = site.build("--keep-going", timeout_s=300)
        leftovers["kept"], processes["kept"] = site.leftovers(), site.wait_no_processes()
        return FaultBuilds(
            site, benign, faulty, kept, previous, after_faulty, leftovers, processes, comm
        )
    finally:
        site.kill_leftovers()
        for pid, _ in marked_processes(comm):
            with __import__("contextlib").suppress(ProcessLookupError):
                __import__("os").kill(pid, 9)


def test_a_faulty_build_fails_without_a_traceback_and_keeps_the_previous_site(
    builds: FaultBuilds,
) -> None:
    # Proves: write_site is never reached when a post fails (and the atomic swap otherwise).
    assert builds.faulty.code == 1, str(builds.faulty)
    assert_no_traceback(builds.faulty)
    assert builds.after_faulty == builds.previous


def test_no_temporary_files_are_left(builds: FaultBuilds) -> None:
    # Proves: the scheduler removes each post's temp folder, write_site its staging folder.
    assert builds.leftovers == {"faulty": [], "kept": []}
    site = builds.site
    expected = {"posts", "_site", ".lemma-cache", "site.toml"}
    assert {p.name for p in site.root.iterdir()} == expected
    posts = {p.name for p in (site.root / "posts").iterdir()}
    assert posts == {Path(p).name for p in GOOD_POSTS} | {Path(f.source_path).name for f in FAULTS}
    assert (site.root / "posts/data.csv").read_text() == "1,2,3\n"


def test_no_process_outlives_the_build(builds: FaultBuilds) -> None:
    # Proves: group kill of each post, plus the builder adopting and killing orphans that left
    # the group (start_new_session, double fork) and a fork bomb's children.
    assert builds.processes == {"faulty": [], "kept": []}
    for suffix in ("plain", "session", "double"):
        assert marked_processes(f"{builds.site.marker}-{suffix}") == []
    assert marked_processes(builds.comm) == []


def test_good_posts_are_exactly_right_beside_the_faults(builds: FaultBuilds) -> None:
    # Proves: one process per post: nothing a faulty post did reaches another post.
    assert builds.kept.code == 1, str(builds.kept)
    assert_no_traceback(builds.kept)
    page_a = (builds.site.out / "posts/good-a/index.html").read_text()
    assert "GOOD-A 1,2,3 True" in page_a
    page_b = (builds.site.out / "posts/good-b/index.html").read_text()
    assert "GOOD-B 45" in page_b
    assert re.search(r'<img class="figure" src="/figures/[0-9a-f]+\.svg"', page_b)
    assert "lemma-error" not in page_a + page_b


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_each_fault_is_reported_at_its_line_or_handled(builds: FaultBuilds, fault: Fault) -> None:
    # Proves: see `fault.proves`.
    stderr = builds.faulty.stderr
    reported = re.findall(rf"^{re.escape(fault.source_path)}:(\d+)(?::\d+)?: (.*)$", stderr, re.M)
    page = (builds.site.out / f"posts/fault-{fault.name}/index.html").read_text()
    if fault.cause:
        assert reported, f"{fault.source_path} not reported ({fault.proves}):\n{builds.faulty}"
        line, message = int(reported[0][0]), reported[0][1]
        expected = CODE_LINE if fault.at_snippet else fault.line
        assert line == expected, f"reported at line {line}, not {expected}: {message}"
        assert re.search(fault.cause, message), f"{message!r} does not say {fault.cause!r}"
        assert "lemma-error" in page, "the page of a failed post (--keep-going) shows no error"
    else:
        assert not reported, f"{fault.source_path} should build ({fault.proves}): {reported}"
        assert "lemma-error" not in page
    for text in fault.page:
        assert text in page, f"{text!r} not in the page of {fault.name} ({fault.proves})"
    if fault.name == "fork-without-exit":
        assert "hello from the child" not in page
    if fault.name == "huge-stdout":
        assert len(page) < 5_000_000
