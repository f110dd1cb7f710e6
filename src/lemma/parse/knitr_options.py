"""knitr's chunk options (R Markdown, blogdown, bookdown): the header of ```{python label,
echo=FALSE, fig.cap="A caption"} and the `#| fig.cap: ...` lines, read as Lemma's snippet options.

An option with a meaning in Lemma becomes that option (`echo`, `eval`, `include`, `warning`,
`error`, `results='hide'` as `output: false`, `'asis'` as `output: asis`, `fig.cap`, `fig.alt`,
`tab.cap`); a chunk named `label` with a `fig.cap` is the figure `fig-label` (bookdown's
`fig:label`), with a `tab.cap` the table `tbl-label`. An option Lemma cannot honour is a warning
at its line naming it; a header that is not closed or a value knitr would refuse is an error.
Header values are R: `TRUE`/`FALSE` (`T`/`F`), quoted texts, numbers; other R code cannot run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lemma.errors import LemmaError, OptionError, Problem
from lemma.model import SourceLocation
from lemma.parse.option_lines import OptionLine

# A knitr header: {engine}, {engine label}, {engine, key=value}, {engine label, key=value, ...}
_HEADER = re.compile(r"^\{(?P<engine>[A-Za-z][\w-]*)(?P<rest>[\s,].*)?\}\s*$", re.DOTALL)
_OPEN_HEADER = re.compile(r"^\{[A-Za-z][\w-]*(?:[\s,}]|$)")
# A header with something after its engine: ```{python, echo=FALSE}, ```{python label}
_HEADER_WITH_OPTIONS = re.compile(r"^\{(?:python|r)(?:\s*,|\s+[\w.-]+\s*[,}])")
_LABEL = re.compile(r"^[\w.-]+$")
_NAME = re.compile(r"^[A-Za-z][\w.-]*$")
_LOGICAL = {"TRUE": "true", "T": "true", "FALSE": "false", "F": "false"}
_NUMBER = re.compile(r"^-?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?$")
# knitr's options that are Lemma's own under another name (or the same), taking a logical
_LOGICALS = ("echo", "eval", "include", "warning", "error")
_TEXTS = {"fig.cap": "fig-cap", "fig.alt": "fig-alt", "tab.cap": "tbl-cap"}
# knitr's options whose default is what Lemma does anyway: said only when set otherwise
_DEFAULTS = {"message": "true", "collapse": "false", "cache": "true", "fig.show": "asis"}
_NO_PREFIX = ("", "NA", "NULL")  # comment: Lemma shows outputs with no prefix
_HINTS: Mapping[str, str] = {
    **dict.fromkeys(
        ("fig.width", "fig.height", "fig.dim", "fig.asp", "dpi", "fig.retina", "dev"),
        "size figures in the code, e.g. plt.figure(figsize=(8, 4), dpi=100)",
    ),
    **dict.fromkeys(
        ("out.width", "out.height", "fig.align", "fig.pos", "out.extra", "fig.show"),
        "the pages allow no inline style: Lemma shows figures at the text's width, side by "
        "side with #| layout-ncol: 2",
    ),
    "message": "Python snippets have no separate message stream: warning=FALSE hides stderr",
    "collapse": "Lemma shows the code and its output in blocks of their own",
    "comment": "Lemma shows outputs without a prefix, as comment='' does",
    "cache": "Lemma caches every snippet's run and runs it again when its code or the files "
    "it read change",
    "results": "",
}


@dataclass(frozen=True, slots=True)
class KnitrHeader:
    """A chunk header's engine (`python`, `r`), label, and `key=value` options as written."""

    engine: str
    label: str
    options: tuple[tuple[str, str], ...]


def is_knitr_header(info: str) -> bool:
    """```{python}, ```{python label, echo=FALSE}, ```{r setup}: a chunk of an R Markdown post
    (pandoc's ```{.python} is not one)."""
    return bool(_OPEN_HEADER.match(info.strip()))


def knitr_header(info: str, where: SourceLocation) -> KnitrHeader:
    """The header of ```{python label, key=value}, read; a mistake in it is an error at
    `where` (the fence's line)."""
    text = info.strip()
    match = _HEADER.match(text)
    if match is None:
        raise OptionError(
            f"the chunk header {{{text.lstrip('{')} is not closed",
            where,
            hint=f"end it with '}}': ```{text.rstrip()}}}",
        )
    label, options = _arguments(match["rest"] or "", text, where)
    return KnitrHeader(match["engine"], label, tuple(options))


