"""Search: a Pagefind index built inside the site before the swap, or a clear warning without it."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lemma.errors import LemmaError
from lemma.model import Page, Site
from lemma.write.pagefind import Indexing, IndexRuns, unavailable_reason
from lemma.write.search import SearchIndex, index_site, searched_digest
from lemma.write.search_edits import Edits, fragment_ids, page_url, plan_edits
from lemma.write.search_parts import PARTS_FILE, split_pages

REPO = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_pagefind() -> None:
    reason = unavailable_reason()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: search must be tested)", pytrace=False)
    pytest.skip(reason)


def write_site(root: Path, *, search: bool = True) -> None:
    (root / "posts").mkdir(parents=True)
    (root / "site.toml").write_text(
        f'title = "Search test"\nsearch = {"true" if search else "false"}\n', encoding="utf-8"
    )
    (root / "posts" / "2025-01-01-hello.md").write_text(
        "---\ntitle: Hello\ndate: 2025-01-01\ntags: [a]\n---\n\n"
        "The word quixotically appears here.\n",
        encoding="utf-8",
    )


def build(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ, PYTHONPATH=str(REPO / "src"), SOURCE_DATE_EPOCH="1767225600")
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "lemma", "build", "--root", str(root), *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def assert_same_files(one: Path, two: Path) -> None:
    """The two folders hold the same files with the same bytes (two search bundles)."""
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)


def parts_file(site: Path) -> dict[str, list[str]]:
    return dict(json.loads((site / "pagefind" / PARTS_FILE).read_text(encoding="utf-8")))


def searched(site: Path) -> dict[str, bytes]:
    """What a reader's search holds of each page (its fragment), by URL: the fragments of every
    bundle of the site but those the parts file hides; a page in two bundles, alike in both."""
    listed = parts_file(site)
    bundle = site / "pagefind"
    found: dict[str, bytes] = {}
    for folder in [bundle, *(bundle / part for part in listed["parts"])]:
        for path in sorted((folder / "fragment").glob("*.pf_fragment")):
            if path.stem not in listed["hidden"]:
                data = gzip.decompress(path.read_bytes())
                url = json.loads(data.removeprefix(b"pagefind_dcd"))["url"]
                assert found.setdefault(url, data) == data, f"{url}: two versions found"
    return found


def test_build_writes_a_pagefind_index_inside_the_site(tmp_path: Path) -> None:
    require_pagefind()
    write_site(tmp_path)
    done = build(tmp_path)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "_site"
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert list((site / "pagefind" / "index").glob("*.pf_index"))
    assert list((site / "pagefind" / "fragment").glob("*.pf_fragment"))
    search_page = (site / "search" / "index.html").read_text(encoding="utf-8")
    assert 'data-bundle="/pagefind/pagefind.js"' in search_page
    assert "assets/search.js" in search_page
    # Only post bodies are indexed: one fragment, for the one post.
    assert len(list((site / "pagefind" / "fragment").glob("*.pf_fragment"))) == 1
    assert not list(tmp_path.glob("._site.new-*")), "no staging folder is left behind"


def test_index_is_the_same_for_the_same_site(tmp_path: Path) -> None:
    require_pagefind()
    write_site(tmp_path)
    assert build(tmp_path, "--out", str(tmp_path / "one")).returncode == 0
    assert build(tmp_path, "--out", str(tmp_path / "two")).returncode == 0
    one, two = tmp_path / "one" / "pagefind", tmp_path / "two" / "pagefind"
    assert_same_files(one, two)


def test_search_false_builds_no_index_and_no_search_page(tmp_path: Path) -> None:
    write_site(tmp_path, search=False)
    done = build(tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "_site" / "pagefind").exists()
    assert not (tmp_path / "_site" / "search").exists()
    assert 'role="search"' not in (tmp_path / "_site" / "index.html").read_text(encoding="utf-8")


def test_missing_pagefind_is_one_warning_and_no_search_ui(tmp_path: Path) -> None:
    write_site(tmp_path)
    # Empty packages named pagefind and pagefind_bin, first on the path, hide the real ones.
    fake = tmp_path / "fake"
    for package in ("pagefind", "pagefind_bin"):
        (fake / package).mkdir(parents=True)
        (fake / package / "__init__.py").write_text("", encoding="utf-8")
    env = {"PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(fake)])}
    done = build(tmp_path, "--strict", env=env)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "search" in line]
    assert len(warnings) == 1 and "pagefind" in warnings[0] and "warning" in warnings[0]
    assert not (tmp_path / "_site" / "search").exists()
    assert 'role="search"' not in (tmp_path / "_site" / "index.html").read_text(encoding="utf-8")


def test_failed_indexing_raises_and_names_the_folder(tmp_path: Path) -> None:
    require_pagefind()
    with pytest.raises(LemmaError) as caught:
        index_site(tmp_path / "does-not-exist")
    assert "Pagefind" in caught.value.problem.message


def test_the_bundle_is_what_pagefind_makes_of_the_finished_site(tmp_path: Path) -> None:
    # A build starts Pagefind on its HTML pages before it makes the notebooks and the math
    # font; the bundle must still be the one Pagefind makes of the whole site.
    require_pagefind()
    write_site(tmp_path)
    (tmp_path / "posts" / "2025-01-02-sums.md").write_text(
        "---\ntitle: Sums\ndate: 2025-01-02\n---\n\n"
        "The sum $\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$ is quadratic.\n\n"
        "```python\nprint(sum(range(11)))\n```\n",
        encoding="utf-8",
    )
    done = build(tmp_path)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "_site"
    assert (site / "posts" / "sums" / "sums.ipynb").is_file()
    assert list((site / "assets").rglob("*.woff2")), "the math font is part of the site"
    again = tmp_path / "again"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    index_site(again)
    built, made = site / "pagefind", again / "pagefind"
    assert_same_files(built, made)


def test_the_searched_digest_follows_html_bytes_not_page_order(tmp_path: Path) -> None:
    # A build starts the index on pages in the order they were made (redirects last) and checks
    # the finished, sorted site against it: the same pages must give the same digest.
    pages = (Page("b/index.html", b"<p>b</p>"), Page("a/index.html", b"<p>a</p>"))
    feed = Page("feed.xml", b"<feed/>")

    def searched(*site_pages: Page, part_pages: int = 500) -> str:
        return searched_digest(tmp_path, Site(site_pages, ()), part_pages)

    digest = searched(*pages, feed)
    assert searched(feed, *reversed(pages)) == digest
    assert searched(*pages, Page("feed.xml", b"<feed>2</feed>")) == digest
    edited = (Page("b/index.html", b"<p>B</p>"), pages[1])
    assert searched(*edited, feed) != digest
    assert searched(*pages, feed, part_pages=2) != digest, "the same pages in other parts"


def test_pages_that_changed_after_the_index_started_are_indexed_again(tmp_path: Path) -> None:
    # finalize's guard: the bundle is always that of the pages swapped in. Here `start` sees the
    # pages of the last index and keeps its bundle; a page made again after that must not be
    # left out of the search.
    require_pagefind()

    def page(path: str, words: str) -> Page:
        body = f"<article data-pagefind-body><h1>{words}</h1><p>{words}</p></article>"
        return Page(path, f'<html lang="en"><body>{body}</body></html>'.encode())

    def stage(site: Site, folder: Path) -> None:
        for p in site.pages:
            (folder / p.output_path).parent.mkdir(parents=True, exist_ok=True)
            (folder / p.output_path).write_bytes(p.content)

    out, staging, cache = tmp_path / "out", tmp_path / "staging", tmp_path / "cache"
    first = Site((page("a/index.html", "alpha"), page("b/index.html", "beta")), ())
    final = Site((first.pages[0], page("b/index.html", "gamma")), ())
    cache.mkdir()
    with SearchIndex(cache, out, reuse=True) as search:  # the last build's site and its record
        stage(first, tmp_path / "last")
        search.start(tmp_path / "last", first)
        search.finalize(tmp_path / "last", first)
        (tmp_path / "last").rename(out)
        search.record()
    with SearchIndex(cache, out, reuse=True) as search:  # the record is of these pages
        stage(first, tmp_path / "same")
        search.start(tmp_path / "same", first)
        search.finalize(tmp_path / "same", first)
    entry = "pagefind/pagefind-entry.json"
    assert (tmp_path / "same" / entry).stat().st_ino == (out / entry).stat().st_ino, "linked in"
    with SearchIndex(cache, out, reuse=True) as search:
        stage(first, staging)
        search.start(staging, first)  # the same pages: the last bundle will do
        stage(final, staging)  # b is made again after the start
        search.finalize(staging, final)
    again = tmp_path / "again"
    shutil.copytree(staging, again, ignore=shutil.ignore_patterns("pagefind"))
    index_site(again)
    built, made = staging / "pagefind", again / "pagefind"
    assert_same_files(built, made)


def test_a_build_whose_index_fails_keeps_the_site_and_the_next_build_has_the_edit(
    tmp_path: Path,
) -> None:
    # The memo file is saved while Pagefind runs, before the swap: when the swap then does not
    # happen, the memo names pages the output folder does not hold, and the next build must
    # make them again rather than keep the old ones.
    require_pagefind()
    write_site(tmp_path)
    assert build(tmp_path).returncode == 0
    page = tmp_path / "_site" / "posts" / "hello" / "index.html"
    post = tmp_path / "posts" / "2025-01-01-hello.md"
    post.write_text(post.read_text(encoding="utf-8").replace("quixotically", "zephyr"))
    failed = build(tmp_path, env={"PAGEFIND_BINARY_PATH": shutil.which("false") or "/bin/false"})
    assert failed.returncode != 0
    assert "search: Pagefind failed" in failed.stderr
    assert "quixotically" in page.read_text(encoding="utf-8"), "the previous site is kept"
    again = build(tmp_path)
    assert again.returncode == 0, again.stderr
    assert "zephyr" in page.read_text(encoding="utf-8")
    assert "quixotically" not in page.read_text(encoding="utf-8")


def test_a_pagefind_that_never_ends_is_stopped_at_its_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A hung Pagefind must not hang the build: past its limit the wait raises a search error
    # and the process is gone, whichever way the wait is woken (a pidfd, or Popen's polling).
    hung = tmp_path / "pagefind"
    pid_file = tmp_path / "pid"
    hung.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 60\n", encoding="utf-8")
    hung.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(hung))
    (tmp_path / "site").mkdir()
    indexing = Indexing(tmp_path / "site", tmp_path / "bundle", timeout_s=0.3)
    with pytest.raises(LemmaError, match="search: cannot run Pagefind"):
        indexing.wait()
    with pytest.raises(ProcessLookupError):  # killed and reaped
        os.kill(int(pid_file.read_text(encoding="utf-8")), 0)


def write_parts_site(root: Path, posts: int = 7) -> None:
    """A site whose search index is in parts of about 2 pages."""
    (root / "posts").mkdir(parents=True)
    (root / "site.toml").write_text('title = "Parts"\nsearch_part_pages = 2\n', encoding="utf-8")
    for day in range(1, posts + 1):
        (root / "posts" / f"2025-01-{day:02}-p{day}.md").write_text(
            f"---\ntitle: Post {day}\ndate: 2025-01-{day:02}\ntags: [t{day}]\n---\n\n"
            f"The word word{day} appears here.\n",
            encoding="utf-8",
        )


def part_entries(site: Path) -> dict[str, int]:
    """Each part's bundle (its folder in the site): the inode of its entry file."""
    bundle = site / "pagefind"
    parts = json.loads((bundle / PARTS_FILE).read_text(encoding="utf-8"))["parts"]
    folders = [bundle, *(bundle / part for part in parts)]
    return {
        f.relative_to(site).as_posix(): (f / "pagefind-entry.json").stat().st_ino for f in folders
    }


