"""Helpers to drive a real `lemma serve` process: start, edit and wait, read /proc, stop."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from site_support import lemma_env

DEADLINE_S = 20.0  # every wait below is bounded by this


def wait_until(predicate: Callable[[], bool], what: str, timeout_s: float = DEADLINE_S) -> None:
    """Poll `predicate` until it holds; fail with `what` after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    pause = threading.Event()
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        pause.wait(0.02)


class Server:
    """A `lemma serve --port 0` process in its own session, its output collected by threads."""

    def __init__(self, root: Path, *args: str, env: Mapping[str, str] | None = None) -> None:
        self.root = root
        self.process = subprocess.Popen(
            [sys.executable, "-m", "lemma", "serve", "--root", str(root), "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=lemma_env(env),
            start_new_session=True,  # its own process group, as a shell gives a foreground job
        )
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        streams = ((self.process.stdout, self.stdout), (self.process.stderr, self.stderr))
        for stream, lines in streams:
            threading.Thread(target=_collect, args=(stream, lines), daemon=True).start()
        self.port = 0

        def ready() -> bool:
            match = re.search(r"^ready: http://localhost:(\d+)/", self.output, re.MULTILINE)
            if match:
                self.port = int(match.group(1))
            assert self.process.poll() is None, f"lemma serve exited:\n{self.output}"
            return bool(match)

        wait_until(ready, "the 'ready:' line")

    @property
    def output(self) -> str:
        return "".join(self.stdout) + "--- stderr\n" + "".join(self.stderr)

    def get(self, path: str, host: str | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.putrequest("GET", path, skip_host=True)
            conn.putheader("Host", host if host is not None else f"localhost:{self.port}")
            conn.endheaders()
            response = conn.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def page(self, path: str) -> str:
        status, body = self.get(path)
        assert status == 200, (path, status, body[:500])
        return body

    def status(self) -> dict[str, int]:
        status, body = self.get("/__lemma__/status")
        assert status == 200
        return dict(json.loads(body))

    def edit(self, relative: str, content: str) -> None:
        """Write a file and wait for the rebuild it causes."""
        builds = self.status()["builds"]
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        wait_until(lambda: self.status()["builds"] > builds, f"a rebuild after editing {relative}")

    def interrupt(self, signum: int = signal.SIGINT) -> int:
        """Ctrl-C as a terminal sends it: SIGINT to the whole foreground process group. SIGTERM
        as `kill PID`, systemd or `docker stop` send it: to the server's own process only."""
        if signum == signal.SIGINT:
            os.killpg(self.process.pid, signum)
        else:
            os.kill(self.process.pid, signum)
        return self.process.wait(timeout=DEADLINE_S)

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=DEADLINE_S)


def _collect(stream: object, lines: list[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.append(line)


def process_table() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state) of every process, from /proc (no psutil)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        table[int(entry.name)] = (int(fields[1]), fields[0])
    return table


def descendants(pid: int) -> set[int]:
    table = process_table()
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, (parent, _) in table.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    """The pids still running (a zombie has finished; only its parent's wait is missing)."""
    table = process_table()
    return {pid for pid in pids if pid in table and table[pid][1] != "Z"}
