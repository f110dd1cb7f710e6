"""The vocabulary of Lemma: frozen values passed between the pipeline's stages (stdlib only)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

# The file types that are posts: Markdown under the names Jekyll, Pelican and editors give it,
# Quarto documents and Jupyter notebooks. A folder holding an `index` one is a post with its files.
# R Markdown (knitr, blogdown, distill, bookdown): read as Quarto documents are
RMARKDOWN_SUFFIXES = (".Rmd", ".rmd", ".Rmarkdown")
POST_SUFFIXES = (
    ".md",
    ".markdown",
    ".mdown",
    ".mkd",
    ".mkdn",
    ".qmd",
    ".ipynb",
    *RMARKDOWN_SUFFIXES,
)


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A place in a source file; `path` is relative to the site root, in POSIX form."""

    path: str
    line: int = 0  # 1-based; 0 when the whole file is meant
    column: int = 0  # 1-based; 0 when unknown
    cell: int = 0  # a notebook's cell (1-based, as Jupyter counts them) that `line` is in

    def __str__(self) -> str:
        if self.cell > 0 and self.line <= 0:  # the cell's metadata, such as its tags
            return f"{self.path}: cell {self.cell}"
        if self.cell > 0:
            return f"{self.path}: cell {self.cell}, line {self.line}"
        if self.line <= 0:
            return self.path
        if self.column > 0:
            return f"{self.path}:{self.line}:{self.column}"
        return f"{self.path}:{self.line}"

    def at_line(self, line: int, column: int = 0) -> SourceLocation:
        return SourceLocation(self.path, line, column)


FreezeMode = Literal["off", "auto", "on"]  # front matter and site.toml: false, auto, true


def freeze_mode(value: object) -> FreezeMode | None:
    """The mode that `freeze: VALUE` (front matter) or `freeze = VALUE` (site.toml) names, or
    None when it names none: true, false or "auto", and nothing else (not 1 or "yes")."""
    if value is True:
        return "on"
    if value is False:
        return "off"
    return "auto" if value == "auto" else None


@dataclass(frozen=True, slots=True)
class FrontMatter:
    title: str
    date: datetime  # timezone-aware
    author: str | None = None
    tags: tuple[str, ...] = ()
    excerpt: str | None = None
    draft: bool = False
    updated: datetime | None = None
    publish_date: datetime | None = None  # Hugo's publishDate: not published before it
    expiry_date: datetime | None = None  # Hugo's expiryDate: not published from it on
    slug: str | None = None
    template: str | None = None
    execute: Mapping[str, Any] = field(default_factory=dict)  # per-post snippet option defaults
    bibliography: tuple[str, ...] = ()  # files relative to the post's folder
    citation_style: str | None = None  # "author-year" or "numeric"; None: the site's
    freeze: FreezeMode | None = None  # None: the site's setting
    subtitle: str | None = None
    image: str | None = None  # a picture for link previews (og:image), as the author wrote it
    toc: bool | None = None  # None: a table of contents when the post has enough headings
    redirects: tuple[str, ...] = ()  # old addresses (site-relative) that lead to the post
    language: str | None = None  # `lang: fr`: the language the post is written in (BCP 47)
    extra: Mapping[str, Any] = field(default_factory=dict)  # unknown keys, kept for templates
    key_lines: Mapping[str, int] = field(default_factory=dict)  # line of each key in the file


@dataclass(frozen=True, slots=True)
class Post:
    source_path: str  # relative to the root, POSIX form, e.g. "posts/gd.md"
    slug: str
    front_matter: FrontMatter
    body: str  # Markdown after the front matter, line endings normalised to "\n"
    body_line: int  # line of the file on which `body` starts (1-based)
    excerpt: str  # plain text: the front matter's excerpt or the first paragraph
    # A notebook post with `outputs: stored`: the outputs saved in it, shown instead of a run.
    stored_results: tuple[SnippetResult, ...] | None = None
    # A notebook post: where each cell starts in the Markdown Lemma made of it, as
    # (Markdown line, cell, line of the cell); problems are reported at the cell (`in_cells`).
    cell_lines: tuple[tuple[int, int, int], ...] = ()
    # A notebook post: its Markdown cells' images, (cell, name, MIME type, base64 data), which
    # the cells show as `![...](attachment:name)`.
    attachments: tuple[tuple[int, str, str, str], ...] = ()

    @property
    def url_path(self) -> str:
        """Path of the post's page relative to the site's base, e.g. "posts/gd/"."""
        return f"posts/{self.slug}/"


FigureFormat = Literal["svg", "png"]


