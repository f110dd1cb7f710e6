"""Author macros: \\newcommand, \\renewcommand, \\def, \\DeclareMathOperator and their expansion."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lemma.render.texmath.errors import MathError
from lemma.render.texmath.tokens import Tok, tokenize

_NEW = ("\\newcommand", "\\renewcommand", "\\providecommand")
_PAIRED = (
    "\\DeclarePairedDelimiter",
    "\\DeclarePairedDelimiterX",
    "\\DeclarePairedDelimiterXPP",
)
_ENVIRONMENTS = ("\\newenvironment", "\\renewenvironment")
# KaTeX's \\gdef, \\edef, \\xdef are \\def here: every definition lasts the rest of the post.
_DEFS = ("\\def", "\\gdef", "\\edef", "\\xdef")
_OTHER_DEFINERS = (*_DEFS, "\\DeclareMathOperator", "\\let", "\\definecolor")
_DEFINERS = frozenset((*_NEW, *_PAIRED, *_ENVIRONMENTS, *_OTHER_DEFINERS))
# The commands that take colours, and how many: a colour \definecolor named is written in.
_COLOUR_USERS = {
    "\\color": 1,
    "\\textcolor": 1,
    "\\colorbox": 1,
    "\\fcolorbox": 2,
    "\\cellcolor": 1,
    "\\rowcolor": 1,
}
_EXPANSION_LIMIT = 10_000  # a macro that calls itself would otherwise never stop


@dataclass(frozen=True, slots=True)
class Macro:
    name: str  # with its backslash: "\\R"
    params: int
    body: tuple[Tok, ...]
    default: tuple[Tok, ...] | None = None  # the optional first argument's default
    # mathtools' \DeclarePairedDelimiter: the opening and closing delimiters around the body,
    # and (the XPP form) what comes before and after the pair
    delimiters: tuple[tuple[Tok, ...], ...] | None = None
    # \newenvironment{name}: `name` is "{name}", `body` what \begin{name} becomes, this \end's
    ending: tuple[Tok, ...] | None = None


def macro_from_text(
    name: str, body: str, params: int | None = None, default: str | None = None
) -> Macro:
    """A macro written as text (site.toml); its parameter count is the highest #n unless given,
    and `default` makes #1 optional (`\\f[x]{y}` or `\\f{y}`), as \\newcommand's [default] does."""
    tokens = tuple(tokenize(body))
    used = max((int(token.text) for token in tokens if token.kind == "#"), default=0)
    optional = None if default is None else tuple(tokenize(default))
    return Macro("\\" + name.lstrip("\\"), used if params is None else params, tokens, optional)


def is_definer(token: Tok) -> bool:
    return token.kind == "cmd" and token.text in _DEFINERS


def expand(tokens: Iterable[Tok], macros: Mapping[str, Macro]) -> tuple[list[Tok], list[Macro]]:
    """The tokens with every macro expanded, and the macros the tokens define (in order)."""
    known = dict(macros)
    defined: list[Macro] = []
    stack = list(tokens)[::-1]  # the next token is last: pop() reads the formula forwards
    out: list[Tok] = []
    budget = _EXPANSION_LIMIT
    while stack:
        token = stack.pop()
        if token.is_cmd("\\global"):  # \\global\\def: every definition is the post's
            continue
        if is_definer(token):
            macro = _read_definition(token, stack)
            known[macro.name] = macro
            defined.append(macro)
        elif token.is_cmd("\\begin", "\\end") and (environment := _environment(stack, known)):
            for _ in range(len(environment.name)):  # {name}, one token a character
                stack.pop()
            if token.text == "\\end":
                stack.extend(reversed([_at(part, token) for part in environment.ending or ()]))
            else:
                stack.extend(reversed(_expansion(environment, token, stack)))
        elif token.kind == "cmd" and token.text in _COLOUR_USERS:
            _named_colours(token, stack, known)
            out.append(token)
        elif token.kind == "cmd" and token.text in known:
            budget -= 1
            if budget < 0:
                raise MathError(
                    f"{token.text} expands without end (does it use itself?)", token.offset
                )
            stack.extend(reversed(_expansion(known[token.text], token, stack)))
        else:
            out.append(token)
    return out, defined


