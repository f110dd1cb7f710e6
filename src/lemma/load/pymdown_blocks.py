"""pymdownx.blocks' generic blocks (MkDocs Material's newer syntax), rewritten as the spellings of
the same things Lemma reads; code blocks are left alone, and every line keeps its number.

    /// note | Title                    !!! note "Title"
    ...                                     ...           (the body indented 4 spaces)
    ///

`/// admonition | Title` (its `type:`), and every admonition type (`/// tip`, `/// warning`,
...) are callouts; `/// details | Summary` (`type:`, `open: True`) a collapsible callout;
`/// tab | Label` (`new: true`, `select: true`) a tab, consecutive tabs one set; `/// html |
div.name#id` a fenced div (`::: {.name #id}`); `/// caption` (`figure-caption`,
`table-caption`) after an image alone on its line, the image's title, which makes it a figure,
and after a table, pandoc's `: Caption` line; `/// define` a definition list. The options
are the YAML lines indented 4 spaces right under the opening line. Nesting takes more
slashes (`////` around a `///` block). What cannot be read so (a caption after anything
else, an unknown block) keeps its body, with a warning at its line.
"""

from __future__ import annotations

import re

from lemma.errors import Problem
from lemma.load.code_lines import block_lines
from lemma.model import SourceLocation

_OPENING = re.compile(
    r"^(?P<indent>[ \t]*)(?P<slashes>/{3,})[ \t]*(?P<name>[A-Za-z][\w-]*)[ \t]*"
    r"(?:\|[ \t]*(?P<argument>.*?))?[ \t]*$",
    re.MULTILINE,
)
_OPTION = re.compile(r"^[ \t]+(?P<key>[A-Za-z_]\w*)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$")
_IMAGE = re.compile(r'^(?P<head>[ \t]*!\[[^\]]*\]\([^\s)]+)(?:[ \t]+"[^"]*")?(?P<tail>\).*)$')
_CAPTIONS = ("caption", "figure-caption", "table-caption")
_TRUE = ("true", "yes", "on", "1")
_READ_OPTIONS = {"tab": ("new", "select"), "html": (), "define": ()}
# pymdownx.blocks.admonition's types and Material's, each its own block name.
_ADMONITION_TYPES = (
    *("note", "attention", "caution", "danger", "error", "tip", "hint", "warning", "important"),
    *("abstract", "summary", "tldr", "info", "todo", "success", "check", "done", "question"),
    *("help", "faq", "failure", "fail", "missing", "bug", "example", "quote", "cite", "seealso"),
)


def rewrite_blocks(body: str, body_line: int, source_path: str) -> tuple[str, list[Problem]]:
    """`body` with its `///` blocks written as Lemma reads them, and what the author is told."""
    if "///" not in body or not _OPENING.search(body):
        return body, []  # most posts: no parse for code lines
    rewriter = _Rewriter(body.split("\n"), body_line, source_path)
    lines = rewriter.rewrite(0, len(rewriter.lines))
    return "\n".join(lines), rewriter.problems


