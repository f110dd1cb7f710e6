"""The math font: cut down to the site's formulas, in another process while the build goes on."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable
from pathlib import Path

from fontTools.ttLib import TTFont

from lemma.render.mathfont import _BASE, OUTPUT_PATH, MathFontJob, _font_path, _subset
from site_support import SiteDir, assert_ok, post


def _font_processes() -> set[int]:
    """This process's children that run the font script (a reaped one is no longer listed)."""
    me = os.getpid()
    found = set()
    for pid in Path(f"/proc/{me}/task/{me}/children").read_text().split():
        with contextlib.suppress(OSError):
            if b"mathfont.py" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.add(int(pid))
    return found


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
    wanted = "".join(sorted(set(chars) | set(_BASE)))
    assert apart == _subset(str(_font_path()), wanted)


def test_a_font_job_not_waited_for_leaves_no_process() -> None:
    with MathFontJob("ℵ⊕", None):  # characters no other test asks for: not made yet
        started = _font_processes()
        assert started, "the font is cut in another process"
    assert not (_font_processes() & started), "a build failing on the way stops the process"
