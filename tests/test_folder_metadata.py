"""Quarto's `_metadata.yml`: a folder's front matter defaults, as small blogs built by the CLI."""

from __future__ import annotations

from pathlib import Path

from site_support import NO_SEARCH, SiteDir, assert_ok, error_line, warning_line

SNIPPET = """Some prose.

```{python}
shown_code_marker = 6 * 7
print("OUT", shown_code_marker)
```
"""

# Quarto's blog template's file, with the keys Lemma reads.
METADATA = """# options specified here will apply to all posts in this folder
title-block-banner: true
author: Ada Lovelace
categories: [notes]
execute:
  echo: false
format:
  html:
    code-fold: true
    theme: cosmo
"""

# The same keys, in a post's own front matter (at the same lines' count: the snippet's line
# numbers, which the page shows, stay the same).
OWN_KEYS = """title-block-banner: true
author: Ada Lovelace
categories: [notes]
execute:
  echo: true
format:
  html:
    code-fold: true
    theme: cosmo"""


def _site(tmp_path: Path, name: str, files: dict[str, str]) -> SiteDir:
    site = SiteDir(tmp_path / name)
    site.write("site.toml", NO_SEARCH)
    for relative, content in files.items():
        site.write(relative, content)
    return site


def _post(title: str, front: str = "", body: str = SNIPPET) -> str:
    return f"---\ntitle: {title}\ndate: 2025-01-15\n{front}\n---\n\n{body}"


def test_a_folder_file_applies_to_its_posts_as_their_own_keys_would(tmp_path: Path) -> None:
    # echo: true in the post (the folder file says false): the post's own key wins, and the page
    # is byte for byte that of a post that writes every key itself.
    padding = "\n".join(f"# {i}" for i in range(OWN_KEYS.count("\n") - 1))
    shared = _site(
        tmp_path,
        "shared",
        {
            "posts/_metadata.yml": METADATA,
            "posts/x/index.qmd": _post("X", "execute:\n  echo: true\n" + padding),
        },
    )
    own = _site(tmp_path, "own", {"posts/x/index.qmd": _post("X", OWN_KEYS)})
    first, second = shared.build(), own.build()
    assert_ok(first)
    assert_ok(second)
    page = shared.page("posts/x/index.html")
    assert page == own.page("posts/x/index.html")
    assert "Ada Lovelace" in page
    assert '<details class="lemma-fold">' in page and "shown_code_marker" in page
    assert "/tags/notes/" in page
    # One note for the file's keys Lemma has no use for, at the file, none at the post.
    assert "posts/_metadata.yml:2: note: 'title-block-banner'" in first.stderr
    assert "posts/x/index.qmd" not in first.stderr


NESTED = {
    "posts/_metadata.yml": "execute:\n  echo: false\ncategories: [all]\n",
    "posts/2025/_metadata.yml": "execute:\n  output: false\ncategories: [year]\n",
    "posts/2025/deep/_metadata.yml": "draft: true\n",
    "posts/top.md": _post("Top"),
    "posts/2025/y.md": _post("Y", "categories: [own]"),
    "posts/2025/deep/hidden.md": _post("Hidden"),
}


def test_nearer_folders_files_are_merged_over_farther_ones(tmp_path: Path) -> None:
    site = _site(tmp_path, "nested", NESTED)
    result = site.build()
    assert_ok(result)
    top, year = site.page("posts/top/index.html"), site.page("posts/y/index.html")
    assert "shown_code_marker" not in top and "OUT 42" in top
    assert "shown_code_marker" not in year and "OUT 42" not in year  # echo and output off
    assert all(f"/tags/{tag}/" in year for tag in ("all", "year", "own"))
    assert "/tags/year/" not in top
    assert not (site.out / "posts/hidden").exists()  # a draft, by its folder's file


MISTAKES = {
    "posts/_metadata.yml": "# defaults\nfreeze: maybe\n",
    "posts/a/_metadata.yml": "execute:\n  echo: false\n  ech0: true\n",
    "posts/b/_metadata.yml": "execute:\n  fig-width: 8\ntoc: [x\n",
    "posts/c/_metadata.yml": "title: Same for all\nexecute:\n  fig-width: 8\n",
    "posts/c/one.md": _post("One", body="Prose.\n"),
    "posts/c/two.md": _post("Two", body="Prose.\n"),
}
# Where each file's mistake is said: its own lines, in the author's terms.
MISTAKE_LINES = (
    ("posts/_metadata.yml", 2, "'freeze' takes true, false or auto"),
    ("posts/a/_metadata.yml", 3, "ech0"),
    ("posts/b/_metadata.yml", 3, "YAML"),
)


def test_mistakes_in_the_file_are_reported_at_its_lines(tmp_path: Path) -> None:
    site = _site(tmp_path, "mistakes", MISTAKES)
    result = site.build("--keep-going")
    assert result.code == 1 and "Traceback" not in result.stderr, str(result)
    for path, line, fragment in MISTAKE_LINES:
        error_line(result, path, line, fragment)
    warning_line(result, "posts/c/_metadata.yml", 1, "'title' names one post")
    # An option Lemma ignores: said once, at the file, not again at each of its posts.
    warning_line(result, "posts/c/_metadata.yml", 3, "Quarto's option 'fig-width'")
    assert result.stderr.count("fig-width") == 1, result.stderr
    assert "front matter:" not in result.stderr
    assert site.page("posts/one/index.html").count("<h1") == 1  # its own title, not the file's
    assert ">One<" in site.page("posts/one/index.html")


def test_editing_the_file_rebuilds_the_posts_below_it(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        "edits",
        {
            "posts/_metadata.yml": "execute:\n  echo: false\n",
            "posts/a.md": _post("A"),
            "posts/sub/b.md": _post("B", body="Prose only.\n"),
        },
    )
    assert_ok(site.build())
    assert "shown_code_marker" not in site.page("posts/a/index.html")
    again = site.build()
    assert "nothing changed since the last build" in again.stdout
    site.write("posts/_metadata.yml", "execute:\n  echo: true\nauthor: Grace Hopper\n")
    edited = site.build()
    assert_ok(edited)
    assert "nothing changed" not in edited.stdout
    assert "shown_code_marker" in site.page("posts/a/index.html")
    assert "Grace Hopper" in site.page("posts/b/index.html")  # no code: the load memo's key
    (site.root / "posts/_metadata.yml").unlink()
    assert_ok(site.build())
    assert "Grace Hopper" not in site.page("posts/b/index.html")


def test_freeze_true_in_the_folder_file_freezes_its_posts(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        "frozen",
        {"posts/_metadata.yml": "freeze: true\n", "posts/a.md": _post("A")},
    )
    result = site.build()
    assert result.code == 1, str(result)
    assert "lemma freeze posts/a.md" in result.stderr
    assert_ok(site.lemma("freeze"))
    built = site.build()
    assert_ok(built)
    assert "1 frozen" in built.stdout
