"""Hugo themes' shortcodes and Jekyll themes' includes, as the callouts, tabs, figures and
players Lemma already has (`load.shortcodes` calls these as it meets the tags; every line keeps
its number).

Each block shortcode's opening and closing tags, each a line of its own, become the opening and
closing lines of a div: callouts (Hugo Blox's `callout` and `spoiler`, Hextra's
`callout type=`, Blowfish's and Congo's `alert`, Docsy's `alert color=`, LoveIt's, FixIt's and
DoIt's `admonition`, hugo-book's `hint` and `expand`, Hugo's own `details` and hugo-book's and
Hextra's), tabs (Hextra's `tabs items=` of `tab`s, hugo-book's `tabs` of `tab "Label"`, Docsy's
`tabpane` of `tab header=`, Blowfish's `tab label=`) as sphinx-design's tab-set of tab-items,
and plain divs for the layout ones (Blowfish's `lead`, Hextra's `steps` and `cards`,
hugo-book's `columns`, its `<--->` between columns). A block opened and closed on one line, as
Hextra's docs write tabs (`{{< tab >}}Text{{< /tab >}}`), is read as if each tag had a line of
its own, and kept on its line (`theme_block`), as is Hextra's file tree, a nested list.
Blowfish's and Hextra's `badge` is its text, a `button` a link. What Lemma cannot honour
(`mermaid`, `qr`, LoveIt's `style`, Hextra's `icon`) is a warning at its line saying what to
write instead.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lemma.errors import Problem
from lemma.load.code_lines import CODE_SPAN
from lemma.load.embeds import player
from lemma.load.includes import included_text_line
from lemma.model import SourceLocation
from lemma.parse.blocks import CALLOUT_KINDS, OBSIDIAN_KINDS

# Block shortcodes whose tags, on lines of their own, open and close a div.
_CALLOUTS = ("callout", "alert", "admonition", "hint", "notice", "details", "spoiler", "expand")
_LAYOUTS = ("lead", "steps", "cards", "columns")
_TABS = ("tabs", "tabpane", "tab")
THEME_BLOCKS = (*_CALLOUTS, *_LAYOUTS, *_TABS, "style", "card")
# Words themes give a callout's kind, as Lemma's kinds: Docsy's colours, Hextra's `error`,
# LoveIt's twelve types (MkDocs Material's, as Obsidian's are).
_KIND_WORDS = {
    **OBSIDIAN_KINDS,
    "primary": "note",
    "secondary": "note",
    "default": "note",
    "success": "tip",
    "danger": "caution",
    "error": "caution",
}
# Blowfish's `youtubeLite`: YouTube's player, as Hugo's `youtube` is.
_PLAYERS = {"youtubeLite": "youtube"}
COLUMN_BREAK = "<--->"  # hugo-book: the line between two columns
# Hextra's file tree: its container's opening tag, and each of its tags.
_FILE_TREE = re.compile(r"\{\{<\s*filetree/container\s*>\}\}")
_FILE_TREE_TAG = re.compile(
    r"\{\{<\s*(?P<close>/?)\s*filetree/(?P<kind>container|folder|file)(?P<args>\s.*?)?\s*/?>\}\}"
)
# A Hugo shortcode's tag: `{{< tab >}}`, `{{% /tab %}}`, `{{< tabs items="A,B" >}}`.
_HUGO_TAG = re.compile(r"\{\{[<%]\s*(?P<close>/?)\s*(?P<name>[\w.-]+)(?:\s.*?)?\s*/?[>%]\}\}")


@dataclass(slots=True)
class ThemeBlocks:
    """The theme shortcodes open in one post: the labels of Hextra's tabs still to give."""

    tab_labels: list[list[str]] = field(default_factory=list)
    columns: int = 0  # hugo-book's columns open around this line
    problems: list[Problem] = field(default_factory=list)

    def line(self, name: str, args: str, written: str, at: SourceLocation) -> str | None:
        """The line that replaces a theme's tag written on a line of its own, None when `name`
        is no theme's block shortcode."""
        if name.startswith("/"):
            return self._closing(name[1:])
        words = arguments(args)
        if written.rstrip("}").rstrip("%>").rstrip().endswith("/"):
            return "" if name == "tab" else None  # Docsy's `{{% tab header="**Lang**:" /%}}`
        if name in _CALLOUTS:
            return _callout(name, words)
        if name in _LAYOUTS:
            self.columns += name == "columns"
            return f"::: {{.{name}}}"
        if name in ("tabs", "tabpane"):
            items = words.get("items", "")
            self.tab_labels.append([i.strip() for i in items.split(",")] if items else [])
            return ":::{tab-set}"
        if name == "tab":
            return self._tab(words, written, at)
        if name == "card":
            title = words.get("title", "") or words.get("link", "")
            subtitle = f" — {words['subtitle']}" if words.get("subtitle") else ""
            return f"- [{title}]({words.get('link', '')}){subtitle}" if title else ""
        if name == "style":
            what = f"LoveIt's '{written}' is not applied: the pages allow no inline style"
            hint = "style the text in your own templates' CSS, or leave it as it is"
            self.problems.append(Problem(what, at, hint=hint, is_warning=True))
            return ""
        return None

    def inline(self, name: str, args: str, own_line: bool, at: SourceLocation) -> str | None:
        """What a theme's shortcode that stands for an image, a link, a player, a badge or an
        icon becomes (`theme_inline`); None for another shortcode. Hextra's icons are left out,
        with a warning: the pages load no icon set."""
        if name == "icon":
            words = arguments(args)
            icon = words.get("name") or words.get("0", "")
            what = f"Hextra's icon '{icon}' is not drawn: the pages load no icon set; left out"
            hint = f"show the icon as an SVG file beside the post, ![]({icon or 'icon'}.svg)"
            self.problems.append(Problem(what, at, hint=hint, is_warning=True))
            return ""
        return theme_inline(name, args, own_line)

    def _closing(self, name: str) -> str | None:
        if name in ("tabs", "tabpane"):
            if self.tab_labels:
                self.tab_labels.pop()
            return ":::"
        if name in ("style", "card"):
            return ""
        if name == "columns" and self.columns:
            self.columns -= 1
        return ":::" if name in (*_CALLOUTS, *_LAYOUTS, "tab") else None

    def _tab(self, words: dict[str, str], written: str, at: SourceLocation) -> str:
        labels = self.tab_labels[-1] if self.tab_labels else []
        given = words.get("name") or words.get("label") or words.get("header") or words.get("0")
        label = given or (labels.pop(0) if labels else "") or "Tab"
        if given and labels:
            labels.pop(0)
        if words.get("lang"):
            what = f"Docsy's '{written}': its code is shown as Markdown, not highlighted"
            hint = f"write it inside the tab as a fenced block, ```{words['lang']} … ```"
            self.problems.append(Problem(what, at, hint=hint, is_warning=True))
        return f":::{{tab-item}} {label}"


