"""Fenced divs, block labels and citation syntax, as the shared markdown-it setup reads them."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it.token import Token

from lemma.parse import parse_body
from lemma.parse.blocks import BlockInfo
from lemma.parse.citations import CiteItem
from test_markup import render


def divs(tokens: list[Token]) -> list[tuple[str, BlockInfo | None]]:
    return [(t.type, t.meta.get("block")) for t in tokens if t.type.startswith("div_")]


def citations(body: str) -> list[tuple[CiteItem, ...]]:
    found = []
    for token in parse_body(body):
        for child in token.children or []:
            if child.type == "citation":
                found.append(child.meta["items"])
    return found


def test_divs_nest_with_fences_of_the_same_length() -> None:
    body = "::: {#thm-a}\nStatement.\n\n::: {.proof}\nProof.\n:::\n\nAfter.\n:::\n\nOutside.\n"
    tokens = parse_body(body)
    kinds = [(kind, info.kind if info else None) for kind, info in divs(tokens)]
    assert kinds == [
        ("div_open", "theorem"),
        ("div_open", "proof"),
        ("div_close", "proof"),
        ("div_close", "theorem"),
    ]
    paragraphs = [t.content for t in tokens if t.type == "inline"]
    assert paragraphs == ["Statement.", "Proof.", "After.", "Outside."]
    assert tokens[0].map == [0, 9]


def test_colons_inside_a_code_fence_do_not_close_a_div() -> None:
    body = "::: {.callout-note}\n```text\n:::\n```\nStill inside.\n:::\n"
    tokens = parse_body(body)
    assert [t.type for t in tokens][:2] == ["div_open", "fence"]
    assert tokens[-1].type == "div_close"


def test_an_unclosed_div_is_text_not_a_block() -> None:
    tokens = parse_body("::: {#thm-a}\nNever closed.\n")
    assert divs(tokens) == []
    assert tokens[1].content.startswith("::: {#thm-a}")


def test_many_unclosed_divs_parse_in_linear_time() -> None:
    # Each unclosed opening must not scan to the end of the post again (10,000 of them).
    body = "::: {.note}\n\n" * 10_000
    tokens = parse_body(body)
    assert divs(tokens) == []


def test_theorem_name_from_its_first_heading_is_not_a_section() -> None:
    tokens = parse_body("::: {#thm-a}\n## Name *here*\nText.\n:::\n")
    assert not any(t.type == "heading_open" for t in tokens)
    title = tokens[0].meta["title_inline"]
    assert [c.type for c in title.children] == ["text", "em_open", "text", "em_close"]


def test_callout_attributes_title_and_collapse() -> None:
    tokens = parse_body('::: {.callout-caution title="Careful" collapse="true"}\nx\n:::\n')
    assert tokens[0].meta["block"] == BlockInfo("callout", "caution", "", "Careful", True)


def test_unsafe_attributes_of_a_plain_div_are_dropped() -> None:
    tokens = parse_body('::: {#box .note onclick="alert(1)"}\nx\n:::\n')
    assert tokens[0].meta["block"] == BlockInfo("div", "", "box", classes=("note",))


def test_heading_attributes_set_the_id() -> None:
    tokens = parse_body("## Intro {#sec-intro}\n")
    assert tokens[0].attrGet("id") == "sec-intro"
    assert tokens[1].content == "Intro"


def test_equation_labels_on_one_line_and_many() -> None:
    one = parse_body("$$ a = b $$ {#eq-one}\n")
    many = parse_body("$$\na = b\nc = d\n$$ {#eq-many}\n")
    assert (one[0].type, one[0].info, one[0].content.strip()) == (
        "math_block_label",
        "eq-one",
        "a = b",
    )
    assert (many[0].type, many[0].info, many[0].content) == (
        "math_block_label",
        "eq-many",
        "a = b\nc = d",
    )
    assert many[0].map == [0, 4]


def test_citation_syntax() -> None:
    assert citations("[see @a, p. 33; -@b]") == [
        (CiteItem("a", "see", "p. 33"), CiteItem("b", suppress_author=True))
    ]
    assert citations("As @knuth84 says.") == [(CiteItem("knuth84"),)]
    assert citations("@key. Then") == [(CiteItem("key"),)]  # the full stop ends the key


def test_what_is_not_a_citation() -> None:
    assert citations("mail a@b.org, X @ W and [text](url)") == []
    assert citations("escaped \\@key and `@code`") == []


def test_margin_divs_and_asides_are_margin_notes(tmp_path: Path) -> None:
    body = (
        "::: {.column-margin}\nThe *unnormalised* Laplacian.\n:::\n\n"
        "::: {.aside}\nAn aside.\n:::\n\n"
        "The sign of [the Fiedler vector]{.aside} cuts it; [small caps]{.smallcaps #sc}.\n"
    )
    kinds = [info.kind for kind, info in divs(parse_body(body)) if kind == "div_open" and info]
    assert kinds == ["margin", "margin"]
    html = render(body, tmp_path).html
    assert '<div class="margin-note">\n<p>The <em>unnormalised</em> Laplacian.</p>' in html
    assert '<div class="margin-note">\n<p>An aside.</p>' in html
    assert 'The sign of <span class="margin-note">the Fiedler vector</span> cuts it' in html
    assert '<span id="sc" class="smallcaps">small caps</span>' in html


def test_a_span_keeps_no_style_or_handler() -> None:
    tokens = parse_body('[x]{style="color: red" onclick="alert(1)" .ok}\n')
    span = next(c for c in tokens[1].children or [] if c.type == "span_open")
    assert dict(span.attrs) == {"class": "ok"}


def test_a_minimal_callout_is_marked_for_its_look(tmp_path: Path) -> None:
    body = '::: {.callout-note appearance="minimal" icon=false}\nA quiet note.\n:::\n'
    info = parse_body(body)[0].meta["block"]
    assert info == BlockInfo("callout", "note", classes=("callout--minimal",))
    html = render(body, tmp_path).html
    assert html.startswith('<div class="callout callout-note callout--minimal" role="note"')


def test_remark_and_solution_are_led_by_their_word_and_only_a_proof_ends_with_qed(
    tmp_path: Path,
) -> None:
    body = (
        "::: {.remark}\nThe bound is tight.\n:::\n\n"
        "::: {.solution}\nTake $x = 1$.\n:::\n\n"
        "::: {.proof}\nObvious.\n:::\n"
    )
    html = render(body, tmp_path).html
    assert '<div class="proof proof-remark">\n<p class="proof-heading"><em>Remark.</em></p>' in html
    assert (
        '<div class="proof proof-solution">\n<p class="proof-heading"><em>Solution.</em></p>'
        in (html)
    )
    assert html.count("∎") == 1 and 'Obvious. <span class="qed"' in html


def test_a_labelled_callout_is_numbered_for_its_references(tmp_path: Path) -> None:
    body = (
        "::: {#nte-idea .callout-note}\n## An idea\nNoted.\n:::\n\n"
        '::: {#wrn-step .callout-warning title="Step size"}\nCareful.\n:::\n\n'
        "::: {#nte-two .callout-note}\nAgain.\n:::\n\nSee @nte-idea, @wrn-step and @nte-two.\n"
    )
    html = render(body, tmp_path).html
    titles = re.findall(r'<p class="callout-title" id="callout-\d+-title">(.*?)</p>', html)
    assert titles == ["Note 1: An idea", "Warning 1: Step size", "Note 2"]
    links = re.findall(r'<a class="xref" href="#([\w-]+)"[^>]*>([^<]+)</a>', html)
    assert links == [("nte-idea", "Note 1"), ("wrn-step", "Warning 1"), ("nte-two", "Note 2")]
