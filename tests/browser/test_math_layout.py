"""Math as a reader sees it in Chromium: geometry of the gallery post, measured, not its markup."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import EPOCH, REPO, Server, posts_site

pytestmark = pytest.mark.browser
GALLERY = REPO / "tests" / "fixtures" / "math"


@pytest.fixture(scope="module")
def gallery(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    out = tmp_path_factory.mktemp("math-site")
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), SOURCE_DATE_EPOCH=EPOCH)
    done = subprocess.run(
        [sys.executable, "-m", "lemma", "build", "--root", str(GALLERY), "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # The gallery's one deliberate failure, and nothing else.
    warnings = [line for line in done.stderr.splitlines() if "warning:" in line]
    assert len(warnings) == 1 and "unknown command \\foo" in warnings[0], done.stderr
    server = Server(out)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def gallery_page(page: Any, gallery: Server) -> Any:
    page.goto(gallery.url("posts/gallery/"))
    page.evaluate("document.fonts.ready")
    return page


def test_math_web_font_is_loaded(gallery_page: Any) -> None:
    loaded = gallery_page.evaluate(
        "[...document.fonts].filter(f => f.family.includes('Lemma Math')).map(f => f.status)"
    )
    assert loaded == ["loaded"]


def test_every_glyph_of_the_formulas_is_drawn_from_the_math_font(gallery_page: Any) -> None:
    # A character the subset lacks falls back to another font: ∂ and ∇ in a one-letter <mi>
    # are shown as their mathematical italics (𝜕, 𝛻), which the subset must hold too.
    cdp = gallery_page.context.new_cdp_session(gallery_page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    selector = ".post-body math :is(mi, mo, mn, mtext):not(.tex-eqno *, .tex-eqno-pad *)"
    nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]
    assert len(nodes) >= 300
    elsewhere = []
    for node in nodes:
        fonts = {
            font["familyName"]
            for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        }
        if fonts - {"Lemma Math"}:
            markup = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
            elsewhere.append((markup, sorted(fonts)))
    assert elsewhere == []


def test_equals_signs_of_align_rows_share_one_x(gallery_page: Any) -> None:
    tables = gallery_page.evaluate(
        """[...document.querySelectorAll('mtable.tex-align')].map(t =>
            [...t.querySelectorAll(':scope > mtr')].map(r => {
                const eq = [...r.querySelectorAll('mo')].find(m => m.textContent === '=');
                return eq ? eq.getBoundingClientRect().left : null;
            }).filter(x => x !== null))"""
    )
    assert len(tables) >= 3
    for lefts in tables:
        assert len(lefts) >= 2
        assert max(lefts) - min(lefts) <= 1.5, lefts


# Each numbered table of pairs: the space between its pairs' ink, its columns' slack, its numbers.
PAIRS = """[...document.querySelectorAll('mtable.tex-align.tex-numbered')].map(t => {
    const math = t.closest('math').getBoundingClientRect();
    const em = parseFloat(getComputedStyle(t.closest('math')).fontSize);
    const rows = [...t.querySelectorAll(':scope > mtr')].map(r => [...r.children]);
    const cells = rows[0].filter(td => !td.className.includes('tex-eqno'));
    const ink = (td, edge) => [...td.querySelectorAll('mi, mo, mn')]
        .map(e => e.getBoundingClientRect()[edge]);
    const column = i => rows.map(r => r.filter(td => !td.className.includes('tex-eqno'))[i]);
    // Slack: how much wider a column is than its widest cell's content, padding aside.
    const slack = cells.map((_, i) => Math.min(...column(i).map(td => {
        const style = getComputedStyle(td), box = td.getBoundingClientRect();
        const content = td.firstElementChild.getBoundingClientRect().width;
        return box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
            - content; })));
    const gap = cells.length < 4 ? null
        : Math.min(...column(2).flatMap(td => ink(td, 'left')))
          - Math.max(...column(1).flatMap(td => ink(td, 'right')));
    const numbers = rows.map(r => r[r.length - 1].firstElementChild)
        .filter(n => n && n.textContent).map(n => math.right - n.getBoundingClientRect().right);
    return {pairs: cells.length / 2, gap_em: gap === null ? null : gap / em, slack, numbers,
            text: t.textContent.slice(0, 12)};
})"""


def test_numbered_pairs_keep_natural_widths_and_their_numbers_the_right_margin(
    gallery_page: Any,
) -> None:
    tables = gallery_page.evaluate(PAIRS)
    by_pairs = [table for table in tables if table["pairs"] == 2]
    assert len(tables) >= 3 and len(by_pairs) == 2, tables
    for table in tables:
        assert max(table["slack"]) <= 1, table  # the line's width goes to no column
        assert table["numbers"] and max(table["numbers"]) <= 1, table  # at the right margin
    alignat, align = by_pairs
    # alignat: the \quad the author wrote, nothing more; align: its 2 em gap (and the \quad
    # a column holds no more than it is wide: a gap is ink to ink, so a little less).
    assert 0.8 <= alignat["gap_em"] <= 1.2, alignat
    assert 1.8 <= align["gap_em"] <= 2.3, align


def test_display_sum_is_large_with_limits_above_and_below(gallery_page: Any) -> None:
    sizes = gallery_page.evaluate(
        """(() => {
            const sums = [...document.querySelectorAll('munderover > mo')]
                .filter(m => m.textContent === '∑');
            const inline = sums.find(m => m.closest('math').getAttribute('display') === 'inline');
            const display = sums.find(m => m.closest('math').getAttribute('display') === 'block');
            const box = e => e.getBoundingClientRect();
            const [, under, over] = display.parentElement.children;
            return {inline: box(inline).height, display: box(display).height,
                    sumTop: box(display).top, sumBottom: box(display).bottom,
                    overBottom: box(over).bottom, underTop: box(under).top};
        })()"""
    )
    assert sizes["display"] >= 1.3 * sizes["inline"], sizes
    assert sizes["overBottom"] <= sizes["sumTop"] + 1, sizes
    assert sizes["underTop"] >= sizes["sumBottom"] - 1, sizes


def test_relations_in_scripts_and_limits_take_no_space_as_in_tex(gallery_page: Any) -> None:
    # TeX's script style: i=1 under a display sum and beside an inline one, x→0 under lim.
    gaps = gallery_page.evaluate(
        """[...document.querySelectorAll('.post-body mo')]
            .filter(m => ['=', '→'].includes(m.textContent) && m.parentElement.localName === 'mrow'
                         && m.closest('msub, msubsup, munder, munderover')
                         && m.previousElementSibling && m.nextElementSibling)
            .map(m => {
                const em = parseFloat(getComputedStyle(m).fontSize);
                const before = m.previousElementSibling.getBoundingClientRect();
                const box = m.getBoundingClientRect();
                const after = m.nextElementSibling.getBoundingClientRect();
                const display = m.closest('math').getAttribute('display');
                return [m.parentElement.textContent, display,
                        (box.left - before.right) / em, (after.left - box.right) / em];
            })"""
    )
    assert {(gap[0], gap[1]) for gap in gaps} >= {("i=1", "inline"), ("i=1", "block")}, gaps
    assert any(gap[0] == "x→0" for gap in gaps), gaps
    for _, _, left, right in gaps:
        assert abs(left) <= 0.05 and abs(right) <= 0.05, gaps


def test_pmod_reads_mod_against_its_parenthesis(gallery_page: Any) -> None:
    # amsmath's \\pmod{n}: "(mod n)", with no space after the "(" and 6 mu before the n.
    gaps = gallery_page.evaluate(
        """[...document.querySelectorAll('.post-body mo')]
            .filter(m => m.textContent === 'mod' && m.previousElementSibling
                         && m.previousElementSibling.textContent === '(')
            .map(m => { const em = parseFloat(getComputedStyle(m).fontSize);
                        const open = m.previousElementSibling.getBoundingClientRect();
                        const word = m.getBoundingClientRect();
                        const next = m.nextElementSibling.getBoundingClientRect();
                        return [(word.left - open.right) / em, (next.left - word.right) / em]; })"""
    )
    assert gaps
    for after_paren, before_argument in gaps:
        assert after_paren <= 0.05, gaps
        assert 0.25 <= before_argument <= 0.4, gaps


def test_a_sign_is_tight_against_what_it_signs_and_a_minus_between_two_terms_is_not(
    gallery_page: Any,
) -> None:
    # TeX: (−1) and x = −y set the minus as an ordinary atom; a − b spaces it as binary (4 mu
    # each side). Browsers space every minus not first in its row as binary: "( − 1)".
    gaps = gallery_page.evaluate(
        """[...document.querySelectorAll('.post-body p mo')]
            .filter(m => m.textContent === '\u2212' && m.previousElementSibling
                         && m.nextElementSibling)
            .map(m => { const em = parseFloat(getComputedStyle(m).fontSize);
                        const box = m.getBoundingClientRect();
                        const before = m.previousElementSibling, after = m.nextElementSibling;
                        return [before.textContent, after.textContent,
                                (box.left - before.getBoundingClientRect().right) / em,
                                (after.getBoundingClientRect().left - box.right) / em]; })"""
    )
    by_neighbours = {(before, after): (left, right) for before, after, left, right in gaps}
    after_paren = by_neighbours[("(", "1")]
    after_equals = by_neighbours[("=", "y")]
    between = by_neighbours[("a", "b")]
    assert abs(after_paren[0]) <= 0.05 and abs(after_paren[1]) <= 0.05, gaps
    assert abs(after_equals[0] - 0.2778) <= 0.05 and abs(after_equals[1]) <= 0.05, gaps
    assert abs(between[0] - 0.2222) <= 0.05 and abs(between[1] - 0.2222) <= 0.05, gaps


def test_large_operators_take_tex_spaces_from_their_neighbours(gallery_page: Any) -> None:
    # TeX: no space before ∑ at a formula's start, a relation's thick space after "=", and a thin
    # space between an ordinary atom (½) and ∫. Browsers add 1/6 em on each side of ∑ always.
    gaps = gallery_page.evaluate(
        """[...document.querySelectorAll('.post-body mo[largeop="true"]')].map(m => {
            const em = parseFloat(getComputedStyle(m).fontSize);
            const operator = m.parentElement.localName === 'mrow' ? m : m.parentElement;
            const before = operator.previousElementSibling;
            const edge = before ? before.getBoundingClientRect().right
                : operator.parentElement.getBoundingClientRect().left;
            return [before ? before.textContent : '', m.textContent,
                    (m.getBoundingClientRect().left - edge) / em];
        })"""
    )
    start = [gap for before, op, gap in gaps if before == "" and op == "∑"]
    after_equals = [gap for before, op, gap in gaps if before == "=" and op == "∑"]
    after_half = [gap for before, op, gap in gaps if before == "12" and op == "∫"]
    assert start and after_equals and after_half, gaps
    assert all(abs(gap) <= 0.05 for gap in start), gaps
    assert all(abs(gap - 0.2778) <= 0.05 for gap in after_equals), gaps
    assert all(abs(gap - 0.1667) <= 0.05 for gap in after_half), gaps


def test_fraction_parts_are_tight_inline_and_spaced_in_display(gallery_page: Any) -> None:
    # TeX: an inline fraction's parts are in script style (n+1), a display fraction's in text
    # style (a + b, and 1/a + 1/b in its denominator).
    gaps = gallery_page.evaluate(
        """[...document.querySelectorAll('.post-body mfrac > mrow > mo')]
            .filter(m => m.textContent === '+')
            .map(m => { const em = parseFloat(getComputedStyle(m).fontSize);
                        const box = m.getBoundingClientRect();
                        const before = m.previousElementSibling.getBoundingClientRect();
                        const after = m.nextElementSibling.getBoundingClientRect();
                        const display = m.closest('math').getAttribute('display');
                        return [display, m.parentElement.textContent,
                                (box.left - before.right) / em, (after.left - box.right) / em];
            })"""
    )
    inline = [gap for gap in gaps if gap[0] == "inline" and gap[1] == "n+1"]
    display = [gap for gap in gaps if gap[0] == "block" and gap[1] in ("a+b", "1a+1b")]
    assert inline and len(display) == 2, gaps
    for _, _, left, right in inline:
        assert abs(left) <= 0.05 and abs(right) <= 0.05, gaps
    for _, _, left, right in display:
        assert abs(left - 0.2222) <= 0.05 and abs(right - 0.2222) <= 0.05, gaps


def test_delimiters_stretch_around_a_fraction(gallery_page: Any) -> None:
    heights = gallery_page.evaluate(
        """(() => {
            const parens = [...document.querySelectorAll('mo')].filter(m => m.textContent === '(');
            const stretched = parens.find(m => m.getAttribute('stretchy') === 'true'
                && m.nextElementSibling && m.nextElementSibling.localName === 'mfrac');
            const plain = parens.find(m => m.getAttribute('stretchy') === 'false');
            return [stretched.getBoundingClientRect().height, plain.getBoundingClientRect().height];
        })()"""
    )
    assert heights[0] >= 1.3 * heights[1], heights


def test_accent_is_no_wider_than_its_base_allows(gallery_page: Any) -> None:
    widths = gallery_page.evaluate(
        """[...document.querySelectorAll('mover[accent="true"]')]
            .filter(m => m.children[1].getAttribute('stretchy') === 'false')
            .map(m => [m.children[0].getBoundingClientRect().width,
                       m.children[1].getBoundingClientRect().width])"""
    )
    assert len(widths) >= 5
    for base, accent in widths:
        assert accent <= 1.4 * base + 1, widths


def test_vec_arrow_is_no_wider_than_its_base_allows(gallery_page: Any) -> None:
    # TeX's \\vec is a small arrow about a letter wide, not the 0.95 em relation arrow.
    movers = gallery_page.evaluate(
        """[...document.querySelectorAll('mover[accent="true"]')]
            .filter(m => ['→', '\\u20d7'].includes(m.children[1].textContent)
                         && m.children[1].getAttribute('stretchy') === 'false')
            .map(m => { m.scrollIntoView({block: "center"});
                        // Only this formula's ink in the screenshot, not the sentence around it.
                        m.closest('p').style.visibility = 'hidden';
                        m.closest('math').style.visibility = 'visible';
                        const base = m.children[0].getBoundingClientRect();
                        const accent = m.children[1].getBoundingClientRect();
                        return {base: base.width, accent: accent.width, left: base.left,
                                top: accent.top, bottom: base.top}; })"""
    )
    assert movers
    for mover in movers:
        assert mover["accent"] <= 1.4 * mover["base"] + 1, movers
    # The box is what mover centres; the ink drawn above the letter is what a reader sees.
    (vec,) = movers
    height = round(vec["bottom"] - vec["top"]) + 3  # from above the accent to the letter's top
    clip = {"x": vec["left"] - 20, "y": vec["top"] - 3, "width": vec["base"] + 40, "height": height}
    first, last = _ink_span(gallery_page.screenshot(clip=clip), (0, height))
    assert last >= first, "no arrow drawn above the letter"
    assert last - first + 1 <= 1.4 * vec["base"] + 1, (first, last, vec)
    assert first >= 20 - 0.3 * vec["base"] and last <= 20 + 1.3 * vec["base"], (first, last)


def test_three_dots_sit_over_their_letter(gallery_page: Any) -> None:
    # \\dddot is the combining U+20DB: drawn left of its zero advance, it hung off to the left
    # of its letter; boxed like \\vec's arrow, mover centres its ink over the letter.
    box = gallery_page.evaluate(
        """(() => {
            const m = [...document.querySelectorAll('mover[accent="true"]')]
                .find(m => m.children[1].textContent === '\\u20db');
            m.scrollIntoView({block: "center"});
            m.closest('p').style.visibility = 'hidden';
            m.closest('math').style.visibility = 'visible';
            const base = m.children[0].getBoundingClientRect();
            const accent = m.children[1].getBoundingClientRect();
            return {left: base.left, width: base.width, top: accent.top, bottom: base.top};
        })()"""
    )
    height = max(2, round(box["bottom"] - box["top"]))
    clip = {"x": box["left"] - 20, "y": box["top"], "width": box["width"] + 40, "height": height}
    first, last = _ink_span(gallery_page.screenshot(clip=clip), (0, height))
    assert last >= first, "no dots drawn above the letter"
    middle = (first + last) / 2 - 20  # from the letter's left edge
    assert abs(middle - box["width"] / 2) <= 0.2 * box["width"] + 1, (first, last, box)


def test_a_prime_sits_like_a_superscript_beside_the_top_of_its_letter(gallery_page: Any) -> None:
    # f' is f^{\\prime}: a prime as tall as a script letter, its foot below the top of the f
    # (TeX's), not the small ′ high above it that a superscript makes of the text prime.
    primes = gallery_page.evaluate(
        """[...document.querySelectorAll('.post-body msup, .post-body msubsup')]
            .filter(m => /^[′″]+$/.test(m.lastElementChild.textContent))
            .map(m => {
                const em = parseFloat(getComputedStyle(m).fontSize);
                const script = m.lastElementChild;
                const prime = script.querySelector('mo, mi') || script;
                const base = m.firstElementChild.getBoundingClientRect();
                const box = prime.getBoundingClientRect();
                return {tex: m.textContent, height: box.height / em,
                        foot_below_top: (box.bottom - base.top) / em,
                        foot_above_baseline: (base.bottom - box.bottom) / em};
            })"""
    )
    assert len(primes) >= 4, primes
    for prime in primes:
        assert prime["height"] >= 0.29, primes
        assert prime["foot_below_top"] >= 0.03, primes
        assert prime["foot_above_baseline"] >= 0.3, primes  # still a superscript


def _ink_rows(png: bytes) -> tuple[int, int]:
    """The first and last row with dark pixels in a screenshot."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    rows = [
        y
        for y in range(image.height)
        if any(image.getpixel((x, y)) < 128 for x in range(image.width))  # type: ignore[operator]
    ]
    return (rows[0], rows[-1]) if rows else (0, -1)


