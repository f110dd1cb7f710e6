"""Obsidian's Markdown in a post's prose, rewritten as the Markdown Lemma reads; code blocks and
inline code are left alone, and every line keeps its number.

`[[Other post]]`, `[[Other post|text]]` and `[[Other post#Heading]]` link to the post of that
file name, resolved as Hugo's `ref` is (`render.post_names`: beside the post, in posts/, then a
post of that name anywhere), its heading by the id Lemma gives it, `[[Other post#^id]]` its
block, whose `^id` (`text ^id`, or a line of its own after a list) is hidden and is its anchor;
`[[#Heading]]` is a heading of the post itself. `![[image.png]]` is the image
(`![[image.png|alt]]` its alt text; a size, `|300`, is a warning: the pages allow no inline
style), and `[[data.csv]]` a link to the file, both found in the vault as Obsidian finds them
(`load.obsidian_vault`; a missing or ambiguous one is an error at its line, marked in place);
`![[Other post]]`, `![[Other post#Heading]]` and `![[Other post#^id]]` alone on a line show the
note's text, that section or that block (`load.obsidian_embeds`); elsewhere they are links,
with a warning. `%%comments%%` (on one line or on many) are left out, as Obsidian's reading view
leaves them. Callouts, `> [!tip]- Title`, are read with GitHub's alerts (`parse.blocks`), and
`==text==` highlights with pymdownx's marks (`parse.marks`).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from functools import partial

from lemma.errors import Problem
from lemma.load.code_lines import CODE_SPAN, block_lines
from lemma.load.obsidian_embeds import BLOCK_ID, embed_inputs, embedded_note
from lemma.load.obsidian_vault import Vault
from lemma.model import POST_SUFFIXES, SourceLocation
from lemma.slugs import slugify

_MARKERS = ("[[", "%%")
_WIKILINK = re.compile(
    r"(?P<embed>!?)\[\[(?P<target>[^\[\]|#^]*)(?:#(?P<heading>[^\[\]|]*))?"
    r"(?:\|(?P<text>[^\[\]]*))?\]\]"
)
_COMMENT = "%%"
# Inline code and inline math, which show Obsidian's marks as written (`$[[x > 0]]$`, Iverson's).
_VERBATIM = re.compile(rf"{CODE_SPAN.pattern}|(?<![\\$])\$(?!\s)[^$\n]+?(?<!\s)\$(?!\$)")
_TOC = "[[_TOC_]]"  # GitLab's contents marker, read by parse.toc_markers
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif")
_SIZE = re.compile(r"^\d+(?:x\d+)?$")  # Obsidian's `|300` or `|300x200`


def rewrite_obsidian(
    body: str,
    body_line: int,
    source_path: str,
    vault: Vault | None = None,
    shown_in: str | None = None,
) -> tuple[str, list[Problem]]:
    """`body` with Obsidian's links, embeds and comments in Lemma's Markdown, and a
    warning for each thing of them Lemma cannot show; the files and notes they name are found
    in `vault` (without one, files beside the post, and notes embedded as links). `shown_in` is
    the post that shows a note embedded in it: its files are linked from there."""
    if not any(marker in body for marker in _MARKERS) and not BLOCK_ID.search(body):
        return body, []
    lines = body.split("\n")
    code = block_lines(body, ("fence", "code_block", "math_block", "math_block_label", "amsmath"))
    problems: list[Problem] = []
    in_comment = False
    for index, line in enumerate(lines):
        if index in code:
            continue
        where = SourceLocation(source_path, body_line + index)
        line, in_comment = _without_comments(line, in_comment)
        line, anchor = _without_block_id(line, lines[index + 1 : index + 2])
        embedded = None
        if vault is not None and shown_in is None and "![[" in line:
            embedded = embedded_note(line, source_path, vault, partial(_shown, vault=vault))
        rewrite = partial(_rewrite, where=where, problems=problems, vault=vault, shown_in=shown_in)
        anchor = "" if shown_in else anchor  # the note's own page has it: ids are unique
        lines[index] = embedded or _outside_verbatim(line, rewrite) + anchor
    return "\n".join(lines), problems


def _shown(text: str, note: str, post: str, vault: Vault) -> str:
    """The text of the note at `note` as the post at `post` shows it, embedded."""
    return rewrite_obsidian(text, 1, note, vault, shown_in=post)[0]


def _without_block_id(line: str, after: list[str]) -> tuple[str, str]:
    """The line without its block identifier (Obsidian's reading view hides it), and the anchor
    that stands for it: a span at the end of the block's text, or a line of its own (a div, when
    a blank line follows it, so that it takes no text of the next block into raw HTML)."""
    found = BLOCK_ID.search(line)
    if found is None or _VERBATIM.search(line[found.start() :]) is not None:
        return line, ""
    text = line[: found.start()].rstrip()
    if text.strip():
        return text, f' <span id="^{found["id"]}"></span>'
    if not after or not after[0].strip():
        return "", f'<div id="^{found["id"]}"></div>'
    return "", ""


def vault_inputs(data: bytes, source_path: str, vault: Vault) -> list[object]:
    """Where each file the post's `[[links]]` and `![[embeds]]` name was found (for the key of
    its memo: a file moved, added or removed in the vault is a new key)."""
    if b"[[" not in data:
        return []
    found: list[object] = []
    for match in _WIKILINK.finditer(data.decode("utf-8", "replace")):
        suffix = posixpath.splitext(_target(match))[1].lower()
        if suffix and suffix not in POST_SUFFIXES:
            found.append(vault.find(_target(match), source_path))
        elif match["embed"]:
            found.append(embed_inputs(match["target"], source_path, vault))
    return found


def _target(match: re.Match[str]) -> str:
    """The note or file a wikilink names; in a table, Obsidian writes `[[x.png\\|300]]`."""
    return match["target"].strip().removesuffix("\\")


def _without_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """The line without its `%%comments%%`, and whether a comment is still open after it."""
    if _COMMENT not in line and not in_comment:
        return line, False
    kept: list[str] = []
    position = 0
    spans = [m.span() for m in CODE_SPAN.finditer(line)]
    while position <= len(line):
        found = line.find(_COMMENT, position)
        while found >= 0 and any(start <= found < end for start, end in spans):
            found = line.find(_COMMENT, found + 2)  # `%%` inside inline code stays
        if found < 0:
            if not in_comment:
                kept.append(line[position:])
            break
        if not in_comment:
            kept.append(line[position:found])
        in_comment = not in_comment
        position = found + len(_COMMENT)
    text = "".join(kept)
    return (text.rstrip() if text.strip() else ""), in_comment


def _outside_verbatim(line: str, rewrite: Callable[[str], str]) -> str:
    out: list[str] = []
    position = 0
    for span in _VERBATIM.finditer(line):
        out.append(rewrite(line[position : span.start()]))
        out.append(span.group(0))
        position = span.end()
    out.append(rewrite(line[position:]))
    return "".join(out)


def _rewrite(
    text: str,
    where: SourceLocation,
    problems: list[Problem],
    vault: Vault | None,
    shown_in: str | None,
) -> str:
    return _WIKILINK.sub(lambda m: _link(m, where, problems, vault, shown_in), text)


def _link(
    match: re.Match[str],
    where: SourceLocation,
    problems: list[Problem],
    vault: Vault | None,
    shown_in: str | None,
) -> str:
    target = _target(match)
    heading = (match["heading"] or "").strip().removesuffix("\\")  # `\|` in a table
    text = (match["text"] or "").strip().replace("\\|", "|")
    if heading.startswith("^"):  # a block reference, `[[Note#^a1b2c3]]`: its anchor
        fragment = f"#{heading}"
    else:
        fragment = f"#{slugify(heading)}" if heading else ""
    suffix = posixpath.splitext(target)[1].lower()
    written = match.group(0)
    if written == _TOC:
        return written
    is_image = bool(match["embed"]) and suffix in _IMAGE_SUFFIXES
    href = target  # a file's, as found in the vault
    if target and suffix and suffix not in POST_SUFFIXES and vault is not None:
        found = vault.find(target, where.path)
        problem = found.problem(written, where, "image" if is_image else "file")
        if problem is not None:
            problems.append(problem)
            return _marked(problem, is_image, text or posixpath.basename(target))
        href = posixpath.relpath(str(found.path), posixpath.dirname(shown_in or where.path))
    if is_image:
        alt, _, size = text.rpartition("|")  # `|300`, `|A plot|300`
        if _SIZE.match(size):
            problems.append(
                Problem(
                    f"the size in Obsidian's '{written}' is not kept: the pages allow no inline "
                    "style",
                    where,
                    hint=f"write ![[{target}{'|' + alt if alt else ''}]]; the image is as wide "
                    "as the column at most",
                    is_warning=True,
                )
            )
            text = alt
        return f"![{_escaped(text or posixpath.basename(target))}](<{href}>)"
    shown = _escaped(text or (f"{target} > {heading}" if target and heading else target or heading))
    if not target:
        return f"[{shown}]({fragment or '#'})"
    if suffix and suffix not in POST_SUFFIXES:
        link = f"[{shown}](<{href}>)"  # a file of the vault: a PDF, a data file
    else:
        link = f"[{shown}](<{{wikilink}}{target}{fragment}>)"
    if match["embed"]:
        problems.append(
            Problem(
                f"Obsidian's embed '{written}' shows no text here: it is a link",
                where,
                hint="a note's text, or a heading's section, is shown when the embed is alone on "
                f"its line and names a note and a heading it has; write [[{target}]] for a link",
                is_warning=True,
            )
        )
    return link


def _marked(problem: Problem, is_image: bool, text: str) -> str:
    """What stands where a file is missing: its problem, marked as render marks a missing
    image (`render.media`) or a broken link's `text` (`render.links`)."""
    message = _as_html(problem.message)
    if is_image:
        return f'<span class="missing-media" title="{message}">[{message}]</span>'
    return f'<a class="broken-link" title="{message}">{_as_html(text)}</a>'


def _as_html(text: str) -> str:
    """`text` escaped for HTML, with the marks Markdown would read in it as entities."""
    return "".join(f"&#{ord(c)};" if c in "[]*_`$\\<>&\"'" else c for c in text)


def _escaped(text: str) -> str:
    return re.sub(r"([\[\]])", r"\\\1", text)
