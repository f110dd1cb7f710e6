"""Python-Markdown's md_in_html (MkDocs Material): Markdown inside an HTML block that says so,
rewritten as what Lemma reads; code blocks are left alone, and every line keeps its number.

`<div class="grid cards" markdown>` … `</div>` (also `markdown="1"`, `"block"`, `"span"`), each
tag alone on its line, is a fenced div, `::: {#id .grid .cards}` … `:::`, its Markdown read
(Material's grids and cards are styled by the theme). Material's figure,

    <figure markdown="span">
      ![Alt](x.png)
      <figcaption>Caption</figcaption>
    </figure>

is the image with the caption as its title, which makes it a figure. Another tag with
`markdown` is read as a `<div>`, with a warning at its line; attributes other than `id` and
`class` are left out, with a warning (the pages allow no inline style).
"""

from __future__ import annotations

import re

from lemma.errors import Problem
from lemma.load.code_lines import block_lines
from lemma.load.kramdown import notice_class
from lemma.model import SourceLocation

_OPENING = re.compile(
    r"^(?P<indent>[ \t]*)<(?P<tag>[A-Za-z][\w-]*)"
    r"(?P<attributes>[^<>]*?\bmarkdown\b[^<>]*)>[ \t]*$",
    re.MULTILINE,
)
_ATTRIBUTE = re.compile(r"""(?P<name>[\w:-]+)(?:\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s"'>]+))?""")
_IMAGE = re.compile(r'^(?P<head>[ \t]*!\[[^\]]*\]\([^\s)]+)(?:[ \t]+"[^"]*")?(?P<tail>\).*)$')
_FIGCAPTION = re.compile(r"^[ \t]*<figcaption>(?P<text>.*?)</figcaption>[ \t]*$")


def rewrite_md_in_html(body: str, body_line: int, source_path: str) -> tuple[str, list[Problem]]:
    """`body` with its `markdown` HTML blocks rewritten, and what the author is told."""
    if "markdown" not in body or not _OPENING.search(body):
        return body, []  # most posts: no parse for code lines
    lines = body.split("\n")
    code = block_lines(body)
    problems: list[Problem] = []
    for index, line in enumerate(lines):
        opening = None if index in code else _OPENING.match(line)
        if opening is None:
            continue
        tag = opening["tag"].lower()
        closing = _closing(lines, index, tag, code)
        where = SourceLocation(source_path, body_line + index)
        if closing is None:
            problems.append(
                Problem(
                    f"<{tag} markdown> has no </{tag}> alone on a line of its own: its Markdown "
                    "is shown as written",
                    where,
                    hint=f"put </{tag}> on a line of its own",
                    is_warning=True,
                )
            )
            continue
        if tag == "figure" and _figure(lines, index, closing):
            continue
        attributes = _attributes(opening["attributes"], where, problems)
        if tag != "div":
            problems.append(
                Problem(
                    f"<{tag} markdown> is read as a <div>",
                    where,
                    hint="write <div markdown>, or leave out `markdown` to keep the HTML as is",
                    is_warning=True,
                )
            )
        lines[index] = f"{opening['indent']}::: {{{attributes}}}"
        lines[closing] = f"{opening['indent']}:::"
    return "\n".join(lines), problems


def _closing(lines: list[str], start: int, tag: str, code: set[int]) -> int | None:
    """The line of the tag's closing `</tag>`, alone on its line, nested tags counted."""
    opening = re.compile(rf"<{tag}\b", re.IGNORECASE)
    closing = re.compile(rf"</{tag}\s*>", re.IGNORECASE)
    depth = 0
    for index in range(start + 1, len(lines)):
        if index in code:
            continue
        line = lines[index]
        depth += len(opening.findall(line))
        ends = len(closing.findall(line))
        if ends and depth == 0:
            return index if line.strip().lower().startswith(f"</{tag}") else None
        depth -= ends
    return None


def _attributes(written: str, where: SourceLocation, problems: list[Problem]) -> str:
    kept: list[str] = []
    dropped: list[str] = []
    for match in _ATTRIBUTE.finditer(written):
        name, value = match["name"].lower(), (match["value"] or "").strip("\"'")
        if name == "markdown":
            continue
        if name == "id":
            kept.insert(0, f"#{value}")
        elif name == "class":
            kept.extend(f".{notice_class(word)}" for word in value.split())
        else:
            dropped.append(f"'{name}'")
    if dropped:
        problems.append(
            Problem(
                f"HTML attribute {', '.join(dropped)} is left out",
                where,
                hint="a block keeps only its id and class: the pages allow no inline style",
                is_warning=True,
            )
        )
    return " ".join(kept)


def _figure(lines: list[str], start: int, end: int) -> bool:
    """Material's `<figure markdown>`: an image and its `<figcaption>`, as a captioned image."""
    inside = [i for i in range(start + 1, end) if lines[i].strip()]
    images = [i for i in inside if _IMAGE.match(lines[i])]
    captions = [i for i in inside if _FIGCAPTION.match(lines[i])]
    if len(images) != 1 or len(captions) > 1 or len(inside) != len(images) + len(captions):
        return False
    image = _IMAGE.match(lines[images[0]])
    assert image is not None
    caption = ""
    if captions:
        found = _FIGCAPTION.match(lines[captions[0]])
        caption = found["text"].strip() if found else ""
        lines[captions[0]] = ""
    escaped = caption.replace("\\", "\\\\").replace('"', '\\"')
    title = f' "{escaped}"' if caption else ""
    lines[images[0]] = f"{image['head'].strip()}{title}{image['tail']}"
    lines[start] = lines[end] = ""
    return True
