"""A code fence's language, from its info string: the rule the parser and the code-edit guess
(`reuse/code_edits.py`) share. Standard library only: the guess runs before the stages load.

```python, ```{python} and ```python title="x" mean python; so does a MyST ```{code-cell} whose
kernel is a Python one (or not given). Only python blocks run, and not pandoc's attribute form
```{.python}, which Quarto and pandoc only show: it is highlighted as python, never run; nor
MyST's ```{code-block} python, likewise shown.

A fence's `key="value"` attributes, as MkDocs' extensions write them (```` ``` py title="x.py"
linenums="1" ````, ```` ```python exec="on" ````), are read once here for every convention that
uses them: a value is quoted with either quote, or runs to the next space or closing brace.
"""

from __future__ import annotations

import re

_PYTHON_KERNELS = ("", "python", "python3", "ipython", "ipython3")
# MyST's directives of code to show: ```{code-block} python is highlighted, never run.
CODE_DIRECTIVES = ("{code-block}", "{code}", "{sourcecode}")
_ATTRIBUTE = re.compile(r"""(?<![\w-])(?P<key>[a-z_]+)=(?P<value>"[^"]*"|'[^']*'|[^\s"'}]+)""")


def fence_language(info: str) -> str:
    """```python, ```{python}, ```{.python} and ```python title="x" all mean python."""
    words = info.strip().split()
    if is_code_block(info):
        return words[1].lower() if len(words) > 1 else ""
    if _is_attribute_form(info):  # ``` { .python .annotate } (pandoc, Material): its first class
        classes = [w.strip("{}") for w in words if w.strip("{}").startswith(".")]
        return classes[0].removeprefix(".").lower() if classes else ""
    word = words[0] if words else ""
    # knitr's ```{python, echo=FALSE}: the engine ends at the comma
    return word.strip("{}").removeprefix(".").split(",")[0].lower()


def is_display_only(info: str) -> bool:
    """```{.python}: pandoc's class attribute (Material's ``` { .python .annotate }), a block to
    show and not to run; MyST's ```{code-block} python likewise."""
    return _is_attribute_form(info) or is_code_block(info)


def _is_attribute_form(info: str) -> bool:
    """```{.python}, ``` { .python .annotate }: classes in braces, not MyST's ```{name}."""
    return (
        info.strip().removeprefix("{").lstrip().startswith((".", "#")) and info.strip()[:1] == "{"
    )


def is_code_block(info: str) -> bool:
    """MyST's ```{code-block} python (or {code}, {sourcecode}): code shown, never run."""
    words = info.strip().split(maxsplit=1)
    return bool(words) and words[0].lower() in CODE_DIRECTIVES


def is_code_cell(info: str) -> bool:
    return info.strip().startswith("{code-cell}")


def code_cell_language(info: str) -> str:
    """`{code-cell} ipython3` runs as python; another kernel's language stays as it is."""
    words = info.strip().split()
    language = words[1].lower() if len(words) > 1 else ""
    return "python" if language in _PYTHON_KERNELS else language


def info_language(info: str) -> str:
    """The language of the block a fence with this info string opens."""
    return code_cell_language(info) if is_code_cell(info) else fence_language(info)


def fence_attributes(info: str) -> dict[str, str]:
    """The `key="value"` attributes on a fence's info string, their quotes taken off (the last
    of a repeated key wins)."""
    return {
        m["key"]: m["value"][1:-1] if m["value"][0] in "\"'" else m["value"]
        for m in _ATTRIBUTE.finditer(info)
    }
