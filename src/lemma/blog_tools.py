"""What the blog's folder says of the tool its posts were written for, read once per build.

Some front matter means one thing in one tool and another elsewhere: `tags: [posts]` is
Eleventy's collection (the list its index is drawn from, no topic) but a real tag in a Hugo or
Jekyll blog. Such a reading is done only in the blog of that tool, known by its configuration
file in the blog's folder: Eleventy's `.eleventy.js`, `eleventy.config.js` (`.mjs`, `.cjs`), or
a package.json that depends on `@11ty/eleventy`. Files are read as data and never run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

ELEVENTY_CONFIGS = (
    ".eleventy.js",
    "eleventy.config.js",
    "eleventy.config.mjs",
    "eleventy.config.cjs",
)
PACKAGE_FILE = "package.json"  # npm's; Eleventy is among its dependencies
_ELEVENTY_PACKAGE = "@11ty/eleventy"
_DEPENDENCIES = ("dependencies", "devDependencies")
# The files whose edit may change what this says (the build's inputs, reuse/last_build.py).
TOOL_FILES = (*ELEVENTY_CONFIGS, PACKAGE_FILE)


@dataclass(frozen=True, slots=True)
class BlogTools:
    """The tools the blog's folder shows it was made with."""

    eleventy: bool = False  # Eleventy's site: its `post` and `posts` tags are collections


def blog_tools(root: Path | None) -> BlogTools:
    """What the blog's folder `root` shows; nothing when there is no folder (a lone post)."""
    if root is None:
        return BlogTools()
    return BlogTools(eleventy=_is_eleventy(root))


def _is_eleventy(root: Path) -> bool:
    if any((root / name).is_file() for name in ELEVENTY_CONFIGS):
        return True
    try:
        package = json.loads((root / PACKAGE_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False  # none, or not npm's: not ours to judge
    if not isinstance(package, dict):
        return False
    return any(
        isinstance(package.get(key), dict) and _ELEVENTY_PACKAGE in package[key]
        for key in _DEPENDENCIES
    )