class _Rewriter:
    def __init__(self, lines: list[str], body_line: int, source_path: str) -> None:
        self.lines = lines
        self.body_line = body_line
        self.source_path = source_path
        self.code = block_lines("\n".join(lines))
        self.problems: list[Problem] = []

    def at(self, index: int) -> SourceLocation:
        return SourceLocation(self.source_path, self.body_line + index)

    def rewrite(self, start: int, end: int) -> list[str]:
        """Lines start..end, their blocks rewritten."""
        out: list[str] = []
        index = start
        while index < end:
            opening = None if index in self.code else _OPENING.match(self.lines[index])
            closing = self._closing(index, end, opening) if opening else None
            if opening is None or closing is None:
                out.append(self.lines[index])
                index += 1
                continue
            options, body_start = self._options(index + 1, closing)
            inner = self.rewrite(body_start, closing)
            out.extend(self._block(opening, options, inner, index, body_start, out))
            index = closing + 1
        return out

    def _closing(self, index: int, end: int, opening: re.Match[str]) -> int | None:
        fence = opening["indent"] + opening["slashes"]
        depth = 0
        for candidate in range(index + 1, end):
            line = self.lines[candidate]
            if candidate in self.code:
                continue
            inner = _OPENING.match(line)
            if inner is not None and inner["slashes"] == opening["slashes"]:
                depth += 1  # a block of the same slashes, nested: pymdownx allows it
            elif line.rstrip() == fence:
                if depth == 0:
                    return candidate
                depth -= 1
        return None

    def _options(self, start: int, closing: int) -> tuple[dict[str, str], int]:
        options: dict[str, str] = {}
        index = start
        while index < closing and (option := _OPTION.match(self.lines[index])) is not None:
            options[option["key"].lower()] = option["value"].strip("\"'")
            index += 1
        return options, index

    def _block(
        self,
        opening: re.Match[str],
        options: dict[str, str],
        inner: list[str],
        index: int,
        body_start: int,
        before: list[str],
    ) -> list[str]:
        """The lines of one block, from its opening line to its closing one."""
        name = opening["name"].lower()
        argument = (opening["argument"] or "").strip()
        indent = opening["indent"]
        blanks = [""] * (body_start - index - 1)  # the options' lines
        read = _READ_OPTIONS.get(name, ("type", "open") if name == "details" else ("type",))
        for key in sorted(set(options) - set(read)):
            self._warn(
                index,
                f"/// {name}: option '{key}' is not read",
                f"it reads {', '.join(read)}" if read else f"/// {name} takes no options",
            )
        body = ["    " + line if line.strip() else "" for line in inner]
        if name == "tab":
            marker = "===" + ("!" if options.get("new", "").lower() in _TRUE else "")
            marker += "+" if options.get("select", "").lower() in _TRUE else ""
            return [f'{indent}{marker} "{_quoted(argument)}"', *blanks, *body, ""]
        if name == "html":
            return self._html(opening, inner, index, blanks)
        if name in _CAPTIONS:
            caption = self._caption(inner, before, indent)
            if caption is not None:
                return [caption, *blanks, *([""] * len(inner)), ""]
            return self._unknown(opening, inner, index, blanks)
        if name == "define":  # terms, then each definition a list item
            defined = [re.sub(r"^[-*+][ \t]+", ":   ", line) for line in inner]
            return ["", *blanks, *(d if d.startswith(":") else _under(d) for d in defined), ""]
        if name not in ("details", "admonition", *_ADMONITION_TYPES):
            return self._unknown(opening, inner, index, blanks)
        kind = options.get("type", "" if name in ("details", "admonition") else name)
        title = f' "{_quoted(argument)}"' if argument else ""
        if name == "details":
            marker = "???+" if options.get("open", "").lower() in _TRUE else "???"
            head = f"{marker} {kind or ('' if title else 'note')}".rstrip() + title
        else:
            head = f"!!! {kind or 'note'}{title}"
        return [indent + head, *blanks, *body, ""]

    def _html(
        self, opening: re.Match[str], inner: list[str], index: int, blanks: list[str]
    ) -> list[str]:
        argument = (opening["argument"] or "").strip()
        tag = re.split(r"[.#\s]", argument, maxsplit=1)[0] or "div"
        classes = re.findall(r"\.([\w-]+)", argument)
        ids = re.findall(r"#([\w-]+)", argument)
        if tag != "div":
            self._warn(
                index,
                f"/// html | {argument}: a <{tag}> is written as a <div>",
                "write /// html | div.name, or the HTML itself",
            )
        attributes = " ".join([*(f"#{i}" for i in ids), *(f".{c}" for c in classes)])
        fence = ":" * (len(opening["slashes"]) + 1)  # a div nested in it has fewer colons
        indent = opening["indent"]
        return [f"{indent}{fence} {{{attributes}}}", *blanks, *inner, indent + fence]

    def _caption(self, inner: list[str], before: list[str], indent: str) -> str | None:
        """Give the image above its caption its title, or the table its caption line (the
        line returned); None when there is neither."""
        caption = " ".join(line.strip() for line in inner if line.strip())
        above = len(before) - 1
        while above >= 0 and not before[above].strip():
            above -= 1
        if above < 0 or not caption:
            return None
        image = _IMAGE.match(before[above])
        if image is not None:
            escaped = caption.replace("\\", "\\\\").replace('"', '\\"')
            before[above] = f'{image["head"]} "{escaped}"{image["tail"]}'
            return ""
        if before[above].lstrip().startswith("|"):
            return f"{indent}: {caption}"  # pandoc's table caption
        return None

    def _unknown(
        self, opening: re.Match[str], inner: list[str], index: int, blanks: list[str]
    ) -> list[str]:
        name = opening["name"]
        self._warn(
            index,
            f"pymdownx's '/// {name}' block is not one Lemma reads; its body is shown as it is",
            "Lemma reads /// note (and the other admonitions), /// details, /// tab, "
            "/// html, /// define and /// caption under an image or a table",
        )
        indent = opening["indent"]
        return ["", *blanks, *[indent + line if line.strip() else "" for line in inner], ""]

    def _warn(self, index: int, message: str, hint: str) -> None:
        self.problems.append(Problem(message, self.at(index), hint=hint, is_warning=True))


def _under(line: str) -> str:
    """A line of a definition's list item, under its `:` marker."""
    return "  " + line if line.startswith("  ") else line


def _quoted(title: str) -> str:
    return title.replace('"', "&quot;")