def _arguments(text: str, written: str, where: SourceLocation) -> tuple[str, list[tuple[str, str]]]:
    """The label and `name=value` options of a header's text after its engine (or of `#|`
    lines in R's syntax); `written` is how the author wrote them, for messages."""
    items = _split_items(text, written, where)
    label = ""
    if items and "=" not in items[0]:
        label = items.pop(0).strip()
        if not _LABEL.match(label):
            raise OptionError(
                f"the chunk label '{label}' is not a name",
                where,
                hint="a label is letters, digits, '-' and '_', e.g. ```{python loss-plot}",
            )
    options: list[tuple[str, str]] = []
    for item in items:
        name, equals, value = item.partition("=")
        name = name.strip()
        if not equals or not _NAME.match(name):
            raise OptionError(
                f"chunk option '{item.strip()}' is not written as name=value",
                where,
                hint="write each option as name=value, separated by commas: "
                'echo=FALSE, fig.cap="A"',
            )
        if name == "label":
            label = _r_value(name, value.strip(), where)
            continue
        options.append((name, value.strip()))
    return label, options


def _split_items(rest: str, header: str, where: SourceLocation) -> list[str]:
    """The header's comma-separated items (a label, then options), commas inside quotes and
    brackets kept."""
    items: list[str] = []
    current: list[str] = []
    quote = ""
    depth = 0
    for char in rest.lstrip(", \t").removesuffix("}"):
        if quote:
            quote = "" if char == quote and (not current or current[-1] != "\\") else quote
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            items.append("".join(current))
            current = []
            continue
        current.append(char)
    if quote:
        raise OptionError(
            f"a text in the chunk header {header} has no closing {quote}",
            where,
            hint=f"close it with {quote}",
        )
    items.append("".join(current))
    return [item for item in items if item.strip()]


def _r_value(name: str, value: str, where: SourceLocation) -> str:
    """An R value as the text of an option line: a logical as true/false, a quoted text as its
    text (YAML-quoted when YAML would read it otherwise), a number as written."""
    if value in _LOGICAL:
        return _LOGICAL[value]
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        text = value[1:-1].replace(f"\\{value[0]}", value[0])
        return json.dumps(text) if text.startswith(('"', "'", "[")) else text
    if _NUMBER.match(value) or value in ("NA", "NULL"):
        return value
    raise _RCode(name, value, where)


class _RCode(Exception):
    """An option's value is R code (`params$show`, `c(1, 3)`), which Lemma cannot evaluate."""

    def __init__(self, name: str, value: str, where: SourceLocation) -> None:
        super().__init__(name)
        self.problem = Problem(
            f"knitr option '{name}={value}' is R code, which Lemma cannot run; it is ignored",
            where,
            hint=f'write a value: {name}=FALSE, or {name}="text"',
            is_warning=True,
        )


def knitr_option_lines(
    header: KnitrHeader | None,
    lines: Sequence[OptionLine],
    header_where: SourceLocation,
    lines_where: SourceLocation,
) -> tuple[list[OptionLine], list[Problem]]:
    """The header's options (at offset -1 from the first `#|` line: the fence's line) and the
    `#|` lines (YAML's `key: value`, or R's `key = value` as in the header), as Lemma's option
    lines; warnings for options Lemma cannot honour."""
    problems: list[Problem] = []
    found: list[OptionLine] = []
    # (offset, name, value's text, where, the value as written in the header or None)
    written: list[tuple[int, str, str, SourceLocation, str | None]] = []
    label = header.label if header else ""
    in_r = [(-1, header_where, header.options)] if header else []
    if any(not _NAME.match(key) for _, key, _ in lines):  # `#| echo = FALSE, fig.width = 10`
        first = lines_where.at_line(lines_where.line + lines[0][0])
        text = " ".join(key for _, key, _ in lines)
        body_label, body_options = _arguments(text, f"#| {text}", first)
        label = body_label or label
        in_r.append((lines[0][0], first, tuple(body_options)))
        lines = []
    for offset, at, options in in_r:
        for name, value in options:
            try:
                written.append((offset, name, _r_value(name, value, at), at, value))
            except _RCode as exc:
                problems.append(exc.problem)
    for offset, key, text in lines:
        at = lines_where.at_line(lines_where.line + offset)
        written.append((offset, key, text, at, None))
    caption_kind = ""
    for offset, key, text, at, as_written in written:
        name = key.replace("-", ".") if key.replace("-", ".") in _KNITR_NAMES else key
        if name == "label" and as_written is None:
            label = _unquoted(text)
            continue
        said = f"{name}={as_written}" if as_written is not None else f"{key}: {text}"
        mapped = _mapped(name, text, at, (said, as_written is not None), problems)
        if mapped is None:
            continue
        if mapped[0] in ("fig-cap", "tbl-cap"):
            caption_kind = caption_kind or mapped[0][:3]
        found.append((offset, *mapped))
    if label and caption_kind:
        prefix = f"{caption_kind}-"
        whole = label if label.startswith(prefix) else prefix + label
        found.append((-1 if header and header.label else 0, "label", whole))
    return found, problems


