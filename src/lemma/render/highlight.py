"""Pygments highlighting of code, and the light and dark stylesheet that goes with it."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Collection
from functools import cache

from markupsafe import escape
from pygments import __version__ as pygments_version
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import find_lexer_class_by_name, get_lexer_by_name
from pygments.util import ClassNotFound

from lemma.reuse.memo import Memo, memo_key

LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"
_LABELS = {
    "python": "Python",
    "py": "Python",
    "pycon": "Python console",
    "": "Text",
    "r": "R",  # Pygments names its R lexer after S, R's ancestor
    "text": "Text",
}


@cache
def _lexer(language: str) -> Lexer | None:
    if not language:
        return None
    try:
        # ensurenl (Pygments' default): the console lexers drop a last line with no newline,
        # and the formatter ends every block with one anyway.
        return get_lexer_by_name(language, stripnl=False)
    except ClassNotFound:
        return None


def lexer_for(language: str) -> Lexer | None:
    """Pygments' lexer for a language name (`python`, `py`, `bash`), or None."""
    return _lexer(language)


def make_lexers(languages: Collection[str]) -> None:
    """Make the lexers of `languages` and the formatter ahead of the code they highlight
    (`PostBodies.start_preparing`): Pygments' first lexer of a language takes about 20 ms. A
    lexer that fails here fails again where the code is highlighted, which reports it."""
    for language in sorted(languages):
        with contextlib.suppress(Exception):
            highlight_code("\n", language)


_LINE_SPAN = re.compile(r'<span id="lemma-line-\d+">')


@cache
def _formatter(numbered: bool = False) -> HtmlFormatter:  # type: ignore[type-arg]
    if numbered:  # each line in a span of its own, which the theme numbers
        return HtmlFormatter(cssclass="highlight", wrapcode=True, linespans="lemma-line")
    return HtmlFormatter(cssclass="highlight", wrapcode=True)


def highlight_code(code: str, language: str, numbered: bool = False) -> str:
    """`<div class="highlight"><pre>…</pre></div>`; plain preformatted text without a language.
    `numbered` (Quarto's `code-line-numbers`) puts each line in a `span.line` the theme numbers
    with a counter, which copying leaves out."""
    lexer = _lexer(language)
    if lexer is None and not numbered:
        return f'<div class="highlight"><pre><code>{escape(code)}</code></pre></div>'
    if lexer is None:
        lines = "".join(f'<span class="line">{escape(line)}\n</span>' for line in code.split("\n"))
        return f'<div class="highlight"><pre><code>{lines}</code></pre></div>'
    html = str(highlight(code, lexer, _formatter(numbered)))
    # Pygments names every line "lemma-line-N": ids a page of several snippets would repeat
    return _LINE_SPAN.sub('<span class="line">', html) if numbered else html


def highlighted(code: str, language: str, numbered: bool, memo: Memo[str] | None) -> str:
    """`highlight_code`, through `memo` when given: a prose edit re-renders its post's body, and
    its unchanged snippets need not be highlighted again (nor Pygments' lexer, about 40 ms of
    regular expressions, be made in a build that highlights nothing new)."""
    if memo is None:
        return highlight_code(code, language, numbered)
    return memo.get_or_make(
        highlight_key(code, language, numbered), lambda: highlight_code(code, language, numbered)
    )


def highlight_key(code: str, language: str, numbered: bool) -> str:
    return memo_key("highlight", pygments_version, code, language, numbered)


def highlight_fenced(opening: str, content: str, closing: str, language: str) -> str:
    """`content` highlighted in `language` between its fence lines, shown as written."""
    html = highlight_code(content, language)
    html = html.replace("<code>", f"<code>{escape(opening)}\n", 1)
    return html.replace("</code>", f"{escape(closing)}\n</code>", 1)


def language_label(language: str) -> str:
    """The language's name, read from its lexer's class: making a lexer compiles its patterns."""
    if language in _LABELS:
        return _LABELS[language]
    try:
        return str(find_lexer_class_by_name(language).name)
    except ClassNotFound:
        return language


def pygments_css() -> str:
    """Light rules by default; dark rules under [data-theme=dark] and the system preference."""
    light = HtmlFormatter(style=LIGHT_STYLE).get_style_defs(".highlight")  # type: ignore[no-untyped-call]
    dark_formatter = HtmlFormatter(style=DARK_STYLE)
    dark_forced = dark_formatter.get_style_defs(  # type: ignore[no-untyped-call]
        'html[data-theme="dark"] .highlight'
    )
    dark_system = dark_formatter.get_style_defs(  # type: ignore[no-untyped-call]
        'html:not([data-theme="light"]) .highlight'
    )
    return (
        f"/* Pygments '{LIGHT_STYLE}' (light) and '{DARK_STYLE}' (dark) */\n{light}\n"
        f"{dark_forced}\n@media (prefers-color-scheme: dark) {{\n{dark_system}\n}}\n"
    )
