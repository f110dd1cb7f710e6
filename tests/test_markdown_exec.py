"""markdown-exec's fences (MkDocs): a post that marks its runs with exec="on" builds as MkDocs
built it, only the marked fences run, their output shown as the attributes say."""

from __future__ import annotations

from pathlib import Path

from site_support import NO_SEARCH, SiteDir, assert_ok, warning_line

POST = """---
title: Executed blocks
date: 2025-01-01
---

MkDocs shows this one and runs nothing:

```python
undefined_helper()
```

```python exec="on"
print("markdown **from the output**")
```

```python exec="true" source="above" result="text"
print("text, *not* Markdown")
```

```python exec="1" source="tabbed-left" session="demo"
x = 42
```

```python exec="on" session="demo" html="1"
print(f"<kbd>{x}</kbd>")
```

```python exec="off"
never_defined()
```

```bash exec="on"
echo hello
```

```python exec="on" workdir="docs" source="sideways"
print("ran anyway")
```
"""

FIGURE_POST = """---
title: A figure
date: 2025-01-02
---

```python exec="1" html="1"
from io import StringIO

import matplotlib.pyplot as plt

plt.plot([1, 2, 3], [1, 4, 9])
buffer = StringIO()
plt.savefig(buffer, format="svg")
print(buffer.getvalue())
```
"""


def new_site(tmp_path: Path) -> SiteDir:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    return site


def test_only_the_marked_fences_run_and_show_what_they_say(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    site.write("posts/2025-01-01-executed.md", POST)
    result = site.build()
    assert_ok(result)
    page = site.page("posts/executed/index.html")
    assert "undefined_helper" in page and "never_defined" in page  # shown, not run
    assert "<strong>from the output</strong>" in page
    assert "markdown **from" not in page  # exec="on" alone shows the output, not the code
    assert "text, *not* Markdown" in page and "<em>not</em>" not in page
    assert page.count('class="lemma-code"') == 6  # the two shown, source=, bash, sideways
    assert "<kbd>42</kbd>" in page  # one namespace: session="demo" needs nothing
    assert "ran anyway" in page


def test_what_lemma_cannot_do_is_a_warning_at_the_fence(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    site.write("posts/2025-01-01-executed.md", POST)
    result = site.build()
    path, lines = "posts/2025-01-01-executed.md", POST.split("\n")
    bash = lines.index('```bash exec="on"') + 1
    sideways = lines.index('```python exec="on" workdir="docs" source="sideways"') + 1
    assert "bash block is shown, not run" in warning_line(result, path, bash, "bash")
    assert 'source="sideways"' in warning_line(result, path, sideways, "sideways")
    assert "'workdir' is ignored" in warning_line(result, path, sideways, "workdir")


def test_a_post_without_exec_runs_every_python_fence(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    site.write(
        "posts/2025-01-01-plain.md",
        "---\ntitle: Plain\ndate: 2025-01-01\n---\n\n```python\nprint('RAN-' + 'PLAIN')\n```\n",
    )
    assert_ok(site.build())
    assert "RAN-PLAIN" in site.page("posts/plain/index.html")


def test_a_printed_figure_is_shown_once(tmp_path: Path) -> None:
    # markdown-exec's recipe prints the SVG of a figure Lemma captures anyway.
    site = new_site(tmp_path)
    site.write("posts/2025-01-02-figure.md", FIGURE_POST)
    assert_ok(site.build())
    page = site.page("posts/figure/index.html")
    assert page.count('class="lemma-output lemma-figure"') == 1
    assert "<?xml" not in page and "&lt;?xml" not in page and "&lt;svg" not in page


def test_a_printed_figure_closed_after_is_shown_as_an_image(tmp_path: Path) -> None:
    # In the page's text the SVG's own style attributes would be refused by the CSP (its fills
    # drawn black); as an image they apply. Text printed around it stays Markdown.
    site = new_site(tmp_path)
    post = FIGURE_POST.replace(
        "print(buffer.getvalue())",
        'print("**Before**")\nprint(buffer.getvalue())\nplt.close("all")',
    )
    site.write("posts/2025-01-02-figure.md", post)
    assert_ok(site.build())
    page = site.page("posts/figure/index.html")
    assert page.count('<img class="figure" src="data:image/svg+xml;base64,') == 1
    assert 'href="data:' not in page  # nothing a click could open
    assert "<strong>Before</strong>" in page
    assert "<svg xmlns" not in page and "&lt;svg" not in page
