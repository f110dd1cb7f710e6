"""Expanded TeX tokens to a MathML tree: atoms, groups, scripts and limits, operator spacing."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lemma.render.texmath.errors import MathError, MathNote
from lemma.render.texmath.nodes import Node, leaf, row
from lemma.render.texmath.spacing import space_operators
from lemma.render.texmath.symbols import (
    FUNCTIONS,
    FUNCTIONS_WITH_LIMITS,
    char_kind,
    function_text,
    symbol,
)
from lemma.render.texmath.tokens import Tok

Stop = Callable[[Tok], bool]
Handler = Callable[["Parser", Tok], "Node | None"]

_INTEGRALS = frozenset("∫∬∭∮∯∰∱∲∳⨌⨍⨏⨐⨑⨒⨓⨔⨕⨖⨗")
_PRIMES = frozenset("′″‴⁗")
_SCRIPT_TIGHT = frozenset(("bin", "rel", "punct"))
_THICK_SPACE = "0.2778em"  # TeX's space around a relation


@dataclass
class RowMarks:
    """What \\tag, \\label and \\notag said about the current row of a display formula."""

    tag: str | None = None
    tag_starred: bool = False
    label: str | None = None
    notag: bool = False
    shove: str | None = None  # \shoveleft (l) or \shoveright (r): a multline row's side
    seen: list[str] = field(default_factory=list)


class Parser:
    """One formula's tokens, read left to right; command handlers live in `commands`."""

    def __init__(
        self,
        tokens: list[Tok],
        commands: dict[str, Handler],
        environments: Handler,
        *,
        display: bool = False,
    ):
        self.tokens = tokens
        self.position = 0
        self.commands = commands
        self.environments = environments
        self.marks = RowMarks()
        self.stops: list[Stop] = [lambda _token: False]
        self.env_depth = 0
        self.outer_tables: list[tuple[Node, Any]] = []  # environments not inside another
        self.notes: list[MathNote] = []  # what converted with something left out, for a warning
        # TeX's style where the parser is: "display" or "text" (a fraction's parts in text style
        # are in script style, set tight); scripts are tightened where they are made.
        self.style = "display" if display else "text"

    # reading tokens
    def peek(self) -> Tok | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def next(self) -> Tok | None:
        token = self.peek()
        self.position += token is not None
        return token

    def skip_spaces(self) -> None:
        while (token := self.peek()) is not None and token.kind == "space":
            self.position += 1

    def group_tokens(self, command: Tok, *, optional: bool = False) -> list[Tok] | None:
        """The tokens of the next argument ({...} or one token), or of [...] when `optional`."""
        self.skip_spaces()
        token = self.peek()
        if optional:
            if token is None or token.kind != "char" or token.text != "[":
                return None
        elif token is None or token.kind in ("}", "&", "^", "_"):
            raise MathError(f"{command.text} is missing its argument", command.offset)
        elif token.kind != "{":
            self.position += 1
            return [token]
        opening = self.next()
        assert opening is not None
        depth, found = 0, list[Tok]()
        while (token := self.next()) is not None:
            if token.kind == "{":
                depth += 1
            elif token.kind == "}":
                if depth == 0 and not optional:
                    return found
                depth -= 1
            elif optional and depth == 0 and token.kind == "char" and token.text == "]":
                return found
            found.append(token)
        raise MathError(f"the argument of {command.text} is never closed", opening.offset)

    def text_argument(self, command: Tok) -> str:
        tokens = self.group_tokens(command) or []
        return "".join(token.text if token.kind != "space" else " " for token in tokens).strip()

    def argument(self, command: Tok) -> Node:
        """The next argument, converted: a group becomes an mrow, one token its node."""
        tokens = self.group_tokens(command)
        return row(self.sub_parse(tokens or []))

    def optional_argument(self, command: Tok) -> Node | None:
        tokens = self.group_tokens(command, optional=True)
        return None if tokens is None else row(self.sub_parse(tokens))

    def sub_parse(self, tokens: list[Tok]) -> list[Node]:
        saved = self.tokens, self.position
        self.tokens, self.position = tokens, 0
        try:
            nodes = self.parse_list(lambda _token: False)
        finally:
            self.tokens, self.position = saved
        return nodes

    # converting
    def parse_list(self, stop: Stop) -> list[Node]:
        """Nodes up to (not including) the first token that `stop` accepts, or the end."""
        self.stops.append(stop)
        items: list[Node] = []
        try:
            while (token := self.peek()) is not None and not stop(token):
                node = self.parse_atom()
                if node is not None:
                    items.append(self.scripts(node))
        finally:
            self.stops.pop()
        if any(node.tag == "infix" for node in items):
            from lemma.render.texmath.fractions import infix  # it builds on this module

            items = infix(self, items)
        return space_operators(items)

    def parse_rest(self) -> list[Node]:
        """The rest of the current group (\\color, \\displaystyle apply up to its end)."""
        return self.parse_list(self.stops[-1])

    def parse_atom(self) -> Node | None:
        token = self.next()
        assert token is not None
        match token.kind:
            case "space":
                return None
            case "{":
                children = self.parse_list(lambda t: t.kind == "}")
                if self.next() is None:
                    raise MathError("a '{' is never closed", token.offset)
                return Node("mrow", children)
            case "}":
                raise MathError("a '}' closes nothing", token.offset)
            case "^" | "_":
                self.position -= 1
                return Node("mrow")
            case "~":
                return leaf("mtext", "\u00a0")
            case "&":
                raise MathError("an alignment '&' outside an environment", token.offset)
            case "#":
                raise MathError(f"#{token.text} outside a macro definition", token.offset)
            case "char":
                return self.character(token)
        return self.command(token)

    def character(self, token: Tok) -> Node:
        char = token.text
        if char.isdigit() and char.isascii():
            digits = [char]
            while (following := self.peek()) is not None and following.kind == "char":
                after = (
                    self.tokens[self.position + 1] if self.position + 1 < len(self.tokens) else None
                )
                if following.text.isdigit() and following.text.isascii():
                    digits.append(following.text)
                elif following.text == "." and after is not None and after.text.isdigit():
                    digits.append(".")
                else:
                    break
                self.position += 1
            return leaf("mn", "".join(digits), "ord")
        if char == "'":
            return leaf("mo", "′", "ord")
        category = unicodedata.category(char)
        if category.startswith("L"):
            return leaf("mi", char, "ord")
        if category == "Nd":
            return leaf("mn", char, "ord")
        return operator(char, char_kind(char))

    def command(self, token: Tok) -> Node | None:
        name = token.text
        handler = self.commands.get(name)
        if handler is not None:
            return handler(self, token)
        if name == "\\begin":
            return self.environments(self, token)
        found = symbol(name)
        if found is not None:
            if found.kind == "ord":
                # TeX's capital Greek and \nabla are upright; a one-letter <mi> is italic.
                capital = found.char.isupper() and unicodedata.category(found.char) == "Lu"
                upright = capital or found.char == "∇"
                return leaf(
                    "mi", found.char, "ord", **({"mathvariant": "normal"} if upright else {})
                )
            return operator(found.char, found.kind)
        word = name[1:]
        if word in FUNCTIONS or word in FUNCTIONS_WITH_LIMITS:
            return function(function_text(word), limits=word in FUNCTIONS_WITH_LIMITS)
        if name in ("\\end", "\\right", "\\\\"):
            raise MathError(f"{name} without its opening", token.offset)
        raise MathError(
            f"unknown command {name}",
            token.offset,
            hint=f"Lemma's TeX has no {name}: define it under [macros] in site.toml, or with"
            f" \\newcommand{{{name}}}{{…}} in the post, or write the formula without it",
        )

    def scripts(self, base: Node) -> Node:
        limits: bool | None = None
        sub: Node | None = None
        sup: Node | None = None
        primes = ""
        while (token := self.peek()) is not None:
            if token.is_cmd("\\limits", "\\nolimits"):
                limits = token.text == "\\limits"
            elif token.kind == "char" and token.text == "'":
                primes += "′"
            elif token.kind in ("^", "_"):
                self.position += 1
                self.skip_spaces()
                argument = self.script_argument(token)
                if token.kind == "^":
                    if sup is not None:
                        raise MathError("a double superscript: use braces, x^{ab}", token.offset)
                    sup = argument
                else:
                    if sub is not None:
                        raise MathError("a double subscript: use braces, x_{ab}", token.offset)
                    sub = argument
                continue
            elif token.kind != "space":
                break
            self.position += 1
        if primes:
            prime = leaf("mo", primes, "ord")
            sup = prime if sup is None else Node("mrow", [prime, sup])
        if sup is not None:
            _mark_primes(sup)
        for script in (sub, sup):
            if script is not None:
                tighten_script(script)
        if sub is None and sup is None:
            return base
        if limits is None:
            limits = base.kind in ("limits", "funclimits") or (
                base.kind == "op" and (base.text or "") not in _INTEGRALS
            )
            if limits and base.kind == "op":
                base.attrs["movablelimits"] = "true"  # below and above in display only
        elif limits and base.kind == "op":
            base.attrs["movablelimits"] = "false"  # \limits: below and above even inline
        if limits:
            tag = "munderover" if sub and sup else "munder" if sub else "mover"
        else:
            tag = "msubsup" if sub and sup else "msub" if sub else "msup"
            if sub is not None and self.style == "display" and base.text in _INTEGRALS:
                # Chromium tucks a display integral's lower limit under its slant (the glyph's
                # italic correction) but still counts that width after it: the theme takes it
                # back (tex-int-sub), else ∫_Ω stood 0.54 em off the integrand.
                sub = Node("mrow", [sub]).set(**{"class": "tex-int-sub"})
        children = [base, *(node for node in (sub, sup) if node is not None)]
        return Node(tag, children, kind="ord" if base.kind == "limits" else base.kind)

    def script_argument(self, token: Tok) -> Node:
        following = self.peek()
        if following is None or following.kind in ("}", "&", "^", "_"):
            raise MathError(f"'{token.text}' is missing its script", token.offset)
        if following.kind == "char" and following.text.isdigit():
            self.position += 1  # x^23 raises only the 2, as TeX does
            return leaf("mn", following.text, "ord")
        node = self.parse_atom()
        return node if node is not None else Node("mrow")


