"""Read `posts/`: split and validate front matter into `FrontMatter`, compute slugs and excerpts."""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from lemma.config import build_now, is_macro
from lemma.errors import FrontMatterError, LemmaError, Problem, did_you_mean
from lemma.front_matter import Header, key_line, parse_pelican, parse_toml, split_header
from lemma.load.addresses import REDIRECT_KEYS, AddressFields, redirects_of
from lemma.load.codehilite import rewrite_codehilite
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
    plain_heading_text,
    same_title,
    tags_of,
    template_of,
    title_heading,
    to_datetime,
    toc_of,
    value_words,
    without_line,
)
from lemma.load.distill import rewrite_distill
from lemma.load.excerpts import MORE, split_excerpt
from lemma.load.fastpages import FASTPAGES_HIDDEN_KEYS, FASTPAGES_SILENT_KEYS
from lemma.load.folder_metadata import lemma_keys, merged, read_folder_metadata
from lemma.load.front_yaml import parse_front_yaml
from lemma.load.includes import include_inputs
from lemma.load.kramdown import rewrite_kramdown
from lemma.load.material_blog import read_authors, with_material_keys
from lemma.load.mkdocs import rewrite_mkdocs
from lemma.load.notebooks import (
    STORED,
    NotebookText,
    notebook_text,
    problem_in_cells,
    stored_results,
)
from lemma.load.obsidian import rewrite_obsidian
from lemma.load.publication import (
    EXPIRY_DATE_KEYS,
    PUBLICATION_KEYS,
    PUBLISH_DATE_KEYS,
    is_draft,
    publication_dates,
)
from lemma.load.quarto_shortcodes import QuartoValues, read_variables
from lemma.load.rmarkdown import rewrite_rmarkdown
from lemma.load.rmarkdown_front_matter import rmarkdown_front_matter
from lemma.load.shortcodes import rewrite_tags
from lemma.load.theme_keys import (
    MEDIA_KEYS,
    THEME_SILENT_KEYS,
    in_media_subpath,
    media_subpath,
    theme_image,
    theme_toc,
    with_media_subpath,
)
from lemma.load.tool_front_matter import ELEVENTY_HIDDEN_KEYS, TOOL_SILENT_KEYS, tool_front_matter
from lemma.load.unread import UNREAD_FORMATS, is_unread, unread_problem
from lemma.model import POST_SUFFIXES, FreezeMode, FrontMatter, Post, SourceLocation
from lemma.parse import BodyParses, first_paragraph_text, paragraphs_text, parse_body
from lemma.reuse.memo import Memo, content_digest, memo_key
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
_TEXT_KEYS = (
    "title",
    "author",
    "excerpt",
    "slug",
    "template",
    "subtitle",
    "description",
    "summary",
)  # kept as typed, as tags are
_LIST_KEYS = ("tags", "categories", "authors", "author", "aliases")  # items kept as typed
LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")  # BCP 47: fr, pt-BR
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE_PREFIX_RE = re.compile(r"^\d{4}-\d{2}-\d{2}-")
# Jekyll's drafts, copied with the posts: drafts whatever their front matter says.
DRAFTS_DIR = "_drafts"
# A typo of a known key is close to it; a key of another tool (`math`, `image`) is not.
_TYPO_CUTOFF = 0.75


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
    on_post: Callable[[Post], None] | None = None,
) -> LoadResult:
    """Load every post under `root/posts/`; a broken post is reported, the others still load.

    `memo` holds the posts of earlier builds, by their file's bytes: an unchanged file is not
    read into a Post again. `on_post` sees each post as soon as it is loaded (the pipeline
    starts the execution engine at the first post that needs it).
    """
    memo = memo if memo is not None else Memo()
    posts: list[Post] = []
    problems: list[Problem] = []
    posts_dir = root / "posts"
    if not posts_dir.is_dir():
        raise FrontMatterError(
            "no posts/ folder", SourceLocation(str(root)), hint="create posts/ and add a .md file"
        )
    folders = read_folder_metadata(root, posts_dir, _parse_yaml, partial(_check_shared, zone=zone))
    problems.extend(folders.problems)
    variables = read_variables(root, problems)  # Quarto's _variables.yml, for {{< var >}}
    authors = read_authors(root, problems)  # MkDocs Material's .authors.yml
    # A draft without a date (Jekyll's drafts, a Pelican page) is dated the day of the build.
    undated = datetime.combine(build_now().astimezone(zone).date(), time(), tzinfo=zone)
    for path in post_files(posts_dir):
        relative = path.relative_to(root).as_posix()
        if path.name.startswith("."):  # an editor's lock link (.#a.md) or hidden scratch file
            continue
        if is_unread(path):  # another tool's format, or a page blogdown rendered
            problems.append(unread_problem(path, relative))
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
            shared = folders.for_post(relative)  # its folders' _metadata.yml
            inherited = [shared] if shared else []
            quarto = include_inputs(data, root, relative, variables)
            key = memo_key(relative, content_digest(data), zone.key, undated, *inherited, *quarto)
            make = partial(
                load_post, relative, data, zone, parses, shared, undated, root, variables
            )
            post, warnings = memo.get_or_make(key, make)
            post, material = with_material_keys(post, authors)  # `.authors.yml` is not in the key
            warnings = [*warnings, *material]
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
        if on_post is not None:
            on_post(post)
    problems = _one_note_per_message(problems)
    posts = _without_translations(posts, problems)
    duplicates = _duplicate_slugs(posts)
    problems.extend(duplicates)
    # Only the duplicates themselves are dropped: a warning that merely mentions "slug" is not one.
    duplicated = {p.location.path for p in duplicates if p.location}
    return LoadResult(tuple(p for p in posts if p.source_path not in duplicated), tuple(problems))


