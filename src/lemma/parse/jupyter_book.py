"""Jupyter Book's links between posts and to a glossary: `{toctree}` and `{glossary}` directives,
`{doc}` and `{term}` roles (the roles are read by `parse.roles`, which asks here for their links).

A ```` ```{toctree} ```` (or `:::{toctree}`) is a list of links to the posts it names
(`Title <other-post>`, or the post's name, shown as written), its `:caption:` a bold line above
it; `self` and `:glob:` patterns name no one post and are left out, with a warning. A
`{doc}`other-post`` is a link of the form `{doc}name`, resolved once every post is known as
Hugo's `ref` is (`render/post_names.find_post`). A ```` ```{glossary} ```` is a definition list
(each term a line of its own, its definition indented under it), each term with the id
`term-<slug>` that `{term}`name`` links to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from lemma.errors import Problem
from lemma.model import SourceLocation
from lemma.parse.directives import directive_options, parse_body
from lemma.slugs import slugify

_DIRECTIVE = re.compile(r"^\{(?P<name>toctree|glossary)\}\s*(?P<argument>.*)$", re.IGNORECASE)
_ENTRY = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$")
DOC_LINK = "{doc}"  # a link to another post, as `render/post_names.post_reference` reads it


def jupyter_book_plugin(md: MarkdownIt) -> None:
    """Before `parse.myst_blocks`, which would make a colon fence of them a div."""
    md.core.ruler.before("myst_blocks", "jupyter_book", _expand)


def term_id(term: str) -> str:
    """The id of a glossary's term, as Sphinx makes it: `term-` and the term's slug."""
    return "term-" + (slugify(term) or "term")


def role_link(name: str, content: str) -> tuple[str, str]:
    """(href, text) of a `{doc}` or `{term}` role: `text <target>` or the target alone."""
    explicit = _ENTRY.match(content)
    text, target = (explicit["title"], explicit["target"].strip()) if explicit else ("", content)
    if name == "term":
        return "#" + term_id(target), text or target.strip()
    return DOC_LINK + target, text or target.rstrip("/").rsplit("/", 1)[-1]


def _expand(state: StateCore) -> None:
    out: list[Token] = []
    for token in state.tokens:
        match = _DIRECTIVE.match(token.info.strip()) if token.type == "fence" else None
        if match is None:
            out.append(token)
            continue
        options, body, skipped = directive_options(token.content)
        name = match["name"].lower()
        left_out: list[str] = []
        if name == "toctree":
            markdown, left_out = _toctree(options, body)
        else:
            markdown = _glossary(body)
        inner = parse_body(state, token, markdown, skipped, written=False)
        if name == "glossary":
            _mark_terms(inner)
        if left_out:
            out.append(_left_out_marker(token, left_out))
        out += inner
    state.tokens = out


def _toctree(options: dict[str, str], body: str) -> tuple[str, list[str]]:
    lines: list[str] = []
    left_out: list[str] = []
    for entry in (line.strip() for line in body.split("\n")):
        if not entry:
            continue
        named = _ENTRY.match(entry)
        target = named["target"].strip() if named else entry
        if target == "self" or "*" in target or "?" in target or "://" in target:
            left_out.append(entry)
            continue
        title = named["title"] if named and named["title"] else target.rsplit("/", 1)[-1]
        lines.append(f"- [{_escaped(title)}]({DOC_LINK}{target})")
    caption = options.get("caption", "")
    if caption and lines:
        lines = [f"**{caption}**", "", *lines]
    return "\n".join(lines) + "\n", left_out


def _escaped(text: str) -> str:
    return re.sub(r"([\[\]])", r"\\\1", text)


def _glossary(body: str) -> str:
    """The glossary as Markdown's definition list: a term at the margin, its definition as the
    indented lines under it (several terms may share one)."""
    lines: list[str] = []
    definition: list[str] = []

    def close() -> None:
        if definition:
            lines.append(":   " + "\n    ".join(d.strip() for d in definition))
            lines.append("")
            definition.clear()

    for line in body.split("\n"):
        if not line.strip():
            if definition:
                definition.append("")
            continue
        if line[:1] in (" ", "\t"):
            definition.append(line)
        else:
            close()
            lines.append(line.strip())
    close()
    return "\n".join(lines) + "\n"


def _mark_terms(tokens: list[Token]) -> None:
    for index, token in enumerate(tokens):
        if token.type == "dt_open" and index + 1 < len(tokens):
            token.attrSet("id", term_id(tokens[index + 1].content))


def _left_out_marker(fence: Token, left_out: list[str]) -> Token:
    """Nothing on the page: the entries a toctree leaves out, for `parse.extract_snippets` to
    say at the directive's line."""
    marker = Token("html_block", "", 0, map=fence.map, block=True)
    marker.meta["toctree_left_out"] = tuple(left_out)
    return marker


def jupyter_book_problems(
    tokens: Sequence[Token], where: SourceLocation, body_line: int
) -> list[Problem]:
    """A toctree's entries that name no one post, and `{term}`s that no glossary of the post
    defines (Lemma's glossaries are each post's own)."""
    problems: list[Problem] = []
    defined = {t.attrGet("id") for t in tokens if t.type == "dt_open"}
    for token in tokens:
        line = where.at_line(body_line + (token.map[0] if token.map else 0))
        if "toctree_left_out" in token.meta:
            left_out = ", ".join(token.meta["toctree_left_out"])
            problems.append(
                Problem(
                    f"{{toctree}}: {left_out} names no one post; left out of the list",
                    line,
                    hint="name each post (Title <other-post>); the site's index and tag pages "
                    "list every post",
                    is_warning=True,
                )
            )
        for child in token.children or () if token.type == "inline" else ():
            href = child.attrGet("href") if child.meta.get("role") == "term" else None
            if isinstance(href, str) and href[1:] not in defined:
                problems.append(
                    Problem(
                        f"{{term}}: no glossary of this post defines '{child.meta['term']}'; "
                        "shown as a link to nothing",
                        line,
                        hint="define it in a ```{glossary} block of the post (the term on a "
                        "line of its own, its definition indented under it)",
                    )
                )
    return problems


def glue_problem(written: str, where: SourceLocation, shown: str = "its name") -> Problem:
    """myst-nb's glue (`{glue}`, `{glue:text}`, `{glue:figure}`, ...) shows a value a notebook's
    cell stored when Jupyter Book ran it; a Markdown post's prose is rendered apart from its run,
    so the value is not read, and the author is told what shows it."""
    return Problem(
        f"myst-nb's {written} is not read: it shows a value stored by glue() when the notebook "
        f"ran; shown as {shown}",
        where,
        hint="show the value where it is made: end the snippet with the expression (or print "
        "it, or its figure), with 'echo: false' to hide the code",
        is_warning=True,
    )
