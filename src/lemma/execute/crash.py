"""Errors for a child that died or was killed: which snippet and line, and why, in plain words."""

from __future__ import annotations

import linecache
import re
import signal
from collections.abc import Sequence

from lemma.model import Error, Snippet, SourceLocation

_SIGNAL_WORDS = {
    signal.SIGSEGV: "segmentation fault",
    signal.SIGBUS: "bus error",
    signal.SIGABRT: "aborted",
    signal.SIGFPE: "floating-point exception",
    signal.SIGILL: "illegal instruction",
    signal.SIGALRM: "alarm clock, from signal.alarm()",
    signal.SIGTERM: "terminated",
    signal.SIGXFSZ: "a file or its output grew past the size limit",
}

_SIGNAL_NUMBERS = {int(s) for s in _SIGNAL_WORDS}

# faulthandler's frame lines: `  File "posts/x.md", line 12 in <module>`
_FRAME = re.compile(r'^\s*File "(?P<file>.*)", line (?P<line>\d+) in (?P<name>.*)$')


def describe_exit(exitcode: int | None, memory_limit_mb: int) -> str:
    """Why a process ended, from its multiprocessing-style exit code (negative: a signal)."""
    if exitcode is None:
        return "the snippet's process stopped for an unknown reason"
    if exitcode >= 0:
        return f"the snippet's process exited with code {exitcode}"
    number = -exitcode
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = f"signal {number}"
    if number == signal.SIGKILL:
        limit = f"{memory_limit_mb} MB" if memory_limit_mb else "none set"
        return (
            f"the snippet's process was killed by {name}, most likely because it ran out of "
            f"memory (limit {limit})"
        )
    words = _SIGNAL_WORDS.get(signal.Signals(number)) if number in _SIGNAL_NUMBERS else None
    words = words or (signal.strsignal(number) or name).lower()
    return f"the snippet's process was killed by signal {name} ({words})"


def parse_fault_frames(dump: str, source_path: str) -> list[tuple[str, int, str]]:
    """Frames (file, line, function), outermost first, of the last traceback in a faulthandler dump
    that passes through the post."""
    blocks: list[list[tuple[str, int, str]]] = [[]]
    for line in dump.splitlines():
        match = _FRAME.match(line)
        if match:
            blocks[-1].append((match["file"], int(match["line"]), match["name"]))
        elif blocks[-1]:
            blocks.append([])
    for block in reversed(blocks):
        if any(file == source_path for file, _, _ in block):
            frames = list(reversed(block))  # faulthandler prints the most recent call first
            first = next(i for i, (file, _, _) in enumerate(frames) if file == source_path)
            return frames[first:]
    return []


def crash_error(
    kind: str,
    message: str,
    source_path: str,
    running: Snippet | None,
    snippets: Sequence[Snippet],
    fault_dump: str,
) -> Error:
    """An Error for a dead or killed child, at the innermost line of the post it was running."""
    frames = parse_fault_frames(fault_dump, source_path)
    post_lines = [line for file, line, _ in frames if file == source_path]
    line = post_lines[-1] if post_lines else (running.location.line if running else 0)
    if kind == "timeout":
        assert running is not None
        evalue = f"timed out after {running.options.timeout_s:g} s at {source_path}:{line}"
        ename = "TimeoutError"
    else:
        evalue, ename = message, "Crash"
    text = ""
    if frames:
        text = "Traceback (most recent call last):\n"
        for file, number, name in frames:
            text += f'  File "{file}", line {number}, in {name}\n'
            code = _line_text(file, number, source_path, snippets)
            if code:
                text += f"    {code}\n"
    text += f"{ename}: {evalue}\n"
    location = SourceLocation(source_path, line) if line else SourceLocation(source_path)
    return Error(ename, evalue, text, location, kind="timeout" if kind == "timeout" else "crash")


def _line_text(file: str, line: int, source_path: str, snippets: Sequence[Snippet]) -> str:
    if file != source_path:
        return linecache.getline(file, line).strip()
    for snippet in snippets:
        offset = line - snippet.location.line
        code_lines = snippet.code.splitlines()
        if 0 <= offset < len(code_lines):
            return code_lines[offset].strip()
    return ""
