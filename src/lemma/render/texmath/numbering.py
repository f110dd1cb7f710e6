"""A post's equation numbers, LaTeX's way: (1), (2), ... in order, \\tag, \\label, \\eqref, \\ref.

One `EquationRegistry` per post. Display formulas are numbered as they are rendered, in order;
references are placeholders until the whole post is rendered (a reference may come before its
equation), then `resolve` turns them into links. Other ways of labelling equations (Quarto's
`{#eq-x}`) use `add` and `reference_markup`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markupsafe import escape

from lemma.render.texmath import EquationMark

_PLACEHOLDER = re.compile("\ue000(pad|num|eqref|ref)\ue001([^\ue002]*)\ue002")


def anchor_for(label: str) -> str:
    """The id of a labelled equation: "eq:gd" -> "eq-gd", "loss" -> "eq-loss"."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", label).strip("-") or "x"
    return slug if slug.startswith("eq-") else "eq-" + slug.removeprefix("eq-")


@dataclass(frozen=True, slots=True)
class Numbered:
    text: str  # "3" or the tag's text
    anchor: str
    starred: bool = False  # \tag*: no parentheses

    @property
    def shown(self) -> str:
        return self.text if self.starred else f"({self.text})"


@dataclass
class EquationRegistry:
    counter: int = 0
    labels: dict[str, Numbered] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    anonymous: int = 0

    def add(
        self,
        label: str | None,
        tag: str | None = None,
        starred: bool = False,
        anchor: str | None = None,
    ) -> Numbered:
        """The next equation: numbered in order unless tagged; registered under its label.
        `anchor` is its id when the page gives it one (a labelled block's own id)."""
        if tag is None:
            self.counter += 1
            text = str(self.counter)
        else:
            text = tag
        if label is None:
            self.anonymous += 1
            return Numbered(text, f"eq-{self.anonymous}-unlabelled", starred)
        numbered = Numbered(text, anchor or anchor_for(label), starred)
        if label in self.labels:
            self.duplicates.append(label)
        else:
            self.labels[label] = numbered
        return numbered

    def number(self, mathml: str, equations: Sequence[EquationMark]) -> str:
        """Converted MathML with its equations' numbers filled in."""
        if not equations:
            return mathml
        numbers: list[Numbered] = []
        parent, letters = 0, 0
        for mark in equations:
            if mark.subequation and mark.tag is None:  # 1a, 1b, ... under one number
                if not parent:
                    self.counter += 1
                    parent = self.counter
                numbers.append(self.add(mark.label, f"{parent}{chr(ord('a') + letters % 26)}"))
                letters += 1
            else:
                numbers.append(self.add(mark.label, mark.tag, mark.tag_starred))

        def fill(match: re.Match[str]) -> str:
            numbered = numbers[int(match.group(2))]
            shown = escape(numbered.shown)
            if match.group(1) == "pad":
                return f"<mtext>{shown}</mtext>"
            labelled = not numbered.anchor.endswith("-unlabelled")
            anchor = f' id="{escape(numbered.anchor)}"' if labelled else ""
            return f"<mtext{anchor}>{shown}</mtext>"

        return _PLACEHOLDER.sub(
            lambda m: fill(m) if m.group(1) in ("pad", "num") else m.group(0), mathml
        )

    def resolve(self, html: str, missing: Callable[[str], None]) -> str:
        """Every \\eqref/\\ref placeholder as a link; `missing(label)` for unknown labels."""
        if "\ue000" not in html:
            return html

        def link(match: re.Match[str]) -> str:
            style, label = match.group(1), match.group(2)
            numbered = self.labels.get(label)
            if numbered is None:
                missing(label)
                shown = "(??)" if style == "eqref" else "??"
                return f'<span class="math-fallback">{shown}</span>'
            shown = numbered.shown if style == "eqref" else numbered.text
            return f'<a class="eqref" href="#{escape(numbered.anchor)}">{escape(shown)}</a>'

        return _PLACEHOLDER.sub(link, html)


def reference_markup(label: str, style: str = "eqref") -> str:
    """A reference to `label` in prose, resolved with the rest of the post by `resolve`."""
    return f"\ue000{style}\ue001{escape(label)}\ue002"
