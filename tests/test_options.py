"""Snippet options: `#| key: value` lines and site/post defaults; errors at the option's line."""

from __future__ import annotations

import pytest

from lemma.errors import LemmaError
from lemma.model import SnippetOptions, SourceLocation, Sweep
from lemma.parse.option_lines import split_option_lines
from lemma.parse.options import apply_option_lines, apply_option_mapping

WHERE = SourceLocation("posts/p.md", 10)


def apply(*lines: str) -> SnippetOptions:
    items, _ = split_option_lines("\n".join([*lines, "code()"]))
    options, _ = apply_option_lines(SnippetOptions(), items, WHERE)
    return options


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


def test_an_option_without_its_colon_is_named_with_the_fix() -> None:
    error = apply_error('#| fig-cap "Missing colon"')
    assert "snippet option 'fig-cap' has no ':' before its value" in str(error)
    assert error.problem.hint == 'write it as #| fig-cap: "Missing colon"'


def test_mapping_defaults_accept_yaml_and_toml_values() -> None:
    options, _ = apply_option_mapping(
        SnippetOptions(), {"echo": False, "timeout": 30, "fig-format": "png"}, WHERE
    )
    assert (options.echo, options.timeout_s, options.fig_format) == (False, 30.0, "png")


def test_later_options_override_earlier_ones() -> None:
    base, _ = apply_option_mapping(SnippetOptions(), {"echo": False}, WHERE)
    items, _ = split_option_lines("#| echo: true\nx")
    assert apply_option_lines(base, items, WHERE)[0].echo is True


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


def apply_with_warnings(*lines: str) -> tuple[SnippetOptions, list[str]]:
    items, _ = split_option_lines("\n".join([*lines, "code()"]))
    options, warnings = apply_option_lines(SnippetOptions(), items, WHERE)
    return options, [str(w) for w in warnings]


def test_quoted_values_lose_their_quotes() -> None:
    options = apply(
        '#| fig-cap: "Caption: in double quotes"', "#| fig-alt: 'It''s alt'", '#| label: "fig-b"'
    )
    assert (options.fig_cap, options.fig_alt, options.label) == (
        "Caption: in double quotes",
        "It's alt",
        "fig-b",
    )
    assert apply('#| echo: "false"').echo is False


@pytest.mark.parametrize(
    ("line", "caption"),
    [
        ("#| fig-cap: A: colon inside", "A: colon inside"),
        ("#| fig-cap: yes", "yes"),
        ("#| fig-cap: 12:30", "12:30"),
        ("#| fig-cap: Loss # at step 10", "Loss # at step 10"),
        ("#| fig-cap: [draft] loss", "[draft] loss"),
        ('#| fig-cap: Say "hi"', 'Say "hi"'),
    ],
)
def test_plain_values_are_kept_as_typed(line: str, caption: str) -> None:
    assert apply(line).fig_cap == caption


def test_a_list_caption_over_indented_lines_gives_one_caption_per_figure() -> None:
    lines = [
        "#| label: fig-two",
        "#| fig-cap:",
        '#|   - "Sine"',
        "#|   - 'Cos: x'",
        "#| echo: false",
    ]
    items, code = split_option_lines("\n".join([*lines, "x = 1"]))
    assert [(offset, key) for offset, key, _ in items] == [
        (0, "label"),
        (1, "fig-cap"),
        (4, "echo"),
    ]
    assert code == "x = 1"
    options, _ = apply_option_lines(SnippetOptions(), items, WHERE)
    assert (options.fig_cap, options.fig_caps, options.echo) == (None, ("Sine", "Cos: x"), False)
    assert apply('#| fig-cap: ["A", "B"]').fig_caps == ("A", "B")
    assert apply("#| fig-cap:", "#| - A", "#| - B").fig_caps == ("A", "B")


