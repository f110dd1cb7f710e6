"""A post as a Jupyter notebook (nbformat 4.5 JSON): prose as Markdown cells, snippets with outputs.

The JSON is written with the standard library only, deterministically: keys sorted, cell ids derived
from a hash of the post and the cell, never random. nbformat itself is only a test dependency.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from markdown_it.token import Token

from lemma.fences import is_display_only
from lemma.load.bibliography import Bibliography
from lemma.model import (
    Chart,
    Error,
    Figure,
    KeptPage,
    Output,
    Page,
    Post,
    PostRun,
    Rich,
    Snippet,
    SourceLocation,
    Stream,
    Value,
    default_variant,
)
from lemma.parse import BodyParses, parse_body
from lemma.render.attachments import cell_attachments
from lemma.render.crossrefs import Target, number_targets
from lemma.render.notebook_prose import NotebookProse
from lemma.render.outputs import shown_outputs
from lemma.reuse.figures import FigureStore
from lemma.reuse.memo import Memo, memo_key, text_digest
from lemma.spool import Spool

NBFORMAT, NBFORMAT_MINOR = 4, 5
COLAB = "https://colab.research.google.com/github"
GITHUB_HOSTS = ("github.com", "www.github.com")
DEFAULT_PAGES_BRANCH = "gh-pages"  # where ghp-import and peaceiris/actions-gh-pages publish a site

FigureReader = Callable[[str], bytes | None]  # figure file name -> its bytes (None when missing)
_MD_LINK = re.compile(r"\]\(([^)\s]+\.md)(#[^)\s]*)?\)")


def has_notebook(snippets: Sequence[Snippet]) -> bool:
    """A post gets a notebook when it has a snippet to run (the same test as the page's tools)."""
    return any(s.executable for s in snippets)


def notebook_output_path(post: Post) -> str:
    """Where the notebook lives in the site, beside the post's page: posts/gd/gd.ipynb."""
    return f"{post.url_path}{post.slug}.ipynb"


def colab_url(repo_url: str, output_path: str) -> str | None:
    """The "Open in Colab" link of a notebook of the published site, or None for non-GitHub repos.

    Colab opens notebooks from GitHub, so the link points at the built site as pushed to GitHub:
    `https://github.com/OWNER/REPO` means the `gh-pages` branch at its root; a tree URL such as
    `https://github.com/OWNER/REPO/tree/BRANCH/FOLDER` names the branch and folder explicitly.
    """
    parts = urlsplit(repo_url.strip())
    if parts.scheme not in ("http", "https") or parts.netloc.lower() not in GITHUB_HOSTS:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2:
        return None
    owner, repo = segments[0], segments[1].removesuffix(".git")
    branch, folder = DEFAULT_PAGES_BRANCH, ""
    if len(segments) >= 4 and segments[2] in ("tree", "blob"):
        branch = segments[3]
        folder = "".join(f"{s}/" for s in segments[4:])
    return f"{COLAB}/{owner}/{repo}/blob/{branch}/{folder}{output_path}"


@dataclass(frozen=True, slots=True)
class BodyOutline:
    """What a notebook needs of its post's parsed body: the lines of its fenced code blocks
    that may be cells (the first, and the one after the closing fence, counted in the body),
    and its numbered labels. A block only shown (MyST's ```{code-block} python, pandoc's
    ```{.python}) stays in the prose, as fenced code: it never ran, and may not be code to run."""

    fences: tuple[tuple[int, int], ...]
    targets: Mapping[str, Target]


def body_outline(
    post: Post, snippets: Sequence[Snippet], tokens: Sequence[Token] | None = None
) -> BodyOutline:
    """The outline of the post's body; `tokens` are its parse, when made already."""
    tokens = tokens if tokens is not None else parse_body(post.body)
    fences = tuple(
        (t.map[0], t.map[1])
        for t in tokens
        if t.type == "fence" and t.map is not None and not is_display_only(t.info)
    )
    targets, _ = number_targets(tokens, snippets, SourceLocation(post.source_path, post.body_line))
    return BodyOutline(fences, targets)


class Notebooks:
    """The notebooks of one build: one .ipynb page per post with snippets.

    `made` makes a post's notebook once its run is known: a build calls it as each run arrives,
    while other posts run, rather than all at the end on one core. `pages` gives them all,
    making those not made yet. `post_urls`: source path -> absolute URL. `memo` holds the
    notebooks of earlier builds: rebuilding every post's notebook was 95% of a prose edit's
    rebuild at 500 posts in `lemma serve`. With a `spool`, each new notebook goes to disk at
    once instead of staying in memory until the site is written.
    """

    def __init__(
        self,
        snippets: Mapping[str, Sequence[Snippet]],
        figures: FigureStore,
        post_urls: Mapping[str, str],
        memo: Memo[Page | KeptPage] | None = None,
        parses: BodyParses | None = None,
        bibliographies: Mapping[str, Bibliography] | None = None,
        spool: Spool | None = None,
    ) -> None:
        self._snippets = snippets
        self._figures = figures
        self._post_urls = post_urls
        self._urls_key = memo_key(sorted(post_urls.items()))
        self._memo: Memo[Page | KeptPage] = memo if memo is not None else Memo()
        self._parses = parses
        self._bibliographies = bibliographies or {}
        self._spool = spool
        self._outlines: dict[str, BodyOutline] = {}  # source path -> outline (`outline`)

    def made(self, post: Post, run: PostRun | None) -> Page | KeptPage | None:
        """The post's notebook with `run`'s outputs, or None for a post without one."""
        key = self._key(post, run)
        if key is None:
            return None
        page = self._memo.get(key)
        if page is None:
            outline = self._outlines.pop(post.source_path, None) or self._outline(post)
            content = post_notebook(
                post,
                self._found(post),
                run,
                self._figures.read,
                self._post_urls,
                self._bibliographies.get(post.source_path),
                outline,
            )
            output_path = notebook_output_path(post)
            spool = self._spool
            page = spool.keep(output_path, content) if spool else Page(output_path, content)
            self._memo.keep(key, page)
        return page

    def outline(self, post: Post, run: PostRun | None) -> None:
        """Keep what the post's notebook needs of its body's parse, when the notebook is still
        to be made: the parse can then go (`BodyParses.forget`) before the notebooks are made.
        At 500 posts, the parses kept for the notebooks were half of the builder's memory."""
        key = self._key(post, run)
        if key is None or post.source_path in self._outlines or self._memo.get(key) is not None:
            return
        self._outlines[post.source_path] = self._outline(post)

    def pages(self, posts: Sequence[Post], runs: Mapping[str, PostRun]) -> list[Page | KeptPage]:
        """The notebooks of `posts`."""
        pages: list[Page | KeptPage] = []
        for post in posts:
            page = self.made(post, runs.get(post.source_path))
            if page is not None:
                pages.append(page)
        return pages

    def _found(self, post: Post) -> tuple[Snippet, ...]:
        return tuple(self._snippets.get(post.source_path, ()))

    def _key(self, post: Post, run: PostRun | None) -> str | None:
        """The memo key of the post's notebook, or None for a post without one."""
        found = self._found(post)
        if not has_notebook(found):
            return None
        bibliography = self._bibliographies.get(post.source_path)
        keyed = replace(post, body=text_digest(post.body))  # the whole post, its body digested
        return memo_key(keyed, found, shown_run(run), self._urls_key, bibliography)

    def _outline(self, post: Post) -> BodyOutline:
        tokens = self._parses.tokens(post.body, post.source_path) if self._parses else None
        return body_outline(post, self._found(post), tokens)


def notebook_paths(posts: Sequence[Post], snippets: Mapping[str, Sequence[Snippet]]) -> set[str]:
    """The output paths `Notebooks.pages` will give, known before it runs."""
    return {notebook_output_path(p) for p in posts if has_notebook(snippets.get(p.source_path, ()))}


def shown_run(run: PostRun | None) -> PostRun | None:
    """A run as far as pages are concerned: where it came from and how long it took do not count."""
    if run is None:
        return None
    return replace(run, duration_s=0.0, from_cache=False)


def post_notebook(
    post: Post,
    snippets: Sequence[Snippet],
    run: PostRun | None,
    read_figure: FigureReader,
    post_urls: Mapping[str, str] | None = None,
    bibliography: Bibliography | None = None,
    outline: BodyOutline | None = None,
) -> bytes:
    """The notebook of one post, as UTF-8 JSON bytes; `outline` is its body's, when known."""
    cells: list[dict[str, Any]] = [_markdown_cell(_title_markdown(post))]
    outline = outline or body_outline(post, snippets)
    writing = NotebookProse(
        post, snippets, bibliography, (post_urls or {}).get(post.source_path, ""), outline.targets
    )
    by_fence_line = {s.fence_line: s for s in snippets if s.language == "python"}
    lines = post.body.split("\n")
    prose_start, execution_count = 0, 0
    for fence_start, fence_end in outline.fences:
        snippet = by_fence_line.get(post.body_line + fence_start)
        if snippet is None:
            continue  # other languages stay in the prose, as fenced code
        chunk, images = cell_attachments(post, prose_start, lines[prose_start:fence_start])
        if prose := _prose(chunk, post, post_urls or {}):
            cells.append(_markdown_cell(writing.rewrite(prose), images))
        prose_start = fence_end
        result = run.result_for(snippet.index) if run else None
        count: int | None = None
        if result is not None:
            execution_count += 1
            count = execution_count
        outputs = shown_outputs(_result_outputs(snippet, result), snippet.options)
        cells.append(_code_cell(snippet, count, [_output(o, count, read_figure) for o in outputs]))
    chunk, images = cell_attachments(post, prose_start, lines[prose_start:])
    if prose := _prose(chunk, post, post_urls or {}):
        cells.append(_markdown_cell(writing.rewrite(prose), images))
    if references := writing.references():
        cells.append(_markdown_cell(references))
    for index, cell in enumerate(cells):
        cell["id"] = _cell_id(post.slug, index, cell)
    notebook = {
        "cells": cells,
        "metadata": _metadata(post),
        "nbformat": NBFORMAT,
        "nbformat_minor": NBFORMAT_MINOR,
    }
    text = json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def _title_markdown(post: Post) -> str:
    fm = post.front_matter
    byline = f"{fm.date.day} {fm.date:%B %Y}"
    if fm.author:
        byline += f" · {fm.author}"
    return f"# {fm.title}\n\n*{byline}*"


def _prose(lines: Sequence[str], post: Post, post_urls: Mapping[str, str]) -> str:
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        return ""
    folder = post.source_path.rpartition("/")[0]

    def absolute(match: re.Match[str]) -> str:
        # Links to other posts point at their pages: a notebook leaves the site's folder.
        target = f"{folder}/{match.group(1)}" if folder else match.group(1)
        url = post_urls.get(_normalise(target))
        return f"]({url}{match.group(2) or ''})" if url else match.group(0)

    return _MD_LINK.sub(absolute, text)


def _normalise(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _result_outputs(snippet: Snippet, result: Any) -> Sequence[Output]:
    if result is None:
        return ()
    sweeps = snippet.options.sweeps
    if sweeps and result.variants:
        index = min(default_variant(sweeps), len(result.variants) - 1)
        outputs: Sequence[Output] = result.variants[index][1]
        return outputs
    return tuple(result.outputs)


def _source_lines(text: str) -> list[str]:
    """Jupyter's multiline form: a list of lines, each but the last ending in a newline."""
    return text.splitlines(keepends=True)


def _markdown_cell(text: str, attachments: Mapping[str, Any] | None = None) -> dict[str, Any]:
    cell = {"cell_type": "markdown", "metadata": {}, "source": _source_lines(text)}
    return cell | {"attachments": dict(attachments)} if attachments else cell


def _code_cell(
    snippet: Snippet, execution_count: int | None, outputs: list[dict[str, Any] | None]
) -> dict[str, Any]:
    code = snippet.code
    # The page offers every value; the notebook runs the default one and lists the others.
    for sweep in reversed(snippet.options.sweeps):
        values = ", ".join(repr(v) for v in sweep.values)
        default = sweep.values[min(sweep.default_index, len(sweep.values) - 1)]
        code = f"{sweep.name} = {default!r}  # sweep: try any of {values}\n{code}"
    metadata: dict[str, Any] = {}
    if not snippet.options.echo or snippet.options.code_fold:
        metadata["jupyter"] = {"source_hidden": True}
    return {
        "cell_type": "code",
        "execution_count": execution_count,
        "metadata": metadata,
        "outputs": [o for o in outputs if o is not None],
        "source": _source_lines(code),
    }


def _output(
    output: Output, execution_count: int | None, read_figure: FigureReader
) -> dict[str, Any] | None:
    match output:
        case Stream(name=name, text=text):
            return {"name": name, "output_type": "stream", "text": _source_lines(text)}
        case Value(text=text):
            return {
                "data": {"text/plain": _source_lines(text)},
                "execution_count": execution_count,
                "metadata": {},
                "output_type": "execute_result",
            }
        case Rich(mime=mime, data=data):
            binary = mime.startswith("image/") and mime != "image/svg+xml"  # base64, one string
            value: str | list[str] = data if binary else _source_lines(data)
            given = output.given()
            metadata = {mime: given} if given else {}  # as IPython's Image(width=...) saves it
            return {"data": {mime: value}, "metadata": metadata, "output_type": "display_data"}
        case Figure():
            return _figure_output(output, read_figure)
        case Chart():
            return _chart_output(output, read_figure)
        case Error():
            return {
                "ename": output.ename or output.kind,
                "evalue": output.evalue,
                "output_type": "error",
                "traceback": output.traceback.splitlines(),
            }
    return None


def _figure_output(figure: Figure, read_figure: FigureReader) -> dict[str, Any] | None:
    data = read_figure(figure.file_name)
    if data is None:
        return None
    text_alt = figure.caption or figure.alt or "Figure"
    size = {"width": figure.width, "height": figure.height}
    if figure.file_name.endswith(".svg"):
        mime, value = "image/svg+xml", _source_lines(data.decode("utf-8", errors="replace"))
        bundle: dict[str, Any] = {mime: value, "text/plain": [text_alt]}
        return {"data": bundle, "metadata": {}, "output_type": "display_data"}
    mime = "image/jpeg" if figure.file_name.endswith((".jpg", ".jpeg")) else "image/png"
    encoded = base64.b64encode(data).decode("ascii")
    return {
        "data": {mime: encoded, "text/plain": [text_alt]},
        "metadata": {mime: size},
        "output_type": "display_data",
    }


def _chart_output(chart: Chart, read_figure: FigureReader) -> dict[str, Any]:
    """The chart's own MIME type (its JSON as an object, as Jupyter keeps it) and the rest of its
    bundle, with the static image when there is one."""
    bundle: dict[str, Any] = {chart.mime: json.loads(chart.data)}
    for mime, value in chart.bundle:
        bundle[mime] = _source_lines(value)
    if chart.fallback is not None:
        image = _figure_output(chart.fallback, read_figure)
        if image is not None:
            bundle = image["data"] | bundle
    bundle.setdefault("text/plain", ["Interactive chart"])
    return {"data": bundle, "metadata": {}, "output_type": "display_data"}


def _metadata(post: Post) -> dict[str, Any]:
    fm = post.front_matter
    metadata: dict[str, Any] = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "lemma": {"source": post.source_path, "tags": list(fm.tags), "date": fm.date.isoformat()},
        "title": fm.title,
    }
    if fm.author:
        metadata["authors"] = [{"name": fm.author}]
    return metadata


def _cell_id(slug: str, index: int, cell: Mapping[str, Any]) -> str:
    """Stable across builds: a hash of the post, the cell's position and its content."""
    content = json.dumps(cell, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{slug}\0{index}\0{content}".encode()).hexdigest()[:16]
