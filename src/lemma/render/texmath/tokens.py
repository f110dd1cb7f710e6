"""TeX source to tokens: control sequences, characters, groups, parameters, each with its offset."""

from __future__ import annotations

from dataclasses import dataclass

from lemma.render.texmath.errors import MathError

_SPECIALS = frozenset("{}^_&#~")


@dataclass(frozen=True, slots=True)
class Tok:
    """One TeX token. `kind` is "cmd" (text is "\\name"), "char", "space" or one of "{}^_&#~"."""

    kind: str
    text: str
    offset: int  # into the formula's source, for the line of an error

    def is_cmd(self, *names: str) -> bool:
        return self.kind == "cmd" and self.text in names


def tokenize(source: str, base_offset: int = 0) -> list[Tok]:
    """Every token of `source`; comments are dropped, runs of spaces become one space token."""
    tokens: list[Tok] = []
    index, end = 0, len(source)
    while index < end:
        char = source[index]
        offset = base_offset + index
        if char == "\\":
            if index + 1 >= end:
                raise MathError("a lone '\\' at the end of the formula", offset)
            following = source[index + 1]
            if following.isascii() and following.isalpha():
                stop = index + 2
                while stop < end and source[stop].isascii() and source[stop].isalpha():
                    stop += 1
                name = source[index:stop]
                if name in ("\\begin", "\\end"):  # keep "\begin" apart from its {name}
                    tokens.append(Tok("cmd", name, offset))
                    index = stop
                    continue
                tokens.append(Tok("cmd", name, offset))
                index = stop
                while index < end and source[index] in " \t\n":  # TeX skips spaces after \name
                    index += 1
                continue
            tokens.append(Tok("cmd", "\\" + following, offset))
            index += 2
        elif char == "%":
            newline = source.find("\n", index)
            index = end if newline < 0 else newline + 1
        elif char in " \t\r\n":
            while index < end and source[index] in " \t\r\n":
                index += 1
            tokens.append(Tok("space", " ", offset))
        elif char in _SPECIALS:
            if char == "#" and index + 1 < end and source[index + 1].isdigit():
                tokens.append(Tok("#", source[index + 1], offset))
                index += 2
                continue
            tokens.append(Tok(char, char, offset))
            index += 1
        else:
            tokens.append(Tok("char", char, offset))
            index += 1
    return tokens


def untokenize(tokens: list[Tok]) -> str:
    """Tokens back to TeX, for fallbacks and for the text of \\operatorname and \\text."""
    parts: list[str] = []
    for index, token in enumerate(tokens):
        if token.kind == "#":
            parts.append("#" + token.text)
            continue
        parts.append(token.text)
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if (
            token.kind == "cmd"
            and token.text[1:].isalpha()
            and following is not None
            and following.kind == "char"
            and following.text.isalpha()
        ):
            parts.append(" ")
    return "".join(parts)


def filled(template: str, offset: int, *args: list[Tok]) -> list[Tok]:
    """The tokens of `template`, TeX a package writes for a command, each #n replaced by the
    tokens of the n-th argument (all at `offset`, the command's, for errors)."""
    expanded: list[Tok] = []
    for part in tokenize(template, offset):
        expanded.extend(args[int(part.text) - 1] if part.kind == "#" else [part])
    return expanded