_KNITR_NAMES = frozenset((*_LOGICALS, *_TEXTS, *_DEFAULTS, *_HINTS, "label", "results"))


def _unquoted(text: str) -> str:
    return text.strip().strip("\"'")


def _mapped(
    name: str,
    text: str,
    where: SourceLocation,
    written: tuple[str, bool],
    problems: list[Problem],
) -> tuple[str, str] | None:
    """knitr's option `name` with value `text` as one of Lemma's, or None (with a warning when
    Lemma cannot do what it asks); `written` is the option as written (`echo=FALSE`, `echo: no`)
    and whether it is in the header."""
    said, in_header = written
    plain = _unquoted(text)
    if name in _LOGICALS:
        if plain.lower() not in ("true", "false", "yes", "no"):
            if in_header and plain.startswith(("-", *"0123456789")):
                problems.append(_ignored(said, where, "Lemma shows or runs a snippet whole"))
                return None
            raise OptionError(
                f"knitr option '{name}' takes TRUE or FALSE, not {text}",
                where,
                hint=f"write {name}=FALSE" if in_header else f"write #| {name}: false",
            )
        return name, plain
    if name in _TEXTS:
        return None if in_header and text in ("NA", "NULL") else (_TEXTS[name], text)
    if name == "results":
        return _results(plain, said, where, problems)
    if name == "comment" and plain in _NO_PREFIX:
        return None
    if name in _DEFAULTS and plain.lower() == _DEFAULTS[name]:
        return None
    if name in _HINTS or in_header:
        problems.append(_ignored(said, where, _HINTS.get(name) or ""))
        return None
    return name, text  # a `#|` line of Lemma's own (sweep, code-fold, ...): read as Lemma's


def _results(
    value: str, said: str, where: SourceLocation, problems: list[Problem]
) -> tuple[str, str] | None:
    match value.lower():
        case "hide" | "false":
            return "output", "false"
        case "asis":
            return "output", "asis"
        case "markup" | "hold" | "true":
            return None  # Lemma shows a snippet's outputs under its code, as 'hold' does
        case _:
            raise OptionError(
                f"knitr option 'results' takes 'markup', 'asis', 'hold' or 'hide', not {value!r}",
                where,
                hint="write results='hide' to show no output",
            )


def _ignored(said: str, where: SourceLocation, hint: str) -> Problem:
    return Problem(
        f"knitr option '{said}' has no meaning in Lemma and is ignored",
        where,
        hint=hint
        or "Lemma's snippet options are echo, eval, include, warning, error, "
        "results, fig.cap, fig.alt, tab.cap (see the README)",
        is_warning=True,
    )


def chunk_option_lines(
    info: str, lines: Sequence[OptionLine], fence: SourceLocation, rmarkdown: bool
) -> tuple[list[OptionLine], list[Problem]]:
    """A chunk's options, from its header and its `#|` lines, as Lemma's option lines (offsets
    from the line after the fence); a mistake is an error among the problems. The `#|` lines
    take knitr's names in an R Markdown post; elsewhere they are Quarto's and Lemma's, and only
    a header that knitr alone writes (```{python, echo=FALSE}, ```{python label}) is read."""
    if not rmarkdown and not _HEADER_WITH_OPTIONS.match(info.strip()):
        return list(lines), []
    try:
        header = knitr_header(info, fence) if is_knitr_header(info) else None
        if not rmarkdown:
            found, problems = knitr_option_lines(header, [], fence, fence)
            return [*found, *lines], problems
        return knitr_option_lines(header, lines, fence, fence.at_line(fence.line + 1))
    except LemmaError as exc:
        return [], [exc.problem]