def test_hat_and_tilde_are_small_marks_just_clear_of_their_letter(
    gallery: Server, browser: Any
) -> None:
    # \\hat{y}: TeX's small circumflex just above the y, not the ASCII caret drawn into it.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=3)
    try:
        page = context.new_page()
        page.goto(gallery.url("posts/gallery/"))
        page.evaluate("document.fonts.ready")
        count = page.evaluate(
            """window.marks = [...document.querySelectorAll('mover[accent="true"]')]
                .filter(m => ['^', 'ˆ', '~', '˜'].includes(m.children[1].textContent)
                             && m.children[1].getAttribute('stretchy') === 'false'
                             && m.children[0].textContent.length === 1);
               window.marks.length"""
        )
        assert count >= 3
        for index in range(count):
            box = page.evaluate(
                """index => { const m = window.marks[index];
                    m.scrollIntoView({block: "center"});
                    // This formula alone: no ink of the sentence or the formula around it.
                    for (const e of m.closest('math').parentElement.children)
                        e.style.visibility = 'hidden';
                    m.style.visibility = 'visible';
                    const r = m.getBoundingClientRect();
                    return {x: r.left - 4, y: r.top - 8, width: r.width + 8, height: r.height + 16,
                            em: parseFloat(getComputedStyle(m).fontSize), tex: m.textContent}; }""",
                index,
            )
            clip = {key: box[key] for key in ("x", "y", "width", "height")}
            shown = {}
            for part, hidden in (("accent", 0), ("letter", 1)):
                page.evaluate(
                    "([i, h]) => window.marks[i].children[h].style.visibility = 'hidden'",
                    [index, hidden],
                )
                shown[part] = _ink_rows(page.screenshot(clip=clip))
                page.evaluate(
                    "([i, h]) => window.marks[i].children[h].style.visibility = ''",
                    [index, hidden],
                )
            px_per_em = 3 * box["em"]
            (accent_top, accent_bottom), (letter_top, _) = shown["accent"], shown["letter"]
            where = (box["tex"], shown, px_per_em)
            assert accent_bottom >= accent_top, where
            assert accent_bottom < letter_top, where  # clear of the letter
            assert letter_top - accent_bottom <= 0.2 * px_per_em, where  # and close to it
            assert accent_bottom - accent_top <= 0.25 * px_per_em, where  # a small mark
    finally:
        context.close()


