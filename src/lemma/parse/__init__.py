"""The one shared markdown-it-py setup; code fences become `Snippet`s with file:line and options."""

from __future__ import annotations

import copyreg
import io
import pickle
import re
import zlib
from collections.abc import Sequence
from dataclasses import fields, replace
from functools import cache
from operator import attrgetter

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from lemma.errors import LemmaError, Problem
from lemma.fences import (
    fence_language,
    info_language,
    is_code_block,
    is_code_cell,
    is_display_only,
)
from lemma.model import RMARKDOWN_SUFFIXES, Post, Snippet, SnippetOptions, SourceLocation
from lemma.parse.abbreviations import abbreviations_plugin
from lemma.parse.admonitions import admonitions_plugin
from lemma.parse.blocks import blocks_plugin
from lemma.parse.citations import citations_plugin
from lemma.parse.directives import (
    QUARTO_DIAGRAMS,
    directive_options,
    directives_plugin,
    quarto_cell,
    unknown_directive,
)
from lemma.parse.divs import divs_plugin
from lemma.parse.emoji import emoji_plugin
from lemma.parse.figures import figures_plugin, unsupported_layout
from lemma.parse.highlight_options import apply_highlight_options
from lemma.parse.includes import includes_plugin
from lemma.parse.jupyter_book import glue_problem, jupyter_book_plugin, jupyter_book_problems
from lemma.parse.knitr_options import chunk_option_lines, is_knitr_header
from lemma.parse.labels import labels_plugin
from lemma.parse.markdown_exec import apply_exec_options, marks_execution
from lemma.parse.marks import marks_plugin
from lemma.parse.mathsyntax import math_syntax_plugin
from lemma.parse.myst import split_code_cell_options
from lemma.parse.myst_blocks import myst_blocks_plugin
from lemma.parse.option_lines import split_option_lines
from lemma.parse.options import apply_option_lines
from lemma.parse.roles import LEFT_OUT, role_text, roles_plugin
from lemma.parse.rules import guard_amsmath, heading_anchors_plugin
from lemma.parse.table_captions import table_captions_plugin
from lemma.parse.tabsets import tabsets_plugin
from lemma.parse.targets import targets_plugin
from lemma.parse.toc_markers import toc_markers_plugin
from lemma.slugs import slugify


@cache
def markdown() -> MarkdownIt:
    """CommonMark + GFM tables, strikethrough and task lists, footnotes, definition lists,
    ~sub~ and ^super^scripts, $math$, amsmath, heading anchors,
    and the mathematician's additions: fenced divs (theorems, proofs, callouts), MkDocs'
    admonitions and tabs, Quarto's tabsets, labels and citations, pandoc's bracketed spans,
    MyST's directives and roles (`parse.blocks`, `parse.admonitions`, `parse.tabsets`,
    `parse.labels`, `parse.citations`, `parse.directives`, `parse.myst_blocks`, `parse.roles`,
    `parse.targets`)."""
    md = MarkdownIt("commonmark", {"typographer": False}).enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(dollarmath_plugin, double_inline=True, allow_space=False, allow_digits=False)
    math_syntax_plugin(md)  # kramdown's $$, spaces inside $ … $, \( \), \[ \], money
    md.use(amsmath_plugin)
    guard_amsmath(md)  # linear on many unclosed \begin{align}
    md.use(divs_plugin)
    md.use(includes_plugin)  # the files Quarto's `{{< include >}}` read, in its place
    md.use(admonitions_plugin)  # MkDocs' `!!! note`, `??? tip`, `=== "Tab"`
    md.use(labels_plugin)
    md.use(blocks_plugin)
    md.use(myst_blocks_plugin)  # MyST's callouts, prf: theorems, tabs, asides as divs
    md.use(jupyter_book_plugin)  # Jupyter Book's {toctree} and {glossary}, before those
    md.use(tabsets_plugin)  # Quarto's `.panel-tabset`: its headings become tabs
    md.use(table_captions_plugin)  # pandoc's `: Caption {#tbl-x}` beside a table
    md.use(targets_plugin)  # MyST's (label)= before a heading or a block
    md.use(directives_plugin)  # MyST's {math} and {figure}
    md.use(citations_plugin)
    # pandoc's bracketed spans, `[text]{.aside}`, and an image's `{#fig-x}`: ids and classes
    # only (the pages allow no style)
    md.use(attrs_plugin, after=("image", "link_close"), spans=True, allowed=("id", "class"))
    md.use(figures_plugin)  # Quarto's `{#fig-x}` images, figure divs and layouts
    md.use(roles_plugin)  # MyST's {eq}`label` and its kin
    md.use(toc_markers_plugin)  # [TOC] and its kin: Lemma makes the contents
    # What pandoc (Quarto), kramdown, Python-Markdown and Hugo's goldmark also read: `- [x]`
    # task lists (GFM), definition lists (`Term` then `:   its definition`), H~2~O and 2^10^.
    md.use(tasklists_plugin)
    md.use(deflist_plugin)
    md.use(sub_plugin)
    md.use(superscript_plugin)
    md.use(marks_plugin)  # pymdownx's ==mark==, ^^insert^^, ++ctrl+c++ and CriticMarkup
    md.use(abbreviations_plugin)  # kramdown's and Python-Markdown's `*[HTML]: Hyper Text …`
    md.use(emoji_plugin)  # pymdownx.emoji's :smile: (MkDocs Material, GitHub)
    # mdit-py-plugins' anchors_plugin, with ids found in linear time (10,000 "## Proof")
    heading_anchors_plugin(
        md, levels=range(1, 5), slug_func=lambda text: slugify(text) or "section", symbol="#"
    )
    return md


