"""How the cells of an environment sit in their columns: sides, rules, \\hfill, flalign's spread,
and the commands that only mean something in a cell (\\hfill, \\intertext)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lemma.render.texmath.errors import MathError
from lemma.render.texmath.nodes import Node
from lemma.render.texmath.parser import Handler, Parser
from lemma.render.texmath.tokens import Tok

_REPEAT = re.compile(r"\*\s*\{\s*(\d+)\s*\}\s*\{([^{}]*)\}")  # *{3}{c}: ccc
_SPEC_HINT = "write l, c, r, | or : (a dashed rule), *{3}{c}, @{text}, p{width}"


@dataclass
class ColumnClasses:
    """The class of each cell: its alignment, and rules (| or : dashed) from an array's spec."""

    kind: str = ""
    aligns: str = "c"
    rules_before: frozenset[int] = frozenset()
    dashed_before: frozenset[int] = frozenset()
    tight_before: frozenset[int] = frozenset()  # @{}: no padding between this column and the last
    row_count: int = 0
    shoves: tuple[str | None, ...] = ()  # multline's \shoveleft/\shoveright, row by row
    wide: bool = True  # multline spans the line; mathtools' multlined is as wide as its lines
    texts: tuple[tuple[int, str], ...] = ()  # @{text}: the TeX before the column of that index
    widths: tuple[str, ...] = ()  # p{3cm} columns, which Lemma sets as wide as their cells

    @classmethod
    def from_spec(cls, spec: str) -> ColumnClasses:
        aligns, rules, dashed, tight = "", set(), set(), set()
        texts: list[tuple[int, str]] = []
        widths: list[str] = []
        written = spec
        while _REPEAT.search(written):
            written = _REPEAT.sub(lambda m: m.group(2) * int(m.group(1)), written)
        index = 0
        while index < len(written):
            char = written[index]
            index += 1
            if char.isspace():
                continue
            if char in "@pmb":
                group, index = _group(written, index, spec, char)
                if char != "@":  # p{3cm}: a column of that width; Lemma's is as wide as its cells
                    widths.append(f"{char}{{{group}}}")
                    aligns += "l"
                    continue
                tight.add(len(aligns))  # @{…}: no padding around it, its text between columns
                if group.strip():
                    texts.append((len(aligns), group))
            elif char in "lcr":
                aligns += char
            elif char in "|:":
                rules.add(len(aligns))
                if char == ":":
                    dashed.add(len(aligns))
            else:
                raise MathError(
                    f"array column spec '{spec}': unknown column type '{char}' ({_SPEC_HINT})"
                )
        return cls(
            aligns=aligns or "c",
            rules_before=frozenset(rules),
            dashed_before=frozenset(dashed),
            tight_before=frozenset(tight),
            texts=tuple(texts),
            widths=tuple(widths),
        )

    def __call__(self, row_index: int, column: int, count: int) -> str:
        if self.kind in ("align", "alignat"):
            side = "tex-r" if column % 2 == 0 else "tex-l"
            gap = self.kind == "align" and column % 2 == 0 and column > 0
            return f"{side} tex-gap" if gap else side
        if self.kind == "multline":
            wide = " tex-wide" if self.wide else ""
            shove = self.shoves[row_index] if row_index < len(self.shoves) else None
            if row_index == 0 and self.row_count > 1:
                return "tex-l" + wide
            if row_index == self.row_count - 1:
                return "tex-r" + wide
            return f"tex-{shove or 'c'}{wide}"
        align = self.aligns[min(column, len(self.aligns) - 1)]
        names = [f"tex-{align}"]
        if column in self.rules_before and column > 0:
            names.append("tex-vline")
            if column in self.dashed_before:
                names.append("tex-vdashed")
        if column == 0 and 0 in self.rules_before:
            names.append("tex-vline-first")
            if 0 in self.dashed_before:
                names.append("tex-vdashed")
        if column in self.tight_before:
            names.append("tex-tight-l")
        if column + 1 in self.tight_before or (
            column == count - 1 and len(self.aligns) in self.tight_before
        ):
            names.append("tex-tight-r")
        if column == count - 1 and len(self.aligns) in self.rules_before:
            names.append("tex-vline-last")
            if len(self.aligns) in self.dashed_before:
                names.append("tex-vdashed-last")
        return " ".join(names)


def _group(written: str, index: int, spec: str, char: str) -> tuple[str, int]:
    """The braced group at `index` of a column spec ({…} after @ or p), and the index after it."""
    if index >= len(written) or written[index] != "{":
        raise MathError(
            f"array column spec '{spec}': '{char}' takes a braced argument",
            hint="write @{text} between columns, p{3cm} for a column of a given width",
        )
    depth = 0
    for end in range(index, len(written)):
        depth += {"{": 1, "}": -1}.get(written[end], 0)
        if depth == 0:
            return written[index + 1 : end], end + 1
    raise MathError(f"array column spec '{spec}': a '{{' is never closed")


def filled(cell: Node, cell_class: str) -> str:
    """The cell's class, its side changed by \\hfill: before the math (right), after it (left),
    on both sides (centred)."""
    marks = [child.kind == "hfill" for child in cell.children]
    if not any(marks):
        return cell_class
    side = {(True, False): "r", (False, True): "l"}.get((marks[0], marks[-1]), "c")
    return re.sub(r"\btex-[lrc]\b", f"tex-{side}", cell_class)


def flush_pairs(mtds: list[Node], width: int) -> list[Node]:
    """flalign's row: a filling cell between its column pairs (after the pair, when there is
    one), so that the first pair sits at the left margin and the last at the right, as amsmath
    sets them; a row with fewer cells gets empty ones, so the fillers line up."""
    pairs = max(1, (width + 1) // 2)
    cells = [*mtds, *(Node("mtd") for _ in range(2 * pairs - len(mtds)))]
    gaps = max(1, pairs - 1)
    spread: list[Node] = []
    for pair in range(pairs):
        spread.extend(cells[2 * pair : 2 * pair + 2])
        if pair < pairs - 1 or pairs == 1:  # the theme shares the line's spare width out
            spread.append(Node("mtd").set(**{"class": f"tex-fill tex-fill-{min(gaps, 4)}"}))
    return spread


def _hfill(parser: Parser, token: Tok) -> Node:
    """\\hfill: in a table's cell, pushes the cell's math to the other side (the environment
    reads the mark); anywhere else, nothing, as in MathJax."""
    return Node("mspace", kind="hfill").set(width="0")


def _misplaced_intertext(parser: Parser, token: Tok) -> None:
    """\\intertext anywhere but at the start of an align row (which the environment reads)."""
    raise MathError(
        f"{token.text}{{…}} stands at the start of a row, right after \\\\, in align and its kin",
        token.offset,
        hint="move it after the \\\\ that ends the row before it, or write the text in the prose",
    )


def column_commands() -> dict[str, Handler]:
    return {
        "\\hfill": _hfill,
        "\\hfil": _hfill,
        "\\intertext": _misplaced_intertext,
        "\\shortintertext": _misplaced_intertext,
    }