def test_equation_references_are_links_to_numbered_equations(gallery_page: Any) -> None:
    links = gallery_page.evaluate(
        """[...document.querySelectorAll('a.eqref')].map(a => [a.textContent,
            !!document.getElementById(a.getAttribute('href').slice(1))])"""
    )
    assert ["(1)", True] in links and ["(2)", True] in links and ["4", True] in links


def test_long_inline_formula_scrolls_in_its_box_and_the_page_keeps_a_phone_width(
    gallery_page: Any,
) -> None:
    gallery_page.set_viewport_size({"width": 375, "height": 740})
    gallery_page.wait_for_function("window.innerWidth === 375")
    sizes = gallery_page.evaluate(
        """(() => {
            const long = document.querySelector('.post-body math.tex-long');
            return {page: document.documentElement.scrollWidth,
                    right: long.getBoundingClientRect().right,
                    scroll: long.scrollWidth, client: long.clientWidth,
                    overflow: getComputedStyle(long).overflowX};
        })()"""
    )
    assert sizes["page"] <= 375, sizes
    assert sizes["right"] <= 375, sizes
    assert sizes["overflow"] == "auto" and sizes["scroll"] > sizes["client"], sizes


def test_short_inline_formulas_keep_their_place_on_the_baseline(gallery_page: Any) -> None:
    styles = gallery_page.evaluate(
        """[...document.querySelectorAll(
              '.post-body p > math[display="inline"], .post-body p > .nowrap > math')]
            .filter(m => !m.classList.contains('tex-long'))
            .map(m => { const s = getComputedStyle(m), parent = m.parentElement.localName;
                        return [s.display, s.verticalAlign, s.overflowX, parent]; })"""
    )
    assert len(styles) >= 10
    # In its paragraph, or in the span that keeps it with the characters written against it.
    assert {tuple(style[:3]) for style in styles} == {("math", "baseline", "visible")}
    assert {style[3] for style in styles} == {"p", "span"}