def theme_block(
    lines: list[str], index: int, rewrite: Callable[[str, int], str], source_path: str
) -> list[str] | None:
    """The lines that replace a theme's block from `lines[index]` on, None when none starts
    there: a block opened and closed on one line, or Hextra's file tree."""
    tree = _file_tree(lines, index, source_path)
    if tree is not None:
        return tree
    one_line = _one_line_block(lines[index], index, rewrite)
    return None if one_line is None else [_in_place(one_line, lines[index], source_path)]


def _one_line_block(line: str, index: int, rewrite: Callable[[str, int], str]) -> str | None:
    """A line that opens and closes a theme's block shortcode, as Hextra's docs write tabs
    (`{{< tab >}}**JSON**: …{{< /tab >}}`, or the whole `{{< tabs items="…" >}}…{{< /tabs >}}`),
    read as its tags on lines of their own would be (`rewrite` rewrites each such line, said at
    the body's line `index`); None for another line."""
    stripped = line.strip()
    spans = [m.span() for m in CODE_SPAN.finditer(stripped)]
    tags = [
        tag
        for tag in _HUGO_TAG.finditer(stripped)
        if tag["name"] in THEME_BLOCKS
        and not any(a < tag.end() and tag.start() < b for a, b in spans)
    ]
    if len(tags) < 2 or tags[0].start() > 0 or tags[-1].end() < len(stripped):
        return None
    if tags[0]["close"] or not tags[-1]["close"]:
        return None
    pieces: list[str] = []
    position = 0
    for tag in tags:
        pieces += [stripped[position : tag.start()].strip(), tag.group(0)]
        position = tag.end()
    return "\n".join(rewrite(piece, index) for piece in pieces if piece)


def _in_place(text: str, line: str, source_path: str) -> str:
    """Markdown of many lines kept on the one `line` (`parse.includes` parses it there)."""
    indent = line[: len(line) - len(line.lstrip())]
    return indent + included_text_line(source_path, text, SourceLocation(source_path), []).line


