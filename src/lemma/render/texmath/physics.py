"""The physics package, as MathJax's physics extension has it (sites load it in their MathJax
configuration, or with \\require{physics}): automatic bracing (\\qty, \\abs, \\norm, \\eval,
\\order, \\comm), vectors (\\vb, \\va, \\vu, \\grad, \\curl, \\laplacian), derivatives (\\dd, \\dv,
\\pdv, \\fdv, \\var), Dirac's notation (\\ip, \\op, \\dyad, \\expval, \\mel), matrices (\\mqty and
kin) and operators (\\tr, \\Tr, \\rank, \\erf, \\Res, \\pv).

Each is the TeX the package writes, read again: \\abs{x} is \\left\\lvert x \\right\\rvert, and a
starred form (\\abs*{x}) keeps the delimiters their normal size. The package's redefinitions of
standard commands are left out, so that a post without it reads as before: \\div stays ÷ (the
divergence is \\divergence), \\Re and \\Im stay ℜ and ℑ, \\sin takes no parentheses of its own.
"""

from __future__ import annotations

from lemma.render.texmath.errors import MathError
from lemma.render.texmath.nodes import Node, row
from lemma.render.texmath.parser import Handler, Parser
from lemma.render.texmath.tokens import Tok, filled

# What each opening of an argument in delimiters stands for: its closing, and the delimiters
# TeX draws (\qty{x} draws braces).
_DELIMITED = {"(": (")", "(", ")"), "[": ("]", "[", "]"), "|": ("|", "|", "|")}
_BRACES = ("\\{", "\\}")
_ROWS_IN_DELIMITERS = ("\\mqty", "\\matrixquantity", "\\smqty")


def _parsed(parser: Parser, template: str, token: Tok, *args: list[Tok]) -> Node:
    return row(parser.sub_parse(filled(template, token.offset, *args)))


def _star(parser: Parser) -> bool:
    """Whether a `*` follows the command (read)."""
    following = parser.peek()
    if following is not None and following.kind == "char" and following.text == "*":
        parser.position += 1
        return True
    return False


def _next_is(parser: Parser, *texts: str) -> bool:
    """Whether the next token but spaces is one of `texts` (characters, or "{" for a group)."""
    parser.skip_spaces()
    following = parser.peek()
    if following is None:
        return False
    if following.kind == "{":
        return "{" in texts
    return following.kind == "char" and following.text in texts


def _delimited(parser: Parser, token: Tok) -> tuple[str, str, list[Tok]] | None:
    """The next argument in (…), […], |…| or {…}: its delimiters as TeX draws them and its
    tokens; None when none follows."""
    if _next_is(parser, "{"):
        return (*_BRACES, parser.group_tokens(token) or [])
    if not _next_is(parser, *_DELIMITED):
        return None
    opening = parser.position
    closing = _closing(parser.tokens, opening)
    if closing is None:
        raise MathError(
            f"the {parser.tokens[opening].text}…{_DELIMITED[parser.tokens[opening].text][0]} of"
            f" {token.text} is never closed",
            token.offset,
        )
    _, left, right = _DELIMITED[parser.tokens[opening].text]
    parser.position = closing + 1
    return left, right, parser.tokens[opening + 1 : closing]


def _closing(tokens: list[Tok], opening: int) -> int | None:
    """Where the (…), […] or |…| that opens at `opening` closes (parentheses inside parentheses
    pair up, braces hide what they hold); None when it never does."""
    closing = _DELIMITED[tokens[opening].text][0]
    braces, nested = 0, 0
    for index in range(opening + 1, len(tokens)):
        item = tokens[index]
        if item.kind in ("{", "}"):
            braces += 1 if item.kind == "{" else -1
        elif item.kind == "char" and braces == 0:
            if item.text == closing and nested == 0:
                return index
            if closing != "|" and item.text in (tokens[opening].text, closing):
                nested += 1 if item.text == tokens[opening].text else -1
    return None


def rows_end(tokens: list[Tok], index: int) -> int:
    """After \\mqty and kin at `index`: the index past the (…), […] or |…| that holds its rows,
    whose \\\\ end matrix rows, not the formula's lines; `index + 1` for any other token."""
    if not tokens[index].is_cmd(*_ROWS_IN_DELIMITERS):
        return index + 1
    following = index + 1
    while following < len(tokens) and tokens[following].kind == "space":
        following += 1
    if following == len(tokens) or tokens[following].kind != "char":
        return index + 1
    if tokens[following].text not in _DELIMITED:
        return index + 1
    closing = _closing(tokens, following)
    return index + 1 if closing is None else closing + 1


