"""Theorem-like blocks, proofs and callouts, in Quarto's, GitHub's, Obsidian's, MyST's,
sphinx-proof's and MkDocs' spellings.

A core rule gives every spelling the same tokens: a `div_open` whose `meta["block"]` is a
`BlockInfo` (what the renderer and the cross-reference numbering need), so that
`::: {.callout-note}`, `> [!NOTE]`, ```` ```{note} ````, `:::{note}` and `!!! note` cannot drift
apart (`parse.admonitions` classifies MkDocs' blocks as it parses them).

MyST's directives are made divs before (`parse.myst_blocks`): sphinx-proof's theorems are the
theorems Quarto's divs are, with the kinds Quarto lacks (remark, algorithm, ...) added here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# Quarto's theorem kinds: the label prefix and the word it is shown and referred to by.
THEOREM_KINDS = {
    "thm": "Theorem",
    "lem": "Lemma",
    "cor": "Corollary",
    "prp": "Proposition",
    "cnj": "Conjecture",
    "def": "Definition",
    "exm": "Example",
    "exr": "Exercise",
}
# sphinx-proof's kinds as theorem kinds: Quarto's prefix where Quarto has the kind.
PROOF_KINDS = {
    "theorem": "thm",
    "lemma": "lem",
    "corollary": "cor",
    "proposition": "prp",
    "conjecture": "cnj",
    "definition": "def",
    "example": "exm",
    "exercise": "exr",
    **{kind: kind for kind in ("remark", "algorithm", "axiom", "criterion", "assumption")},
    **{kind: kind for kind in ("observation", "property", "notation", "fact")},
}
# Every theorem kind, Quarto's and sphinx-proof's, and the word it is shown and referred to by.
THEOREM_WORDS = {**THEOREM_KINDS, **{p: k.title() for k, p in PROOF_KINDS.items() if p == k}}
CALLOUT_KINDS = ("note", "tip", "warning", "important", "caution")
# Quarto's numbered callouts, `::: {#nte-x .callout-note}`: the label prefix and its word.
CALLOUT_WORDS = {
    "nte": "Note",
    "tip": "Tip",
    "wrn": "Warning",
    "imp": "Important",
    "cau": "Caution",
}
# Quarto's proof-like classes and the word each is led by; only a proof ends with ∎.
PROOF_WORDS = {"proof": "Proof", "remark": "Remark", "solution": "Solution"}
# Quarto's classes for content set in the margin beside the text.
MARGIN_CLASSES = frozenset(("column-margin", "aside"))
# GitHub's alert `> [!NOTE]`, and Obsidian's callout `> [!tip]- Title` (`-` folded, `+` open).
_ALERT = re.compile(r"^\[!(?P<kind>[A-Za-z][\w-]*)\](?P<fold>[+-])?(?:[ \t]+(?P<title>.*?))?\s*$")
# Obsidian's callout types as Lemma's kinds. A type of the author's own is a note, as there, but
# only in an Obsidian vault (`load.obsidian_callouts` writes it as a note there); elsewhere the
# quote is shown as written, with a warning.
OBSIDIAN_KINDS = {
    **dict.fromkeys(("abstract", "summary", "tldr", "info", "todo", "question"), "note"),
    **dict.fromkeys(("help", "faq", "example", "quote", "cite"), "note"),
    **dict.fromkeys(("hint", "success", "check", "done"), "tip"),
    **dict.fromkeys(("attention", "bug"), "warning"),
    **dict.fromkeys(("failure", "fail", "missing", "danger", "error"), "caution"),
}
# A quote whose first line is `[!word]` with a word no callout type: `meta[UNKNOWN_CALLOUT]` of
# its `blockquote_open` is the word as written.
UNKNOWN_CALLOUT = "unknown_callout"
_SAFE_CLASS = re.compile(r"^[A-Za-z][\w-]*$")
# MyST's callout directives beyond Lemma's kinds, and the kind each is shown as (docutils'
# admonitions, and sphinx-design's `{dropdown}`, a collapsed one).
CALLOUT_DIRECTIVES = {
    "admonition": "note",
    "hint": "tip",
    "danger": "caution",
    "error": "caution",
    "attention": "warning",
    "seealso": "note",
    "dropdown": "note",
    "toggle": "note",  # sphinx-togglebutton's
}
# The title each shows when it is given none: its own name, as in Jupyter Book.
_DIRECTIVE_TITLES = {"hint": "Hint", "danger": "Danger", "error": "Error", "attention": "Attention"}
_DIRECTIVE_TITLES.update(seealso="See also", toggle="Show")


@dataclass(frozen=True, slots=True)
class BlockInfo:
    """What a div is: a theorem-like block, a proof, a callout, or a plain div."""

    # "theorem", "proof", "callout", "tab" (MkDocs' `=== "Tab"`, sphinx-design's tab-item, a
    # tab of Quarto's tabset), "tabset" (Quarto's `.panel-tabset`, sphinx-design's tab-set), "aside"
    # (MyST's margin and sidebar), "margin" (Quarto's `.column-margin`, `.aside`), "quote" (an
    # epigraph), "solution" (sphinx-exercise's, its title the label of its exercise), "figure"
    # (a `#fig-…` or `#tbl-…` div of subfigures), "layout" (a `layout-ncol` grid) or "div"
    kind: str
    name: str = ""  # the theorem kind's prefix ("thm") or the callout's kind ("note")
    label: str = ""  # the id, "" when none
    title: str = ""  # a title given as text (attribute or directive argument)
    collapse: bool | None = None  # callouts: None = not collapsible, True = starts closed
    classes: tuple[str, ...] = ()  # a plain div's safe classes; a quote's kind; "selected" tab
    shows_title: bool = True  # callouts: False for MkDocs' `!!! note ""`, a box without a title
    numbered: bool = True  # theorems: False for sphinx-proof's `:nonumber:`
    group: str = ""  # tabsets: Quarto's `group=`, whose tabsets switch together
    columns: int = 0  # figures and layouts: Quarto's `layout-ncol`, 0 when not given


def blocks_plugin(md: MarkdownIt) -> None:
    """After block parsing and before inline parsing, so that titles get inline markup."""
    md.core.ruler.after("block", "lemma_blocks", _classify)


def _classify(state: StateCore) -> None:
    tokens = state.tokens
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "div_open":
            token.meta["block"] = _div_info(token)
            if isinstance(title := token.meta.get("title_inline"), Token):
                _parse_inline(state, title)  # MkDocs' `!!! note "Case $n = 1$"`
            out.append(token)
            index += 1
            index = _take_heading_title(state, tokens, index, token)
            continue
        if token.type == "blockquote_open" and _alert_marker(tokens, index):
            index = _alert(state, tokens, index, out)
            continue
        out.append(token)
        index += 1
    _pair_closings(out)
    _mark_unknown_callouts(out)
    state.tokens = out


def _pair_closings(tokens: list[Token]) -> None:
    """A `div_close` carries its opening's BlockInfo too (a proof's end gets its ∎)."""
    stack: list[Token] = []
    for token in tokens:
        if token.type == "div_open":
            stack.append(token)
        elif token.type == "div_close" and stack:
            token.meta["block"] = stack.pop().meta["block"]


def _div_info(token: Token) -> BlockInfo:
    if isinstance(found := token.meta.get("block"), BlockInfo):
        return found  # classified by its parser (`parse.admonitions`)
    return div_info(
        token.meta.get("attributes", {}), token.meta.get("directive"), token.meta.get("title", "")
    )


def div_info(attributes: Mapping[str, str], directive: str | None, title: str) -> BlockInfo:
    """What a div is, from its attributes or its MyST directive name and argument."""
    label = attributes.get("id", "")
    classes = attributes.get("class", "").split()
    title = attributes.get("title", "") or title
    collapse = _collapse(attributes.get("collapse"))
    prefix = label.split("-", 1)[0] if "-" in label else ""
    if directive is not None and (directive in CALLOUT_KINDS or directive in CALLOUT_DIRECTIVES):
        named = (directive, *(c for c in classes if c not in ("dropdown", "toggle")))
        kinds = [CALLOUT_DIRECTIVES.get(c, c) for c in named]
        name = next((kind for kind in reversed(kinds) if kind in CALLOUT_KINDS), "note")
        if {"dropdown", "toggle"} & {*classes, directive}:  # Jupyter Book's collapsible one
            collapse = "open" not in attributes  # True: it starts closed
        title = title or _DIRECTIVE_TITLES.get(directive, "")
        return BlockInfo("callout", name, label, title, collapse)
    if prefix in THEOREM_KINDS:
        return BlockInfo("theorem", prefix, label, title)
    for name in PROOF_WORDS:  # Quarto's unnumbered .proof, .remark and .solution
        if name in classes:
            return BlockInfo("proof", name, label, title)
    for css in classes:
        if css.startswith("callout-") and css.removeprefix("callout-") in CALLOUT_KINDS:
            # Quarto's `appearance="minimal"`: a rule at its side, no box (icons: Lemma has none)
            minimal = attributes.get("appearance", "").strip().lower() == "minimal"
            looks = ("callout--minimal",) if minimal else ()
            kind = css.removeprefix("callout-")
            return BlockInfo("callout", kind, label, title, collapse, classes=looks)
    columns = _columns(attributes.get("layout-ncol", ""))
    if prefix in ("fig", "tbl"):  # a figure of subfigures, or a table of subtables
        return BlockInfo("figure", prefix, label, title, columns=columns)
    if columns:
        return BlockInfo("layout", label=label, columns=columns)
    if "panel-tabset" in classes:
        return BlockInfo("tabset", label=label, group=attributes.get("group", ""))
    if MARGIN_CLASSES.intersection(classes):
        return BlockInfo("margin", label=label)
    safe = tuple(c for c in classes if _SAFE_CLASS.match(c))
    return BlockInfo("div", "", label, title, classes=safe)


def _columns(value: str) -> int:
    """`layout-ncol="2"`: the number of columns, 0 when not a number the theme has (1 to 6)."""
    return int(value) if value.strip().isdigit() and 1 <= int(value) <= 6 else 0


def _collapse(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.strip().lower() in ("true", "yes")


def _take_heading_title(state: StateCore, tokens: list[Token], index: int, opening: Token) -> int:
    """Quarto's `## Name` as a theorem's or callout's first line is its name, not a section."""
    info: BlockInfo = opening.meta["block"]
    if info.kind not in ("theorem", "callout") or info.title or not info.shows_title:
        return index
    if index + 2 < len(tokens) and tokens[index].type == "heading_open":
        inline = tokens[index + 1]
        _parse_inline(state, inline)
        opening.meta["title_inline"] = inline
        return index + 3
    return index


