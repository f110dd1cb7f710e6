"""Read `posts/`: split and validate front matter into `FrontMatter`, compute slugs and excerpts."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lemma.errors import FrontMatterError, LemmaError, Problem, did_you_mean
from lemma.load.front_yaml import parse_front_yaml
from lemma.load.publication import is_draft
from lemma.model import FreezeMode, FrontMatter, Post, SourceLocation
from lemma.parse import BodyParses, first_paragraph_text
from lemma.reuse.memo import Memo, content_digest, memo_key
from lemma.slugs import slugify

KNOWN_KEYS = (
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
    "published",
    "status",
)
CITATION_STYLES = ("author-year", "numeric")
MAX_TAGS = 25
_TEXT_KEYS = ("title", "author", "excerpt", "slug", "template")  # kept as typed, as tags are
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE_PREFIX_RE = re.compile(r"^\d{4}-\d{2}-\d{2}-")
_FENCE_RE = re.compile(r"^---[ \t]*$")


@dataclass(frozen=True, slots=True)
class LoadResult:
    posts: tuple[Post, ...]
    problems: tuple[Problem, ...]  # errors and warnings, in file order


Loaded = tuple[Post, list[Problem]]  # a post and its warnings


def load_posts(
    root: Path,
    zone: ZoneInfo,
    memo: Memo[Loaded] | None = None,
    parses: BodyParses | None = None,
) -> LoadResult:
    """Load every `posts/*.md` under `root`; a broken post is reported, the others still load.

    `memo` holds the posts of earlier builds, by their file's bytes: an unchanged file is not
    read into a Post again.
    """
    memo = memo if memo is not None else Memo()
    posts: list[Post] = []
    problems: list[Problem] = []
    posts_dir = root / "posts"
    if not posts_dir.is_dir():
        raise FrontMatterError(
            "no posts/ folder", SourceLocation(str(root)), hint="create posts/ and add a .md file"
        )
    for path in sorted(posts_dir.glob("*.md")):
        relative = path.relative_to(root).as_posix()
        if path.name.startswith("."):  # an editor's lock link (.#a.md) or hidden scratch file
            continue
        if path.is_dir():
            problems.append(
                Problem(
                    "is a folder, not a post; skipped",
                    SourceLocation(relative),
                    hint="rename the folder so that its name does not end in .md",
                    is_warning=True,
                )
            )
            continue
        try:
            data = path.read_bytes()
            key = memo_key(relative, content_digest(data), zone.key)
            post, warnings = memo.get_or_make(key, partial(load_post, relative, data, zone, parses))
        except LemmaError as exc:
            problems.append(exc.problem)
            continue
        except OSError as exc:
            problems.append(
                Problem(f"cannot read the post: {exc.strerror}", SourceLocation(relative))
            )
            continue
        posts.append(post)
        problems.extend(warnings)
    duplicates = _duplicate_slugs(posts)
    problems.extend(duplicates)
    # Only the duplicates themselves are dropped: a warning that merely mentions "slug" is not one.
    duplicated = {p.location.path for p in duplicates if p.location}
    return LoadResult(tuple(p for p in posts if p.source_path not in duplicated), tuple(problems))


def load_post(
    source_path: str, data: bytes, zone: ZoneInfo, parses: BodyParses | None = None
) -> Loaded:
    """Parse one post's bytes; raises LemmaError for the first fatal problem."""
    where = SourceLocation(source_path)
    text = _decode(data, where)
    if not text.strip():
        raise FrontMatterError(
            "the file is empty", where.at_line(1), hint="start it with a front matter block"
        )
    lines = text.split("\n")
    if not _FENCE_RE.match(lines[0]):
        raise FrontMatterError(
            "missing front matter",
            where.at_line(1),
            hint="start the file with '---', then 'title: ...' and 'date: YYYY-MM-DD', then '---'",
        )
    closing = next((i for i in range(1, len(lines)) if _FENCE_RE.match(lines[i])), None)
    if closing is None:
        raise FrontMatterError(
            "the front matter block opened here is never closed",
            where.at_line(1),
            hint="add a line with '---' after the last front matter key",
        )
    yaml_text = "\n".join(lines[1:closing])
    raw = _parse_yaml(yaml_text, where)
    front_matter, warnings = _validate(raw, yaml_text, where, zone)
    body = "\n".join(lines[closing + 1 :])
    body_line = closing + 2
    slug = front_matter.slug or _slug_from_file_name(source_path)
    if not slug:
        raise FrontMatterError(
            "cannot derive a slug from the file name", where.at_line(1), hint="set 'slug: my-post'"
        )
    excerpt = front_matter.excerpt or first_paragraph_text(
        body, parses.tokens(body) if parses else None
    )
    post = Post(source_path, slug, front_matter, body, body_line, excerpt)
    return post, warnings


