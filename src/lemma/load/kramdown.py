"""kramdown's attribute lists (`{: .class key="value" }`, Jekyll's Markdown), read as far as
Lemma can; code blocks and inline code are left alone, and every line keeps its number.

A quote followed by a callout class becomes GitHub's alert: Chirpy's `{: .prompt-tip }`
(`.prompt-info`, `.prompt-warning`, `.prompt-danger`) and al-folio's `{: .block-tip }`
(`.block-warning`, `.block-danger`); its marker takes the place of the quote's `##### TIP` line,
or of the blank line before the quote. Chirpy's caption, an italic line under an image alone on
its line, becomes the image's title, which makes it a figure (in any post: it is what such a
line is). Any other list, after a block
(`{: .mt-4 }`, `{: file="a.sh" .nolineno }`) or after a span (`![x](x.png){: width="700" }`),
is removed: its classes and sizes are the old theme's. kramdown's `{:toc}` is left to
`parse.toc_markers`.
"""

from __future__ import annotations

import re

from lemma.load.code_lines import CODE_SPAN, block_lines

_BLOCK_LIST = re.compile(r"^\s*\{:(?P<attributes>[^{}]*)\}\s*$")
_SPAN_LIST = re.compile(r"(?<=\S)\{:[^{}]*\}")
_CALLOUTS = {
    "prompt-tip": "TIP",
    "prompt-info": "NOTE",
    "prompt-warning": "WARNING",
    "prompt-danger": "CAUTION",
    "block-tip": "TIP",
    "block-warning": "WARNING",
    "block-danger": "CAUTION",
}
_QUOTE_HEADING = re.compile(r"^>\s*#{1,6}\s+(?P<title>.*?)\s*#*\s*$")
_LONE_IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<src>[^\s)]+)\)$")
_CAPTIONED = re.compile(r"^!\[.*\n[_*]", re.MULTILINE)  # a cheap first look: no parse
_ITALIC_LINE = re.compile(r"^(?P<mark>[_*])(?P<text>[^_*].*?)(?P=mark)$")


def rewrite_kramdown(body: str) -> str:
    """`body` with its attribute lists read or removed."""
    if "{:" not in body and not _CAPTIONED.search(body):
        return body
    lines = body.split("\n")
    code = block_lines(body)
    for index, line in enumerate(lines):
        if index in code or "{:" not in line:
            continue
        block = _BLOCK_LIST.match(line)
        if block is None:
            lines[index] = _without_span_lists(line)
        elif block.group("attributes").strip() != "toc":
            kind = _callout_kind(block.group("attributes"))
            if kind and index and lines[index - 1].startswith(">"):
                _callout(lines, index, kind)
            else:
                lines[index] = ""
    for index in range(len(lines) - 1):
        if index not in code and index + 1 not in code:
            _captioned(lines, index)
    return "\n".join(lines)


def _callout_kind(attributes: str) -> str | None:
    classes = re.findall(r"\.([\w-]+)", attributes)
    return next((_CALLOUTS[name] for name in classes if name in _CALLOUTS), None)


def _callout(lines: list[str], index: int, kind: str) -> None:
    """The quote that ends above `lines[index]` as a GitHub alert of `kind`."""
    start = index - 1
    while start > 0 and lines[start - 1].startswith(">"):
        start -= 1
    heading = _QUOTE_HEADING.match(lines[start])
    title = heading.group("title").strip().upper() if heading else ""
    if title in (kind, "DANGER" if kind == "CAUTION" else kind, "INFO" if kind == "NOTE" else kind):
        lines[start] = f"> [!{kind}]"  # al-folio's `##### TIP`: the alert's own title
    elif start > 0 and not lines[start - 1].strip():
        lines[start - 1] = f"> [!{kind}]"  # a heading of its own stays, under the marker
    lines[index] = ""  # with no line free for the marker, the quote stays a quote


def _without_span_lists(line: str) -> str:
    spans = [m.span() for m in CODE_SPAN.finditer(line)]
    out: list[str] = []
    position = 0
    for match in _SPAN_LIST.finditer(line):
        if any(start < match.end() and match.start() < end for start, end in spans):
            continue  # inside inline code: as written
        out.append(line[position : match.start()])
        position = match.end()
    out.append(line[position:])
    return "".join(out)


def _captioned(lines: list[str], index: int) -> None:
    """Chirpy's `![alt](x.png)` with `_Caption_` on the next line: a figure with its caption."""
    image = _LONE_IMAGE.match(lines[index].strip())
    caption = _ITALIC_LINE.match(lines[index + 1].strip())
    if image is None or caption is None:
        return
    text = caption.group("text").replace('"', "&quot;")
    lines[index] = f'![{image.group("alt")}]({image.group("src")} "{text}")'
    lines[index + 1] = ""
