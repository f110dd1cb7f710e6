"""MyST's directives that hold Markdown, as the divs `parse.blocks` classifies: callouts
(```` ```{note} ````, `{admonition}`, sphinx-design's `{dropdown}`), sphinx-proof's theorems and
proofs, sphinx-exercise's `{exercise}` and `{solution}`, sphinx-design's `{tab-set}` of
`{tab-item}`s, `{margin}` and `{sidebar}` asides, `{epigraph}` quotes, and `{list-table}` (a
table, not a div); in either spelling,
```` ```{name} ```` or `:::{name}`, nested at any depth.

sphinx-proof's ```` ```{prf:theorem} Title ```` (`:label:`, `:nonumber:`, `:class: dropdown`) is
the theorem Quarto's `::: {#thm-x}` is: one counter, one look, one way to refer to it. Kinds
Quarto lacks (remark, algorithm, axiom, ...) are numbered each on their own, as sphinx-proof does,
and unlike Quarto's an unlabelled one is numbered too.

A colon fence of a directive Lemma does not know is a div too (MyST's colons hold Markdown),
named by `meta["unknown_directive"]`; {math}, {figure} and {bibliography} are left to
`parse.directives`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from lemma.parse.blocks import CALLOUT_DIRECTIVES, CALLOUT_KINDS, PROOF_KINDS, BlockInfo, div_info
from lemma.parse.directives import (
    MARKUP_DIRECTIVES,
    directive_label,
    directive_options,
    parse_body,
)

_DIRECTIVE_INFO = re.compile(r"^\{(?P<name>[A-Za-z][\w:-]*)\}\s*(?P<title>.*)$")
# Directives of layout: sphinx-design's tabs, Jupyter Book's margin and sidebar, docutils' quotes.
LAYOUT_DIRECTIVES = ("tab-set", "tab-item", "margin", "sidebar", "epigraph", "pull-quote")
# sphinx-exercise's: an exercise is numbered with Quarto's `exr`, a solution names its exercise.
EXERCISE_DIRECTIVES = ("exercise", "solution")
# docutils' attribution: the quote's last paragraph, after a dash.
_ATTRIBUTION = re.compile(r"^(?:--|---|—|―)\s*(?P<name>\S.*)$", re.DOTALL)


def myst_blocks_plugin(md: MarkdownIt) -> None:
    """Before `parse.blocks` classifies the divs, after block parsing made the fences."""
    md.core.ruler.before("lemma_blocks", "myst_blocks", _expand)


def _expand(state: StateCore) -> None:
    state.tokens = _expand_directives(state, state.tokens)


def is_known(name: str) -> bool:
    """A directive this module makes a div of (its name in lower case)."""
    return (
        name in CALLOUT_KINDS
        or name in CALLOUT_DIRECTIVES
        or name in LAYOUT_DIRECTIVES
        or name in EXERCISE_DIRECTIVES
        or name == "list-table"
        or is_proof_directive(name)
    )


def _expand_directives(state: StateCore, tokens: list[Token]) -> list[Token]:
    """Each directive fence as a div holding its parsed Markdown, nested directives too; a
    `:class: tip` option gives an `{admonition}` its kind, `:class: dropdown` folds it."""
    out: list[Token] = []
    for token in tokens:
        match = _DIRECTIVE_INFO.match(token.info.strip()) if token.type == "fence" else None
        name = match["name"].lower() if match else ""
        known = is_known(name)
        colons = token.markup.startswith(":") and name not in MARKUP_DIRECTIVES
        if match is None or not (known or colons):
            out.append(token)
            continue
        options, body, skipped = directive_options(token.content)
        title = match["title"].strip()
        inner = _expand_directives(state, parse_body(state, token, body, skipped, written=True))
        table = list_table(inner, options, title, token) if name == "list-table" else None
        if table is not None:
            out += table
            continue
        opening = Token("div_open", "div", 1, map=token.map, block=True)
        opening.meta["block"] = directive_block(name, options, title)
        if title and name != "solution":  # an argument is Markdown: `{prf:theorem} Rate of $x$`
            opening.meta["title_inline"] = Token("inline", "", 0, content=title, map=token.map)
        if name == "list-table":  # not a list of lists: its Markdown, with a warning
            opening.meta["malformed_directive"] = (
                "{list-table}: its body is not a list of rows, each a list of cells"
            )
        elif not known:
            opening.meta["unknown_directive"] = match["name"]
        if name in ("epigraph", "pull-quote"):
            _mark_attribution(inner)
        out += [opening, *inner, Token("div_close", "div", -1, block=True)]
    return out


def directive_block(name: str, options: Mapping[str, str], title: str) -> BlockInfo:
    """What the directive `name` (in lower case) is, from its options and its argument: the
    one reading of a directive, for the page and for the notebook download."""
    if is_proof_directive(name):
        return proof_info(name, options, title)
    if name in EXERCISE_DIRECTIVES:
        return _exercise_info(name, options, title)
    if name in LAYOUT_DIRECTIVES:
        return _layout_info(name, options, title)
    attributes = {"class": options.get("class", "")}
    if "open" in options or "show" in options:  # `{dropdown}` and `{toggle}` shown open
        attributes["open"] = "true"
    return div_info(attributes, name, title)


def is_proof_directive(name: str) -> bool:
    """`prf:proof` and sphinx-proof's theorem kinds, `prf:theorem` and the others (mystmd
    also spells them `proof:theorem`)."""
    domain, colon, kind = name.lower().partition(":")
    return bool(colon) and domain in ("prf", "proof") and (kind == "proof" or kind in PROOF_KINDS)


def proof_info(name: str, options: Mapping[str, str], title: str) -> BlockInfo:
    """What a `prf:` directive is, from its name, its options and its title argument."""
    kind = name.lower().partition(":")[2]
    label = directive_label(options)
    collapse = True if "dropdown" in options.get("class", "").split() else None
    if kind == "proof":
        return BlockInfo("proof", "proof", label, title, collapse)
    numbered = "nonumber" not in options
    return BlockInfo("theorem", PROOF_KINDS[kind], label, title, collapse, numbered=numbered)


def _exercise_info(name: str, options: Mapping[str, str], argument: str) -> BlockInfo:
    """sphinx-exercise's `{exercise} Title` and `{solution} exercise-label` (its argument is the
    label of the exercise it solves, kept as its title)."""
    label = directive_label(options)
    collapse = True if "dropdown" in options.get("class", "").split() else None
    if name == "solution":
        return BlockInfo("solution", "solution", label, argument, collapse)
    numbered = "nonumber" not in options
    return BlockInfo("theorem", "exr", label, argument, collapse, numbered=numbered)


def _layout_info(name: str, options: Mapping[str, str], title: str) -> BlockInfo:
    label = directive_label(options)
    match name:
        case "tab-set":
            return BlockInfo("tabset", label=label)  # the same tabs as Quarto's
        case "tab-item":
            return BlockInfo("tab", label=label, title=title, classes=_selected(options))
        case "margin" | "sidebar":
            return BlockInfo("aside", name, label, title)
    return BlockInfo("quote", name, label)


def _selected(options: Mapping[str, str]) -> tuple[str, ...]:
    return ("selected",) if "selected" in options else ()


def list_table(
    inner: list[Token], options: Mapping[str, str], title: str, fence: Token
) -> list[Token] | None:
    """MyST's ```{list-table} Caption: a bullet list of rows, each a bullet list of cells, as a
    table (`:header-rows: n` the head's rows; `:name:` its id, which numbers it with the
    snippets' `tbl-` tables); None when it is not that."""
    found = [_list_items(row) for row in _list_items(inner) or []]
    rows = [row for row in found if row is not None]
    if not rows or len(rows) != len(found):
        return None
    head = int(options["header-rows"]) if options.get("header-rows", "").isdigit() else 0
    opening = Token("table_open", "table", 1, map=fence.map, block=True)
    if directive_label(options):
        opening.attrSet("id", directive_label(options))
    out = [opening]
    if title or directive_label(options):  # named, it is numbered: "Table 1: …"
        caption = Token("table_caption_open", "caption", 1, block=True)
        caption.meta["label"] = directive_label(options)
        out += [
            caption,
            Token("inline", "", 0, content=title, map=fence.map, children=[]),
            Token("table_caption_close", "caption", -1, block=True),
        ]
    for part, part_rows in (("thead", rows[:head]), ("tbody", rows[head:])):
        if not part_rows:
            continue
        cell = "th" if part == "thead" else "td"
        out.append(Token(f"{part}_open", part, 1, block=True))
        for row in part_rows:
            out.append(Token("tr_open", "tr", 1, block=True))
            for content in row:
                if sum(1 for t in content if t.type == "paragraph_open") == 1:
                    for token in content:  # one paragraph: the cell's text, without <p>
                        token.hidden = token.hidden or token.type.startswith("paragraph_")
                out += [Token(f"{cell}_open", cell, 1), *content, Token(f"{cell}_close", cell, -1)]
            out.append(Token("tr_close", "tr", -1, block=True))
        out.append(Token(f"{part}_close", part, -1, block=True))
    return [*out, Token("table_close", "table", -1, block=True)]


def _list_items(tokens: list[Token] | None) -> list[list[Token]] | None:
    """The contents of the items of the one bullet list `tokens` are, else None."""
    if not tokens or tokens[0].type != "bullet_list_open" or tokens[-1].type != "bullet_list_close":
        return None
    level = tokens[0].level
    items: list[list[Token]] = []
    current: list[Token] | None = None
    for token in tokens[1:-1]:
        if token.type == "list_item_open" and token.level == level + 1:
            current = []
        elif token.type == "list_item_close" and token.level == level + 1 and current is not None:
            items.append(current)
            current = None
        elif current is not None:
            current.append(token)
        else:
            return None  # another block beside the list
    return items


def _mark_attribution(tokens: list[Token]) -> None:
    """An epigraph's last paragraph, when it starts with a dash, is its attribution."""
    top = [i for i, t in enumerate(tokens) if t.type == "paragraph_open" and t.level == 0]
    if not top or top[-1] + 1 >= len(tokens):
        return
    inline = tokens[top[-1] + 1]
    match = _ATTRIBUTION.match(inline.content.strip())
    if match is not None:
        tokens[top[-1]].attrSet("class", "attribution")
        inline.content = "— " + match["name"]