def test_plain_lines_after_a_value_are_options_of_their_own() -> None:
    items, _ = split_option_lines("#| sweep: n = [1, 2, 3]\n#|   echo: false\nx")
    assert items == [(0, "sweep", "n = [1, 2, 3]"), (1, "echo", "false")]


def test_a_yaml_mistake_is_an_error_at_its_own_line() -> None:
    error = apply_error("#| echo: false", "#| fig-cap:", "#|   - A", '#|   - "B', "#| eval: true")
    assert "option 'fig-cap': invalid YAML" in str(error)
    assert error.location == WHERE.at_line(WHERE.line + 3)
    unclosed = apply_error("#| echo: false", '#| fig-cap: "open')
    assert unclosed.location == WHERE.at_line(WHERE.line + 1)


def test_a_list_where_one_value_is_expected_is_an_error() -> None:
    error = apply_error("#| echo:", "#|   - true")
    assert "option 'echo' takes one value, not a list" in str(error)
    assert "takes a text or a list" in str(apply_error("#| fig-cap:", "#|   a: b"))


def test_include_false_hides_code_and_output_but_runs() -> None:
    options = apply("#| include: false")
    assert (options.eval, options.echo, options.output) == (True, False, False)
    assert apply("#| include: true") == SnippetOptions()


def test_warning_false_and_table_caption() -> None:
    options = apply("#| warning: false", '#| tbl-cap: "Planets"', "#| code-fold: show")
    assert (options.warning, options.tbl_cap, options.code_fold) == (False, "Planets", False)


def test_quartos_layout_options_are_ignored_with_a_warning_saying_what_to_do() -> None:
    options, warnings = apply_with_warnings("#| fig-width: 8", "#| layout-nrow: 2", "#| echo: no")
    assert options == SnippetOptions(echo=False)
    assert warnings[0].startswith("posts/p.md:10: Quarto's option 'fig-width' has no meaning")
    assert "plt.figure(figsize=" in warnings[0]
    assert warnings[1].startswith("posts/p.md:11: Quarto's option 'layout-nrow'")
    assert "layout-ncol: 2" in warnings[1]


def test_freeze_among_snippet_options_points_to_the_front_matter_key() -> None:
    error = apply_error("#| freeze: auto")
    assert "Quarto's option 'freeze' is not a snippet option" in str(error)
    assert "freeze: auto at the top level of the front matter" in str(error.problem.hint)
    with pytest.raises(LemmaError) as mapped:
        apply_option_mapping(SnippetOptions(), {"freeze": "auto"}, WHERE)
    assert "front matter" in str(mapped.value.problem.hint)


def test_subcaptions_keep_the_whole_figures_caption_in_either_order() -> None:
    for lines in (
        ("#| fig-cap: Whole", '#| fig-subcap: ["A", "B"]'),
        ('#| fig-subcap: ["A", "B"]', "#| fig-cap: Whole"),
    ):
        options = apply(*lines)
        assert (options.fig_cap, options.fig_caps, options.fig_subcap) == (
            "Whole",
            ("A", "B"),
            True,
        )
    assert apply('#| fig-subcap: ["A", "B"]', '#| fig-cap: ["C", "D"]').fig_subcap is False


def test_layout_columns_and_the_margin_column() -> None:
    assert apply("#| layout-ncol: 3").layout_ncol == 3
    for bad in ("0", "7", "two"):
        assert "layout-ncol" in str(apply_error(f"#| layout-ncol: {bad}"))
    assert apply("#| column: margin").column == "margin"
    options, warnings = apply_with_warnings("#| column: screen-inset")
    assert options.column == ""
    [warning] = warnings
    assert "Quarto's 'column: screen-inset' is not supported and is ignored" in warning
    assert "column: margin" in warning


def test_output_asis_shows_the_output_as_markdown() -> None:
    options = apply("#| output: asis")
    assert (options.output, options.output_asis) == (True, True)
    assert apply("#| output: asis", "#| output: false").output_asis is False