def edit(post: Path, old: str, new: str) -> None:
    post.write_text(post.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def assert_same_as_clean(root: Path, clean: Path) -> None:
    """The search bundles of `root`'s site are those of a clean build of its sources."""
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("_site", ".lemma-cache"))
    assert build(clean).returncode == 0
    assert_same_files(root / "_site" / "pagefind", clean / "_site" / "pagefind")


def test_an_edit_indexes_its_page_alone_and_hides_its_old_version(tmp_path: Path) -> None:
    require_pagefind()
    root = tmp_path / "blog"
    write_parts_site(root)  # parts of 2 pages: one page may differ from its part's bundle
    assert build(root).returncode == 0
    site = root / "_site"
    before = part_entries(site)
    assert len(before) >= 3
    old_ids = {url: id_ for part in before for url, id_ in fragment_ids(site / part).items()}
    edit(root / "posts" / "2025-01-03-p3.md", "word3", "zephyr")
    done = build(root)
    assert done.returncode == 0, done.stderr
    after = part_entries(site)
    assert {k: v for k, v in after.items() if k != "pagefind/edits"} == before, (
        "every part keeps its bundle"
    )
    assert list(fragment_ids(site / "pagefind" / "edits")) == ["/posts/p3/"]
    assert parts_file(site)["hidden"] == [old_ids["/posts/p3/"]], "the part's old version"
    # Put back as it was: the parts' bundles hold it, so nothing is edited or hidden.
    edit(root / "posts" / "2025-01-03-p3.md", "zephyr", "word3")
    assert build(root).returncode == 0
    assert part_entries(site) == before
    assert parts_file(site)["hidden"] == []
    assert not (site / "pagefind" / "edits").exists()


