"""Quarto's figures in Markdown: `![Caption](x.png){#fig-x}`, figure divs with subfigures, and
`layout-ncol` grids.

```markdown
::: {#fig-pair layout-ncol=2}
![Before](before.png){#fig-before}

![After](after.png){#fig-after}

Attention before and after training.
:::
```

An image alone in its paragraph with a `fig-` id, or a `.column-margin` or `.column-page` class,
is a figure captioned by its alt text, as pandoc makes it (in the margin, or wider than the
text). Inside a `::: {#fig-…}` div (`BlockInfo("figure")`) such an image is a subfigure, "(a)
Before", and the div's last paragraph, when it is no image, the caption of the whole ("Figure 1:
…"); inside a `::: {layout-ncol=2}` div (`BlockInfo("layout")`) each image is a cell of the
grid, captioned by its alt text. pandoc's unquoted `{width=50%}`, text to the attrs plugin, is
read here too. The tokens are those of MyST's ```{figure}
(`figure_open`, the image's `inline`, `figure_caption_open`/`_close`, `figure_close`), so that
`render.crossrefs` numbers them and `render.captions` writes "Figure 1: " the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from lemma.parse.blocks import MARGIN_CLASSES, BlockInfo

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ATTRIBUTES = re.compile(r"^\{(?P<words>[^{}\n]*)\}")  # `{#fig-x .wide width=50%}`


def figures_plugin(md: MarkdownIt) -> None:
    """After inline parsing, which gives the images their `{#fig-x}` attributes."""
    md.core.ruler.after("inline", "quarto_figures", _figures)


def _figures(state: StateCore) -> None:
    tokens = state.tokens
    for token in tokens:
        if token.type == "inline" and "{" in token.content:
            lenient_attributes(token)
    if not any(_in_figure_syntax(token) for token in tokens):
        return
    out: list[Token] = []
    # the open divs, each with its subfigures counted and where its opening is in `out`
    parents: list[tuple[BlockInfo, list[int], int]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "div_open":
            parents.append((token.meta.get("block") or BlockInfo("div"), [0], len(out)))
        elif token.type == "div_close" and parents:
            parents.pop()
        parent = parents[-1][0] if parents else None
        if token.type == "table_open" and parent is not None and parent.name == "tbl":
            _subtable(tokens, index, parents[-1][1])
        image = _lone_image(tokens, index)
        if image is not None and parent is not None and parent.kind in ("figure", "layout"):
            out.extend(_figure(tokens[index + 1], image, parent, parents[-1][1]))
            index += 3
            continue
        if image is not None and _figure_image(image):
            out.extend(_figure(tokens[index + 1], image, None, [0]))
            index += 3
            continue
        if parent is not None and parent.kind == "figure" and _closes_figure(tokens, index):
            caption = _caption(tokens[index + 1], parent.label)
            if parent.name == "tbl":  # a table's caption is above it, as Quarto sets it
                opening = parents[-1][2] + 1
                out[opening:opening] = caption
            else:
                out.extend(caption)
            index += 3
            continue
        out.append(token)
        index += 1
    state.tokens = out


def _subtable(tokens: list[Token], index: int, counted: list[int]) -> None:
    """A table in Quarto's `::: {#tbl-x}` div: "(a)" before its caption, "Table 1 (a)" its
    number."""
    letter = _LETTERS[counted[0]] if counted[0] < len(_LETTERS) else "?"
    counted[0] += 1
    tokens[index].meta["letter"] = letter
    if index + 1 < len(tokens) and tokens[index + 1].type == "table_caption_open":
        tokens[index + 1].meta["letter"] = letter


def _in_figure_syntax(token: Token) -> bool:
    info = token.meta.get("block") if token.type == "div_open" else None
    if isinstance(info, BlockInfo) and info.kind in ("figure", "layout"):
        return True
    return token.type == "inline" and any(
        child.type == "image" and _figure_image(child) for child in token.children or ()
    )


def _figure_image(image: Token) -> bool:
    """A `{#fig-x}` image, or one Quarto sets in the margin or wider than the text."""
    classes = str(image.attrGet("class") or "").split()
    wide = any(c.startswith("column-") for c in classes) or MARGIN_CLASSES.intersection(classes)
    return bool(wide) or str(image.attrGet("id") or "").startswith("fig-")


def lenient_attributes(inline: Token) -> None:
    """pandoc's `{width=50%}` after an image, which the attrs plugin leaves as text (its `%`
    opens a comment there): the id and classes are the image's, the rest is said to be
    dropped (`render.media`), and the text goes."""
    children = inline.children or []
    for index, child in enumerate(children[:-1]):
        following = children[index + 1]
        if child.type != "image" or following.type != "text":
            continue
        match = _ATTRIBUTES.match(following.content)
        if match is None:
            continue
        dropped: dict[str, str] = {}
        for word in match["words"].split():
            if word.startswith("#") and len(word) > 1:
                child.attrSet("id", word[1:])
            elif word.startswith(".") and len(word) > 1:
                classes = str(child.attrGet("class") or "").split()
                child.attrSet("class", " ".join([*classes, word[1:]]))
            else:
                key, _, value = word.partition("=")
                dropped[key] = value.strip("\"'")
        if dropped:
            child.meta["insecure_attrs"] = {**child.meta.get("insecure_attrs", {}), **dropped}
        following.content = following.content[match.end() :]


def _lone_image(tokens: list[Token], index: int) -> Token | None:
    """The image of a paragraph that holds nothing else, opened at `index`."""
    if index + 2 >= len(tokens) or tokens[index].type != "paragraph_open":
        return None
    if tokens[index + 2].type != "paragraph_close":
        return None
    children = [
        child
        for child in tokens[index + 1].children or ()
        if child.type not in ("softbreak", "hardbreak")
        and not (child.type == "text" and not child.content.strip())
    ]
    return children[0] if len(children) == 1 and children[0].type == "image" else None


def _closes_figure(tokens: list[Token], index: int) -> bool:
    """A paragraph, the last thing in its figure div: the figure's caption."""
    return (
        tokens[index].type == "paragraph_open"
        and index + 3 < len(tokens)
        and tokens[index + 2].type == "paragraph_close"
        and tokens[index + 3].type == "div_close"
    )


