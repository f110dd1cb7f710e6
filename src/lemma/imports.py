"""Whether a snippet's code may import a module outside the standard library, told from its text.

The fork server imports numpy and matplotlib before it forks the posts' processes, so that each
post gets them for free (`execute/scheduler.py`). Posts whose code imports only the standard
library (`print(1 + 1)`, an algorithm in plain Python) need neither, and a server without them
starts for about a fifth of the CPU. This is a guess from the text, never from running it, and
it leans towards "yes": any `import` or `from ... import` that names a module outside the
standard library (a module beside the post too, which may import numpy itself; a relative
import), the word `import` followed by a name anywhere (a comment or a string counts),
`__import__`, `importlib`, and the `%matplotlib` magic. A wrong "no" costs only time: the post
imports numpy itself, and its random state is seeded as numpy loads (`execute/worker.py`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable

# `import a.b as c, d` and `from a.b import c`; anywhere in the text, as the guess leans to "yes".
_IMPORT = re.compile(r"\bimport[ \t]+([\w. \t,]+)")
_FROM = re.compile(r"\bfrom[ \t]+(\.*[\w.]*)[ \t]+import\b")
_DYNAMIC = re.compile(r"__import__|\bimportlib\b|\bimport_module\b|%matplotlib\b")


def imports_beyond_stdlib(codes: Iterable[str]) -> bool:
    """Whether any of the codes may import a module that is not in Python's standard library."""
    return any(_beyond_stdlib(code) for code in codes)


def _beyond_stdlib(code: str) -> bool:
    if _DYNAMIC.search(code):
        return True
    names = [m.group(1) for m in _FROM.finditer(code)]
    for match in _IMPORT.finditer(_FROM.sub(" ", code)):  # what `from x import y` imports is x
        names += (part.split()[0] for part in match.group(1).split(",") if part.split())
    return any(name.partition(".")[0] not in sys.stdlib_module_names for name in names)
