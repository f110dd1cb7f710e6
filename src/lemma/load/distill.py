"""Distill's elements (al-folio's `layout: distill` posts), rewritten as the Markdown Lemma
reads; code blocks and inline code are left alone, and every line keeps its number.

`<d-cite key="a,b"></d-cite>` becomes the citation `[@a; @b]`, `<d-footnote>…</d-footnote>` a
footnote, `<d-math>…</d-math>` math (`block`: display math), and `<d-code block
language="js">` … `</d-code>` on lines of their own a code block that is shown.
"""

from __future__ import annotations

import re

from lemma.load.code_lines import CODE_SPAN, block_lines

_CITE = re.compile(r'<d-cite\s+key\s*=\s*"(?P<keys>[^"]*)"\s*>\s*</d-cite>')
_FOOTNOTE = re.compile(r"<d-footnote>(?P<text>.*?)</d-footnote>", re.DOTALL)
_MATH = re.compile(r"<d-math(?P<block>\s+block)?\s*>(?P<tex>.*?)</d-math>", re.DOTALL)
_CODE_OPEN = re.compile(r"^\s*<d-code\b(?P<attributes>[^>]*)>\s*$")
_LANGUAGE = re.compile(r'language\s*=\s*"(?P<language>[\w+-]*)"')
_CODE_CLOSE = re.compile(r"^\s*</d-code>\s*$")


def rewrite_distill(body: str) -> str:
    """`body` with Distill's elements in Lemma's Markdown."""
    if "<d-" not in body:
        return body
    lines = body.split("\n")
    code = block_lines(body)
    in_code_element = False
    for index, line in enumerate(lines):
        if index in code:
            continue
        if in_code_element or _CODE_OPEN.match(line):
            lines[index], in_code_element = _code_element(line, in_code_element)
    text = "\n".join(lines)
    if "<d-" not in text:
        return text
    return _inline_elements(text, block_lines(text))  # fences now too


def _code_element(line: str, inside: bool) -> tuple[str, bool]:
    """A line of a `<d-code>` element: its tags become a fence, its code stays as written."""
    if not inside:
        opening = _CODE_OPEN.match(line)
        named = _LANGUAGE.search(opening.group("attributes")) if opening else None
        language = named.group("language") if named else ""
        return f"~~~{language}", True
    if _CODE_CLOSE.match(line):
        return "~~~", False
    return line, True


def _inline_elements(text: str, code: set[int]) -> str:
    """Citations, footnotes and math elements outside code blocks and inline code; footnotes
    and math may span lines, and keep their newlines."""
    masked = _masked(text, code)
    for pattern, replace in ((_CITE, _cite), (_FOOTNOTE, _footnote), (_MATH, _math)):
        out: list[str] = []
        position = 0
        for match in pattern.finditer(masked):
            out += [text[position : match.start()], replace(text[match.start() : match.end()])]
            position = match.end()
        out.append(text[position:])
        text = "".join(out)
        masked = _masked(text, code)
    return text


def _masked(text: str, code: set[int]) -> str:
    """`text` with code blocks and inline code blanked out, every character in its place."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if number in code:
            lines[number] = "\0" * len(line)
            continue
        for match in CODE_SPAN.finditer(line):
            start, end = match.span()
            line = line[:start] + "\0" * (end - start) + line[end:]
        lines[number] = line
    return "\n".join(lines)


def _cite(element: str) -> str:
    match = _CITE.fullmatch(element)
    keys = [key.strip() for key in match.group("keys").split(",") if key.strip()] if match else []
    return "[" + "; ".join(f"@{key}" for key in keys) + "]" if keys else ""


def _footnote(element: str) -> str:
    match = _FOOTNOTE.fullmatch(element)
    return f"^[{match.group('text').strip()}]" if match else element


def _math(element: str) -> str:
    match = _MATH.fullmatch(element)
    if match is None:
        return element
    edge = "$$" if match.group("block") else "$"
    return f"{edge}{match.group('tex')}{edge}"
