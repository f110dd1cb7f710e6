"""SIGTERM made a Ctrl-C while Lemma works, and given back as it was found."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path
from types import FrameType

from lemma.cli import main
from lemma.interrupts import sigterm_as_interrupt
from site_support import lemma_env

KILLED_INSIDE_AND_AFTER = """
import os, signal
from lemma.interrupts import sigterm_as_interrupt
with sigterm_as_interrupt():
    try:
        os.kill(os.getpid(), signal.SIGTERM)
    except KeyboardInterrupt:
        print("inside: KeyboardInterrupt", flush=True)
os.kill(os.getpid(), signal.SIGTERM)
print("after: still running", flush=True)
"""


def run_script(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=lemma_env(None),
        timeout=60,
    )


def test_sigterm_is_a_keyboard_interrupt_inside_and_the_default_after() -> None:
    done = run_script(KILLED_INSIDE_AND_AFTER)
    assert done.stdout == "inside: KeyboardInterrupt\n", done.stderr
    assert done.returncode == -signal.SIGTERM  # after the block, `kill` ends it as before


def test_a_handler_set_by_the_caller_stays_theirs() -> None:
    def theirs(_signum: int, _frame: FrameType | None) -> None:
        pass

    before = signal.signal(signal.SIGTERM, theirs)
    try:
        with sigterm_as_interrupt():
            assert signal.getsignal(signal.SIGTERM) is theirs
        assert signal.getsignal(signal.SIGTERM) is theirs
    finally:
        signal.signal(signal.SIGTERM, before)


def test_outside_the_main_thread_nothing_is_set() -> None:
    # signal.signal raises ValueError outside the main thread: the block must still run.
    seen: list[object] = []

    def work() -> None:
        with sigterm_as_interrupt():
            seen.append(signal.getsignal(signal.SIGTERM))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [signal.SIG_DFL]


def test_main_called_in_process_gives_sigterm_back(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    post = "---\ntitle: Hello\ndate: 2025-01-05\n---\nProse.\n"
    (tmp_path / "posts" / "hello.md").write_text(post, encoding="utf-8")
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    assert main(["build", "--root", str(tmp_path), "--quiet"]) == 0
    assert (tmp_path / "_site" / "index.html").is_file()
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


# A signal the kernel hands to another thread of the build is caught there, and Python runs its
# handler in the main thread at its next line: inside the block, before the block was changed,
# where a process was started but not yet known (a staging folder was left behind under load).
HELD_WHILE_ANOTHER_THREAD_CATCHES = """
import os, signal, threading, time
from lemma.interrupts import signals_held
idle = threading.Event()
threading.Thread(target=idle.wait, daemon=True).start()  # the only thread not holding SIGINT
try:
    with signals_held():
        os.kill(os.getpid(), signal.SIGINT)  # to the process: the other thread takes it
        for _ in range(200):
            time.sleep(0.001)  # lines run: the handler has had every chance
        print("inside: not interrupted", flush=True)
except KeyboardInterrupt:
    print("after: KeyboardInterrupt", flush=True)
idle.set()
"""


def test_a_signal_caught_by_another_thread_waits_until_the_block_ends() -> None:
    done = run_script(HELD_WHILE_ANOTHER_THREAD_CATCHES)
    assert done.stdout == "inside: not interrupted\nafter: KeyboardInterrupt\n", done.stderr
