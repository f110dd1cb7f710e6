"""The post's process under faults: timeouts, crashes, exits, input, huge output, strays."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from engine_support import Code, write_post
from lemma.execute import ExecutionSettings, execute_posts
from lemma.model import Error, Output, PostRun, SnippetOptions, SourceLocation, Stream

FAST = SnippetOptions(timeout_s=1)


@pytest.fixture
def scratch_parent(tmp_path: Path) -> Iterator[Path]:
    """Point the posts' temporary folders at a place the test can check is left empty."""
    parent = tmp_path / "tmp"
    parent.mkdir()
    saved, tempfile.tempdir = tempfile.tempdir, str(parent)
    try:
        yield parent
    finally:
        tempfile.tempdir = saved


def run_one(root: Path, codes: Sequence[Code], memory_limit_mb: int = 2048) -> PostRun:
    job = write_post(root, "post", codes)
    settings = ExecutionSettings(
        root, root / ".lemma-cache", root / "_site", 2, memory_limit_mb, False
    )
    return execute_posts([job], settings)[job.source_path]


def outputs(run: PostRun) -> list[Output]:
    return [output for result in run.results for output in result.outputs]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie is dead, only not yet reaped by its parent


@pytest.mark.timeout(60)  # a hang guard, not a speed check
def test_timeout_reports_the_line_and_kills_the_snippets_children(
    tmp_path: Path, scratch_parent: Path
) -> None:
    run = run_one(
        tmp_path,
        [
            "import subprocess\nchild = subprocess.Popen(['sleep', '60'])\nprint(child.pid)",
            ("x = 0\nwhile True:\n    x += 1", FAST),
            "print('never')",
        ],
    )
    failure = run.failure
    assert failure is not None and failure.kind == "timeout"
    assert failure.evalue in (
        "timed out after 1 s at posts/post.md:14",
        "timed out after 1 s at posts/post.md:15",
    )
    assert len(run.results) == 2
    pid = int(outputs(run)[0].text)  # type: ignore[union-attr]
    deadline = time.monotonic() + 5
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(pid)
    assert [p for p in scratch_parent.iterdir() if p.name.startswith("lemma-")] == []


def test_timeout_of_a_snippet_that_swallows_everything_still_ends(tmp_path: Path) -> None:
    code = """
        import time
        while True:
            try:
                time.sleep(10)
            except BaseException:
                pass
    """
    run = run_one(tmp_path, [(code, FAST)])
    assert run.failure is not None and run.failure.kind == "timeout"
    assert run.failure.location == SourceLocation("posts/post.md", 10)


def test_os_exit_is_a_crash_at_its_line(tmp_path: Path) -> None:
    run = run_one(tmp_path, ["print('before')", "import os\nos._exit(3)"])
    failure = run.failure
    assert failure is not None and failure.kind == "crash"
    assert failure.evalue == "the snippet's process exited with code 3"
    assert failure.location == SourceLocation("posts/post.md", 11)
    assert run.results[0].outputs == (Stream("stdout", "before\n"),)


def test_segfault_is_a_crash_naming_the_signal_and_line(tmp_path: Path) -> None:
    run = run_one(tmp_path, ["import ctypes\n\nctypes.string_at(0)"])
    failure = run.failure
    assert failure is not None and failure.kind == "crash"
    expected = "the snippet's process was killed by signal SIGSEGV (segmentation fault)"
    assert failure.evalue == expected
    assert failure.location == SourceLocation("posts/post.md", 9)
    assert "ctypes.string_at(0)" in failure.traceback


def test_sigkill_is_reported_as_probably_out_of_memory(tmp_path: Path) -> None:
    run = run_one(tmp_path, ["import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"], 1024)
    failure = run.failure
    assert failure is not None and failure.kind == "crash"
    assert "ran out of memory (limit 1024 MB)" in failure.evalue


def test_memory_limit_turns_a_huge_allocation_into_a_memory_error(tmp_path: Path) -> None:
    run = run_one(tmp_path, ["import numpy as np\nnp.ones(10**10)"], memory_limit_mb=1024)
    failure = run.failure
    assert failure is not None and failure.kind == "exception"
    assert "MemoryError" in failure.traceback
    assert "ran out of memory: limit 1024 MB" in failure.evalue


def test_sys_exit_is_an_error_with_advice(tmp_path: Path) -> None:
    run = run_one(tmp_path, ["import sys\nsys.exit(0)", "print('never')"])
    failure = run.failure
    assert failure is not None and failure.ename == "SystemExit"
    assert failure.evalue.startswith("the snippet called sys.exit(0); remove it")
    assert len(run.results) == 1


@pytest.mark.timeout(60)  # a hang guard, not a speed check
def test_input_fails_at_once_with_a_clear_message(tmp_path: Path) -> None:
    run = run_one(tmp_path, ["name = input('Your name? ')"])
    assert run.failure is not None
    assert "snippets cannot read input" in run.failure.evalue
    assert run.failure.location == SourceLocation("posts/post.md", 7)


def test_keyboard_interrupt_from_a_snippet_is_an_error_not_an_interrupt(tmp_path: Path) -> None:
    run = run_one(tmp_path, ["raise KeyboardInterrupt"])
    assert run.failure is not None and run.failure.ename == "KeyboardInterrupt"


