"""MyST's directives as Jupyter Book writes them: ```{math}, ```{figure} and ```{image} become
Lemma's equations and figures (an image is a figure without caption or number),
```{bibliography} a `bibliography` token where the References go; any other directive Lemma
has no meaning for is named by `unknown_directive` (the fence stays a code block, and extraction
warns at its line).

A ```{math} with `:label: x` is a `math_block_label` token whose `meta["myst"]` is set, so that
it is numbered with the post's other equations whatever its label (Quarto's `{#…}` labels are
numbered only with the `eq-` prefix). A ```{figure} is `figure_open`, an `inline` token holding
its image, the caption between `figure_caption_open`/`_close`, and `figure_close`; its
`:name:` is the figure's id and makes it numbered, like a snippet labelled `fig-…`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from pygments.lexers import find_lexer_class_by_name
from pygments.util import ClassNotFound

from lemma.fences import is_code_block, is_code_cell

DIRECTIVE = re.compile(r"^\{(?P<name>[A-Za-z][\w:.-]*)\}\s*(?P<argument>.*)$")
# The directives this module makes into Lemma's own tokens (the others' bodies are Markdown).
MARKUP_DIRECTIVES = ("math", "figure", "image", "bibliography")
_OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")
_YAML_OPTION = re.compile(r"^\s*(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")
_PIXELS = re.compile(r"^(?P<value>\d+)(?:px)?$")


def directives_plugin(md: MarkdownIt) -> None:
    """After inline parsing: a figure's caption is parsed here, its image made here."""
    md.core.ruler.after("inline", "myst_directives", _expand)


def directive_options(content: str) -> tuple[dict[str, str], str, int]:
    """A directive's options as a dict, the body after them (and the blank line MyST allows
    there), and how many lines they took: leading `:key: value` lines, or a `---`-fenced block
    of `key: value` lines (an unclosed `---` is the body's, a thematic break)."""
    lines = content.split("\n")
    options: dict[str, str] = {}
    used = 0
    closing = _yaml_block_end(lines)
    if closing is not None:
        for line in lines[1:closing]:
            if (match := _YAML_OPTION.match(line)) is not None:
                options[match["key"].lower()] = _unquoted(match["value"])
        used = closing + 1
    while closing is None and used < len(lines) and (match := _OPTION.match(lines[used])):
        options[match["key"].lower()] = match["value"]
        used += 1
    if used and used < len(lines) and not lines[used].strip():
        used += 1
    return options, "\n".join(lines[used:]), used


def parse_body(
    state: StateCore, fence: Token, body: str, skipped: int, *, written: bool
) -> list[Token]:
    """A directive's body (after `skipped` option lines) parsed as Markdown, its tokens at their
    lines in the post. A body Lemma made itself (`written` False: a toctree's list, a glossary)
    has no lines of its own: each token is at the line after the fence's."""
    inner: list[Token] = []
    env: Any = state.env
    state.md.block.parse(body, state.md, env, inner)
    line = (fence.map[0] if fence.map else 0) + 1 + skipped
    for token in inner:
        if not written:
            token.map = [line, line + 1]
        elif token.map is not None:
            token.map = [token.map[0] + line, token.map[1] + line]
    return inner


def directive_label(options: Mapping[str, str]) -> str:
    """A directive's label: MyST-parser writes `:name:` (`:label:` for math and sphinx-proof),
    mystmd `:label:` everywhere; either names any directive here."""
    return (options.get("label") or options.get("name") or "").strip()


def _yaml_block_end(lines: Sequence[str]) -> int | None:
    """The index of the `---` that closes an option block opened on the first line, else None."""
    if not lines or lines[0].strip() != "---":
        return None
    return next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)


def _unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


QUARTO_DIAGRAMS = ("mermaid", "dot")
# Quarto's executable cells: ```{r}, ```{julia}, ```{ojs}, also with attributes ({r echo=FALSE})
_QUARTO_CELL = re.compile(r"^\{(?P<name>[A-Za-z][\w-]*)(?:[\s,][^}]*)?\}\s*$")
_QUARTO_ENGINES = ("python", "r", "julia", "ojs", "bash", "sql", *QUARTO_DIAGRAMS)


def quarto_cell(info: str) -> str | None:
    """The engine of a Quarto cell (```{r} → "r"), None for anything else."""
    match = _QUARTO_CELL.match(info.strip())
    name = match["name"].lower() if match else ""
    return name if name in _QUARTO_ENGINES else None


