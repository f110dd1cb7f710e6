"""A blog built where another tool left it (load/other_tools.py): the error for a missing posts/
names the folder to copy, and with no site.toml a note gives the lines the old settings make."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from lemma.load.other_tools import posts_elsewhere, settings_note
from site_support import NO_SEARCH, SiteDir, assert_ok

POST = "---\ntitle: First\ndate: 2024-01-02\n---\nHello.\n"

# Each configuration file as its tool's documentation writes one.
JEKYLL = """\
title: Gradient Notes
description: >-
  Notes on optimisation and learning
url: "https://notes.example.org"
baseurl: "/blog"
author:
  name: Ada Lovelace
  email: ada@example.org
timezone: Europe/London
markdown: kramdown
plugins:
  - jekyll-feed
"""
AL_FOLIO = """\
title: blank
url: https://alshedivat.github.io
baseurl: /al-folio
scholar:
  last_name: [Einstein]
  style: apa
  source: /_bibliography/
  bibliography: papers.bib
  bibliography_template: bib
"""

HUGO = """\
baseURL = 'https://example.org/'
languageCode = 'en-us'
title = 'My New Hugo Site'
timeZone = 'America/New_York'

[params]
  description = 'Posts about Bayes'
  [params.author]
    name = 'Grace Hopper'
"""
PELICAN = """\
AUTHOR = 'Alexis Métaireau'
SITENAME = "Alexis' log"
SITEURL = ''
TIMEZONE = 'Europe/Paris'
DEFAULT_LANG = 'fr'
import os
open(os.path.join(os.path.dirname(__file__), 'RAN'), 'w').write('pelicanconf.py ran')
"""
QUARTO = """\
project:
  type: website
website:
  title: "myblog"
  site-url: https://me.quarto.pub/myblog
  description: "A blog built with Quarto"
format:
  html:
    theme: cosmo
