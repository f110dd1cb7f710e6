"""The memo and its file format: values come back equal, and anything else read back is a miss."""

from __future__ import annotations

import json
import os
import tracemalloc
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from lemma.errors import Problem
from lemma.load import load_post
from lemma.memos import MEMO_TYPES, Extracted
from lemma.model import Asset, FrontMatter, KeptPage, Page, Post, SnippetOptions, SourceLocation
from lemma.parse import extract_snippets
from lemma.render.body import RenderedBody
from lemma.reuse.codec import MemoCodec, Unencodable
from lemma.reuse.figures import FigureStore
from lemma.reuse.memo import Memo, memo_key
from lemma.reuse.memo_file import MEMO_FILE, MemoFile

POST = b"""---
title: Codec
date: 2025-03-01 10:30
tags: [a, b]
extra_date: 2024-01-02
nested: {k: [1, 2.5, null, true]}
---
Some prose.

```python
#| sweep: n = [1, 2, 3]
print(n)
```
"""
FIGURE = "a" * 64 + ".svg"


@pytest.fixture
def codec(tmp_path: Path) -> MemoCodec:
    figures = FigureStore(tmp_path / "figures")
    figures.folder.mkdir()
    (figures.folder / FIGURE).write_text("<svg/>")
    (tmp_path / "out").mkdir()
    return MemoCodec(MEMO_TYPES, figures, tmp_path / "out")


def round_trip(codec: MemoCodec, value: object) -> object:
    return codec.decode(json.loads(json.dumps(codec.encode(value))))


def test_posts_and_snippets_come_back_equal_with_the_same_key(codec: MemoCodec) -> None:
    loaded = load_post("posts/codec.md", POST, ZoneInfo("Europe/Paris"))
    post = loaded[0]
    extracted: Extracted = extract_snippets(post, SnippetOptions())
    assert extracted[0][0].options.sweeps
    for value in (loaded, extracted):
        back = round_trip(codec, value)
        assert back == value
        assert memo_key(back) == memo_key(value)  # a value read back finds the same entries


@pytest.mark.parametrize(
    "when",
    [
        datetime(2025, 1, 1, tzinfo=UTC),
        datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=-5))),
        datetime(2025, 1, 1, tzinfo=ZoneInfo("America/New_York")),
    ],
)
def test_dates_keep_their_time_zone(codec: MemoCodec, when: datetime) -> None:
    front = FrontMatter("T", when, extra={"day": date(2024, 2, 29), "at": when})
    back = round_trip(codec, front)
    assert back == front and repr(back) == repr(front)


def test_only_figures_of_the_store_are_kept_as_assets(codec: MemoCodec, tmp_path: Path) -> None:
    figure = Asset(f"figures/{FIGURE}", str(tmp_path / "figures" / FIGURE))
    body = RenderedBody("<p>x</p>", (), 1, (Problem("p", SourceLocation("a.md", 2)),), (figure,))
    assert round_trip(codec, body) == body
    with pytest.raises(Unencodable):
        codec.encode(Asset("media/x.png", "/etc/hostname"))
    with pytest.raises(Unencodable):
        codec.encode(Asset(f"figures/{FIGURE}", "/etc/hostname"))


def test_pages_are_taken_from_the_output_folder_only_when_unchanged(
    codec: MemoCodec, tmp_path: Path
) -> None:
    page = Page("posts/a/index.html", b"<p>page</p>")
    stored = json.loads(json.dumps(codec.encode(page)))
    with pytest.raises(ValueError):
        codec.decode(stored)  # not written yet
    (tmp_path / "out/posts/a").mkdir(parents=True)
    (tmp_path / "out/posts/a/index.html").write_bytes(page.content)
    kept = codec.decode(stored)
    # Checked, not held: the page's bytes stay in the output folder for the write step to link.
    assert isinstance(kept, KeptPage) and kept.output_path == page.output_path
    assert kept.stamp[1] == len(page.content)
    assert codec.encode(kept) == {**stored, "stamp": list(kept.stamp)}
    (tmp_path / "out/posts/a/index.html").write_bytes(b"<p>edited</p>")
    with pytest.raises(ValueError):
        codec.decode(stored)