@pytest.mark.timeout(60)  # a hang guard, not a speed check
def test_huge_output_is_truncated_with_a_note(tmp_path: Path) -> None:
    run = run_one(tmp_path, ["for i in range(300_000):\n    print('x' * 20)"])
    text = "".join(o.text for o in outputs(run) if isinstance(o, Stream))
    assert len(text) < 1_100_000
    assert "output truncated: 5,300,000 more characters not shown" in text


def test_invalid_utf8_and_closed_stdout_do_not_break_capture(tmp_path: Path) -> None:
    run = run_one(
        tmp_path,
        [
            "import sys\nsys.stdout.buffer.write(b'ok \\xff\\n')\nsys.stdout.close()",
            "print('still captured')",
        ],
    )
    assert run.failure is None
    assert outputs(run) == [Stream("stdout", "ok \ufffd\n"), Stream("stdout", "still captured\n")]


def test_output_written_to_the_file_descriptors_is_captured(tmp_path: Path) -> None:
    run = run_one(tmp_path, ["import os\nos.system('echo from a shell')"])
    assert Stream("stdout", "from a shell\n") in outputs(run)


def test_background_process_does_not_outlive_its_post(tmp_path: Path) -> None:
    run = run_one(
        tmp_path,
        [
            "import subprocess\nprint(subprocess.Popen(['sleep', '60']).pid)",
            "import threading, time\nthreading.Thread(target=time.sleep, args=(60,)).start()",
        ],
    )
    assert run.failure is None
    pid = int(outputs(run)[0].text)  # type: ignore[union-attr]
    deadline = time.monotonic() + 5
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(pid)


def test_a_crash_in_one_post_leaves_the_others_correct(tmp_path: Path) -> None:
    jobs = [
        write_post(tmp_path, "bad", ["import os\nos._exit(1)"]),
        write_post(tmp_path, "good", ["print('fine')"]),
    ]
    settings = ExecutionSettings(tmp_path, tmp_path / ".c", tmp_path / "_site", 2, 1024, False)
    runs = execute_posts(jobs, settings)
    assert runs["posts/bad.md"].failure is not None
    assert runs["posts/good.md"].failure is None
    assert outputs(runs["posts/good.md"]) == [Stream("stdout", "fine\n")]


def test_signal_alarm_is_reported_as_a_crash(tmp_path: Path) -> None:
    run = run_one(tmp_path, ["import signal, time\nsignal.alarm(1)\ntime.sleep(5)"])
    assert run.failure is not None and run.failure.kind == "crash"
    assert "SIGALRM" in run.failure.evalue


def test_failing_sweep_value_fails_the_post(tmp_path: Path) -> None:
    from lemma.model import Sweep

    options = SnippetOptions(sweeps=(Sweep("d", (1, 0), default_index=0),))
    run = run_one(tmp_path, [("print(1 / d)", options)])
    failure = run.failure
    assert isinstance(failure, Error) and failure.ename == "ZeroDivisionError"
    assert run.results[0].outputs == (Stream("stdout", "1.0\n"),)


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_stopping_the_builder_leaves_no_process_behind(tmp_path: Path, signal_name: str) -> None:
    site, pids = tmp_path / "site", tmp_path / "pids"
    code = f"""
        import os, subprocess, time
        child = subprocess.Popen(['sleep', '60'])
        with open({str(pids)!r}, 'w') as f:
            f.write(f'{{os.getpid()}} {{child.pid}}')
        time.sleep(60)
    """
    job = write_post(site, "post", [code])
    script = textwrap.dedent(f"""
        from pathlib import Path
        from lemma.execute import ExecutionSettings, PostJob, execute_posts
        from lemma.model import Snippet, SnippetOptions, SourceLocation
        root = Path({str(site)!r})
        snippet = Snippet(0, "python", {job.snippets[0].code!r},
                          SourceLocation("posts/post.md", 7), SnippetOptions(), 6)
        settings = ExecutionSettings(root, root / ".c", root / "_site", 2, 1024, False)
        execute_posts([PostJob("posts/post.md", (snippet,))], settings)
    """)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    builder = subprocess.Popen(
        [sys.executable, "-c", script],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not (pids.exists() and " " in pids.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        post_pid, sleep_pid = map(int, pids.read_text().split())
        builder.send_signal(getattr(signal, signal_name))
        builder.wait(timeout=10)
    finally:
        builder.kill()
    deadline = time.monotonic() + 5
    while (alive(post_pid) or alive(sleep_pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(post_pid) and not alive(sleep_pid)


@pytest.mark.timeout(60)  # a hang guard, not a speed check
def test_a_sweep_value_that_hangs_times_out_like_a_snippet(tmp_path: Path) -> None:
    from lemma.model import Sweep

    options = SnippetOptions(timeout_s=1, sweeps=(Sweep("n", (0, 1), default_index=0),))
    run = run_one(tmp_path, [("while n:\n    pass\nprint(n)", options)])
    failure = run.failure
    assert failure is not None and failure.kind == "timeout"
    assert failure.location is not None and failure.location.line in (7, 8)
    assert run.results[0].variants[0][1] == (Stream("stdout", "0\n"),)
