"""The math font: cut down to the site's formulas, in another process while the build goes on."""

from __future__ import annotations

import io
import itertools
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont

from lemma.big_delimiters import DELIMITERS, FEATURE, SIZES
from lemma.render import mathfont
from lemma.render.mathfont import OUTPUT_PATH, MathFontJob, _font_path, _subset, wanted_chars
from lemma.render.texmath import convert
from site_support import SiteDir, assert_ok, lemma_env, post


def _children() -> set[int]:
    """This process's children (a reaped one is no longer listed)."""
    me = os.getpid()
    return {int(pid) for pid in Path(f"/proc/{me}/task/{me}/children").read_text().split()}


def _font(data: bytes) -> TTFont:
    font = TTFont(io.BytesIO(data))
    assert font.flavor == "woff2"
    return font


def test_a_site_gets_the_glyphs_of_its_formulas_and_a_site_without_formulas_no_font(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site(
        {
            "posts/a.md": post("Quanta", body="The constant $\\hbar \\oint E$ matters.\n"),
            "posts/b.md": post("Prose", date="2025-01-16", body="No formulas here.\n"),
        }
    )
    assert_ok(site.build())
    data = (site.out / OUTPUT_PATH).read_bytes()
    font = _font(data)
    assert font["name"].getDebugName(1) == "Lemma Math"
    covered = {chr(code) for code in font.getBestCmap()}
    assert {"ℏ", "∮", "E", "∑", "α"} <= covered  # the formulas', and the base set's
    assert "⨁" not in covered  # no formula shows it
    cached = list((site.root / ".lemma-cache" / "math-font").glob("*.woff2"))
    assert [p.read_bytes() for p in cached] == [data], "the next build reads it from the cache"

    plain = make_site({"posts/b.md": post("Prose", body="No formulas here.\n")})
    assert_ok(plain.build())
    assert not (plain.out / OUTPUT_PATH).exists()


def test_the_font_cut_in_another_process_is_the_font_cut_here() -> None:
    # A build whose font process cannot run cuts the font itself: the bytes must not differ.
    chars = "ℏ∮⊗"
    apart = MathFontJob(chars, None).result()
    wanted = wanted_chars(chars)
    assert apart == _subset(str(_font_path()), wanted)


def test_a_font_job_not_waited_for_leaves_no_process() -> None:
    before = _children()
    with MathFontJob("ℵ⊕", None):  # characters no other test asks for: not made yet
        # Told apart by being new, not by its command line: the child may not have run its
        # program yet (under load, its command line is still this process's for a while).
        started = _children() - before
        assert started, "the font is cut in another process"
    assert not (_children() & started), "a build failing on the way stops the process"


def _horizontal(font: TTFont) -> dict[str, Any]:
    variants = font["MATH"].table.MathVariants
    glyphs = variants.HorizGlyphCoverage.glyphs
    return dict(zip(glyphs, variants.HorizGlyphConstruction, strict=True))


def test_the_stretchy_accents_keep_their_wide_variants_and_the_letters_their_italics() -> None:
    formulas = r"\widehat{xyz} \widetilde{abc} \overrightarrow{AB} \widecheck{u}"
    converted = convert(formulas, display=True)
    font = _font(_subset(str(_font_path()), wanted_chars(converted.text)))
    cmap = font.getBestCmap()
    constructions = _horizontal(font)
    metrics = font["hmtx"]
    for accent in "ˆ˜ˇ":  # in the MathML: each with its wide variants, in order, widest 2385
        records = constructions[cmap[ord(accent)]].MathGlyphVariantRecord
        assert records[0].VariantGlyph == cmap[ord(accent)] and len(records) >= 5, accent
        widths = [metrics[r.VariantGlyph][0] for r in records]
        assert widths == sorted(widths) and widths[-1] > 2000, (accent, widths)
    # The arrow grows without end: an assembly whose parts overlap (STIX's own has a 0 joint).
    assembly = constructions[cmap[ord("→")]].GlyphAssembly
    parts = assembly.PartRecords
    overlap = font["MATH"].table.MathVariants.MinConnectorOverlap
    assert any(part.PartFlags & 1 for part in parts)
    for left, right in itertools.pairwise(parts):
        assert min(left.EndConnectorLength, right.StartConnectorLength) >= overlap
    assert all(part.glyph in font.getGlyphOrder() for part in parts)
    # A one-letter <mi> is shown in its mathematical italic: 𝑥, not a fallback font's x.
    assert {"𝑥", "𝑦", "𝑧", "𝑎", "𝐴", "𝐵"} <= {chr(code) for code in cmap}


def test_partial_and_nabla_keep_the_italics_a_browser_shows_for_them() -> None:
    converted = convert(r"\partial_x f + \nabla g", display=False)
    cmap = _font(_subset(str(_font_path()), wanted_chars(converted.text))).getBestCmap()
    assert {"∂", "𝜕", "∇", "𝛻"} <= {chr(code) for code in cmap}


def test_the_same_characters_give_the_same_font_bytes() -> None:
    wanted = wanted_chars(convert(r"\widehat{xy} + \overline{z}", display=True).text)
    assert _subset(str(_font_path()), wanted) == _subset(str(_font_path()), wanted)


def test_cutting_a_font_leaves_fonttools_woff2_as_it_was() -> None:
    # The font is compressed at Brotli quality 10 by swapping fontTools' brotli for the save
    # (mathfont._brotli_quality); a builder that cuts the font itself keeps fontTools intact.
    from fontTools.ttLib import woff2

    real = woff2.brotli
    data = _subset(str(_font_path()), wanted_chars("∮"))
    assert woff2.brotli is real
    assert _font(data).getBestCmap().get(ord("∮"))


def test_the_vec_arrow_is_kept_and_the_theme_gives_it_a_box_as_wide_as_its_ink() -> None:
    converted = convert(r"\vec{v}", display=False)
    font = _font(_subset(str(_font_path()), wanted_chars(converted.text)))
    glyph = font.getBestCmap()[0x20D7]
    outline = font["glyf"][glyph]
    per_em = font["head"].unitsPerEm
    assert font["hmtx"][glyph][0] == 0 and outline.xMax <= 0  # ink left of a zero advance
    css = (Path(__file__).parents[1] / "templates" / "assets" / "style.css").read_text()
    padding = re.search(r"mo\.tex-vec \{ padding-left: ([0-9.]+)em; \}", css)
    assert padding is not None
    assert abs(float(padding.group(1)) + outline.xMin / per_em) <= 0.01, (outline.xMin, padding)


def test_the_script_prime_is_kept_and_any_script_may_ask_for_it() -> None:
    # The theme asks for ssty on f''s prime; browsers shape ′ as DFLT or latn, never as 'math'.
    converted = convert("f' + g''", display=False)
    font = _font(_subset(str(_font_path()), wanted_chars(converted.text)))
    table = font["GSUB"].table
    tags = [record.FeatureTag for record in table.FeatureList.FeatureRecord]
    for script in table.ScriptList.ScriptRecord:
        assert "ssty" in {tags[i] for i in script.Script.DefaultLangSys.FeatureIndex}, script
    (ssty,) = {i for i, tag in enumerate(tags) if tag == "ssty"}
    lookups = [
        table.LookupList.Lookup[i]
        for i in table.FeatureList.FeatureRecord[ssty].Feature.LookupListIndex
    ]
    alternates = {
        glyph: forms
        for lookup in lookups
        for subtable in lookup.SubTable
        for glyph, forms in getattr(subtable, "alternates", {}).items()
    }
    prime = font.getBestCmap()[ord("′")]
    assert prime in alternates and all(g in font.getGlyphOrder() for g in alternates[prime])


def test_big_delimiters_are_offered_at_each_size_and_any_script_may_ask_for_them() -> None:
    # \\bigl( to \\Biggl( are the glyphs of big_delimiters.FEATURE's alternates 1 to 4.
    font = _font(_subset(str(_font_path()), wanted_chars(DELIMITERS)))
    table = font["GSUB"].table
    tags = [record.FeatureTag for record in table.FeatureList.FeatureRecord]
    for script in table.ScriptList.ScriptRecord:
        assert FEATURE in {tags[i] for i in script.Script.DefaultLangSys.FeatureIndex}, script
    (index,) = {i for i, tag in enumerate(tags) if tag == FEATURE}
    feature = table.FeatureList.FeatureRecord[index].Feature
    (lookup,) = [table.LookupList.Lookup[i] for i in feature.LookupListIndex]
    alternates = lookup.SubTable[0].alternates
    variants = font["MATH"].table.MathVariants
    heights = {
        record.VariantGlyph: record.AdvanceMeasurement
        for construction in variants.VertGlyphConstruction
        for record in construction.MathGlyphVariantRecord
    }
    cmap = font.getBestCmap()
    axis = font["MATH"].table.MathConstants.AxisHeight.Value
    glyf = font["glyf"]
    for char in DELIMITERS:  # each has its four sizes, centred on the axis as TeX centres them
        sizes = [heights[glyph] for glyph in alternates[cmap[ord(char)]]]
        assert len(sizes) == len(SIZES) and sizes == sorted(set(sizes)), (char, sizes)
        for glyph in alternates[cmap[ord(char)]]:
            centre = (glyf[glyph].yMin + glyf[glyph].yMax) / 2
            assert abs(centre - axis) <= 50, (char, glyph, centre, axis)
    for char in "()[]":  # LaTeX's sizes, as near as STIX Two Math comes
        sizes = [heights[glyph] for glyph in alternates[cmap[ord(char)]]]
        for drawn, wanted in zip(sizes, SIZES.values(), strict=True):
            assert abs(drawn - wanted * 1000) <= 0.05 * wanted * 1000, (char, sizes)


@pytest.mark.parametrize(
    ("tex", "code", "name"), [(r"\dddot", 0x20DB, "dddot"), (r"\ddddot", 0x20DC, "ddddot")]
)
def test_the_combining_dots_are_kept_and_the_theme_boxes_their_ink(
    tex: str, code: int, name: str
) -> None:
    # Like \\vec's arrow, TeX's three and four dots are combining marks drawn left of a zero
    # advance: over its letter the ink would hang off to the left, as it did before.
    converted = convert(tex + "{x}", display=False)
    assert f'class="tex-{name}"' in converted.mathml
    font = _font(_subset(str(_font_path()), wanted_chars(converted.text)))
    glyph = font.getBestCmap()[code]
    outline = font["glyf"][glyph]
    per_em = font["head"].unitsPerEm
    assert font["hmtx"][glyph][0] == 0 and outline.xMin < 0
    css = (Path(__file__).parents[1] / "templates" / "assets" / "style.css").read_text()
    found = re.search(
        rf"mo\.tex-{name} \{{ padding-left: ([0-9.]+)em; padding-right: ([0-9.]+)em; \}}", css
    )
    assert found is not None
    left, right = float(found.group(1)), float(found.group(2))
    assert abs(left + outline.xMin / per_em) <= 0.01, (outline.xMin, left)
    assert abs(right - max(0, outline.xMax) / per_em) <= 0.01, (outline.xMax, right)


def _constructions(font: TTFont) -> dict[str, Any]:
    variants = font["MATH"].table.MathVariants
    pairs = zip(variants.HorizGlyphCoverage.glyphs, variants.HorizGlyphConstruction, strict=True)
    return dict(pairs)


def test_equals_gets_an_assembly_of_itself_so_that_xlongequal_stretches_under_its_label() -> None:
    converted = convert(r"a \xlongequal{\text{by definition}} b", display=True)
    font = _font(_subset(str(_font_path()), wanted_chars(converted.text)))
    equal = font.getBestCmap()[ord("=")]
    parts = _constructions(font)[equal].GlyphAssembly.PartRecords
    assert [part.glyph for part in parts] == [equal] * 3
    assert [part.PartFlags for part in parts] == [0, 1, 0]  # the middle copy repeats
    ink_gap = 2 * 62  # the side bearings of = in STIX Two Math: copies must overlap by more
    assert min(parts[0].EndConnectorLength, parts[1].StartConnectorLength) > ink_gap


@pytest.mark.parametrize("arrow", ["⟶", "⟵", "⟷", "⟼", "↠", "↞"])
def test_long_arrows_get_an_assembly_so_that_x_arrows_stretch_under_their_label(arrow: str) -> None:
    font = _font(_subset(str(_font_path()), wanted_chars(arrow)))
    glyph = font.getBestCmap()[ord(arrow)]
    construction = _constructions(font)[glyph]
    assert construction.MathGlyphVariantRecord[0].VariantGlyph == glyph  # short labels: as drawn
    parts = construction.GlyphAssembly.PartRecords
    assert sum(part.PartFlags & 1 for part in parts) == 1  # one shaft that repeats
    assert all(part.FullAdvance > 0 for part in parts)


def test_the_font_s_process_imports_fonttools_and_not_the_rest_of_lemma() -> None:
    # It runs mathfont.py as a script while the build goes on: importing the render stage
    # (markdown-it, Jinja, every TeX module) took a quarter of a second of its half second.
    wanted = wanted_chars("x∑")
    command = [sys.executable, "-X", "importtime", "-P", mathfont.__file__, wanted.encode().hex()]
    done = subprocess.run(command, env=lemma_env(), capture_output=True, timeout=120, check=True)
    assert _font(done.stdout).getBestCmap().get(ord("∑"))
    imported = set(re.findall(r"\|\s*([\w.]+)\s*$", done.stderr.decode(), re.M))
    assert {"fontTools.subset", "lemma.big_delimiters"} <= imported
    assert sorted(m for m in imported if m.startswith("lemma.")) == [
        "lemma.big_delimiters",
        "lemma.reuse",
        "lemma.reuse.atomic",
    ]
