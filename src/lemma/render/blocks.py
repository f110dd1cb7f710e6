"""HTML of theorem-like blocks, proofs and callouts (the divs `parse.blocks` classified).

A theorem is a `div.theorem` led by "Theorem 1 (Name)."; a proof is led by "Proof." and ends
with ∎ on its last line; a callout is a `role="note"` box named by its title, or a
`<details>` one when it collapses; an MkDocs content tab, a sphinx-design tab-item or a tab of
Quarto's tabset is its label over its content, and a tab-set or tabset one `data-lemma-tabset`
container of them (every tab shown, no script needed; lemma.js makes them switch); MyST's
margin and sidebar an `<aside>` and Quarto's margin content (`.column-margin`, `.aside`,
`[text]{.aside}`) a `<div>`, each a `.margin-note` the theme sets beside the text; an epigraph is a
`<blockquote>`. Numbers come from `render.crossrefs`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import escape

from lemma.errors import Problem, did_you_mean
from lemma.parse.blocks import MARGIN_CLASSES, PROOF_WORDS, THEOREM_WORDS, BlockInfo
from lemma.render.crossrefs import block_key, labels, reference_html
from lemma.render.references import writing_state

CALLOUT_TITLES = {
    "note": "Note",
    "tip": "Tip",
    "warning": "Warning",
    "important": "Important",
    "caution": "Caution",
}
_QED = '<span class="qed" role="img" aria-label="End of proof">∎</span>'


def add_block_rules(md: MarkdownIt) -> None:
    md.add_render_rule("div_open", _render_div_open)
    md.add_render_rule("span_open", _render_span_open)
    md.add_render_rule("div_close", _render_div_close)
    md.add_render_rule("paragraph_close", _render_paragraph_close)
    md.add_render_rule("myst_target", _render_target)


def _render_target(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """MyST's `(label)=` before a block that takes no id: an empty anchor where it stands."""
    return f'<div id="{escape(tokens[idx].info)}"></div>\n'


def _title_html(self: Any, token: Token, options: Any, env: Any) -> str:
    title = token.meta.get("title_inline")
    if isinstance(title, Token):
        return str(self.renderInline(title.children or [], options, env))
    info: BlockInfo = token.meta["block"]
    return str(escape(info.title))


def _render_div_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    info: BlockInfo = token.meta.get("block") or BlockInfo("div")
    label = f' id="{escape(info.label)}"' if info.label else ""
    title = _title_html(self, token, options, env)
    match info.kind:
        case "theorem":
            target = writing_state(env).targets.get(block_key(info, token))
            name = target.name if target else THEOREM_WORDS[info.name]
            named = f' <span class="theorem-name">({title})</span>' if title else ""
            heading = f'<strong class="theorem-label">{name}</strong>{named}.'
            if info.collapse is not None:  # sphinx-proof's `:class: dropdown`
                return (
                    f'<details class="theorem theorem-{info.name}"{label}>\n'
                    f'<summary class="theorem-heading">{heading}</summary>\n'
                )
            return (
                f'<div class="theorem theorem-{info.name}"{label}>\n'
                f'<p class="theorem-heading">{heading}</p>\n'
            )
        case "proof":
            word = PROOF_WORDS.get(info.name, "Proof")  # Quarto's .remark and .solution too
            heading = f"<em>{f'{word} ({title}).' if title else f'{word}.'}</em>"
            classes = "proof" if info.name == "proof" else f"proof proof-{info.name}"
            if info.collapse is not None:
                return (
                    f'<details class="{classes}"{label}>\n'
                    f'<summary class="proof-heading">{heading}</summary>\n'
                )
            return f'<div class="{classes}"{label}>\n<p class="proof-heading">{heading}</p>\n'
        case "callout":
            state = writing_state(env)
            state.callouts += 1
            title_id = f"callout-{state.callouts}-title"
            shown = title or CALLOUT_TITLES[info.name]
            numbered = state.targets.get(info.label)  # Quarto's `{#nte-x}`: "Note 1: …"
            if numbered is not None:
                shown = f"{escape(numbered.name)}: {title}" if title else escape(numbered.name)
            classes = " ".join(("callout", f"callout-{info.name}", *info.classes))
            if info.collapse is not None:
                opened = "" if info.collapse else " open"
                return (
                    f'<details class="{classes}"{label}{opened}>\n'
                    f'<summary class="callout-title">{shown}</summary>\n'
                    '<div class="callout-body">\n'
                )
            named = f'aria-labelledby="{title_id}"'
            heading = f'<p class="callout-title" id="{title_id}">{shown}</p>\n'
            if not info.shows_title:  # MkDocs' `!!! note ""`: named for screen readers only
                named, heading = f'aria-label="{CALLOUT_TITLES[info.name]}"', ""
            return (
                f'<div class="{classes}"{label} role="note" {named}>\n'
                f'{heading}<div class="callout-body">\n'
            )
        case "figure" | "layout":  # Quarto's figure of subfigures, or a grid of images
            grid = f" figure-layout figure-layout--{info.columns}" if info.columns else ""
            if info.kind == "layout":
                return f'<div class="{grid.strip()}"{label}>\n'
            panel = " table-panel" if info.name == "tbl" else ""
            return f'<figure class="figure-panel{panel}{grid}"{label}>\n'
        case "margin":  # beside the text on wide screens, in it on narrow ones
            return f'<div class="margin-note"{label}>\n'
        case "tabset":  # Quarto's, sphinx-design's: lemma.js makes the tab row; without it,
            # every tab is under its label
            group = f' data-group="{escape(info.group)}"' if info.group else ""
            return f'<div class="tabset"{label} data-lemma-tabset{group}>\n'
        case "tab":
            selected = " data-selected" if "selected" in info.classes else ""
            return f'<div class="tab"{label}{selected}>\n<p class="tab-label">{title}</p>\n'
        case "solution":
            heading = f"<strong>Solution to {_exercise_link(token, info, env)}</strong>"
            if info.collapse is not None:
                return (
                    f'<details class="proof solution"{label}>\n'
                    f'<summary class="proof-heading">{heading}</summary>\n'
                )
            return f'<div class="proof solution"{label}>\n<p class="proof-heading">{heading}</p>\n'
        case "aside":  # MyST's margin (no title) and sidebar: Quarto's margin content
            heading = f'<p class="margin-note-title">{title}</p>\n' if title else ""
            return f'<aside class="margin-note myst-{info.name}"{label}>\n{heading}'
        case "quote":
            return f'<blockquote class="{info.name}"{label}>\n'
    classes = f' class="{escape(" ".join(info.classes))}"' if info.classes else ""
    return f"<div{label}{classes}>\n"


