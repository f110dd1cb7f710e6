"""Snippet options: `#| key: value` lines and site/post defaults; errors at the option's line."""

from __future__ import annotations

import pytest

from lemma.errors import LemmaError
from lemma.model import SnippetOptions, SourceLocation, Sweep
from lemma.parse.options import apply_option_lines, apply_option_mapping, split_option_lines

WHERE = SourceLocation("posts/p.md", 10)


def apply(*lines: str) -> SnippetOptions:
    items, _ = split_option_lines("\n".join([*lines, "code()"]))
    return apply_option_lines(SnippetOptions(), items, WHERE)


def apply_error(*lines: str) -> LemmaError:
    with pytest.raises(LemmaError) as info:
        apply(*lines)
    return info.value


def test_split_takes_only_leading_option_lines() -> None:
    items, code = split_option_lines("#| echo: false\n#|eval:true\nx = 1\n#| output: false")
    assert items == [(0, "echo", "false"), (1, "eval", "true")]
    assert code == "x = 1\n#| output: false"


def test_split_without_options_returns_the_code_unchanged() -> None:
    assert split_option_lines("x = 1\ny = 2") == ([], "x = 1\ny = 2")


def test_boolean_options_accept_true_false_yes_no() -> None:
    options = apply("#| eval: no", "#| echo: False", "#| output: off", "#| code-fold: yes")
    assert (options.eval, options.echo, options.output, options.code_fold) == (
        False,
        False,
        False,
        True,
    )


def test_boolean_option_with_other_value_is_an_error_at_its_line() -> None:
    error = apply_error("#| echo: true", "#| eval: maybe")
    assert str(error.location) == "posts/p.md:11"
    assert "option 'eval' takes true or false" in str(error)


def test_error_option_takes_a_boolean_or_an_exception_name() -> None:
    assert apply("#| error: true").expects_error
    named = apply("#| error: ZeroDivisionError")
    assert (named.expects_error, named.expected_error) == (True, "ZeroDivisionError")
    assert not apply("#| error: false").expects_error
    assert "exception name" in str(apply_error("#| error: not a name!"))


def test_timeout_is_seconds_and_must_be_positive() -> None:
    assert apply("#| timeout: 2.5").timeout_s == 2.5
    assert "timeout" in str(apply_error("#| timeout: 0"))
    assert "timeout" in str(apply_error("#| timeout: soon"))


def test_figure_options() -> None:
    options = apply("#| fig-cap: A caption", "#| fig-alt: Alt text", "#| fig-format: PNG")
    assert (options.fig_cap, options.fig_alt, options.fig_format) == (
        "A caption",
        "Alt text",
        "png",
    )


def test_bad_figure_format_suggests_the_closest() -> None:
    error = apply_error("#| fig-format: svgg")
    assert error.problem.hint == "did you mean 'svg'?"


def test_sweep_parses_name_and_literal_values() -> None:
    options = apply("#| sweep: lr = [0.1, 0.01, 'x']", "#| sweep-default: 0.01")
    assert options.sweeps == (Sweep("lr", (0.1, 0.01, "x"), default_index=1),)


@pytest.mark.parametrize("text", ["lr", "lr = []", "lr = [1, [2]]", "1x = [1]", "lr = [os.system]"])
def test_malformed_sweep_is_an_error(text: str) -> None:
    error = apply_error(f"#| sweep: {text}")
    assert str(error.location) == "posts/p.md:10"


def test_sweep_default_needs_a_sweep_and_one_of_its_values() -> None:
    assert "needs a 'sweep'" in str(apply_error("#| sweep-default: 1"))
    assert "not one of" in str(apply_error("#| sweep: n = [1, 2]", "#| sweep-default: 3"))


def test_unknown_option_names_closest_option() -> None:
    error = apply_error("#| fig_cap: x")
    assert "unknown snippet option 'fig_cap'" in str(error)
    assert error.problem.hint == "did you mean 'fig-cap'?"


def test_malformed_option_line_is_an_error() -> None:
    error = apply_error("#| just words")
    assert "unknown snippet option" in str(error)


def test_mapping_defaults_accept_yaml_and_toml_values() -> None:
    options = apply_option_mapping(
        SnippetOptions(), {"echo": False, "timeout": 30, "fig-format": "png"}, WHERE
    )
    assert (options.echo, options.timeout_s, options.fig_format) == (False, 30.0, "png")


def test_later_options_override_earlier_ones() -> None:
    base = apply_option_mapping(SnippetOptions(), {"echo": False}, WHERE)
    items, _ = split_option_lines("#| echo: true\nx")
    assert apply_option_lines(base, items, WHERE).echo is True


def test_two_sweep_lines_make_a_grid_and_sweep_default_sets_the_line_before_it() -> None:
    options = apply(
        "#| sweep: lr = [0.1, 0.01]", "#| sweep: n = [10, 20, 30]", "#| sweep-default: 20"
    )
    assert options.sweeps == (Sweep("lr", (0.1, 0.01)), Sweep("n", (10, 20, 30), 1))


def test_a_sweep_name_twice_or_a_grid_too_large_is_an_error() -> None:
    assert "given twice" in str(apply_error("#| sweep: n = [1]", "#| sweep: n = [2]"))
    twenty, eleven = list(range(20)), list(range(11))
    too_many = apply_error(f"#| sweep: a = {twenty}", f"#| sweep: b = {eleven}")
    assert "220 combinations" in str(too_many)
    assert too_many.problem.location == WHERE.at_line(WHERE.line + 1)
