"""`lemma new`: a new post file with its front matter filled in."""

from __future__ import annotations

from pathlib import Path

import yaml

from lemma.config import SiteConfig, build_now
from lemma.errors import LemmaError
from lemma.model import SourceLocation
from lemma.slugs import slugify

MAX_SLUG = 80


def create_post(config: SiteConfig, title: str, tags: list[str]) -> Path:
    """Write posts/YYYY-MM-DD-slug.md; never overwrites an existing file."""
    if not title.strip():
        raise LemmaError("the title is empty", hint='e.g. lemma new "Gradient descent"')
    slug = slugify(title)
    if not slug:
        raise LemmaError(
            f"cannot make a file name from the title {title!r}",
            hint="use a title with some letters or digits",
        )
    if len(slug) > MAX_SLUG:  # file names stop at 255 bytes; a URL this long helps no one
        slug = slug[: MAX_SLUG + 1].rsplit("-", 1)[0] if "-" in slug[:MAX_SLUG] else slug[:MAX_SLUG]
    today = build_now().astimezone(config.zone).date()
    path = config.posts_dir / f"{today.isoformat()}-{slug}.md"
    front = {"title": title.strip(), "date": today.isoformat(), "tags": tags}
    if config.author:
        front["author"] = config.author
    text = (
        "---\n"
        + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, default_flow_style=None)
        + "---\n\nWrite the first paragraph here: it becomes the excerpt.\n\n"
        + "```python\nimport numpy as np\n\nnp.linspace(0, 1, 5)\n```\n"
    )
    config.posts_dir.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError as exc:
        raise LemmaError(
            "the post already exists; not overwriting it",
            SourceLocation(path.relative_to(config.root).as_posix()),
            hint="choose another title or edit the existing file",
        ) from exc
    return path
