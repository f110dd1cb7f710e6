"""The files Quarto's `{{< include >}}` read into a post, parsed in the shortcode's place.

`load.includes` left one line for each: `<!--lemma-include path base64-->`, the file's text,
so that the post's lines keep their numbers. Its blocks are parsed here as if they were the
post's, all on that line (a problem found in them later is reported there). Its fences are
shown, never run (`meta["included"]`): a post's snippets are its own, one per line of the post.
"""

from __future__ import annotations

import base64
import binascii

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

INCLUDE_MARKER = "<!--lemma-include "


def includes_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("html_block", "lemma_include", _include, {"alt": []})


def included_text(line: str) -> tuple[str, str] | None:
    """(path, text) of a line that stands for an included file, else None."""
    line = line.strip()
    if not line.startswith(INCLUDE_MARKER) or not line.endswith("-->"):
        return None
    path, _, payload = line[len(INCLUDE_MARKER) : -3].rpartition(" ")
    try:
        return path, base64.b64decode(payload, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


def _include(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    found = included_text(state.src[start : state.eMarks[start_line]])
    if found is None:
        return False
    if silent:
        return True
    inner: list[Token] = []
    state.md.block.parse(found[1], state.md, state.env, inner)
    for token in inner:
        token.map = [start_line, start_line + 1] if token.map is not None else None
        if token.type == "fence":
            token.meta["included"] = found[0]
        token.level += state.level
    state.tokens.extend(inner)
    state.line = start_line + 1
    return True
