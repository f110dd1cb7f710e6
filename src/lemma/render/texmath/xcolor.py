"""xcolor's colour mixes, as LaTeX computes them: red!50 (half red, half white), red!30!blue
(30% red, the rest blue), and longer chains, each as #rrggbb."""

from __future__ import annotations

from lemma.render.texmath.errors import MathError

# xcolor's base colours (xcolor.sty, rgb), which its mixes are made of: green is 0,1,0 there.
_BASE = {
    "red": (1.0, 0.0, 0.0),
    "green": (0.0, 1.0, 0.0),
    "blue": (0.0, 0.0, 1.0),
    "cyan": (0.0, 1.0, 1.0),
    "magenta": (1.0, 0.0, 1.0),
    "yellow": (1.0, 1.0, 0.0),
    "black": (0.0, 0.0, 0.0),
    "white": (1.0, 1.0, 1.0),
    "gray": (0.5, 0.5, 0.5),
    "darkgray": (0.25, 0.25, 0.25),
    "lightgray": (0.75, 0.75, 0.75),
    "brown": (0.75, 0.5, 0.25),
    "lime": (0.75, 1.0, 0.0),
    "olive": (0.5, 0.5, 0.0),
    "orange": (1.0, 0.5, 0.0),
    "pink": (1.0, 0.75, 0.75),
    "purple": (0.75, 0.0, 0.25),
    "teal": (0.0, 0.5, 0.5),
    "violet": (0.5, 0.0, 0.5),
}
_HINT = f"write a base colour and percentages, as red!50 or red!30!blue ({', '.join(_BASE)})"


def is_mix(spec: str) -> bool:
    return "!" in spec


def mix_colour(spec: str, command: str, offset: int | None = None) -> str:
    """#rrggbb of an xcolor expression name!p!name!p…: each step keeps p% of the colour so far
    and takes the rest from the next name (white when there is none)."""
    parts = [part.strip() for part in spec.split("!")]
    names, percents = parts[0::2], parts[1::2]
    if not all(name in _BASE for name in names) or not all(
        _percent(p) is not None for p in percents
    ):
        raise MathError(
            f"{command}{{{spec}}}: Lemma mixes xcolor's base colours by percentages",
            offset,
            hint=_HINT,
        )
    colour: tuple[float, ...] = _BASE[names[0]]
    for index, percent in enumerate(percents):
        other = _BASE[names[index + 1]] if index + 1 < len(names) else _BASE["white"]
        share = (_percent(percent) or 0.0) / 100
        colour = tuple(share * a + (1 - share) * b for a, b in zip(colour, other, strict=True))
    return "#" + "".join(f"{int(channel * 255 + 0.5):02x}" for channel in colour)  # half up


def _percent(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0 <= value <= 100 else None
