"""\\begin{...}\\end{...}: align, gather, multline, split, cases, matrices, array, as mtables.

Column alignment is a class on each cell (tex-r, tex-l, tex-c) that the theme's stylesheet
turns into `text-align`: MathML Core, which browsers implement, has no `columnalign`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lemma.render.texmath.colortbl import Colour, column_colours, paint, take_colours
from lemma.render.texmath.columns import ColumnClasses, filled, flush_pairs
from lemma.render.texmath.errors import MathError
from lemma.render.texmath.nodes import Node, leaf, row, strut_box
from lemma.render.texmath.parser import Parser, RowMarks
from lemma.render.texmath.row_gaps import CLOSER, below_row, gap_em
from lemma.render.texmath.spans import (
    Span,
    cline_columns,
    layout_width,
    read_column_texts,
    row_classes,
    take_span,
    with_column_texts,
)
from lemma.render.texmath.tokens import Tok

_ALIGNS = frozenset(
    (
        *("align", "flalign", "alignat", "eqnarray", "aligned", "alignedat", "split"),
        *("xalignat", "xxalignat"),
    )
)
_ALIGNATS = frozenset(("alignat", "alignedat", "xalignat", "xxalignat"))  # {n} pairs
_GATHERS = frozenset(("gather", "gathered", "equation", "multline", "multlined"))
_GATHERS |= {"lgathered", "rgathered"}
_NUMBERED = frozenset(
    ("equation", "align", "flalign", "alignat", "xalignat", "eqnarray", "gather", "multline")
) | {"numcases", "subnumcases"}
# The cases package's: a brace after a prefix (f(x) =), each row numbered, its conditions text.
_NUMCASES = frozenset(("numcases", "subnumcases"))
_MATRICES = {
    "matrix": ("", ""),
    "pmatrix": ("(", ")"),
    "bmatrix": ("[", "]"),
    "Bmatrix": ("{", "}"),
    "vmatrix": ("|", "|"),
    "Vmatrix": ("‖", "‖"),
    "smallmatrix": ("", ""),
    # mathtools' small matrices with their delimiters
    "psmallmatrix": ("(", ")"),
    "bsmallmatrix": ("[", "]"),
    "Bsmallmatrix": ("{", "}"),
    "vsmallmatrix": ("|", "|"),
    "Vsmallmatrix": ("‖", "‖"),
}
_CASES = {
    "cases": ("{", ""),
    "dcases": ("{", ""),
    "rcases": ("", "}"),
    "drcases": ("", "}"),
}
KNOWN = _ALIGNS | _GATHERS | set(_MATRICES) | set(_CASES) | {"array", "subarray"} | _NUMCASES
# Starred names that are other environments, not unnumbered ones: mathtools' matrix* takes a
# column alignment ([r]), cases* sets its second column as text.
_STARRED_KINDS = frozenset((*_MATRICES, *_CASES))


@dataclass
class Table:
    """The rows of an environment, each a list of cells, with what numbering each row asked for."""

    name: str
    rows: list[list[Node]] = field(default_factory=list)
    marks: list[RowMarks] = field(default_factory=list)
    lines_above: list[bool] = field(default_factory=list)  # \hline before the row
    dashed: set[int] = field(default_factory=set)  # rows whose line above is \hdashline
    colours: dict[tuple[int, int], Colour] = field(default_factory=dict)  # \cellcolor's
    row_colours: dict[int, Colour] = field(default_factory=dict)  # \rowcolor's
    between: set[int] = field(default_factory=set)  # rows of prose: \intertext{…}
    spans: dict[tuple[int, int], Span] = field(default_factory=dict)  # \multicolumn cells
    clines: dict[int, set[int]] = field(default_factory=dict)  # \cline's columns above a row
    column_texts: dict[int, Node] = field(default_factory=dict)  # @{text} before a column
    gaps: dict[int, float] = field(default_factory=dict)  # \\[4pt]'s length after a row, in em

    @property
    def base(self) -> str:
        return self.name.rstrip("*")

    @property
    def numbers_rows(self) -> bool:
        """Each row has its own number (align, gather, numcases, ...): an inner environment
        (aligned, split, gathered) is one equation, which a \\tag after it numbers."""
        return self.base in _NUMBERED and self.base != "equation"

    @property
    def numbered(self) -> bool:
        return self.base in _NUMBERED and not self.name.endswith("*")

    @property
    def text_column(self) -> bool:
        """cases* and its kin: the second column is text (with $…$ for math), as mathtools'."""
        return (self.name.endswith("*") and self.base in _CASES) or self.name in _NUMCASES


