"""MyST's roles in prose, {name}`content`: `{math}` is inline math; every other role is a
`myst_role` token (`meta["role"]` its name, `content` what is between the backticks) that
`render.roles` links ({eq}, {ref}, {numref}) or shows as its text, with a warning."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

_ROLE = re.compile(r"\{(?P<name>[A-Za-z][\w:+-]*)\}(?P<ticks>`+)(?P<content>.+?)(?P=ticks)")


def roles_plugin(md: MarkdownIt) -> None:
    """Before code spans, which would otherwise take the backticks."""
    md.inline.ruler.before("backticks", "myst_role", _role)


def _role(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "{":
        return False
    match = _ROLE.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        name, content = match["name"].lower(), match["content"].strip()
        if name == "math":
            token = state.push("math_inline", "math", 0)
            token.markup = "$"
        else:
            token = state.push("myst_role", "", 0)
            token.meta["role"] = name
        token.content = content
    state.pos = match.end()
    return True
