"""Ctrl-C and SIGTERM: one interruption, and the moments it must wait.

SIGTERM is what `kill PID`, a CI runner's cancel, systemd and `docker stop` send. Its default
action ends the process at once: post processes left running, a staging folder left beside the
site. Made a KeyboardInterrupt, it unwinds as Ctrl-C does: children killed, staging removed, the
previous site untouched, the fork server stopped.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import NoReturn

INTERRUPTIONS = {signal.SIGINT, signal.SIGTERM}


def sigterm_raises_interrupt() -> bool:
    """From now on SIGTERM raises KeyboardInterrupt as Ctrl-C does; whether it was set.

    Only in the main thread (the one Python runs signal handlers in), and only while SIGTERM has
    its default action: a handler set by whoever called Lemma stays theirs."""
    if threading.current_thread() is not threading.main_thread():
        return False
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return False
    signal.signal(signal.SIGTERM, _raise_interrupt)
    return True


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM raises KeyboardInterrupt (`sigterm_raises_interrupt`); after
    it, SIGTERM does what it did before."""
    made = sigterm_raises_interrupt()
    try:
        yield
    finally:
        if made:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM held back until the block ends (and then delivered): for a folder
    made and named in it, or a process started and known in it, which an interruption must
    find to remove or stop.

    Blocking the signals in this thread is not enough. A signal that came just before, or that
    the kernel handed to another thread of the build (Pagefind's, the old site's removal), has
    been caught already, and Python runs its handler at the main thread's next line: inside the
    block. So in the main thread, the only one where Python runs handlers, the block's handlers
    only note a signal, and it is raised again once the block ends."""
    noted: list[int] = []
    main = threading.current_thread() is threading.main_thread()
    previous = {signum: signal.getsignal(signum) for signum in INTERRUPTIONS} if main else {}
    held = signal.pthread_sigmask(signal.SIG_BLOCK, ()) & INTERRUPTIONS  # by a caller already
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, INTERRUPTIONS)
        for signum in previous:
            signal.signal(signum, lambda signum, _frame: noted.append(signum))
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, INTERRUPTIONS - held)
        for caught in noted:
            signal.raise_signal(caught)


def _raise_interrupt(_signum: int, _frame: FrameType | None) -> NoReturn:
    raise KeyboardInterrupt
