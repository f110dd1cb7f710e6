"""R Markdown's prose (knitr, blogdown, distill, bookdown), rewritten as the Markdown Lemma reads;
code blocks and inline code are left alone, and every line keeps its number.

bookdown's references become Quarto's: `\\@ref(fig:x)` is `[-@fig-x]` (the number alone, as
bookdown shows it), `tab:` is `tbl-`, a theorem's `thm:x` is `thm-x`, `\\@ref(eq:x)` is
`\\ref{eq:x}` of the equation whose `(\\#eq:x)` is its `\\label{eq:x}`, and `\\@ref(intro)` is
the section `{#intro}` (which becomes `{#sec-intro}`, as Quarto names sections). A table's
`Table: (\\#tab:x) Caption` is `Table: Caption {#tbl-x}`. A text reference `(ref:x) Text`, a
paragraph of its own, is put where `(ref:x)` is used (in a chunk's `fig.cap` too); theorems are
Quarto's (`load.bookdown_theorems`). distill's `<aside>` is a margin note. Inline R,
`` `r expr` ``, cannot run: a warning, shown as code.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lemma.errors import Problem
from lemma.load.bookdown_theorems import rewrite_theorems
from lemma.load.code_lines import CODE_SPAN, block_lines
from lemma.load.knitr_figures import rewrite_include_graphics
from lemma.model import RMARKDOWN_SUFFIXES, SourceLocation
from lemma.parse import parse_body
from lemma.parse.blocks import THEOREM_KINDS
from lemma.slugs import slugify

_REF = re.compile(r"\\@ref\((?:(?P<kind>[A-Za-z]+):)?(?P<label>[\w.-]+)\)")
_EQUATION_LABEL = re.compile(r"\(\\#eq:(?P<label>[\w.-]+)\)")
_TABLE_CAPTION = re.compile(r"^(?P<lead>:|Table:)\s+\(\\#tab:(?P<label>[\w.-]+)\)\s*(?P<text>.*)$")
_TEXT_REF_DEFINITION = re.compile(r"^\(ref:(?P<label>[\w.-]+)\)\s+(?P<text>\S.*)$")
_TEXT_REF = re.compile(r"\(ref:(?P<label>[\w.-]+)\)")
_HEADING = re.compile(r"^(?P<marks>#{1,6})\s+(?P<text>.*?)\s*(?:\{(?P<attributes>[^{}]*)\})?\s*$")
_ASIDE_OPEN = re.compile(r"^\s*<aside>\s*$")
_ASIDE_CLOSE = re.compile(r"^\s*</aside>\s*$")
_ASIDE_INLINE = re.compile(r"<aside>(?P<text>.*?)</aside>")
_INLINE_R = re.compile(r"^`r\s+(?P<code>.+)`$")
# bookdown's prefixes for Quarto's (theorem environments share Quarto's: thm, lem, def, ...)
_KINDS = {"fig": "fig", "tab": "tbl", **{kind: kind for kind in THEOREM_KINDS}}


def rewrite_rmarkdown(body: str, body_line: int, source_path: str) -> tuple[str, list[Problem]]:
    """`body` of an R Markdown post in the Markdown Lemma reads, with warnings for what it
    cannot do; any other post as it is."""
    if not source_path.endswith(RMARKDOWN_SUFFIXES):
        return body, []
    where = SourceLocation(source_path)
    lines = body.split("\n")
    problems = rewrite_theorems(lines, body_line, where)  # chunks that are divs, first
    body = "\n".join(lines)
    code = block_lines(body)
    headers = {t.map[0] for t in parse_body(body) if t.type == "fence" and t.map}
    texts = _text_references(lines, code)
    sections = {m["label"] for line in lines for m in _REF.finditer(line) if not m["kind"]}
    for index, line in enumerate(lines):
        at = where.at_line(body_line + index)
        if index in headers:  # a chunk's header: its fig.cap may be a text reference
            lines[index] = _with_texts(line, texts, at, problems, quoted=True)
        if index in code:
            continue
        problems.extend(_inline_r(line, at) if "`r " in line else [])
        line = _with_texts(line, texts, at, problems, quoted=False)
        line = _outside_code(line, _rewritten)
        lines[index] = _section_id(_table_caption(line), sections)
    _asides(lines, code)
    problems += rewrite_include_graphics(lines, body_line, where)  # after (ref:x) captions
    return "\n".join(lines), problems


def _text_references(lines: list[str], code: set[int]) -> dict[str, str]:
    """bookdown's `(ref:label) Text` paragraphs, by label; their lines are emptied."""
    found: dict[str, str] = {}
    for index, line in enumerate(lines):
        match = _TEXT_REF_DEFINITION.match(line)
        if match is None or index in code or (index and lines[index - 1].strip()):
            continue
        found[match["label"]] = match["text"].strip()
        lines[index] = ""
    return found


