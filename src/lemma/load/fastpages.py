"""fastpages' notebook conventions: the first cell's `# "Title"`, `> "summary"` and `- key: value`
lines as front matter, and a code cell's first-line flags (`#hide`, `#collapse-hide`, ...) as the
MyST tags that mean the same (`parse/myst.py`).

fastpages (and nbdev's blogs before it moved to Quarto) wrote a post's front matter as Markdown:

    # "Fitting a line"
    > "A tour of the loss surface."

    - toc: true
    - categories: [jupyter, optimization]
"""

from __future__ import annotations

import re
from typing import Any

import yaml

# Keys of fastpages' theme that need nothing from Lemma: badges and links to Binder, Colab,
# GitHub and Deepnote (Lemma's own "Open in Colab" link follows `repo_url`), the branch they
# point at, the pin on the home page. Accepted without a word, kept for templates.
FASTPAGES_SILENT_KEYS = (
    "badges",
    "branch",
    "sticky_rank",
    "nb_path",
    "hide_binder_badge",
    "hide_colab_badge",
    "hide_github_badge",
    "hide_deepnote_badge",
    "search_exclude",  # read by the post template: the post stays out of the search index
)
# fastpages' `hide: true`: published but in no list; read as a draft, as Pelican's `hidden` is.
FASTPAGES_HIDDEN_KEYS = ("hide",)

_TITLE = re.compile(r'^#[ \t]+"?(?P<title>[^"\n]*?)"?[ \t]*$')
_SUMMARY = re.compile(r'^>[ \t]*"?(?P<summary>[^"\n]*?)"?[ \t]*$')
_KEY_LINE = re.compile(r"^-[ \t]+(?P<key>[A-Za-z_][\w-]*):(?P<value>.*)$")
# A code cell's first line: the flag, and the MyST tags it stands for.
FLAG_TAGS: dict[str, tuple[str, ...]] = {
    "hide": ("remove-cell",),  # runs, shows nothing
    "hide_input": ("remove-input",),
    "hide_output": ("remove-output",),
    "collapse": ("hide-input",),  # the code folded, its output shown
    "collapse_hide": ("hide-input",),
    "collapse_input": ("hide-input",),  # nbdev's name for it
    "collapse_show": (),  # the code folded but open: Lemma shows it
    "collapse_output": ("hide-output",),
}
_FLAG = re.compile(r"^#[ \t]*(?P<flag>[a-z_-]+)[ \t]*$")


def header_yaml(source: str) -> str | None:
    """The YAML front matter a fastpages title cell stands for, or None when `source` is not one:
    a `# Title` line, then a `> summary` line or `- key: value` lines, and nothing else."""
    lines = [line for line in source.strip().split("\n") if line.strip()]
    title = _TITLE.match(lines[0]) if lines else None
    if title is None or len(lines) < 2:
        return None
    found: dict[str, Any] = {"title": title["title"].strip()}
    rest = lines[1:]
    summary = _SUMMARY.match(rest[0])
    if summary is not None:
        found["description"] = summary["summary"].strip()
        rest = rest[1:]
    for line in rest:
        key_line = _KEY_LINE.match(line)
        if key_line is None:
            return None  # prose under a heading: an ordinary first cell
        found[key_line["key"]] = _value(key_line["value"])
    return yaml.safe_dump(found, sort_keys=False, allow_unicode=True)


def _value(text: str) -> Any:
    """A `- key: value` line's value, read as YAML reads it (`[a, b]`, `true`), else as text."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text.strip()


def cell_flag(source: str) -> tuple[tuple[str, ...], str] | None:
    """The MyST tags of a code cell's fastpages flag, and its code without the flag's line; None
    when its first line is no flag."""
    first, _, rest = source.partition("\n")
    flag = _FLAG.match(first.strip())
    if flag is None:
        return None
    tags = FLAG_TAGS.get(flag["flag"].replace("-", "_"))
    return None if tags is None else (tags, rest)
