"""Snippet options: Quarto-style `#| key: value` lines at the top of a fence, and their defaults."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from lemma.errors import OptionError, Problem, did_you_mean
from lemma.model import SnippetOptions, SourceLocation, Sweep
from lemma.parse.option_lines import OptionLine, OptionValue, option_value

OPTION_NAMES = (
    "eval",
    "echo",
    "output",
    "include",
    "warning",
    "error",
    "timeout",
    "fig-cap",
    "fig-subcap",
    "fig-alt",
    "fig-format",
    "tbl-cap",
    "code-fold",
    "code-summary",
    "code-line-numbers",
    "sweep",
    "sweep-default",
    "label",
    "lst-label",
    "lst-cap",
    "layout-ncol",
    "column",
    "drift-rtol",
    "drift-atol",
    "drift-figure-rms",
    "cache",
)
_SWEEP = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*=\s*(?P<values>\[.*\])$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][\w.]*$")
MAX_TIMEOUT_S = 86_400  # a deadline must stay a finite clock value
MAX_COLUMNS = 6  # `layout-ncol`: the theme has a grid for each
_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}


# Quarto's options that Lemma has no meaning for: a warning that they are ignored, with what to
# do instead. Options that change what runs are errors instead (QUARTO_REFUSED).
QUARTO_IGNORED: Mapping[str, str] = {
    **dict.fromkeys(
        ("fig-width", "fig-height", "fig-dpi", "fig-asp"),
        "size figures in the code, e.g. plt.figure(figsize=(8, 4), dpi=100)",
    ),
    **dict.fromkeys(
        (
            "layout",
            "layout-nrow",
            "layout-align",
            "fig-align",
            "fig-pos",
            "fig-env",
            "cap-location",
            "fig-cap-location",
            "tbl-cap-location",
            "out-width",
            "out-height",
            "classes",
            "tbl-colwidths",
        ),
        "Lemma shows a snippet's outputs one under the other, or side by side with "
        "layout-ncol: 2; lay them out in the code (plt.subplots(1, 2)) or style them in your "
        "theme's CSS",
    ),
    **dict.fromkeys(
        ("code-overflow", "code-tools", "code-copy"),
        "Lemma's code blocks have one look, set by templates/partials/snippet.html",
    ),
    "message": "Python snippets have no separate message stream: warning: false hides stderr",
}
QUARTO_REFUSED: Mapping[str, str] = {
    "freeze": "freezing is a post's choice, not a snippet's: write freeze: auto at the top level "
    'of the front matter, not under execute:, or freeze = "auto" in site.toml',
    "enabled": "write eval: false to show the code without running it",
}


def apply_option_lines(
    base: SnippetOptions, items: Iterable[OptionLine], first_line: SourceLocation
) -> tuple[SnippetOptions, list[Problem]]:
    """`base` updated by a snippet's option lines, and warnings about Quarto options it ignores;
    `first_line` is where the first option line sits."""
    options = base
    warnings: list[Problem] = []
    for offset, key, text in items:
        where = first_line.at_line(first_line.line + offset)
        if _is_applied(key, where, warnings, text):
            options = _apply_value(options, key, option_value(key, text, where), where)
    return options, warnings


def apply_option_mapping(
    base: SnippetOptions, items: Mapping[str, Any], where: SourceLocation
) -> tuple[SnippetOptions, list[Problem]]:
    """`base` updated by defaults from site.toml's [execute] or a post's `execute:` key, and
    warnings about Quarto options it ignores."""
    options = base
    warnings: list[Problem] = []
    for key, value in items.items():
        if _is_applied(str(key), where, warnings, str(value)):
            options = _apply_value(options, str(key), _mapped_value(value), where)
    return options, warnings


def _mapped_value(value: Any) -> OptionValue:
    """A YAML or TOML value as an option line's: true/false, text, or a list of texts."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return tuple(str(item).strip() for item in value)
    return str(value).strip()