def _mark_primes(sup: Node) -> None:
    """f' is f^{\\prime}: the theme shows a prime in a superscript in the font's script form
    (larger, lower: TeX's), as ′ itself is drawn high, for a prime beside its letter."""
    for node in (sup, *sup.children) if sup.tag == "mrow" else (sup,):
        if node.text and node.tag in ("mo", "mi") and set(node.text) <= _PRIMES:
            node.set(**{"class": "tex-prime"})


def tighten_script(script: Node) -> Node:
    """TeX sets scripts and limits in script style, where a relation, a binary operator or a
    punctuation mark takes no space around it (i=1 under a sum); browsers space them as on the
    line. An operator given its own spaces (\\bmod) and \\displaystyle inside keep theirs."""
    if script.tag == "mstyle" and script.attrs.get("scriptlevel") == "0":
        return script
    own_spaces = "lspace" in script.attrs and script.text != ":"  # ':' has a relation's
    if script.tag == "mo" and script.kind in _SCRIPT_TIGHT and not own_spaces:
        script.set(lspace="0", rspace="0")
    for child in script.children:
        tighten_script(child)
    return script


def operator(char: str, kind: str, **attrs: str) -> Node:
    node = leaf("mo", "−" if char == "-" else char, kind, **attrs)
    if kind == "op":
        node.attrs.setdefault("largeop", "true")
    elif kind in ("open", "close", "fence") or _may_stretch(char):
        node.attrs.setdefault("stretchy", "false")  # in TeX only \left, \right, \big stretch
    if kind == "ord":
        node.attrs.update({"lspace": "0", "rspace": "0"})
    elif kind == "rel" and char == ":":  # browsers space ':' as punctuation; TeX's is a relation
        node.attrs.update({"lspace": _THICK_SPACE, "rspace": _THICK_SPACE})
    return node


def _may_stretch(char: str) -> bool:
    """Characters the browsers' operator dictionary stretches unless told not to."""
    code = ord(char[0]) if char else 0
    return char in "|/\\‖()[]{}⟨⟩⌈⌉⌊⌋" or 0x2190 <= code <= 0x21FF or 0x27F0 <= code <= 0x27FF


def function(text: str, *, limits: bool) -> Node:
    """An upright operator name: \\sin, \\operatorname{rank}; with limits: \\lim, \\max."""
    if limits:
        return leaf("mo", text, "funclimits", movablelimits="true", lspace="0", rspace="0")
    node = leaf("mi", text, "func")
    if len(text) == 1:
        node.set(mathvariant="normal")
    return node
