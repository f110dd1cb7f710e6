"""Video players and gists from shortcodes: Hugo's `{{< youtube ID >}}`, `{{< vimeo ID >}}` and
`{{< gist user id >}}` (jekyll-gist's `{% gist user/id %}`, and Jekyll plugins' `{% youtube ID %}`),
and Quarto's `{{< video url >}}` when the address is YouTube's or Vimeo's.

A player is its <iframe>: the pages' policy allows it once site.toml's `[csp]` names the player,
and a warning at its line says so until then (`render.media`). A gist is a link to it, as its
script never runs on these pages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_IDENTIFIER = re.compile(r"[\w-]+")
# Quarto's video addresses, by player: youtube.com/watch?v=ID, youtu.be/ID, youtube.com/embed/ID
_YOUTUBE = re.compile(
    r"^https?://(?:www\.)?(?:youtube(?:-nocookie)?\.com/(?:watch\?v=|embed/)|youtu\.be/)"
    r"(?P<id>[\w-]+)"
)
_VIMEO = re.compile(r"^https?://(?:www\.|player\.)?vimeo\.com/(?:video/)?(?P<id>\d+)")


def player(name: str, words: Mapping[str, str]) -> str | None:
    """The player (or gist link) of Hugo's shortcode `name` with its arguments `words` (named,
    and positional as "0", "1", ...), None when it is no such shortcode or names nothing."""
    identifier = words.get("id") or words.get("0", "")
    if name == "gist" and "/" in identifier:  # jekyll-gist's `{% gist user/id file.py %}`
        user, _, gist = identifier.partition("/")
        words, identifier = {"0": user, "1": gist}, user
    if not _IDENTIFIER.fullmatch(identifier or "-!"):
        return None
    if name == "youtube":
        return _iframe(f"https://www.youtube-nocookie.com/embed/{identifier}", words)
    if name == "vimeo":
        return _iframe(f"https://player.vimeo.com/video/{identifier}", words)
    if name == "gist" and _IDENTIFIER.fullmatch(words.get("1", "-!")):
        address = f"https://gist.github.com/{identifier}/{words['1']}"
        return f"[{identifier}/{words['1']} on GitHub Gist]({address})"
    return None


def video_player(url: str, words: Mapping[str, str]) -> str | None:
    """Quarto's `{{< video url >}}` as the player of YouTube or Vimeo, None for another address
    (a video file, another site)."""
    if (found := _YOUTUBE.match(url)) is not None:
        return player("youtube", {**words, "0": found["id"]})
    if (found := _VIMEO.match(url)) is not None:
        return player("vimeo", {**words, "0": found["id"]})
    return None


def _iframe(source: str, words: Mapping[str, str]) -> str:
    title = (words.get("title") or "Video").replace('"', "&quot;")
    return (
        f'<iframe class="lemma-video" src="{source}" title="{title}" width="560" height="315" '
        'loading="lazy" allowfullscreen></iframe>'
    )
