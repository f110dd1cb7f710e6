"""Which posts a build publishes: drafts in every blog tool's spelling and future posts stay out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lemma.errors import FrontMatterError
from lemma.model import Post, SourceLocation

# The keys that can keep a post unpublished, as Lemma, Hugo and Quarto (`draft: true`), Jekyll
# (`published: false`) and Pelican (`status: draft` or `status: hidden`) write them.
PUBLICATION_KEYS = ("draft", "published", "status")
_PELICAN_STATUSES = ("published", "draft", "hidden")


def is_draft(raw: Mapping[str, Any], at: Callable[[str], SourceLocation]) -> bool:
    """True when any of the publication keys says the post is not published.

    A value that cannot be read is an error, never a guess: guessing "published" would put a
    private post on the web.
    """
    draft = False
    if "draft" in raw:
        draft |= _boolean(raw["draft"], "draft", at)
    if "published" in raw:
        draft |= not _boolean(raw["published"], "published", at)
    if "status" in raw:
        status = raw["status"]
        text = str(status).strip().lower() if isinstance(status, str) else None
        if text not in _PELICAN_STATUSES:
            raise FrontMatterError(
                f"front matter: 'status' must be published, draft or hidden, not {status!r}",
                at("status"),
                hint="draft and hidden keep the post out of the site; --drafts shows it",
            )
        draft |= text != "published"
    return draft


def _boolean(value: Any, key: str, at: Callable[[str], SourceLocation]) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"  # TOML and Pelican headers give strings
    raise FrontMatterError(f"front matter: '{key}' must be true or false, not {value!r}", at(key))


@dataclass(frozen=True, slots=True)
class Selection:
    posts: tuple[Post, ...]  # published, newest first
    drafts_left_out: int
    future_left_out: int

    def left_out_line(self) -> str | None:
        """One line saying how many posts the build left out and why, or None."""
        parts = []
        if self.drafts_left_out:
            parts.append(_plural(self.drafts_left_out, "draft", "drafts"))
        if self.future_left_out:
            parts.append(f"{self.future_left_out} dated in the future")
        if not parts:
            return None
        total = self.drafts_left_out + self.future_left_out
        return (
            f"left out {_plural(total, 'post', 'posts')}: {', '.join(parts)} "
            "(lemma build --drafts or lemma serve shows them)"
        )


def select_published(posts: Sequence[Post], include_drafts: bool, now: datetime) -> Selection:
    """Newest first; drafts and future posts only when `include_drafts`."""
    drafts = [p for p in posts if p.front_matter.draft]
    future = [p for p in posts if not p.front_matter.draft and p.front_matter.date > now]
    if include_drafts:
        visible = list(posts)
        drafts, future = [], []
    else:
        left_out = {p.source_path for p in (*drafts, *future)}
        visible = [p for p in posts if p.source_path not in left_out]
    visible.sort(key=lambda p: (p.front_matter.date, p.source_path), reverse=True)
    return Selection(tuple(visible), len(drafts), len(future))


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
