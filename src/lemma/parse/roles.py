"""MyST's roles in prose, {name}`content`: `{math}` is inline math; sphinxcontrib-bibtex's
`{cite}`, `{cite:p}` and `{cite:t}` (and their kin) are the `citation` tokens of pandoc's
`[@key]` and `@key` (`parse.citations`); Jupyter Book's `{doc}` and `{term}` are links
(`parse.jupyter_book`); every other role is a `myst_role` token
(`meta["role"]` its name, `content` what is between the backticks) that `render.roles` links
({eq}, {ref}, {numref}, {prf:ref}) or shows as its text, with a warning."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from lemma.parse.citations import CiteItem
from lemma.parse.jupyter_book import role_link

# sphinxcontrib-bibtex's roles: in brackets, "(Knuth 1984)", or in the sentence, "Knuth (1984)";
# `s` (every author) and `c` (a capital first letter) change nothing in Lemma's styles.
BRACKETED_CITE_ROLES = ("cite", "cite:p", "cite:ps", "cite:cp", "cite:cps")
PROSE_CITE_ROLES = ("cite:t", "cite:ts", "cite:ct", "cite:cts")
# What an excerpt shows of a role that names a target: nothing (its words, "Theorem 1", are known
# only when the body is rendered), and no space before it.
LEFT_OUT = "\x00"
_REFERENCE_ROLES = ("ref", "numref", "prf:ref", "eq")
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
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
        elif name in ("doc", "term"):  # Jupyter Book's links to a post, to a glossary's term
            href, text = role_link(name, content)
            link = state.push("link_open", "a", 1)
            link.attrs = {"href": href}
            link.meta["role"] = name
            link.meta["term"] = content
            state.push("text", "", 0).content = text
            state.push("link_close", "a", -1)
            state.pos = match.end()
            return True
        elif name in (*BRACKETED_CITE_ROLES, *PROSE_CITE_ROLES, "cite:yearpar"):
            _citation(state, name, content)
            state.pos = match.end()
            return True
        else:
            token = state.push("myst_role", "", 0)
            token.meta["role"] = name
        token.content = content
    state.pos = match.end()
    return True


def role_text(name: str, content: str) -> str:
    """A role as plain text (an excerpt): its words, `{math}` as `$…$`, the short form of an
    `{abbr}`, a reference's own text or nothing."""
    explicit = _EXPLICIT.match(content)
    if name in _REFERENCE_ROLES:
        return explicit["text"] if explicit and explicit["text"] else LEFT_OUT
    if name == "download":
        return explicit["text"] if explicit else content.rsplit("/", 1)[-1]
    if name == "abbr":
        return re.sub(r"\s*\([^()]*\)$", "", content)
    return content


def cite_keys(text: str) -> list[str]:
    """The keys of a cite role: sphinxcontrib-bibtex separates them with commas, mystmd with
    semicolons."""
    return [key.strip() for key in re.split(r"[,;]", text) if key.strip()]


def _citation(state: StateInline, name: str, keys: str) -> None:
    """`{cite:p}`a,b`` is `[@a; @b]`, `{cite:t}`a`` is `@a`, `{cite:yearpar}`a`` `[-@a]`."""
    yearpar, bracketed = name == "cite:yearpar", name not in PROSE_CITE_ROLES
    items = [CiteItem(k, suppress_author=yearpar) for k in cite_keys(keys)]
    # In prose each work is named in the sentence: "Boyd and Vandenberghe (2004), Nesterov (2004)"
    groups = [tuple(items)] if bracketed else [(item,) for item in items]
    for index, group in enumerate(groups):
        if index:
            state.push("text", "", 0).content = ", "
        token = state.push("citation", "", 0)
        # written as pandoc would write it: an excerpt reads citations from their text
        written = "; ".join(("-" if yearpar else "") + f"@{item.key}" for item in group)
        token.content = f"[{written}]" if bracketed else written
        token.meta["items"] = group
        token.meta["bracketed"] = bracketed
        token.meta["role"] = name  # asks for the bibliography, unlike "@name" in prose