def test_a_page_still_the_file_the_memo_saw_is_not_read_again(
    codec: MemoCodec, tmp_path: Path
) -> None:
    # A kept page is stored with its file's inode, size and modification time; while the file
    # has them, the next build takes its digest as checked (reading and hashing every page of a
    # large site cost half a second). Any write changes the modification time, and then the
    # bytes are checked again.
    file = tmp_path / "out/posts/a/index.html"
    file.parent.mkdir(parents=True)
    file.write_bytes(b"<p>page</p>")
    kept = codec.decode(
        json.loads(json.dumps(codec.encode(Page("posts/a/index.html", b"<p>page</p>"))))
    )
    stored = json.loads(json.dumps(codec.encode(kept)))
    assert stored["stamp"] == list(kept.stamp)
    times = (file.stat().st_atime_ns, file.stat().st_mtime_ns)
    with file.open("r+b") as same_file:  # the same size and inode, the time put back
        same_file.write(b"<p>Page</p>")
    os.utime(file, ns=times)
    assert codec.decode(stored) == kept, "taken by its stamp, not read"
    file.write_bytes(b"<p>Page</p>")
    os.utime(file, ns=(times[0], times[1] + 1_000_000))  # written: another modification time
    with pytest.raises(ValueError, match="changed since"):
        codec.decode(stored)
    for stamp in ([1, 2], ["1", 2, 3], [1, 2, 3.5]):
        with pytest.raises(ValueError, match="stamp"):
            codec.decode({**stored, "stamp": stamp})


@pytest.mark.parametrize(
    "data",
    [
        {"type": "Popen", "fields": [["ls"]]},
        {"type": "SourceLocation", "fields": ["a.md", "not a line", 0]},
        {"type": "SourceLocation", "fields": [None, 1, 0, 0]},  # scalars of the wrong kind
        {"type": "SourceLocation", "fields": [1, 1, 0, 0]},
        {"type": "SourceLocation", "fields": ["a.md", 1.5, 0, 0]},
        {"type": "SourceLocation", "fields": ["a.md", True, 0, 0]},
        {"type": "SourceLocation", "fields": ["a.md", 1]},
        {"type": "Post", "fields": "nope"},
        {"figure": "/etc/hostname"},
        {"figure": "../entries/x.json"},
        {"page": "/etc/hostname", "digest": "x"},
        {"page": "../../etc/hostname", "digest": "x"},
        {"dict": [[{"list": []}, 1]]},
        {"py/object": "os.system"},
        {"bytes": "not base64!"},
    ],
)
def test_anything_the_encoder_would_not_write_is_a_value_error(
    codec: MemoCodec, data: object
) -> None:
    with pytest.raises(ValueError):
        codec.decode(data)


def test_a_value_of_another_type_than_the_memo_holds_is_a_miss(codec: MemoCodec) -> None:
    location = codec.encode(SourceLocation("a.md", 3))
    with pytest.raises(ValueError):
        codec.decode_as(location, Post)
    memo: Memo[Post] = Memo({"k": location}, lambda data: codec.decode_as(data, Post))
    assert memo.get("k") is None


def test_a_memo_keeps_only_what_the_last_build_used() -> None:
    memo: Memo[str] = Memo()
    memo.keep("a", "A")
    memo.keep("b", "B")
    memo.end_build()
    assert memo.get("a") == "A"
    memo.end_build()
    assert memo.get("a") == "A" and memo.get("b") is None
    assert memo_key("x", 1) == memo_key("x", 1) != memo_key("x", 2)


def test_a_memo_file_keeps_what_a_build_used_and_drops_the_rest(
    codec: MemoCodec, tmp_path: Path
) -> None:
    path = tmp_path / MEMO_FILE
    first = MemoFile(path, "stamp", codec)
    names = first.memo("names", str)
    for key in ("a", "b", "c"):
        names.keep(key, f"value of {key}")
    first.save()
    second = MemoFile(path, "stamp", codec)
    names = second.memo("names", str)
    assert names.get("a") == "value of a"  # used, unchanged
    names.keep("d", "value of d")  # new
    names.end_build()  # b and c were not used
    second.save()
    second.close()
    third = MemoFile(path, "stamp", codec)
    names = third.memo("names", str)
    assert [names.get(key) for key in "abcd"] == ["value of a", None, None, "value of d"]
    third.close()