def _parse_inline(state: StateCore, inline: Token) -> None:
    """A title's inline markup (the core's inline rule only sees the tokens of the body)."""
    children: list[Token] = []
    state.md.inline.parse(inline.content, state.md, state.env, children)
    inline.children = children


def is_callout_type(written: str) -> bool:
    """GitHub's alert types and Obsidian's callout types, letter case aside."""
    return written.lower() in CALLOUT_KINDS or written.lower() in OBSIDIAN_KINDS


def type_title(written: str) -> str:
    """The title Obsidian gives a callout written without one: its type's, `my-type` "My type"."""
    return written.replace("-", " ").capitalize()


def _quote_marker(tokens: list[Token], index: int) -> re.Match[str] | None:
    """`[!word]`, `[!word]- Title`: the marker when the quote's first line is one."""
    if index + 2 >= len(tokens) or tokens[index + 1].type != "paragraph_open":
        return None
    first_line = tokens[index + 2].content.split("\n", 1)[0]
    return _ALERT.match(first_line.strip())


def _alert_marker(tokens: list[Token], index: int) -> re.Match[str] | None:
    """GitHub's `> [!NOTE]` or Obsidian's `> [!tip]- Title`: the marker when the quote's first
    line is one, of a known type."""
    marker = _quote_marker(tokens, index)
    return marker if marker is not None and is_callout_type(marker["kind"]) else None


