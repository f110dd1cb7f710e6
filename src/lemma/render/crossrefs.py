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
from lemma.model import Snippet, SourceLocation
from lemma.parse.blocks import THEOREM_KINDS, THEOREM_WORDS, BlockInfo
from lemma.parse.labels import is_labelled_equation
from lemma.render.inline_math import inline_text

# Every label prefix a cross-reference can use, and the word it is shown with.
REFERENCE_WORDS: Mapping[str, str] = {
    **THEOREM_KINDS,
    "fig": "Figure",
    "tbl": "Table",
    "eq": "Equation",
    "sec": "Section",
}


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
    """`@thm-x` is a cross-reference, `@knuth84` a citation."""
    prefix, dash, rest = key.partition("-")
    return bool(dash and rest) and prefix in REFERENCE_WORDS


def number_targets(
    tokens: Sequence[Token], snippets: Sequence[Snippet], where: SourceLocation
) -> tuple[dict[str, Target], list[Problem]]:
    """Every label of a post with its number; a label given twice is an error at its line."""
    targets: dict[str, Target] = {}
    problems: list[Problem] = []
    counters: dict[str, int] = {}
    sections: list[int] = []
    top_level = min(
        (int(t.tag[1]) for t in tokens if t.type == "heading_open" and t.tag != "h1"), default=2
    )

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
    for index, token in enumerate(tokens):
        line = where.line + token.map[0] if token.map else 0
        if token.type == "div_open":
            info: BlockInfo = token.meta["block"]
            word = THEOREM_WORDS.get(info.name, "")
            if info.kind == "theorem" and (info.numbered or info.label):
                number = count(info.name) if info.numbered else ""
                add(block_key(info, token), word, number, line)
        elif is_labelled_equation(token):
            add(token.info, "Equation", count("eq"), line)
        elif token.type == "inline":  # `$$ … $$ {#eq-x}` in a sentence
            for child in token.children or ():
                if is_labelled_equation(child):
                    add(child.info, "Equation", count("eq"), line)
        elif token.type == "figure_open" and not token.meta.get("image") and token.attrGet("id"):
            label = str(token.attrGet("id"))
            add(label, "Figure", count("fig"), line)  # MyST's ```{figure} with a :name:
        elif token.type == "table_open" and token.attrGet("id"):  # a named {list-table}
            add(str(token.attrGet("id")), "Table", count("tbl"), line)
        elif token.type == "heading_open":
            level = max(int(token.tag[1]) - top_level, 0)
            del sections[level + 1 :]
            sections.extend([0] * (level + 1 - len(sections)))
            sections[level] += 1
            label = str(token.attrGet("id") or "")
            if label and token.meta.get("myst_target") == label:  # MyST: named by its text
                add(label, "", "", line, heading_text(tokens[index + 1]))
            elif label.startswith("sec-"):
                number = ".".join(str(n) for n in sections if n) or "1"
                add(label, "Section", number, line)
        elif token.type == "myst_target":
            add(token.info, "", "", line)
        elif token.type == "fence" and line in labelled_snippets:
            label = labelled_snippets[line].options.label or ""
            prefix = label.partition("-")[0]
            if prefix in ("fig", "tbl"):
                add(label, REFERENCE_WORDS[prefix], count(prefix), line)
    return targets, problems


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


def numbered_snippet(view: dict[str, Any], target: Target) -> dict[str, Any]:
    """A labelled snippet's view with its number: "Table 1: caption" above a table's outputs,
    "Figure 1: caption" under its figure, or "Figure 1 (a): …" under each of several."""
    if target.word == "Table":
        caption = view["table_caption"]
        return view | {"table_caption": f"{target.name}: {caption}" if caption else target.name}

    def numbered(outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        figures = sum(1 for output in outputs if output["kind"] == "image")
        shown, letters = [], iter("abcdefghijklmnopqrstuvwxyz")
        for output in outputs:
            if output["kind"] == "image":
                name = target.name if figures == 1 else f"{target.name} ({next(letters, '?')})"
                caption = output.get("caption")
                output = output | {"caption": f"{name}: {caption}" if caption else name}
            shown.append(output)
        return shown

    variants = [v | {"outputs": numbered(v["outputs"])} for v in view["variants"]]
    return view | {"outputs": numbered(view["outputs"]), "variants": variants}