def _figure(
    inline: Token, image: Token, parent: BlockInfo | None, counted: list[int]
) -> list[Token]:
    label = str(image.attrGet("id") or "")
    opening = Token("figure_open", "figure", 1, block=True, map=inline.map)
    classes = ["lemma-figure"]
    if parent is not None:
        classes.append("figure-layout-cell")
    placed = str(image.attrGet("class") or "").split()
    if MARGIN_CLASSES.intersection(placed):
        classes.append("margin-note")  # set beside the text, as a `.column-margin` div is
    classes += [c for c in placed if c.startswith("column-") and c != "column-margin"]
    image.attrs.pop("class", None)
    opening.attrSet("class", " ".join(classes))
    if label:
        image.attrs.pop("id", None)
        opening.attrSet("id", label)
    caption_open = Token("figure_caption_open", "figcaption", 1, block=True)
    caption_open.meta["label"] = label
    if parent is not None and parent.kind == "figure":
        letter = _LETTERS[counted[0]] if counted[0] < len(_LETTERS) else "?"
        counted[0] += 1
        caption_open.meta["letter"] = letter
        opening.meta["subfigure_of"] = parent.label
        opening.meta["letter"] = letter
    # The alt text is the caption, with its markup; the image keeps it as its alt attribute.
    caption = Token("inline", "", 0, map=inline.map, content=image.content)
    caption.children = list(image.children or ())
    tokens = [opening, Token("inline", "", 0, map=inline.map, children=[image])]
    if image.content.strip() or "letter" in caption_open.meta or label:
        tokens += [caption_open, caption, Token("figure_caption_close", "figcaption", -1)]
    return [*tokens, Token("figure_close", "figure", -1, block=True)]


def _caption(inline: Token, label: str) -> list[Token]:
    opening = Token("figure_caption_open", "figcaption", 1, block=True, map=inline.map)
    opening.meta["label"] = label
    return [opening, inline, Token("figure_caption_close", "figcaption", -1, block=True)]


def unsupported_layout(attributes: Mapping[str, str]) -> str | None:
    """What of a div's Quarto layout attributes Lemma does not set, said for a warning."""
    ncol = attributes.get("layout-ncol", "").strip()
    if ncol and not (ncol.isdigit() and 1 <= int(ncol) <= 6):
        return f"layout-ncol={ncol} (1 to 6 columns)"
    for key in ("layout", "layout-nrow"):
        if key in attributes and not ncol:
            return f'{key}="{attributes[key]}"'
    return None
