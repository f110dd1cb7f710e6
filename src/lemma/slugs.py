"""URL-safe names for posts, tags and headings: lowercase ASCII, digits and '-', never a path."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_SLUG = re.compile(r"[^a-z0-9]+")
# Names that are special on Windows, refused as a whole path segment.
_RESERVED = (
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)


def slugify(text: str) -> str:
    """ "Gradient Descent, Explained!" -> "gradient-descent-explained"; may return ""."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")
    return f"{slug}-" if slug in _RESERVED else slug


def tag_slug(tag: str) -> str:
    """A stable, safe URL segment for any tag, including ones with slashes or no ASCII at all.

    When slugify loses information ("C++" and "C" would both be "c"), a short hash of the tag
    keeps the URL distinct and stable.
    """
    slug = slugify(tag)
    plain = re.sub(r"[\s_]+", "-", tag.strip().lower())
    if slug and slug == plain:
        return slug
    digest = hashlib.sha256(tag.encode("utf-8")).hexdigest()[:8]
    return f"{slug.rstrip('-')}-{digest}" if slug.rstrip("-") else f"tag-{digest}"