def _sized(left: str, right: str, starred: bool) -> str:
    """A template of `#1` between the delimiters: grown to its height unless `starred`."""
    if starred:
        return f"{left} #1 {right}"
    return f"\\left{left} #1 \\right{right}"


# Automatic bracing ------------------------------------------------------------------------------


def _quantity(parser: Parser, token: Tok) -> Node:
    """\\qty(x), \\qty[x], \\qty{x}, \\qty|x|: the argument in its delimiters, grown to fit."""
    starred = _star(parser)
    found = _delimited(parser, token)
    if found is None:
        raise MathError(f"{token.text} needs its argument in (…), […], {{…}} or |…|", token.offset)
    left, right, content = found
    return _parsed(parser, _sized(left, right, starred), token, content)


_FIXED_BRACING = {  # the command's delimiters, whatever the argument is written in
    "\\pqty": ("(", ")"),
    "\\bqty": ("[", "]"),
    "\\vqty": ("\\vert", "\\vert"),
    "\\Bqty": _BRACES,
    "\\abs": ("\\lvert", "\\rvert"),
    "\\absolutevalue": ("\\lvert", "\\rvert"),
    "\\norm": ("\\lVert", "\\rVert"),
}


def _bracing(parser: Parser, token: Tok) -> Node:
    left, right = _FIXED_BRACING[token.text]
    starred = _star(parser)
    content = parser.group_tokens(token) or []
    return _parsed(parser, _sized(left, right, starred), token, content)


def _evaluated(parser: Parser, token: Tok) -> Node:
    """\\eval{f}_a^b is f with a bar at its right, the scripts on the bar; \\eval(f)|_a^b opens
    with a parenthesis."""
    starred = _star(parser)
    if _next_is(parser, "(", "["):
        found = _delimited(parser, token)
        assert found is not None
        left, _, content = found
        if _next_is(parser, "|"):
            parser.position += 1
    else:
        left, content = ".", parser.group_tokens(token) or []
    opening = "" if left == "." else left
    template = f"{opening} #1 \\vert" if starred else f"\\left{left} #1 \\right\\vert"
    return _parsed(parser, template, token, content)


def _order(parser: Parser, token: Tok) -> Node:
    """\\order{x^2}: 𝒪(x²)."""
    starred = _star(parser)
    found = _delimited(parser, token)
    content = found[2] if found is not None else parser.group_tokens(token) or []
    return _parsed(parser, "\\mathcal{O}" + _sized("(", ")", starred), token, content)


_PAIRS = {  # the brackets of \comm{A}{B} and kin
    "\\comm": ("[", "]"),
    "\\commutator": ("[", "]"),
    "\\acomm": _BRACES,
    "\\anticommutator": _BRACES,
    "\\pb": _BRACES,
    "\\poissonbracket": _BRACES,
}


def _pair(parser: Parser, token: Tok) -> Node:
    left, right = _PAIRS[token.text]
    starred = _star(parser)
    first = parser.group_tokens(token) or []
    second = parser.group_tokens(token) or []
    template = _sized(left, right, starred).replace("#1", "#1 , #2")
    return _parsed(parser, template, token, first, second)


# Vectors ------------------------------------------------------------------------------------------

_VECTORS = {  # upright bold; starred, bold italic
    "\\vb": "#1",
    "\\vectorbold": "#1",
    "\\va": "\\vec{#1}",
    "\\vectorarrow": "\\vec{#1}",
    "\\vu": "\\hat{#1}",
    "\\vectorunit": "\\hat{#1}",
}


def _vector(parser: Parser, token: Tok) -> Node:
    bold = "\\boldsymbol" if _star(parser) else "\\mathbf"
    content = parser.group_tokens(token) or []
    return _parsed(parser, _VECTORS[token.text].replace("#1", f"{bold}{{#1}}"), token, content)


_OPERATORS = {  # an operator on what follows it: \grad{f}, \grad(f + g), or nothing
    "\\grad": "\\boldsymbol{\\nabla}",
    "\\gradient": "\\boldsymbol{\\nabla}",
    "\\divergence": "\\boldsymbol{\\nabla}\\cdot",
    "\\curl": "\\boldsymbol{\\nabla}\\times",
    "\\laplacian": "\\nabla^2",
    "\\var": "\\delta",
    "\\variation": "\\delta",
}


def _operator(parser: Parser, token: Tok) -> Node:
    starred = _star(parser)
    found = _delimited(parser, token) if _next_is(parser, "(", "[", "{") else None
    if found is None:
        return _parsed(parser, _OPERATORS[token.text], token)
    left, right, content = found
    braced = left == _BRACES[0]
    around = "{#1}" if braced else _sized(left, right, starred)
    return _parsed(parser, _OPERATORS[token.text] + around, token, content)


