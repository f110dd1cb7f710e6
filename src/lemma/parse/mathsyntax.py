"""Where math starts and ends in prose: $…$, $$…$$, \\(…\\), \\[…\\], as math blogs write it.

- `$$…$$` inside a sentence is inline math (kramdown's rule, which Jekyll math blogs rely on);
  `$$` that opens a line and closes one is display math, even without blank lines around it;
  followed by `{#eq-x}` it is a labelled display equation wherever it is (Quarto's rule).
- `$ x_t $` with spaces inside (MyST, MathJax) and `0.3$x_1$` glued to a word are math.
- Money stays money: a `$` followed by a digit never closes math ("it costs $5 and $10"), and
  spaces inside `$…$` are accepted only around something that reads as TeX.
- A `$` inside braces does not close (`$\\text{if $x$ is odd}$`), as MathJax and KaTeX count them.
- `\\(…\\)` is inline math and `\\[…\\]` display math (Jupyter, MathJax), inline or on own lines;
  so are Hugo's doubled `\\\\(…\\\\)` and `\\\\[…\\\\]`, their TeX unescaped as Markdown
  did it (`\\_` is `_`);
  a bare `\\begin{…}…\\end{…}` in a sentence is math too, as MathJax reads it.
- Raw HTML blocks are not Markdown, but MathJax typesets their text too (`<details><summary>Proof
  of $x$</summary>`, a hidden `<div>` of `\\newcommand`s): `math_in_html` finds that math.
"""

from __future__ import annotations

import re
from functools import cache
from html import unescape

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

_TEX_LOOKING = re.compile(r"[\\^_{}=+<>]")
_BEGIN = re.compile(r"\\begin\{([A-Za-z]+\*?)\}")
_DISPLAY_ENVIRONMENTS = frozenset(
    ("equation", "align", "alignat", "flalign", "gather", "multline", "eqnarray")
)
# \\( \\) and \\[ \\] doubled, as Hugo's math guides have authors write them (so that Markdown
# leaves one backslash); the doubled ones first. The TeX between them is taken as written.
_BRACKETS = {"\\\\(": "\\\\)", "\\\\[": "\\\\]", "\\(": "\\)", "\\[": "\\]"}
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: \ before ASCII punctuation
_REFERENCE = re.compile(r"\\(eqref|ref)\{([^{}\n]+)\}")
_CLOSING_SCAN = re.compile(r"\\.|[{}]|\$\$|\$|\n\n", re.DOTALL)
_LABEL = re.compile(r"[ \t]*\{\s*#(eq-[\w:.-]+)\s*\}")
# Markup in an HTML block: comments, then tags; what lies between them is text.
_HTML_MARKUP = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[A-Za-z/!?][^>]*>", re.DOTALL)
# Elements whose text is code, not prose: MathJax skips them too.
_HTML_VERBATIM = frozenset(("script", "style", "pre", "code", "textarea", "math", "svg"))
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


def math_syntax_plugin(md: MarkdownIt) -> None:
    """Replace dollarmath's inline rule with ours and add `\\[ … \\]` blocks."""
    md.inline.ruler.disable("math_inline")
    md.inline.ruler.before("escape", "tex_inline", _inline_math)
    md.block.ruler.before(
        "fence", "tex_bracket_block", _bracket_block, {"alt": ["paragraph", "blockquote", "list"]}
    )


