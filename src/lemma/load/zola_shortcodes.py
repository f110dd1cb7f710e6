"""Zola's shortcodes in a post's prose: `{{ youtube(id="...") }}`, `{{ vimeo(id="...") }}` and
`{{ gist(url="...") }}`, Zola's built-in ones, as the players and gist links of Hugo's
(`load.embeds`); any other call, and the body shortcodes `{% name(...) %}` … `{% end %}`,
which a Zola theme defines in its templates, is named in a warning (`load.shortcodes` calls
these as it meets the tags)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lemma.load.embeds import player

# `name(key=value, ...)`: Zola's shortcode call, inside `{{ }}` or `{% %}`.
_CALL = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*\((?P<args>.*)\)$", re.DOTALL)
# One `key=value` argument: a quoted string (", ' or `), a number, a boolean or a list.
_ARGUMENT = re.compile(
    r"""(?P<key>\w+)\s*=\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|`(?P<back>[^`]*)`"""
    r"""|(?P<bare>\[[^\]]*\]|[^,\s)]+))"""
)
_GIST = re.compile(r"^https?://gist\.github\.com/(?P<user>[\w-]+)/(?P<id>\w+)/?$")
# What each built-in shortcode's player needs: Hugo's shortcode and its arguments.
_PLAYERS = ("youtube", "vimeo")


@dataclass(frozen=True, slots=True)
class ZolaCall:
    name: str
    arguments: dict[str, str]


def zola_call(expression: str) -> ZolaCall | None:
    """The shortcode an expression between `{{ }}` or `{% %}` calls, None when it is none."""
    match = _CALL.match(expression.strip())
    if match is None:
        return None
    arguments = {
        found["key"]: next(
            v for v in found.group("double", "single", "back", "bare") if v is not None
        )
        for found in _ARGUMENT.finditer(match["args"])
    }
    return ZolaCall(match["name"], arguments)


def zola_player(call: ZolaCall) -> str | None:
    """The player or gist link of Zola's built-in `youtube`, `vimeo` and `gist`, None for any
    other shortcode (or one missing its `id` or `url`)."""
    if call.name in _PLAYERS and call.arguments.get("id"):
        return player(call.name, {"0": call.arguments["id"]})
    if call.name == "gist" and (found := _GIST.match(call.arguments.get("url", ""))):
        return player("gist", {"0": found["user"], "1": found["id"]})
    return None


def unsupported_hint(call: ZolaCall, body: bool) -> str:
    """What to write instead of a shortcode a Zola theme defines."""
    if body and call.name in ("note", "admonition", "callout", "alert", "warning", "tip"):
        return "write it as a callout: > [!NOTE] on a line of its own, then > and the text"
    if call.name in _PLAYERS or call.name == "gist":
        return f"give it its {'url' if call.name == 'gist' else 'id'} on a line of its own"
    return "write the Markdown or HTML it stands for" + (" around the text" if body else "")
