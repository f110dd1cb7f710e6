"""A fence's `key="value"` attributes on its opening line, as MkDocs' extensions write them:
```` ``` py title="sort.py" linenums="1" ```` or ```` ```python exec="on" source="above" ````.

One reader for every convention that puts options there (pymdownx.highlight, markdown-exec).
A value is quoted with either quote, or runs to the next space or closing brace.
"""

from __future__ import annotations

import re

_ATTRIBUTE = re.compile(r"""(?<![\w-])(?P<key>[a-z_]+)=(?P<value>"[^"]*"|'[^']*'|[^\s"'}]+)""")


def fence_attributes(info: str) -> dict[str, str]:
    """The attributes on a fence's info string, by key, their quotes taken off (the last wins)."""
    return {
        m["key"]: m["value"][1:-1] if m["value"][0] in "\"'" else m["value"]
        for m in _ATTRIBUTE.finditer(info)
    }