def _is_applied(key: str, where: SourceLocation, warnings: list[Problem], text: str) -> bool:
    """True for Lemma's options; a warning for Quarto's that Lemma ignores; else an error."""
    if key == "column" and text.strip().strip("\"'").lower() != "margin":
        warnings.append(
            Problem(
                f"Quarto's 'column: {text.strip()}' is not supported and is ignored",
                where,
                hint="Lemma sets outputs in the text's column, or in the margin with "
                "column: margin",
                is_warning=True,
            )
        )
        return False
    if key in QUARTO_IGNORED:
        warnings.append(
            Problem(
                f"Quarto's option '{key}' has no meaning in Lemma and is ignored",
                where,
                hint=QUARTO_IGNORED[key],
                is_warning=True,
            )
        )
        return False
    if key in QUARTO_REFUSED:
        raise OptionError(
            f"Quarto's option '{key}' is not a snippet option in Lemma",
            where,
            hint=QUARTO_REFUSED[key],
        )
    name, _, rest = key.partition(" ")
    if rest and name in OPTION_NAMES:  # `#| fig-cap "A caption"`: the colon was forgotten
        raise OptionError(
            f"snippet option '{name}' has no ':' before its value",
            where,
            hint=f"write it as #| {name}: {rest.strip()}",
        )
    if key not in OPTION_NAMES:
        hint = did_you_mean(key, OPTION_NAMES) or f"valid options: {', '.join(OPTION_NAMES)}"
        raise OptionError(f"unknown snippet option '{key}'", where, hint=hint)
    return True


def _apply_value(
    options: SnippetOptions, key: str, value: OptionValue, where: SourceLocation
) -> SnippetOptions:
    if key == "fig-cap" and isinstance(value, tuple):
        return replace(options, fig_cap=None, fig_caps=value, fig_subcap=False)  # one per figure
    if key == "fig-subcap":  # Quarto's subcaptions, under a fig-cap for the whole figure
        subcaps = value if isinstance(value, tuple) else (value,)
        return replace(options, fig_caps=subcaps, fig_subcap=True)
    if isinstance(value, tuple):
        raise OptionError(
            f"option '{key}' takes one value, not a list",
            where,
            hint=f"write the value on the line of '{key}:'",
        )
    return _apply_text(options, key, value, where)


def _apply_text(
    options: SnippetOptions, key: str, text: str, where: SourceLocation
) -> SnippetOptions:
    match key:
        case "eval":
            return replace(options, eval=_to_bool(key, text, where))
        case "echo":
            if text.lower() == "fenced":  # Quarto: the code shown with its fence and options
                return replace(options, echo=True, echo_fenced=True)
            return replace(options, echo=_to_bool(key, text, where), echo_fenced=False)
        case "output":
            if text.lower() == "asis":  # Quarto's: the printed text is Markdown, shown as such
                return replace(options, output=True, output_asis=True)
            return replace(options, output=_to_bool(key, text, where), output_asis=False)
        case "include":
            # Quarto's include: false runs the snippet and shows nothing of it; true changes nothing
            if _to_bool(key, text, where):
                return options
            return replace(options, echo=False, output=False)
        case "warning":
            return replace(options, warning=_to_bool(key, text, where))
        case "code-fold":
            if text.lower() == "show":  # Quarto's fold that starts open: Lemma shows the code
                return replace(options, code_fold=False)
            return replace(options, code_fold=_to_bool(key, text, where))
        case "error":
            if text.lower() in _TRUE | _FALSE:
                return replace(options, expects_error=text.lower() in _TRUE, expected_error=None)
            if not _IDENTIFIER.match(text):
                raise OptionError(
                    f"option 'error' takes true, false or an exception name, not {text!r}",
                    where,
                    hint="e.g. #| error: ValueError",
                )
            return replace(options, expects_error=True, expected_error=text)
        case "timeout":
            try:
                seconds = float(text)
            except ValueError:
                seconds = -1.0
            if not 0 < seconds <= MAX_TIMEOUT_S:  # NaN and inf fail here too
                raise OptionError(
                    f"option 'timeout' takes a number of seconds up to {MAX_TIMEOUT_S:,}"
                    f" (a day), not {text!r}",
                    where,
                    hint="e.g. #| timeout: 120",
                )
            return replace(options, timeout_s=seconds)
        case "cache":
            if text.lower() not in ("auto", "keep"):
                raise OptionError(
                    f"option 'cache' takes auto or keep, not {text!r}",
                    where,
                    hint="keep: cache the run even when the snippet runs a program or uses the "
                    "network, whose inputs Lemma cannot see (use --no-cache when they change)",
                )
            return replace(options, cache_keep=text.lower() == "keep")
        case "fig-cap":
            kept = options.fig_caps if options.fig_subcap else ()
            return replace(options, fig_cap=text or None, fig_caps=kept)
        case "layout-ncol":
            if not text.isdigit() or not 1 <= int(text) <= MAX_COLUMNS:
                raise OptionError(
                    f"option 'layout-ncol' takes a number of columns from 1 to {MAX_COLUMNS},"
                    f" not {text!r}",
                    where,
                    hint="e.g. #| layout-ncol: 2",
                )
            return replace(options, layout_ncol=int(text))
        case "column":
            return replace(options, column=text.lower())
        case "code-line-numbers":
            return replace(options, code_line_numbers=_to_bool(key, text, where))
        case "code-summary":
            return replace(options, code_summary=text or None)
        case "tbl-cap":
            return replace(options, tbl_cap=text or None)
        case "label":
            if not re.match(r"^[A-Za-z][\w:.-]*$", text):
                raise OptionError(
                    f"snippet option 'label' must be a name like fig-loss, not '{text}'",
                    where,
                    hint="letters, digits, '-', '_', ':' and '.', starting with a letter",
                )
            return replace(options, label=text)
        case "lst-label":  # Quarto's listing: a snippet's code, numbered for @lst-x
            if not text.startswith("lst-") or not re.match(r"^[A-Za-z][\w:.-]*$", text):
                raise OptionError(
                    f"option 'lst-label' takes a name like lst-solver, not '{text}'",
                    where,
                    hint="start it with lst-, as Quarto does",
                )
            return replace(options, label=text)
        case "lst-cap":
            return replace(options, lst_cap=text or None)
        case "fig-alt":
            return replace(options, fig_alt=text or None)
        case "fig-format":
            if text.lower() not in ("svg", "png"):
                raise OptionError(
                    f"option 'fig-format' takes svg or png, not {text!r}",
                    where,
                    hint=did_you_mean(text.lower(), ("svg", "png")) or "e.g. #| fig-format: png",
                )
            return replace(options, fig_format="png" if text.lower() == "png" else "svg")
        case "sweep":
            return _with_sweep(options, _to_sweep(text, where), where)
        case "drift-rtol":
            return replace(options, drift_rtol=_to_tolerance(key, text, where))
        case "drift-atol":
            return replace(options, drift_atol=_to_tolerance(key, text, where))
        case "drift-figure-rms":
            return replace(options, drift_figure_rms=_to_tolerance(key, text, where))
        case _:  # sweep-default
            return _with_sweep_default(options, text, where)


