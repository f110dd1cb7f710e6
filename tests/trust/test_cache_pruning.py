"""The cache does not grow with every edit: entries and figures no build uses are pruned, and a
size bound holds; real CLI builds."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from .conftest import TrustSite, needs_engine, post_text

pytestmark = [needs_engine, pytest.mark.slow]


def plotting_post(step: int) -> str:
    code = f"import matplotlib.pyplot as plt\nplt.plot([0, 1], [0, {step}])\nprint('STEP', {step})"
    return post_text("Plot", f"```python\n{code}\n```\n")


DRAFT = post_text("Draft", "```python\nprint('DRAFT')\n```\n", draft="true")


def counts(site: TrustSite) -> tuple[int, int]:
    entries = [p for p in (site.cache / "entries").iterdir() if p.suffix == ".json"]
    figures = list((site.cache / "figures").iterdir())
    return len(entries), len(figures)


def test_edits_do_not_grow_the_cache(trust_site: Callable[..., TrustSite]) -> None:
    site = trust_site({"posts/plot.md": plotting_post(0), "posts/draft.md": DRAFT})
    check = site.lemma("check")  # the draft's run is cached too; no build asks for it
    assert check.code == 0, str(check)
    assert counts(site) == (2, 1)
    for step in range(1, 6):
        site.write("posts/plot.md", plotting_post(step))
        run = site.build()
        assert run.code == 0, str(run)
        assert f"STEP {step}" in (site.out / "posts/plot/index.html").read_text()
        # The post's current run and its one figure, and the draft's run: nothing older.
        assert counts(site) == (2, 1), f"after edit {step}"
    again = site.lemma("check")
    assert re.search(r"0 executed, 2 from cache", again.stdout), str(again)  # both still hit


def test_the_size_bound_drops_entries_no_build_used_first(
    trust_site: Callable[..., TrustSite],
) -> None:
    site = trust_site({"posts/plot.md": plotting_post(1), "posts/draft.md": DRAFT})
    assert site.lemma("check").code == 0
    assert counts(site) == (2, 1)
    site.write("site.toml", "cache_limit_mb = 0\n")
    run = site.build()
    assert run.code == 0, str(run)
    # Over the bound: the draft's entry goes; what this build used stays, whatever the bound.
    assert counts(site) == (1, 1)
    rebuilt = site.build()
    assert re.search(r"0 executed, 1 from cache", rebuilt.stdout), str(rebuilt)
