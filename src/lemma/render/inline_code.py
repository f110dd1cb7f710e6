"""pymdownx.inlinehilite's highlighted inline code (MkDocs Material): `` `#!python range(3)` ``
(also `` `:::python range(3)` ``) is the code `range(3)` highlighted as Python, inline. A
language Pygments does not know leaves the code plain, its marker left out all the same."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markupsafe import escape
from pygments import highlight
from pygments.formatters import HtmlFormatter

from lemma.render.highlight import lexer_for

_MARKED = re.compile(r"^(?:#!|:::)(?P<language>[\w+#.-]+)\s+(?P<code>.*\S.*)$", re.DOTALL)


def add_inline_code_rule(md: MarkdownIt) -> None:
    md.add_render_rule("code_inline", _render_code_inline)


def _render_code_inline(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    token = tokens[idx]
    marked = _MARKED.match(token.content)
    if marked is None:
        return str(RendererHTML.code_inline(self, tokens, idx, options, env))
    code = marked["code"]
    lexer = lexer_for(marked["language"].lower())
    if lexer is None:
        return f"<code>{escape(code)}</code>"
    spans = highlight(code, lexer, HtmlFormatter(nowrap=True)).rstrip("\n")
    return f'<code class="highlight">{spans}</code>'