def _render_span_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Pandoc's `[text]{.aside}` in the margin, like a `.column-margin` div; other spans keep
    their id and classes."""
    token = tokens[idx]
    classes = str(token.attrGet("class") or "").split()
    if MARGIN_CLASSES.intersection(classes):
        token.attrSet("class", "margin-note")
    return str(self.renderToken(tokens, idx, options, env))


def _exercise_link(token: Token, info: BlockInfo, env: Any) -> str:
    """ "Exercise 1" linked to the exercise a solution names; an unknown one is an error."""
    state = writing_state(env)
    target = state.targets.get(info.title)
    if target is not None:
        return reference_html(target)
    if state.in_post:
        line = state.where.line + (token.map[0] if token.map else 0)
        state.problems.append(
            Problem(
                f"{{solution}} of an unknown exercise '{info.title}'"
                if info.title
                else "a {solution} names no exercise",
                state.where.at_line(line),
                hint=did_you_mean(info.title, labels(state.targets))
                or "give the exercise a :label: and name it after {solution}",
            )
        )
    return str(escape(info.title or "an exercise"))


def _render_div_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    info: BlockInfo = tokens[idx].meta.get("block") or BlockInfo("div")
    element = "details" if info.collapse is not None else "div"
    match info.kind:
        case "theorem":
            return f"</{element}>\n"
        case "solution":
            return f"</{element}>\n"
        case "aside":
            return "</aside>\n"
        case "quote":
            return "</blockquote>\n"
        case "proof" if info.name == "proof":
            ended = idx > 0 and tokens[idx - 1].type == "paragraph_close"
            qed = "" if ended else f'<p class="proof-end">{_QED}</p>\n'
            return f"{qed}</{element}>\n"
        case "proof":  # Quarto's .remark and .solution: no ∎
            return f"</{element}>\n"
        case "callout":
            return "</div>\n</details>\n" if info.collapse is not None else "</div>\n</div>\n"
        case "figure":
            return "</figure>\n"
    return "</div>\n"


def _render_paragraph_close(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    following = tokens[idx + 1] if idx + 1 < len(tokens) else None
    closes_proof = (
        following is not None
        and following.type == "div_close"
        and getattr(following.meta.get("block"), "name", "") == "proof"
    )
    html = str(self.renderToken(tokens, idx, options, env))
    return f" {_QED}{html}" if closes_proof else html
