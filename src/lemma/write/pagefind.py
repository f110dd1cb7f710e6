"""Pagefind, the program that makes the search index: where it is installed, and its runs.

A run goes on in the background while the build makes the rest of the site (`Indexing`); the
runs of an index in parts go one after another on a thread of their own (`IndexRuns`), so that
at most one Pagefind's memory is in use at a time.
"""

from __future__ import annotations

import importlib
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

from lemma.errors import OutputError
from lemma.model import SourceLocation

BUNDLE_DIR = "pagefind"  # Pagefind's default output folder inside the site
INSTALL_HINT = "pip install 'pagefind[bin]' (or: pip install 'lemma[search]')"
TIMEOUT_S = 300.0


def pagefind_binary() -> Path | None:
    """The Pagefind executable, or None when none is installed.

    Looked up in the order of the `pagefind` package's own lookup: $PAGEFIND_BINARY_PATH, the
    extended binary package, the plain one, then the PATH. Done here because importing
    `pagefind.service` imports asyncio and ssl, a cost every build would pay (13 ms).
    """
    found = os.environ.get("PAGEFIND_BINARY_PATH") or _packaged_binary()
    found = found or shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(found) if found and Path(found).is_file() else None


def _packaged_binary() -> str | None:
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            return str(importlib.import_module(package).get_executable())
        except ImportError:
            continue
        except Exception:  # a broken optional install is the same as no install
            return None
    return None


def unavailable_reason() -> str | None:
    """Why the site cannot get a search index, or None when it can."""
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return f"the 'pagefind' package is not installed; {INSTALL_HINT}"
    if pagefind_binary() is None:
        return f"the 'pagefind' package has no binary; {INSTALL_HINT}"
    return None


class Indexing:
    """One Pagefind run, going on in the background until `wait` or `stop`."""

    def __init__(
        self, site_dir: Path, bundle_dir: Path, timeout_s: float = TIMEOUT_S, beside: bool = False
    ) -> None:
        self.bundle_dir = bundle_dir
        self._where = SourceLocation(str(site_dir))
        binary = pagefind_binary()
        if binary is None:
            raise OutputError("search: Pagefind is not installed", self._where, hint=INSTALL_HINT)
        command = [str(binary), "--site", str(site_dir), "--output-path", str(bundle_dir)]
        # Pagefind reads PAGEFIND_* variables as options; pass none from the caller's shell.
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
        nice = shutil.which("nice") if beside else None
        if nice is not None:
            # At a lower priority, Pagefind takes the cores the build leaves idle: all of them
            # while the build waits for it, the others while it makes notebooks and the font.
            command = [nice, "-n", "10", *command]
        # Its output goes to a file, not a pipe: a full pipe would stop it while nobody reads.
        self._log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed by wait or stop)
        self._deadline = time.monotonic() + timeout_s
        try:
            self._process = subprocess.Popen(
                command, stdout=self._log, stderr=subprocess.STDOUT, env=env
            )
        except OSError as exc:
            self._log.close()
            raise OutputError(
                f"search: cannot run Pagefind: {exc}", self._where, hint=INSTALL_HINT
            ) from exc

    def wait(self) -> None:
        """Wait for the bundle; raises OutputError with Pagefind's last words if there is none."""
        try:
            code = _wait_exactly(self._process, max(0.0, self._deadline - time.monotonic()))
        except subprocess.TimeoutExpired as exc:
            self.stop()
            raise OutputError(
                f"search: cannot run Pagefind: {exc}", self._where, hint=INSTALL_HINT
            ) from exc
        self._log.seek(0)
        output = self._log.read().decode(errors="replace").strip().splitlines()
        self._log.close()
        if code != 0 or not (self.bundle_dir / "pagefind.js").is_file():
            detail = output[-1] if output else f"exit status {code}"
            raise OutputError(f"search: Pagefind failed: {detail}", self._where)

    def stop(self) -> None:
        """End the run if it is still going (a build that failed or was interrupted)."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._log.close()


def _wait_exactly(process: subprocess.Popen[bytes], timeout_s: float) -> int:
    """`process.wait(timeout_s)`, woken the moment the process ends. Popen's own timed wait
    polls with sleeps growing to 50 ms: on average 25 ms lost at the end of every build that
    waits for Pagefind. A pidfd (Linux 5.3+) becomes readable when the process ends."""
    try:
        pidfd = os.pidfd_open(process.pid)
    except (AttributeError, OSError):  # another system, or the process was already reaped
        return process.wait(timeout=timeout_s)
    try:
        poller = select.poll()  # not select.select, which fails on a descriptor past 1,023
        poller.register(pidfd, select.POLLIN)
        ended = poller.poll(timeout_s * 1000)
    finally:
        os.close(pidfd)
    if not ended:
        raise subprocess.TimeoutExpired(process.args, timeout_s)
    return process.wait()


class IndexRuns:
    """Pagefind runs one after another, on a thread of their own: the build goes on meanwhile,
    and at most one Pagefind's memory is in use at a time."""

    def __init__(
        self, runs: list[tuple[Path, Path]], timeout_s: float = TIMEOUT_S, beside: bool = False
    ) -> None:
        self._lock = threading.Lock()
        self._current: Indexing | None = None
        self._stopped = False
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(runs, timeout_s, beside), name="pagefind", daemon=True
        )
        self._thread.start()

    def _run(self, runs: list[tuple[Path, Path]], timeout_s: float, beside: bool) -> None:
        try:
            for site_dir, bundle_dir in runs:
                with self._lock:
                    if self._stopped:
                        return
                    self._current = Indexing(site_dir, bundle_dir, timeout_s, beside)
                self._current.wait()
        except BaseException as exc:  # raised again in the build's thread by `wait`
            self._error = exc

    def wait(self) -> None:
        """Wait for every bundle; raises what the run that failed raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        """End the runs if they are still going (a build that failed or was interrupted)."""
        with self._lock:
            self._stopped = True
            if self._current is not None:
                self._current.stop()
        self._thread.join()
