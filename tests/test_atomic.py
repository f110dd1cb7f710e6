"""Files replaced whole: the target holds the old content or the new, and no temporary stays."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from lemma.reuse.atomic import atomic_file, write_atomically


class Stop(Exception):
    """Raised inside a block, to see what a failure leaves."""


def test_the_target_is_replaced_whole_and_nothing_else_stays(tmp_path: Path) -> None:
    target = tmp_path / "entry.json"
    target.write_bytes(b"old content, longer than the new one")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry.json"]


def test_a_new_file_is_made(tmp_path: Path) -> None:
    write_atomically(tmp_path / "figure.svg", b"<svg/>")
    assert (tmp_path / "figure.svg").read_bytes() == b"<svg/>"


def test_the_old_file_is_renamed_over_not_written_into(tmp_path: Path) -> None:
    # A reader that opened the old file goes on reading the old bytes: writing into the target
    # itself would show it the new ones, or half of them.
    target = tmp_path / "memo.json"
    target.write_bytes(b"old")
    with target.open("rb") as reader:
        write_atomically(target, b"new")
        assert reader.read() == b"old"
    assert target.read_bytes() == b"new"


def test_the_target_keeps_its_old_content_until_the_block_ends(tmp_path: Path) -> None:
    target = tmp_path / "memo.json"
    target.write_bytes(b"old")
    with atomic_file(target) as file:
        file.write(b"first part, ")
        file.flush()
        assert target.read_bytes() == b"old"
        file.write(b"second part")
    assert target.read_bytes() == b"first part, second part"


@pytest.mark.parametrize("exception", [Stop, KeyboardInterrupt])
def test_a_failure_in_the_block_leaves_the_old_file_and_no_temporary_one(
    tmp_path: Path, exception: type[BaseException]
) -> None:
    target = tmp_path / "build-memo.json"
    target.write_bytes(b"old")
    with pytest.raises(exception), atomic_file(target) as file:
        file.write(b"half of the new")
        raise exception
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build-memo.json"]


def test_a_failure_with_no_old_file_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(Stop), atomic_file(tmp_path / "new.json", "w") as file:
        file.write("{")
        raise Stop
    assert list(tmp_path.iterdir()) == []


def test_a_failed_rename_removes_the_temporary_file(tmp_path: Path) -> None:
    # A folder holding a file cannot be replaced by a file: the rename itself fails.
    target = tmp_path / "taken"
    target.mkdir()
    (target / "inside").write_bytes(b"kept")
    with pytest.raises(OSError):
        write_atomically(target, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
    assert (target / "inside").read_bytes() == b"kept"


def test_the_temporary_file_is_beside_the_target_under_its_prefix(tmp_path: Path) -> None:
    # reuse/prune.py removes what a killed build left among the entries by the `.tmp-` prefix.
    target = tmp_path / "entries" / "key.json"
    target.parent.mkdir()
    with atomic_file(target) as file:
        file.write(b"{}")
        (temporary,) = target.parent.iterdir()
        assert temporary.name.startswith(".tmp-")
    with atomic_file(tmp_path / "build-memo.json", prefix=".tmp-memo-") as file:
        names = [p.name for p in tmp_path.iterdir() if p.is_file()]
        assert len(names) == 1 and names[0].startswith(".tmp-memo-")
    assert (tmp_path / "build-memo.json").read_bytes() == b""


def test_text_is_written_as_utf_8(tmp_path: Path) -> None:
    write_atomically(tmp_path / "page.css", "p::before { content: 'é ∑'; }\n")
    expected = "p::before { content: 'é ∑'; }" + os.linesep
    assert (tmp_path / "page.css").read_bytes() == expected.encode("utf-8")
    with atomic_file(tmp_path / "map.json", "w") as file:
        file.write('{"π": 1}')
    assert (tmp_path / "map.json").read_bytes() == '{"π": 1}'.encode()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    # What mkstemp makes, as every writer of the cache did before this module.
    target = tmp_path / "entry.json"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_atomically(target, b"new")
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_missing_folder_is_an_error_not_made(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomically(tmp_path / "absent" / "entry.json", b"{}")
    assert list(tmp_path.iterdir()) == []