def _named_colours(command: Tok, stack: list[Tok], known: Mapping[str, Macro]) -> None:
    """The colours \\definecolor named, written in where \\color{name} and kin use them."""
    model = read_optional(stack)
    colours = []
    for _ in range(_COLOUR_USERS[command.text]):
        found = read_argument(stack)
        if found is None:
            break
        colours.append(found)
    defined = [known.get("color:" + "".join(t.text for t in c).strip()) for c in colours]
    if any(defined):
        model = None  # a defined colour is written as #rrggbb, a plain name as it is
        colours = [list(d.body) if d else c for d, c in zip(defined, colours, strict=True)]
    pushed: list[Tok] = []
    if model is not None:
        pushed += [Tok("char", "[", command.offset), *model, Tok("char", "]", command.offset)]
    for colour in colours:
        pushed += [Tok("{", "{", command.offset), *colour, Tok("}", "}", command.offset)]
    stack.extend(reversed(pushed))


def _environment(stack: list[Tok], known: Mapping[str, Macro]) -> Macro | None:
    """The author's environment named after a \\begin or \\end (the stack's next tokens)."""
    if not stack or stack[-1].kind != "{":
        return None
    name = "{"
    for token in reversed(stack[:-1]):
        if token.kind == "}":
            found = known.get(name + "}")
            return found if found is not None and found.ending is not None else None
        if token.kind != "char" or len(name) > 40:
            return None
        name += token.text
    return None


def _at(token: Tok, call: Tok) -> Tok:
    return Tok(token.kind, token.text, call.offset)


def _expansion(macro: Macro, call: Tok, stack: list[Tok]) -> list[Tok]:
    if macro.delimiters is not None:
        return _paired(macro, call, stack)
    return _substitute(macro, call, _arguments(macro, call, stack))


def _paired(macro: Macro, call: Tok, stack: list[Tok]) -> list[Tok]:
    """\\abs{x} with its delimiters as they are, \\abs*{x} growing with x (\\left, \\right),
    \\abs[\\big]{x} at that size; \\delimsize in an X body is the size used."""
    assert macro.delimiters is not None
    starred = bool(stack) and stack[-1].kind == "char" and stack[-1].text == "*"
    if starred:
        stack.pop()
    size = None if starred else read_optional(stack)
    body = _substitute(macro, call, _arguments(macro, call, stack))
    opening, closing, *around = (list(part) for part in macro.delimiters)
    before, after = around if around else ([], [])
    if starred:
        left, right, delimsize = [_cmd("\\left", call)], [_cmd("\\right", call)], "\\middle"
    elif size:
        big = size[0].text
        if size[0].kind != "cmd" or not big.startswith(("\\big", "\\Big")):
            raise MathError(f"{macro.name}[…] takes a size such as \\big or \\Bigg", call.offset)
        left, right, delimsize = [_cmd(big + "l", call)], [_cmd(big + "r", call)], big
    else:
        group = [Tok("{", "{", call.offset)], [Tok("}", "}", call.offset)]
        opening = [*group[0], *opening, *group[1]]
        closing = [*group[0], *closing, *group[1]]
        left, right, delimsize = [_cmd("\\mathopen", call)], [_cmd("\\mathclose", call)], ""
    body = _resized(body, delimsize, call)
    return [*before, *left, *opening, *body, *right, *closing, *after]


def _resized(body: list[Tok], delimsize: str, call: Tok) -> list[Tok]:
    """The body with \\delimsize as the size of the pair (nothing at the natural size)."""
    return [
        _cmd(delimsize, call) if token.is_cmd("\\delimsize") else token
        for token in body
        if delimsize or not token.is_cmd("\\delimsize")
    ]


