"""Plain TeX's forms MathJax's base package reads: \\root…\\of, \\buildrel, \\matrix{…\\cr…},
\\raise and \\lower (and LaTeX's \\raisebox), sizes (\\large), \\mathchoice, \\vcenter, \\pmb,
\\skew, \\verb, and amsmath's named limits (\\varlimsup, \\injlim) and \\idotsint.

Where the package defines a command as TeX, it is that TeX read again (\\matrix{…} is
\\begin{matrix}…\\end{matrix}).
"""

from __future__ import annotations

from lemma.render.texmath.errors import MathError
from lemma.render.texmath.nodes import Node, leaf, phantom, row
from lemma.render.texmath.parser import Handler, Parser, function, operator, tighten_script
from lemma.render.texmath.plain_tex import read_length
from lemma.render.texmath.tokens import Tok, tokenize, untokenize

_SIZES = {
    "\\tiny": "0.5em",
    "\\Tiny": "0.6em",
    "\\scriptsize": "0.7em",
    "\\small": "0.85em",
    "\\normalsize": "1em",
    "\\large": "1.2em",
    "\\Large": "1.44em",
    "\\LARGE": "1.73em",
    "\\huge": "2.07em",
    "\\Huge": "2.49em",
}
# Plain TeX's arrays, rows ended by \cr (or \\): the amsmath environment each one is.
_PLAIN_ARRAYS = {
    "\\matrix": "matrix",
    "\\pmatrix": "pmatrix",
    "\\cases": "cases",
    "\\eqalign": "aligned",
    "\\displaylines": "gathered",
}
# amsmath's limits whose names are drawn: as the package writes them.
_NAMED_LIMITS = {
    "\\varliminf": r"\underline{\operatorname{lim}}",
    "\\varlimsup": r"\overline{\operatorname{lim}}",
    "\\varinjlim": r"\underrightarrow{\operatorname{lim}}",
    "\\varprojlim": r"\underleftarrow{\operatorname{lim}}",
}


def _size(parser: Parser, token: Tok) -> Node:
    """\\large and kin: the rest of the group at that size."""
    return Node("mstyle", parser.parse_rest()).set(mathsize=_SIZES[token.text])


def _raise(parser: Parser, token: Tok) -> Node:
    """\\raise 2pt \\hbox{x}, \\lower{2pt}{x}: the box moved up or down, its place kept."""
    shift = read_length(parser, token)
    if token.text == "\\lower":
        shift = shift[1:] if shift.startswith("-") else "-" + shift
    parser.skip_spaces()
    if parser.peek() is None:
        raise MathError(f"{token.text} needs a box after its length", token.offset)
    box = parser.parse_atom()  # \\hbox{x} or {x}
    return Node("mpadded", [box or Node("mrow")], kind="ord").set(voffset=shift)


def _raisebox(parser: Parser, token: Tok) -> Node:
    """\\raisebox{2pt}{text}: the text (with $…$ for math) moved up, as KaTeX and LaTeX take it;
    the optional height and depth after the length are left to the box."""
    shift = read_length(parser, token)
    parser.group_tokens(token, optional=True)
    parser.group_tokens(token, optional=True)
    box = parser.commands["\\text"](parser, Tok("cmd", "\\text", token.offset))
    return Node("mpadded", [box or Node("mrow")], kind="ord").set(voffset=shift)


def _until(parser: Parser, token: Tok, word: str) -> list[Tok]:
    """The tokens before `word` (\\of, \\over), which is passed."""
    found: list[Tok] = []
    while (following := parser.next()) is not None:
        if following.is_cmd(word):
            return found
        found.append(following)
    raise MathError(f"{token.text} without its {word}", token.offset)


def _root(parser: Parser, token: Tok) -> Node:
    """\\root 3 \\of x: the cube root of x."""
    index = row(parser.sub_parse(_until(parser, token, "\\of")))
    return Node("mroot", [parser.argument(token), index])


def _buildrel(parser: Parser, token: Tok) -> Node:
    """\\buildrel a \\over b: a over the relation b, as \\stackrel{a}{b}."""
    above = tighten_script(row(parser.sub_parse(_until(parser, token, "\\over"))))
    return Node("mover", [parser.argument(token), above], kind="rel")


def _ignored_argument(parser: Parser, token: Tok) -> None:
    """\\uproot{2}, \\leftroot{1}: nudges of a root's index, which the browser places itself."""
    parser.text_argument(token)
    return None


def _nonscript(parser: Parser, token: Tok) -> None:
    """\\nonscript drops the space after it in a script; Lemma sets that space everywhere."""
    return None


def _plain_array(parser: Parser, token: Tok) -> Node:
    name = _PLAIN_ARRAYS[token.text]
    body = parser.group_tokens(token) or []
    begin = tokenize(rf"\begin{{{name}}}", token.offset)
    end = tokenize(rf"\end{{{name}}}", token.offset)
    return row(parser.sub_parse([*begin, *body, *end]))