"""
MKDOCS = """\
site_name: My Docs
site_url: https://example.com/docs/
site_author: Ada
markdown_extensions:
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
"""


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "_config.yml",
            JEKYLL,
            {
                "title": "Gradient Notes",
                "description": "Notes on optimisation and learning",
                "author": "Ada Lovelace",
                "base_url": "https://notes.example.org/blog/",
                "timezone": "Europe/London",
            },
        ),
        (
            "_config.yml",
            AL_FOLIO,
            {
                "title": "blank",
                "base_url": "https://alshedivat.github.io/al-folio/",
                "bibliography": "_bibliography/papers.bib",
            },
        ),
        (
            "hugo.toml",
            HUGO,
            {
                "title": "My New Hugo Site",
                "description": "Posts about Bayes",
                "author": "Grace Hopper",
                "base_url": "https://example.org/",
                "language": "en-us",
                "timezone": "America/New_York",
            },
        ),
        (
            "pelicanconf.py",
            PELICAN,
            {
                "title": "Alexis' log",
                "author": "Alexis Métaireau",
                "language": "fr",
                "timezone": "Europe/Paris",
            },
        ),
        (
            "_quarto.yml",
            QUARTO,
            {
                "title": "myblog",
                "description": "A blog built with Quarto",
                "base_url": "https://me.quarto.pub/myblog/",
            },
        ),
        (
            "mkdocs.yml",
            MKDOCS,
            {"title": "My Docs", "author": "Ada", "base_url": "https://example.com/docs/"},
        ),
    ],
)
def test_the_note_gives_site_toml_lines_lemma_accepts(
    tmp_path: Path, name: str, text: str, expected: dict[str, str]
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    note = settings_note(tmp_path)
    assert note is not None and note.is_note and note.location is not None
    assert note.location.path == name and name in note.message
    assert note.detail is not None
    assert tomllib.loads(note.detail) == expected  # the lines are TOML, as site.toml reads it
    assert not (tmp_path / "RAN").exists()  # pelicanconf.py is read, never run


def test_copying_the_lines_builds_with_them_and_ends_the_note(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("_config.yml", JEKYLL)
    site.write("posts/2024-01-02-first.md", POST)
    result = site.build()
    assert_ok(result)
    assert "_config.yml: note: no site.toml: Jekyll's settings" in result.stderr
    note = settings_note(tmp_path)
    assert note is not None and note.detail is not None
    site.write("site.toml", NO_SEARCH + note.detail + "\n")
    result = site.build()
    assert_ok(result)
    assert "_config.yml" not in result.stderr
    page = site.page("posts/first/index.html")
    assert "<title>First — Gradient Notes</title>" in page
    assert 'href="https://notes.example.org/blog/posts/first/"' in page  # the canonical address


def test_no_note_without_another_tools_settings(tmp_path: Path) -> None:
    assert settings_note(tmp_path) is None
    (tmp_path / "_config.yml").write_text("markdown: kramdown\n", encoding="utf-8")
    assert settings_note(tmp_path) is None  # nothing site.toml would take
    (tmp_path / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    assert settings_note(tmp_path) is None  # a file its own tool would reject: not ours to judge


@pytest.mark.parametrize(
    ("folders", "files", "fragment"),
    [
        (
            ["_posts", "_drafts"],
            [],
            "Jekyll blog: copy _posts/ to posts/ and _drafts/ to posts/_drafts/",
        ),
        (["content/posts"], ["hugo.toml"], "Hugo blog: copy content/posts/ to posts/"),
        (
            ["content/pages"],
            ["pelicanconf.py"],
            "Pelican blog: copy content/ to posts/ without content/pages/",
        ),
        (["docs/blog/posts"], ["mkdocs.yml"], "MkDocs blog: copy docs/blog/posts/ to posts/"),
    ],
)
def test_a_missing_posts_folder_names_the_folder_to_copy(
    tmp_path: Path, folders: list[str], files: list[str], fragment: str
) -> None:
    for folder in folders:
        (tmp_path / folder).mkdir(parents=True)
    for name in files:
        (tmp_path / name).write_text("", encoding="utf-8")
    hint = posts_elsewhere(tmp_path)
    assert hint is not None and fragment in hint


def test_a_jekyll_blog_built_as_it_lies_says_what_to_copy_and_writes_nothing(
    tmp_path: Path,
) -> None:
    site = SiteDir(tmp_path)
    site.write("_config.yml", JEKYLL)
    site.write("_posts/2024-01-02-first.markdown", POST)
    result = site.build()
    assert result.code == 1
    assert (
        "no posts/ folder (this looks like a Jekyll blog: copy _posts/ to posts/" in result.stderr
    )
    assert not (tmp_path / "_site").exists()
    assert posts_elsewhere(tmp_path / "_posts") is None  # a folder of posts is no such blog


JUPYTER_BOOK = """\
title: Optimisation notes
author: Ada Lovelace
bibtex_bibfiles:
  - references.bib
  - more.bib
html:
  baseurl: https://ada.github.io/notes
execute:
  execute_notebooks: force
sphinx:
  config:
    language: en
    mathjax3_config:
      tex:
        macros:
          "R": "\\\\mathbb{R}"
          "tp": ["{#1}^{\\\\top}", 1]
          "bad": 3
"""


def test_a_jupyter_book_config_gives_its_bibliography_and_macros(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text(JUPYTER_BOOK, encoding="utf-8")
    note = settings_note(tmp_path)
    assert note is not None and note.detail is not None
    assert "Jupyter Book's settings in _config.yml" in note.message
    assert tomllib.loads(note.detail) == {
        "title": "Optimisation notes",
        "author": "Ada Lovelace",
        "base_url": "https://ada.github.io/notes/",
        "language": "en",
        "bibliography": "references.bib",
        "macros": {"R": "\\mathbb{R}", "tp": ["{#1}^{\\top}", 1]},  # a wrong shape left out
    }
    assert "# and more.bib: put their entries into the first file" in note.detail
    # Jekyll's _config.yml stays Jekyll's
    (tmp_path / "_config.yml").write_text(JEKYLL, encoding="utf-8")
    jekyll = settings_note(tmp_path)
    assert jekyll is not None and "Jekyll's settings" in jekyll.message
