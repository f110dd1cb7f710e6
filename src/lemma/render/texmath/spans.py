"""Cells across columns and rules under some of them: \\multicolumn{n}{c}{…} (MathML's
columnspan) and \\cline{i-j} (a rule above the row, under columns i to j only)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lemma.render.texmath.columns import ColumnClasses
from lemma.render.texmath.errors import MathError, MathNote
from lemma.render.texmath.nodes import Node
from lemma.render.texmath.parser import Handler, Parser
from lemma.render.texmath.tokens import Tok, tokenize

_HOW = (
    "write it as \\multicolumn{2}{c}{…}: how many columns, one of l, c, r (| for rules), the cell"
)
_RANGE = re.compile(r"(\d+)\s*-\s*(\d+)|(\d+)")
_CELL_ENDS = ("\\\\", "\\end", "\\cr", "\\hline", "\\hdashline", "\\cline")


@dataclass(frozen=True, slots=True)
class Span:
    """A \\multicolumn cell: how many columns it covers and its own column spec."""

    count: int
    columns: ColumnClasses

    def cell_class(self) -> str:
        names = [f"tex-{self.columns.aligns[0]}"]
        if 0 in self.columns.rules_before:
            names.append("tex-vline")
            if 0 in self.columns.dashed_before:
                names.append("tex-vdashed")
        if 1 in self.columns.rules_before:
            names.append("tex-vline-last")
            if 1 in self.columns.dashed_before:
                names.append("tex-vdashed-last")
        return " ".join(names)


def _argument(parser: Parser, token: Tok) -> list[Tok]:
    """The next argument of \\multicolumn, which may not run into the cell's end."""
    parser.skip_spaces()
    following = parser.peek()
    if following is None or following.kind == "&" or following.is_cmd(*_CELL_ENDS):
        raise MathError("\\multicolumn is missing an argument", token.offset, hint=_HOW)
    return parser.group_tokens(token) or []


def _multicolumn(parser: Parser, token: Tok) -> Node:
    """\\multicolumn{n}{spec}{cell}: a marker the environment turns into a spanning cell."""
    if parser.env_depth == 0:
        raise MathError(
            "\\multicolumn stands at the start of a cell of an array or a matrix",
            token.offset,
            hint="put it in a cell of \\begin{array}…\\end{array}, or leave it out",
        )
    count = "".join(t.text for t in _argument(parser, token)).strip()
    if not count.isdigit() or int(count) < 1:
        raise MathError(
            f"\\multicolumn{{{count}}}: its first argument is how many columns the cell spans",
            token.offset,
            hint=_HOW,
        )
    spec = "".join(t.text for t in _argument(parser, token)).strip()
    columns = ColumnClasses.from_spec(spec)
    if len(columns.aligns) != 1 or not re.search(r"[lcrp]", spec):
        raise MathError(
            f"\\multicolumn{{{count}}}{{{spec}}}: its second argument is one column",
            token.offset,
            hint=_HOW,
        )
    content = Node("mrow", parser.sub_parse(_argument(parser, token)))
    marker = Node("mrow", [content], kind="multicolumn")
    marker.attrs.update(span=count, spec=spec, offset=str(token.offset))
    return marker


def take_span(cell: Node) -> Span | None:
    """The cell's \\multicolumn, its marker replaced by what it holds."""
    for index, child in enumerate(cell.children):
        if child.kind != "multicolumn":
            continue
        if index > 0:
            raise MathError(
                "\\multicolumn begins its cell: nothing may come before it",
                int(child.attrs["offset"]),
                hint="move what stands before it into its last argument",
            )
        cell.children = [*child.children, *cell.children[1:]]
        return Span(int(child.attrs["span"]), ColumnClasses.from_spec(child.attrs["spec"]))
    return None