def _without_translations(posts: list[Post], problems: list[Problem]) -> list[Post]:
    """The posts but Pelican's translations (`Translation: true`, the original's slug), which
    Lemma has no page for: one note names them; the originals keep their slugs and pages."""
    translations = [p for p in posts if _is_translation(p.front_matter.extra.get("translation"))]
    if not translations:
        return posts
    first = translations[0]
    names = ", ".join(p.source_path for p in translations)
    problems.append(
        Problem(
            f"left out {len(translations)} translation{'s' if len(translations) > 1 else ''} "
            f"(Lemma has no translations): {names}",
            SourceLocation(first.source_path, first.front_matter.key_lines.get("translation", 1)),
            hint="each original keeps its slug and page; publish a translation as a post of its "
            "own with a slug of its own and without 'Translation: true'",
            is_warning=True,
            is_note=True,
        )
    )
    return [p for p in posts if p not in translations]


def _is_translation(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in ("true", "yes"))


def _one_note_per_message(problems: list[Problem]) -> list[Problem]:
    """A key of another tool written in 40 posts is one note, at its first place."""
    counts: dict[str, int] = {}
    for problem in problems:
        if problem.is_note:
            counts[problem.message] = counts.get(problem.message, 0) + 1
    kept: list[Problem] = []
    for problem in problems:
        if not problem.is_note:
            kept.append(problem)
        elif problem.message in counts:
            others = counts.pop(problem.message) - 1
            if others:
                also = f"and in {others} other post{'s' if others > 1 else ''}"
                problem = replace(problem, hint=also)
            kept.append(problem)
    return kept


def post_files(posts_dir: Path) -> list[Path]:
    """The posts under `posts_dir`, nested folders included, in a stable order, with the files
    in other tools' post formats (`load_posts` names them in a warning).

    A folder with an `index` post is one post (Hugo's and Quarto's page bundles): the other files
    in it and below are its images and data, not posts. Hidden files and folders are skipped, and
    those named `_x` (Hugo's `_index.md`) but for Jekyll's `posts/_drafts/`.
    """
    found: list[Path] = []

    def visit(folder: Path) -> None:
        entries = sorted(
            p
            for p in folder.iterdir()
            if not p.name.startswith((".", "_"))
            or (p.name == DRAFTS_DIR and folder == posts_dir and p.is_dir())
        )
        # A folder named like a post (x.md/) is listed too: load_posts says it is skipped.
        files = [p for p in entries if p.suffix in POST_SUFFIXES]
        index = next((p for p in files if p.stem == "index" and p.is_file()), None)
        if index is not None and folder != posts_dir:
            found.append(index)
            return
        unread = [p for p in entries if p.suffix.lower() in UNREAD_FORMATS and p.is_file()]
        found.extend(sorted(files + unread))
        for entry in entries:
            if entry.is_dir() and entry.suffix not in POST_SUFFIXES:
                visit(entry)

    visit(posts_dir)
    return found


def load_post(
    source_path: str,
    data: bytes,
    zone: ZoneInfo,
    parses: BodyParses | None = None,
    shared: Mapping[str, Any] | None = None,
    undated: datetime | None = None,
    root: Path | None = None,
    variables: Mapping[str, Any] | None = None,
) -> Loaded:
    """Parse one post's bytes, under the keys of its folders' `_metadata.yml` (`shared`);
    raises LemmaError for the first fatal problem. A draft without a date takes `undated`;
    without it, such a draft is an error like any post without a date. Quarto's shortcodes read
    the blog's folder `root` (`{{< include >}}`) and its `_variables.yml` (`variables`)."""
    quarto = QuartoValues(variables=variables, root=root, post_dir=posixpath.dirname(source_path))
    where = SourceLocation(source_path)
    text = _decode(data, where)
    if not text.strip():
        raise FrontMatterError(
            "the file is empty", where.at_line(1), hint="start it with a front matter block"
        )
    if not source_path.endswith(".ipynb"):
        return _load_text(source_path, text, zone, parses, undated, shared=shared, quarto=quarto)
    notebook = notebook_text(text, where)
    if not notebook.text.strip():
        raise FrontMatterError(
            "the notebook has no cells", where.at_line(1), hint="add a '# Title' cell"
        )
    try:
        post, warnings = _load_text(
            source_path, notebook.text, zone, parses, undated, notebook, shared, quarto
        )
    except LemmaError as exc:
        # The author never sees the Markdown made of the notebook: say which cell.
        exc.problem = problem_in_cells(exc.problem, notebook.cell_lines)
        raise
    return post, [*notebook.warnings, *(problem_in_cells(w, notebook.cell_lines) for w in warnings)]


