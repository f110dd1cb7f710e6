"""Which posts a build publishes: drafts in every blog tool's spelling, future posts (by `date`
or Hugo's `publishDate`) and expired ones (Hugo's `expiryDate`) stay out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from lemma.errors import FrontMatterError
from lemma.load.conventions import first_of, to_datetime, value_words
from lemma.model import FrontMatter, Post, SourceLocation

# Hugo's names for the date a post goes public and the date it stops being public.
PUBLISH_DATE_KEYS = ("publishDate", "publishdate", "pubdate")
EXPIRY_DATE_KEYS = ("expiryDate", "expirydate", "unpublishdate")
# The keys that can keep a post unpublished, as Lemma, Hugo and Quarto (`draft: true`), Jekyll
# (`published: false`), Pelican (`status: draft` or `status: hidden`) and Hugo write them;
# Eleventy's `permalink: false` and `eleventyExcludeFromCollections: true` too, and fastpages'
# `hide: true`.
PUBLICATION_KEYS = ("draft", "published", "status", *PUBLISH_DATE_KEYS, *EXPIRY_DATE_KEYS)
_PELICAN_STATUSES = ("published", "draft", "hidden")

At = Callable[[str], SourceLocation]


def is_draft(raw: Mapping[str, Any], at: At) -> bool:
    """True when any of the publication keys says the post is not published.

    A value that cannot be read is an error, never a guess: guessing "published" would put a
    private post on the web.
    """
    draft = False
    if raw.get("permalink") is False:  # Eleventy: the page is not written at all
        draft = True
    if "eleventyExcludeFromCollections" in raw:  # Eleventy: written, but in no list
        draft |= _boolean(
            raw["eleventyExcludeFromCollections"], "eleventyExcludeFromCollections", at
        )
    if "hide" in raw:  # fastpages: published, but in no list
        draft |= _boolean(raw["hide"], "hide", at)
    if "draft" in raw:
        draft |= _boolean(raw["draft"], "draft", at)
    if "published" in raw and not _is_date(raw["published"]):
        draft |= not _boolean(raw["published"], "published", at)
    if "status" in raw:
        status = raw["status"]
        text = str(status).strip().lower() if isinstance(status, str) else None
        if text not in _PELICAN_STATUSES:
            raise FrontMatterError(
                "front matter: 'status' must be published, draft or hidden, "
                f"not {value_words(status)}",
                at("status"),
                hint="draft and hidden keep the post out of the site; --drafts shows it",
            )
        draft |= text != "published"
    return draft


def publication_dates(
    raw: Mapping[str, Any], at: At, zone: ZoneInfo
) -> tuple[datetime | None, datetime | None]:
    """Hugo's publishDate (also `published: 2025-01-01`) and expiryDate, when written."""
    publish_key = first_of(raw, PUBLISH_DATE_KEYS)
    if publish_key is None and _is_date(raw.get("published")):
        publish_key = "published"  # Hugo's other name for publishDate
    expiry_key = first_of(raw, EXPIRY_DATE_KEYS)
    publish = to_datetime(raw[publish_key], publish_key, at, zone) if publish_key else None
    expiry = to_datetime(raw[expiry_key], expiry_key, at, zone) if expiry_key else None
    return publish, expiry


def _is_date(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip()[:1].isdigit()  # TOML and Pelican headers give text
    return isinstance(value, date)


def _boolean(value: Any, key: str, at: At) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"  # TOML and Pelican headers give strings
    raise FrontMatterError(
        f"front matter: '{key}' must be true or false, not {value_words(value)}", at(key)
    )


def publishes_at(front_matter: FrontMatter) -> datetime:
    """When the post goes public: Hugo's publishDate, or else its date."""
    return front_matter.publish_date or front_matter.date


def has_expired(front_matter: FrontMatter, now: datetime) -> bool:
    return front_matter.expiry_date is not None and front_matter.expiry_date <= now


def why_unpublished(post: Post, now: datetime) -> str:
    """Why a post that a build left out is not published, as a link to it reports."""
    front_matter = post.front_matter
    if front_matter.draft:
        return "a draft"
    if has_expired(front_matter, now):
        assert front_matter.expiry_date is not None
        return f"an expired post (expiryDate {front_matter.expiry_date:%Y-%m-%d})"
    return f"a future post (dated {publishes_at(front_matter):%Y-%m-%d})"


@dataclass(frozen=True, slots=True)
class Selection:
    posts: tuple[Post, ...]  # published, newest first
    drafts_left_out: int
    future_left_out: int
    expired_left_out: int = 0

    def left_out_line(self) -> str | None:
        """One line saying how many posts the build left out and why, or None."""
        parts = []
        if self.drafts_left_out:
            parts.append(_plural(self.drafts_left_out, "draft", "drafts"))
        if self.future_left_out:
            parts.append(f"{self.future_left_out} dated in the future")
        if self.expired_left_out:
            parts.append(f"{self.expired_left_out} past its expiryDate")
        if not parts:
            return None
        total = self.drafts_left_out + self.future_left_out + self.expired_left_out
        return (
            f"left out {_plural(total, 'post', 'posts')}: {', '.join(parts)} "
            "(lemma build --drafts or lemma serve shows them)"
        )


def select_published(posts: Sequence[Post], include_drafts: bool, now: datetime) -> Selection:
    """Newest first; drafts, future and expired posts only when `include_drafts`."""
    drafts = [p for p in posts if p.front_matter.draft]
    rest = [p for p in posts if not p.front_matter.draft]
    future = [p for p in rest if publishes_at(p.front_matter) > now]
    expired = [p for p in rest if has_expired(p.front_matter, now) and p not in future]
    if include_drafts:
        visible = list(posts)
        drafts, future, expired = [], [], []
    else:
        left_out = {p.source_path for p in (*drafts, *future, *expired)}
        visible = [p for p in posts if p.source_path not in left_out]
    visible.sort(key=lambda p: (p.front_matter.date, p.source_path), reverse=True)
    return Selection(tuple(visible), len(drafts), len(future), len(expired))


def next_change(posts: Sequence[Post], now: datetime) -> datetime | None:
    """When the next post goes public or expires: a build after it publishes other posts."""
    moments = [publishes_at(p.front_matter) for p in posts]
    moments += [p.front_matter.expiry_date for p in posts if p.front_matter.expiry_date]
    return min((moment for moment in moments if moment > now), default=None)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
