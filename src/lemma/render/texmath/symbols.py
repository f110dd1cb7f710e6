"""Which character a symbol command stands for, and its TeX class (ord, op, bin, rel, ...).

The table is read from `unimathsymbols.txt` (Günter Milde's mapping of Unicode to LaTeX math,
LPPL), which the latex2mathml package installs beside its code; Lemma adds the names it lacks.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_CLASSES = {
    "mathalpha": "ord",
    "mathord": "ord",
    "mathop": "op",
    "mathbin": "bin",
    "mathrel": "rel",
    "mathpunct": "punct",
    "mathopen": "open",
    "mathclose": "close",
    "mathfence": "fence",
}

# Names TeX and amsmath know that the table spells differently or lacks.
_EXTRA = {
    "\\to": ("→", "rel"),
    "\\gets": ("←", "rel"),
    "\\le": ("≤", "rel"),
    "\\ge": ("≥", "rel"),
    "\\ne": ("≠", "rel"),
    "\\neq": ("≠", "rel"),
    "\\lt": ("<", "rel"),
    "\\gt": (">", "rel"),
    "\\land": ("∧", "bin"),
    "\\lor": ("∨", "bin"),
    "\\lnot": ("¬", "ord"),
    "\\iff": ("⟺", "rel"),
    "\\implies": ("⟹", "rel"),
    "\\impliedby": ("⟸", "rel"),
    "\\dots": ("…", "ord"),
    "\\dotsc": ("…", "ord"),
    "\\dotso": ("…", "ord"),
    "\\dotsb": ("⋯", "ord"),
    "\\dotsm": ("⋯", "ord"),
    "\\dotsi": ("⋯", "ord"),
    "\\ldots": ("…", "ord"),
    "\\cdots": ("⋯", "ord"),
    "\\vdots": ("⋮", "ord"),
    "\\ddots": ("⋱", "ord"),
    "\\emptyset": ("∅", "ord"),
    "\\varnothing": ("∅", "ord"),
    "\\lvert": ("|", "open"),
    "\\rvert": ("|", "close"),
    "\\lVert": ("‖", "open"),
    "\\rVert": ("‖", "close"),
    "\\vert": ("|", "fence"),
    "\\Vert": ("‖", "fence"),
    "\\|": ("‖", "fence"),
    "\\{": ("{", "open"),
    "\\}": ("}", "close"),
    "\\lbrace": ("{", "open"),
    "\\rbrace": ("}", "close"),
    "\\langle": ("⟨", "open"),
    "\\rangle": ("⟩", "close"),
    "\\lceil": ("⌈", "open"),
    "\\rceil": ("⌉", "close"),
    "\\lfloor": ("⌊", "open"),
    "\\rfloor": ("⌋", "close"),
    "\\mid": ("∣", "rel"),
    "\\colon": (":", "punct"),
    "\\#": ("#", "ord"),
    "\\$": ("$", "ord"),
    "\\%": ("%", "ord"),
    "\\&": ("&", "ord"),
    "\\_": ("_", "ord"),
    "\\surd": ("√", "ord"),
    "\\bigcirc": ("◯", "bin"),
    "\\Box": ("□", "ord"),
    "\\degree": ("°", "ord"),
    "\\hbar": ("ℏ", "ord"),
    "\\imath": ("ı", "ord"),
    "\\jmath": ("ȷ", "ord"),
    "\\ell": ("ℓ", "ord"),
    "\\top": ("⊤", "ord"),
    "\\bot": ("⊥", "ord"),
    "\\perp": ("⊥", "rel"),
    "\\models": ("⊨", "rel"),
    "\\therefore": ("∴", "rel"),
    "\\because": ("∵", "rel"),
    "\\smallint": ("∫", "op"),
    "\\setminus": ("∖", "bin"),
    "\\And": ("&", "bin"),
    "\\upharpoonright": ("↾", "rel"),
    "\\restriction": ("↾", "rel"),
    "\\square": ("□", "ord"),
    "\\blacksquare": ("■", "ord"),
    "\\qed": ("∎", "ord"),
    "\\Perp": ("⫫", "rel"),
    # base and amsmath (MathJax's names)
    "\\intop": ("∫", "op"),
    "\\omicron": ("ο", "ord"),
    "\\notChar": ("⧸", "rel"),
    "\\ldotp": (".", "punct"),
    "\\arrowvert": ("⏐", "fence"),
    "\\Arrowvert": ("‖", "fence"),
    "\\bracevert": ("⎪", "fence"),
    "\\lparen": ("(", "open"),
    "\\rparen": (")", "close"),
    "\\hdots": ("…", "ord"),
    "\\P": ("¶", "ord"),
    "\\diagup": ("╱", "ord"),
    "\\diagdown": ("╲", "ord"),
    "\\circledS": ("Ⓢ", "ord"),
    "\\doublecap": ("⋒", "bin"),
    "\\doublecup": ("⋓", "bin"),
    "\\centerdot": ("⋅", "bin"),
    "\\llless": ("⋘", "rel"),
    "\\gggtr": ("⋙", "rel"),
    "\\thicksim": ("∼", "rel"),
    "\\thickapprox": ("≈", "rel"),
    "\\smallsmile": ("⌣", "rel"),
    "\\smallfrown": ("⌢", "rel"),
    "\\shortmid": ("∣", "rel"),
    "\\shortparallel": ("∥", "rel"),
    "\\nshortmid": ("∤", "rel"),
    "\\nshortparallel": ("∦", "rel"),
    "\\varpropto": ("∝", "rel"),
    "\\nleqq": ("≰", "rel"),
    "\\ngeqq": ("≱", "rel"),
    "\\lvertneqq": ("≨", "rel"),
    "\\gvertneqq": ("≩", "rel"),
    "\\nsubseteqq": ("⊈", "rel"),
    "\\nsupseteqq": ("⊉", "rel"),
    "\\varsupsetneq": ("⊋", "rel"),
    "\\varsubsetneqq": ("⫋", "rel"),
    "\\varsupsetneqq": ("⫌", "rel"),
    # mathtools' colons: one relation each, as its \coloneqq
    "\\dblcolon": ("∷", "rel"),
    "\\vcentcolon": ("∶", "rel"),
    "\\centercolon": ("∶", "rel"),
    "\\ordinarycolon": (":", "ord"),
    "\\MTThinColon": ("∶", "rel"),
    "\\Eqqcolon": ("=∷", "rel"),
    "\\Eqcolon": ("−∷", "rel"),
    "\\colonapprox": ("∶≈", "rel"),
    "\\Colonapprox": ("∷≈", "rel"),
    "\\colonsim": ("∶∼", "rel"),
    "\\Colonsim": ("∷∼", "rel"),
    # gensymb
    "\\celsius": ("℃", "ord"),
    "\\perthousand": ("‰", "ord"),
    "\\ohm": ("Ω", "ord"),
    "\\micro": ("µ", "ord"),
}
# Upright operator names (\sin): those in the second set take limits below in display (\lim_x).
_FUNCTION_WORDS = "arccos arcsin arctan arg cos cosh cot coth csc deg dim exp hom ker lg ln log"
FUNCTIONS = frozenset(f"{_FUNCTION_WORDS} sec sin sinh tan tanh".split(" "))
FUNCTIONS_WITH_LIMITS = frozenset(
    ("det", "gcd", "inf", "lim", "liminf", "limsup", "max", "min", "Pr", "sup")
)
_FUNCTION_TEXT = {
    "liminf": "lim inf",
    "limsup": "lim sup",
    "injlim": "inj lim",
    "projlim": "proj lim",
}


@dataclass(frozen=True, slots=True)
class Symbol:
    char: str
    kind: str  # ord, op, bin, rel, punct, open, close, fence


def function_text(name: str) -> str:
    return _FUNCTION_TEXT.get(name, name)


def symbol(command: str) -> Symbol | None:
    """The symbol `command` (with its backslash) stands for, if it is one."""
    return _table().get(command)


def char_kind(char: str) -> str:
    """The TeX class of a character typed into a formula as itself ("≤", "∑", "+")."""
    if char in "+-*":
        return "bin"
    if char in "=<>:":
        return "rel"
    if char in ",;":
        return "punct"
    if char in "([":
        return "open"
    if char in ")]":
        return "close"
    if char in "|/!?.'\"@":
        return "ord"
    return _char_classes().get(char, "ord")


@cache
def _table() -> dict[str, Symbol]:
    table: dict[str, Symbol] = {}
    for code, command, alias, kind, comment in _rows():
        char = chr(int(code, 16))
        # "= \\mathds{C} (dsfont)" names a font applied to a letter, not a symbol's alias
        for name in (command, alias, *re.findall(r"= (\\[A-Za-z]+)(?![A-Za-z{])", comment)):
            if name.startswith("\\") and name not in table:
                table[name] = Symbol(char, kind)
    for name, (char, kind) in _EXTRA.items():
        table[name] = Symbol(char, kind)
    table["\\minus"] = Symbol("−", "bin")
    return table


@cache
def _char_classes() -> dict[str, str]:
    classes: dict[str, str] = {}
    for code, _command, _alias, kind, _comment in _rows():
        classes.setdefault(chr(int(code, 16)), kind)
    return classes


def _rows() -> list[tuple[str, str, str, str, str]]:
    # find_spec locates the package without importing its converter (50 ms we do not need).
    spec = importlib.util.find_spec("latex2mathml")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    if not folders:
        raise ModuleNotFoundError("latex2mathml (it ships the table of math symbols) is missing")
    text = (Path(folders[0]) / "unimathsymbols.txt").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        columns = line.split("^")
        if len(columns) < 8 or columns[5] not in _CLASSES or len(columns[0]) > 5:
            continue
        rows.append((columns[0], columns[2], columns[3], _CLASSES[columns[5]], columns[7]))
    return rows