def cline_columns(text: str, token: Tok) -> set[int]:
    """The columns (0-based) of \\cline{2-3}, or of \\cline{2} for one column."""
    match = _RANGE.fullmatch(text.strip())
    first, last = (match.group(1), match.group(2)) if match else ("0", "0")
    if match and match.group(3):
        first = last = match.group(3)
    if int(first) < 1 or int(last) < int(first):
        raise MathError(
            f"\\cline{{{text}}}: its argument is the columns the rule spans, counted from 1",
            token.offset,
            hint="write it as \\cline{2-3} (columns 2 to 3) or \\cline{2}",
        )
    return set(range(int(first) - 1, int(last)))


def row_classes(
    cells: list[Node], spans: Mapping[int, Span], classes: ColumnClasses, row_index: int
) -> list[tuple[int, int, str]]:
    """Each cell's first column, the columns it covers and its class: a \\multicolumn cell has its
    own spec's, and the rule after it is its own (the cell after it draws none)."""
    width = sum(spans[i].count if i in spans else 1 for i in range(len(cells)))
    found: list[tuple[int, int, str]] = []
    column = 0
    after_span = False
    for index in range(len(cells)):
        span = spans.get(index)
        if span is not None:
            found.append((column, span.count, span.cell_class()))
            column += span.count
            after_span = True
            continue
        cell_class = classes(row_index, column, width)
        if after_span:
            kept = [n for n in cell_class.split() if n not in ("tex-vline", "tex-vdashed")]
            cell_class = " ".join(kept)
        found.append((column, 1, cell_class))
        column += 1
        after_span = False
    return found


def _misplaced_cline(parser: Parser, token: Tok) -> None:
    """\\cline anywhere but at the start of a row of an array (which the environment reads)."""
    raise MathError(
        "\\cline stands at the start of a row of an array, right after \\\\",
        token.offset,
        hint="move it after the \\\\ that ends the row above the rule",
    )


def read_column_texts(parser: Parser, token: Tok, spec: str) -> dict[int, Node]:
    """An array's @{text} between columns, converted, by the column they stand before; a note
    for each p{width} column."""
    columns = ColumnClasses.from_spec(spec)
    for width in columns.widths:
        parser.notes.append(
            MathNote(
                f"array column {width}: set as a left-aligned column as wide as its cells"
                " (lines in a cell are not broken to a width)",
                token.offset,
                hint="write l if the column needs no width, or a \\ where a line should break",
            )
        )
    return {
        column: Node("mrow", parser.sub_parse(tokenize(text))) for column, text in columns.texts
    }


def layout_width(layout: Sequence[tuple[int, int, str]]) -> int:
    """How many columns a row reaches (a \\multicolumn counts its columns)."""
    return max((column + count for column, count, _ in layout), default=1)


def with_column_texts(
    texts: Mapping[int, Node], mtds: list[Node], layout: Sequence[tuple[int, int, str]]
) -> list[Node]:
    """The row's cells with an array's @{text} cells between them, as far as the row reaches.
    The text around a \\multicolumn belongs to the columns it replaces, as in LaTeX: the cell
    spans the text's columns inside it, and the text on its sides is left out."""
    result: list[Node] = []
    for mtd, (column, count, _) in zip(mtds, layout, strict=True):
        if column == 0 and 0 in texts:
            result.append(_text_mtd(texts[0] if count == 1 else None))
        inside = [position for position in texts if column < position < column + count]
        if inside:
            mtd.set(columnspan=str(count + len(inside)))
        result.append(mtd)
        if column + count in texts:
            result.append(_text_mtd(texts[column + count] if count == 1 else None))
    return result


def _text_mtd(text: Node | None) -> Node:
    cell = Node("mtd", [Node("mrow", list(text.children) if text else [])])
    return cell.set(**{"class": "tex-c tex-tight-l tex-tight-r"})


def span_commands() -> dict[str, Handler]:
    return {"\\multicolumn": _multicolumn, "\\cline": _misplaced_cline}