def test_more_edits_than_a_tenth_of_a_part_index_their_parts_again(tmp_path: Path) -> None:
    require_pagefind()
    root = tmp_path / "blog"
    write_parts_site(root)  # parts of 2 pages: a second edited page is one too many
    assert build(root).returncode == 0
    edit(root / "posts" / "2025-01-03-p3.md", "word3", "zephyr")
    assert build(root).returncode == 0
    assert (root / "_site" / "pagefind" / "edits").is_dir()
    edit(root / "posts" / "2025-01-05-p5.md", "word5", "quagga")
    done = build(root)
    assert done.returncode == 0, done.stderr
    assert not (root / "_site" / "pagefind" / "edits").exists()
    assert_same_as_clean(root, tmp_path / "clean")


def test_edits_are_planned_against_what_each_part_bundle_holds() -> None:
    bundled = [{"a": "1", "b": "1"}, {"c": "1", "d": "1"}]
    same = plan_edits([dict(part) for part in bundled], bundled, limit=3)
    assert same == Edits(frozenset(), {}, {})
    # b changed, d went away, e is new: each differs from what its part's bundle holds.
    edited = plan_edits([{"a": "1", "b": "2"}, {"c": "1", "e": "1"}], bundled, limit=3)
    assert edited == Edits(frozenset(), {"b": "2", "e": "1"}, {"b": 0, "d": 1})
    assert plan_edits([{"a": "1", "b": "2"}, {"c": "1", "e": "1"}], bundled, limit=2) == Edits(
        frozenset({0, 1}), {}, {}
    ), "three pages differ: both parts are indexed again"


