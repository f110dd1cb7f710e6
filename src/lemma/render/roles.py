"""MyST's roles in prose (`parse.roles`): {sub}, {sup}, {kbd} and {abbr} are their HTML
elements, {download}`data.csv` a link to the file (published beside the post), {eq}`x` reads
"(1)" like \\eqref, {numref}`fig-x` "Figure 1" (or its own text,
`` {numref}`Fig. %s <fig-x>` ``), {ref}`x` the target's name (or `` {ref}`text <x>` ``); another
role is shown as its text, with a warning at its line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import escape

from lemma.errors import Problem, did_you_mean
from lemma.parse.jupyter_book import glue_problem
from lemma.render.body import body_context
from lemma.render.crossrefs import labels, reference_html
from lemma.render.media import local_file_url
from lemma.render.references import writing_state
from lemma.render.texmath.numbering import reference_markup

_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<label>[^<>]+)>$", re.DOTALL)
KNOWN_ROLES = ("eq", "ref", "numref", "prf:ref", "math", "sub", "sup", "kbd", "abbr", "download")
# docutils' roles of inline markup: H{sub}`2`O, {kbd}`Ctrl`, {abbr}`SGD (stochastic gradient)`.
_MARKUP_ROLES = {"sub": "sub", "subscript": "sub", "sup": "sup", "superscript": "sup", "kbd": "kbd"}
_ABBREVIATION = re.compile(r"^(?P<short>.*?)\s*\((?P<title>[^()]*)\)$", re.DOTALL)


def add_role_rules(md: MarkdownIt) -> None:
    md.add_render_rule("myst_role", _render_role)


def _render_role(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    name: str = token.meta["role"]
    state = writing_state(env)
    if not state.in_post:  # a fragment (a snippet's Markdown output): as written
        return str(escape(token.content))
    if name == "eq":  # numbered with LaTeX's equations, resolved once the post is rendered
        return reference_markup(token.content, "eqref")
    if name in _MARKUP_ROLES:
        tag = _MARKUP_ROLES[name]
        return f"<{tag}>{escape(token.content)}</{tag}>"
    if name == "download":  # a file beside the post, published with it
        explicit = _EXPLICIT.match(token.content)
        text, path = (explicit["text"], explicit["label"]) if explicit else ("", token.content)
        context = body_context(env)
        if context is None:
            return str(escape(token.content))
        url = local_file_url(path.strip(), state.at(token), context, kind="download")
        shown = text or path.strip().rsplit("/", 1)[-1]
        return f'<a href="{escape(url)}" download>{escape(shown)}</a>'
    if name == "abbr":
        found = _ABBREVIATION.match(token.content)
        if found is None:
            return f"<abbr>{escape(token.content)}</abbr>"
        return f'<abbr title="{escape(found["title"])}">{escape(found["short"])}</abbr>'

    if name == "glue" or name.startswith("glue:"):
        state.problems.append(glue_problem(f"{{{name}}}`{token.content}`", state.at(token)))
        return str(escape(token.content))
    if name not in ("ref", "numref", "prf:ref"):
        state.problems.append(
            Problem(
                f"MyST role {{{name}}} is not one Lemma knows; shown as its text",
                state.at(token),
                hint="Lemma reads " + ", ".join(f"{{{role}}}" for role in KNOWN_ROLES),
                is_warning=True,
            )
        )
        return str(escape(token.content))
    explicit = _EXPLICIT.match(token.content)
    text, label = (explicit["text"], explicit["label"].strip()) if explicit else ("", token.content)
    target = state.targets.get(label)
    if target is None:
        hint = did_you_mean(label, labels(state.targets)) or (
            "label it: :name: in a {figure}, :label: in a {math} or a {prf:theorem}, "
            "::: {#thm-x} for a theorem, (x)= before a heading; a label of another post "
            "(Jupyter Book numbers across its pages) is not seen here: link to that post "
            "with {doc}`other-post`"
        )
        problem = Problem(
            f"unknown cross-reference {{{name}}}`{label}`", state.at(token), hint=hint
        )
        state.problems.append(problem)
        return str(escape(text or label))
    shown = text.replace("%s", target.number).replace("{number}", target.number)
    if not shown and not target.name:  # a `(label)=` before a paragraph has no name to show
        state.problems.append(
            Problem(
                f"{{{name}}}`{label}` names no heading, theorem or figure: it needs its text",
                state.at(token),
                hint=f"write {{{name}}}`your words <{label}>`",
            )
        )
        shown = label
    return reference_html(target, text=shown or None)