def test_a_long_formula_that_fits_its_line_looks_as_without_its_scroll_box(
    gallery_page: Any,
) -> None:
    # At 1280 px the long formula fits its line: its glyphs are where they are without the class.
    glyphs = """(() => [...window.longFormula.querySelectorAll('mi, mo, mn')]
        .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.bottom]; }))()"""
    gallery_page.evaluate("window.longFormula = document.querySelector('.post-body math.tex-long')")
    in_box = gallery_page.evaluate(glyphs)
    gallery_page.evaluate("window.longFormula.classList.remove('tex-long')")
    gallery_page.wait_for_function("getComputedStyle(window.longFormula).overflowX === 'visible'")
    plain = gallery_page.evaluate(glyphs)
    assert len(in_box) >= 30
    assert in_box == plain


def _ink_span(png: bytes, rows: tuple[int, int]) -> tuple[int, int]:
    """The first and last column with dark pixels between `rows` of a screenshot."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    columns = [
        x
        for x in range(image.width)
        if any(image.getpixel((x, y)) < 128 for y in range(*rows))  # type: ignore[operator]
    ]
    return (columns[0], columns[-1]) if columns else (0, -1)


@pytest.mark.parametrize("accent", ["ˆ", "˜", "→"])
def test_a_wide_accent_spans_its_base_above_it(gallery_page: Any, accent: str) -> None:
    # The accent's box keeps the unstretched glyph's width: measure the ink it draws.
    box = gallery_page.evaluate(
        """accent => {
            const mover = [...document.querySelectorAll('mover[accent="true"]')].find(m =>
                m.children[1].textContent === accent && m.children[0].childElementCount >= 2);
            mover.scrollIntoView({block: "center"});
            const base = mover.children[0].getBoundingClientRect();
            return {left: base.left, width: base.width, top: base.top};
        }""",
        accent,
    )
    # Half a \quad either side: the \overline before \overrightarrow{AB} ends a \quad away.
    margin = 8
    shot = gallery_page.screenshot(
        clip={
            "x": box["left"] - margin,
            "y": box["top"] - 30,
            "width": box["width"] + 2 * margin,
            "height": 30,
        },
    )
    first, last = _ink_span(shot, (0, 29))
    assert last - first + 1 >= 0.8 * box["width"], (first, last, box)
    overhang = 0.15 * box["width"]
    assert first >= margin - overhang and last <= margin + box["width"] + overhang, (first, last)


def test_overline_is_a_rule_over_its_whole_base_clear_of_its_letters(gallery_page: Any) -> None:
    sizes = gallery_page.evaluate(
        """(() => {
            const over = document.querySelector('mrow.tex-overline');
            const style = getComputedStyle(over), box = over.getBoundingClientRect();
            const inner = over.firstElementChild.getBoundingClientRect();
            return {rule: parseFloat(style.borderTopWidth), left: box.left, right: box.right,
                    innerLeft: inner.left, innerRight: inner.right, top: box.top,
                    innerTop: inner.top};
        })()"""
    )
    assert sizes["rule"] >= 1, sizes
    assert abs(sizes["left"] - sizes["innerLeft"]) <= 1, sizes
    assert abs(sizes["right"] - sizes["innerRight"]) <= 1, sizes
    assert sizes["innerTop"] - sizes["top"] >= sizes["rule"] + 1, sizes


GLUED_TITLE = "Typesetting $\\lambda$-calculus and $O(n^2)$ sums"
# Clauses of every length: at 375 px some formula falls at a line's end with a "," or ")" after it.
GLUED_BODY = " ".join(f"({'w' * (k % 9 + 1)} $x_{{{k}}}$), then $y^{{{k}}}$-th," for k in range(40))
GLUED_POST = f"---\ntitle: '{GLUED_TITLE}'\ndate: 2025-02-01\n---\n\n{GLUED_BODY}\n"

# Each inline formula with the characters written against it: on the formula's line or not.
APART = """() => {
  const apart = [];
  const sameLine = (node, start, math) => {
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, start + 1);
    const a = range.getBoundingClientRect(), b = math.getBoundingClientRect();
    return a.top < b.bottom && a.bottom > b.top;
  };
  for (const math of document.querySelectorAll(".post-title math, .post-body p math")) {
    const next = math.nextSibling, prev = math.previousSibling;
    if (next && next.nodeType === 3 && /^\\S/.test(next.data) && !sameLine(next, 0, math))
      apart.push(math.textContent + " | " + next.data.slice(0, 10));
    if (prev && prev.nodeType === 3 && /\\S$/.test(prev.data)
        && !sameLine(prev, prev.data.length - 1, math))
      apart.push(prev.data.slice(-10) + " | " + math.textContent);
  }
  return apart;
}"""


@pytest.fixture(scope="module")
def glued(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("glued-site")
    with posts_site(root, "Glued", {"glued.md": GLUED_POST}) as server:
        yield server


def test_a_formula_never_wraps_apart_from_the_characters_against_it(
    glued: Server, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    try:
        page = context.new_page()
        page.goto(glued.url("posts/glued/"))
        page.evaluate("document.fonts.ready")
        title = page.locator("h1.post-title")
        assert title.evaluate("h => h.getClientRects().length && h.offsetHeight") > 0
        assert page.locator(".post-body p math").count() == 80
        assert page.evaluate(APART) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        # The title does wrap: at the spaces, with "λ-calculus" whole on one line.
        lines = title.evaluate(
            """h => { const r = h.querySelector("math").getBoundingClientRect();
                      return Math.round(h.getBoundingClientRect().height / r.height); }"""
        )
        assert lines >= 2
    finally:
        context.close()


def test_intertext_is_a_line_of_text_between_rows_that_stay_aligned(gallery_page: Any) -> None:
    found = gallery_page.evaluate(
        """(() => {
            const cell = document.querySelector('mtd.tex-intertext');
            const table = cell.closest('mtable');
            const rows = [...table.querySelectorAll(':scope > mtr')];
            const box = e => e.getBoundingClientRect();
            const equals = rows.map(r => [...r.querySelectorAll('mo')]
                .find(m => m.textContent === '=')).filter(Boolean);
            const text = cell.querySelector('mtext');
            return {cellLeft: box(cell).left, firstCellLeft: box(rows[0].children[0]).left,
                    textTop: box(text).top, textBottom: box(text).bottom,
                    textRight: box(text).right,
                    equalLefts: equals.map(m => box(m).left),
                    aboveBottom: box(rows[0]).bottom, belowTop: box(rows[2]).top};
        })()"""
    )
    assert len(found["equalLefts"]) == 2
    assert abs(found["equalLefts"][0] - found["equalLefts"][1]) <= 1.5, found
    assert abs(found["cellLeft"] - found["firstCellLeft"]) <= 1, found  # from the left edge
    assert found["aboveBottom"] <= found["textTop"] and found["textBottom"] <= found["belowTop"]
    # it spans the columns: the first column is not as wide as the text (= after its end)
    assert found["equalLefts"][0] < found["textRight"], found


@pytest.mark.parametrize(("name", "rising"), [("tex-cancel", True), ("tex-bcancel", False)])
def test_cancel_strokes_its_argument_corner_to_corner(
    gallery_page: Any, name: str, rising: bool
) -> None:
    """The stroke is what the element shows beyond its letters: / rises, \\ falls, end to end."""
    from PIL import Image, ImageChops

    element = gallery_page.locator(f"mrow.{name}").first
    element.scroll_into_view_if_needed()
    with_stroke = Image.open(io.BytesIO(element.screenshot())).convert("L")
    element.evaluate("e => { e.style.backgroundImage = 'none'; }")
    letters = Image.open(io.BytesIO(element.screenshot())).convert("L")
    difference = ImageChops.difference(with_stroke, letters)
    width, height = difference.size
    stroke = [
        (x, y)
        for x in range(width)
        for y in range(height)
        if difference.getpixel((x, y)) > 60  # type: ignore[operator]
    ]
    columns = {x for x, _ in stroke}
    assert len(columns) >= 0.8 * width, (len(columns), width)  # end to end
    left = [y for x, y in stroke if x < width / 3]
    right = [y for x, y in stroke if x > 2 * width / 3]
    assert left and right
    mean_left, mean_right = sum(left) / len(left), sum(right) / len(right)
    # screen y grows downwards: a rising stroke is higher (smaller y) on the right
    assert (mean_right < mean_left) == rising, (mean_left, mean_right)
    assert abs(mean_right - mean_left) >= 0.4 * height, (mean_left, mean_right, height)


def test_the_labels_of_an_extensible_arrow_sit_close_to_it(gallery_page: Any) -> None:
    # \\xrightarrow[below]{above}: STIX Two Math's own shifts floated the label 0.8 em over the
    # arrow, a formula half again as tall as MathJax's; the labels sit against it, as in TeX.
    gaps = gallery_page.evaluate(
        """(() => {
            const m = [...document.querySelectorAll('munderover')]
                .find(m => m.children[0].textContent === '⟶');
            const size = parseFloat(getComputedStyle(m.closest('math')).fontSize);
            const [arrow, below, above] = [...m.children].map(c => c.getBoundingClientRect());
            return {above: (arrow.top - above.bottom) / size,
                    below: (below.top - arrow.bottom) / size,
                    labels: [above.height / size, below.height / size]};
        })()"""
    )
    assert gaps["labels"][0] > 0.3 and gaps["labels"][1] > 0.3, gaps  # both labels are drawn
    assert -0.05 <= gaps["above"] <= 0.45, gaps  # from the box of the arrow, above its ink
    assert -0.05 <= gaps["below"] <= 0.3, gaps


# Copies of the gallery's wide accents and labelled arrow, each a display formula of its own at
# 60 px, shifted by 16 px from one copy to the next across 256 px: wherever Chromium's raster
# tiles meet, some copy has its stretched glyph across that edge.
STRETCHED_COPIES = """() => {
    const source = [...document.querySelectorAll('.post-body math')];
    const pick = test => source.flatMap(m => [...m.querySelectorAll('mover, munderover')])
        .find(test);
    const wide = accent => pick(m => m.children[1].textContent === accent
        && m.children[0].childElementCount >= 3);
    const hat = wide('ˆ'), tilde = wide('˜');
    const arrow = pick(m => m.localName === 'munderover' && m.children[0].textContent === '⟶');
    const column = document.createElement('div');
    column.id = 'stretched-copies';
    for (let shift = 0; shift < 256; shift += 16) {
        const holder = document.createElement('div');
        holder.style.cssText = `font-size: 60px; margin-left: ${shift}px; width: 900px`;
        const math = document.createElementNS('http://www.w3.org/1998/Math/MathML', 'math');
        math.setAttribute('display', 'block');
        const space = () => {
            const s = document.createElementNS('http://www.w3.org/1998/Math/MathML', 'mspace');
            s.setAttribute('width', '1em');
            return s;
        };
        math.append(hat.cloneNode(true), space(), tilde.cloneNode(true), space(),
                    arrow.cloneNode(true));
        holder.append(math);
        column.append(holder);
    }
    document.querySelector('.post-body').prepend(column);
    window.scrollTo(0, 0);
    return [...column.querySelectorAll('math')].map(m => {
        const box = e => { const r = e.getBoundingClientRect();
            return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
        const [hat, tilde, arrow] = m.querySelectorAll(':scope > mover, :scope > munderover');
        return {hat: box(hat.children[0]), tilde: box(tilde.children[0]),
                arrow: box(arrow.children[0]), under: box(arrow.children[1].querySelector('mtext')),
                over: box(arrow.children[2].querySelector('mtext'))};
    });
}"""


def _ink_box(image: Any, left: float, top: float, right: float, bottom: float) -> Any:
    """The bounding box of the dark pixels of `image` within the page rectangle given."""
    from PIL import ImageOps

    region = image.crop((round(left), round(top), round(right), round(bottom)))
    box = ImageOps.invert(region).point(lambda v: 255 if v > 127 else 0).getbbox()
    return None if box is None else (box[0] + round(left), box[2] + round(left))


def test_stretched_accents_and_arrows_are_drawn_whole_wherever_they_fall(
    gallery_page: Any,
) -> None:
    """Chromium leaves a stretched operator's box as wide as the unstretched glyph, and paints
    only the raster tiles that box's ink covers: a wide hat lost its left wing, a labelled
    arrow its head, wherever a tile's edge crossed them. Each is drawn whole, centred on what
    it spans."""
    from PIL import Image

    copies = gallery_page.evaluate(STRETCHED_COPIES)
    height = max(copy["arrow"]["bottom"] for copy in copies) + 60
    gallery_page.set_viewport_size({"width": 1280, "height": int(height)})
    shot = gallery_page.screenshot(clip={"x": 0, "y": 0, "width": 1280, "height": height})
    image = Image.open(io.BytesIO(shot)).convert("L")
    assert image.width == 1280  # one screen pixel per CSS pixel: page boxes are image boxes
    em = 60
    faults = []
    for shift, copy in zip(range(0, 256, 16), copies, strict=True):
        for name in ("hat", "tilde"):
            base = copy[name]
            ink = _ink_box(
                image,
                base["left"] - em,
                base["top"] - 0.45 * em,
                base["right"] + em,
                base["top"] - 0.02 * em,
            )
            middle = (base["left"] + base["right"]) / 2
            if ink is None or abs((ink[0] + ink[1]) / 2 - middle) > 0.08 * em:
                faults.append((shift, name, ink, (base["left"], base["right"])))
        label = copy["under"]
        # The shaft's row: between the label above it and the one below it.
        ink = _ink_box(
            image,
            label["left"] - em,
            copy["over"]["bottom"] + 2,
            label["right"] + em,
            label["top"] - 2,
        )
        if ink is None or ink[1] < label["right"] - 2 or ink[0] > label["left"] + 2:
            faults.append((shift, "arrow", ink, (label["left"], label["right"])))
    assert faults == []


def test_a_fraction_keeps_the_null_delimiter_space_beside_its_rule(gallery_page: Any) -> None:
    """TeX pads each side of a fraction with \\nulldelimiterspace (1.2 pt): two fractions side
    by side do not join their rules, nor does a rule touch the ≥ before it. \\binom's
    parentheses take that place instead."""
    sides = gallery_page.evaluate(
        """[...document.querySelectorAll('.post-body mfrac')].map(f => {
            const box = f.getBoundingClientRect();
            const parts = [...f.children].map(c => c.getBoundingClientRect());
            const em = parseFloat(getComputedStyle(f).fontSize);
            return {left: (Math.min(...parts.map(p => p.left)) - box.left) / em,
                    right: (box.right - Math.max(...parts.map(p => p.right))) / em,
                    binom: f.getAttribute('linethickness') === '0',
                    display: f.closest('math').getAttribute('display') === 'block'};
        })"""
    )
    plain = [side for side in sides if not side["binom"]]
    binoms = [side for side in sides if side["binom"]]
    assert len(plain) >= 10 and any(side["display"] for side in plain) and binoms, sides
    for side in plain:
        assert 0.1 <= side["left"] <= 0.14 and 0.1 <= side["right"] <= 0.14, side
    for side in binoms:
        assert abs(side["left"]) <= 0.02 and abs(side["right"]) <= 0.02, side