def _cmd(name: str, call: Tok) -> Tok:
    return Tok("cmd", name, call.offset)


def _arguments(macro: Macro, call: Tok, stack: list[Tok]) -> list[list[Tok]]:
    args: list[list[Tok]] = []
    if macro.default is not None:
        optional = read_optional(stack)
        args.append(list(macro.default) if optional is None else optional)
    while len(args) < macro.params:
        argument = read_argument(stack)
        if argument is None:
            raise MathError(f"{macro.name} needs {macro.params} argument(s)", call.offset)
        args.append(argument)
    return args


def _substitute(macro: Macro, call: Tok, args: list[list[Tok]]) -> list[Tok]:
    result: list[Tok] = []
    for part in macro.body:
        if part.kind == "#":
            number = int(part.text)
            if not 1 <= number <= len(args):
                raise MathError(f"{macro.name} uses #{number} but takes {len(args)}", call.offset)
            result.extend(args[number - 1])
        else:
            result.append(Tok(part.kind, part.text, call.offset))
    return result


def _skip_spaces(stack: list[Tok]) -> None:
    while stack and stack[-1].kind == "space":
        stack.pop()


def read_argument(stack: list[Tok]) -> list[Tok] | None:
    """One undelimited argument from a reversed token stack: a {group} (unwrapped) or one token."""
    _skip_spaces(stack)
    if not stack or stack[-1].kind == "}":
        return None
    first = stack.pop()
    if first.kind != "{":
        return [first]
    depth, group = 1, list[Tok]()
    while stack:
        token = stack.pop()
        depth += {"{": 1, "}": -1}.get(token.kind, 0)
        if depth == 0:
            return group
        group.append(token)
    raise MathError("a '{' is never closed", first.offset)


def read_optional(stack: list[Tok]) -> list[Tok] | None:
    """A [bracketed] optional argument from a reversed stack, or None when there is none."""
    _skip_spaces(stack)
    if not stack or stack[-1].kind != "char" or stack[-1].text != "[":
        return None
    opening = stack.pop()
    depth, group = 0, list[Tok]()
    while stack:
        token = stack.pop()
        depth += {"{": 1, "}": -1}.get(token.kind, 0)
        if depth == 0 and token.kind == "char" and token.text == "]":
            return group
        group.append(token)
    raise MathError("a '[' is never closed", opening.offset)


def _read_definition(definer: Tok, stack: list[Tok]) -> Macro:
    starred = bool(stack) and stack[-1].kind == "char" and stack[-1].text == "*"
    if starred:
        stack.pop()
    name_tokens = read_argument(stack)
    if definer.text == "\\definecolor":
        return _read_colour(definer, name_tokens or [], stack)
    if definer.text in _ENVIRONMENTS:
        letters = "".join(t.text for t in name_tokens or [] if t.kind == "char")
        if not letters or len(letters) != len(name_tokens or []):
            raise MathError(f"{definer.text} needs an environment name such as {{mycases}}")
        return _read_environment(definer, "{" + letters + "}", stack)
    if name_tokens is None or len(name_tokens) != 1 or name_tokens[0].kind != "cmd":
        raise MathError(f"{definer.text} needs a command name such as \\R", definer.offset)
    name = name_tokens[0].text
    if definer.text == "\\let":
        _skip_spaces(stack)
        if stack and stack[-1].kind == "char" and stack[-1].text == "=":
            stack.pop()
        target = read_argument(stack) or []
        return Macro(name, 0, tuple(target))
    if definer.text in _PAIRED:
        return _read_paired(definer, name, stack)
    if definer.text == "\\DeclareMathOperator":
        words = read_argument(stack)
        if words is None:
            raise MathError(f"{definer.text}{{{name}}} needs the operator's text", definer.offset)
        star = [Tok("char", "*", definer.offset)] if starred else []
        opening, closing = Tok("{", "{", definer.offset), Tok("}", "}", definer.offset)
        operator = Tok("cmd", "\\operatorname", definer.offset)
        return Macro(name, 0, (operator, *star, opening, *words, closing))
    params, default = 0, None
    if definer.text in _DEFS:
        while stack and stack[-1].kind == "#":
            params += 1
            stack.pop()
    else:
        count = read_optional(stack)
        if count is not None:
            text = "".join(token.text for token in count).strip()
            if not text.isdigit() or not 0 <= int(text) <= 9:
                raise MathError(f"{definer.text}{{{name}}}[{text}]: not a number of arguments")
            params = int(text)
        optional = read_optional(stack)
        if optional is not None:
            default = tuple(optional)
    body = read_argument(stack)
    if body is None:
        raise MathError(f"{definer.text}{{{name}}} needs a body in braces", definer.offset)
    return Macro(name, params, tuple(body), default)