def _to_tolerance(key: str, text: str, where: SourceLocation) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise OptionError(
            f"option '{key}' takes a number (0 or more), not {text!r}",
            where,
            hint=f"e.g. #| {key}: 1e-6",
        )
    return value


def _to_bool(key: str, text: str, where: SourceLocation) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise OptionError(
        f"option '{key}' takes true or false, not {text!r}", where, hint=f"e.g. #| {key}: false"
    )


def _to_sweep(text: str, where: SourceLocation) -> Sweep:
    match = _SWEEP.match(text)
    values: Any = None
    if match:
        try:
            values = ast.literal_eval(match["values"])
        except (ValueError, SyntaxError):
            values = None
    if match is None or not isinstance(values, list) or not values:
        raise OptionError(
            f"option 'sweep' takes 'name = [value, ...]', not {text!r}",
            where,
            hint="e.g. #| sweep: learning_rate = [0.001, 0.01, 0.1]",
        )
    for value in values:
        if not isinstance(value, (int, float, str, bool)):
            raise OptionError(
                f"sweep values must be numbers, strings or booleans, not {value!r}", where
            )
    return Sweep(match["name"], tuple(values))


# Every combination runs in its own process and ships its outputs in the page: past this, a grid
# is more likely a mistake than a page anyone would wait for.
MAX_SWEEP_COMBINATIONS = 200


def _with_sweep(options: SnippetOptions, sweep: Sweep, where: SourceLocation) -> SnippetOptions:
    if any(s.name == sweep.name for s in options.sweeps):
        raise OptionError(f"sweep '{sweep.name}' is given twice", where)
    sweeps = (*options.sweeps, sweep)
    combinations = 1
    for each in sweeps:
        combinations *= len(each.values)
    if combinations > MAX_SWEEP_COMBINATIONS:
        raise OptionError(
            f"the sweeps make {combinations} combinations, more than {MAX_SWEEP_COMBINATIONS}",
            where,
            hint="use fewer values: every combination runs and is shipped in the page",
        )
    return replace(options, sweeps=sweeps)


def _with_sweep_default(
    options: SnippetOptions, text: str, where: SourceLocation
) -> SnippetOptions:
    """`sweep-default` sets the default value of the sweep line just before it."""
    if not options.sweeps:
        raise OptionError("option 'sweep-default' needs a 'sweep' line before it", where)
    sweep = options.sweeps[-1]
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        value = text
    if value not in sweep.values:
        raise OptionError(
            f"sweep-default {text} is not one of the sweep's values {list(sweep.values)}",
            where,
        )
    index = sweep.values.index(value)
    return replace(options, sweeps=(*options.sweeps[:-1], replace(sweep, default_index=index)))