def parse_body(body: str) -> list[Token]:
    return markdown().parse(body)


class BodyParses:
    """One markdown-it parse per post body per build: load, parse, render and the notebook all
    ask here for a body's tokens. A build makes one; a post a memo answers for is never parsed.

    Render marks the tokens (lines of inline tokens, resolved link targets); nothing else reads
    those marks, and no other stage changes the tokens.

    Only the parse asked for last is held as tokens. The others are held packed (pickled, then
    compressed) until a later stage asks for them again: markdown-it's tokens take about 17 times
    the bytes of the body they come from, so a cold build, which parses every post while it
    loads them and renders each as its run arrives, held 290 MB of them at 2,000 posts. Packed,
    they take about the bytes of the bodies, for about a third of a parse's CPU more per post; a
    stage that asks twice in a row for a post's tokens, as load and render each do, pays nothing.
    """

    def __init__(self) -> None:
        self._packed: dict[tuple[str, str], bytes] = {}
        self._last: tuple[tuple[str, str], list[Token]] | None = None

    def tokens(self, body: str, source_path: str) -> list[Token]:
        """The tokens of the post at `source_path`: two posts with the same body have tokens of
        their own, since render marks them (a link resolved from one post's folder)."""
        key = (source_path, body)
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        if self._last is not None:
            self._packed[self._last[0]] = _pack(self._last[1])
        packed = self._packed.pop(key, None)
        found = parse_body(body) if packed is None else _unpack(packed)
        self._last = (key, found)
        return found

    def holds(self, body: str, source_path: str) -> bool:
        """Whether the tokens of the post at `source_path` were made and not let go."""
        key = (source_path, body)
        return key in self._packed or (self._last is not None and self._last[0] == key)

    def forget(self, body: str, source_path: str) -> None:
        """Let the tokens go once the last stage that reads them is done (a later request parses
        the body again)."""
        key = (source_path, body)
        self._packed.pop(key, None)
        if self._last is not None and self._last[0] == key:
            self._last = None


# A token goes into the pickle as its fields in order and comes back through its constructor:
# half the time of pickle's way for a dataclass with slots, and a third fewer bytes
_TOKEN_FIELDS = attrgetter(*(field.name for field in fields(Token)))
_PICKLING = {**copyreg.dispatch_table, Token: lambda token: (Token, _TOKEN_FIELDS(token))}


def _pack(tokens: list[Token]) -> bytes:
    # pickle keeps what the plugins put in the tokens' meta (frozen records, nested tokens);
    # these bytes never leave the process that made them
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _PICKLING
    pickler.dump(tokens)
    return zlib.compress(buffer.getbuffer(), 1)


def _unpack(packed: bytes) -> list[Token]:
    tokens: list[Token] = pickle.loads(zlib.decompress(packed))
    return tokens