def _file_tree(lines: list[str], index: int, source_path: str) -> list[str] | None:
    """Hextra's `filetree/container` of `filetree/folder name="…"` and `filetree/file name="…"`
    tags, each on a line of its own, as a nested list of the names (folders end in `/`), kept
    on the container's line; the tree's other lines are left blank. None when `lines[index]`
    opens no file tree, or one Lemma cannot read (said as an unknown shortcode)."""
    if _FILE_TREE.fullmatch(lines[index].strip() or "-") is None:
        return None
    items: list[str] = []
    depth = 0
    for end in range(index + 1, len(lines)):
        written = lines[end].strip()
        tag = _FILE_TREE_TAG.fullmatch(written)
        if written and tag is None:
            return None
        if tag is None:
            continue
        if tag["close"] and tag["kind"] == "container":
            tree = "\n".join([":::{.filetree}", *items, ":::"])
            return [_in_place(tree, lines[index], source_path), *[""] * (end - index)]
        if tag["close"]:
            depth = max(depth - 1, 0)
            continue
        name = arguments(tag["args"] or "").get("name", "")
        if tag["kind"] == "container" or not name:
            return None
        shown = name.replace("`", "") + ("/" if tag["kind"] == "folder" else "")
        items.append(f"{'  ' * depth}- `{shown}`")
        depth += tag["kind"] == "folder"
    return None


def _callout(name: str, words: dict[str, str]) -> str:
    """The opening line of a callout: its kind from the theme's type or colour, its title, and
    whether it is folded."""
    written = (
        words.get("type") or words.get("color") or words.get("style") or words.get("0", "")
    ).lower()
    if name in ("details", "spoiler", "expand") or written not in (*CALLOUT_KINDS, *_KIND_WORDS):
        written = "note"
    kind = written if written in CALLOUT_KINDS else _KIND_WORDS[written]
    title = words.get("title", "")
    if name == "admonition" or name == "notice":  # LoveIt's `admonition tip "Title" false`
        title = title or words.get("1", "") or (written.capitalize() if kind != written else "")
    folded: bool | None = None
    if name == "admonition" and (words.get("open") or words.get("2", "")).lower() == "false":
        folded = True
    if name == "details":  # Hugo's `summary=`, hugo-book's `"Title" open`, Hextra's `title=`
        title = words.get("summary") or title or words.get("0", "") or "Details"
        opened = "open" in words.values() or words.get("open", "").lower() == "true"
        folded = not opened or words.get("closed", "").lower() == "true"
    if name == "spoiler":  # Hugo Blox's
        title, folded = words.get("text", ""), True
    if name == "expand":  # hugo-book's
        title, folded = words.get("0", "") or "Expand", True
    attributes = f".callout-{kind}"
    if folded is not None:
        attributes += f' collapse="{str(folded).lower()}"'
    if title:
        attributes += ' title="{}"'.format(title.replace('"', "&quot;"))
    return f"::: {{{attributes}}}"


def theme_inline(name: str, args: str, own_line: bool) -> str | None:
    """A theme's shortcode that stands for an image, a link or a player: LoveIt's and FixIt's
    `{{< image src="…" caption="…" >}}` (a figure) and `{{< link "url" "text" >}}`, Blowfish's
    `{{< github repo="owner/name" >}}` and `{{< article link="/posts/x/" >}}` (links), and its
    `{{< youtubeLite id="…" >}}` on a line of its own (YouTube's player, as Hugo's `youtube`);
    None for another shortcode, or one that names nothing."""
    words = arguments(args)
    if name in _PLAYERS:
        identifier = words.get("id") or words.get("0", "")
        return player(_PLAYERS[name], {"0": identifier}) if own_line else None
    if name == "image" and words.get("src"):
        caption = words.get("caption") or words.get("title", "")
        return figure_image(words["src"], caption, words.get("alt", ""))
    if name == "link" and (href := words.get("href") or words.get("0")):
        text = words.get("content") or words.get("1") or href.removeprefix("mailto:")
        return f"[{text}](<{href}>)"
    if name == "github" and (repo := words.get("repo")):
        return f"[{repo} on GitHub](https://github.com/{repo})"
    if name == "article" and (link := words.get("link")):
        return f"[{link}]({link})"
    if name == "pdf" and (url := words.get("0") or words.get("url")):
        return f"[{posixpath.basename(url) or url}](<{url}>)"  # Hextra's: a link to the PDF
    if name == "badge" and (content := words.get("content") or words.get("0")):
        return content  # Hextra's `{{< badge "New" >}}`, `{{< badge content="New" >}}`
    return None