def environment(parser: Parser, token: Tok) -> Node:
    """Parse one environment after its \\begin and return it as MathML."""
    name = parser.text_argument(token)
    base = name.rstrip("*")
    if name == "spreadlines":  # mathtools: rows spread apart, which Lemma leaves as they are
        parser.text_argument(token)
        nodes = parser.parse_list(lambda t: t.is_cmd("\\end"))
        ending = parser.next()
        if ending is None or parser.text_argument(ending) != name:
            raise MathError("\\begin{spreadlines} without its \\end{spreadlines}", token.offset)
        return Node("mrow", nodes)
    if name == "empheq":
        from lemma.render.texmath.empheq import empheq  # it builds on this module

        return empheq(parser, token)
    if name == "CD":
        from lemma.render.texmath.amscd import commutative_diagram  # it builds on this module

        return commutative_diagram(parser, token)
    if base not in KNOWN or (name.endswith("*") and base in ("multlined", "xxalignat")):
        raise MathError(f"unknown environment {{{name}}}", token.offset)
    columns = ""
    if base in ("array", "subarray") or base in _ALIGNATS:
        columns = parser.text_argument(token)
    prefix = row(parser.sub_parse(parser.group_tokens(token) or [])) if name in _NUMCASES else None
    if base == "multlined":  # [position][width]: Lemma sets the lines in their own width
        parser.group_tokens(token, optional=True)
        parser.group_tokens(token, optional=True)
    if name.endswith("*") and base in _MATRICES:
        align = parser.group_tokens(token, optional=True)
        columns = "".join(t.text for t in align or []).strip() or "c"
        if columns not in ("l", "c", "r"):
            raise MathError(f"\\begin{{{name}}}[{columns}]: the columns are l, c or r")
    # Rows of align and gather are in display style (displaystyle="true"), a matrix's in text.
    displayed = base in _ALIGNS or base in _GATHERS or base in ("dcases", "drcases")
    outer, parser.style = parser.style, "display" if displayed else "text"
    try:
        table = read_rows(parser, token, name)
    finally:
        parser.style = outer
    if base in ("array", "subarray"):
        table.column_texts = read_column_texts(parser, token, column_colours(columns)[0])
    node = table_node(table, columns)
    if prefix is not None:
        node = _with_prefix(node, prefix)
    if parser.env_depth == 0:
        parser.outer_tables.append((node, table))
    return node


def _with_prefix(table: Node, prefix: Node) -> Node:
    """numcases' first column: the prefix and a brace as tall as the rows."""
    from lemma.render.texmath.empheq import side_cell  # it builds on this module

    brace = leaf("mo", "{", "open", stretchy="true", fence="true", form="prefix")
    return side_cell(table, [prefix, brace], at_left=True)


def read_rows(parser: Parser, token: Tok, name: str) -> Table:
    table = Table(name)
    outer_marks = parser.marks
    parser.env_depth += 1

    def at_cell_end(t: Tok) -> bool:
        return t.kind == "&" or t.is_cmd(
            "\\\\", "\\end", "\\cr", "\\hline", "\\hdashline", "\\cline"
        )

    try:
        cells: list[Node] = []
        parser.marks = RowMarks()
        line_above = False
        while True:
            if not cells and _intertext(parser, table):
                continue
            if table.text_column and len(cells) == 1:
                cells.append(_text_cell(parser, at_cell_end))
            else:
                cells.append(Node("mrow", parser.parse_list(at_cell_end)))
            cell_colour, row_colour = take_colours(cells[-1])
            if cell_colour is not None:
                table.colours[(len(table.rows), len(cells) - 1)] = cell_colour
            if row_colour is not None:
                table.row_colours[len(table.rows)] = row_colour
            span = take_span(cells[-1])
            if span is not None:
                table.spans[(len(table.rows), len(cells) - 1)] = span
            ending = parser.next()
            if ending is None:
                raise MathError(f"\\begin{{{name}}} without its \\end{{{name}}}", token.offset)
            if ending.is_cmd("\\cline"):
                cells.pop()
                columns = cline_columns(parser.text_argument(ending), ending)
                table.clines.setdefault(len(table.rows), set()).update(columns)
                continue
            if ending.is_cmd("\\hline", "\\hdashline"):
                cells.pop()
                line_above = True
                if ending.is_cmd("\\hdashline"):
                    table.dashed.add(len(table.rows))
                continue
            if ending.kind == "&":
                continue
            last = ending.is_cmd("\\end")
            if not (last and _empty_row(cells)):
                table.rows.append(cells)
                table.marks.append(parser.marks)
                table.lines_above.append(line_above)
            elif line_above:
                table.lines_above.append(True)
            cells, parser.marks, line_above = [], RowMarks(), False
            if last:
                closing = parser.text_argument(ending)
                if closing != name:
                    raise MathError(
                        f"\\begin{{{name}}} is closed by \\end{{{closing}}}", ending.offset
                    )
                return table
            gap = parser.group_tokens(ending, optional=True)  # \\[4pt]
            if gap is not None and table.rows:
                table.gaps[len(table.rows) - 1] = gap_em(gap)
    finally:
        parser.env_depth -= 1
        parser.marks = outer_marks


