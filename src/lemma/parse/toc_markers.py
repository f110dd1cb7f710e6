"""Table-of-contents markers of other tools, removed: every post already has Lemma's contents.

Python-Markdown (Pelican, MkDocs) writes `[TOC]`, GitLab and wikis `[[_TOC_]]`, kramdown (Jekyll)
a one-item list `* TOC` followed by `{:toc}`, MyST (docutils) a ```` ```{contents} ```` or
```` ```{tableofcontents} ```` directive (its options, `:depth:` and `:local:`, with it). Left in,
each shows as its literal text.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

_PARAGRAPH_MARKER = re.compile(r"^(?:\[TOC\]|\[\[_?TOC_?\]\])$")
_LIST_MARKER = re.compile(r"^TOC\s*\{:\s*toc\s*\}$")
_LIST_TOKENS = 7  # list open, item open, paragraph open, inline, and their three closings
_DIRECTIVE_MARKER = re.compile(r"^\{(?:contents|tableofcontents)\}", re.IGNORECASE)


def toc_markers_plugin(md: MarkdownIt) -> None:
    def remove(state: StateCore) -> None:
        tokens = state.tokens
        kept = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if token.type == "paragraph_open" and token.level == 0:
                inline = tokens[index + 1]
                if _PARAGRAPH_MARKER.match(inline.content.strip()):
                    index += 3
                    continue
            if token.type in ("bullet_list_open", "ordered_list_open") and token.level == 0:
                window = tokens[index : index + _LIST_TOKENS]
                if (
                    len(window) == _LIST_TOKENS
                    and window[-1].type == token.type.replace("_open", "_close")
                    and _LIST_MARKER.match(" ".join(window[3].content.split()))
                ):
                    index += _LIST_TOKENS
                    continue
            if token.type == "fence" and _DIRECTIVE_MARKER.match(token.info.strip()):
                index += 1
                continue
            kept.append(token)
            index += 1
        state.tokens = kept

    md.core.ruler.after("block", "toc_markers", remove)
