"""Whether a post's code changed since the last build, told before parsing (reuse/code_edits.py):
`lemma build` starts the fork server at once on a code edit, and never on a prose edit."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lemma.config import load_config
from lemma.reuse.code_edits import CodeEdits, code_digests, code_edited
from lemma.reuse.last_build import code_edited_since
from site_support import BASE_FILES, SiteDir, assert_ok, post

CODE_POST = post(
    "Sums",
    "2025-03-01",
    "Gauss was ten.\n\n```python\n#| echo: false\nprint(sum(range(11)))\n```\n\nThe end.\n",
)


def notebook(code: str, prose: str) -> str:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": [prose]},
        {"cell_type": "code", "metadata": {}, "source": [code], "outputs": []},
    ]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


@pytest.fixture
def posts(tmp_path: Path) -> Path:
    folder = tmp_path / "posts"
    (folder / "series").mkdir(parents=True)
    (folder / "sums.md").write_text(CODE_POST, encoding="utf-8")
    (folder / "series" / "nb.ipynb").write_text(notebook("x = 1", "Some prose."))
    (folder / "notes.md").write_text(post("Notes", "2025-03-02", "Only prose.\n"))
    return folder


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        ("sums.md", "Gauss was ten.", "Gauss was ten years old."),
        ("sums.md", "The end.", "The end, after the block."),
        ("series/nb.ipynb", "Some prose.", "Other prose."),
        ("notes.md", "Only prose.", "Only prose, and more of it."),
        ("notes.md", "Only prose.", "Only prose.\n\n```text\nshown, never run\n```"),
    ],
    ids=["prose", "prose-after-code", "notebook-markdown", "post-without-code", "text-block"],
)
def test_a_prose_edit_is_no_code_edit(posts: Path, path: str, old: str, new: str) -> None:
    recorded = code_digests(posts)
    target = posts / path
    target.write_text(target.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    assert not code_edited(posts, recorded, since_ns=0).posts


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        ("sums.md", "range(11)", "range(101)"),
        ("sums.md", "#| echo: false", "#| echo: true"),
        ("sums.md", "```python", "```{python}"),
        ("series/nb.ipynb", "x = 1", "x = 2"),
    ],
    ids=["code", "cell-option", "info-string", "notebook-code-cell"],
)
def test_a_code_edit_is_seen(posts: Path, path: str, old: str, new: str) -> None:
    recorded = code_digests(posts)
    target = posts / path
    target.write_text(target.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    assert code_edited(posts, recorded, since_ns=0).posts


def test_a_new_post_with_code_is_a_code_edit_and_one_without_is_not(posts: Path) -> None:
    recorded = code_digests(posts)
    (posts / "more-notes.md").write_text(post("More", "2025-03-03", "Prose.\n"))
    assert not code_edited(posts, recorded, since_ns=0).posts
    (posts / "more-sums.md").write_text(CODE_POST.replace("range(11)", "range(12)"))
    assert code_edited(posts, recorded, since_ns=0).posts


@pytest.mark.parametrize(
    ("header", "published"),
    [
        ("---\ntitle: Later\ndate: 2025-03-04\ndraft: true\n---\n", "draft: false"),
        ("---\ntitle: Later\ndate: 2025-03-04\npublished: false\n---\n", "published: true"),
        ("+++\ntitle = 'Later'\ndate = 2025-03-04\ndraft = true\n+++\n", "draft = false"),
        ("Title: Later\nDate: 2025-03-04\nStatus: draft\n", "Status: published"),
    ],
    ids=["lemma-hugo-quarto", "jekyll", "hugo-toml", "pelican"],
)
def test_a_drafts_code_counts_once_it_is_published(
    posts: Path, header: str, published: str
) -> None:
    # A build leaves drafts out: their code would run nothing, so it starts no fork server.
    recorded = code_digests(posts)
    draft = posts / "later.md"
    body = "\nSoon.\n\n```python\nprint(2 ** 10)\n```\n"
    draft.write_text(header + body, encoding="utf-8")
    assert not code_edited(posts, recorded, since_ns=0).posts
    unpublished = header.splitlines()[-2 if header.startswith(("---", "+++")) else -1]
    draft.write_text(header.replace(unpublished, published) + body, encoding="utf-8")
    assert code_edited(posts, recorded, since_ns=0).posts


def test_the_guess_says_whether_the_edited_code_needs_numpy(posts: Path) -> None:
    # The fork server started for an edit preloads numpy and matplotlib only then.
    recorded = code_digests(posts)
    (posts / "plain.md").write_text(CODE_POST.replace("range(11)", "range(13)"))
    assert code_edited(posts, recorded, since_ns=0) == CodeEdits(1, numeric=False)
    (posts / "plot.md").write_text(CODE_POST.replace("print(", "import numpy\nprint("))
    assert code_edited(posts, recorded, since_ns=0, enough=2) == CodeEdits(2, numeric=True)


def test_files_older_than_the_last_build_are_not_read(posts: Path) -> None:
    recorded = code_digests(posts)
    target = posts / "sums.md"
    target.write_text(target.read_text(encoding="utf-8").replace("range(11)", "range(7)"))
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    assert not code_edited(posts, recorded, since_ns=2_000_000_000).posts
    assert code_edited(posts, recorded, since_ns=0).posts


def test_the_last_build_records_what_tells_a_code_edit_from_a_prose_edit(
    tmp_path: Path,
) -> None:
    site = SiteDir(tmp_path / "blog")
    for relative, content in BASE_FILES.items():
        site.write(relative, content)
    assert_ok(site.build())
    config = load_config(site.root)
    second = site.root / "posts/2025-02-20-second.md"  # a ```text block: shown, never run
    second.write_text(second.read_text().replace("Euler:", "Euler wrote:"))
    assert not code_edited_since(config).posts
    second.write_text(second.read_text().replace("plain text", "plain words"))
    assert not code_edited_since(config).posts
    second.write_text(second.read_text() + "\n```python\nprint(1 + 1)\n```\n")
    assert code_edited_since(config, enough=2).posts == 1
    first = site.root / "posts/2025-01-10-first.md"
    first.write_text(first.read_text() + "\n```python\nprint(2 + 2)\n```\n")
    assert code_edited_since(config, enough=2).posts == 2
    assert code_edited_since(config).posts == 1  # counted only as far as asked
    assert_ok(site.build())  # the record now holds the edited code
    assert not code_edited_since(config).posts


def test_digests_of_files_unchanged_since_the_last_record_are_taken_from_it(posts: Path) -> None:
    fresh = code_digests(posts)
    older = {path: f"kept-{path}" for path in fresh}
    target = posts / "sums.md"
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    kept = code_digests(posts, older, since_ns=2_000_000_000)
    assert kept["sums.md"] == "kept-sums.md"  # not read again
    assert kept["series/nb.ipynb"] == fresh["series/nb.ipynb"]  # modified since: read