def extract_snippets(
    post: Post, defaults: SnippetOptions, tokens: Sequence[Token] | None = None
) -> tuple[tuple[Snippet, ...], list[Problem]]:
    """Every fenced code block of the post, in order, with its options applied over `defaults`."""
    where = SourceLocation(post.source_path)
    snippets: list[Snippet] = []
    problems: list[Problem] = []
    total_lines = len(post.body.splitlines())  # as markdown-it counts: a final "\n" ends a line
    tokens = tokens if tokens is not None else parse_body(post.body)
    marked = marks_execution(tokens)  # markdown-exec's: only fences marked exec="on" run
    rmarkdown = post.source_path.endswith(RMARKDOWN_SUFFIXES)
    problems += jupyter_book_problems(tokens, where, post.body_line)
    for token in tokens:
        if token.type == "div_open" and "unknown_directive" in token.meta and token.map:
            name, line = token.meta["unknown_directive"], post.body_line + token.map[0]
            problems.append(_unknown_directive(name, where.at_line(line), "a div of its Markdown"))
        if token.type == "div_open" and "malformed_directive" in token.meta and token.map:
            line = post.body_line + token.map[0]
            problems.append(
                Problem(
                    token.meta["malformed_directive"],
                    where.at_line(line),
                    hint="it is shown as its Markdown; write each row as '* - cell' "
                    "and its other cells as '  - cell' under it",
                    is_warning=True,
                )
            )
        layout = unsupported_layout(token.meta.get("attributes", {}))
        if token.type == "div_open" and layout is not None and token.map:
            line = post.body_line + token.map[0]
            problems.append(
                Problem(
                    f"Quarto's {layout} is not supported; its content is shown one under another",
                    where.at_line(line),
                    hint="write layout-ncol=2 (up to 6) for columns of equal width",
                    is_warning=True,
                )
            )
        if token.type != "fence" or token.map is None or "included" in token.meta:
            continue  # an included file's fences are shown, not run
        fence_line = post.body_line + token.map[0]
        if token.map[1] >= total_lines and not _is_closed(post.body, token):
            problems.append(
                Problem(
                    f"the code fence opened here with {token.markup} is never closed",
                    where.at_line(fence_line),
                    hint=f"add a line with {token.markup} after the code",
                    is_warning=True,
                )
            )
        directive = unknown_directive(token.info)
        cell = quarto_cell(token.info)
        if rmarkdown and is_knitr_header(token.info):  # any engine of knitr's: {stan}, {css}
            cell, directive = fence_language(token.info), None
        if cell is not None and cell != "python":  # Quarto's ```{r}, ```{mermaid}: not run
            problems.append(_not_run(cell, where.at_line(fence_line), rmarkdown))
        elif directive is not None:
            problems.append(_unknown_directive(directive, where.at_line(fence_line)))
        language = info_language(token.info)
        code = token.content[:-1] if token.content.endswith("\n") else token.content
        cell_items: list[tuple[int, str, str]] = []
        cell_lines = 0  # lines of a MyST code cell's own options, before any `#|` line
        if is_code_cell(token.info):
            try:
                cell_items, rest, cell_problems = split_code_cell_options(
                    code, where.at_line(fence_line + 1)
                )
                problems.extend(cell_problems)
                cell_lines = code.count("\n") - rest.count("\n") if rest != code else 0
                code = rest
            except LemmaError as exc:
                problems.append(exc.problem)
        elif is_code_block(token.info):  # ```{code-block} python: its options are not code
            given, rest, cell_lines = directive_options(code + "\n")
            code = rest.removesuffix("\n")
            problems += [
                _ignored_option(name, where.at_line(fence_line + 1 + offset))
                for offset, name in enumerate(given)
            ]
        option_items, code_without = split_option_lines(code)
        option_lines = _line_count(code[: len(code) - len(code_without)])
        option_items = cell_items + [(cell_lines + o, k, v) for o, k, v in option_items]
        fence = where.at_line(fence_line)  # knitr's header options, and `#|` names in .Rmd
        option_items, knitr_problems = chunk_option_lines(
            token.info, option_items, fence, rmarkdown
        )
        problems.extend(knitr_problems)
        options = defaults
        try:
            options, warnings = apply_option_lines(
                defaults, option_items, where.at_line(fence_line + 1)
            )
            problems.extend(warnings)
        except LemmaError as exc:
            problems.append(exc.problem)
        options, warnings = apply_highlight_options(token.info, options, where.at_line(fence_line))
        problems.extend(warnings)  # Material's ``` py title="x.py" linenums="1"
        options, warnings = apply_exec_options(
            token.info, language, options, where.at_line(fence_line), marked
        )
        problems.extend(warnings)
        if is_display_only(token.info):
            options = replace(options, eval=False)  # ```{.python}: pandoc's, shown, never run
        first_code_line = fence_line + 1 + cell_lines + option_lines
        snippets.append(
            Snippet(
                index=len(snippets),
                language=language,
                code=code_without,
                location=where.at_line(first_code_line),
                options=options,
                fence_line=fence_line,
            )
        )
    return tuple(snippets), problems


