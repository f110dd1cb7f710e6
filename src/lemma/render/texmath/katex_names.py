"""KaTeX's own names for what TeX spells otherwise (\\R, \\argmax, \\Alpha, \\rArr, \\ratio), so
that a post written for KaTeX converts unchanged. Each is the TeX it stands for, read again; a
macro of the same name, from the site or the post, comes first, as in KaTeX."""

from __future__ import annotations

from lemma.render.texmath.nodes import Node, row
from lemma.render.texmath.parser import Handler, Parser
from lemma.render.texmath.tokens import Tok, tokenize

_GREEK_CAPITALS = {
    "Alpha": "A",
    "Beta": "B",
    "Epsilon": "E",
    "Zeta": "Z",
    "Eta": "H",
    "Iota": "I",
    "Kappa": "K",
    "Mu": "M",
    "Nu": "N",
    "Omicron": "O",
    "Rho": "P",
    "Tau": "T",
    "Chi": "X",
}
_MEANINGS = {
    **{f"\\{name}": rf"\mathrm{{{letter}}}" for name, letter in _GREEK_CAPITALS.items()},
    # letters and sets
    "\\R": r"\mathbb{R}",
    "\\N": r"\mathbb{N}",
    "\\Z": r"\mathbb{Z}",
    "\\reals": r"\mathbb{R}",
    "\\Reals": r"\mathbb{R}",
    "\\natnums": r"\mathbb{N}",
    "\\cnums": r"\mathbb{C}",
    "\\Complex": r"\mathbb{C}",
    "\\real": r"\Re",
    "\\image": r"\Im",
    "\\alef": r"\aleph",
    "\\alefsym": r"\aleph",
    "\\weierp": r"\wp",
    "\\thetasym": r"\vartheta",
    "\\empty": r"\emptyset",
    "\\exist": r"\exists",
    "\\isin": r"\in",
    "\\plusmn": r"\pm",
    "\\sub": r"\subset",
    "\\sube": r"\subseteq",
    "\\supe": r"\supseteq",
    "\\diamonds": r"\diamondsuit",
    "\\hearts": r"\heartsuit",
    "\\spades": r"\spadesuit",
    "\\clubs": r"\clubsuit",
    "\\mathellipsis": r"\ldots",
    # arrows
    "\\rarr": r"\rightarrow",
    "\\rArr": r"\Rightarrow",
    "\\Rarr": r"\Rightarrow",
    "\\larr": r"\leftarrow",
    "\\lArr": r"\Leftarrow",
    "\\Larr": r"\Leftarrow",
    "\\lrarr": r"\leftrightarrow",
    "\\lrArr": r"\Leftrightarrow",
    "\\Lrarr": r"\Leftrightarrow",
    "\\harr": r"\leftrightarrow",
    "\\hArr": r"\Leftrightarrow",
    "\\Harr": r"\Leftrightarrow",
    "\\uarr": r"\uparrow",
    "\\uArr": r"\Uparrow",
    "\\Uarr": r"\Uparrow",
    "\\darr": r"\downarrow",
    "\\dArr": r"\Downarrow",
    "\\Darr": r"\Downarrow",
    # colons, KaTeX's second names for mathtools' (and the ones mathtools lacks)
    "\\ratio": r"\vcentcolon",
    "\\coloncolon": r"\dblcolon",
    "\\colonminus": r"\coloneq",
    "\\coloncolonminus": r"\Coloneq",
    "\\colonequals": r"\coloneqq",
    "\\coloncolonequals": r"\Coloneqq",
    "\\minuscolon": r"\eqcolon",
    "\\minuscoloncolon": r"\Eqcolon",
    "\\equalscolon": r"\eqqcolon",
    "\\equalscoloncolon": r"\Eqqcolon",
    "\\coloncolonapprox": r"\Colonapprox",
    "\\coloncolonsim": r"\Colonsim",
    "\\approxcolon": r"\mathrel{\approx\vcentcolon}",
    "\\approxcoloncolon": r"\mathrel{\approx\dblcolon}",
    "\\simcolon": r"\mathrel{\sim\vcentcolon}",
    "\\simcoloncolon": r"\mathrel{\sim\dblcolon}",
    # operator names: ML's arg max, and the Russian tradition's
    "\\argmax": r"\operatorname*{arg\,max}",
    "\\argmin": r"\operatorname*{arg\,min}",
    "\\plim": r"\operatorname*{plim}",
    **{
        f"\\{name}": rf"\operatorname{{{name}}}"
        for name in ["cosec", "arctg", "arcctg", "cotg", "sh", "ch", "ctg", "cth", "tg", "th"]
    },
    # fonts
    "\\bold": r"\mathbf",
}


def _meaning(parser: Parser, token: Tok) -> Node | None:
    tokens = tokenize(_MEANINGS[token.text], token.offset)
    if token.text == "\\bold":  # a font takes the argument that follows it
        parser.tokens[parser.position : parser.position] = tokens
        return None
    return row(parser.sub_parse(tokens))


def katex_commands() -> dict[str, Handler]:
    return dict.fromkeys(_MEANINGS, _meaning)
