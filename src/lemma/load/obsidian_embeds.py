"""Obsidian's embedded notes: `![[Other note]]` and `![[Other note#Heading]]`, alone on a line,
show the note's text (without its front matter), or that heading's section (the heading and
what follows it up to the next heading of its level or above), in the embed's place;
`![[Other note#^my-id]]` the block of that identifier.

The note is found in the vault as Obsidian finds it (`load.obsidian_vault`), and its text keeps
the one line of the embed (`parse.includes` parses it there), so that every later line keeps
its number. Its own links and pictures are read as in the note (`load.obsidian`: files found
from the note's folder, linked from the post's); the notes it embeds in turn stay links. A note
that is not found, the post itself, or a heading the note does not have leave the embed a link,
with a warning.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from lemma.errors import LemmaError
from lemma.front_matter import split_header
from lemma.load.includes import included_text_line
from lemma.load.obsidian_vault import Found, Vault
from lemma.model import POST_SUFFIXES, SourceLocation
from lemma.reuse.memo import content_digest
from lemma.slugs import slugify

# `![[Note]]`, `![[Note#Heading]]`, `![[Note|alias]]`: the whole line.
EMBED_LINE = re.compile(
    r"^\s*!\[\[(?P<target>[^\[\]|#^]+)(?:#(?P<heading>[^\[\]|]+))?(?:\|[^\[\]]*)?\]\]\s*$"
)
# A block's identifier, `text ^my-id` at the end of its last line, or alone on the line after a
# list, a quote or a table: the target of `[[Note#^my-id]]` and `![[Note#^my-id]]`.
BLOCK_ID = re.compile(r"(?:(?<=\s)|^)\^(?P<id>[A-Za-z0-9-]+)[ \t]*$", re.MULTILINE)
_HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<text>.*?)(?:\s+#+)?\s*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
# Rewrites a note's Obsidian Markdown: (text, the note's path, the post it is shown in).
Rewrite = Callable[[str, str, str], str]


def note_link(target: str) -> str | None:
    """The file name a note embed names (`Note` is `Note.md`); None for an embedded file."""
    suffix = posixpath.splitext(target)[1].lower()
    if suffix in POST_SUFFIXES:
        return target
    return None if suffix else f"{target}.md"


def embedded_note(line: str, post: str, vault: Vault, rewrite: Rewrite) -> str | None:
    """The line that stands for the note `line` embeds, seen from the post at `post`; None
    when the line is no note embed, or the note or its heading is not found."""
    match = EMBED_LINE.match(line)
    if match is None or (link := note_link(match["target"].strip())) is None:
        return None
    found = vault.find(link, post)
    if found.path is None or found.path == post:
        return None
    try:
        text = (vault.root / found.path).read_bytes().decode("utf-8").replace("\r\n", "\n")
        body = split_header(text, SourceLocation(found.path)).body
    except (OSError, UnicodeDecodeError, LemmaError):
        return None
    heading = (match["heading"] or "").strip()
    if heading.startswith("^"):
        section = _block(body, heading[1:])
    else:
        section = _section(body, heading) if heading else body
    if section is None:
        return None
    shown = rewrite(section, found.path, post)
    indent = line[: len(line) - len(line.lstrip())]
    return indent + included_text_line(found.path, shown, SourceLocation(post), []).line


def embed_inputs(target: str, post: str, vault: Vault) -> tuple[Found, str] | None:
    """Where the note an embed names is, and a digest of its bytes (for the key of the post's
    memo: an edit of the embedded note shows in the post); None for an embedded file."""
    link = note_link(target.strip())
    if link is None:
        return None
    found = vault.find(link, post)
    try:
        data = (vault.root / found.path).read_bytes() if found.path is not None else b""
    except OSError:
        data = b"\0unreadable"
    return found, content_digest(data)


def _block(body: str, identifier: str) -> str | None:
    """The block whose identifier that is: the lines up to it since the last blank line, or the
    block before it when it stands alone on its line; None when the body has none."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        found = BLOCK_ID.search(line)
        if found is None or found["id"] != identifier:
            continue
        end = index if line[: found.start()].strip() else index - 1
        while end >= 0 and not lines[end].strip():
            end -= 1
        start = end
        while start > 0 and lines[start - 1].strip():
            start -= 1
        return "\n".join(lines[start : end + 1]) if end >= 0 else None
    return None


def _section(body: str, heading: str) -> str | None:
    """The heading of that text and what follows it, up to the next heading of its level or
    above; None when the body has no such heading."""
    lines = body.split("\n")
    wanted = slugify(heading)
    start: int | None = None
    level = 0
    fence = ""
    for index, line in enumerate(lines):
        opened = _FENCE.match(line)
        if opened and (not fence or opened.group(1).startswith(fence)):
            fence = "" if fence else opened.group(1)
            continue
        found = None if fence else _HEADING.match(line)
        if found is None:
            continue
        if start is None and slugify(found["text"]) == wanted:
            start, level = index, len(found["level"])
        elif start is not None and len(found["level"]) <= level:
            return "\n".join(lines[start:index]).rstrip()
    return "\n".join(lines[start:]).rstrip() if start is not None else None
