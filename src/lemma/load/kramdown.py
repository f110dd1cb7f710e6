"""kramdown's attribute lists (`{: .class key="value" }`, Jekyll's Markdown), read as far as
Lemma can; code blocks and inline code are left alone, and every line keeps its number.

A quote followed by a callout class becomes GitHub's alert: Chirpy's `{: .prompt-tip }`
(`.prompt-info`, `.prompt-warning`, `.prompt-danger`) and al-folio's `{: .block-tip }`
(`.block-warning`, `.block-danger`); its marker takes the place of the quote's `##### TIP` line,
or of the blank line before the quote. So does a paragraph followed by minimal-mistakes'
`{: .notice--info}` (`.notice`, `--warning`, `--success`, `--danger`, ...) or TeXt's
`{:.success}` (`.info`, `.warning`, `.error`), and a paragraph or a
quote after Just the Docs' `{: .note }` (`.warning`, `.important`, `.highlight`, `.new`; with
`-title`, the quote's first line is the title), whose list gives the marker its line.
minimal-mistakes' `<div class="notice--info" markdown="1">` … `</div>` is a callout too: its
class is read here (`notice_class`), its Markdown by `load.md_in_html`.

Chirpy's caption, an italic line under an image alone on its line, becomes the image's title,
which makes it a figure (in any post: it is what such a line is). Any other list, after a block
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
    # minimal-mistakes' notices, after a paragraph
    "notice": "NOTE",
    "notice--primary": "NOTE",
    "notice--info": "NOTE",
    "notice--success": "TIP",
    "notice--warning": "WARNING",
    "notice--danger": "CAUTION",
    # TeXt's alerts, after a paragraph
    "info": "NOTE",
    "success": "TIP",
    "warning": "WARNING",
    "error": "CAUTION",
}
# Just the Docs' callouts, on the line before a paragraph or a quote (`-title`: the quote's first
# line is the title), as the kinds of the callout site config its docs suggest.
_CALLOUTS_BEFORE = {
    "note": "NOTE",
    "highlight": "NOTE",
    "important": "IMPORTANT",
    "new": "TIP",
    "warning": "WARNING",
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
            before = _kind_before(block.group("attributes"))
            follows_block = index > 0 and bool(lines[index - 1].strip())
            if kind and follows_block and lines[index - 1].startswith(">"):
                _callout(lines, index, kind)
            elif kind and follows_block and index - 1 not in code:
                _paragraph_callout(lines, index, kind)
            elif before and not follows_block and _leads_paragraph(lines, index, code):
                _callout_below(lines, index, *before)
            else:
                lines[index] = ""
    for index in range(len(lines) - 1):
        if index not in code and index + 1 not in code:
            _captioned(lines, index)
    return "\n".join(lines)


def _callout_kind(attributes: str) -> str | None:
    classes = re.findall(r"\.([\w-]+)", attributes)
    return next((_CALLOUTS[name] for name in classes if name in _CALLOUTS), None)


def notice_class(word: str) -> str:
    """A class as Lemma reads it: minimal-mistakes' `notice--info` is the callout's
    `callout-note` (`load.md_in_html` reads its `<div class="notice--info" markdown="1">`)."""
    kind = _CALLOUTS.get(word) if word.startswith("notice") else None
    return f"callout-{kind.lower()}" if kind else word


def _kind_before(attributes: str) -> tuple[str, bool] | None:
    """Just the Docs' kind of callout, and whether its quote's first line is its title."""
    for name in re.findall(r"\.([\w-]+)", attributes):
        titled = name.endswith("-title")
        kind = _CALLOUTS_BEFORE.get(name.removesuffix("-title"))
        if kind:
            return kind, titled
    return None


def _leads_paragraph(lines: list[str], index: int, code: set[int]) -> bool:
    following = index + 1
    return (
        following < len(lines)
        and following not in code
        and bool(lines[following].strip())
        and not lines[following].lstrip().startswith(("#", "{:", "|"))
    )


def _paragraph_callout(lines: list[str], index: int, kind: str) -> None:
    """minimal-mistakes' `{: .notice--info}` under a paragraph: the paragraph as a GitHub alert
    of `kind`, its marker on the blank line above (without one, the paragraph stays as it is)."""
    start = index - 1
    while start > 0 and lines[start - 1].strip():
        start -= 1
    lines[index] = ""
    if start == 0:
        return
    lines[start - 1] = f"> [!{kind}]"
    for line_index in range(start, index):
        lines[line_index] = f"> {lines[line_index]}"


def _callout_below(lines: list[str], index: int, kind: str, titled: bool) -> None:
    """Just the Docs' `{: .note }` over a paragraph or a quote: a GitHub alert of `kind`, its
    marker in the list's place; `{: .note-title }` over a quote takes its first line as title."""
    following = index + 1
    if lines[following].startswith(">"):
        if titled:
            title = lines[following].removeprefix(">").strip()
            lines[index], lines[following] = "", f"> [!{kind}] {title}"
        else:
            lines[index] = f"> [!{kind}]"
        return
    lines[index] = f"> [!{kind}]"
    while following < len(lines) and lines[following].strip():
        lines[following] = f"> {lines[following]}"
        following += 1


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