def _intertext(parser: Parser, table: Table) -> bool:
    """amsmath's \\intertext{text} at the start of a row: a row of prose, unnumbered, that keeps
    the alignment of the rows around it."""
    parser.skip_spaces()
    token = parser.peek()
    if token is None or not token.is_cmd("\\intertext", "\\shortintertext"):
        return False
    if table.base not in _ALIGNS:
        raise MathError(f"{token.text} belongs in align, not in {table.name}", token.offset)
    parser.position += 1
    text = parser.commands["\\text"](parser, Tok("cmd", "\\text", token.offset))
    table.between.add(len(table.rows))
    table.rows.append([Node("mrow", [text] if text is not None else [])])
    table.marks.append(RowMarks(notag=True))
    table.lines_above.append(False)
    return True


def _text_cell(parser: Parser, at_cell_end: Callable[[Tok], bool]) -> Node:
    """The cell up to its end, read as the argument of \\text."""
    start, depth = parser.position, 0
    while (token := parser.peek()) is not None and not (depth == 0 and at_cell_end(token)):
        depth += {"{": 1, "}": -1}.get(token.kind, 0)
        parser.position += 1
    inner = parser.tokens[start : parser.position]
    while inner and inner[0].kind == "space":  # as LaTeX skips the spaces around a cell
        inner = inner[1:]
    while inner and inner[-1].kind == "space":
        inner = inner[:-1]
    inner, marks = _without_marks(inner)
    while inner and inner[-1].kind == "space":
        inner = inner[:-1]
    opening, closing = Tok("{", "{", -1), Tok("}", "}", -1)
    saved = parser.tokens, parser.position
    if marks:  # \label, \tag, \notag: the row's, as in a math cell
        parser.sub_parse(marks)
    parser.tokens, parser.position = [opening, *inner, closing], 0
    try:
        text = parser.commands["\\text"](parser, Tok("cmd", "\\text", -1))
    finally:
        parser.tokens, parser.position = saved
    return Node("mrow", [text] if text is not None else [])


def _without_marks(tokens: list[Tok]) -> tuple[list[Tok], list[Tok]]:
    """A text cell's tokens apart from its \\label{…}, \\tag{…}, \\notag (and their arguments)."""
    text: list[Tok] = []
    marks: list[Tok] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if not token.is_cmd("\\label", "\\tag", "\\notag", "\\nonumber"):
            text.append(token)
            continue
        marks.append(token)
        if token.is_cmd("\\label", "\\tag"):
            if index < len(tokens) and tokens[index].kind == "char" and tokens[index].text == "*":
                marks.append(tokens[index])
                index += 1
            depth = 0
            while index < len(tokens):
                marks.append(tokens[index])
                depth += {"{": 1, "}": -1}.get(tokens[index].kind, 0)
                index += 1
                if depth == 0:
                    break
    return text, marks


def _empty_row(cells: list[Node]) -> bool:
    return len(cells) == 1 and cells[0].tag == "mrow" and not cells[0].children


