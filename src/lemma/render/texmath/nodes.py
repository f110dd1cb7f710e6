"""MathML as a small tree while converting, and its serialization (escaped, attributes in order)."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import escape


@dataclass(slots=True)
class Node:
    """A MathML element. Token elements (mi, mo, mn, mtext) hold `text`; `kind` is the TeX class."""

    tag: str
    children: list[Node] = field(default_factory=list)
    text: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    kind: str = ""
    raw: str | None = None  # markup placed verbatim (equation numbers, references)

    def set(self, **attrs: str) -> Node:
        for name, value in attrs.items():
            self.attrs[name.replace("_", "-")] = value
        return self

    def render(self, out: list[str]) -> None:
        if self.raw is not None:
            out.append(self.raw)
            return
        out.append("<" + self.tag)
        for name, value in self.attrs.items():
            out.append(f' {name}="{escape(value)}"')
        out.append(">")
        if self.text is not None:
            out.append(str(escape(self.text)))
        for child in self.children:
            child.render(out)
        out.append(f"</{self.tag}>")


def leaf(tag: str, text: str, kind: str = "", **attrs: str) -> Node:
    return Node(tag, text=text, kind=kind).set(**attrs)


def row(children: list[Node]) -> Node:
    """One node for a list: the node itself when there is one, else an mrow."""
    if len(children) == 1:
        return children[0]
    return Node("mrow", children)


def raw(markup: str) -> Node:
    return Node("mrow", raw=markup)


def to_string(node: Node) -> str:
    out: list[str] = []
    node.render(out)
    return "".join(out)


def strut_box(extra_depth: float = 0.0, *, above: bool = True, below: bool = True) -> Node:
    """LaTeX's \\strutbox: no width, 0.84 em high and 0.36 em deep (0.7 and 0.3 of the 12 pt
    baselineskip at 10 pt), `extra_depth` em deeper; only its part `above` or `below` the
    baseline if asked."""
    height = "0.84em" if above else "0em"  # Chromium drops an mspace whose length is "0"
    depth = f"{0.36 + extra_depth:.4g}em" if below else "0em"
    return Node("mspace").set(height=height, depth=depth)


def phantom(children: list[Node]) -> Node:
    """An invisible copy that only sizes (\\phantom, numcases' rows): search skips it too."""
    return Node("mphantom", children).set(**{"data-pagefind-ignore": ""})


def text_of(node: Node, *, phantoms: bool = False) -> str:
    """The characters a reader sees, for search and for the alt text of a fallback; with
    `phantoms`, those drawn invisibly too (the math font must still hold them)."""
    if node.text is not None:
        return node.text
    if node.tag == "mphantom" and not phantoms:
        return ""
    return "".join(text_of(child, phantoms=phantoms) for child in node.children)
