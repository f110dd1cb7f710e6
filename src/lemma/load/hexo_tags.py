"""Hexo's tag plugins in a post's prose, as the Markdown Lemma reads (`load.shortcodes` calls
these as it meets the tags; `{% youtube %}` is read there, with Hugo's players).

`{% asset_img %}`, `{% asset_link %}` and `{% asset_path %}` name a file of the post's asset
folder (Hexo's `post_asset_folder`: `hello-world/` beside `hello-world.md`, copied as it is
beside the post); `{% post_link slug %}` and `{% post_path %}` a post, resolved as Jekyll's
`post_url` is (`render.post_names`). The block tags, opening and closing tag each a line of
its own: `{% codeblock %}` (`{% code %}`) is code shown, never run, as Hexo showed it;
`{% blockquote author, source %}` and `{% pullquote %}` a quote; NexT's `{% note info %}` a
callout. Hexo's `{% img %}`, Octopress' tag that Pelican's liquid_tags also kept, is an image.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass

from lemma.errors import Problem
from lemma.model import SourceLocation

HEXO_INLINE = ("asset_img", "asset_image", "asset_link", "asset_path", "post_link", "post_path")
HEXO_BLOCKS = ("codeblock", "code", "blockquote", "pullquote", "note")
# NexT's note classes as Lemma's callout kinds.
_NOTE_KINDS = {
    "default": "note",
    "primary": "note",
    "info": "note",
    "success": "tip",
    "warning": "warning",
    "danger": "caution",
}
_SIZE = re.compile(r"^\d+(?:px|%)?$")


@dataclass(frozen=True, slots=True)
class HexoBlock:
    lines: list[str]  # as many as the tag's lines, opening and closing tags included
    problems: tuple[Problem, ...] = ()


def hexo_inline(name: str, args: str, source_path: str) -> str | None:
    """The Markdown for one of Hexo's inline tags, None when its arguments name nothing."""
    words = _words(args)
    if not words:
        return None
    if name in ("post_link", "post_path"):
        target = f"{{post_link}}{words[0]}"
        if name == "post_path":
            return target
        text = " ".join(w for w in words[1:] if w not in ("true", "false")) or words[0]
        return f"[{_escaped(text)}]({target})"
    if name in ("asset_img", "asset_image"):
        return _asset_image(words, source_path)
    target = _asset(words[0], source_path)
    if name == "asset_path":
        return target
    text = " ".join(w for w in words[1:] if w not in ("true", "false")) or words[0]
    return f"[{_escaped(text)}](<{target}>)"


def hexo_block(
    name: str, args: str, inner: list[str], written: str, at: SourceLocation
) -> HexoBlock:
    """The lines that replace a block tag (`written` at `at`), its opening and closing lines
    included."""
    words = _words(args)
    if name in ("codeblock", "code"):
        language = next((w[5:] for w in words if w.startswith("lang:")), "")
        rest = [w for w in words if not w.startswith("lang:") and ":" not in w.split("/")[0]]
        longest = max((len(run) for text in inner for run in re.findall("`+", text)), default=0)
        fence = "`" * max(3, longest + 1)
        shown = "py" if language.lower() == "python" else language  # shown, never run
        problems: tuple[Problem, ...] = ()
        if rest or any("://" in w for w in words):
            what = f"Hexo's '{written}': its title and link are not shown"
            hint = "write them in the text above the code"
            problems = (Problem(what, at, hint=hint, is_warning=True),)
        return HexoBlock([fence + shown, *inner, fence], problems)
    if name == "note":
        kinds = [_NOTE_KINDS[w] for w in words if w in _NOTE_KINDS]
        title = " ".join(w for w in words if w not in _NOTE_KINDS and w != "no-icon")
        kind = kinds[0] if kinds else "note"
        quoted_title = title.replace('"', "&quot;")
        folded = f' collapse="true" title="{quoted_title}"' if title else ""
        return HexoBlock([f"::: {{.callout-{kind}{folded}}}", *inner, ":::"])
    quoted = [f"> {text}" if text.strip() else ">" for text in inner]
    if name == "pullquote":
        return HexoBlock(["", *quoted, ""])
    attribution = _attribution(args)
    if attribution and quoted and quoted[-1] != ">":
        quoted[-1] += "\\"  # a line break: the attribution is a line of its own, in the quote
    return HexoBlock(["", *quoted, f"> — {attribution}" if attribution else ""])


def octopress_image(args: str) -> str | None:
    """Octopress' and Pelican's liquid_tags `{% img [class] /images/x.png [width [height]]
    ['title' ['alt']] %}` as an image; a site path is Pelican's `{static}` one, found beside the
    posts or in static/."""
    try:
        words = shlex.split(args)
    except ValueError:
        return None
    source = next((w for w in words if w.startswith(("/", "http://", "https://"))), None)
    if source is None:
        return None
    rest = words[words.index(source) + 1 :]
    while rest and rest[0].isdigit():  # width, height: the theme sizes pictures
        rest = rest[1:]
    title = rest[0] if rest else ""
    alt = rest[1] if len(rest) > 1 else title
    target = f"{{static}}{source}" if source.startswith("/") else source
    shown = ' "{}"'.format(title.replace('"', "&quot;")) if title else ""
    return f"![{alt}]({target}{shown})"


def _attribution(args: str) -> str:
    """`{% blockquote David Levithan, Wide Awake %}`: the author and the source, without the
    link Hexo may give after them."""
    text = " ".join(w for w in args.split() if "://" not in w)
    return text.strip()


def _asset_image(words: list[str], source_path: str) -> str:
    """`{% asset_img [class] slug.jpg [width] [height] ["title" ["alt"]] %}`: the image, a
    figure captioned with its title."""
    index = next((i for i, w in enumerate(words) if "." in w and not _SIZE.match(w)), 0)
    rest = [w for w in words[index + 1 :] if not _SIZE.match(w)]
    title = rest[0] if rest else ""
    alt = rest[1] if len(rest) > 1 else title
    shown = ' "{}"'.format(title.replace('"', "&quot;")) if title else ""
    return f"![{_escaped(alt)}](<{_asset(words[index], source_path)}>{shown})"


def _asset(name: str, source_path: str) -> str:
    """A file of the post's asset folder, from the post: `hello-world/x.png` for
    `hello-world.md`, `x.png` for a folder's `index.md`."""
    stem, _ = posixpath.splitext(posixpath.basename(source_path))
    return name if stem == "index" else f"{stem}/{name}"


def _words(args: str) -> list[str]:
    try:
        return shlex.split(args)
    except ValueError:
        return args.split()


def _escaped(text: str) -> str:
    return re.sub(r"([\[\]])", r"\\\1", text)
