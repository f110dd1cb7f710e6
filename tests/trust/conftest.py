"""Helpers of the trust suite: hostile sites in tmp_path, the real CLI, leftover process scans."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from site_support import EPOCH, REPO, SRC, post, snapshot

__all__ = ["EPOCH", "REPO", "SRC", "snapshot"]  # the trust modules import them from here

MARKER_VAR = "LEMMA_TRUST_RUN"  # every process a build starts inherits it: found later in /proc


def engine_available() -> bool:
    try:
        from lemma.execute import execute_posts  # noqa: F401
    except ImportError:
        return False
    return True


needs_engine = pytest.mark.skipif(not engine_available(), reason="lemma.execute is not there yet")


def post_text(title: str, body: str, *, date: str = "2025-01-15", **keys: str) -> str:
    return post(title, date, body, **keys)


def marked_processes(marker: str) -> list[tuple[int, str]]:
    """Live processes whose environment or command line holds `marker`, or whose name is a
    prefix of it (comm is cut at 15 bytes); zombies excluded."""
    found = []
    needle = marker.encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            status = (entry / "status").read_text()
            if "\nState:\tZ" in status:
                continue
            cmdline = (entry / "cmdline").read_bytes()
            environ = (entry / "environ").read_bytes()
            comm = (entry / "comm").read_bytes().strip()  # a snippet may name itself (prctl)
        except OSError:
            continue  # gone meanwhile, or not ours to read
        if needle in cmdline or needle in environ or (len(comm) >= 8 and needle.startswith(comm)):
            found.append((int(entry.name), cmdline.replace(b"\0", b" ").decode(errors="replace")))
    return found


def wait_until(predicate: Callable[[], bool], timeout_s: float, interval_s: float = 0.05) -> bool:
    """Poll `predicate` until it holds or the deadline passes; returns its last value."""
    deadline = time.monotonic() + timeout_s
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval_s)


@dataclass
class Run:
    """A finished `lemma` process."""

    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def __str__(self) -> str:
        out, err = self.stdout[-4000:], self.stderr[-6000:]
        return f"exit {self.code}\n--- stdout\n{out}\n--- stderr\n{err}"


@dataclass
class TrustSite:
    """A site folder with its own TMPDIR and a marker in the environment of every build."""

    root: Path
    tmp: Path
    marker: str = field(default_factory=lambda: f"trust-{uuid.uuid4().hex}")

    @property
    def out(self) -> Path:
        return self.root / "_site"

    @property
    def cache(self) -> Path:
        return self.root / ".lemma-cache"

    def write(self, relative: str, content: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH", "")) if p)
        env["SOURCE_DATE_EPOCH"] = str(EPOCH)
        env["TMPDIR"] = str(self.tmp)
        env[MARKER_VAR] = self.marker
        env.pop("GITHUB_ACTIONS", None)
        env.pop("CI", None)  # `lemma check` runs fresh under CI; a test asks for it explicitly
        env.update(extra or {})
        return env

    def command(self, *args: str | Path) -> list[str]:
        return [sys.executable, "-m", "lemma", *map(str, args)]

    def lemma(
        self, *args: str | Path, env: Mapping[str, str] | None = None, timeout_s: float = 180
    ) -> Run:
        # Output into files, not pipes: a process that escaped the build and kept a copy of the
        # pipe must not make a finished build look hung (it is found by `processes()` instead).
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            done = subprocess.run(
                self.command(*args),
                cwd=self.root,
                env=self.env(env),
                stdout=out,
                stderr=err,
                timeout=timeout_s,
                check=False,
                stdin=subprocess.DEVNULL,
            )
            out.seek(0)
            err.seek(0)
            return Run(
                done.returncode,
                out.read().decode(errors="replace"),
                err.read().decode(errors="replace"),
            )

    def build(self, *args: str | Path, **kwargs: object) -> Run:
        return self.lemma("build", *args, **kwargs)  # type: ignore[arg-type]

    def start(
        self, *args: str | Path, env: Mapping[str, str] | None = None
    ) -> subprocess.Popen[str]:
        """Start `lemma ARGS` in the background (its output goes to files under tmp)."""
        return subprocess.Popen(
            self.command(*args),
            cwd=self.root,
            env=self.env(env),
            stdout=(self.tmp.parent / f"{self.root.name}.stdout").open("w"),
            stderr=(self.tmp.parent / f"{self.root.name}.stderr").open("w"),
            stdin=subprocess.DEVNULL,
            text=True,
        )

    def started_output(self) -> str:
        parts = [self.tmp.parent / f"{self.root.name}.{n}" for n in ("stdout", "stderr")]
        return "".join(p.read_text(errors="replace") for p in parts if p.exists())

    def leftovers(self) -> list[str]:
        """Staging or old copies of the output folder, and anything left in the build's TMPDIR."""
        beside = [p.name for p in self.root.iterdir() if p.name.startswith("._site.")]
        in_tmp = [f"TMPDIR/{p.name}" for p in self.tmp.iterdir()]
        return sorted(beside + in_tmp)

    def processes(self) -> list[tuple[int, str]]:
        return marked_processes(self.marker)

    def wait_no_processes(self, timeout_s: float = 10) -> list[tuple[int, str]]:
        """Processes of this site's builds alive after a short grace period (SIGKILL races)."""
        wait_until(lambda: not self.processes(), timeout_s)
        return self.processes()

    def kill_leftovers(self) -> None:
        for pid, _ in self.processes():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def trust_site(tmp_path: Path) -> Iterator[Callable[..., TrustSite]]:
    """`trust_site({"posts/a.md": "..."})`: a site with its own TMPDIR; leftovers killed after."""
    made: list[TrustSite] = []

    def make(files: Mapping[str, str | bytes] | None = None, *, name: str = "") -> TrustSite:
        root = tmp_path / (name or f"site{len(made)}")
        tmp = tmp_path / f"{root.name}-tmp"
        root.mkdir(parents=True)
        tmp.mkdir()
        site = TrustSite(root, tmp)
        for relative, content in (files or {}).items():
            site.write(relative, content)
        made.append(site)
        return site

    yield make
    for site in made:
        site.kill_leftovers()


def assert_no_traceback(run: Run) -> None:
    """No traceback of Lemma's own code (a snippet's traceback is printed indented, as detail)."""
    assert not re.search(r"^Traceback \(most recent call last\)", run.output, re.MULTILINE), str(
        run
    )
