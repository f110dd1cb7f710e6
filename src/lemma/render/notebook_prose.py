"""A post's prose made readable in Jupyter: citations, cross-references, theorems and callouts.

Jupyter's Markdown knows none of pandoc's additions, so the notebook download rewrites them
line by line into what it does know: `[@key]` becomes the same citation the page shows (its
links to the post's page), `@thm-x` becomes "Theorem 1", a theorem's `::: {#thm-x}` a bold
"**Theorem 1 (Name).**", a proof ends with ∎, a callout (MkDocs' `!!! note` and content tabs
too, their bodies outdented) is led by its title, a labelled equation gets `\\tag{1}`, a file
Quarto's `{{< include >}}` read is written out in its place, and a References cell closes the
notebook. MyST's spellings are read the same way (its directives by `parse.myst_blocks`, so
that the page and the notebook cannot disagree): `{prf:theorem}` and its kin, `{cite}` and
`{prf:ref}` roles, `(label)=` lines (left out), `{code-block} python` (a plain python block) and
`{bibliography}` (the References where it stands).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from markupsafe import escape

from lemma.fences import fence_language, is_code_block, is_display_only
from lemma.load.bibliography import Bibliography, Reference
from lemma.model import Post, Snippet, SourceLocation
from lemma.parse import parse_body
from lemma.parse.admonitions import block_info
from lemma.parse.blocks import PROOF_WORDS, THEOREM_WORDS, BlockInfo, div_info
from lemma.parse.citations import CiteItem, parse_items
from lemma.parse.directives import directive_options
from lemma.parse.divs import opening_attributes
from lemma.parse.includes import INCLUDE_MARKER, included_text
from lemma.parse.myst_blocks import directive_block, is_known
from lemma.parse.roles import BRACKETED_CITE_ROLES, PROSE_CITE_ROLES, cite_keys
from lemma.render.blocks import CALLOUT_TITLES
from lemma.render.citations import CitationState, citation_html, references_html
from lemma.render.crossrefs import Target, is_reference, number_targets, target_label

_KEY = r"[\w](?:[\w]|[:.#$%&\-+?<>~/](?=[\w]))*"
_BRACKETED = re.compile(r"\[([^\[\]]*@[^\[\]]*)\](?![(\[])")
_PROSE = re.compile(rf"(?<![\w@.\\])@({_KEY})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)*\1")
_CLOSING = re.compile(r"^\s*:{3,}\s*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*(\{(?P<name>[\w:-]+)\}\s*(?P<title>.*))?")
_EQUATION_LABEL = re.compile(r"\$\$\s*\{\s*#(eq-[\w:.-]+)\s*\}\s*$")
_MYST_TARGET = re.compile(r"^\s*\([^()\s#]+\)=\s*$")
_ROLE = re.compile(r"\{(?P<name>[A-Za-z][\w:+-]*)\}`(?P<content>[^`]+)`")
_REFERENCE_ROLES = ("ref", "numref", "prf:ref")
# Blocks whose heading leads their first paragraph ("**Theorem 1.** Let ..."); the others' is a
# line of its own.
_LEADING_KINDS = ("theorem", "proof", "solution")
_OPTION_WINDOW = 64  # lines: no directive's options are longer
_HEADING_ATTRIBUTES = re.compile(r"^(#{1,6}\s.*?)\s*\{[^{}]*\}\s*$")
# pandoc's attributes after an image, `![A](a.png){#fig-a}`, and a span's, `[text]{.aside}`
_IMAGE_ATTRIBUTES = re.compile(r"(!\[[^\]]*\]\([^()\s]*(?:\s+\"[^\"]*\")?\))\{[^{}\n]*\}")
_SPAN = re.compile(r"(?<![!\]])\[([^\[\]]+)\]\{[^{}\n]*\}")


def _with_includes(lines: list[str]) -> list[str]:
    """The lines with the text of each file Quarto's `{{< include >}}` read in its place (a
    notebook has no line numbers to keep)."""
    out: list[str] = []
    for line in lines:
        found = included_text(line) if line.lstrip().startswith(INCLUDE_MARKER) else None
        out.extend(found[1].rstrip("\n").split("\n") if found is not None else [line])
    return out


def _unattributed(text: str) -> str:
    """`text` without the attributes pandoc reads after images and spans, which Jupyter would
    show as written: the image, and the span's text, stay."""
    return _SPAN.sub(r"\1", _IMAGE_ATTRIBUTES.sub(r"\1", text))