def _unknown_directive(name: str, where: SourceLocation, shown: str = "a code block") -> Problem:
    if name.lower() == "glue" or name.lower().startswith("glue:"):
        return glue_problem(f"{{{name}}}", where, shown)
    return Problem(
        f"MyST directive {{{name}}} is not one Lemma knows; it is shown as {shown}",
        where,
        hint="Lemma reads {math}, {figure}, {code-cell}, {code-block}, {bibliography}, "
        "{admonition}, {dropdown}, the callouts ({note}, {tip}, {seealso}, ...) and "
        "sphinx-proof's {prf:theorem}, {prf:proof}, ...",
        is_warning=True,
    )


def _not_run(cell: str, where: SourceLocation, rmarkdown: bool = False) -> Problem:
    if cell in QUARTO_DIAGRAMS:
        return Problem(
            f"Quarto's {{{cell}}} diagram is not drawn; its source is shown",
            where,
            hint="the pages run no diagram library: draw it as an SVG file beside the post "
            "and show it with ![…](diagram.svg)",
            is_warning=True,
        )
    return Problem(
        f"R Markdown's {{{cell}}} chunk is not run: Lemma runs Python"
        if rmarkdown
        else f"Quarto's {{{cell}}} cell is shown, not run: Lemma runs Python",
        where,
        hint=f"write ```{{.{cell}}} to show the code without a warning, or rewrite it in Python",
        is_warning=True,
    )


def _ignored_option(name: str, where: SourceLocation) -> Problem:
    return Problem(
        f"{{code-block}} option ':{name}:' has no meaning in Lemma and is ignored",
        where,
        hint="the code is shown highlighted, as written",
        is_warning=True,
    )


_LEFT_OUT = re.compile(rf"\s*{LEFT_OUT}")


def _line_count(text: str) -> int:
    """Lines of `text`, a final newline ending the last one rather than starting another."""
    return len(text.removesuffix("\n").split("\n")) if text else 0


def _is_closed(body: str, token: Token) -> bool:
    assert token.map is not None
    lines = body.split("\n")
    last = lines[token.map[1] - 1].strip() if token.map[1] - 1 < len(lines) else ""
    return (
        token.map[1] - token.map[0] >= 2
        and last.startswith(token.markup[:3])
        and (set(last) <= set(token.markup[0]))
    )


def first_paragraph_text(body: str, tokens: Sequence[Token] | None = None) -> str:
    """The plain text of the body's first paragraph (for default excerpts and descriptions)."""
    tokens = tokens if tokens is not None else parse_body(body)
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and index + 1 < len(tokens):
            return _plain_text(tokens[index + 1].children or []).strip()
    return ""


def paragraphs_text(body: str) -> str:
    """The plain text of all the body's paragraphs, one after the other (a marked excerpt)."""
    tokens = parse_body(body)
    return " ".join(
        text
        for index, token in enumerate(tokens[:-1])
        if token.type == "paragraph_open"
        and (text := _plain_text(tokens[index + 1].children or []).strip())
    )


def inline_markdown_text(text: str) -> str:
    """The plain text of a summary or description in front matter, which Hugo, Pelican and
    Quarto read as markdown (`**bold**` shows as bold, not stars). Only inline syntax is read:
    "1986. A good year" stays a sentence, not a list."""
    tokens = markdown().parseInline(text)
    children = (tokens[0].children or []) if tokens else []
    return _plain_text(children).strip()


def _plain_text(children: Sequence[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("math_inline", "math_inline_double"):
            parts.append(f"${child.content}$")  # rendered where the excerpt is shown
        elif child.type == "citation":
            parts.append(child.content)  # as written: rendered where the bibliography is known
        elif child.type == "myst_role":
            parts.append(role_text(child.meta["role"], child.content))
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.children:
            parts.append(_plain_text(child.children))
    # a reference whose words only the body knows is left out, and the space before it
    return _LEFT_OUT.sub("", "".join(parts))
