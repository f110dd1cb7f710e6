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
    made and named in it, which an interruption must find to remove."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, INTERRUPTIONS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _raise_interrupt(_signum: int, _frame: FrameType | None) -> NoReturn:
    raise KeyboardInterrupt
