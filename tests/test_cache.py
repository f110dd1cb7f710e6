"""The execution cache: what re-executes a post, what does not, and damaged entries."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import engine_support
from engine_support import Code
from lemma.execute import ExecutionSettings, PostJob, execute_posts
from lemma.model import (
    Error,
    Figure,
    FileRecord,
    PostRun,
    Snippet,
    SnippetOptions,
    SourceLocation,
    Stream,
)
from lemma.reuse.cache import CACHE_FORMAT, CacheStore, Manifest, cache_key

READS_DATA = "import numpy as np\nprint(np.loadtxt('data.csv', delimiter=',').sum())"


def write_post(root: Path, codes: Sequence[Code], prose: str = "Some prose.") -> PostJob:
    return engine_support.write_post(root, "post", codes, prose)


def build(root: Path, job: PostJob, use_cache: bool = True) -> PostRun:
    settings = ExecutionSettings(root, root / ".lemma-cache", root / "_site", 2, 1024, use_cache)
    return execute_posts([job], settings)[job.source_path]


def entries(root: Path) -> list[Path]:
    return sorted((root / ".lemma-cache" / "entries").glob("*.json"))


def test_second_build_comes_from_the_cache_with_the_same_results(tmp_path: Path) -> None:
    job = write_post(tmp_path, ["print('hello')", "import matplotlib.pyplot as plt\nplt.plot([1])"])
    first = build(tmp_path, job)
    second = build(tmp_path, job)
    assert (first.from_cache, second.from_cache) == (False, True)
    assert second.results == first.results
    assert isinstance(second.results[1].outputs[0], Figure)


def test_prose_and_front_matter_edits_keep_the_cache(tmp_path: Path) -> None:
    build(tmp_path, write_post(tmp_path, ["print('hello')"]))
    edited = write_post(tmp_path, ["print('hello')"], prose="Other words.\nAnd a new line.")
    assert build(tmp_path, edited).from_cache


def test_code_edit_re_executes(tmp_path: Path) -> None:
    build(tmp_path, write_post(tmp_path, ["print('hello')"]))
    run = build(tmp_path, write_post(tmp_path, ["print('hello, world')"]))
    assert not run.from_cache
    assert run.results[0].outputs == (Stream("stdout", "hello, world\n"),)


def test_editing_a_data_file_the_post_reads_re_executes(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    data = tmp_path / "posts" / "data.csv"
    data.write_text("1,2\n")
    job = write_post(tmp_path, [READS_DATA])
    build(tmp_path, job)
    assert build(tmp_path, job).from_cache
    data.write_text("1,2\n3,4\n")
    run = build(tmp_path, job)
    assert not run.from_cache
    assert run.results[0].outputs == (Stream("stdout", "10.0\n"),)


def test_editing_a_local_module_re_executes(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    module = tmp_path / "posts" / "helpers.py"
    module.write_text("VALUE = 1\n")
    job = write_post(tmp_path, ["from helpers import VALUE\nprint(VALUE)"])
    build(tmp_path, job)
    module.write_text("VALUE = 2\n")
    run = build(tmp_path, job)
    assert not run.from_cache
    assert run.results[0].outputs == (Stream("stdout", "2\n"),)


def test_damaged_entries_are_misses_never_crashes(tmp_path: Path) -> None:
    job = write_post(tmp_path, ["print('hello')"])
    build(tmp_path, job)
    (entry,) = entries(tmp_path)
    good = entry.read_bytes()
    foreign = json.loads(good)
    foreign["format"] = CACHE_FORMAT + 1
    wrong_shape = {**json.loads(good), "payload": {"results": "nope"}}
    for damage in (
        good[: len(good) // 2],
        b"\x00garbage",
        json.dumps(foreign).encode(),
        json.dumps(wrong_shape).encode(),
        b"[]",
    ):
        entry.write_bytes(damage)
        run = build(tmp_path, job)
        assert not run.from_cache
        assert run.results[0].outputs == (Stream("stdout", "hello\n"),)
        assert build(tmp_path, job).from_cache  # rewritten whole


def test_an_entry_whose_figure_file_is_gone_is_a_miss(tmp_path: Path) -> None:
    job = write_post(tmp_path, ["import matplotlib.pyplot as plt\nplt.plot([1, 2])"])
    figure = build(tmp_path, job).results[0].outputs[0]
    assert isinstance(figure, Figure)
    (tmp_path / ".lemma-cache" / "figures" / figure.file_name).unlink()
    run = build(tmp_path, job)
    assert not run.from_cache
    assert (tmp_path / ".lemma-cache" / "figures" / figure.file_name).is_file()


def test_the_cache_stays_valid_when_the_site_folder_moves(tmp_path: Path) -> None:
    (tmp_path / "a" / "posts").mkdir(parents=True)
    (tmp_path / "a" / "posts" / "data.csv").write_text("1,2\n")
    job = write_post(tmp_path / "a", [READS_DATA])
    build(tmp_path / "a", job)
    shutil.move(tmp_path / "a", tmp_path / "b")
    assert build(tmp_path / "b", job).from_cache
    assert str(tmp_path) not in entries(tmp_path / "b")[0].read_text()


def test_failed_runs_are_not_cached(tmp_path: Path) -> None:
    job = write_post(tmp_path, ["1 / 0"])
    build(tmp_path, job)
    assert entries(tmp_path) == []
    assert not build(tmp_path, job).from_cache


def test_no_cache_neither_reads_nor_writes_entries(tmp_path: Path) -> None:
    job = write_post(tmp_path, ["print(1)"])
    build(tmp_path, job)
    assert not build(tmp_path, job, use_cache=False).from_cache
    shutil.rmtree(tmp_path / ".lemma-cache")
    build(tmp_path, job, use_cache=False)
    assert entries(tmp_path) == []


def test_a_hit_after_lines_moved_points_errors_at_the_new_lines(tmp_path: Path) -> None:
    expects = SnippetOptions(expects_error=True)
    build(tmp_path, write_post(tmp_path, [("x = 1\nundefined_name", expects)]))
    moved = write_post(tmp_path, [("x = 1\nundefined_name", expects)], prose="One\nTwo\nThree")
    run = build(tmp_path, moved)
    assert run.from_cache
    error = run.results[0].outputs[0]
    assert isinstance(error, Error)
    assert error.location == SourceLocation("posts/post.md", 11)
    assert 'File "posts/post.md", line 11' in error.traceback


def test_key_ignores_prose_and_non_executed_fences_but_not_options() -> None:
    def snippet(code: str, line: int, options: SnippetOptions, language: str = "python") -> Snippet:
        return Snippet(0, language, code, SourceLocation("posts/p.md", line), options, line - 1)

    plain = SnippetOptions()
    base = cache_key("posts/p.md", [snippet("x = 1", 5, plain)])
    assert cache_key("posts/p.md", [snippet("x = 1", 50, plain)]) == base
    assert cache_key("posts/p.md", [snippet("x = 1", 5, SnippetOptions(echo=False))]) == base
    assert cache_key("posts/p.md", [snippet("x = 2", 5, plain)]) != base
    assert cache_key("posts/p.md", [snippet("x = 1", 5, SnippetOptions(timeout_s=5))]) != base
    assert cache_key("posts/q.md", [snippet("x = 1", 5, plain)]) != base
    text_a, text_b = snippet("a", 5, plain, "text"), snippet("b", 5, plain, "text")
    assert cache_key("posts/p.md", [text_a]) == cache_key("posts/p.md", [text_b])


def test_store_rejects_manifests_pointing_outside_the_root(tmp_path: Path) -> None:
    store = CacheStore(tmp_path / ".lemma-cache", tmp_path)
    store.save("k", {"x": 1}, Manifest(files=(FileRecord("../outside", ""),)))
    assert store.load("k") is None
    store.save("k", {"x": 1}, Manifest(files=(FileRecord("missing.txt", ""),)))
    assert store.load("k") == {"x": 1}  # a file looked for and absent is still absent
    (tmp_path / "missing.txt").write_text("now here")
    assert store.load("k") is None


def test_distribution_versions_are_recorded_and_checked(tmp_path: Path) -> None:
    store = CacheStore(tmp_path / ".lemma-cache", tmp_path)
    distributions = store.distributions_for(["numpy", "not_a_module_xyz"])
    assert [name for name, _ in distributions] == ["numpy"]
    store.save("k", {}, Manifest(distributions=distributions))
    assert store.load("k") == {}
    store.save("k", {}, Manifest(distributions=(("numpy", "0.0.1"),)))
    assert store.load("k") is None
