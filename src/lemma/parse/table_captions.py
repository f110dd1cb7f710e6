"""Pandoc's table captions, as Quarto labels tables: `: Caption {#tbl-x}` beside a table.

```markdown
| graph    | $\\lambda_2$ |
|----------|-------------|
| path     | small       |

: Algebraic connectivity {#tbl-conn}
```

A paragraph that starts with `: ` or `Table: ` right after a table (or right before it) is its
caption: it becomes the table's `<caption>` (`table_caption_open`, its `inline`,
`table_caption_close`, first inside `table_open`), and a `{#tbl-…}` at its end the table's id,
which `render.crossrefs` numbers ("Table 1: …"). Written on the line right under the table,
without a blank line, GFM reads it as a last row: that row is taken back as the caption.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_CAPTION = re.compile(r"^(?::|Table:)\s+(?P<text>.*?)\s*(?:\{\s*#(?P<label>[\w:.-]+)\s*\})?\s*$")


def table_captions_plugin(md: MarkdownIt) -> None:
    """A caption line is a paragraph of its own, read before definition lists could take it
    (`: …` is also a definition); after block parsing, before inline, it becomes the table's
    caption, its markup parsed with the body's."""
    md.block.ruler.before("table", "table_caption_line", _caption_line)
    md.core.ruler.after("block", "table_captions", _table_captions)


def _caption_line(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """`: Caption` right after a table, or before one (a blank line between), as a paragraph."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    text = state.src[state.bMarks[start_line] + state.tShift[start_line] : state.eMarks[start_line]]
    if _CAPTION.match(text) is None:
        return False
    after_table = bool(state.tokens) and state.tokens[-1].type == "table_close"
    following = start_line + 1
    while following < end_line and state.isEmpty(following):
        following += 1
    before_table = following < end_line and state.src[
        state.bMarks[following] + state.tShift[following] : state.eMarks[following]
    ].startswith("|")
    if not (after_table or before_table):
        return False
    if silent:
        return True
    opening = state.push("paragraph_open", "p", 1)
    opening.map = [start_line, start_line + 1]
    inline = state.push("inline", "", 0)
    inline.content = text.strip()
    inline.map = [start_line, start_line + 1]
    inline.children = []
    state.push("paragraph_close", "p", -1)
    state.line = start_line + 1
    return True


def _table_captions(state: StateCore) -> None:
    tokens = state.tokens
    if not any(token.type == "table_open" for token in tokens):
        return
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type != "table_open":
            out.append(token)
            index += 1
            continue
        end = next(i for i in range(index, len(tokens)) if tokens[i].type == "table_close")
        table = tokens[index : end + 1]
        caption = _row_caption(table)
        after = end + 1
        if caption is None and _paragraph_caption(tokens, end + 1) is not None:
            caption = _paragraph_caption(tokens, end + 1)
            after = end + 4
        elif caption is None and len(out) >= 3 and _paragraph_caption(out, len(out) - 3):
            caption = _paragraph_caption(out, len(out) - 3)
            del out[-3:]
        if caption is not None:
            table = _captioned(table, *caption)
        out.extend(table)
        index = after
    state.tokens = out


def _paragraph_caption(tokens: list[Token], index: int) -> tuple[Token, str, str] | None:
    """(inline, text, label) of a `: Caption` paragraph opened at `index`."""
    if index + 2 >= len(tokens) or tokens[index].type != "paragraph_open":
        return None
    inline = tokens[index + 1]
    match = _CAPTION.match(inline.content) if "\n" not in inline.content.strip() else None
    if match is None or tokens[index + 2].type != "paragraph_close":
        return None
    return inline, match["text"], match["label"] or ""


def _row_caption(table: list[Token]) -> tuple[Token, str, str] | None:
    """The caption GFM read as the last row: its first cell `: Caption`, the others empty."""
    if len(table) < 4 or table[-2].type != "tbody_close" or table[-3].type != "tr_close":
        return None
    start = max(i for i, t in enumerate(table) if t.type == "tr_open")
    cells = [t for t in table[start:] if t.type == "inline"]
    match = _CAPTION.match(cells[0].content) if cells else None
    if match is None or any(cell.content.strip() for cell in cells[1:]):
        return None
    del table[start:-2]
    if table[-2].type == "tbody_close" and table[-3].type == "tbody_open":
        del table[-3:-1]  # the caption was the only row of the body
    return cells[0], match["text"], match["label"] or ""


def _captioned(table: list[Token], inline: Token, text: str, label: str) -> list[Token]:
    opening = table[0]
    if label:
        opening.attrSet("id", label)
    caption_open = Token("table_caption_open", "caption", 1, block=True, map=inline.map)
    caption_open.meta["label"] = label
    caption = Token("inline", "", 0, map=inline.map, content=text, children=[])
    closing = Token("table_caption_close", "caption", -1, block=True)
    return [opening, caption_open, caption, closing, *table[1:]]