def _eqalignno(parser: Parser, token: Tok) -> Node:
    """\\eqalignno{a &= b & (1) \\cr …}: eqalign's rows with their third column as the row's
    number at the right margin (\\leqalignno's too: Lemma's numbers are at the right)."""
    rows: list[list[list[Tok]]] = [[[]]]
    depth = 0
    for item in parser.group_tokens(token) or []:
        depth += {"{": 1, "}": -1}.get(item.kind, 0)
        if depth == 0 and item.is_cmd("\\cr"):
            rows.append([[]])
        elif depth == 0 and item.kind == "&":
            rows[-1].append([])
        else:
            rows[-1][-1].append(item)
    body: list[Tok] = []
    for cells in rows:
        if not any(t.kind != "space" for cell in cells for t in cell):
            continue
        if len(cells) > 3:
            raise MathError(
                f"{token.text}: a row has {len(cells)} columns, not three",
                token.offset,
                hint="write each row as left &= right & (number) \\cr",
            )
        body += cells[0] + [Tok("&", "&", token.offset)] + (cells[1] if len(cells) > 1 else [])
        number = "".join(t.text for t in cells[2]).strip() if len(cells) > 2 else ""
        if number:
            body += tokenize(f"\\tag*{{{number}}}", token.offset)
        body.append(Tok("cmd", "\\\\", token.offset))
    begin = tokenize(r"\begin{align*}", token.offset)
    end = tokenize(r"\end{align*}", token.offset)
    return row(parser.sub_parse([*begin, *body, *end]))


def _bordermatrix(parser: Parser, token: Tok) -> Node:
    """\\bordermatrix{ & c_1 & c_2 \\cr r_1 & a & b \\cr …}: a matrix in parentheses with its
    columns' labels above it and its rows' at its left. One table holds labels and entries, so
    that they line up; each parenthesis is a cell down the entries' rows, stretched by an
    invisible copy of the entries beside it."""
    body = parser.group_tokens(token) or []
    begin = tokenize(r"\begin{matrix}", token.offset)
    end = tokenize(r"\end{matrix}", token.offset)
    table = row(parser.sub_parse([*begin, *body, *end]))
    rows = [list(mtr.children) for mtr in table.children]
    if table.tag != "mtable" or len(rows) < 2:
        raise MathError(
            "\\bordermatrix needs a row of column labels and a row of entries",
            token.offset,
            hint="write \\bordermatrix{ & c_1 & c_2 \\cr r_1 & a & b \\cr r_2 & c & d \\cr}",
        )
    entries = Node("mtable", [Node("mtr", cells[1:]) for cells in rows[1:]])
    entries.set(**{"class": "tex-matrix"})
    ghost = Node("mpadded", [phantom([entries])]).set(width="0")
    count = str(len(rows) - 1)
    opening = _fence("(", [_stretchy("(", "open"), ghost], count)
    closing = _fence(")", [ghost, _stretchy(")", "close")], count)
    mtrs = [Node("mtr", [rows[0][0], Node("mtd"), *rows[0][1:], Node("mtd")])]
    for index, cells in enumerate(rows[1:]):
        label = cells[0].set(**{"class": "tex-r tex-border-label"})
        fences = [opening] if index == 0 else []
        mtrs.append(Node("mtr", [label, *fences, *cells[1:], *([closing] if fences else [])]))
    return Node("mtable", mtrs, kind="inner").set(**{"class": "tex-matrix tex-bordermatrix"})


def _stretchy(char: str, kind: str) -> Node:
    form = "prefix" if kind == "open" else "postfix"
    return leaf("mo", char, kind, stretchy="true", symmetric="true", fence="true", form=form)


def _fence(char: str, children: list[Node], count: str) -> Node:
    cell = Node("mtd", [Node("mrow", children)]).set(rowspan=count)
    return cell.set(**{"class": "tex-fence"})


def _mathchoice(parser: Parser, token: Tok) -> Node:
    """\\mathchoice{display}{text}{script}{scriptscript}: the one for where it stands."""
    choices = [parser.group_tokens(token) or [] for _ in range(4)]
    return row(parser.sub_parse(choices[0 if parser.style == "display" else 1]))


def _vcenter(parser: Parser, token: Tok) -> Node:
    """\\vcenter{x}: x centred on the math axis, as a one-cell table is."""
    cell = Node("mtd", [parser.argument(token)])
    return Node("mtable", [Node("mtr", [cell])], kind="ord").set(**{"class": "tex-vcenter"})


def _pmb(parser: Parser, token: Tok) -> Node:
    """\\pmb{x}: poor man's bold, x drawn twice a pixel apart (the theme's text-shadow)."""
    return Node("mrow", [parser.argument(token)], kind="ord").set(**{"class": "tex-pmb"})


