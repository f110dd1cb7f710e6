"""Citations in the text and the References section, author–year or numeric.

Author–year follows the Chicago author–date habit pandoc uses by default: "(Knuth 1984, p. 33)"
in brackets, "Knuth (1984)" in prose, "(1984)" for `[-@knuth84]`; two works of the same
authors and year become 2020a and 2020b. Numeric numbers works in the order they are first
cited: "[1, p. 33]", "Knuth [1]". Each citation links to its entry in the References.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from markupsafe import escape

from lemma.load.bibliography import Bibliography, Reference
from lemma.parse.citations import PROSE_KEY, CiteItem, parse_items
from lemma.render.crossrefs import Target, is_reference, target_label


@dataclass
class CitationState:
    """What one post's rendering learns about its citations, in order."""

    bibliography: Bibliography
    cited: list[str] = field(default_factory=list)  # keys in order of first citation
    lists_all: bool = False  # ```{bibliography} with `:all:`: the uncited works too
    _years: dict[str, str] | None = None

    def number(self, key: str) -> int:
        if key not in self.cited:
            self.cited.append(key)
        return self.cited.index(key) + 1

    def year(self, reference: Reference) -> str:
        """The year, with a letter when the same authors have two works that year."""
        if self._years is None:
            self._years = _disambiguated_years(self.bibliography.references)
        return self._years.get(reference.key, reference.year) or "n.d."


def _disambiguated_years(references: Sequence[Reference]) -> dict[str, str]:
    groups: dict[tuple[str, str], list[Reference]] = {}
    for reference in references:
        groups.setdefault((authors_label(reference), reference.year), []).append(reference)
    years: dict[str, str] = {}
    for (_, year), group in groups.items():
        if len(group) > 1 and year:
            for letter, reference in zip(
                "abcdefghijklmnopqrstuvwxyz", sorted(group, key=_order), strict=False
            ):
                years[reference.key] = year + letter
    return years


def _order(reference: Reference) -> tuple[str, str]:
    return (reference.title.lower(), reference.key)


def authors_label(reference: Reference) -> str:
    """ "Knuth", "Boyd and Vandenberghe", "Goodfellow et al."; the title when no author."""
    names = reference.names
    if not names:
        return reference.title or reference.key
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


def citation_html(
    state: CitationState, items: Sequence[tuple[CiteItem, Reference]], *, bracketed: bool
) -> str:
    numeric = state.bibliography.style == "numeric"
    parts = []
    for item, reference in items:
        parts.append(_item_html(state, item, reference, numeric=numeric, bracketed=bracketed))
    if not bracketed:
        return f'<span class="citation">{"".join(parts)}</span>'
    joined = (", " if numeric and not any(i.suffix for i, _ in items) else "; ").join(parts)
    opening, closing = ("[", "]") if numeric else ("(", ")")
    return f'<span class="citation">{opening}{joined}{closing}</span>'


_WRITTEN = re.compile(rf"\[(?P<items>[^\[\]]*@[^\[\]]*)\]|(?<![\w@.]){PROSE_KEY.pattern}")
_TAG = re.compile(r"<[^>]+>")
_LEFT_OUT = "\x00"


def cited_text(
    text: str,
    bibliography: Bibliography | None,
    targets: Callable[[], Mapping[str, Target]] | None = None,
) -> str:
    """Plain text (an excerpt) with its citations as the page shows them: "(Knuth 1984, p. 33)",
    and its cross-references as the body numbers them (`targets`, asked for only when the text
    has one: it parses the body): "Figure 1". A cross-reference with no target is left out, as
    is one next to a citation; a key with no entry stays as written, as in the body, where both
    are reported."""
    if "@" not in text:
        return text
    state = CitationState(bibliography) if bibliography is not None else None  # numbers: 1, 2, ..
    numbered: list[Mapping[str, Target]] = []  # the targets, once asked for

    def shown(match: re.Match[str]) -> str:
        bracketed = match.group("items") is not None
        items = parse_items(match.group("items")) if bracketed else (CiteItem(match["key"]),)
        if items is None:
            return match.group(0)
        if any(is_reference(item.key) for item in items):
            if not numbered:
                numbered.append(targets() if targets is not None else {})
            return _referenced(items, numbered[0])
        found = [(item, bibliography.find(item.key) if bibliography else None) for item in items]
        pairs = [(item, reference) for item, reference in found if reference is not None]
        if state is None or len(pairs) < len(items):
            return match.group(0)
        written = citation_html(state, pairs, bracketed=bracketed)
        return html.unescape(_TAG.sub("", written))

    # "as shown in [@fig-x], and" -> "as shown in, and": no space left before the punctuation
    return re.sub(rf"\s*{_LEFT_OUT}", "", _WRITTEN.sub(shown, text))


