"""pymdownx.blocks' `/// name | argument` … `///` (`load.pymdown_blocks`), written as the
admonitions, tabs, divs, captions and definition lists Lemma reads; lines keep their numbers."""

from __future__ import annotations

from lemma.load.pymdown_blocks import rewrite_blocks
from lemma.parse import parse_body


def rewrite(body: str) -> tuple[str, list[str]]:
    text, problems = rewrite_blocks(body, 10, "posts/a.md")
    assert len(text.split("\n")) == len(body.split("\n"))
    return text, [f"{p.location}: {p.message}" for p in problems]


def test_an_admonition_block_is_a_callout_with_its_title_and_body() -> None:
    text, problems = rewrite("/// warning | Mind the *step*\nIt diverges.\n///\n")
    assert text == '!!! warning "Mind the *step*"\n    It diverges.\n\n'
    assert problems == []
    typed, _ = rewrite("/// admonition | Title\n    type: tip\n\nBody.\n///\n")
    assert typed.startswith('!!! tip "Title"\n')


def test_details_take_their_type_and_open_option() -> None:
    text, _ = rewrite("/// details | Proof\n    type: note\n    open: True\n\nQED.\n///\n")
    assert text.split("\n")[0] == '???+ note "Proof"'
    closed, _ = rewrite("/// details | Proof\nQED.\n///\n")
    assert closed.split("\n")[0] == '??? "Proof"'


def test_consecutive_tabs_are_one_set_and_select_picks_the_first_shown() -> None:
    body = "/// tab | A\nOne.\n///\n\n/// tab | B\n    select: true\n\nTwo.\n///\n"
    text, _ = rewrite(body)
    tokens = parse_body(text)
    sets = [t for t in tokens if t.type == "div_open" and t.meta["block"].kind == "tabset"]
    assert len(sets) == 1
    assert '===+ "B"' in text


def test_an_html_block_is_a_div_with_its_classes_and_id_and_nests() -> None:
    body = "//// html | div.outer\n/// html | div.inner#x\nIn.\n///\n////\n"
    text, _ = rewrite(body)
    divs = [t.meta.get("attributes") for t in parse_body(text) if t.type == "div_open"]
    assert divs == [{"class": "outer"}, {"id": "x", "class": "inner"}]


def test_a_caption_titles_the_image_above_it_and_captions_a_table() -> None:
    image, _ = rewrite('![Loss](loss.png)\n\n/// caption\nThe "loss"\n///\n')
    assert image.startswith('![Loss](loss.png "The \\"loss\\"")\n')
    table, _ = rewrite("| a |\n|---|\n| 1 |\n\n/// table-caption\nNumbers\n///\n")
    assert ": Numbers" in table.split("\n")


def test_define_is_a_definition_list() -> None:
    text, _ = rewrite("/// define\nRate\n\n- How far a step goes.\n///\n")
    types = [t.type for t in parse_body(text)]
    assert "dl_open" in types and "dd_open" in types


def test_an_unknown_block_keeps_its_body_with_a_warning_at_its_line() -> None:
    text, problems = rewrite("Text.\n\n/// mermaid\ngraph LR\n///\n")
    assert "graph LR" in text and "///" not in text
    assert problems == [
        "posts/a.md:12: pymdownx's '/// mermaid' block is not one Lemma reads; its body is "
        "shown as it is"
    ]


def test_blocks_in_code_stay_as_written() -> None:
    body = "```text\n/// note\nx\n///\n```\n"
    assert rewrite(body)[0] == body


def test_an_option_a_block_does_not_read_is_a_warning() -> None:
    _, problems = rewrite("/// tab | A\n    attrs: {class: wide}\n\nOne.\n///\n")
    assert problems == ["posts/a.md:10: /// tab: option 'attrs' is not read"]
