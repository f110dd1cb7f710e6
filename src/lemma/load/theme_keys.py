"""Front matter keys of Hugo's and Jekyll's themes: the ones with a meaning Lemma has (a link
preview image, contents on or off) read as that meaning, the layout ones accepted without a
word and kept for templates.

A theme's image is the post's `image` (its `og:image`) when the post has no `image:` of its own:
PaperMod's `cover: {image: …}`, minimal-mistakes' `header: {og_image, teaser, image,
overlay_image}`, Beautiful Jekyll's `share-img`, `cover-img` and `thumbnail-img`, LoveIt's and
FixIt's `featuredImage`, Blowfish's `featureimage`. Blowfish's `showTableOfContents`, PaperMod's
`ShowToc` and hugo-book's `bookToc` are the post's `toc` when it has none. Chirpy's
`media_subpath` (`img_path` before Chirpy 7) is the folder the post's relative image paths are in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from lemma.load.code_lines import CODE_SPAN, block_lines
from lemma.load.conventions import optional_str
from lemma.model import SourceLocation

# Keys that place or decorate a post in the old theme's layout (a sidebar, a menu's order, a
# share button, reading time): Lemma's theme has its own, so they need nothing from it.
THEME_SILENT_KEYS = (
    # minimal-mistakes
    "classes",
    "author_profile",
    "read_time",
    "share",
    "related",
    "sidebar",
    "toc_label",
    "toc_icon",
    "toc_sticky",
    "gallery",  # read by `{% include gallery %}` (`load.theme_shortcodes`)
    # Just the Docs
    "nav_order",
    "parent",
    "grand_parent",
    "has_children",
    "has_toc",
    "nav_exclude",
    # Beautiful Jekyll (its `readtime: true` is read with Material's `readtime`)
    "show-avatar",
    "social-share",
    "full-width",
    # academicpages: the collection a page belongs to
    "collection",
    # Hugo themes: a page's order in menus (Docsy, hugo-book), LoveIt's galleries, hugo-book's
    # menu, PaperMod's reading time
    "weight",
    "lightgallery",
    "bookCollapseSection",
    "bookFlatSection",
    "bookHidden",
    "ShowReadingTime",
    "TocOpen",
    # Chirpy: Liquid switched off (Lemma never runs it); its `pin` is Material's
    "render_with_liquid",
)
MEDIA_KEYS = ("media_subpath", "img_path")  # Chirpy's folder of the post's images
# A Markdown image whose path is relative (no `/`, scheme, `#` or `<`), its path grouped.
_RELATIVE_IMAGE = re.compile(r"(!\[[^\]]*\]\()(?![/#<]|[a-z][\w+.-]*:)([^\s)]+)")
# Where themes name a post's image, in order of preference: (key, key inside its mapping).
_IMAGE_KEYS = (
    ("cover", "image"),  # PaperMod
    ("share-img", ""),  # Beautiful Jekyll's image for link previews
    ("header", "og_image"),  # minimal-mistakes
    ("header", "teaser"),
    ("header", "image"),
    ("header", "overlay_image"),
    ("featuredImage", ""),  # LoveIt, FixIt, DoIt
    ("featuredImagePreview", ""),
    ("featureimage", ""),  # Blowfish
    ("cover-img", ""),  # Beautiful Jekyll
    ("thumbnail-img", ""),
)
THEME_TOC_KEYS = ("showTableOfContents", "ShowToc", "bookToc")


@dataclass(frozen=True, slots=True)
class ThemeImage:
    path: str
    keys: tuple[str, ...]  # the keys that name an image: read, so never noted


def theme_image(raw: Mapping[str, Any], at: Callable[[str], SourceLocation]) -> ThemeImage | None:
    """The first image a theme's keys name, None when they name none."""
    found: list[tuple[str, str]] = []
    for key, inner in _IMAGE_KEYS:
        value = raw.get(key)
        if inner and isinstance(value, dict) and value.get(inner) not in (None, ""):
            found.append((key, _text(value[inner], f"{key}.{inner}", key, at)))
        elif not inner and isinstance(value, list) and value:  # Beautiful Jekyll's list of covers
            found.append((key, _text(value[0], key, key, at)))
        elif not inner and value not in (None, "") and not isinstance(value, (dict, list)):
            found.append((key, _text(value, key, key, at)))
    found = [(key, path) for key, path in found if path]
    if not found:
        return None
    return ThemeImage(found[0][1], tuple(dict.fromkeys(key for key, _ in found)))


def theme_toc(raw: Mapping[str, Any]) -> tuple[bool | None, str | None]:
    """A theme's contents switch (`showTableOfContents: true`) and its key; (None, None) when
    there is none, or it is not true or false."""
    for key in THEME_TOC_KEYS:
        if isinstance(raw.get(key), bool):
            return raw[key], key
    return None, None


def _text(value: Any, name: str, key: str, at: Callable[[str], SourceLocation]) -> str:
    if isinstance(value, dict) and len(value) == 1:  # Beautiful Jekyll's `- x.png: Caption`
        value = next(iter(value))
    text = optional_str({name: value}, name, lambda _: at(key))
    return text or ""


def media_subpath(raw: Mapping[str, Any]) -> str | None:
    """Chirpy's `media_subpath: /assets/img/post/`, None when the post has none."""
    key = next((k for k in MEDIA_KEYS if isinstance(raw.get(k), str) and raw[k].strip()), None)
    return raw[key].strip().rstrip("/") + "/" if key else None


def in_media_subpath(path: str | None, subpath: str | None) -> str | None:
    """A relative image path under Chirpy's `media_subpath`, as Chirpy reads it."""
    if path is None or subpath is None or path.startswith(("/", "#")) or ":" in path:
        return path
    return subpath + path


def with_media_subpath(body: str, subpath: str | None) -> str:
    """`body` with its images' relative paths under `subpath`; code is left as written."""
    if subpath is None or "![" not in body:
        return body
    lines = body.split("\n")
    code = block_lines(body)
    for index, line in enumerate(lines):
        if index in code or "![" not in line:
            continue
        lines[index] = _prefixed(line, subpath)
    return "\n".join(lines)


def _prefixed(line: str, subpath: str) -> str:
    spans = [m.span() for m in CODE_SPAN.finditer(line)]
    out: list[str] = []
    position = 0
    for match in _RELATIVE_IMAGE.finditer(line):
        if any(start <= match.start() < end for start, end in spans):
            continue  # inside inline code: as written
        out.append(line[position : match.start(2)] + subpath)
        position = match.start(2)
    return "".join(out) + line[position:]