_SYMBOLS = {
    "\\vdot": "\\mathbin{\\boldsymbol{\\cdot}}",
    "\\dotproduct": "\\mathbin{\\boldsymbol{\\cdot}}",
    "\\cross": "\\mathbin{\\boldsymbol{\\times}}",
    "\\cp": "\\mathbin{\\boldsymbol{\\times}}",
    "\\crossproduct": "\\mathbin{\\boldsymbol{\\times}}",
    "\\tr": "\\operatorname{tr}",
    "\\trace": "\\operatorname{tr}",
    "\\Tr": "\\operatorname{Tr}",
    "\\Trace": "\\operatorname{Tr}",
    "\\rank": "\\operatorname{rank}",
    "\\erf": "\\operatorname{erf}",
    "\\Res": "\\operatorname{Res}",
    "\\pv": "\\mathcal{P}",
    "\\principalvalue": "\\mathcal{P}",
    "\\PV": "\\operatorname{P.V.}",
}


def _symbol(parser: Parser, token: Tok) -> Node:
    return _parsed(parser, _SYMBOLS[token.text], token)


# Derivatives ------------------------------------------------------------------------------------

_DIFFERENTIALS = {
    "\\dv": "\\mathrm{d}",
    "\\derivative": "\\mathrm{d}",
    "\\pdv": "\\partial",
    "\\partialderivative": "\\partial",
    "\\fdv": "\\delta",
    "\\functionalderivative": "\\delta",
}


def _differential(parser: Parser, token: Tok) -> Node:
    """\\dd alone is an upright d; \\dd{x} (\\dd(x)) is the differential dx, a thin space before
    it; \\dd[3]{x} is d³x."""
    order = parser.group_tokens(token, optional=True)
    power = filled("^{#1}", token.offset, order) if order else []
    if not _next_is(parser, "{", "("):
        return _parsed(parser, "\\mathrm{d}#1", token, power)
    found = _delimited(parser, token)
    assert found is not None
    left, right, content = found
    around = "{#1}" if left == _BRACES[0] else _sized(left, right, starred=False)
    return _parsed(parser, "\\,\\mathrm{d}#2" + around, token, content, power)


def _derivative(parser: Parser, token: Tok) -> Node:
    """\\dv{x}, \\dv{f}{x}, \\dv[n]{f}{x}; \\pdv{f}{x}{y} mixed; \\dv*{f}{x} flat (df/dx);
    \\dv{x}(f + g): the operator on what follows, in parentheses grown to fit."""
    d = _DIFFERENTIALS[token.text]
    flat = _star(parser)
    order = parser.group_tokens(token, optional=True)
    first = parser.group_tokens(token) or []
    arguments = [first]
    while len(arguments) < 3 and _next_is(parser, "{"):
        arguments.append(parser.group_tokens(token) or [])
    if len(arguments) == 3 and token.text in ("\\pdv", "\\partialderivative"):
        function, variables = arguments[0], arguments[1:]
        top = filled(f"{d}^{{2}} #1", token.offset, function)
        bottom = filled(f"{d} #1 {d} #2", token.offset, *variables)
    else:
        if len(arguments) == 3:
            raise MathError(f"{token.text} takes at most two arguments", token.offset)
        function = arguments[0] if len(arguments) == 2 else []
        variable = arguments[-1]
        power = filled("^{#1}", token.offset, order) if order else []
        top = filled(f"{d}#2 #1", token.offset, function, power)
        bottom = filled(f"{d} {{#1}}#2", token.offset, variable, power)
    template = "{#1}/{#2}" if flat else "\\frac{#1}{#2}"
    operator = filled(template, token.offset, top, bottom)
    if len(arguments) == 1 and _next_is(parser, "("):
        found = _delimited(parser, token)
        assert found is not None
        left, right, content = found
        operator += filled(_sized(left, right, starred=False), token.offset, content)
    return row(parser.sub_parse(operator))


# Dirac's notation ------------------------------------------------------------------------------


def _dirac(template: str, starred_template: str, count: int) -> Handler:
    def handler(parser: Parser, token: Tok) -> Node:
        starred = _star(parser)
        args = [parser.group_tokens(token) or [] for _ in range(count)]
        return _parsed(parser, starred_template if starred else template, token, *args)

    return handler


def _one_or_two(one: Handler, two: Handler) -> Handler:
    """A command of one argument, or of two when a second {…} follows the first (\\expval{A}
    and \\expval{A}{Ψ})."""

    def handler(parser: Parser, token: Tok) -> Node | None:
        start = parser.position
        _star(parser)
        parser.group_tokens(token)
        second = _next_is(parser, "{")
        parser.position = start
        return (two if second else one)(parser, token)

    return handler