def _read_paired(definer: Tok, name: str, stack: list[Tok]) -> Macro:
    """\\DeclarePairedDelimiter{\\abs}{\\lvert}{\\rvert}; the X form: [n]{open}{close}{body};
    the XPP form: [n]{before}{open}{close}{after}{body}."""
    params, body = 1, (Tok("#", "1", definer.offset),)
    body_tokens: tuple[Tok, ...] = body
    extended = definer.text.endswith(("X", "XPP"))
    if extended:
        count = read_optional(stack)
        text = "".join(token.text for token in count or []).strip() or "0"
        if not text.isdigit():
            raise MathError(f"{definer.text}{{{name}}}[{text}]: not a number of arguments")
        params = int(text)
    before = read_argument(stack) if definer.text.endswith("XPP") else []
    opening, closing = read_argument(stack), read_argument(stack)
    after = read_argument(stack) if definer.text.endswith("XPP") else []
    if opening is None or closing is None or before is None or after is None:
        raise MathError(f"{definer.text}{{{name}}} needs its delimiters", definer.offset)
    if extended:
        found = read_argument(stack)
        if found is None:
            raise MathError(f"{definer.text}{{{name}}} needs a body in braces", definer.offset)
        body_tokens = tuple(found)
    parts = (tuple(opening), tuple(closing), tuple(before), tuple(after))
    return Macro(name, params, body_tokens, None, parts)


def _read_environment(definer: Tok, name: str, stack: list[Tok]) -> Macro:
    """\\newenvironment{name}[n][default]{begin}{end}: its arguments follow \\begin{name}."""
    params, default = 0, None
    count = read_optional(stack)
    if count is not None:
        text = "".join(token.text for token in count).strip()
        if not text.isdigit():
            raise MathError(f"{definer.text}{name}[{text}]: not a number of arguments")
        params = int(text)
        optional = read_optional(stack)
        default = tuple(optional) if optional is not None else None
    begin, end = read_argument(stack), read_argument(stack)
    if begin is None or end is None:
        raise MathError(f"{definer.text}{name} needs its begin and end code in braces")
    return Macro(name, params, tuple(begin), default, ending=tuple(end))


def _read_colour(definer: Tok, name_tokens: list[Tok], stack: list[Tok]) -> Macro:
    """\\definecolor{name}{model}{spec}: a colour for the rest of the post, as #rrggbb."""
    from lemma.render.texmath.commands import colour_from_model  # reads the models

    name = "".join(t.text for t in name_tokens).strip()
    model, spec = read_argument(stack), read_argument(stack)
    if not name or model is None or spec is None:
        raise MathError("\\definecolor needs a name, a model and a colour", definer.offset)
    text = "".join(t.text for t in model).strip()
    hex_colour = colour_from_model(text, "".join(t.text for t in spec).strip(), definer)
    characters = tuple(Tok("char", char, definer.offset) for char in hex_colour)  # # is no #1
    return Macro("color:" + name, 0, characters)