def _skew(parser: Parser, token: Tok) -> Node:
    """\\skew{3}{\\hat}{A}: the accent, whose nudge the browser's placement makes moot."""
    parser.text_argument(token)
    accent = parser.group_tokens(token) or []
    base = parser.group_tokens(token) or []
    return row(parser.sub_parse([*accent, Tok("{", "{", token.offset), *base, Tok("}", "}", -1)]))


def _verb(parser: Parser, token: Tok) -> Node:
    """\\verb|code|: the characters between the two marks, in the monospace of \\texttt."""
    mark = parser.next()
    if mark is None or mark.kind == "space":
        raise MathError("\\verb needs a mark around its text, as in \\verb|x|", token.offset)
    found: list[Tok] = []
    while (following := parser.next()) is not None:
        if following.kind == mark.kind and following.text == mark.text:
            text = untokenize(found).replace(" ", "\u00a0")
            return leaf("mtext", text, "ord", **{"class": "tex-verb"})
        found.append(following)
    raise MathError(f"\\verb{mark.text}…: the text is never closed", token.offset)


def _named_limit(parser: Parser, token: Tok) -> Node:
    """\\varlimsup and kin: "lim" with its mark, an operator whose limits go below it."""
    drawn = row(parser.sub_parse(tokenize(_NAMED_LIMITS[token.text], token.offset)))
    return Node("mrow", [drawn], kind="limits")


def _word_limit(parser: Parser, token: Tok) -> Node:
    return function({"\\injlim": "inj lim", "\\projlim": "proj lim"}[token.text], limits=True)


def _idotsint(parser: Parser, token: Tok) -> Node:
    """\\idotsint: ∫⋯∫, one operator whose limits go beside the last ∫."""
    parts = [operator("∫", "op"), operator("⋯", "ord"), operator("∫", "op")]
    return Node("mrow", parts, kind="ord")


# MathJax's logos, as its base package defines them, upright as LaTeX's \TeX and \LaTeX are.
_LOGOS = {
    "\\TeX": r"{\mathrm{T}\kern-.14em\lower.5ex{\mathrm{E}}\kern-.115em\mathrm{X}}",
    "\\LaTeX": r"{\mathrm{L}\kern-.325em\raise.21em{\scriptstyle\mathrm{A}}\kern-.17em\TeX}",
    # KaTeX's own, as KaTeX defines it (its A is raised .43ex and kerned closer)
    "\\KaTeX": r"{\mathrm{K}\kern-.17em\raise.43ex{\scriptstyle\mathrm{A}}\kern-.15em\TeX}",
}


def _logo(parser: Parser, token: Tok) -> Node:
    """\\TeX, \\LaTeX, \\KaTeX: the letters kerned, the E lowered, the A small and raised."""
    return row(parser.sub_parse(tokenize(_LOGOS[token.text], token.offset)))


def _begingroup(parser: Parser, token: Tok) -> Node:
    """\\begingroup … \\endgroup: a group, as braces are, that leaves its math as it is (no
    atom of its own); \\color and \\rm inside it end at \\endgroup."""
    items = parser.parse_list(lambda t: t.is_cmd("\\endgroup"))
    if parser.next() is None:
        raise MathError(
            "\\begingroup without its \\endgroup",
            token.offset,
            hint="write \\endgroup where the group ends",
        )
    return Node("mrow", items)


def _endgroup(parser: Parser, token: Tok) -> Node:
    raise MathError(
        "\\endgroup without its \\begingroup", token.offset, hint="write \\begingroup before it"
    )


def plain_form_commands() -> dict[str, Handler]:
    table: dict[str, Handler] = dict.fromkeys(_SIZES, _size)
    table["\\raise"] = table["\\lower"] = _raise
    table["\\raisebox"] = _raisebox
    table["\\root"] = _root
    table["\\buildrel"] = _buildrel
    table["\\uproot"] = table["\\leftroot"] = _ignored_argument
    table["\\nonscript"] = _nonscript
    table.update(dict.fromkeys(_PLAIN_ARRAYS, _plain_array))
    table["\\eqalignno"] = table["\\leqalignno"] = _eqalignno
    table["\\bordermatrix"] = _bordermatrix
    table["\\mathchoice"] = _mathchoice
    table["\\vcenter"] = _vcenter
    table["\\pmb"] = _pmb
    table["\\skew"] = _skew
    table["\\verb"] = _verb
    table.update(dict.fromkeys(_NAMED_LIMITS, _named_limit))
    table["\\injlim"] = table["\\projlim"] = _word_limit
    table["\\idotsint"] = _idotsint
    table.update(dict.fromkeys(_LOGOS, _logo))
    table["\\begingroup"] = _begingroup
    table["\\endgroup"] = _endgroup
    return table