def unknown_directive(info: str) -> str | None:
    """The name of the MyST directive a fence left after parsing opens (the ones Lemma knows
    are no fences by then), None for code: a code cell, or a language (```{python}, ```{r}:
    Quarto's blocks of code are in a language Pygments knows)."""
    match = DIRECTIVE.match(info.strip())
    if match is None or is_code_cell(info) or is_code_block(info):
        return None
    if _is_language(match["name"].lower()):
        return None
    return match["name"]


@cache
def _is_language(name: str) -> bool:
    try:
        find_lexer_class_by_name(name)
    except ClassNotFound:
        return False
    return True


def _expand(state: StateCore) -> None:
    out: list[Token] = []
    for token in state.tokens:
        match = DIRECTIVE.match(token.info.strip()) if token.type == "fence" else None
        name = match["name"].lower() if match else ""
        if match is not None and name == "math":
            out.append(_equation(token))
        elif match is not None and name in ("figure", "image"):
            out.extend(_figure(state, token, match["argument"].strip(), plain=name == "image"))
        elif match is not None and name == "bibliography":
            out.append(_bibliography(token))
        else:
            out.append(token)
    state.tokens = out


def _equation(fence: Token) -> Token:
    options, body, used = directive_options(fence.content)
    label = directive_label(options)
    token = Token("math_block_label" if label else "math_block", "math", 0, block=True)
    token.content = body.strip("\n")
    token.markup = "$$"
    token.info = label
    token.meta["myst"] = True
    start = fence.map[0] + 1 + used if fence.map else 0  # the TeX's first line: errors count on
    token.map = [start, fence.map[1] if fence.map else start]
    return token


def _bibliography(fence: Token) -> Token:
    """sphinxcontrib-bibtex's ```{bibliography}: where the References go (`render.citations`)."""
    options, _, used = directive_options(fence.content)
    token = Token("bibliography", "", 0, block=True, map=fence.map)
    token.meta["options"] = options
    lines = fence.content.split("\n")[:used]
    token.meta["option_lines"] = {  # key -> its line after the fence's, for warnings
        match["key"].lower(): offset + 1
        for offset, line in enumerate(lines)
        if (match := _OPTION.match(line) or _YAML_OPTION.match(line)) is not None
    }
    return token


def _figure(state: StateCore, fence: Token, path: str, *, plain: bool) -> Sequence[Token]:
    """A ```{figure}, or an ```{image}: a figure without caption or number (its `:name:` is
    an anchor of the page, not a figure's label)."""
    options, body, used = directive_options(fence.content)
    line = [fence.map[0], fence.map[0] + 1] if fence.map else None
    label = "" if plain else directive_label(options)
    caption = "" if plain else " ".join(body.split("\n\n", 1)[0].split())  # a legend is not
    children: list[Token] = []
    state.md.inline.parse(caption, state.md, state.env, children)
    opening = Token("figure_open", "figure", 1, block=True, map=fence.map)
    opening.attrSet("class", "lemma-figure")
    if label or (plain and directive_label(options)):
        opening.attrSet("id", label or directive_label(options))
    opening.meta["image"] = plain  # not numbered (`render.crossrefs`)
    alt = options.get("alt") or "".join(c.content for c in children if c.type != "softbreak")
    image = Token("image", "img", 0, content=alt, children=[Token("text", "", 0, content=alt)])
    image.attrSet("src", path)
    image.attrSet("alt", "")  # markdown-it's renderer writes the children's text here
    pixels = _PIXELS.match(options.get("width", ""))
    if pixels is not None:  # a percentage would need a style attribute, which the CSP forbids
        image.attrSet("width", pixels["value"])
    tokens = [opening, Token("inline", "", 0, map=line, children=[image])]
    if caption or label:
        caption_line = [line[0] + 1 + used, line[1] + 1 + used] if line else None
        text = Token("inline", "", 0, map=caption_line, content=caption, children=children)
        caption_open = Token("figure_caption_open", "figcaption", 1, block=True)
        caption_open.meta["label"] = label
        tokens += [caption_open, text, Token("figure_caption_close", "figcaption", -1, block=True)]
    return [*tokens, Token("figure_close", "figure", -1, block=True)]
