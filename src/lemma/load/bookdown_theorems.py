"""bookdown's theorems and proofs, as Quarto's: a chunk ```{theorem pyth, name="Pythagoras"}
(or `label="pyth"`) … ``` and a div `::: {.theorem #pyth name="Pythagoras"}` become
`::: {#thm-pyth title="Pythagoras"}`, numbered per kind and referred to by `\\@ref(thm:pyth)`;
```{proof}, `{remark}` and `{solution}` (and their divs) are Quarto's unnumbered `.proof`,
`.remark`, `.solution`. bookdown's `hypothesis` has no kind in Lemma: a warning at its line, and
its text is shown as a remark. Every line keeps its number.
"""

from __future__ import annotations

import re

from lemma.errors import LemmaError, Problem
from lemma.model import SourceLocation
from lemma.parse import parse_body
from lemma.parse.blocks import PROOF_KINDS
from lemma.parse.knitr_options import knitr_header

# bookdown's numbered environments, with Quarto's label prefix for each (as sphinx-proof's are)
_NUMBERED_KINDS = ("theorem", "lemma", "corollary", "proposition", "conjecture", "definition")
NUMBERED = {kind: PROOF_KINDS[kind] for kind in (*_NUMBERED_KINDS, "example", "exercise")}
UNNUMBERED = ("proof", "remark", "solution")
_ENGINE = re.compile(r"^\{(?P<engine>[A-Za-z]+)[\s,}]")
_DIV = re.compile(r"^(?P<colons>:{3,})\s*\{(?P<attributes>[^{}]*)\}\s*$")
_NAME = re.compile(r"""\bname\s*=\s*(?P<quote>["'])(?P<name>.*?)(?P=quote)""")


def rewrite_theorems(lines: list[str], body_line: int, where: SourceLocation) -> list[Problem]:
    """`lines` (a post's body) with bookdown's theorem chunks and divs as Quarto's divs."""
    problems: list[Problem] = []
    body = "\n".join(lines)
    if "{" not in body:
        return problems
    for token in parse_body(body):
        if token.type != "fence" or token.map is None:
            continue
        match = _ENGINE.match(token.info.strip())
        engine = match["engine"].lower() if match else ""
        if engine not in NUMBERED and engine not in UNNUMBERED and engine != "hypothesis":
            continue
        first, last = token.map[0], token.map[1] - 1
        at = where.at_line(body_line + first)
        try:
            header = knitr_header(token.info, at)
        except LemmaError as exc:
            problems.append(exc.problem)
            continue
        name = next((v.strip("\"'") for k, v in header.options if k == "name"), "")
        lines[first] = _opening(engine, header.label, name, first)
        if engine == "hypothesis":
            problems.append(_hypothesis(at))
        if last > first and lines[last].strip().startswith(token.markup[:3]):
            lines[last] = ":::"
    for index, line in enumerate(lines):
        div = _DIV.match(line)
        if div is None:
            continue
        words = div["attributes"].split()
        kinds = [w[1:] for w in words if w[1:] in (*NUMBERED, *UNNUMBERED, "hypothesis")]
        if not kinds or not words[0].startswith("."):
            continue
        label = next((w[1:] for w in words if w.startswith("#")), "")
        found = _NAME.search(div["attributes"])
        name = found["name"] if found else ""
        lines[index] = div["colons"] + _opening(kinds[0], label, name, index)[3:]
        if kinds[0] == "hypothesis":
            problems.append(_hypothesis(where.at_line(body_line + index)))
    return problems


def _opening(engine: str, label: str, name: str, index: int) -> str:
    """The opening line of Quarto's div for bookdown's `engine`: an unlabelled theorem gets a
    label of its own, from its line, so that it is numbered as bookdown numbers it."""
    title = f' title="{name}"' if name else ""
    if engine in NUMBERED:
        prefix = NUMBERED[engine]
        return f"::: {{#{prefix}-{label or f'unlabelled-{index + 1}'}{title}}}"
    kind = engine if engine in UNNUMBERED else "remark"
    return f"::: {{.{kind}{title}}}"


def _hypothesis(at: SourceLocation) -> Problem:
    return Problem(
        "bookdown's hypothesis has no kind in Lemma; it is shown as a remark",
        at,
        hint="write it as a theorem, ```{theorem}, or a conjecture, ```{conjecture}",
        is_warning=True,
    )