_EXPECTATION = _one_or_two(
    _dirac(r"\left\langle #1 \right\rangle", r"\langle #1 \rangle", 1),
    _dirac(
        r"\left\langle #2 \middle\vert #1 \middle\vert #2 \right\rangle",
        r"\langle #2 \vert #1 \vert #2 \rangle",
        2,
    ),
)
_MATRIX_ELEMENT = _dirac(
    r"\left\langle #1 \middle\vert #2 \middle\vert #3 \right\rangle",
    r"\langle #1 \vert #2 \vert #3 \rangle",
    3,
)
_INNER = _dirac(r"\left\langle #1 \middle\vert #2 \right\rangle", r"\langle #1 \vert #2 \rangle", 2)
_OUTER = _dirac(
    r"\left\vert #1 \middle\rangle\middle\langle #2 \right\vert",
    r"\vert #1 \rangle\langle #2 \vert",
    2,
)
_DYAD = _one_or_two(
    _dirac(
        r"\left\vert #1 \middle\rangle\middle\langle #1 \right\vert",
        r"\vert #1 \rangle\langle #1 \vert",
        1,
    ),
    _OUTER,
)


# Matrices --------------------------------------------------------------------------------------

_MATRIX_OF = {"(": "pmatrix", "[": "bmatrix", "|": "vmatrix", "\\{": "matrix"}
_MATRICES = {
    "\\pmqty": "pmatrix",
    "\\bmqty": "bmatrix",
    "\\vmqty": "vmatrix",
    "\\mdet": "vmatrix",
    "\\matrixdeterminant": "vmatrix",
}
_SMALL = {  # a small matrix in these delimiters
    "\\spmqty": ("(", ")"),
    "\\sbmqty": ("[", "]"),
    "\\svmqty": ("|", "|"),
    "\\smdet": ("|", "|"),
}
_SMALL_MATRIX = r"\begin{smallmatrix} #1 \end{smallmatrix}"


def _matrix(parser: Parser, token: Tok) -> Node:
    """\\mqty(a & b \\\\ c & d) a pmatrix (\\mqty[…] a bmatrix, \\mqty|…| a vmatrix, \\mqty{…}
    no delimiters); \\pmqty{…} and kin name theirs; \\smqty(…) is small."""
    name = token.text
    if name in _ROWS_IN_DELIMITERS:
        found = _delimited(parser, token)
        if found is None:
            raise MathError(f"{name} needs its rows in (…), […], {{…}} or |…|", token.offset)
        left, right, content = found
        if name == "\\smqty":
            template = _SMALL_MATRIX
            if left != _BRACES[0]:
                template = f"\\left{left} {_SMALL_MATRIX} \\right{right}"
            return _parsed(parser, template, token, content)
        environment = _MATRIX_OF[left]
    elif name in _SMALL:
        left, right = _SMALL[name]
        content = parser.group_tokens(token) or []
        template = f"\\left{left} {_SMALL_MATRIX} \\right{right}"
        return _parsed(parser, template, token, content)
    else:
        environment = _MATRICES[name]
        content = parser.group_tokens(token) or []
    return _parsed(parser, f"\\begin{{{environment}}} #1 \\end{{{environment}}}", token, content)


def physics_commands() -> dict[str, Handler]:
    table: dict[str, Handler] = {"\\qty": _quantity, "\\quantity": _quantity}
    table.update(dict.fromkeys(_FIXED_BRACING, _bracing))
    table.update({"\\eval": _evaluated, "\\evaluated": _evaluated, "\\order": _order})
    table.update(dict.fromkeys(_PAIRS, _pair))
    table.update(dict.fromkeys(_VECTORS, _vector))
    table.update(dict.fromkeys(_OPERATORS, _operator))
    table.update(dict.fromkeys(_SYMBOLS, _symbol))
    table.update({"\\dd": _differential, "\\differential": _differential})
    table.update(dict.fromkeys(_DIFFERENTIALS, _derivative))
    dirac: dict[str, Handler] = {
        "\\expval": _EXPECTATION,
        "\\expectationvalue": _EXPECTATION,
        "\\ev": _EXPECTATION,
        "\\mel": _MATRIX_ELEMENT,
        "\\matrixel": _MATRIX_ELEMENT,
        "\\matrixelement": _MATRIX_ELEMENT,
        "\\ip": _INNER,
        "\\innerproduct": _INNER,
        "\\op": _OUTER,
        "\\outerproduct": _OUTER,
        "\\dyad": _DYAD,
    }
    table.update(dirac)
    names = (*_ROWS_IN_DELIMITERS, *_MATRICES, *_SMALL)
    table.update(dict.fromkeys(names, _matrix))
    return table