def _mark_unknown_callouts(tokens: list[Token]) -> None:
    for index, token in enumerate(tokens):
        marker = _quote_marker(tokens, index) if token.type == "blockquote_open" else None
        if marker is not None and not is_callout_type(marker["kind"]):
            token.meta[UNKNOWN_CALLOUT] = marker["kind"]


def _alert(state: StateCore, tokens: list[Token], index: int, out: list[Token]) -> int:
    opening = tokens[index]
    marker = _alert_marker(tokens, index)
    assert marker is not None
    written = marker["kind"].lower()
    kind = written if written in CALLOUT_KINDS else OBSIDIAN_KINDS[written]
    title = (marker["title"] or "").strip()
    if not title and kind != written:
        title = type_title(written)  # Obsidian titles it by its type
    collapse = {"-": True, "+": False}.get(marker["fold"] or "")
    div = Token("div_open", "div", 1, map=opening.map, block=True)
    div.meta["block"] = BlockInfo("callout", kind, title=title, collapse=collapse)
    if marker["title"]:
        heading = Token("inline", "", 0, content=title, map=opening.map)
        _parse_inline(state, heading)  # `> [!tip] Case $n = 1$`
        div.meta["title_inline"] = heading
    out.append(div)
    inline = tokens[index + 2]
    rest = inline.content.split("\n", 1)[1] if "\n" in inline.content else ""
    depth, cursor = 1, index + 1
    if rest.strip():
        inline.content = rest
        if inline.map is not None:
            inline.map = [inline.map[0] + 1, inline.map[1]]
    else:
        cursor = index + 4  # the marker was the whole paragraph: drop it
    while cursor < len(tokens):
        token = tokens[cursor]
        if token.type == "blockquote_open" and _alert_marker(tokens, cursor):
            cursor = _alert(state, tokens, cursor, out)  # Obsidian's callout in a callout
            continue
        if token.type == "blockquote_open":
            depth += 1
        elif token.type == "blockquote_close":
            depth -= 1
            if depth == 0:
                out.append(Token("div_close", "div", -1, block=True))
                return cursor + 1
        out.append(token)
        cursor += 1
    return cursor