def table_node(table: Table, columns: str) -> Node:
    base = table.base
    columns, column_colour = column_colours(columns)
    classes = column_classes(table, columns)
    mtrs = []
    layouts = [
        row_classes(cells, _row_spans(table, index), classes, index)
        for index, cells in enumerate(table.rows)
    ]
    width = max((layout_width(layout) for layout in layouts), default=1)
    amsmath_rows = base in _ALIGNS or base in _GATHERS  # \\[4pt]: space below, not a strut
    for index, cells in enumerate(table.rows):
        if index in table.between:
            prose = Node("mtd", cells).set(**{"class": "tex-l tex-intertext"})
            mtrs.append(Node("mtr", [prose.set(columnspan=str(width))]))
            continue
        mtds: list[Node] = []
        for cell, (column, count, column_class) in zip(cells, layouts[index], strict=True):
            content = cell
            if base in _ALIGNS and column % 2 == 1:
                content = Node("mrow", [Node("mrow"), cell])  # amsmath's {} before "=": infix
            gap = table.gaps.get(index, 0.0)
            if gap and amsmath_rows:
                content = below_row(content, gap)
            cell_class = filled(cell, column_class) + _cline(table, index, column, count)
            mtd = Node("mtd", [content, *_strut(base, gap)])
            mtd.set(**{"class": cell_class})
            if count > 1:
                mtd.set(columnspan=str(count))
            colour = table.colours.get((index, len(mtds))) or table.row_colours.get(index)
            paint(mtd, colour or (column_colour[column] if column < len(column_colour) else None))
            mtds.append(mtd)
        if amsmath_rows and mtds and index in (0, len(table.rows) - 1):
            mtds[0].children.append(_edge_strut(index, len(table.rows)))
        if table.column_texts:
            mtds = with_column_texts(table.column_texts, mtds, layouts[index])
        if base == "flalign":
            mtds = flush_pairs(mtds, width)
        mtr = Node("mtr", mtds)
        row_class = ""
        if index < len(table.lines_above) and table.lines_above[index]:
            row_class = "tex-hline tex-dashed" if index in table.dashed else "tex-hline"
        if table.gaps.get(index, 0.0) < 0 and amsmath_rows:
            row_class = f"{row_class} {CLOSER}".strip()
        if row_class:
            mtr.set(**{"class": row_class})
        mtrs.append(mtr)
    if len(table.lines_above) > len(table.rows) and mtrs:
        dashed = " tex-dashed-below" if len(table.rows) in table.dashed else ""
        below = " tex-hline-below" + dashed
        mtrs[-1].attrs["class"] = (mtrs[-1].attrs.get("class", "") + below).strip()
    kind = "align" if base in _ALIGNS else "gather" if base in _GATHERS else "matrix"
    wide = {"multline": " tex-multline", "flalign": " tex-flalign"}.get(base, "")
    small = " tex-smallmatrix" if base.endswith("smallmatrix") else ""
    mtable = Node("mtable", mtrs).set(**{"class": f"tex-{kind}{wide}{small}"})
    if base in _ALIGNS or base in _GATHERS or base in ("dcases", "drcases"):
        mtable.set(displaystyle="true")
    if base.endswith("smallmatrix") or base == "subarray":
        mtable.set(scriptlevel="1")
    opening, closing = _MATRICES.get(base) or _CASES.get(base) or ("", "")
    if not opening and not closing:
        return mtable
    fences = []
    if opening:
        fences.append(leaf("mo", opening, "open", stretchy="true", fence="true", form="prefix"))
    fences.append(mtable)
    if closing:
        fences.append(leaf("mo", closing, "close", stretchy="true", fence="true", form="postfix"))
    return Node("mrow", fences, kind="inner")


def _strut(base: str, gap: float = 0.0) -> list[Node]:
    """A matrix's or array's row is at least 1.2 em, 0.84 above the baseline and 0.36 below, as
    LaTeX's \\arraystretch strut makes it and MathJax draws it (a small matrix's rows are not).
    \\\\[4pt] after the row deepens its strut by that much, as LaTeX's array does."""
    if base.endswith("smallmatrix") or base == "subarray":
        return []
    if base in _MATRICES or base in _CASES or base == "array":
        return [strut_box(max(gap, 0.0))]
    return []


def _edge_strut(index: int, rows: int) -> Node:
    """What an align's or gather's first row holds above its baseline and its last row below,
    where the theme pads no cell (math mtable.tex-align in style.css): LaTeX's strut, which a
    taller row outgrows. The theme's padding of 0.25 em at the table's top and bottom made a
    one-row aligned holding a \\dfrac 1.24 times as tall as MathJax draws it."""
    return strut_box(above=index == 0, below=index == rows - 1)


def _row_spans(table: Table, index: int) -> dict[int, Span]:
    return {cell: span for (row_index, cell), span in table.spans.items() if row_index == index}


def _cline(table: Table, index: int, column: int, count: int) -> str:
    """\\cline's rule above the cell (or below it, in the last row) where its columns meet."""
    covered = set(range(column, column + count))
    above = " tex-cline" if covered & table.clines.get(index, set()) else ""
    last = index == len(table.rows) - 1
    below = covered & table.clines.get(index + 1, set()) if last else set()
    return above + (" tex-cline-below" if below else "")


def column_classes(table: Table, columns: str) -> ColumnClasses:
    base = table.base
    if base in ("array", "subarray"):
        return ColumnClasses.from_spec(columns)
    if base in ("alignat", "alignedat"):
        return ColumnClasses(kind="alignat")  # the author's own space between pairs, no more
    if base in _ALIGNS:
        return ColumnClasses(kind="align")  # xalignat: pairs spread apart as align's
    if base in ("multline", "multlined"):
        shoves = tuple(marks.shove for marks in table.marks)
        wide = base == "multline"
        return ColumnClasses(kind="multline", row_count=len(table.rows), shoves=shoves, wide=wide)
    if base in _CASES or base in _NUMCASES:
        return ColumnClasses(aligns="ll")
    if base in ("lgathered", "rgathered"):
        return ColumnClasses(aligns=base[0])
    return ColumnClasses(aligns=columns if base in _MATRICES and columns else "c")