def test_an_entry_used_unchanged_is_copied_back_as_it_was_read(
    codec: MemoCodec, tmp_path: Path
) -> None:
    # Not decoded and encoded again: at 2,000 posts that was most of a prose edit's 0.75 s on
    # the memo file. A value written with spaces (no build writes them) shows which it was.
    path = tmp_path / MEMO_FILE
    header = b'{"format":3,"stamp":"stamp"}'
    path.write_bytes(header + b'\n["names","a"]\t "spaced"\n["names","b"]\t"dropped"\n')
    memo_file = MemoFile(path, "stamp", codec)
    names = memo_file.memo("names", str)
    assert names.get("a") == "spaced"
    names.keep("c", "new")
    names.end_build()
    memo_file.save()
    memo_file.close()
    assert path.read_bytes() == header + b'\n["names","a"]\t "spaced"\n["names","c"]\t"new"\n'


def test_an_entry_a_build_only_uses_is_kept_without_being_decoded(
    codec: MemoCodec, tmp_path: Path
) -> None:
    # A body found in the memo keeps its snippets' highlighted code for their next edit; it does
    # not need that code, so it is not read back.
    decoded: list[object] = []

    def decode(raw: object) -> str:
        decoded.append(raw)
        return str(raw)

    memo: Memo[str] = Memo({"a": "stored a", "b": "stored b"}, decode)
    assert memo.use("a") and not memo.use("c")
    memo.end_build()
    assert decoded == [] and [key for key, _, _ in memo.entries()] == ["a"]
    assert memo.get("a") == "stored a" and decoded == ["stored a"]
    spilled: Memo[str] = Memo({"a": "stored a"}, decode, spill=lambda value: value)
    spilled.keep("a", "kept this build")  # the newer value is the one used
    assert spilled.use("a") and spilled.get("a") == "kept this build"
    path = tmp_path / MEMO_FILE
    header = b'{"format":3,"stamp":"stamp"}'
    path.write_bytes(header + b'\n["names","a"]\t "spaced"\n["names","b"]\t"dropped"\n')
    memo_file = MemoFile(path, "stamp", codec)
    names = memo_file.memo("names", str)
    assert names.use("a")
    names.end_build()
    memo_file.save()
    memo_file.close()
    assert path.read_bytes() == header + b'\n["names","a"]\t "spaced"\n'


def test_a_memo_file_of_another_format_or_stamp_is_not_read(
    codec: MemoCodec, tmp_path: Path
) -> None:
    path = tmp_path / MEMO_FILE
    for header in (b'{"format":2,"stamp":"stamp"}', b'{"format":3,"stamp":"other"}', b"[]"):
        path.write_bytes(header + b'\n["names","a"]\t"old"\n')
        memo_file = MemoFile(path, "stamp", codec)
        assert memo_file.memo("names", str).get("a") is None
        memo_file.close()


def test_a_spilled_memo_holds_none_of_its_values_and_saves_them_all(
    codec: MemoCodec, tmp_path: Path
) -> None:
    # `lemma build`'s rendered bodies: 56 KB of HTML a post, 110 MB at 2,000 posts, were held
    # until the memo file was saved. Now each goes to a nameless file as it is kept.
    path = tmp_path / "cache" / MEMO_FILE
    memo_file = MemoFile(path, "stamp", codec)
    bodies = memo_file.memo("bodies", str, spill=True)
    tracemalloc.start()
    for number in range(100):
        bodies.keep(f"post {number}", f"<p>{number}</p>" * 5_000)  # about 50 KB each
        assert bodies.spilled(f"post {number}")
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert held < 1_000_000  # the 100 values take 5 MB
    assert bodies.get("post 7") == "<p>7</p>" * 5_000  # read back, every time it is asked
    assert list(path.parent.iterdir()) == []  # the spill file has no name
    memo_file.save()
    again = MemoFile(path, "stamp", codec)
    saved = again.memo("bodies", str)
    assert all(saved.get(f"post {n}") == f"<p>{n}</p>" * 5_000 for n in range(100))
    again.close()


def test_a_spilled_value_that_cannot_be_read_back_is_a_miss(
    codec: MemoCodec, tmp_path: Path
) -> None:
    memo_file = MemoFile(tmp_path / MEMO_FILE, "stamp", codec)
    bodies = memo_file.memo("bodies", str, spill=True)
    bodies.keep("post", "<p>body</p>")
    memo_file.close()  # its spilled values are gone with it
    assert bodies.get("post") is None  # a miss: the caller makes it again
    bodies.keep("post", "<p>body</p>")  # and, where nothing can be spilled, holds it
    assert not bodies.spilled("post") and bodies.get("post") == "<p>body</p>"