def _inline_math(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    reference = _REFERENCE.match(src, start)
    if reference is not None:
        if not silent:
            token = state.push("math_reference", "", 0)
            token.content = reference.group(2)
            token.markup = reference.group(1)
        state.pos = reference.end()
        return True
    opening = next((o for o in _BRACKETS if src.startswith(o, start)), None)
    if opening is not None:
        closing = _BRACKETS[opening]
        inside = start + len(opening)
        end = src.find(closing, inside)
        if end < 0 or not src[inside:end].strip():
            return False
        display = closing.endswith("]")
        content = _markdown_unescaped(src[inside:end]) if len(opening) == 3 else src[inside:end]
        return _emit(state, silent, content, end + len(closing), display, opening)
    environment = _BEGIN.match(src, start)
    if environment is not None:  # MathJax typesets a bare \begin{pmatrix}…\end{pmatrix} in prose
        closing = f"\\end{{{environment.group(1)}}}"
        end = src.find(closing, environment.end())
        if end < 0:
            return False
        display = environment.group(1).rstrip("*") in _DISPLAY_ENVIRONMENTS
        return _emit(
            state, silent, src[start : end + len(closing)], end + len(closing), display, ""
        )
    if src[start] != "$" or (start > 0 and src[start - 1] == "\\"):
        return False
    if src.startswith("$$", start):
        double_end = _closing(src, start + 2, "$$")
        if double_end is None:
            return False
        end = double_end
        content = src[start + 2 : end]
        at_line_start = start == 0 or src[start - 1] == "\n"
        at_line_end = end + 2 == len(src) or src[end + 2] == "\n"
        label = _LABEL.match(src, end + 2)
        if label is not None:  # Quarto and pandoc: a labelled equation, display in a sentence
            if not silent:
                token = state.push("math_block_label", "math", 0)
                token.content, token.markup, token.info = content, "$$", label.group(1)
                token.meta["attribute"] = True  # numbered as `parse.labels` says
            state.pos = label.end()
            return True
        display = at_line_start and at_line_end
        return _emit(state, silent, content, end + 2, display, "$$")
    single_end = _closing(src, start + 1, "$")
    if single_end is None:
        return False
    end = single_end
    content = src[start + 1 : end]
    if not content.strip() or (src[start + 1].isdigit() and src[end - 1] == " "):
        return False
    if content != content.strip() and not (
        " " not in content.strip() or _TEX_LOOKING.search(content)
    ):
        return False
    return _emit(state, silent, content, end + 1, False, "$")


def _markdown_unescaped(tex: str) -> str:
    """The TeX a Markdown renderer handed MathJax: `\\\\` is `\\`, `\\_` is `_`, `\\{` is `{`.

    Doubled delimiters only work where Markdown unescapes the formula (Hugo before its
    passthrough extension, Blackfriday), so their authors escaped the TeX inside as well:
    ox-hugo writes `\\[ \\sum\\_x \\\\|y\\\\| \\]` for `\\[ \\sum_x \\|y\\| \\]`.
    """
    return _MARKDOWN_ESCAPE.sub(r"\1", tex)


def _closing(src: str, begin: int, marker: str) -> int | None:
    """The position of the marker that closes math opened just before `begin`, if any.

    A marker inside braces does not close: `$\\text{if $x$ is odd}$` is one formula, as
    MathJax and KaTeX read it; when the braces never balance, the first marker closes. One pass
    over the text (a paragraph of a thousand prices must not cost a thousand passes each).
    """
    first: int | None = None  # the closing if braces did not count
    depth = 0
    for found in _CLOSING_SCAN.finditer(src, begin):
        token, position = found.group(), found.start()
        if token == "\n\n":
            break  # math never spans paragraphs
        if token[0] == "\\":
            continue  # \$ is a literal dollar inside math too; \{ is no brace
        if token in "{}":
            depth += 1 if token == "{" else -1
            continue
        if token != marker:
            if marker == "$":
                break  # $x$$ is not a formula
            continue  # a lone $ inside $$ … $$: \text{$x$}
        if position == begin:
            break  # $$ or $$$$: nothing inside
        after = found.end()
        if after < len(src) and src[after].isdigit():
            continue  # "$5 and $10": a dollar before a digit is money, not a closing
        if first is None:
            first = position
        if depth <= 0:
            return position
    return first


def _emit(
    state: StateInline, silent: bool, content: str, end: int, display: bool, markup: str
) -> bool:
    if not silent:
        token = state.push("math_inline_double" if display else "math_inline", "math", 0)
        token.content = content
        token.markup = markup
    state.pos = end
    return True


def _bracket_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """`\\[` on a line of its own (or opening one) up to the line that ends with `\\]`."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    first = state.src[begin : state.eMarks[start_line]]
    opening = "\\\\[" if first.startswith("\\\\[") else "\\["
    if not first.startswith(opening):
        return False
    closing = _BRACKETS[opening]
    line = start_line
    while line < end_line:
        text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]].rstrip()
        if line > start_line and not text:
            return False  # a blank line ends the search: no block here
        if text.endswith(closing) and (line > start_line or len(text) > 2 * len(opening) - 1):
            break
        line += 1
    else:
        return False
    if silent:
        return True
    lines = state.getLines(start_line, line + 1, state.tShift[start_line], False).strip()
    token = state.push("math_block", "math", 0)
    token.content = lines[len(opening) : -len(closing)]
    if len(opening) == 3:
        token.content = _markdown_unescaped(token.content)
    token.markup = opening
    token.map = [start_line, line + 1]
    state.line = line + 1
    return True


def math_in_html(html: str) -> list[tuple[int, int, Token]]:
    """The formulas and equation references in the text of an HTML block, with their spans.

    Each is a token as prose would give it (`math_inline`, `math_inline_double`,
    `math_reference`), its content unescaped (`&lt;` is `<` to MathJax); text inside
    `<pre>`, `<code>`, `<script>`, ... and in tags and comments is left alone.
    """
    found: list[tuple[int, int, Token]] = []
    verbatim: list[str] = []
    position = 0
    for markup in [*_HTML_MARKUP.finditer(html), None]:
        end = markup.start() if markup is not None else len(html)
        if not verbatim and end > position:
            found.extend(_math_in_text(html, position, end))
        if markup is None:
            break
        position = markup.end()
        name = _TAG_NAME.match(markup.group(0))
        if name is None or name.group(2).lower() not in _HTML_VERBATIM:
            continue
        if name.group(1):
            if name.group(2).lower() in verbatim:
                del verbatim[verbatim.index(name.group(2).lower()) :]
        elif not markup.group(0).endswith("/>"):
            verbatim.append(name.group(2).lower())
    return found


def _math_in_text(html: str, begin: int, end: int) -> list[tuple[int, int, Token]]:
    text = html[begin:end]
    if not any(mark in text for mark in ("$", "\\(", "\\[", "\\begin", "ref{")):
        return []
    state = StateInline(text, _plain_markdown(), {}, [])
    found = []
    while state.pos < len(text):
        start = state.pos
        if text[start] in "$\\" and _inline_math(state, False):
            token = state.tokens.pop()
            token.content = unescape(token.content)
            found.append((begin + start, begin + state.pos, token))
        else:
            state.pos = start + 1
    return found


@cache
def _plain_markdown() -> MarkdownIt:
    return MarkdownIt("zero")  # the inline state needs one; none of its rules run here
