"""The child's audit hook: each of Lemma's hooks sees its own events, and no others."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine_support import write_post
from lemma.execute import ExecutionSettings, execute_posts
from lemma.execute.sandbox import Guard, ProcessBudget, audit_hook
from lemma.execute.tracking import Tracker
from lemma.model import Error, SnippetOptions


class Recorder:
    def __init__(self, name: str, events: set[str], calls: list[tuple[str, str]]) -> None:
        self.name = name
        self.EVENTS = frozenset(events)
        self._calls = calls

    def __call__(self, event: str, args: tuple[object, ...]) -> None:
        self._calls.append((self.name, event))


def test_each_hook_is_called_on_its_own_events_in_the_order_given() -> None:
    calls: list[tuple[str, str]] = []
    first = Recorder("guard", {"open", "os.remove"}, calls)
    second = Recorder("tracker", {"open", "os.listdir"}, calls)
    audit = audit_hook((first, second))
    for event in ("open", "builtins.id", "os.listdir", "object.__getattr__", "os.remove"):
        audit(event, ())
    assert calls == [
        ("guard", "open"),
        ("tracker", "open"),
        ("tracker", "os.listdir"),
        ("guard", "os.remove"),
    ]


def test_a_hook_that_raises_stops_the_event_before_the_next_hook() -> None:
    # As with separate hooks: the write guard's refusal means the tracker never records a read.
    calls: list[tuple[str, str]] = []

    class Refusing(Recorder):
        def __call__(self, event: str, args: tuple[object, ...]) -> None:
            raise PermissionError(event)

    audit = audit_hook((Refusing("guard", {"open"}, calls), Recorder("tracker", {"open"}, calls)))
    with pytest.raises(PermissionError):
        audit("open", ())
    assert calls == []


def test_the_hooks_declare_the_events_they_act_on() -> None:
    # The events Python raises most often in a figure reach none of them.
    for events in (Guard.EVENTS, Tracker.EVENTS, ProcessBudget.EVENTS):
        assert not events & {"builtins.id", "object.__getattr__", "sys._getframe"}
    assert {"open", "os.rename", "os.symlink", "shutil.rmtree"} <= Guard.EVENTS
    assert {"open", "os.scandir", "subprocess.Popen", "socket.connect"} <= Tracker.EVENTS
    assert {"os.fork", "subprocess.Popen"} <= ProcessBudget.EVENTS


def test_every_kind_of_change_to_the_post_folder_is_refused_in_a_real_child(
    tmp_path: Path,
) -> None:
    (tmp_path / "posts").mkdir()
    data = tmp_path / "posts" / "data.csv"
    data.write_text("original")
    before = data.stat()
    refused = SnippetOptions(expects_error=True, expected_error="PermissionError")
    changes = [
        "import os\nos.rename('data.csv', 'moved.csv')",
        "import os\nos.chmod('data.csv', 0o600)",
        "import os\nos.utime('data.csv', (0, 0))",
        "import os\nos.truncate('data.csv', 0)",
        "import os\nos.remove('data.csv')",
        "import shutil\nshutil.rmtree('.')",
    ]
    job = write_post(tmp_path, "post", [(code, refused) for code in changes])
    settings = ExecutionSettings(
        tmp_path, tmp_path / ".lemma-cache", tmp_path / "_site", 1, 2048, False
    )
    run = execute_posts([job], settings)[job.source_path]
    errors = [o for result in run.results for o in result.outputs if isinstance(o, Error)]
    assert run.failure is None
    assert len(errors) == len(changes)
    assert all("cannot change files in the site folder" in error.evalue for error in errors)
    after = data.stat()
    assert data.read_text() == "original"
    assert (after.st_mode, after.st_mtime_ns) == (before.st_mode, before.st_mtime_ns)