def _decode(data: bytes, where: SourceLocation) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FrontMatterError(
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})",
            where.at_line(line),
            hint="save it with UTF-8 encoding",
        ) from exc
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FrontMatterError(
            "the file contains a NUL byte", where.at_line(line), hint="remove it"
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parse_yaml(yaml_text: str, where: SourceLocation) -> dict[str, Any]:
    return parse_front_yaml(yaml_text, where, _TEXT_KEYS, ("tags",))


def _key_line(yaml_text: str, key: str) -> int:
    match = re.search(rf"^{re.escape(key)}\s*:", yaml_text, re.MULTILINE)
    return yaml_text.count("\n", 0, match.start()) + 2 if match else 1


def _validate(
    raw: Mapping[str, Any], yaml_text: str, where: SourceLocation, zone: ZoneInfo
) -> tuple[FrontMatter, list[Problem]]:
    def at(key: str) -> SourceLocation:
        return where.at_line(_key_line(yaml_text, key))

    title = raw.get("title")
    if "title" not in raw:
        raise FrontMatterError(
            "front matter: missing required key 'title'",
            where.at_line(1),
            hint='write it as title: "My post"',
        )
    if title is None or (isinstance(title, str) and not title.strip()):
        raise FrontMatterError(
            "front matter: 'title' is empty", at("title"), hint='write it as title: "My post"'
        )
    if isinstance(title, (dict, list)):
        raise FrontMatterError(
            f"front matter: 'title' must be text, not a {type(title).__name__}",
            at("title"),
            hint='quote it: title: "[a, b]"',
        )
    if "date" not in raw:
        raise FrontMatterError(
            "front matter: missing required key 'date'",
            where.at_line(1),
            hint="write it as date: 2025-12-20",
        )
    warnings = [
        Problem(
            f"front matter: unknown key '{key}' (kept under 'extra' for templates)",
            at(key),
            hint=did_you_mean(key, KNOWN_KEYS),
            is_warning=True,
        )
        for key in raw
        if key not in KNOWN_KEYS
    ]
    slug = _optional_str(raw, "slug", at)
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
    freeze = _to_freeze(raw, at) if "freeze" in raw else None
    tags = _to_tags(raw.get("tags"), at)
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
    draft = is_draft(raw, at)
    front_matter = FrontMatter(
        title=str(title).strip(),
        date=_to_datetime(raw["date"], "date", at, zone),
        author=_optional_str(raw, "author", at),
        tags=tags,
        excerpt=_optional_str(raw, "excerpt", at),
        draft=draft,
        updated=_to_datetime(raw["updated"], "updated", at, zone) if raw.get("updated") else None,
        slug=slug,
        template=_optional_str(raw, "template", at),
        execute={str(k): v for k, v in execute.items()},
        bibliography=_to_files(raw.get("bibliography"), "bibliography", at),
        citation_style=_citation_style(raw, at),
        freeze=freeze,
        extra={k: v for k, v in raw.items() if k not in KNOWN_KEYS},
        key_lines={key: at(key).line for key in raw} | _execute_lines(execute, yaml_text, at),
    )
    return front_matter, warnings


def _to_freeze(raw: Mapping[str, Any], at: Any) -> FreezeMode:
    value = raw["freeze"]
    if value is True:
        return "on"
    if value is False:
        return "off"
    if value == "auto":
        return "auto"
    raise FrontMatterError(
        f"front matter: 'freeze' takes true, false or auto, not {value!r}",
        at("freeze"),
        hint="freeze: auto uses the results in _freeze/ while the code is unchanged",
    )


def _execute_lines(
    execute: Mapping[Any, Any], yaml_text: str, at: Callable[[str], SourceLocation]
) -> dict[str, int]:
    """ "execute.KEY" -> the line of each option under `execute:` (flow or block style)."""
    first = at("execute").line
    lines = yaml_text.split("\n")[first - 2 :]  # yaml_text starts at the file's line 2
    found = {}
    for key in map(str, execute):
        pattern = re.compile(rf"(^|[{{,\s]){re.escape(key)}\s*:")
        index = next((i for i, text in enumerate(lines) if pattern.search(text)), 0)
        found[f"execute.{key}"] = first + index
    return found


def _optional_str(raw: Mapping[str, Any], key: str, at: Any) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise FrontMatterError(
            f"front matter: '{key}' must be text, not a {type(value).__name__}", at(key)
        )
    return str(value).strip() or None


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
    style = _optional_str(raw, "citation-style", at)
    if style is not None and style not in CITATION_STYLES:
        raise FrontMatterError(
            f"front matter: unknown citation-style '{style}'",
            at("citation-style"),
            hint=did_you_mean(style, CITATION_STYLES) or "use author-year or numeric",
        )
    return style


def _to_datetime(value: Any, key: str, at: Any, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise FrontMatterError(
                f"front matter: '{key}' is not a date: {value!r}",
                at(key),
                hint="write it as 2025-12-20 or 2025-12-20T09:30:00+01:00",
            ) from exc
    else:
        raise FrontMatterError(
            f"front matter: '{key}' is not a date: {value!r}",
            at(key),
            hint="write it as 2025-12-20 or 2025-12-20T09:30:00+01:00",
        )
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def _to_tags(value: Any, at: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items: Sequence[Any]
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list):
        items = value
    else:
        raise FrontMatterError(
            f"front matter: 'tags' must be a list or a comma-separated string, not {value!r}",
            at("tags"),
            hint="write it as tags: [math, optimization] or tags: math, optimization",
        )
    tags: dict[str, None] = {}  # ordered, and no quadratic `in` over a long list
    for item in items:
        if isinstance(item, (dict, list)) or item is None:
            raise FrontMatterError(f"front matter: tag {item!r} is not text", at("tags"))
        tag = str(item).strip()
        if tag:
            tags[tag] = None
    return tuple(tags)


def _slug_from_file_name(source_path: str) -> str:
    return slugify(_DATE_PREFIX_RE.sub("", Path(source_path).stem))


def _duplicate_slugs(posts: Sequence[Post]) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for post in posts:
        if post.slug in seen:
            problems.append(
                Problem(
                    f"slug '{post.slug}' is already used by {seen[post.slug]}",
                    SourceLocation(post.source_path, 1),
                    hint="set a different 'slug:' in the front matter of one of them",
                )
            )
        else:
            seen[post.slug] = post.source_path
    return problems
