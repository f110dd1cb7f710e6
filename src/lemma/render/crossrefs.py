"""Numbered cross-references: what `@thm-convex`, `@fig-loss`, `@tbl-planets`, `@eq-loss` and
`@sec-intro` point to.

Numbers are given as Quarto gives them: per post, each kind counted on its own ("Theorem 1",
"Lemma 1", "Figure 2", "Table 1"), in the order the labelled things appear; sections are numbered
by their place in the outline ("Section 2.1"). Equations labelled `{#eq-…}` share one counter.
A labelled snippet that draws several figures is one figure of subfigures, as in Quarto: its
label reads "Figure 1", its figures "Figure 1 (a)", "Figure 1 (b)", ...

MyST's labels join them: sphinx-proof's theorems are counted with Quarto's (an unlabelled one too,
keyed by its line: `block_key`), a `(label)=` target before a heading is named by the heading's
text, and a named ```{figure} or ```{list-table} is a figure or a table like the snippets'.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it.token import Token
from markupsafe import escape

from lemma.errors import Problem, did_you_mean
from lemma.model import Snippet, SnippetOptions, SourceLocation
from lemma.parse.blocks import CALLOUT_WORDS, THEOREM_KINDS, THEOREM_WORDS, BlockInfo
from lemma.parse.labels import is_labelled_equation
from lemma.render.inline_math import inline_text

# Every label prefix a cross-reference can use, and the word it is shown with.
REFERENCE_WORDS: Mapping[str, str] = {
    **THEOREM_KINDS,
    "fig": "Figure",
    "tbl": "Table",
    "eq": "Equation",
    "sec": "Section",
    "lst": "Listing",
    **CALLOUT_WORDS,
}

LETTERS = "abcdefghijklmnopqrstuvwxyz"  # of subfigures: Figure 1 (a), Figure 1 (b), ...


@dataclass(frozen=True, slots=True)
class Target:
    """Something numbered that a cross-reference can point to."""

    label: str
    word: str  # "Theorem"; "" for a MyST target, named by its heading's text
    number: str  # "1", or "2.1" for a section; "" for sphinx-proof's `:nonumber:`
    text: str = ""  # the text of the heading a MyST `(label)=` names ("" before other blocks)

    @property
    def name(self) -> str:
        if not self.word:
            return self.text
        return f"{self.word} {self.number}" if self.number else self.word


def block_key(info: BlockInfo, token: Token) -> str:
    """The key of a theorem's number in the targets: its label, or for sphinx-proof's unlabelled
    ones (numbered all the same) its line, after a "#" no label can start with."""
    return info.label or f"#{token.map[0] if token.map else 0}"


def labels(targets: Mapping[str, Target]) -> list[str]:
    """The labels a reference can name (the keys of unlabelled theorems left out)."""
    return [key for key in targets if not key.startswith("#")]


def is_reference(key: str) -> bool:
    """`@thm-x` (or Quarto's capitalised `@Thm-x`) is a cross-reference, `@knuth84` a
    citation."""
    prefix, dash, rest = key.partition("-")
    return bool(dash and rest) and (prefix in REFERENCE_WORDS or _capitalised(prefix))


def target_label(key: str) -> str:
    """The label a reference names: `@Fig-loss` names fig-loss."""
    prefix, dash, rest = key.partition("-")
    return f"{prefix.lower()}{dash}{rest}" if _capitalised(prefix) else key


def _capitalised(prefix: str) -> bool:
    return prefix[:1].isupper() and prefix[1:].islower() and prefix.lower() in REFERENCE_WORDS


def number_targets(
    tokens: Sequence[Token], snippets: Sequence[Snippet], where: SourceLocation
) -> tuple[dict[str, Target], list[Problem]]:
    """Every label of a post with its number; a label given twice is an error at its line."""
    targets: dict[str, Target] = {}
    problems: list[Problem] = []
    counters: dict[str, int] = {}

    def add(label: str, word: str, number: str, line: int, text: str = "") -> None:
        if label in targets:
            problems.append(
                Problem(
                    f"label '{label}' is used twice",
                    where.at_line(line),
                    hint="give each theorem, figure, equation and section its own label",
                )
            )
            return
        targets[label] = Target(label, word, number, text)

    def count(prefix: str) -> str:
        counters[prefix] = counters.get(prefix, 0) + 1
        return str(counters[prefix])

    labelled_snippets = {s.fence_line: s for s in snippets if s.options.label}
    sections = section_numbers(tokens)
    for index, token in enumerate(tokens):
        line = where.line + token.map[0] if token.map else 0
        if token.type == "div_open":
            info: BlockInfo = token.meta["block"]
            word = THEOREM_WORDS.get(info.name, "")
            if info.kind == "theorem" and (info.numbered or info.label):
                number = count(info.name) if info.numbered else ""
                add(block_key(info, token), word, number, line)
            elif info.kind == "figure":  # Quarto's `::: {#fig-x}` of subfigures, or tables
                add(info.label, REFERENCE_WORDS[info.name], count(info.name), line)
            elif info.kind == "callout" and info.label.partition("-")[0] in CALLOUT_WORDS:
                prefix = info.label.partition("-")[0]  # Quarto's `::: {#nte-x .callout-note}`
                add(info.label, CALLOUT_WORDS[prefix], count(prefix), line)
        elif is_labelled_equation(token):
            add(token.info, "Equation", count("eq"), line)
        elif token.type == "inline":  # `$$ … $$ {#eq-x}` in a sentence
            for child in token.children or ():
                if is_labelled_equation(child):
                    add(child.info, "Equation", count("eq"), line)
        elif token.type == "table_open" and (label := str(token.attrGet("id") or "")):
            if "letter" in token.meta:  # a subtable of Quarto's table div: "Table 1 (a)"
                add(label, "Table", f"{counters.get('tbl', 0)} ({token.meta['letter']})", line)
            else:  # a named {list-table}, pandoc's `: Caption {#tbl-x}`
                add(label, "Table", count("tbl"), line)
        elif token.type == "figure_open" and not token.meta.get("image") and token.attrGet("id"):
            label = str(token.attrGet("id"))
            if "letter" in token.meta:  # a subfigure: "Figure 1 (a)"
                add(label, "Figure", f"{counters.get('fig', 0)} ({token.meta['letter']})", line)
            else:  # MyST's ```{figure} with a :name:, Quarto's ![…](x.png){#fig-x}
                add(label, "Figure", count("fig"), line)
        elif token.type == "heading_open":
            label = str(token.attrGet("id") or "")
            if label and token.meta.get("myst_target") == label:  # MyST: named by its text
                add(label, "", "", line, heading_text(tokens[index + 1]))
            elif label.startswith("sec-") and index in sections:
                add(label, "Section", sections[index], line)
        elif token.type == "myst_target":
            add(token.info, "", "", line)
        elif token.type == "fence" and line in labelled_snippets:
            options = labelled_snippets[line].options
            label = options.label or ""
            prefix = label.partition("-")[0]
            if prefix in ("fig", "tbl", "lst"):
                add(label, REFERENCE_WORDS[prefix], count(prefix), line)
            if prefix == "fig" and len(options.fig_caps) > 1:  # Quarto's @fig-x-1, @fig-x-2
                for index, letter in zip(range(len(options.fig_caps)), LETTERS, strict=False):
                    add(f"{label}-{index + 1}", "Figure", f"{counters['fig']} ({letter})", line)
    return targets, problems


def section_numbers(tokens: Sequence[Token]) -> dict[int, str]:
    """The number of each numbered heading ("2.1"), by its `heading_open`'s index: numbered by
    the outline, as Quarto numbers sections (`# Title` headings aside)."""
    top_level = min(
        (int(t.tag[1]) for t in tokens if t.type == "heading_open" and t.tag != "h1"), default=2
    )
    numbers: dict[int, str] = {}
    sections: list[int] = []
    tabs = 0  # how deep in a tabset's tabs: their headings are no sections
    for index, token in enumerate(tokens):
        if token.type in ("div_open", "div_close"):
            tabs += token.nesting if getattr(token.meta.get("block"), "kind", "") == "tab" else 0
        if token.type != "heading_open" or _unnumbered(token, tabs > 0):
            continue
        level = max(int(token.tag[1]) - top_level, 0)
        del sections[level + 1 :]
        sections.extend([0] * (level + 1 - len(sections)))
        sections[level] += 1
        numbers[index] = ".".join(str(n) for n in sections if n) or "1"
    return numbers


def _unnumbered(heading: Token, in_tab: bool) -> bool:
    """Quarto's `## Preface {.unnumbered}` (or `{-}`), and a heading inside a tab, take no
    section number, unless it has a `sec-` label to be referred to by."""
    if str(heading.attrGet("id") or "").startswith("sec-"):
        return False
    return in_tab or "unnumbered" in str(heading.attrGet("class") or "").split()


def heading_text(inline: Token) -> str:
    """A heading as the contents list and references show it: its words, and its formulas as
    text ("The $\\lambda$-calculus" reads "The λ-calculus", as in the browser tab)."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("math_inline", "math_inline_double"):
            parts.append(inline_text(f"${child.content}$"))
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


def reference_html(target: Target, *, number_only: bool = False, text: str | None = None) -> str:
    """A link to a numbered thing, as readers see it in the text ("Theorem 1"), or `text`."""
    text = text if text is not None else target.number if number_only else target.name
    return (
        f'<a class="xref" href="#{escape(target.label)}" '
        f'data-lemma-card="{escape(target.label)}">{escape(text)}</a>'
    )


def unknown_reference(key: str, targets: Mapping[str, Target], where: SourceLocation) -> Problem:
    hint = did_you_mean(key, labels(targets)) or (
        "label it: ::: {#" + key + "} for a theorem, {#" + key + "} after a heading or "
        "an equation's closing $$, or #| label: " + key + " in a snippet"
    )
    return Problem(f"unknown cross-reference '@{key}'", where, hint=hint)


def subfigures(outputs: list[dict[str, Any]], options: SnippetOptions) -> list[dict[str, Any]]:
    """Quarto's `fig-subcap`: each figure's subcaption led by its letter, "(a) Spectrum"."""
    if not options.fig_subcap:
        return outputs
    shown, letters = [], iter(LETTERS)
    for output in outputs:
        if output["kind"] == "image":
            letter = next(letters, "?")
            caption = output.get("caption")
            output = output | {"caption": f"({letter}) {caption}" if caption else f"({letter})"}
        shown.append(output)
    return shown


def numbered_snippet(view: dict[str, Any], target: Target) -> dict[str, Any]:
    """A labelled snippet's view with its number: "Table 1: caption" above a table's outputs,
    "Figure 1: caption" under its figure, or "Figure 1 (a): …" under each of several; with
    subcaptions, "Figure 1: caption" under them all. Several figures get the ids that
    `@fig-x-1`, `@fig-x-2` point to."""
    if target.word == "Table":
        caption = view["table_caption"]
        return view | {"table_caption": f"{target.name}: {caption}" if caption else target.name}
    if target.word == "Listing":
        caption = view.get("listing_caption")
        return view | {"listing_caption": f"{target.name}: {caption}" if caption else target.name}
    figure_caption = view.get("figure_caption")
    subcaptioned = bool(figure_caption) or any(
        str(output.get("caption") or "").startswith("(a)") for output in view["outputs"]
    )

    def numbered(outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        figures = sum(1 for output in outputs if output["kind"] == "image")
        shown, letters, number = [], iter(LETTERS), 0
        for output in outputs:
            if output["kind"] == "image":
                number += 1
                if figures > 1:
                    output = output | {"id": f"{target.label}-{number}"}
                name = target.name if figures == 1 else f"{target.name} ({next(letters, '?')})"
                caption = output.get("caption")
                if not subcaptioned:
                    output = output | {"caption": f"{name}: {caption}" if caption else name}
            shown.append(output)
        return shown

    variants = [v | {"outputs": numbered(v["outputs"])} for v in view["variants"]]
    numbered_view = view | {"outputs": numbered(view["outputs"]), "variants": variants}
    if subcaptioned:
        caption = f"{target.name}: {figure_caption}" if figure_caption else target.name
        numbered_view["figure_caption"] = caption
    return numbered_view
