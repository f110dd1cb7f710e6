"""Parent side: adopt the processes posts leave behind, and kill them when their post ends.

Each post's process leads its own session and the scheduler kills its process group when the
post ends. A snippet can still leave the group (`start_new_session=True`, a double fork, a daemon)
and would outlive the build as a child of init. While posts run, the builder is a child subreaper
(Linux): such orphans become its children instead, and `Reaper.kill` finds, kills and reaps them.
Elsewhere this does nothing beyond the group kill.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

_PR_SET_CHILD_SUBREAPER = 36
_SWEEP_S = 5.0  # bound on one sweep: a process that keeps forking is killed faster than it forks


class Reaper:
    def __init__(self) -> None:
        self._pid = os.getpid()
        self._session = os.getsid(0)
        # Children that existed before the posts ran (the fork server, a test harness's own
        # processes) are never touched.
        self._exempt = {pid for pid, _ in _children(self._pid)}

    def kill(self, session: int | None = None) -> int:
        """Kill adopted children (only those of `session` when given), then any of their own
        children as they are adopted in turn; returns how many were killed."""
        killed = 0
        deadline = time.monotonic() + _SWEEP_S
        while time.monotonic() < deadline:
            found = [
                pid
                for pid, sid in _children(self._pid)
                if pid not in self._exempt
                and sid != self._session
                and (session is None or sid == session)
            ]
            if not found:
                break
            for pid in found:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)  # reap it: an adopted child is ours to wait for
            killed += len(found)
        return killed


@contextlib.contextmanager
def adopting_orphans() -> Iterator[Reaper]:
    """Be the subreaper while the block runs; kill every adopted process at its end."""
    enabled = _set_subreaper(True)
    reaper = Reaper()
    try:
        yield reaper
    finally:
        if enabled:
            reaper.kill()
            _set_subreaper(False)


def _set_subreaper(on: bool) -> bool:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_CHILD_SUBREAPER, int(on), 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _children(parent: int) -> list[tuple[int, int]]:
    """(pid, session id) of the processes whose parent is `parent` (this process), from /proc."""
    pids = _listed_children(parent)
    if pids is None:  # a kernel without /proc/PID/task/TID/children: scan every process
        pids = [int(e.name) for e in _proc_entries() if e.name.isdigit()]
    found = []
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 3 and int(fields[1]) == parent:
            found.append((pid, int(fields[3])))
    return found


def _listed_children(parent: int) -> list[int] | None:
    """Children of every thread of `parent`; None when the kernel does not list them."""
    if not Path(f"/proc/{parent}/task/{parent}/children").exists():
        return None
    pids: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{parent}/task").iterdir():
            with contextlib.suppress(OSError):  # a thread that ended meanwhile
                pids += [int(p) for p in (task / "children").read_text().split()]
    return pids


def _proc_entries() -> list[Path]:
    try:
        return list(Path("/proc").iterdir())
    except OSError:
        return []
