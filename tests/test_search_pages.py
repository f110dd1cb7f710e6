"""Search pages: Pagefind reads each page as search shows it, formulas as text and code without
its token spans, kept in the cache and brought up to date by each build."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

from lemma.write.pagefind import BUNDLE_DIR, Indexing
from lemma.write.search_pages import FOLDER, SearchPages, search_page
from lemma.write.search_parts import PARTS_FILE
from test_search import assert_same_files, build, require_pagefind, searched

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = FIXTURES / "seed" / "seed-post.md"
FRAGMENT_PREFIX = b"pagefind_dcd"


def rich_site(root: Path) -> None:
    """Posts with every kind of content a search excerpt can hold: display and inline math with
    numbered equations, highlighted code and its outputs, tables, callouts, citations, tabs."""
    shutil.copytree(FIXTURES / "writing", root)
    toml = (root / "site.toml").read_text(encoding="utf-8").replace("search = false", "")
    macros = (FIXTURES / "math" / "site.toml").read_text(encoding="utf-8").split("[macros]")[1]
    (root / "site.toml").write_text(f"{toml}\n[macros]{macros}", encoding="utf-8")
    shutil.copy(FIXTURES / "math" / "posts" / "2025-01-01-gallery.md", root / "posts")
    seed = SEED.read_text(encoding="utf-8").replace(
        "```python\n# L2 Regularization", "```python\n#| eval: false\n# L2 Regularization"
    )
    (root / "posts" / "2025-02-01-seed.md").write_text(seed, encoding="utf-8")


def fragments(bundle: Path) -> dict[str, dict[str, object]]:
    """What Pagefind keeps of each page (its text, title, headings), by the page's URL."""
    found = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(FRAGMENT_PREFIX)
        fragment = json.loads(data[len(FRAGMENT_PREFIX) :])
        found[fragment["url"]] = fragment
    return found


def test_a_search_page_has_code_without_token_spans_and_formulas_as_text() -> None:
    page = (
        '<pre><span></span><code><span class="kn">import</span><span class="w"> </span>'
        '<span class="nn">numpy</span></code></pre><p>when <math display="inline"><msub>'
        "<mi>&#x3BB;</mi><mo>max</mo></msub></math> &lt; <math><mover><mi>x</mi><mo>ˆ</mo>"
        "</mover><mo>&lt;</mo><mn>1</mn></math>.</p>"
    )
    assert search_page(page.encode()).decode() == (
        '<pre><code>import numpy</code></pre><p>when <math display="inline">λₘₐₓ</math>'
        " &lt; <math>x̂ &lt; 1</math>.</p>"
    )


def test_markup_that_tells_pagefind_something_is_kept() -> None:
    # A span with more than a class (an output's own markup) keeps its tags; MathML written by
    # hand with an entity XML does not know keeps its symbols.
    output = b'<pre><span class="a" data-pagefind-ignore>no</span><span class="b">x</span></pre>'
    assert search_page(output) == output
    assert search_page(b"<math><mi>&alpha;</mi></math>") == b"<math>&alpha;</math>"


CODE_POST = """---
title: Profiling a loop
date: 2025-01-20
tags: [python]
---

Timing a loop, and what the table says.[^1]

## The loop

```python
import numpy as np

values = np.arange(12).reshape(3, 4)
print(values.sum(axis=0))
{"rows": values.shape[0], "mean": float(values.mean())}
```

```bash
python -X importtime -c "import numpy" 2> imports.txt
```

| size | seconds |
|---:|---:|
| 10 | 0.1 |
| 100 | `1.2` |

> [!TIP]
> Run it `twice`: the **second** run is warm.

- one
- two, with `inline_code()`

[^1]: A footnote with [a link](https://example.org).
"""


