"""Helpers of the engine tests: posts on disk whose snippets point at their real lines."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

from lemma.execute import PostJob
from lemma.model import Snippet, SnippetOptions, SourceLocation

Code = str | tuple[str, SnippetOptions]


def write_post(root: Path, name: str, codes: Sequence[Code], prose: str = "") -> PostJob:
    """Write posts/<name>.md: front matter, `prose`, then one python fence per code."""
    path = f"posts/{name}.md"
    lines = ["---", f"title: {name}", "---", "", *prose.splitlines()]
    snippets = []
    for index, item in enumerate(codes):
        code, options = item if isinstance(item, tuple) else (item, SnippetOptions())
        code = textwrap.dedent(code).strip("\n")
        lines += ["", "```python"]
        location = SourceLocation(path, len(lines) + 1)
        snippets.append(Snippet(index, "python", code, location, options, len(lines)))
        lines += [*code.splitlines(), "```"]
    (root / "posts").mkdir(parents=True, exist_ok=True)
    (root / path).write_text("\n".join(lines) + "\n")
    return PostJob(path, tuple(snippets))