def _referenced(items: Sequence[CiteItem], targets: Mapping[str, Target]) -> str:
    """Cross-references as plain text, "Figure 1; Equation 2", or left out when one of them
    names no target or a work is cited among them."""
    shown: list[str] = []
    for item in items:
        target = targets.get(target_label(item.key)) if is_reference(item.key) else None
        if target is None:
            return _LEFT_OUT
        name = target.number if item.suppress_author else target.name
        prefix = f"{item.prefix} " if item.prefix else ""
        suffix = f", {item.suffix}" if item.suffix else ""
        shown.append(prefix + name + suffix)
    return "; ".join(shown)


def _link(reference: Reference, text: str) -> str:
    key = escape(reference.key)
    return f'<a class="cite" href="#ref-{key}" data-lemma-card="ref-{key}">{escape(text)}</a>'


def _item_html(
    state: CitationState, item: CiteItem, reference: Reference, *, numeric: bool, bracketed: bool
) -> str:
    prefix = f"{escape(item.prefix)} " if item.prefix else ""
    suffix = f", {escape(item.suffix)}" if item.suffix else ""
    if numeric:
        number = _link(reference, str(state.number(reference.key)))
        if bracketed or item.suppress_author:
            return f"{prefix}{number}{suffix}"
        return f"{prefix}{escape(authors_label(reference))} [{number}{suffix}]"
    state.number(reference.key)  # remembered as cited
    year = state.year(reference)
    if item.suppress_author:
        text = _link(reference, year)
        return f"{prefix}{text}{suffix}" if bracketed else f"({prefix}{text}{suffix})"
    if bracketed:
        return f"{prefix}{_link(reference, f'{authors_label(reference)} {year}')}{suffix}"
    # In prose the authors are part of the sentence and the year goes in parentheses.
    locator = f", {item.suffix}" if item.suffix else ""
    return prefix + _link(reference, f"{authors_label(reference)} ({year}{locator})")


REFERENCES_PLACE = "<!--lemma-references-->"
REFERENCES_PLACE_UNDER_HEADING = "<!--lemma-references under-heading-->"


def place_references(html: str, state: CitationState) -> str:
    """The body with its References where the first ```{bibliography} put them, else at its end;
    under the author's own heading (MyST's "## References" before the directive) they have none
    of their own."""
    if state.lists_all:
        for key in state.bibliography.keys:
            state.number(key)
    places = [m for m in (REFERENCES_PLACE, REFERENCES_PLACE_UNDER_HEADING) if m in html]
    if not places:
        return html + references_html(state)
    first = min(places, key=html.index)
    section = references_html(state, heading=first == REFERENCES_PLACE)
    html = html.replace(first, section, 1)
    return html.replace(REFERENCES_PLACE, "").replace(REFERENCES_PLACE_UNDER_HEADING, "")


def references_html(state: CitationState, *, heading: bool = True) -> str:
    """The References section: the cited works, in citation order or by author and year."""
    if not state.cited:
        return ""
    references = [r for key in state.cited if (r := state.bibliography.find(key)) is not None]
    numeric = state.bibliography.style == "numeric"
    if not numeric:
        references.sort(key=lambda r: (authors_label(r).lower(), state.year(r), _order(r)))
    items = []
    for reference in references:
        label = (
            f'<span class="reference-label">[{state.number(reference.key)}]</span> '
            if numeric
            else ""
        )
        items.append(
            f'<li id="ref-{escape(reference.key)}" class="reference">'
            f"{label}{reference.entry_html}</li>"
        )
    opening = (
        '<section class="references" aria-labelledby="references-heading">\n'
        '<h2 id="references-heading">References</h2>\n'
        if heading
        else '<section class="references references--under-heading">\n'
    )
    return (
        opening
        + f'<ol class="reference-list{" reference-list--numeric" if numeric else ""}">\n'
        + "\n".join(items)
        + "\n</ol>\n</section>\n"
    )
