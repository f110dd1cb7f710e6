"""MathJax's html extension and KaTeX's \\html… commands: links, classes, ids and CSS on math.

The pages allow no inline style (their Content-Security-Policy), so CSS is read, not copied: a
colour or a background becomes MathML's own attribute, and the rest is left out with a warning.
MathML Core has no links; `href` on an mrow is MathML 3's, followed by Firefox and Safari only.
An inline formula that is one link as a whole is put inside an HTML link instead, which every
browser follows.
"""

from __future__ import annotations

import re

from markupsafe import escape

from lemma.render.texmath.commands import colour_from_model
from lemma.render.texmath.errors import MathError, MathNote
from lemma.render.texmath.nodes import Node, leaf
from lemma.render.texmath.parser import Handler, Parser
from lemma.render.texmath.tokens import Tok

_SAFE_URL = re.compile(r"(?:https?:|mailto:|[#/.?]|[\w.~-]+(?:[/#?]|$))", re.ASCII)
_COLOUR = re.compile(r"[A-Za-z]+|#[0-9A-Fa-f]{3}|#[0-9A-Fa-f]{6}")
# The CSS properties a formula can keep, as the MathML attribute that draws each one.
_DRAWN = {
    "color": "mathcolor",
    "background-color": "mathbackground",
    "background": "mathbackground",
}
_LINK_HINT = "to make it a link in every browser, write the link around the formula: [$…$](url)"


def _href(parser: Parser, token: Tok) -> Node:
    """\\href{url}{x}: x, linked (in Firefox and Safari; Chromium shows it unlinked)."""
    url = parser.text_argument(token)
    return _linked(parser, token, url, parser.argument(token))


def _url(parser: Parser, token: Tok) -> Node:
    """\\url{…}: the address as monospace text, linked as \\href links."""
    url = parser.text_argument(token)
    return _linked(parser, token, url, leaf("mtext", url, "ord", **{"class": "tex-verb"}))


def _linked(parser: Parser, token: Tok, url: str, content: Node) -> Node:
    body = Node("mrow", [content], kind="ord").set(**{"class": "tex-href"})
    if not _SAFE_URL.match(url):
        message = f"{token.text}{{{url}}}: not a web address, so the math is shown unlinked"
        hint = "write an address such as https://example.org/ or #section"
        parser.notes.append(MathNote(message, token.offset, hint))
        return body
    message = (
        f"{token.text}{{{url}}}: the link is followed in Firefox and Safari, not in Chromium "
        "(MathML Core has no links)"
    )
    parser.notes.append(MathNote(message, token.offset, _LINK_HINT))
    return body.set(href=url)


def link_around(body: Node, notes: list[MathNote]) -> tuple[str, str, list[MathNote]]:
    """The HTML link to put around the formula when the whole of it is one \\href or \\url (its
    opening and closing tags, else empty), and the notes without the one that said Chromium
    would not follow the link."""
    url = body.attrs.get("href") if "tex-href" in body.attrs.get("class", "") else None
    if url is None:
        return "", "", notes
    body.attrs.pop("href")
    said = [n for n in notes if n.message.startswith((f"\\href{{{url}}}", f"\\url{{{url}}}"))]
    kept = [n for n in notes if n is not said[-1]] if said else notes
    return f'<a href="{escape(url)}" class="math-link">', "</a>", kept


def _style(parser: Parser, token: Tok) -> Node:
    """\\style{css}{x} and \\htmlStyle: x, with the colours its CSS names; other CSS is left out."""
    css = parser.text_argument(token)
    body = Node("mrow", [parser.argument(token)], kind="ord")
    dropped = []
    for declaration in filter(None, (part.strip() for part in css.split(";"))):
        name, _, value = (part.strip() for part in declaration.partition(":"))
        attribute = _DRAWN.get(name.lower())
        if attribute is not None and _COLOUR.fullmatch(value):
            body.set(**{attribute: colour_from_model("", value, token)})
        else:
            dropped.append(declaration)
    if dropped:
        parser.notes.append(
            MathNote(
                f"{token.text}{{{css}}}: the pages allow no inline style, so "
                f"'{'; '.join(dropped)}' is left out and the math shown without it",
                token.offset,
                "colour math with \\color{…} or \\colorbox{…}{…}, frame it "
                "with \\bbox[…]{…}, or give it a class with \\class{name}{…} and style "
                "that class in the site's stylesheet",
            )
        )
    return body


def _html_attribute(parser: Parser, token: Tok) -> Node:
    """MathJax's \\class{name}{x} and \\cssId{name}{x} (KaTeX's \\htmlClass, \\htmlId): x, with
    that class or id."""
    name = parser.text_argument(token)
    body = Node("mrow", [parser.argument(token)], kind="ord")
    if not re.fullmatch(r"[A-Za-z][\w-]*", name) or name.startswith("tex-"):
        raise MathError(f"{token.text}{{{name}}}: a name of letters, digits and -", token.offset)
    return body.set(**{"class" if token.text in ("\\class", "\\htmlClass") else "id": name})


def html_commands() -> dict[str, Handler]:
    return {
        "\\href": _href,
        "\\url": _url,
        "\\style": _style,
        "\\htmlStyle": _style,
        "\\class": _html_attribute,
        "\\cssId": _html_attribute,
        "\\htmlClass": _html_attribute,
        "\\htmlId": _html_attribute,
    }