def test_a_page_url_is_the_one_pagefind_gives_it() -> None:
    assert page_url("index.html") == "/"
    assert page_url("posts/p3/index.html") == "/posts/p3/"
    assert page_url("404.html") == "/404.html"
    assert page_url("notes/reindex.html") == "/notes/reindex.html"


def test_a_new_part_size_alone_makes_the_parts_again(tmp_path: Path) -> None:
    # No page changes, so no page is indexed again: the parts must still follow site.toml.
    require_pagefind()
    write_parts_site(tmp_path)
    assert build(tmp_path).returncode == 0
    assert len(part_entries(tmp_path / "_site")) >= 3
    toml = tmp_path / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("= 2", "= 500"), encoding="utf-8")
    done = build(tmp_path)
    assert done.returncode == 0, done.stderr
    assert list(part_entries(tmp_path / "_site")) == ["pagefind"], "one part of 7 pages"
    clean = tmp_path / "clean"
    shutil.copytree(
        tmp_path, clean, ignore=shutil.ignore_patterns("_site", ".lemma-cache", "clean")
    )
    assert build(clean).returncode == 0
    assert_same_files(tmp_path / "_site" / "pagefind", clean / "_site" / "pagefind")


def test_parts_index_the_posts_and_nothing_else(tmp_path: Path) -> None:
    # Pagefind indexes only the pages with data-pagefind-body (posts) when any page has one; it
    # sees one part at a time, so a part of tag and list pages alone must not be indexed.
    require_pagefind()
    write_parts_site(tmp_path)
    assert build(tmp_path).returncode == 0
    site = tmp_path / "_site"
    assert len(list(site.rglob("*.html"))) > 14, "tag, archive and list pages besides the posts"
    fragments = [f for part in part_entries(site) for f in (site / part / "fragment").iterdir()]
    assert len(fragments) == 7
    again = tmp_path / "again"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    index_site(again, part_pages=2)
    assert_same_files(site / "pagefind", again / "pagefind")


def test_parts_are_never_empty_and_a_new_page_changes_one_part() -> None:
    pages = [f"posts/p{n}/index.html" for n in range(40)]
    for size in (1, 2, 3, 7, 40, 500):
        parts = split_pages(pages, size)
        assert all(parts) and sorted(p for part in parts for p in part) == sorted(pages)
        assert len(parts) <= -(-len(pages) // size)
    parts = split_pages(pages[:35], 10)
    grown = split_pages([*pages[:35], "posts/new/index.html"], 10)
    assert len(grown) == len(parts) == 4
    assert sum(a != b for a, b in zip(parts, grown, strict=True)) == 1


def test_index_runs_go_one_after_another_and_stop_at_the_first_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The parts are indexed one at a time (one Pagefind's memory at a time); a part Pagefind
    # cannot index fails the build with Pagefind's last words, and no later part is started.
    log = tmp_path / "log"
    fake = tmp_path / "pagefind"
    fake.write_text(
        "#!/bin/sh\n"  # pagefind --site SITE --output-path BUNDLE
        f'echo "start $2" >> {log}\n'
        'case "$2" in *two*) echo "Error: no index for $2"; exit 3;; esac\n'
        'mkdir -p "$4" && touch "$4/pagefind.js"\n'
        f'echo "end $2" >> {log}\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    runs = IndexRuns(
        [(tmp_path / name, tmp_path / f"{name}-bundle") for name in ("one", "two", "three")]
    )
    with pytest.raises(LemmaError, match=r"Pagefind failed: Error: no index for .*two"):
        runs.wait()
    runs.stop()
    assert log.read_text(encoding="utf-8").split("\n")[:-1] == [
        f"start {tmp_path / 'one'}",
        f"end {tmp_path / 'one'}",
        f"start {tmp_path / 'two'}",
    ]
    assert (tmp_path / "one-bundle" / "pagefind.js").is_file()
    assert not (tmp_path / "three-bundle").exists()
