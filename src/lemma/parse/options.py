"""Snippet options: Quarto-style `#| key: value` lines at the top of a fence, and their defaults."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from lemma.errors import OptionError, did_you_mean
from lemma.model import SnippetOptions, SourceLocation, Sweep

OPTION_NAMES = (
    "eval",
    "echo",
    "output",
    "error",
    "timeout",
    "fig-cap",
    "fig-alt",
    "fig-format",
    "code-fold",
    "sweep",
    "sweep-default",
    "label",
    "drift-rtol",
    "drift-atol",
    "drift-figure-rms",
    "cache",
)
_OPTION_LINE = re.compile(r"^#\|\s*(?P<key>[A-Za-z][\w-]*)\s*:\s*(?P<value>.*?)\s*$")
_SWEEP = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*=\s*(?P<values>\[.*\])$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][\w.]*$")
MAX_TIMEOUT_S = 86_400  # a deadline must stay a finite clock value
_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}


def split_option_lines(code: str) -> tuple[list[tuple[int, str, str]], str]:
    """Leading `#| key: value` lines as (offset, key, value), and the code after them."""
    lines = code.split("\n")
    options: list[tuple[int, str, str]] = []
    for offset, line in enumerate(lines):
        if not line.startswith("#|"):
            break
        match = _OPTION_LINE.match(line)
        if match is None:
            options.append((offset, line[2:].strip() or "#|", ""))
            continue
        options.append((offset, match["key"], match["value"]))
    return options, "\n".join(lines[len(options) :])


def apply_option_lines(
    base: SnippetOptions, items: list[tuple[int, str, str]], first_line: SourceLocation
) -> SnippetOptions:
    """`base` updated by a snippet's option lines; `first_line` is where the first one sits."""
    options = base
    for offset, key, value in items:
        options = _apply_one(options, key, value, first_line.at_line(first_line.line + offset))
    return options


def apply_option_mapping(
    base: SnippetOptions, items: Mapping[str, Any], where: SourceLocation
) -> SnippetOptions:
    """`base` updated by defaults from site.toml's [execute] or a post's `execute:` key."""
    options = base
    for key, value in items.items():
        options = _apply_one(options, str(key), value, where)
    return options


def _apply_one(
    options: SnippetOptions, key: str, value: Any, where: SourceLocation
) -> SnippetOptions:
    if key not in OPTION_NAMES:
        hint = did_you_mean(key, OPTION_NAMES) or f"valid options: {', '.join(OPTION_NAMES)}"
        raise OptionError(f"unknown snippet option '{key}'", where, hint=hint)
    text = str(value).strip() if not isinstance(value, bool) else ("true" if value else "false")
    match key:
        case "eval":
            return replace(options, eval=_to_bool(key, text, where))
        case "echo":
            return replace(options, echo=_to_bool(key, text, where))
        case "output":
            return replace(options, output=_to_bool(key, text, where))
        case "code-fold":
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
            return replace(options, fig_cap=text or None)
        case "label":
            if not re.match(r"^[A-Za-z][\w:.-]*$", text):
                raise OptionError(
                    f"snippet option 'label' must be a name like fig-loss, not '{text}'",
                    where,
                    hint="letters, digits, '-', '_', ':' and '.', starting with a letter",
                )
            return replace(options, label=text)
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