def _with_texts(
    line: str, texts: dict[str, str], at: SourceLocation, problems: list[Problem], quoted: bool
) -> str:
    def text(match: re.Match[str]) -> str:
        found = texts.get(match["label"])
        if found is None:
            problems.append(
                Problem(
                    f"bookdown's text reference (ref:{match['label']}) is not defined",
                    at,
                    hint=f"write '(ref:{match['label']}) Its text' as a paragraph of its own",
                    is_warning=True,
                )
            )
            return match[0]
        return found.replace('"', '\\"') if quoted else found

    return _TEXT_REF.sub(text, line) if "(ref:" in line else line


def _outside_code(line: str, rewrite: Callable[[str], str]) -> str:
    """`line` with `rewrite` applied to its text outside inline code."""
    parts: list[str] = []
    start = 0
    for span in CODE_SPAN.finditer(line):
        parts.append(rewrite(line[start : span.start()]))
        parts.append(span[0])
        start = span.end()
    parts.append(rewrite(line[start:]))
    return "".join(parts)


def _rewritten(text: str) -> str:
    """bookdown's references and equation labels in a piece of prose or math."""
    if "\\@ref(" in text:
        text = _REF.sub(_reference, text)
    if "(\\#eq:" in text:
        text = _EQUATION_LABEL.sub(lambda m: f"\\label{{eq:{m['label']}}}", text)
    if "<aside>" in text:
        text = _ASIDE_INLINE.sub(lambda m: f"[{m['text'].strip()}]{{.aside}}", text)
    return text


def _reference(match: re.Match[str]) -> str:
    kind, label = match["kind"], match["label"]
    if kind is None:
        return f"[-@sec-{label}]"
    if kind == "eq":
        return f"\\ref{{eq:{label}}}"
    return f"[-@{_KINDS.get(kind, kind)}-{label}]"


def _table_caption(line: str) -> str:
    match = _TABLE_CAPTION.match(line)
    if match is None:
        return line
    return f"{match['lead']} {match['text']} {{#tbl-{match['label']}}}"


def _section_id(line: str, sections: set[str]) -> str:
    """A heading that `\\@ref(id)` names: `{#id}` (or pandoc's id made from its text) becomes
    `{#sec-id}`, the name Quarto's section references take."""
    if not sections or not line.startswith("#"):
        return line
    match = _HEADING.match(line)
    if match is None:
        return line
    words = (match["attributes"] or "").split()
    ids = [w[1:] for w in words if w.startswith("#")]
    name = ids[0] if ids else slugify(match["text"])
    if name not in sections:
        return line
    others = [w for w in words if not w.startswith("#")]
    return f"{match['marks']} {match['text']} {{{' '.join([f'#sec-{name}', *others])}}}"


def _asides(lines: list[str], code: set[int]) -> None:
    """distill's `<aside>` … `</aside>` on lines of their own: Quarto's margin content."""
    depth = 0
    for index, line in enumerate(lines):
        if index in code:
            continue
        if _ASIDE_OPEN.match(line):
            lines[index] = "::: {.column-margin}"
            depth += 1
        elif depth and _ASIDE_CLOSE.match(line):
            lines[index] = ":::"
            depth -= 1


def _inline_r(line: str, at: SourceLocation) -> list[Problem]:
    """A warning at each inline R expression, `` `r expr` ``: knitr would run it, Lemma runs
    Python; it is shown as code. (knitr runs no other inline code: `` `python x` `` is code.)"""
    return [
        Problem(
            f"inline R code `r {match['code'].strip()}` cannot run: Lemma runs Python; it is "
            "shown as code",
            at,
            hint="compute the value in a python chunk and print it there, or write the value "
            "itself",
            is_warning=True,
        )
        for span in CODE_SPAN.finditer(line)
        if (match := _INLINE_R.match(span[0])) is not None
    ]