@dataclass(frozen=True, slots=True)
class Sweep:
    """`#| sweep: name = [v1, v2, ...]`: run the snippet once per value (per combination of the
    values of every sweep of the snippet, when it has several)."""

    name: str
    values: tuple[Any, ...]  # JSON-compatible literals
    default_index: int = 0


def sweep_grid(sweeps: Sequence[Sweep]) -> tuple[tuple[int, ...], ...]:
    """Every combination of value indices, the last sweep varying fastest (the variants' order)."""
    return tuple(itertools.product(*(range(len(sweep.values)) for sweep in sweeps)))


def default_combination(sweeps: Sequence[Sweep]) -> tuple[int, ...]:
    return tuple(min(max(s.default_index, 0), len(s.values) - 1) for s in sweeps)


def default_variant(sweeps: Sequence[Sweep]) -> int:
    """The position of the default combination among the variants."""
    position = 0
    for sweep, index in zip(sweeps, default_combination(sweeps), strict=True):
        position = position * len(sweep.values) + index
    return position


def sweep_label(sweeps: Sequence[Sweep], combination: Sequence[int]) -> str:
    """E.g. "lr = 0.1, steps = 10"."""
    return ", ".join(
        f"{sweep.name} = {sweep.values[index]!r}"
        for sweep, index in zip(sweeps, combination, strict=True)
    )


@dataclass(frozen=True, slots=True)
class SnippetOptions:
    eval: bool = True
    echo: bool = True
    echo_fenced: bool = False  # Quarto's `echo: fenced`: shown with its fence and option lines
    output: bool = True
    output_asis: bool = False  # Quarto's `output: asis`: what it prints is Markdown of the post
    warning: bool = True  # `#| warning: false` (Quarto's) hides what the snippet wrote to stderr
    expects_error: bool = False
    expected_error: str | None = None  # an exception class name, when one is named
    timeout_s: float = 60.0
    fig_cap: str | None = None  # of every figure of the snippet
    fig_caps: tuple[str, ...] = ()  # Quarto's list form of fig-cap: one caption per figure
    # `#| fig-subcap:`: fig_caps are subcaptions, "(a) …", and fig_cap the whole figure's caption
    fig_subcap: bool = False
    layout_ncol: int = 1  # `#| layout-ncol: 2`: the figures side by side, in that many columns
    column: str = ""  # `#| column: margin`: the outputs beside the text
    fig_alt: str | None = None
    tbl_cap: str | None = None  # `#| tbl-cap:` of a snippet that shows a table
    lst_cap: str | None = None  # Quarto's `#| lst-cap:`, the caption above a listing's code
    fig_format: FigureFormat = "svg"
    # An SVG figure heavier than this is written as PNG (site.toml's figure_svg_limit_kb); 0: never
    svg_limit_kb: int = 1024
    code_fold: bool = False
    code_summary: str | None = None  # Quarto's `code-summary`: the folded code's label
    code_line_numbers: bool = False  # Quarto's `code-line-numbers`: the code's lines numbered
    sweeps: tuple[Sweep, ...] = ()  # one per `#| sweep:` line; the grid is every combination
    label: str | None = None  # `#| label: fig-loss` / `tbl-…`: others refer to it as @fig-loss
    # `lemma check --drift`: how far a number (relative, absolute) or a figure (RMS of pixel
    # differences, 0-255) may move before its output counts as changed
    drift_rtol: float = 0.0
    drift_atol: float = 0.0
    drift_figure_rms: float = 0.0
    # `#| cache: keep`: cache the run although the snippet ran a program or used the network
    cache_keep: bool = False


@dataclass(frozen=True, slots=True)
class Snippet:
    index: int  # position among the post's fences, 0-based
    language: str  # "" when the fence has none
    code: str  # without option lines
    location: SourceLocation  # first line of `code` in the .md file
    options: SnippetOptions
    fence_line: int  # line of the opening ``` in the .md file

    @property
    def executable(self) -> bool:
        return self.language == "python" and self.options.eval


# Outputs of a snippet, in the order they happened.


@dataclass(frozen=True, slots=True)
class Stream:
    name: Literal["stdout", "stderr"]
    text: str


@dataclass(frozen=True, slots=True)
class Value:
    """The plain-text repr of a trailing expression."""

    text: str


def is_address_repr(text: str) -> bool:
    """Whether a repr only names objects and their memory addresses, as `<matplotlib.colorbar.
    Colorbar object at 0x7fd6...>` or `[<matplotlib.lines.Line2D at 0x7f3a...>]` do: it says
    nothing to a reader and changes on every run."""
    stripped = text.strip()
    if stripped[:1] + stripped[-1:] in ("[]", "()"):  # a list or tuple of such reprs
        items = re.split(r",\s*(?=<)", stripped[1:-1].strip().rstrip(","))
        return all(_names_an_address(item) for item in items)
    return _names_an_address(stripped)