def _load_text(
    source_path: str,
    text: str,
    zone: ZoneInfo,
    parses: BodyParses | None,
    undated: datetime | None,
    notebook: NotebookText | None = None,
    shared: Mapping[str, Any] | None = None,
    quarto: QuartoValues | None = None,
) -> Loaded:
    where = SourceLocation(source_path)
    stored = notebook.stored_outputs if notebook is not None else None
    header = split_header(text, where)
    own = _parse_header(header, where)
    raw = merged(shared or {}, lemma_keys(own))
    body, body_line = header.body, header.body_line
    heading = title_heading(body)
    if "title" not in raw and heading is not None:
        # A lecture or a notebook names itself by its first heading: that is its title.
        raw["title"] = plain_heading_text(heading[0])
    title = raw.get("title")
    if heading is not None and isinstance(title, str) and same_title(heading[0], title):
        body = without_line(body, heading[1])  # the page shows the title once, above
    if header.dialect == "none" and "title" not in raw:
        raise FrontMatterError(
            "missing front matter",
            where.at_line(1),
            hint="start the file with '---', then 'title: ...' and 'date: YYYY-MM-DD', then '---'",
        )
    front_matter, warnings = _validate(raw, header, where, zone, undated, own)
    meta = replace(quarto, meta=raw) if quarto is not None else QuartoValues(meta=raw)
    body, tag_warnings = rewrite_mkdocs(body, body_line, source_path, meta)  # --8<--, ///, ...
    body, more = rewrite_tags(body, body_line, source_path, meta)
    tag_warnings.extend(more)
    body = rewrite_distill(rewrite_kramdown(rewrite_codehilite(body)))
    body = with_media_subpath(body, media_subpath(raw))  # Chirpy's folder of the post's images
    body, obsidian_warnings = rewrite_obsidian(body, body_line, source_path)
    body, rmd_warnings = rewrite_rmarkdown(body, body_line, source_path)
    warnings.extend([*tag_warnings, *obsidian_warnings, *rmd_warnings])
    slug = front_matter.slug or slug_from_path(source_path)
    if not slug:
        raise FrontMatterError(
            "cannot derive a slug from the file name", where.at_line(1), hint="set 'slug: my-post'"
        )

    def at(key: str) -> SourceLocation:
        return where.at_line(key_line(header, key))

    body, marked = split_excerpt(body, optional_str(raw, "excerpt_separator", at) or MORE)
    if front_matter.excerpt:
        excerpt = front_matter.excerpt
    elif marked is not None:
        excerpt = paragraphs_text(marked)
    else:
        excerpt = first_paragraph_text(body, parses.tokens(body) if parses else None)
    stored_run = None
    if stored is not None and raw.get("outputs") == STORED:
        fences = [body_line + t.map[0] for t in parse_body(body) if t.type == "fence" and t.map]
        stored_run = stored_results(stored, fences)
    cell_lines = notebook.cell_lines if notebook is not None else ()
    attachments = notebook.attachments if notebook is not None else ()
    post = Post(
        source_path,
        slug,
        front_matter,
        body,
        body_line,
        excerpt,
        stored_run,
        cell_lines,
        attachments,
    )
    return post, warnings


def _parse_header(header: Header, where: SourceLocation) -> dict[str, Any]:
    if header.dialect == "yaml":
        return _parse_yaml(header.text, where)
    if header.dialect == "toml":
        return parse_toml(header, where)
    if header.dialect == "pelican":
        return parse_pelican(header)
    return {}


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
    return parse_front_yaml(yaml_text, where, _TEXT_KEYS, _LIST_KEYS)


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


def _validate(
    raw: Mapping[str, Any],
    header: Header,
    where: SourceLocation,
    zone: ZoneInfo,
    undated: datetime | None,
    own: Mapping[str, Any] | None = None,
) -> tuple[FrontMatter, list[Problem]]:
    """`raw`'s keys checked and read; `own`, the keys the post writes itself (the others come
    from a _metadata.yml, which says itself what it has that Lemma does not use)."""

    def at(key: str) -> SourceLocation:
        return where.at_line(key_line(header, key))

    raw, warnings = rmarkdown_front_matter(tool_front_matter(created_and_updated(raw)), at)
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


def _check_shared(
    values: Mapping[str, Any], header: Header, where: SourceLocation, zone: ZoneInfo
) -> list[Problem]:
    """A _metadata.yml's values checked as front matter (a post gives the title and date)."""
    return _validate({"title": "-", "date": date(2000, 1, 1), **values}, header, where, zone, None)[
        1
    ]


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
    if value is True:
        return "on"
    if value is False:
        return "off"
    if value == "auto":
        return "auto"
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


def slug_from_path(source_path: str) -> str:
    """The file's name without its date, or its folder's name for an `index` post."""
    return slugify(_DATE_PREFIX_RE.sub("", _file_stem(source_path)))


def _file_stem(source_path: str) -> str:
    path = Path(source_path)
    return path.parent.name if path.stem == "index" else path.stem


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
