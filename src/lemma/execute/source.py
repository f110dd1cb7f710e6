"""Child side: a snippet's code as Python at its .md lines, with notebook magic lines handled."""

from __future__ import annotations

import ast
import linecache
import re
from types import CodeType

from lemma.model import Snippet

# `await` at the top level of a snippet, as in Jupyter: the code compiles to a coroutine that
# the runner drives on the post's event loop.
COMPILE_FLAGS = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT

# `%matplotlib inline` is how notebooks ask for figures in the page, which Lemma always does.
_INLINE_MAGIC = re.compile(r"%matplotlib(\s+inline)?\s*(#.*)?$")
_MAGIC_NAME = re.compile(r"(%%?|!)\s*([^\s(]*)")


def compile_snippet(snippet: Snippet, path: str) -> tuple[CodeType, CodeType | None]:
    """The snippet's statements, and its last expression when it is to be displayed.

    Raises SyntaxError at the .md line, also for an IPython magic or shell line (`%timeit`,
    `!pip install x`), which names it; `%matplotlib inline` is accepted and does nothing.
    """
    source = "\n" * (snippet.location.line - 1) + snippet.code  # pad so lines match the .md file
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError:
        tree = ast.parse(_without_magic_lines(source, path), filename=path)
    expression = None
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr) and not _ends_with_semicolon(source, last):
        tree.body.pop()
        expression = compile(
            ast.Expression(last.value), path, "eval", flags=COMPILE_FLAGS, dont_inherit=True
        )
    # dont_inherit: the worker's own `from __future__` imports must not change the user's code
    return compile(tree, path, "exec", flags=COMPILE_FLAGS, dont_inherit=True), expression


def _without_magic_lines(source: str, path: str) -> str:
    """`source` with `%matplotlib inline` lines made `pass`; a SyntaxError at the first other
    magic or shell line, which Lemma cannot run (only called when `source` does not parse)."""
    lines = source.splitlines()
    for number, line in enumerate(lines, start=1):
        stripped = line.lstrip()
        if not stripped.startswith(("%", "!")) or stripped.startswith("!="):
            continue
        indent = line[: len(line) - len(stripped)]
        if _INLINE_MAGIC.match(stripped):
            lines[number - 1] = indent + "pass"
            continue
        match = _MAGIC_NAME.match(stripped)
        name = (match.group(1) + match.group(2)) if match else stripped.split()[0]
        if stripped.startswith("!"):
            message = (
                f"shell command '{stripped}' does not run in a post: Lemma runs plain Python, "
                "not IPython; call it with subprocess.run([...]) instead"
            )
        else:
            message = (
                f"IPython magic '{name}' does not run in a post: Lemma runs plain Python, not "
                "IPython; write the Python it stands for (only '%matplotlib inline' is accepted, "
                "and it does nothing: figures always appear)"
            )
        raise SyntaxError(message, (path, number, len(indent) + 1, line, None, None))
    return "\n".join(lines)


def _ends_with_semicolon(source: str, node: ast.stmt) -> bool:
    if node.end_lineno is None or node.end_col_offset is None:
        return False
    line = source.splitlines()[node.end_lineno - 1]
    rest = line.encode("utf-8")[node.end_col_offset :].decode("utf-8", "replace")  # byte offset
    return rest.lstrip().startswith(";")


class PostSource:
    """The post's code at its .md line numbers, registered with linecache for tracebacks.

    Registering it keeps Python from reading the .md file for source lines, which would also
    count as a file the post read.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._lines: list[str] = []

    def add(self, snippet: Snippet) -> None:
        first = snippet.location.line - 1
        code_lines = snippet.code.splitlines()
        if len(self._lines) < first + len(code_lines):
            self._lines.extend([""] * (first + len(code_lines) - len(self._lines)))
        self._lines[first : first + len(code_lines)] = code_lines
        lines = [line + "\n" for line in self._lines]
        linecache.cache[self.path] = (sum(map(len, lines)), None, lines, self.path)
