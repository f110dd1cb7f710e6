"""Spaces in math, as Chromium sets them: backward ones (\\!, \\kern-…) move back, and a relation
takes none before a comma or a closing, nor at either end of a formula, as in TeX."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import Server, posts_site

pytestmark = pytest.mark.browser

POST = r"""---
title: Spaced
date: 2025-02-01
---

$ab$ and $a\!b$ and $a\kern-0.5em b$ and $a\,b$
"""

RELATIONS = r"""---
title: Relations
date: 2025-02-02
---

$a \stackrel{d}{=}, b$ and $a =, b$ and $(=)$ and $a = b$
"""

ENDS = r"""---
title: Ends
date: 2025-02-03
---

Where $\sim$ denotes, and $f(x) \le$ then $= 3$.
"""

# The gap between a and b in each formula, in em of the formula's font.
GAPS = """() => [...document.querySelectorAll(".post-body math")].map(math => {
  const [a, b] = math.querySelectorAll("mi");
  const em = parseFloat(getComputedStyle(math).fontSize);
  return (b.getBoundingClientRect().left - a.getBoundingClientRect().right) / em;
})"""


@pytest.fixture(scope="module")
def spaced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("spaced-site")
    with posts_site(
        root, "Spaced", {"spaced.md": POST, "relations.md": RELATIONS, "ends.md": ENDS}
    ) as server:
        yield server


def _measured(server: Server, browser: Any, path: str, script: str) -> Any:
    """What `script` gives on the post page at `path`, once its fonts are in."""
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    try:
        page = context.new_page()
        page.goto(server.url(path))
        page.evaluate("document.fonts.ready")
        return page.evaluate(script)
    finally:
        context.close()


def test_backward_spaces_move_the_next_atom_back(spaced: Server, browser: Any) -> None:
    tight, back, kerned, thin = _measured(spaced, browser, "posts/spaced/", GAPS)
    assert abs(back - (tight - 3 / 18)) < 0.02, (tight, back)
    assert abs(kerned - (tight - 0.5)) < 0.02, (tight, kerned)
    assert abs(thin - (tight + 3 / 18)) < 0.02, (tight, thin)


# In each formula, the gaps between the glyphs of "=" and of the atoms beside it, in em.
BESIDE_RELATION = """() => [...document.querySelectorAll(".post-body math")].map(math => {
  const glyph = node => { const r = document.createRange(); r.selectNodeContents(node);
                          return r.getBoundingClientRect(); };
  const mo = [...math.querySelectorAll("mo")].find(o => o.textContent === "=");
  const atom = mo.closest("mover") || mo;
  const em = parseFloat(getComputedStyle(math).fontSize);
  const before = atom.previousElementSibling, after = atom.nextElementSibling;
  return [(glyph(mo).left - glyph(before).right) / em, (glyph(after).left - glyph(mo).right) / em];
})"""


def test_a_relation_takes_no_space_before_a_comma_or_a_closing(
    spaced: Server, browser: Any
) -> None:
    gaps = _measured(spaced, browser, "posts/relations/", BESIDE_RELATION)
    stacked, plain, parenthesised, spaced_out = gaps
    thick = 5 / 18  # TeX's space on each side of a relation between ordinary atoms
    assert abs(spaced_out[0] - thick) < 0.05 and abs(spaced_out[1] - thick) < 0.05, spaced_out
    assert stacked[1] < 0.05, stacked  # \stackrel{d}{=}, as "=,"
    assert plain[1] < 0.05, plain
    assert parenthesised[0] < 0.05 and parenthesised[1] < 0.05, parenthesised
    assert abs(stacked[0] - thick) < 0.05, stacked  # after an ordinary atom: its space


# In each formula, the room between its box and the glyph of its relation, left and right, in em.
ROOM_AT_ENDS = """() => [...document.querySelectorAll(".post-body math")].map(math => {
  const relation = [...math.querySelectorAll("mo")].find(o => "∼≤=".includes(o.textContent));
  const range = document.createRange();
  range.selectNodeContents(relation);
  const glyph = range.getBoundingClientRect(), box = math.getBoundingClientRect();
  const em = parseFloat(getComputedStyle(math).fontSize);
  return [(glyph.left - box.left) / em, (box.right - glyph.right) / em];
})"""


def test_a_relation_at_either_end_of_a_formula_takes_no_space_there(
    spaced: Server, browser: Any
) -> None:
    alone, last, first = _measured(spaced, browser, "posts/ends/", ROOM_AT_ENDS)
    assert alone[0] < 0.05 and alone[1] < 0.05, alone  # where ~ denotes: no 5/18 em either side
    assert last[1] < 0.05, last  # f(x) <= at the formula's end
    assert first[0] < 0.05, first  # = 3 at its start
