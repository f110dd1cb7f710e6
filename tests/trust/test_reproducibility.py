"""Reproducible builds: the same sources give the same bytes, whatever the clock and the folder."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest

from .conftest import TrustSite, needs_engine, post_text, snapshot

pytestmark = [needs_engine, pytest.mark.slow]

FIGURES = """\
```python
import numpy as np
import matplotlib.pyplot as plt
rng = np.random.default_rng(42)
x = np.linspace(0, 1, 50)
plt.plot(x, x ** 2 + rng.normal(0, 0.01, 50), label="$x^2$")
plt.legend()
plt.title("A seeded figure")
plt.show()
print({"b", "a", "c"}, {3: "x", 1: "y"})
np.arange(6).reshape(2, 3)
```

```python
#| fig-format: png
#| fig-cap: The same as a PNG
plt.plot(x, np.sin(x))
plt.show()
```
"""

SOURCES = {
    "posts/2020-03-01-figures.md": post_text("Figures", FIGURES, date="2020-03-01", tags="[plots]"),
    "posts/2020-01-15-prose.md": post_text(
        "Prose", "Text with $e^{i\\pi}+1=0$.\n\n## A heading\n", date="2020-01-15"
    ),
    "posts/2020-02-01-error.md": post_text(
        "Expected error", "```python\n#| error: true\n1 / 0\n```\n", date="2020-02-01"
    ),
}


def clean_build(site: TrustSite, env: dict[str, str] | None = None) -> dict[str, bytes]:
    shutil.rmtree(site.out, ignore_errors=True)
    shutil.rmtree(site.cache, ignore_errors=True)
    run = site.build(env=env)
    assert run.code == 0, str(run)
    return snapshot(site.out)


def executed(stdout: str) -> int:
    match = re.search(r"(\d+) executed", stdout)
    assert match, stdout
    return int(match.group(1))


@pytest.mark.timeout(300)
def test_two_clean_builds_are_byte_identical(trust_site: Callable[..., TrustSite]) -> None:
    # Proves: deterministic SVG/PNG figures (no dates, fixed ids), PYTHONHASHSEED for the
    # children, sorted outputs everywhere, a deterministic search index and notebooks.
    site = trust_site({**SOURCES, "site.toml": "search = true\n"})
    first = clean_build(site)
    second = clean_build(site)
    assert any(p.endswith(".svg") and p.startswith("figures/") for p in first)
    assert any(p.endswith(".png") and p.startswith("figures/") for p in first)
    differing = sorted(p for p in set(first) | set(second) if first.get(p) != second.get(p))
    assert differing == []


@pytest.mark.timeout(300)
def test_the_clock_only_decides_which_posts_are_published(
    trust_site: Callable[..., TrustSite],
) -> None:
    # Proves: config.build_now reads SOURCE_DATE_EPOCH, and nothing else in a page depends on
    # "now": two epochs after every post give the same bytes, and the feed's dates come from
    # the posts.
    site = trust_site({**SOURCES, "site.toml": "search = false\n"})
    year_2030 = clean_build(site, {"SOURCE_DATE_EPOCH": "1893456000"})
    year_2040 = clean_build(site, {"SOURCE_DATE_EPOCH": "2208988800"})
    assert year_2030 == year_2040
    feed = ElementTree.fromstring(year_2030["feed.xml"])
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.findtext(f"{atom}updated") == "2020-03-01T00:00:00+00:00"
    today = datetime.now(UTC).date().isoformat()
    for path, content in year_2030.items():
        if path.endswith((".html", ".xml")):
            assert today.encode() not in content, f"{path} mentions today's date"
    # Between two posts' dates, the later one is a future post and is left out.
    february = clean_build(site, {"SOURCE_DATE_EPOCH": "1581206400"})  # 2020-02-09
    assert "posts/prose/index.html" in february and "posts/figures/index.html" not in february


@pytest.mark.timeout(300)
def test_a_moved_site_keeps_its_cache(trust_site: Callable[..., TrustSite], tmp_path: Path) -> None:
    # Proves: no absolute path in cache keys, entries, manifests or pages: a copy of the whole
    # folder elsewhere executes nothing and builds the same bytes.
    site = trust_site({**SOURCES, "site.toml": "search = false\n"}, name="original")
    run = site.build()
    assert run.code == 0 and executed(run.stdout) == 2, str(run)
    original = snapshot(site.out)
    moved_root = tmp_path / "elsewhere" / "deeper" / "moved"
    shutil.copytree(site.root, moved_root, symlinks=True)
    moved = TrustSite(moved_root, site.tmp)
    run = moved.build()
    assert run.code == 0, str(run)
    assert executed(run.stdout) == 0, f"the moved cache was not used:\n{run}"
    assert snapshot(moved.out) == original
    for entry in (moved.cache / "entries").glob("*.json"):
        text = entry.read_text()
        assert str(site.root) not in text and str(moved_root) not in text, entry.name