def test_code_search_finds_what_it_found_in_the_pages(tmp_path: Path) -> None:
    # Without formulas, the bundle is byte for byte the one Pagefind makes of the pages.
    require_pagefind()
    root = tmp_path / "blog"
    (root / "posts").mkdir(parents=True)
    (root / "posts" / "2025-01-20-loop.md").write_text(CODE_POST, encoding="utf-8")
    done = build(root)
    assert done.returncode == 0, done.stderr
    site = root / "_site"
    page = (site / "posts" / "loop" / "index.html").read_bytes()
    kept = (root / ".lemma-cache" / FOLDER / "posts" / "loop" / "index.html").read_bytes()
    assert page.count(b'<span class="n">') > 5  # Pygments' names
    assert b'<span class="n">' not in kept
    parts = site / BUNDLE_DIR / PARTS_FILE  # a small site's index is in one part
    assert json.loads(parts.read_text(encoding="utf-8")) == {"parts": [], "hidden": []}
    parts.unlink()
    own = tmp_path / "own"
    indexing = Indexing(site, own)
    indexing.wait()
    assert_same_files(site / BUNDLE_DIR, own)


def test_search_shows_formulas_as_text(tmp_path: Path) -> None:
    require_pagefind()
    root = tmp_path / "blog"
    (root / "posts").mkdir(parents=True)
    (root / "posts" / "2025-01-01-rates.md").write_text(
        "---\ntitle: 'The $\\lambda$-calculus of $O(n^2)$'\ndate: 2025-01-01\n---\n\n"
        "The mean $\\hat\\mu_n = \\frac{1}{n}\\sum_i x_i$ is unbiased.\n\n"
        "$$\\begin{equation} a = b \\label{eq:ab} \\end{equation}$$\n",
        encoding="utf-8",
    )
    done = build(root)
    assert done.returncode == 0, done.stderr
    (fragment,) = fragments(root / "_site" / BUNDLE_DIR).values()
    assert isinstance(fragment["meta"], dict)
    assert fragment["meta"]["title"] == "The λ-calculus of O(n²)"
    content = str(fragment["content"])
    assert "The mean μ̂ₙ = 1/n∑ᵢxᵢ is unbiased." in content
    assert "a = b (1)" in content and "(1)(1)" not in content


def test_a_build_without_the_cache_makes_the_same_bundle(tmp_path: Path) -> None:
    require_pagefind()
    one, two = tmp_path / "one", tmp_path / "two"
    rich_site(one)
    rich_site(two)
    assert build(one).returncode == 0
    done = build(two, "--no-cache")
    assert done.returncode == 0, done.stderr
    assert not (two / ".lemma-cache" / FOLDER).exists()
    assert_same_files(one / "_site" / BUNDLE_DIR, two / "_site" / BUNDLE_DIR)


def test_edited_and_removed_posts_reach_the_search(tmp_path: Path) -> None:
    require_pagefind()
    root, clean = tmp_path / "blog", tmp_path / "clean"
    rich_site(root)
    assert build(root).returncode == 0
    post = root / "posts" / "2025-03-03-numeric.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nThe word zygomorphic.\n")
    (root / "posts" / "2025-01-01-gallery.md").unlink()
    done = build(root)
    assert done.returncode == 0, done.stderr
    pages = root / ".lemma-cache" / FOLDER
    assert not (pages / "posts" / "gallery").exists()
    assert b"zygomorphic" in (pages / "posts" / "numeric" / "index.html").read_bytes()
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("_site", ".lemma-cache"))
    assert build(clean).returncode == 0
    assert (root / "_site" / BUNDLE_DIR / "edits").is_dir(), "the edit is in the edits bundle"
    assert searched(root / "_site") == searched(clean / "_site")


def test_search_pages_a_build_left_unfinished_are_made_again(tmp_path: Path) -> None:
    # A build stopped while it changed the folder leaves no digests: nothing in it is trusted.
    require_pagefind()
    root, clean = tmp_path / "blog", tmp_path / "clean"
    rich_site(root)
    assert build(root).returncode == 0
    cache = root / ".lemma-cache"
    made_file = SearchPages(cache / FOLDER).made_file
    digests = json.loads(made_file.read_text(encoding="utf-8"))
    assert "posts/seed/index.html" in digests
    stray = cache / FOLDER / "posts" / "stray" / "index.html"
    stray.parent.mkdir(parents=True)
    stray.write_text('<html lang="en"><article data-pagefind-body>stray</article></html>')
    made_file.unlink()
    post = root / "posts" / "2025-03-03-numeric.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nAn edit.\n")
    done = build(root)
    assert done.returncode == 0, done.stderr
    assert not stray.exists()
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("_site", ".lemma-cache"))
    assert build(clean).returncode == 0
    assert searched(root / "_site") == searched(clean / "_site")
