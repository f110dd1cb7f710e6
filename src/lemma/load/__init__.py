"""Read `posts/`: each post's file, its front matter (checked by `validation.py`), slug, excerpt."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lemma.blog_tools import BlogTools, blog_tools
from lemma.config import build_now
from lemma.errors import FrontMatterError, LemmaError, Problem
from lemma.front_matter import Header, key_line, parse_pelican, parse_toml, split_header
from lemma.load.codehilite import rewrite_codehilite
from lemma.load.conventions import (
    optional_str,
    plain_heading_text,
    same_title,
    title_heading,
    without_line,
)
from lemma.load.distill import rewrite_distill
from lemma.load.escapes import escaped_tex
from lemma.load.excerpts import MORE, split_excerpt
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
from lemma.load.obsidian import rewrite_obsidian, vault_inputs
from lemma.load.obsidian_callouts import read_unknown_callouts
from lemma.load.obsidian_vault import Vault
from lemma.load.pelican_notebooks import sidecar_bytes, sidecar_header
from lemma.load.quarto_shortcodes import QuartoValues, read_variables
from lemma.load.rmarkdown import rewrite_rmarkdown
from lemma.load.shortcodes import rewrite_tags
from lemma.load.theme_keys import (
    media_subpath,
    with_media_subpath,
)
from lemma.load.unread import UNREAD_FORMATS, is_unread, unread_problem
from lemma.load.validation import (
    DRAFTS_DIR,
    LIST_KEYS,
    TEXT_KEYS,
    check_metadata_values,
    slug_from_path,
    validate_front_matter,
)
from lemma.model import POST_SUFFIXES, Post, SourceLocation
from lemma.parse import (
    BodyParses,
    first_paragraph_text,
    inline_markdown_text,
    paragraphs_text,
    parse_body,
)
from lemma.reuse.memo import Memo, content_digest, memo_key


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
    output_dir: Path | None = None,
) -> LoadResult:
    """Load every post under `root/posts/`; a broken post is reported, the others still load.

    `memo` holds the posts of earlier builds, by their file's bytes: an unchanged file is not
    read into a Post again. `on_post` sees each post as soon as it is loaded (the pipeline
    starts the execution engine at the first post that needs it). Obsidian's embeds are found
    in the blog's folder, `output_dir` aside.
    """
    memo = memo if memo is not None else Memo()
    posts: list[Post] = []
    problems: list[Problem] = []
    posts_dir = root / "posts"
    if not posts_dir.is_dir():
        raise FrontMatterError(
            "no posts/ folder", SourceLocation(str(root)), hint="create posts/ and add a .md file"
        )
    folders = read_folder_metadata(
        root, posts_dir, _parse_yaml, partial(check_metadata_values, zone=zone)
    )
    problems.extend(folders.problems)
    variables = read_variables(root, problems)  # Quarto's _variables.yml, for {{< var >}}
    authors = read_authors(root, problems)  # MkDocs Material's .authors.yml
    # A draft without a date (Jekyll's drafts, a Pelican page) is dated the day of the build.
    undated = datetime.combine(build_now().astimezone(zone).date(), time(), tzinfo=zone)
    vault = Vault(root, (output_dir,) if output_dir is not None else ())
    tools = blog_tools(root)  # Eleventy's `posts` tag is a collection only in its blogs
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
            sidecar = sidecar_bytes(root, relative)  # pelican-ipynb's header file
            if sidecar is not None:
                quarto.append(content_digest(sidecar[1]))
            quarto.extend(vault_inputs(data, relative, vault))  # the files its embeds show
            key = memo_key(
                relative,
                content_digest(data),
                zone.key,
                undated,
                tools,
                vault.holds(relative),  # a type of the author's own is a callout in a vault
                *inherited,
                *quarto,
            )
            make = partial(
                load_post,
                relative,
                data,
                zone,
                parses,
                shared,
                undated,
                root,
                variables,
                vault,
                tools,
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
    vault: Vault | None = None,
    tools: BlogTools | None = None,
) -> Loaded:
    """Parse one post's bytes, under the keys of its folders' `_metadata.yml` (`shared`);
    raises LemmaError for the first fatal problem. A draft without a date takes `undated`;
    without it, such a draft is an error like any post without a date. Quarto's shortcodes read
    the blog's folder `root` (`{{< include >}}`) and its `_variables.yml` (`variables`);
    Obsidian's embeds are found in `vault` (the blog's folder `root` when not given); the tools
    the blog was made with are `tools` (what `root` shows when not given)."""
    quarto = QuartoValues(variables=variables, root=root, post_dir=posixpath.dirname(source_path))
    if vault is None and root is not None:
        vault = Vault(root)
    tools = tools if tools is not None else blog_tools(root)
    where = SourceLocation(source_path)
    text = _decode(data, where)
    if not text.strip():
        raise FrontMatterError(
            "the file is empty", where.at_line(1), hint="start it with a front matter block"
        )
    if not source_path.endswith(".ipynb"):
        return _load_text(
            source_path,
            text,
            zone,
            parses,
            undated,
            shared=shared,
            quarto=quarto,
            vault=vault,
            tools=tools,
        )
    sidecar = sidecar_bytes(root, source_path)
    header = sidecar_header(*sidecar) if sidecar is not None else ""
    notebook = notebook_text(text, where, header)
    if not notebook.text.strip():
        raise FrontMatterError(
            "the notebook has no cells", where.at_line(1), hint="add a '# Title' cell"
        )
    try:
        post, warnings = _load_text(
            source_path,
            notebook.text,
            zone,
            parses,
            undated,
            notebook,
            shared,
            quarto,
            vault,
            tools=tools,
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
    vault: Vault | None = None,
    *,
    tools: BlogTools,
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
    front_matter, warnings = validate_front_matter(
        raw, header, where, zone, undated, own, tools=tools
    )
    warnings.extend(escaped_tex(header, where))
    meta = replace(quarto, meta=raw) if quarto is not None else QuartoValues(meta=raw)
    body, tag_warnings = rewrite_mkdocs(body, body_line, source_path, meta)  # --8<--, ///, ...
    body, more = rewrite_tags(body, body_line, source_path, meta)
    tag_warnings.extend(more)
    body = rewrite_distill(rewrite_kramdown(rewrite_codehilite(body)))
    body = with_media_subpath(body, media_subpath(raw))  # Chirpy's folder of the post's images
    body, obsidian_warnings = rewrite_obsidian(body, body_line, source_path, vault)
    in_vault = vault is not None and vault.holds(source_path)
    body, callout_warnings = read_unknown_callouts(body, body_line, source_path, in_vault)
    obsidian_warnings.extend(callout_warnings)
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
        excerpt = inline_markdown_text(front_matter.excerpt)
    elif marked is not None:
        excerpt = paragraphs_text(marked)
    else:
        excerpt = first_paragraph_text(body, parses.tokens(body, source_path) if parses else None)
    stored_run = None
    # A notebook in another language (R, Julia) shows the outputs saved in it, as Quarto does.
    if stored is not None and (raw.get("outputs") == STORED or not (notebook and notebook.runs)):
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
    return parse_front_yaml(yaml_text, where, TEXT_KEYS, LIST_KEYS)


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
