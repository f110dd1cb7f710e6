"""Search pages: Pagefind reads each page without the markup that holds no words, and makes the
same bundle of them as of the site's own pages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from lemma.write.search import index_site
from lemma.write.search_pages import DIGESTS_FILE, FOLDER, search_page
from test_search import assert_same_files, build, require_pagefind

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = FIXTURES / "seed" / "seed-post.md"


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


def index_of_the_site(site: Path, tmp: Path) -> Path:
    """The bundle Pagefind makes of the finished site's own pages."""
    again = tmp / "again"
    shutil.rmtree(again, ignore_errors=True)
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    index_site(again)
    return again / "pagefind"


def test_a_search_page_keeps_the_words_and_drops_code_and_math_markup() -> None:
    page = (
        b'<pre><span></span><code><span class="kn">import</span><span class="w"> </span>'
        b'<span class="nn">numpy</span></code></pre><p>when <math display="inline"><msub>'
        b"<mi>&#x3BB;</mi><mo>max</mo></msub></math>.</p>"
    )
    assert search_page(page) == (
        b'<pre><code>import numpy</code></pre><p>when <math display="inline">&#x3BB;max</math>.</p>'
    )


def test_markup_that_tells_pagefind_something_is_kept() -> None:
    # An equation number Pagefind is told to skip, and a span with more than a class (an
    # output's own markup), keep their tags: removing them would change what is indexed.
    numbered = b'<math><mtd><mtext data-pagefind-ignore="">(1)</mtext></mtd><mi>x</mi></math>'
    assert search_page(numbered) == numbered
    output = b'<pre><span class="a" data-pagefind-ignore>no</span><span class="b">x</span></pre>'
    assert search_page(output) == output


def test_pagefind_makes_the_same_bundle_of_the_search_pages(tmp_path: Path) -> None:
    require_pagefind()
    root = tmp_path / "blog"
    rich_site(root)
    done = build(root)
    assert done.returncode == 0, done.stderr
    site, pages = root / "_site", root / ".lemma-cache" / FOLDER
    post = (site / "posts" / "seed" / "index.html").read_bytes()
    assert len((pages / "posts" / "seed" / "index.html").read_bytes()) < 0.8 * len(post)
    assert_same_files(site / "pagefind", index_of_the_site(site, tmp_path))


def test_edited_and_removed_posts_reach_the_search_pages(tmp_path: Path) -> None:
    require_pagefind()
    root = tmp_path / "blog"
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
    site = root / "_site"
    assert_same_files(site / "pagefind", index_of_the_site(site, tmp_path))


def test_search_pages_a_build_left_unfinished_are_made_again(tmp_path: Path) -> None:
    # A build stopped while it changed the folder leaves no digests: nothing in it is trusted.
    require_pagefind()
    root = tmp_path / "blog"
    rich_site(root)
    assert build(root).returncode == 0
    cache = root / ".lemma-cache"
    digests = json.loads((cache / DIGESTS_FILE).read_text(encoding="utf-8"))
    assert "posts/seed/index.html" in digests
    stray = cache / FOLDER / "posts" / "stray" / "index.html"
    stray.parent.mkdir(parents=True)
    stray.write_text('<html lang="en"><article data-pagefind-body>stray</article></html>')
    (cache / DIGESTS_FILE).unlink()
    post = root / "posts" / "2025-03-03-numeric.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nAn edit.\n")
    done = build(root)
    assert done.returncode == 0, done.stderr
    assert not stray.exists()
    site = root / "_site"
    assert_same_files(site / "pagefind", index_of_the_site(site, tmp_path))


def test_no_cache_leaves_no_search_pages(tmp_path: Path) -> None:
    require_pagefind()
    root = tmp_path / "blog"
    rich_site(root)
    done = build(root, "--no-cache")
    assert done.returncode == 0, done.stderr
    assert not (root / ".lemma-cache" / FOLDER).exists()
    site = root / "_site"
    assert_same_files(site / "pagefind", index_of_the_site(site, tmp_path))
