"""The commands MathJax's packages bring, as Chromium lays them out: measured, not their markup.

Each formula of the fixture post follows a paragraph naming it ("clap:"): `formula(name)` finds it.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import EPOCH, REPO, Server

pytestmark = pytest.mark.browser
FIXTURE = REPO / "tests" / "fixtures" / "mathjax"
FORMULA = """name => [...document.querySelectorAll('.post-body p')]
    .find(p => p.textContent.trim() === name + ':').nextElementSibling.querySelector('math')"""


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    out = tmp_path_factory.mktemp("mathjax-site")
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), SOURCE_DATE_EPOCH=EPOCH)
    done = subprocess.run(
        [sys.executable, "-m", "lemma", "build", "--root", str(FIXTURE), "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "warning:" not in done.stderr, done.stderr  # every command is read
    server = Server(out)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def post(page: Any, packages: Server) -> Any:
    page.goto(packages.url("posts/packages/"))
    page.evaluate("document.fonts.ready")
    return page


def boxes(page: Any, name: str, selector: str) -> list[dict[str, float]]:
    """The boxes of the elements `selector` finds in the formula `name`, in document order."""
    return page.evaluate(  # type: ignore[no-any-return]
        f"""name => [...({FORMULA})(name).querySelectorAll({selector!r})].map(e => {{
            const r = e.getBoundingClientRect();
            return {{left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                     width: r.width, height: r.height, text: e.textContent}};
        }})""",
        name,
    )


def em(page: Any) -> float:
    return page.evaluate(  # type: ignore[no-any-return]
        "parseFloat(getComputedStyle(document.querySelector('.post-body math')).fontSize)"
    )


def test_every_glyph_is_drawn_from_the_math_font(post: Any) -> None:
    cdp = post.context.new_cdp_session(post)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    selector = ".post-body math :is(mi, mo, mn, mtext):not(.tex-eqno *, .tex-eqno-pad *)"
    nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]
    assert len(nodes) >= 80
    elsewhere = []
    for node in nodes:
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        names = {font["familyName"] for font in fonts}
        if names - {"Lemma Math"}:
            elsewhere.append((cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"], names))
    assert elsewhere == []


def test_mathclap_limit_overhangs_the_sum_and_takes_no_room(post: Any) -> None:
    total, limit, term = (
        boxes(post, "clap", "munder > mo")[0],
        boxes(post, "clap", "mrow.tex-clap")[0],
        boxes(post, "clap", "msub")[0],
    )
    assert limit["width"] > total["width"] + 10  # the limit is much wider than the ∑
    middle = (total["left"] + total["right"]) / 2
    assert abs((limit["left"] + limit["right"]) / 2 - middle) < 1.5  # centred under it
    assert limit["left"] < total["left"] - 5 and limit["right"] > total["right"] + 5
    assert term["left"] - total["right"] < 0.3 * em(post)  # x_ij is set beside the ∑ itself


def test_mathllap_overlaps_the_letter_before_it(post: Any) -> None:
    letters = boxes(post, "llap", "mi")
    slash = boxes(post, "llap", "mrow.tex-llap")[0]
    a, b = letters
    assert slash["right"] <= b["left"] + 1  # it ends where it stands
    assert slash["left"] < a["right"] - 2  # and reaches back over the a
    assert b["left"] - a["right"] < 0.4 * em(post)  # no room was made for it


def test_sideset_puts_the_prime_at_the_top_right_and_the_limit_below(post: Any) -> None:
    total = boxes(post, "sideset", "mmultiscripts > mo")[0]
    prime = boxes(post, "sideset", ".tex-prime")[0]
    limit = boxes(post, "sideset", "munder > mrow")[0]
    assert prime["left"] >= total["right"] - 2
    assert prime["bottom"] < (total["top"] + total["bottom"]) / 2  # a superscript
    assert limit["top"] >= total["bottom"] - 2  # the limit n < k under the ∑
    # centred under the operator with its scripts, as MathJax's \mathop around them does
    assert total["left"] < (limit["left"] + limit["right"]) / 2 < prime["right"]


def test_genfrac_with_no_rule_draws_no_line_between_its_parts(post: Any) -> None:
    from PIL import Image

    fraction = post.evaluate_handle(f"({FORMULA})('genfrac').querySelector('mfrac')")
    image = Image.open(io.BytesIO(fraction.screenshot())).convert("L")
    numerator, denominator = boxes(post, "genfrac", "mfrac > mi")
    frame = boxes(post, "genfrac", "mfrac")[0]
    scale = image.size[1] / frame["height"]
    band = range(
        int((numerator["bottom"] - frame["top"]) * scale) + 1,
        int((denominator["top"] - frame["top"]) * scale) - 1,
    )
    assert len(band) >= 1
    dark = [(x, y) for y in band for x in range(image.size[0]) if image.getpixel((x, y)) < 128]  # type: ignore[operator]
    assert dark == []


def test_small_matrix_is_smaller_than_its_full_size_twin(post: Any) -> None:
    full, small = boxes(post, "matrices", "mtable")
    assert small["height"] < 0.8 * full["height"]
    assert small["width"] < 0.7 * full["width"]
    entries = boxes(post, "matrices", "mtable mi")
    assert entries[4]["height"] < 0.85 * entries[0]["height"]  # script-size letters


def test_starred_paired_delimiter_grows_with_its_content(post: Any) -> None:
    bars = boxes(post, "paired", "mo")
    plain, starred = bars[:2], bars[2:4]
    fraction = boxes(post, "paired", "mfrac")[1]
    assert all(bar["text"] == "|" for bar in bars[:4])
    assert starred[0]["height"] >= 0.9 * fraction["height"]
    assert plain[0]["height"] < 0.7 * fraction["height"]


def test_braket_bars_grow_with_the_brackets(post: Any) -> None:
    fences = boxes(post, "braket", "mo[fence]")
    opening, bars = fences[0], [f for f in fences if f["text"] == "|"]
    assert len(bars) == 2
    for bar in bars:
        assert bar["height"] >= 0.8 * opening["height"]


@pytest.mark.parametrize("name", ["longequal", "longimplies", "longarrow", "twohead", "hookleft"])
def test_extensible_arrows_are_as_long_as_their_label(post: Any, name: str) -> None:
    """The ink under the label spans the label (the mo's own box keeps the glyph's width)."""
    from PIL import Image

    arrow = post.evaluate_handle(f"({FORMULA})({name!r}).querySelector('mover')")
    frame = boxes(post, name, "mover")[0]
    label = boxes(post, name, "mover > mrow mtext")[0]
    image = Image.open(io.BytesIO(arrow.screenshot())).convert("L")
    scale = image.size[0] / frame["width"]
    below = int((label["bottom"] - frame["top"]) * scale) + 2
    ink = [
        x
        for x in range(image.size[0])
        for y in range(below, image.size[1])
        if image.getpixel((x, y)) < 128  # type: ignore[operator]
    ]
    assert ink, "no bars under the label"
    assert (max(ink) - min(ink)) / scale >= label["width"] - 2


def test_move_eq_left_starts_the_first_row_left_of_the_equals_sign(post: Any) -> None:
    moved = boxes(post, "moveleft", "mrow.tex-moveleft-2")[0]
    equals = next(box for box in boxes(post, "moveleft", "mo") if box["text"] == "=")
    shift = (equals["left"] - moved["left"]) / em(post)
    assert 1.7 < shift < 2.3, shift


def test_commutative_diagram_arrows_sit_between_and_under_their_objects(post: Any) -> None:
    objects = {box["text"]: box for box in boxes(post, "diagram", "mtd > mi")}
    arrows = {box["text"]: box for box in boxes(post, "diagram", "mo")}
    a, b, c = objects["A"], objects["B"], objects["C"]
    right = arrows["⟶"]
    assert a["right"] < right["left"] and right["right"] < b["left"]
    down = [box for box in boxes(post, "diagram", "mo") if box["text"] == "↓"]
    assert len(down) == 2
    centre = (down[0]["left"] + down[0]["right"]) / 2
    assert abs(centre - (a["left"] + a["right"]) / 2) < 2  # under A, its label beside it
    assert a["bottom"] <= down[0]["top"] + 2 and down[0]["bottom"] <= c["top"] + 2


def test_commutative_diagram_arrows_are_at_least_mathjaxs_length(post: Any) -> None:
    """The diagram is 5.84 em wide in MathJax (measured side by side), its arrows at least 2.75
    em: an arrow under a short label or none was the long arrow's own 1.6 em, the diagram 0.80
    times as wide. Its vertical arrows keep their length."""
    size = em(post)
    (table,) = boxes(post, "diagram", "mtable.tex-cd")
    assert abs(table["width"] / size - 5.84) <= 0.05 * 5.84, (table, size)
    for arrow in boxes(post, "diagram", "munderover"):
        assert arrow["width"] >= 2.7 * size, arrow
    for down in [box for box in boxes(post, "diagram", "mo") if box["text"] == "↓"]:
        assert 1.9 * size <= down["height"] <= 2.2 * size, down


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_coloured_boxes_keep_their_text_readable_in_both_themes(
    browser: Any, packages: Server, scheme: str
) -> None:
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(packages.url("posts/packages/"))
        colours = page.evaluate(
            f"""(() => {{
                const box = ({FORMULA})('boxes').querySelector('[mathbackground="yellow"]');
                const text = box.querySelector('mtext');
                return [getComputedStyle(box).backgroundColor, getComputedStyle(text).color];
            }})()"""
        )
    finally:
        context.close()
    ground, ink = colours
    assert ground == "rgb(255, 255, 0)"
    red, green, blue = (int(part) for part in ink[4:-1].split(","))
    assert 0.2126 * red + 0.7152 * green + 0.0722 * blue < 80, ink  # dark text on yellow


def test_bbox_border_takes_its_colour_and_the_content_the_texts(post: Any) -> None:
    colours = post.evaluate(
        f"""(() => {{
            const box = ({FORMULA})('boxes').querySelector('.tex-box.tex-border-2px');
            const style = getComputedStyle(box);
            return [style.borderTopColor, style.borderTopWidth,
                    getComputedStyle(box.querySelector('mi')).color];
        }})()"""
    )
    assert colours[0] == "rgb(255, 0, 0)" and colours[1] == "2px"
    assert colours[2] != "rgb(255, 0, 0)"


@pytest.mark.parametrize(("name", "numbers"), [("numcases", 3), ("empheq", 2)])
def test_one_brace_spans_the_numbered_rows_beside_it(post: Any, name: str, numbers: int) -> None:
    brace = next(box for box in boxes(post, name, "mo") if box["text"] == "{")
    rows = boxes(post, name, "mtr:not(mphantom *)")
    assert len(boxes(post, name, ".tex-eqno")) == numbers and len(rows) == numbers
    assert brace["top"] <= rows[0]["top"] + 6 and brace["bottom"] >= rows[-1]["bottom"] - 6
    cells = boxes(
        post, name, "mtr:not(mphantom *) > mtd:not(.tex-eqno-pad, .tex-eqno, .tex-numcases)"
    )
    assert brace["right"] <= min(cell["left"] for cell in cells) + 2  # the rows stand right of it


def test_coloured_cells_fill_their_cells(post: Any) -> None:
    grounds = post.evaluate(
        f"[...({FORMULA})('colours').querySelectorAll('mtd')]"
        ".map(td => getComputedStyle(td).backgroundColor)"
    )
    yellow, grey = "rgb(255, 255, 0)", "rgb(211, 211, 211)"
    assert grounds == [yellow, "rgba(0, 0, 0, 0)", grey, grey]


def test_vdotswithin_stands_under_the_equals_signs(post: Any) -> None:
    marks = [box for box in boxes(post, "vdots", "mo:not(mphantom *)") if box["text"] in "=⋮"]
    centres = {(box["left"] + box["right"]) / 2 for box in marks}
    assert len(marks) == 3 and max(centres) - min(centres) < 1.5, marks


def test_subequations_are_numbered_under_one_number(post: Any) -> None:
    numbers = post.evaluate(
        f"[...({FORMULA})('subequations').querySelectorAll('.tex-eqno')].map(n => n.textContent)"
    )
    assert numbers == ["(1a)", "(1b)"]


def test_norm_bars_reach_as_far_as_the_fraction_they_fence(post: Any) -> None:
    """A stretched ‖ covers its fraction as \\left( does: not 0.4 em beyond it at each end (the
    font let its copies overlap so little that it grew in steps of 0.83 em)."""
    size = em(post)
    bars = [box for box in boxes(post, "norm", "mo") if box["text"] == "‖"]
    parens = [box for box in boxes(post, "norm", "mo") if box["text"] in "()"]
    fractions = boxes(post, "norm", "mfrac")
    assert len(bars) == 2 and len(parens) == 2 and len(fractions) == 2
    for bar in bars:
        over = (fractions[0]["top"] - bar["top"]) / size
        under = (bar["bottom"] - fractions[0]["bottom"]) / size
        assert -0.05 <= over <= 0.2 and -0.05 <= under <= 0.2, (over, under)
        assert bar["height"] <= parens[0]["height"] + 0.05 * size, (bar, parens[0])


def test_a_display_integral_with_a_lower_limit_stands_against_its_integrand(post: Any) -> None:
    """Chromium tucks the limit under the integral's slant but counted its whole width after it:
    ∮_{∂Ω} ω had 0.75 em between the limit and the ω, ∫_0 g 0.56 em between the sign and the g.
    What follows stands TeX's thin space and the script's own space (0.21 em) after the ink of
    the sign or of the limit, whichever reaches further."""
    size = em(post)
    gaps = post.evaluate(
        f"""name => [...({FORMULA})(name).querySelectorAll('msub')].map(s => {{
            const [sign, limit] = [...s.children].map(c => c.getBoundingClientRect());
            const next = s.nextElementSibling.getBoundingClientRect();
            return next.left - Math.max(sign.right, limit.right);
        }})""",
        "integrals",
    )
    assert len(gaps) == 3, gaps
    assert all(0.1 <= gap / size <= 0.3 for gap in gaps), [gap / size for gap in gaps]


def test_a_rows_extra_space_deepens_its_strut(post: Any) -> None:
    """\\\\[1em] after a row of cases, \\\\[4pt] in a matrix: the next row's baseline is that much
    lower than without (LaTeX's array deepens the row's strut by it); it was ignored."""
    size = em(post)
    letters = boxes(post, "rowgap", "mi")
    tops = {}
    for box in letters:
        tops.setdefault(box["text"], []).append(box["top"])
    pitches = [(c - a) / size for a, c in zip(tops["a"], tops["c"], strict=True)]
    assert len(pitches) == 3, pitches
    cases_gap, matrix_gap, plain = pitches
    assert abs(cases_gap - plain - 1.0) <= 0.05, pitches
    assert abs(matrix_gap - plain - 0.4) <= 0.05, pitches


def test_big_delimiters_are_as_tall_as_latexs(post: Any) -> None:
    """\\big( … \\Bigg( are within 0.12 em of LaTeX's (and MathJax's) 1.2, 1.8, 2.4 and 3 em,
    as near as STIX Two Math's sizes come: \\bigg( and \\Bigg( were 2.22 and 2.65 em."""
    size = em(post)
    heights = [box["height"] / size for box in boxes(post, "bigs", "mo")]
    assert len(heights) == 8, heights
    for height, wanted in zip(heights, [1.2, 1.8, 2.4, 3.0, 3.0, 2.4, 1.8, 1.2], strict=True):
        assert abs(height - wanted) <= 0.12, heights


def test_a_rows_extra_space_opens_up_aligned_rows(post: Any) -> None:
    """\\\\[4pt] after a row of aligned, gathered, split: the next row is that much lower than
    without it, as amsmath adds the space below the row (it was ignored); a negative length
    brings the rows closer but never makes them overlap."""
    size = em(post)
    letters = boxes(post, "alignrowgap", "mi")
    firsts = [box for box in letters if box["text"] == "a"]
    nexts = [box for box in letters if box["text"] == "c"]
    assert len(firsts) == len(nexts) == 5, letters
    pitches = [(c["top"] - a["top"]) / size for a, c in zip(firsts, nexts, strict=True)]
    plain, four_pt, one_ex, minus_two_pt, minus_one_cm = pitches
    assert abs(four_pt - plain - 0.4) <= 0.05, pitches
    assert abs(one_ex - plain - 0.431) <= 0.05, pitches
    assert abs(minus_two_pt - plain + 0.2) <= 0.05, pitches
    assert minus_one_cm < minus_two_pt, pitches
    assert nexts[-1]["top"] >= firsts[-1]["bottom"] - 0.01 * size, (firsts[-1], nexts[-1])


def test_tfrac_is_a_text_fraction_and_dfrac_a_display_one_wherever_they_stand(post: Any) -> None:
    """\\tfrac{a}{b} in display math (alone, in aligned) is as tall as TeX's text-style fraction
    (1.06 em in MathJax; it was 1.54 em, 1.46 times), an inline \\dfrac as tall as a display one,
    an inline \\cfrac as tall as LaTeX draws it (it lacked its strut: 1.76 em)."""
    size = em(post)
    shown = [box["height"] / size for box in boxes(post, "tfrac", "mfrac")]
    inline = [box["height"] / size for box in boxes(post, "dfrac", "mfrac")]
    assert len(shown) == len(inline) == 3, (shown, inline)
    text, display, aligned = shown
    assert 0.95 <= text <= 1.15, shown
    assert abs(aligned - text) <= 0.02, shown
    assert display >= 1.5 * text, shown
    dfrac, frac, cfrac = inline
    assert abs(dfrac - display) <= 0.02, (shown, inline)
    assert abs(frac - text) <= 0.02, (shown, inline)
    # amsmath's \cfrac: display style, a strut in the numerator: 2.28 em in LaTeX for a over b.
    assert abs(cfrac - 2.28) <= 0.1, (shown, inline)


def test_left_and_right_around_one_line_are_as_wide_as_plain_delimiters(post: Any) -> None:
    """\\left( x + y \\right) takes the room of (x + y), as in LaTeX and MathJax: each fence was as
    wide as its widest size (0.63 em for "(" instead of 0.36), though drawn at its own size.
    Around a fraction the fences still grow to its height."""
    size = em(post)
    fences = [box for box in boxes(post, "fences", "mo") if box["text"] in "()⟨⟩"]
    assert len(fences) == 10, fences
    for left, plain in ((0, 2), (1, 3), (4, 6), (5, 7)):
        assert abs(fences[left]["width"] - fences[plain]["width"]) <= 0.02 * size, fences
        assert abs(fences[left]["height"] - fences[plain]["height"]) <= 0.02 * size, fences
    fraction = boxes(post, "fences", "mfrac")[0]
    assert fences[8]["height"] >= 0.95 * fraction["height"], (fences[8], fraction)


# The widths of MathJax's \bigl( to \Biggl( (its TeX font's four sizes of "("), in em,
# measured side by side in Chromium.
MATHJAX_BIG_PARENS = (0.458, 0.597, 0.735, 0.791)


def test_big_delimiters_are_as_wide_as_the_size_they_are_drawn_at(post: Any) -> None:
    """\\bigl( to \\Biggl( are no wider than MathJax's (STIX Two Math's are narrower): each was
    as wide as the font's widest size of "(", 0.63 em, since Chromium makes a stretchy
    operator's box that wide. Their heights are test_big_delimiters_are_as_tall_as_latexs'."""
    size = em(post)
    parens = boxes(post, "bigs", "mo")  # \\bigl( \\Bigl( \\biggl( \\Biggl( x \\Biggr) ... \\bigr)
    assert [box["text"] for box in parens] == list("(((())))"), parens
    for index, width in enumerate(MATHJAX_BIG_PARENS):
        for paren in (parens[index], parens[-1 - index]):
            assert paren["width"] <= width * size, (index, paren)


def test_an_aligned_is_as_tall_as_its_rows_with_no_padding_at_its_edges(post: Any) -> None:
    """A one-row aligned holding a \\dfrac or an array is as tall as MathJax draws it (1.81 and
    2.40 em, measured side by side): the theme's 0.25 em cell padding above the first row and
    below the last made them 1.24 and 1.21 times that. Two plain rows stay MathJax's 2.30 em."""
    size = em(post)
    tables = boxes(post, "alignedcells", "mtable.tex-align")
    assert len(tables) == 3, tables
    for table, mathjax in zip(tables, (1.81, 2.40, 2.30), strict=True):
        assert abs(table["height"] / size - mathjax) <= 0.08 * mathjax, (table, size, mathjax)


def test_strut_is_latexs_strut_box(post: Any) -> None:
    """\\strut x is 1.16 em tall in MathJax (measured side by side) and 1.2 em in LaTeX (its
    0.84 em + 0.36 em strut box): \\strut was a parenthesis's height, 0.95 em (0.82x)."""
    size = em(post)
    (formula,) = boxes(post, "strut", "math > mrow")
    assert abs(formula["height"] / size - 1.16) <= 0.06, (formula, size)