def _names_an_address(text: str) -> bool:
    stripped = text.strip()
    return stripped.startswith("<") and stripped.endswith(">") and " at 0x" in stripped


@dataclass(frozen=True, slots=True)
class Rich:
    """A rich repr: text/html, image/svg+xml, image/png or image/jpeg (base64), text/latex or
    text/markdown. An image's width and height are CSS pixels and its alt text, when its object
    gave them (IPython's `Image(filename, width=300, alt=...)`); else it shows at its own size,
    described as an image output of its snippet."""

    mime: str
    data: str
    width: int | None = None
    height: int | None = None
    alt: str | None = None

    def given(self) -> dict[str, int | str]:
        """The width, height and alt text the object gave, named as in IPython's metadata."""
        named = {"width": self.width, "height": self.height, "alt": self.alt}
        return {name: value for name, value in named.items() if value is not None}


@dataclass(frozen=True, slots=True)
class Figure:
    file_name: str  # content hash + extension; the bytes live in the cache's figure store
    width: int  # CSS pixels
    height: int
    alt: str
    caption: str | None = None
    svg_too_heavy: bool = False  # a PNG written because the SVG passed `svg_limit_kb`


@dataclass(frozen=True, slots=True)
class Chart:
    """An interactive chart, kept as the data its library publishes and drawn in the browser.

    `mime` names the library: application/vnd.plotly.v1+json, application/vnd.vegalite.vN+json, or
    application/vnd.bokehjs.json-item+json (Lemma's name for `bokeh.embed.json_item`'s result).
    """

    mime: str
    data: str  # the JSON text of that MIME type
    width: int  # CSS pixels the chart asks for; 0 when it follows the column
    height: int  # CSS pixels reserved before the script draws it
    fallback: Figure | None = None  # a static image the library exported offline
    bundle: tuple[tuple[str, str], ...] = ()  # other representations, for the notebook download


@dataclass(frozen=True, slots=True)
class Error:
    ename: str
    evalue: str
    traceback: str  # user frames only, pointing into the .md file
    location: SourceLocation | None = None
    kind: Literal["exception", "syntax", "timeout", "crash", "unexpected-success"] = "exception"


Output = Stream | Value | Rich | Figure | Chart | Error


@dataclass(frozen=True, slots=True)
class SnippetResult:
    snippet_index: int
    outputs: tuple[Output, ...]
    duration_s: float
    variants: tuple[tuple[str, tuple[Output, ...]], ...] = ()  # sweep: (label, outputs) per value

    @property
    def error(self) -> Error | None:
        for output in self.outputs:
            if isinstance(output, Error):
                return output
        return None


@dataclass(frozen=True, slots=True)
class FileRecord:
    """Something in the file system a post's snippets depended on, and its state at the time
    (see `lemma.file_state`): a file read or imported, a folder listed, a path tested."""

    path: str  # relative to the root in POSIX form; absolute for a path outside the root
    state: str  # "" when nothing was there
    kind: Literal["content", "listing", "existence"] = "content"


@dataclass(frozen=True, slots=True)
class PostRun:
    source_path: str
    results: tuple[SnippetResult, ...]  # one per executed snippet, in order
    duration_s: float
    from_cache: bool = False
    failure: Error | None = None  # the error that failed the post, if any
    frozen: bool = False  # taken from the committed _freeze/ folder, not run nor cached
    files_read: tuple[FileRecord, ...] = ()
    # Why the run cannot be cached ("" when it can): it used something Lemma cannot track.
    untracked: str = ""

    def result_for(self, snippet_index: int) -> SnippetResult | None:
        for result in self.results:
            if result.snippet_index == snippet_index:
                return result
        return None


@dataclass(frozen=True, slots=True)
class Page:
    output_path: str  # relative to the output folder, e.g. "posts/gd/index.html"
    content: bytes


@dataclass(frozen=True, slots=True)
class KeptPage:
    """A page whose bytes are in a file, not in memory: a page the last build wrote, kept as it
    is in the output folder (the memo checked it against `digest`), or one this build wrote to
    its spool (`lemma.spool`). The write step links `source` into the new site. `stamp` (inode,
    size, modification time in ns) says whether the file is still the one that was checked."""

    output_path: str
    digest: str
    stamp: tuple[int, int, int]
    source: str  # absolute path of the file that holds the bytes


@dataclass(frozen=True, slots=True)
class Asset:
    """A file copied as it is into the site: theme assets and figures."""

    output_path: str
    source: str  # absolute path of the file to copy


@dataclass(frozen=True, slots=True)
class Site:
    pages: tuple[Page | KeptPage, ...]
    assets: tuple[Asset, ...]