def _options_after(lines: Sequence[str], index: int) -> tuple[dict[str, str], str, int]:
    """A directive's options in the lines from `index` on, read from a window of them: the whole
    rest of a cell for each of 10,000 directives would take quadratic time."""
    return directive_options("\n".join(lines[index : index + _OPTION_WINDOW]))


def _end_paragraph(out: list[str], breaks: set[int]) -> None:
    """End the paragraph `out` ends with, if it does: the next line starts a new one. The
    blank line's index goes into `breaks`: a blank line of the author's right after it is not
    written twice."""
    if out and out[-1].strip():
        breaks.add(len(out))
        out.append("")


class NotebookProse:
    """Rewrites one post's prose cells in order (numeric citations count as they appear)."""

    def __init__(
        self,
        post: Post,
        snippets: Sequence[Snippet],
        bibliography: Bibliography | None,
        url: str,
        targets: Mapping[str, Target] | None = None,  # the body's numbered labels, when known
    ) -> None:
        if targets is None:
            where = SourceLocation(post.source_path, post.body_line)
            targets, _ = number_targets(parse_body(post.body), snippets, where)
        self.targets = targets
        # the names of sphinx-proof's unlabelled theorems, in the order they come
        self._unlabelled = [t.name for key, t in self.targets.items() if key.startswith("#")]
        self._references_placed = False
        self.citations = CitationState(bibliography) if bibliography else None
        self.url = url  # the post's page: links in a notebook point there
        # the body indentation of the open MkDocs admonitions: a body goes on past a snippet
        self._body_indents: list[int] = []

    def rewrite(self, text: str) -> str:
        out: list[str] = []
        open_divs: list[BlockInfo] = []
        code_fence = ""  # the marker of a code block of the prose: kept as written
        dropped_fence = ""  # the marker of a {bibliography} directive: left out
        # open MyST directives (```{note}): their body is prose, their end may close a proof
        directive_fences: list[tuple[str, BlockInfo]] = []
        breaks: set[int] = set()  # where a blank line was put in to end a paragraph
        lines = _with_includes(text.split("\n"))
        index = 0
        while index < len(lines):
            open_bodies = len(self._body_indents)
            line = self._outdented(lines[index])
            index += 1
            if len(self._body_indents) < open_bodies:
                _end_paragraph(out, breaks)  # the line that closes a body is not part of it
            fenced = _FENCE.match(line)
            name = (fenced["name"] or "").lower() if fenced else ""
            if dropped_fence:
                if fenced and fenced.group(1).startswith(dropped_fence) and not fenced.group(2):
                    dropped_fence = ""
            elif code_fence:
                if fenced and fenced.group(1).startswith(code_fence) and not fenced.group(2):
                    code_fence = ""
                out.append(line)
            elif fenced and directive_fences and fenced.group(1) == directive_fences[-1][0]:
                if directive_fences.pop()[1].kind == "proof":
                    out.append("∎")
                _end_paragraph(out, breaks)  # what follows is not part of the body
            elif fenced and is_known(name):
                options, _, used = _options_after(lines, index)
                index += used
                info = directive_block(name, options, (fenced["title"] or "").strip())
                out.append(self._heading(info, ""))
                if info.kind not in _LEADING_KINDS:
                    _end_paragraph(out, breaks)
                directive_fences.append((fenced.group(1), info))
            elif fenced and name == "bibliography":  # the References go where it stands
                dropped_fence = fenced.group(1)
                under_heading = (bool(out) and out[-1].startswith("#")) or (
                    len(out) > 1 and not out[-1].strip() and out[-2].startswith("#")
                )
                out.append(self._reference_list(heading=not under_heading))
                self._references_placed = True
            elif fenced and is_display_only(shown := line.strip().removeprefix(fenced.group(1))):
                if is_code_block(shown):  # its :options: lines are not code
                    _, _, used = _options_after(lines, index)
                    index += used
                code_fence = fenced.group(1)
                out.append(fenced.group(1) + fence_language(shown))  # ```{.python}: ```python
            elif fenced:
                code_fence = fenced.group(1)
                out.append(line)
            elif line.startswith(("!!!", "???", "===")) and (marked := block_info(line)):
                out.append(self._callout_heading(marked))
                _end_paragraph(out, breaks)  # a title of its own, not the body's first words
                self._body_indents.append(self._body_indent() + 4)
            elif _MYST_TARGET.match(line):
                continue  # MyST's (label)=: the heading after it is the same heading in Jupyter
            elif line.lstrip().startswith(":::") and (opening := opening_attributes(line)):
                info = div_info(*opening)
                if opening[1] is not None and is_known(opening[1]):
                    options, _, used = _options_after(lines, index)
                    index += used
                    info = directive_block(opening[1], options, opening[2].strip())
                name = ""
                takes_name = info.kind in ("theorem", "callout") and not info.title
                if takes_name and index < len(lines) and lines[index].startswith("#"):
                    name = lines[index].lstrip("#").strip()
                    index += 1
                out.append(self._heading(info, name))
                if info.kind not in _LEADING_KINDS:
                    _end_paragraph(out, breaks)
                open_divs.append(info)
            elif _CLOSING.match(line) and open_divs:
                if open_divs.pop().name == "proof":  # not a remark or a solution
                    out.append("∎")
                _end_paragraph(out, breaks)  # what follows is not part of the block
            elif line.strip() or len(out) - 1 not in breaks:
                out.append(self._inline(self._labels(line)))
        return "\n".join(out)

    def _outdented(self, line: str) -> str:
        """A line of an MkDocs admonition's or tab's body without the body's indentation (in
        Jupyter it would be a code block); the first line indented less closes the body."""
        if line.strip():
            width = len(line) - len(line.lstrip(" "))
            while self._body_indents and width < self._body_indents[-1]:
                self._body_indents.pop()
        return line[self._body_indent() :] if line.strip() else line.strip(" ")

    def _body_indent(self) -> int:
        return self._body_indents[-1] if self._body_indents else 0

    def references(self) -> str:
        """The References cell, or "" when the post cites nothing (or a ```{bibliography}
        placed them already)."""
        return "" if self._references_placed else self._reference_list(heading=True)

    def _reference_list(self, *, heading: bool) -> str:
        if self.citations is None or not self.citations.cited:
            return ""
        html = references_html(self.citations)
        items = re.findall(r'<li id="ref-[^"]*" class="reference">(.*?)</li>', html, re.DOTALL)
        listed = "\n".join("- " + " ".join(i.split()) for i in items)
        return f"## References\n\n{listed}" if heading else listed

    def _heading(self, info: BlockInfo, name: str) -> str:
        match info.kind:
            case "theorem":
                target = self.targets.get(info.label)
                if target is None and not info.label and info.numbered and self._unlabelled:
                    word = self._unlabelled.pop(0)  # sphinx-proof's, numbered without a label
                else:
                    word = target.name if target else THEOREM_WORDS[info.name]
                named = f" ({self._inline(name or info.title)})" if (name or info.title) else ""
                return f"**{word}{named}.**"
            case "proof":
                return f"*{PROOF_WORDS.get(info.name, 'Proof')}.*"
            case "solution":
                target = self.targets.get(info.title)
                solved = self._link(target.label, target.name) if target else info.title
                return f"**Solution to {solved}**"
            case "callout":
                return self._callout_heading(info, name)
            case "tab" | "aside" if info.title:
                return f"**{self._inline(info.title)}**"
        return ""

    def _link(self, label: str, text: str) -> str:
        return f'<a href="{escape(self.url)}#{escape(label)}">{escape(text)}</a>'

    def _roles(self, text: str) -> str:
        """MyST's roles as the page reads them: citations, references by name, {math} as $…$."""

        def role(match: re.Match[str]) -> str:
            name, content = match["name"].lower(), match["content"].strip()
            if name in (*BRACKETED_CITE_ROLES, *PROSE_CITE_ROLES):
                bracketed = name in BRACKETED_CITE_ROLES
                keys = [CiteItem(key) for key in cite_keys(content)]
                groups = [keys] if bracketed else [[k] for k in keys]
                return ", ".join(self._cite(match.group(0), g, bracketed) for g in groups)
            if name == "math":
                return f"${content}$"
            explicit = re.match(r"^(?P<text>.*?)\s*<(?P<label>[^<>]+)>$", content, re.DOTALL)
            label = explicit["label"] if explicit else content
            target = self.targets.get(label)
            if name in (*_REFERENCE_ROLES, "eq") and target is not None:
                shown = f"({target.number})" if name == "eq" else target.name
                return self._link(label, explicit["text"] if explicit else shown)
            return match.group(0)

        return _ROLE.sub(role, text)

    def _callout_heading(self, info: BlockInfo, name: str = "") -> str:
        title = name or info.title or CALLOUT_TITLES.get(info.name, "Note")
        return f"**{self._inline(title)}**"

    def _labels(self, line: str) -> str:
        equation = _EQUATION_LABEL.search(line)
        if equation is not None:
            target = self.targets.get(equation.group(1))
            tag = f" \\tag{{{target.number}}}" if target else ""
            return line[: equation.start()] + tag + " $$"
        heading = _HEADING_ATTRIBUTES.match(line)
        return heading.group(1) if heading else line

    def _inline(self, text: str) -> str:
        text = self._roles(text)  # before code spans: a role's backticks are not code
        parts: list[str] = []
        position = 0
        for code in _CODE_SPAN.finditer(text):  # code spans are shown as written
            parts.append(self._citations(_unattributed(text[position : code.start()])))
            parts.append(code.group(0))
            position = code.end()
        parts.append(self._citations(_unattributed(text[position:])))
        return "".join(parts)

    def _citations(self, text: str) -> str:
        text = _BRACKETED.sub(lambda m: self._cite(m.group(0), parse_items(m.group(1)), True), text)
        return _PROSE.sub(lambda m: self._cite(m.group(0), (CiteItem(m.group(1)),), False), text)

    def _cite(self, source: str, items: Sequence[CiteItem] | None, bracketed: bool) -> str:
        """The citation as the page shows it, or the source when a key is unknown."""
        if not items:
            return source
        parts: list[str] = []
        pending: list[tuple[CiteItem, Reference]] = []
        for item in items:
            if is_reference(item.key):
                target = self.targets.get(target_label(item.key))
                if target is None:
                    return source
                parts.append(self._cited(pending, bracketed))
                parts.append(self._reference(item, target))
                pending = []
                continue
            reference = self.citations.bibliography.find(item.key) if self.citations else None
            if reference is None:
                return source
            pending.append((item, reference))
        parts.append(self._cited(pending, bracketed))
        return "; ".join(part for part in parts if part)

    def _cited(self, pending: Sequence[tuple[CiteItem, Reference]], bracketed: bool) -> str:
        if not pending or self.citations is None:
            return ""
        html = citation_html(self.citations, pending, bracketed=bracketed)
        html = re.sub(r' data-lemma-card="[^"]*"', "", html)  # no cards in Jupyter
        return html.replace('href="#', f'href="{escape(self.url)}#')

    def _reference(self, item: CiteItem, target: Target) -> str:
        text = target.number if item.suppress_author else target.name
        prefix = f"{item.prefix} " if item.prefix else ""
        suffix = f", {item.suffix}" if item.suffix else ""
        return f'{prefix}<a href="{escape(self.url)}#{escape(target.label)}">{text}</a>{suffix}'
