"""Jekyll's Liquid tags and Hugo's shortcodes in a post's prose, rewritten as the Markdown Lemma
reads; code blocks and inline code are left alone, and every line keeps its number.

`{% highlight %}` and `{{< highlight >}}` become fences that are shown, never run (```` ```py ````
for python: Jekyll never ran them either); `{% raw %}` goes; `{{ site.baseurl }}`, `{{ site.url }}`
and `relative_url` give site-absolute paths, which render puts under the site's base path;
`{{ page.title }}` (Jekyll) and `{{ title }}` (Eleventy) give the front matter's value;
`{% post_url %}` and `{{< ref >}}` give a link (`{post_url}name`, `{ref}name`) that render
resolves with `render/post_names.find_post` once every post is known, or reports broken;
`{{< figure >}}` and al-folio's `{% include figure.liquid %}` give an image with a caption;
Hugo Blox's `callout` and `spoiler` give callouts; `youtube` and `vimeo` their player, `gist`
a link, and `toc` nothing (every post gets contents);
jekyll-scholar's `{% cite %}` gives a citation; `{{< math >}}` and `{{< katex >}}` give math.
Hexo's tag plugins are read by `load.hexo_tags`, Pelican's `{% notebook %}` and
`{% include_code %}` by `load.pelican_tags`, Zola's shortcodes by `load.zola_shortcodes`. Any
other tag is a warning at its line and stays as text.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Mapping
from typing import Any

from lemma.errors import Problem
from lemma.load import hexo_tags as hexo
from lemma.load.code_lines import CODE_SPAN, block_lines
from lemma.load.embeds import player
from lemma.load.includes import include_file
from lemma.load.pelican_tags import PELICAN_TAGS, pelican_tag
from lemma.load.quarto_shortcodes import QUARTO_SHORTCODES, QuartoValues, quarto_shortcode
from lemma.load.theme_shortcodes import (
    COLUMN_BREAK,
    THEME_BLOCKS,
    ThemeBlocks,
    arguments,
    button,
    figure_image,
    mermaid_problem,
    qr_code,
    theme_block,
    theme_include,
    unread_include,
)
from lemma.load.zola_shortcodes import unsupported_hint, zola_call, zola_player
from lemma.model import SourceLocation

# What a body must hold to be rewritten: a tag, a shortcode, or a Liquid output Lemma knows
# (`base_url` in a post's code is none of them, and costs no parse).
_MARKERS = ("{%", "{{", "site.url", "site.baseurl", "relative_url", "absolute_url")
# A Liquid tag, a Hugo shortcode ({{< >}} or {{% %}}), or a Liquid output ({{ ... }}).
_TAG = re.compile(
    r"\{%-?\s*(?P<liquid>\w+)(?P<liquid_args>.*?)\s*-?%\}"
    r"|\{\{[<%]\s*(?P<hugo>/?\s*[\w./-]+)(?P<hugo_args>.*?)\s*/?[>%]\}\}"
    r"|\{\{-?\s*(?P<output>[^{}]*?)\s*-?\}\}"
)
_ZOLA_OUTPUT = re.compile(r"\{\{-?\s*\w+\s*\(")  # Zola's `{{ youtube(id="...") }}`
_SITE_VARIABLE = re.compile(r"site\.(?:baseurl|url)")
_URL_FILTER = re.compile(r"""(["'])(?P<path>[^"']*)\1\s*\|\s*(?:relative|absolute)_url""")
# Jekyll's `page.title` and Eleventy's `title`: a key of the post's front matter.
_PAGE_VARIABLE = re.compile(r"(?P<page>page\.)?(?P<key>[A-Za-z_][\w-]*)")
_LIQUID_VARIABLE = re.compile(r"[A-Za-z_]\w*(?:\.\w+)+(?:\s*\|.*)?")  # page.title, not TeX
_MATH_SHORTCODES = ("math", "katex")


def rewrite_tags(
    body: str, body_line: int, source_path: str, quarto: QuartoValues | None = None
) -> tuple[str, list[Problem]]:
    """`body` with the tags Lemma knows rewritten, and a warning for each tag it does not;
    `quarto` is what Quarto's shortcodes read (`load.quarto_shortcodes`)."""
    if not any(marker in body for marker in _MARKERS) and not _ZOLA_OUTPUT.search(body):
        return body, []
    rewriter = _Rewriter(body.split("\n"), body_line, source_path, quarto or QuartoValues())
    return "\n".join(rewriter.lines()), rewriter.problems


class _Rewriter:
    def __init__(
        self, lines: list[str], body_line: int, source_path: str, quarto: QuartoValues
    ) -> None:
        self.source = lines
        self.body_line = body_line
        self.source_path = source_path
        self.quarto = quarto
        self.problems: list[Problem] = []
        self.in_raw = False
        self.zola_bodies = 0  # Zola's body shortcodes open, whose `{% end %}` goes with them
        self.code = block_lines("\n".join(lines))
        self._html_lines: set[int] | None = None  # raw HTML blocks' lines, found when needed
        self.themes = ThemeBlocks()  # Hugo themes' block shortcodes open here

    def at(self, index: int) -> SourceLocation:
        return SourceLocation(self.source_path, self.body_line + index)

    def lines(self) -> Iterator[str]:
        index = 0
        while index < len(self.source):
            line = self.source[index]
            block = None if self.in_raw or index in self.code else self._block(index)
            if block is not None:
                yield from block
                index += len(block)
                continue
            if self.themes.columns and line.strip() == COLUMN_BREAK and index not in self.code:
                line = ""  # hugo-book's columns: one after the other
            yield line if index in self.code else self._prose(line, index)
            index += 1
        self.problems.extend(self.themes.problems)
        self.problems.sort(key=lambda p: p.location.line if p.location else 0)  # in line order

    def _block(self, index: int) -> list[str] | None:
        """A highlight or math shortcode whose opening and closing tags are lines of their own,
        or Quarto's include, a line of its own; or a theme's block shortcode on one line."""
        themed = theme_block(self.source, index, self._prose, self.source_path)
        if themed is not None:
            return themed
        found = _own_line_tag(self.source[index])
        if found is not None and found[0] == "include" and "{{<" in self.source[index]:
            written = self.source[index].strip()
            path = next(iter(arguments(found[1]).values()), "")
            depth = self.quarto.include_depth
            included = include_file(path, written, self.quarto, self.at(index), depth)
            self.problems.extend(included.problems)
            indent = self.source[index][
                : len(self.source[index]) - len(self.source[index].lstrip())
            ]
            return [indent + included.line]  # inside a list item, it stays in the item
        block_names = ("highlight", "mermaid", "button", *_MATH_SHORTCODES, *hexo.HEXO_BLOCKS)
        if found is None or found[0] not in block_names:
            return None
        if found[0] in hexo.HEXO_BLOCKS and not self.source[index].lstrip().startswith("{%"):
            return None
        name, args = found
        closing = f"end{name}" if self.source[index].lstrip().startswith("{%") else f"/{name}"
        end = next(
            (
                i
                for i in range(index + 1, len(self.source))
                if (_own_line_tag(self.source[i]) or ("", ""))[0] == closing
            ),
            None,
        )
        if end is None:
            return None  # reported as an unknown tag, shown as text
        inner = self.source[index + 1 : end]
        if name in hexo.HEXO_BLOCKS:
            block = hexo.hexo_block(name, args, inner, self.source[index].strip(), self.at(index))
            self.problems.extend(block.problems)
            return block.lines
        if name == "button":
            return ["", *button(args, "\n".join(inner)).split("\n"), ""]
        if name == "mermaid":
            self.problems.append(mermaid_problem(self.at(index)))
            return ["```mermaid", *inner, "```"]  # shown, never drawn
        if name == "highlight":
            words = args.replace('"', " ").split()
            language = words[0].lower() if words else ""
            longest = max((len(run) for text in inner for run in re.findall("`+", text)), default=0)
            fence = "`" * max(3, longest + 1)
            shown = "py" if language == "python" else language  # shown, never run
            return [fence + shown, *inner, fence]
        delimited = any(re.search(r"\$|\\\[|\\begin", text) for text in inner)
        edge = "" if delimited else "$$"
        return [edge, *inner, edge]

    def _prose(self, line: str, index: int) -> str:
        spans = [m.span() for m in CODE_SPAN.finditer(line)]
        out: list[str] = []
        position = 0
        while position < len(line):
            if self.in_raw:
                end = re.compile(r"\{%-?\s*endraw\s*-?%\}").search(line, position)
                if end is None:
                    out.append(line[position:])
                    break
                out.append(line[position : end.start()])
                position, self.in_raw = end.end(), False
                continue
            match = _TAG.search(line, position)
            if match is None:
                out.append(line[position:])
                break
            out.append(line[position : match.start()])
            position = match.end()
            # Inside inline code, as written; code inside the tag (a caption's `x`) is the tag's.
            if any(start < match.start() < end for start, end in spans):
                out.append(match.group(0))
                continue
            replacement, position = self._tag(match, line, index, "".join(out), position)
            out.append(replacement)
        return "".join(out)

    def _tag(
        self, match: re.Match[str], line: str, index: int, before: str, after: int
    ) -> tuple[str, int]:
        """What one tag becomes, and where the text after it starts; `before` is the line's
        text before it, rewritten."""
        written = match.group(0)
        output = match.group("output")
        own_line = not before.strip() and not line[after:].strip()
        if output is not None and (call := zola_call(output)) is not None:
            embed = zola_player(call) if own_line else None
            if embed is not None:
                return embed, after
            what = f"Zola shortcode '{written}' is not supported"
            return self._unsupported(written, index, what, unsupported_hint(call, False)), after
        if output is not None:
            known = _output(output, line[after:])
            if known is None and not _in_inline_math(before):
                known = _front_matter_value(written, output, self.quarto.meta)
            if known is None and _LIQUID_VARIABLE.fullmatch(output):
                what = f"Liquid variable '{written}' is not supported"
                return self._unsupported(written, index, what), after
            return written if known is None else known, after
        liquid = match.group("liquid")
        if liquid is not None and (call := zola_call(liquid + match["liquid_args"])) is not None:
            self.zola_bodies += 1
            what = f"Zola shortcode '{written}' is not supported: its body is shown as text"
            hint = unsupported_hint(call, True)
            self.problems.append(Problem(what, self.at(index), hint=hint, is_warning=True))
            return "", after
        if liquid == "end" and self.zola_bodies:
            self.zola_bodies -= 1
            return "", after  # said at the shortcode's opening
        if liquid == "raw":
            self.in_raw = True
            return "", after
        in_link = before.endswith(("(", "]: "))
        if liquid in hexo.HEXO_INLINE:
            inline = hexo.hexo_inline(liquid, match.group("liquid_args"), self.source_path)
            if inline is not None:
                return inline, after
        if liquid in PELICAN_TAGS and own_line:  # the file's text in the tag's place
            tag = pelican_tag(liquid, match["liquid_args"], written, self.quarto, self.at(index))
            self.problems.extend(tag.problems)
            return tag.line, after
        if liquid == "post_url":
            name = match.group("liquid_args").strip()
            return _as_link(f"{{post_url}}{name}", name, in_link), after
        if liquid == "include":
            figure = theme_include(match.group("liquid_args"), self.quarto.meta)
            if figure is not None and index in self.html_lines():
                what = "an included figure inside raw HTML (a <div>) is not read"
                hint = "write it as ![caption](/path/to/image.jpg) outside the HTML block"
                return self._unsupported(written, index, what, hint), after
            if figure is not None:
                return figure, after
            what, hint = unread_include(match.group("liquid_args"))
            return self._unsupported(written, index, what, hint), after
        if liquid == "img" and (image := hexo.octopress_image(match.group("liquid_args"))):
            return image, after
        if liquid in ("cite", "citation"):
            keys = _cited(match.group("liquid_args"))
            if keys:
                return keys, after
        if liquid == "bibliography" and "--cited" in match.group("liquid_args"):
            return "", after  # the cited entries: Lemma lists them at the end of every post
        name = liquid or (match.group("hugo") or "").replace(" ", "")
        args = match.group("liquid_args") or match.group("hugo_args") or ""
        if name in ("ref", "relref"):
            path = self._ref(args)
            if path is None:
                what = "a ref shortcode needs the post's file"
                return self._unsupported(written, index, what), after
            return _as_link(f"{{ref}}{path}", path, in_link), after
        if name == "figure":
            return _figure(args), after
        if liquid is None and own_line:
            themed = self.themes.line(name, args, written, self.at(index))
            if themed is not None:
                return themed, after
        inline = self.themes.inline(name, args, own_line, self.at(index)) if not liquid else None
        if inline is not None:
            return inline, after
        if liquid is None and name in ("badge", "button"):
            closing = _closing_tag(name, False).search(line, after)
            if closing is not None:
                text = line[after : closing.start()]
                return (text if name == "badge" else button(args, text)), closing.end()
        if liquid is None and name == "qr":
            shown, problem = qr_code(args, written, self.at(index))
            self.problems.append(problem)
            return shown, after
        if liquid is None and name == "param":  # Hugo's: the front matter's value
            words = [v for k, v in arguments(args).items() if k.isdigit()]
            done = quarto_shortcode("meta", words, written, self.quarto, self.at(index))
            if done.problem is not None:
                self.problems.append(done.problem)
            return done.text, after
        if liquid is None and name.lstrip("/") in THEME_BLOCKS:
            hint = "write its opening and closing tags each on a line of its own"
            what = f"Hugo shortcode '{written}' is read only on a line of its own"
            return self._unsupported(written, index, what, hint), after
        if own_line and (embed := player(name, arguments(args))) is not None:
            return embed, after
        if name == "toc":
            return "", after  # every post with sections gets Lemma's contents
        if name in _MATH_SHORTCODES:
            closing = _closing_tag(name, liquid is not None).search(line, after)
            if closing is not None:
                tex = line[after : closing.start()]
                edge = "" if "$" in tex else "$$" if "display" in args else "$"
                return f"{edge}{tex}{edge}", closing.end()
            if own_line and liquid is None and not self._closed_later(name, index):
                return "", after  # Blowfish's `{{< katex >}}` switches KaTeX on: Lemma's always is
        if liquid is None and name in QUARTO_SHORTCODES and name != "include":
            words = [v if k.isdigit() else f"{k}={v}" for k, v in arguments(args).items()]
            done = quarto_shortcode(name, words, written, self.quarto, self.at(index))
            if done.problem is not None:
                self.problems.append(done.problem)
            return done.text, after
        if name == "include" and liquid is None:  # Quarto's, inside a line of text
            hint = "write it on a line of its own: the file's Markdown takes that line's place"
            what = f"Quarto's '{written}' is not read"
            return self._unsupported(written, index, what, hint), after
        kind = "Liquid tag" if liquid else "Hugo shortcode"
        return self._unsupported(written, index, f"{kind} '{written}' is not supported"), after

    def _closed_later(self, name: str, index: int) -> bool:
        closing = _closing_tag(name, False)
        return any(closing.search(text) for text in self.source[index + 1 :])

    def html_lines(self) -> set[int]:
        if self._html_lines is None:
            self._html_lines = block_lines("\n".join(self.source), ("html_block",))
        return self._html_lines

    def _ref(self, args: str) -> str | None:
        words = arguments(args)
        return words.get("path") or words.get("0") or None

    def _unsupported(
        self,
        written: str,
        index: int,
        what: str,
        hint: str = "remove it, or write the Markdown it stands for",
    ) -> str:
        self.problems.append(
            Problem(f"{what}; shown as text", self.at(index), hint=hint, is_warning=True)
        )
        return written


def _as_link(target: str, shown: str, in_link: bool) -> str:
    """The target itself inside `[text](…)`; elsewhere a link showing the name as written."""
    return target if in_link else f"[{shown}]({target})"


def _own_line_tag(line: str) -> tuple[str, str] | None:
    """(name, arguments) of a tag that is the whole line."""
    match = _TAG.fullmatch(line.strip())
    if match is None or match.group("output") is not None:
        return None
    name = match.group("liquid") or (match.group("hugo") or "").replace(" ", "")
    return name, match.group("liquid_args") or match.group("hugo_args") or ""


def _closing_tag(name: str, liquid: bool) -> re.Pattern[str]:
    if liquid:
        return re.compile(rf"\{{%-?\s*end{name}\s*-?%\}}")
    return re.compile(rf"\{{\{{[<%]\s*/\s*{name}\s*[>%]\}}\}}")


def _output(expression: str, rest: str) -> str | None:
    """A Liquid output Lemma knows: the site's address as a site-absolute path."""
    if _SITE_VARIABLE.fullmatch(expression):
        # Followed by a path ({{ site.baseurl }}/x, {{ site.baseurl }}{% post_url x %}): the path
        # alone, which render puts under base.
        return "" if rest.startswith(("/", "{{", "{%")) else "/"
    filtered = _URL_FILTER.fullmatch(expression)
    if filtered is not None:
        return "/" + filtered.group("path").lstrip("/")
    return None  # {{ x }} is also TeX: left alone, without a word


def _front_matter_value(written: str, expression: str, meta: Mapping[str, Any]) -> str | None:
    """Jekyll's `{{ page.title }}` and Eleventy's `{{ title }}`: the post's own front matter
    value, when it is text (or, after `page.`, a number). A bare name needs the spaces its
    template languages write it with: `{{n}}` may be TeX's braces, and stays as written."""
    match = _PAGE_VARIABLE.fullmatch(expression)
    if match is None or not (match["page"] or written.startswith("{{ ")):
        return None
    value = meta.get(match["key"])
    kinds = (str, int, float) if match["page"] else (str,)
    if isinstance(value, bool) or not isinstance(value, kinds):
        return None
    return str(value)


def _in_inline_math(before: str) -> bool:
    """Whether a line's text `before` leaves an inline formula open (an odd count of `$`)."""
    return len(re.findall(r"(?<!\\)\$", before)) % 2 == 1


def _figure(args: str) -> str:
    """`{{< figure src="x.png" caption="..." alt="..." >}}` as an image with a caption."""
    words = arguments(args)
    caption = words.get("caption") or words.get("title") or ""
    return figure_image(words.get("src", ""), caption, words.get("alt", ""))


def _cited(args: str) -> str:
    """jekyll-scholar's `{% cite a b --locator 23 %}` as pandoc's `[@a; @b, p. 23]`; its
    `--file` and `--style` options are the bibliography's business, not the citation's."""
    try:
        words = shlex.split(args)
    except ValueError:
        words = args.split()
    keys: list[str] = []
    locators: list[str] = []
    labels: list[str] = []
    options = {"-l": locators, "--locator": locators, "-L": labels, "--label": labels}
    position = 0
    while position < len(words):
        word = words[position]
        if word.startswith("-"):
            if word in options and position + 1 < len(words):
                options[word].append(words[position + 1])
            position += 2
            continue
        keys.append(word)
        position += 1
    items = []
    for number, key in enumerate(keys):
        item = f"@{key}"
        if number < len(locators):
            label = labels[number] if number < len(labels) else "page"
            item += f", {_LOCATOR_LABELS.get(label, label)} {locators[number]}"
        items.append(item)
    return f"[{'; '.join(items)}]" if items else ""


_LOCATOR_LABELS = {"page": "p.", "pages": "pp.", "chapter": "chap.", "section": "sec."}