def button(args: str, text: str) -> str:
    """Blowfish's and hugo-book's `{{< button href="…" >}}Text{{< /button >}}` as a link; a
    `relref` to a post is resolved as `{{< ref >}}` is."""
    words = arguments(args)
    target = words.get("href") or (f"{{ref}}{words['relref']}" if words.get("relref") else "")
    return f"[{text}]({target})" if target else text


def qr_code(args: str, written: str, at: SourceLocation) -> tuple[str, Problem]:
    """Hugo's `{{< qr text="…" />}}`: no QR code is drawn; an address is shown as a link."""
    text = arguments(args).get("text", "")
    shown = f"<{text}>" if text.startswith(("http://", "https://")) else text or written
    what = f"Hugo's '{written}' draws no QR code here; shown as {'a link' if text else 'text'}"
    hint = "draw the code as an image beside the post and show it with ![QR code](qr.png)"
    return shown, Problem(what, at, hint=hint, is_warning=True)


def mermaid_problem(at: SourceLocation) -> Problem:
    return Problem(
        "the theme's mermaid shortcode is not drawn; its source is shown as code",
        at,
        hint="the pages run no diagram library: draw it as an SVG file beside the post "
        "and show it with ![…](diagram.svg)",
        is_warning=True,
    )


def theme_include(args: str, meta: Mapping[str, Any]) -> str | None:
    """minimal-mistakes' `{% include figure image_path=… alt=… caption=… %}` and al-folio's
    `{% include figure.liquid path=… %}` as a figure (a path from the site's root), its
    `{% include video id=… provider="youtube" %}` as the player, `{% include gallery %}` as the
    images its front matter's `gallery:` lists (`meta`), `{% include toc %}` as nothing; None for
    another include, or a gallery without images."""
    name, _, rest = args.strip().partition(" ")
    words = arguments(rest)
    if name in ("gallery", "gallery.html"):
        return _gallery(meta.get(words.get("id") or "gallery"), words.get("caption", ""))
    if name in ("figure", "figure.liquid", "figure.html"):
        path = words.get("image_path") or words.get("path", "")
        if not path:
            return None
        if not path.startswith(("/", "http://", "https://")):
            path = "/" + path
        return figure_image(path, words.get("caption", ""), words.get("alt", ""))
    if name in ("video", "video.html") and words.get("provider") in ("youtube", "vimeo"):
        return player(words["provider"], {"0": words.get("id", "")})
    if name in ("toc", "toc.html"):
        return ""  # every post with sections gets Lemma's contents
    return None


def unread_include(args: str) -> tuple[str, str]:
    """What to say of an include Lemma does not read, and what to write instead."""
    if args.split()[:1] == ["gallery"]:
        what = "minimal-mistakes' gallery: the front matter's 'gallery:' lists no images"
        return what, "list them as gallery: [{image_path: /x.jpg, alt: ...}], or write ![alt](x)"
    return "Jekyll's includes are not supported", "remove it, or write the Markdown it stands for"


def _gallery(items: Any, caption: str) -> str | None:
    """minimal-mistakes' gallery: `- url: full.jpg`, `image_path: thumbnail.jpg`, `alt`,
    `title`; the images side by side in one paragraph, the caption after them."""
    if not isinstance(items, list) or not items:
        return None
    images = []
    for item in items:
        path = item.get("image_path") or item.get("url") if isinstance(item, dict) else None
        if not isinstance(path, str) or not path:
            return None
        title = str(item.get("title") or "").replace('"', "&quot;")
        shown = f' "{title}"' if title else ""
        images.append(f"![{item.get('alt') or title}]({path}{shown})")
    return " ".join(images) + (f" *{caption}*" if caption else "")


def figure_image(source: str, caption: str, alt: str) -> str:
    """An image with a caption as its title, which Lemma shows as a figure."""
    title = ' "{}"'.format(caption.replace('"', "&quot;")) if caption else ""
    return f"![{alt or caption}]({source}{title})"


def arguments(args: str) -> dict[str, str]:
    """Named (`src="x"`) and positional (`"x.md"`, as "0", "1", ...) arguments of a shortcode."""
    try:
        words = shlex.split(args)
    except ValueError:
        words = args.split()
    found: dict[str, str] = {}
    for position, word in enumerate(words):
        key, equals, value = word.partition("=")
        found[key if equals else str(position)] = value if equals else word
    return found
