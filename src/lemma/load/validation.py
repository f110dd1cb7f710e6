"""Front matter checked and read into `FrontMatter`: Lemma's keys, the keys of other tools that
mean the same (`conventions.py` and the tools' own modules), and an error at its line for a value
that cannot be read. A key Lemma does not know is a note, or a warning when it is close to one it
knows (a typo)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from lemma.blog_tools import BlogTools
from lemma.config import is_macro
from lemma.errors import FrontMatterError, Problem, did_you_mean
from lemma.front_matter import Header, key_line
from lemma.load.addresses import REDIRECT_KEYS, AddressFields, redirects_of
from lemma.load.conventions import (
    CATEGORY_KEYS,
    EXCERPT_KEYS,
    SILENT_KEYS,
    UPDATED_KEYS,
    authors_of,
    categories_of,
    created_and_updated,
    date_from_file_name,
    first_of,
    image_of,
    optional_str,
    tags_of,
    template_of,
    to_datetime,
    toc_of,
    value_words,
)
from lemma.load.fastpages import FASTPAGES_HIDDEN_KEYS, FASTPAGES_SILENT_KEYS
from lemma.load.publication import (
    EXPIRY_DATE_KEYS,
    PUBLICATION_KEYS,
    PUBLISH_DATE_KEYS,
    is_draft,
    publication_dates,
)
from lemma.load.rmarkdown_front_matter import rmarkdown_front_matter
from lemma.load.theme_keys import (
    MEDIA_KEYS,
    THEME_SILENT_KEYS,
    in_media_subpath,
    media_subpath,
    theme_image,
    theme_toc,
)
from lemma.load.tool_front_matter import ELEVENTY_HIDDEN_KEYS, TOOL_SILENT_KEYS, tool_front_matter
from lemma.model import FreezeMode, FrontMatter, SourceLocation, freeze_mode
from lemma.slugs import slugify

# Lemma's own keys; every other key is also kept under `post.extra` for templates.
LEMMA_KEYS = (
    "title",
    "date",
    "author",
    "tags",
    "excerpt",
    "draft",
    "updated",
    "slug",
    "template",
    "execute",
    "bibliography",
    "citation-style",
    "freeze",
)
# Keys of other blog tools that Lemma reads or that need nothing from it (see conventions.py).
KNOWN_KEYS = (
    *LEMMA_KEYS,
    "subtitle",
    "image",
    "toc",
    "authors",
    "outputs",
    *PUBLICATION_KEYS,
    *UPDATED_KEYS,
    *EXCERPT_KEYS,
    *CATEGORY_KEYS,
    *REDIRECT_KEYS,
    *SILENT_KEYS,
    *TOOL_SILENT_KEYS,
    *THEME_SILENT_KEYS,
    *ELEVENTY_HIDDEN_KEYS,
    *FASTPAGES_SILENT_KEYS,
    *FASTPAGES_HIDDEN_KEYS,
    "excerpt_separator",
    "lang",  # the language the post is written in (Pelican's Lang, Quarto's and Jekyll's lang)
    "number-sections",  # Quarto's: the headings show their numbers (render.markup)
    "translation",  # Pelican's translations are left out: see _without_translations
    "readtime",  # MkDocs Material's reading time, and its pinned posts (load.material_blog)
    "pin",
)
_DATE_KEYS = ("date", *UPDATED_KEYS, *PUBLISH_DATE_KEYS, *EXPIRY_DATE_KEYS)
CITATION_STYLES = ("author-year", "numeric")
MAX_TAGS = 25
TEXT_KEYS = (
    "title",
    "author",
    "excerpt",
    "slug",
    "template",
    "subtitle",
    "description",
    "summary",
)  # kept as typed, as tags are
LIST_KEYS = ("tags", "categories", "authors", "author", "aliases")  # items kept as typed
LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")  # BCP 47: fr, pt-BR
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE_PREFIX_RE = re.compile(r"^\d{4}-\d{2}-\d{2}-")
# Jekyll's drafts, copied with the posts: drafts whatever their front matter says.
DRAFTS_DIR = "_drafts"
# A typo of a known key is close to it; a key of another tool (`math`, `image`) is not.
_TYPO_CUTOFF = 0.75


def validate_front_matter(
    raw: Mapping[str, Any],
    header: Header,
    where: SourceLocation,
    zone: ZoneInfo,
    undated: datetime | None,
    own: Mapping[str, Any] | None = None,
    *,
    tools: BlogTools,
) -> tuple[FrontMatter, list[Problem]]:
    """`raw`'s keys checked and read, in a blog made with `tools`; `own`, the keys the post
    writes itself (the others come from a _metadata.yml, which says itself what it has that
    Lemma does not use)."""

    def at(key: str) -> SourceLocation:
        return where.at_line(key_line(header, key))

    raw, warnings = rmarkdown_front_matter(tool_front_matter(created_and_updated(raw), tools), at)
    title = raw.get("title")
    if "title" not in raw:
        raise FrontMatterError(
            "front matter: missing required key 'title'",
            where.at_line(1),
            hint=f"write it as {_written(header, 'title', 'My post')}",
        )
    if title is None or (isinstance(title, str) and not title.strip()):
        raise FrontMatterError(
            "front matter: 'title' is empty",
            at("title"),
            hint=f"write it as {_written(header, 'title', 'My post')}",
        )
    if isinstance(title, (dict, list)):
        raise FrontMatterError(
            f"front matter: 'title' must be text, not a {type(title).__name__}",
            at("title"),
            hint='quote it: title: "[a, b]"',
        )
    draft = is_draft(raw, at) or where.path.startswith(f"posts/{DRAFTS_DIR}/")
    if raw.get("date") not in (None, ""):
        published_at = to_datetime(raw["date"], "date", at, zone)
    else:
        from_name = date_from_file_name(where.path, zone)
        if from_name is None and draft and undated is not None:
            from_name = undated  # never published; --drafts shows it as of today
        if from_name is None:
            raise FrontMatterError(
                "front matter: missing required key 'date'",
                where.at_line(1),
                hint=_date_hint(header, where.path),
            )
        published_at = from_name
    themed = theme_image(raw, at)  # PaperMod's `cover: {image: ...}`, minimal-mistakes' header
    theme_toc_value, theme_toc_key = theme_toc(raw)
    media = media_subpath(raw)
    theme_keys = (*(themed.keys if themed else ()), *((theme_toc_key,) if theme_toc_key else ()))
    theme_keys += MEDIA_KEYS if media else ()
    read = (*KNOWN_KEYS, *theme_keys)
    written = raw if own is None else own
    warnings += [_unknown_key(key, raw[key], at) for key in written if key not in read]
    publish_date, expiry_date = publication_dates(raw, at, zone)
    slug = optional_str(raw, "slug", at)
    if slug is not None and not _SLUG_RE.match(slug):
        raise FrontMatterError(
            f"front matter: slug '{slug}' may only contain lowercase letters, digits and '-'",
            at("slug"),
            hint=f"for example slug: {slugify(slug) or 'my-post'}",
        )
    execute = raw.get("execute", {})
    if not isinstance(execute, dict):
        raise FrontMatterError(
            "front matter: 'execute' must be a mapping of snippet options",
            at("execute"),
            hint="e.g. execute: {fig-format: png}",
        )
    _check_math_macros(raw.get("math"), at)
    freeze = _to_freeze(raw, at) if "freeze" in raw else None
    updated_key = first_of(raw, UPDATED_KEYS)
    excerpt_key = first_of(raw, EXCERPT_KEYS)
    tags = tags_of(raw, at)
    if len(tags) > MAX_TAGS:
        # Each tag is a page listing its posts with all their tags: tags x tags per post.
        warnings.append(
            Problem(
                f"front matter: {len(tags)} tags; only the first {MAX_TAGS} are kept",
                at("tags"),
                hint="a tag groups related posts: a few per post are enough",
                is_warning=True,
            )
        )
        tags = tags[:MAX_TAGS]
    address_fields = AddressFields(
        published_at,
        slug or slug_from_path(where.path),
        categories_of(raw, at),
        _file_stem(where.path),
        str(title),
    )
    toc = toc_of(raw.get("toc"), at) if "toc" in raw or theme_toc_key is None else theme_toc_value
    front_matter = FrontMatter(
        title=str(title).strip(),
        date=published_at,
        author=authors_of(raw, at),
        tags=tags,
        excerpt=optional_str(raw, excerpt_key, at) if excerpt_key else None,
        draft=draft,
        updated=to_datetime(raw[updated_key], updated_key, at, zone) if updated_key else None,
        publish_date=publish_date,
        expiry_date=expiry_date,
        slug=slug,
        template=template_of(raw, header, at),
        execute={str(k): v for k, v in execute.items()},
        bibliography=_to_files(raw.get("bibliography"), "bibliography", at),
        citation_style=_citation_style(raw, at),
        freeze=freeze,
        extra={k: v for k, v in raw.items() if k not in LEMMA_KEYS},
        key_lines={key: at(key).line for key in raw} | _execute_lines(execute, header, at),
        subtitle=optional_str(raw, "subtitle", at),
        image=in_media_subpath(image_of(raw, at) or (themed.path if themed else None), media),
        toc=toc,
        redirects=redirects_of(raw, at, address_fields),
        language=_language(raw, at),
    )
    return front_matter, warnings


def _check_math_macros(math: Any, at: Callable[[str], SourceLocation]) -> None:
    """MyST's `math:` is the post's TeX macros (Jekyll's `math: true` only switched MathJax on)."""
    if not isinstance(math, dict):
        return
    for name, value in math.items():
        if not is_macro(str(name), value):
            raise FrontMatterError(
                f"front matter: math macro '{name}' is not a macro Lemma can read",
                at("math"),
                hint="write each as '\\R': '\\mathbb{R}', or with its number of arguments,"
                " '\\tp': ['{#1}^\\top', 1]",
            )


def check_metadata_values(
    values: Mapping[str, Any], header: Header, where: SourceLocation, zone: ZoneInfo
) -> list[Problem]:
    """A _metadata.yml's values checked as front matter (a post gives the title and date)."""
    values = {"title": "-", "date": date(2000, 1, 1), **values}
    return validate_front_matter(values, header, where, zone, None, tools=BlogTools())[1]


def _unknown_key(key: str, value: Any, at: Callable[[str], SourceLocation]) -> Problem:
    """A key Lemma does not use: a typo gets a warning naming the key it is close to; a key of
    another tool or of the author's templates gets a quiet note (--strict leaves it alone)."""
    close = difflib.get_close_matches(key, _keys_taking(value), n=1, cutoff=_TYPO_CUTOFF)
    if close:
        return Problem(
            f"front matter: unknown key '{key}' (kept under 'extra' for templates)",
            at(key),
            hint=f"did you mean '{close[0]}'?",
            is_warning=True,
        )
    return Problem(
        f"front matter: '{key}' is not a key Lemma uses; templates can read it as "
        f"post.extra['{key}']",
        at(key),
        is_warning=True,
        is_note=True,
    )


def _keys_taking(value: Any) -> tuple[str, ...]:
    """The known keys a value of this kind could be meant for: a date is no `draft`."""
    is_date = isinstance(value, date)
    return tuple(k for k in KNOWN_KEYS if (k in _DATE_KEYS or k == "published") == is_date)


def _to_freeze(raw: Mapping[str, Any], at: Any) -> FreezeMode:
    value = raw["freeze"]
    mode = freeze_mode(value)
    if mode is not None:
        return mode
    raise FrontMatterError(
        f"front matter: 'freeze' takes true, false or auto, not {value_words(value)}",
        at("freeze"),
        hint="freeze: auto uses the results in _freeze/ while the code is unchanged",
    )


def _execute_lines(
    execute: Mapping[Any, Any], header: Header, at: Callable[[str], SourceLocation]
) -> dict[str, int]:
    """ "execute.KEY" -> the line of each option under `execute:` (flow or block style)."""
    first = at("execute").line
    lines = header.text.split("\n")[max(0, first - header.first_line) :]
    found = {}
    for key in map(str, execute):
        pattern = re.compile(rf"(^|[{{,\s]){re.escape(key)}\s*[:=]")
        index = next((i for i, text in enumerate(lines) if pattern.search(text)), 0)
        found[f"execute.{key}"] = first + index
    return found


def _language(raw: Mapping[str, Any], at: Any) -> str | None:
    """`lang: fr` or `pt_BR` (Pelican's and Hugo's spelling) as a BCP 47 tag, `pt-BR`."""
    value = optional_str(raw, "lang", at)
    if value is None:
        return None
    tag = value.replace("_", "-")
    if not LANGUAGE_CODE.match(tag):
        raise FrontMatterError(
            f"front matter: 'lang' must be a language code such as fr or pt-BR, not '{value}'",
            at("lang"),
            hint="write the code of the language the post is in (BCP 47: en, de, zh-Hans)",
        )
    return tag


def _to_files(value: Any, key: str, at: Any) -> tuple[str, ...]:
    """`bibliography: refs.bib` or a list of files."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str) and item.strip() for item in items):
        raise FrontMatterError(
            f"front matter: '{key}' must be a file name or a list of them",
            at(key),
            hint=f"e.g. {key}: refs.bib",
        )
    return tuple(item.strip() for item in items)


def _citation_style(raw: Mapping[str, Any], at: Any) -> str | None:
    style = optional_str(raw, "citation-style", at)
    if style is not None and style not in CITATION_STYLES:
        raise FrontMatterError(
            f"front matter: unknown citation-style '{style}'",
            at("citation-style"),
            hint=did_you_mean(style, CITATION_STYLES) or "use author-year or numeric",
        )
    return style


def _written(header: Header, key: str, value: str) -> str:
    """`key` set to `value` as the post's own front matter dialect writes it."""
    if header.dialect == "toml":
        return f'{key} = "{value}"' if key == "title" else f"{key} = {value}"
    if header.dialect == "pelican":
        return f"{key.capitalize()}: {value}"
    return f'{key}: "{value}"' if key == "title" else f"{key}: {value}"


def _date_hint(header: Header, path: str) -> str:
    """How to give this post a date, in its own format: a notebook has no front matter block
    until a first raw cell holds one."""
    renamed = f"2025-12-20-{PurePosixPath(path).name}"
    if path.endswith(".ipynb"):
        return (
            "put date: 2025-12-20 in a first raw cell between '---' lines (or in the notebook's "
            f"metadata), or name the file {renamed}"
        )
    return f"write it as {_written(header, 'date', '2025-12-20')}, or name the file {renamed}"


def slug_from_path(source_path: str) -> str:
    """The file's name without its date, or its folder's name for an `index` post."""
    return slugify(_DATE_PREFIX_RE.sub("", _file_stem(source_path)))


def _file_stem(source_path: str) -> str:
    path = Path(source_path)
    return path.parent.name if path.stem == "index" else path.stem
