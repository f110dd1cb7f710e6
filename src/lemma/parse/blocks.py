"""Theorem-like blocks, proofs and callouts, in Quarto's, GitHub's, MyST's, sphinx-proof's and
MkDocs' spellings.

A core rule gives every spelling the same tokens: a `div_open` whose `meta["block"]` is a
`BlockInfo` (what the renderer and the cross-reference numbering need), so that
`::: {.callout-note}`, `> [!NOTE]`, ```` ```{note} ````, `:::{note}` and `!!! note` cannot drift
apart (`parse.admonitions` classifies MkDocs' blocks as it parses them).

sphinx-proof's ```` ```{prf:theorem} Title ```` (`:label:`, `:nonumber:`, `:class: dropdown`) is
the theorem Quarto's `::: {#thm-x}` is: one counter, one look, one way to refer to it. Kinds
Quarto lacks (remark, algorithm, axiom, ...) are numbered each on their own, as sphinx-proof does,
and unlike Quarto's an unlabelled one is numbered too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from lemma.parse.directives import MARKUP_DIRECTIVES, directive_options

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
_ALERT = re.compile(r"^\[!(?P<kind>[A-Za-z]+)\]\s*$")
_DIRECTIVE_INFO = re.compile(r"^\{(?P<name>[A-Za-z][\w:-]*)\}\s*(?P<title>.*)$")
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
}
# The title each shows when it is given none: its own name, as in Jupyter Book.
_DIRECTIVE_TITLES = {"hint": "Hint", "danger": "Danger", "error": "Error", "attention": "Attention"}
_DIRECTIVE_TITLES["seealso"] = "See also"


@dataclass(frozen=True, slots=True)
class BlockInfo:
    """What a div is: a theorem-like block, a proof, a callout, or a plain div."""

    kind: str  # "theorem", "proof", "callout", "tab" (MkDocs' `=== "Tab"`) or "div"
    name: str = ""  # the theorem kind's prefix ("thm") or the callout's kind ("note")
    label: str = ""  # the id, "" when none
    title: str = ""  # a title given as text (attribute or directive argument)
    collapse: bool | None = None  # callouts: None = not collapsible, True = starts closed
    classes: tuple[str, ...] = ()  # extra classes of a plain div, safe ones only
    shows_title: bool = True  # callouts: False for MkDocs' `!!! note ""`, a box without a title
    numbered: bool = True  # theorems: False for sphinx-proof's `:nonumber:`


def blocks_plugin(md: MarkdownIt) -> None:
    """After block parsing and before inline parsing, so that titles get inline markup."""
    md.core.ruler.after("block", "lemma_blocks", _classify)


def _classify(state: StateCore) -> None:
    tokens = _expand_directives(state, state.tokens)
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
        if token.type == "blockquote_open" and _alert_kind(tokens, index):
            index = _alert(tokens, index, out)
            continue
        out.append(token)
        index += 1
    _pair_closings(out)
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
        named = (directive, *(c for c in classes if c != "dropdown"))  # a class, not a kind
        kinds = [CALLOUT_DIRECTIVES.get(c, c) for c in named]
        name = next((kind for kind in reversed(kinds) if kind in CALLOUT_KINDS), "note")
        if "dropdown" in classes or directive == "dropdown":  # Jupyter Book's collapsible one
            collapse = "open" not in attributes  # True: it starts closed
        title = title or _DIRECTIVE_TITLES.get(directive, "")
        return BlockInfo("callout", name, label, title, collapse)
    if prefix in THEOREM_KINDS:
        return BlockInfo("theorem", prefix, label, title)
    if "proof" in classes:
        return BlockInfo("proof", "proof", label, title)
    for css in classes:
        if css.startswith("callout-") and css.removeprefix("callout-") in CALLOUT_KINDS:
            return BlockInfo("callout", css.removeprefix("callout-"), label, title, collapse)
    safe = tuple(c for c in classes if _SAFE_CLASS.match(c))
    return BlockInfo("div", "", label, title, classes=safe)


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


def _alert_kind(tokens: list[Token], index: int) -> str | None:
    """GitHub's `> [!NOTE]`: the kind when the quote's first line is an alert marker."""
    if index + 2 >= len(tokens) or tokens[index + 1].type != "paragraph_open":
        return None
    first_line = tokens[index + 2].content.split("\n", 1)[0]
    match = _ALERT.match(first_line.strip())
    if match is None or match["kind"].lower() not in CALLOUT_KINDS:
        return None
    return match["kind"].lower()


def _alert(tokens: list[Token], index: int, out: list[Token]) -> int:
    opening = tokens[index]
    kind = _alert_kind(tokens, index)
    assert kind is not None
    div = Token("div_open", "div", 1, map=opening.map, block=True)
    div.meta["block"] = BlockInfo("callout", kind)
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


def _expand_directives(state: StateCore, tokens: list[Token]) -> list[Token]:
    """MyST's ```` ```{note} ```` and `:::{note}` fences become divs holding their parsed
    Markdown, nested directives too; a `:class: tip` option gives an `{admonition}` its kind,
    `:class: dropdown` makes it collapse. A colon fence of a directive Lemma does not know is a
    div too (MyST's colons hold Markdown), named by `meta["unknown_directive"]`; its {math} and
    {figure} are left to `parse.directives`."""
    out: list[Token] = []
    for token in tokens:
        match = _DIRECTIVE_INFO.match(token.info.strip()) if token.type == "fence" else None
        name = match["name"].lower() if match else ""
        proof = is_proof_directive(name)
        known = name in CALLOUT_KINDS or name in CALLOUT_DIRECTIVES or proof
        colons = token.markup.startswith(":") and name not in MARKUP_DIRECTIVES
        if match is None or not (known or colons):
            out.append(token)
            continue
        options, body, skipped = directive_options(token.content)
        opening = Token("div_open", "div", 1, map=token.map, block=True)
        attributes = {"class": options.get("class", "")}
        if "open" in options:  # sphinx-design's `{dropdown}` shown open
            attributes["open"] = "true"
        title = match["title"].strip()
        opening.meta.update(attributes=attributes, directive=name, title=title)
        if proof:
            opening.meta["block"] = proof_info(name, options, title)
        if title:  # a directive's argument is Markdown: `{prf:theorem} Rate of $x_k$`
            opening.meta["title_inline"] = Token("inline", "", 0, content=title, map=token.map)
        if not known:
            opening.meta["unknown_directive"] = match["name"]
        out.append(opening)
        out.extend(_expand_directives(state, _parse_inner(state, token, body, skipped)))
        out.append(Token("div_close", "div", -1, block=True))
    return out


def is_proof_directive(name: str) -> bool:
    """`prf:proof` and sphinx-proof's theorem kinds, `prf:theorem` and the others."""
    kind = name.lower().removeprefix("prf:")
    return name.lower().startswith("prf:") and (kind == "proof" or kind in PROOF_KINDS)


def proof_info(name: str, options: Mapping[str, str], title: str) -> BlockInfo:
    """What a `prf:` directive is, from its name, its options and its title argument."""
    kind = name.lower().removeprefix("prf:")
    label = options.get("label", "").strip()
    collapse = True if "dropdown" in options.get("class", "").split() else None
    if kind == "proof":
        return BlockInfo("proof", "proof", label, title, collapse)
    numbered = "nonumber" not in options
    return BlockInfo("theorem", PROOF_KINDS[kind], label, title, collapse, numbered=numbered)


def _parse_inner(state: StateCore, fence: Token, body: str, skipped: int) -> list[Token]:
    inner: list[Token] = []
    env: Any = state.env
    state.md.block.parse(body, state.md, env, inner)
    shift = (fence.map[0] if fence.map else 0) + 1 + skipped
    for token in inner:
        if token.map is not None:
            token.map = [token.map[0] + shift, token.map[1] + shift]
    return inner
